"""The agreement's own text: its paragraphs, its headings, and the parts staff can quote.

The text is kept as the organisations wrote it (a plain-text file beside the agreement file);
the agreement file names, for each quotable part, the heading and the first words of each
paragraph to quote. Quotes are whole paragraphs, character for character, never paraphrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.common.text import fold

# The parts `överenskommelse <del>` knows, with the words staff may use for each.
PART_NAMES: dict[str, tuple[str, ...]] = {
    "forum": ("forum", "forums", "samverkansforum"),
    "kommunikation": ("kommunikation", "communication", "sociala medier", "media"),
    "uppfoljning": ("uppföljning", "uppfoljning", "follow-up", "followup", "revidering"),
    "organisation": ("organisation", "organization", "samverkansorganisation"),
    "budget": ("budget", "kostnader", "costs"),
    "beslut": ("beslut", "decision", "decisions"),
    "medborgarloften": (
        "medborgarlöften",
        "medborgarlöfte",
        "problembild",
        "promises",
        "citizen promises",
    ),
}

_BLANK = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Quote:
    heading: str
    paragraphs: list[str]


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (blocks between blank lines), without surrounding whitespace."""
    return [block.strip() for block in _BLANK.split(text) if block.strip()]


def resolve(text: str, wanted: list[tuple[str, list[str]]]) -> list[Quote]:
    """For each (heading, first words…), the heading and the whole paragraphs under it.

    Raises ValueError naming every heading or paragraph that the text does not have.
    """
    blocks = paragraphs(text)
    quotes: list[Quote] = []
    problems: list[str] = []
    for heading, starts in wanted:
        if heading not in blocks:
            problems.append(f"heading '{heading}' is not in the text")
            continue
        after = blocks[blocks.index(heading) + 1 :]
        found = []
        for start in starts:
            match = next((block for block in after if block.startswith(start)), None)
            if match is None:
                problems.append(f"no paragraph under '{heading}' starts with '{start}'")
            else:
                found.append(match)
        quotes.append(Quote(heading, found))
    if problems:
        raise ValueError("; ".join(problems))
    return quotes


def as_json(quotes: list[Quote]) -> list[dict[str, Any]]:
    return [{"heading": q.heading, "paragraphs": list(q.paragraphs)} for q in quotes]


def from_json(value: Any) -> list[Quote]:
    """Stored parts back as quotes; anything malformed is left out."""
    if not isinstance(value, list):
        return []
    return [
        Quote(str(item["heading"]), [str(p) for p in item.get("paragraphs", [])])
        for item in value
        if isinstance(item, dict) and "heading" in item
    ]


def part_key(word: str) -> str | None:
    """`Uppföljning` → `uppfoljning`; None for a word that names no part."""
    folded = fold(word)
    for key, names in PART_NAMES.items():
        if folded in {fold(name) for name in names}:
            return key
    return None
