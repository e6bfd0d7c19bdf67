"""What the typed forms of a meeting card's buttons share: reading `M12`."""

from __future__ import annotations

from bot.common.ids import IdKind, parse_typed_id
from bot.core.context import CommandError


def meeting_number(token: str) -> int:
    """The row id `M12` names; the meeting's visibility is checked by the button's handler."""
    typed = parse_typed_id(token, IdKind.MEETING)
    if typed is None:
        raise CommandError("meeting.bad_id", text=token.strip()[:20] or "–")
    return typed.number
