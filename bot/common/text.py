"""Text helpers shared by the parser and matchers: forgiving comparison of Swedish words."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics and collapse spaces: `Brå` → `bra`, `Överenskommelse` → ..."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()


def split_first(text: str) -> tuple[str, str]:
    """The first word and the rest, both stripped."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


# Words staff put around a question that carry no meaning for the bot: quotes, emoji, a
# question mark, a greeting before the command. One normaliser, so every look-up forgives the
# same things (`vem är ”kommunpolis”? 🙂` reads as `kommunpolis`).
_QUOTES = "\"'`´“”„‟‘’‚‛«»‹›"
_EDGE_PUNCTUATION = "?!.,;:¿¡…"
_INVISIBLE = {"\u200d", "\ufe0f", "\ufe0e", "\u20e3"}
_ASKING = ("vem ar", "who is", "who's")
GREETINGS = frozenset(
    {
        "hej",
        "hejsan",
        "hejhej",
        "halla",
        "tjena",
        "tjenare",
        "hallo",
        "god morgon",
        "god dag",
        "god kvall",
        "godmorgon",
        "hello",
        "hi",
        "hey",
        "good morning",
        "good afternoon",
        "good evening",
    }
)


def _is_emoji(character: str) -> bool:
    return unicodedata.category(character) in ("So", "Sk", "Cs") or character in _INVISIBLE


def without_decoration(text: str) -> str:
    """The text without emoji and quotes, and with no punctuation at its ends."""
    kept = "".join(" " if _is_emoji(ch) or ch in _QUOTES else ch for ch in text)
    return _SPACES.sub(" ", kept).strip().strip(_EDGE_PUNCTUATION + " ").strip()


def clean_argument(text: str) -> str:
    """A name or a forum as staff type it in a question: `vem är ”Brå-samordnare”?` → the
    role alone. Leading "vem är" / "who is" and a greeting are dropped too."""
    cleaned = without_decoration(text)
    words = drop_greeting(cleaned.split())
    for asking in _ASKING:
        length = len(asking.split())
        if len(words) > length and fold(" ".join(words[:length])) == asking:
            words = words[length:]
            break
    return without_decoration(" ".join(words))


def drop_greeting(words: list[str]) -> list[str]:
    """`Hej! Vem är …` → `Vem är …`: a greeting in front of something else is left out; a
    greeting alone is kept (it is small talk, and gets a reply of its own)."""
    for length in (2, 1):
        head = fold(" ".join(without_decoration(w) for w in words[:length]))
        if len(words) > length and head in GREETINGS:
            rest = words[length:]
            return rest if any(without_decoration(w) for w in rest) else words
    return words
