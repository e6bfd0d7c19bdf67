"""Short typed ids staff can type and read: `M12` a meeting, `U7` a draft, `A3` an action item,
`L7` a commitment of the citizen promises (*medborgarlöfte*).

A letter followed by digits, never plain numbers, so an id cannot be mistaken for text or for
an id of another kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class IdKind(StrEnum):
    MEETING = "M"
    DRAFT = "U"
    ACTION_ITEM = "A"
    COMMITMENT = "L"


_PATTERN = re.compile(r"^([MUAL])(\d{1,9})$", re.IGNORECASE)


@dataclass(frozen=True)
class TypedId:
    kind: IdKind
    number: int

    def __str__(self) -> str:
        return f"{self.kind.value}{self.number}"


def parse_typed_id(token: str, expected: IdKind | None = None) -> TypedId | None:
    """`m12` → TypedId(MEETING, 12); None for anything else or for another kind than expected."""
    match = _PATTERN.match(token.strip())
    if not match:
        return None
    typed = TypedId(IdKind(match.group(1).upper()), int(match.group(2)))
    if typed.number == 0 or (expected is not None and typed.kind is not expected):
        return None
    return typed
