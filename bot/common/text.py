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
