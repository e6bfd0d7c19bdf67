"""The "Skicka ändå" button of a held reminder or action item, typed: `ändå` / `anyway` first.

`påminn mig ändå i morgon 9 …` and `åtgärd ändå … ansvarig …` confirm a text the bot would
otherwise hold for looking like a personnummer, the same confirmation the button records.
"""

from __future__ import annotations

from bot.common.text import fold, split_first

ANYWAY = ("anda", "anyway")  # folded: ändå


def typed_anyway(text: str) -> tuple[str, bool]:
    """The text without a leading `ändå` / `anyway`, and whether it had one."""
    first, rest = split_first(text)
    if fold(first) in ANYWAY and rest:
        return rest, True
    return text, False
