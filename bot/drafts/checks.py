"""What is checked in a draft's text: its length per target channel.

Whether it holds a personnummer is `bot.common.privacy`'s one rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

# Where a joint draft may go, in the order forms show it; the agreement file's `draft_targets`
# accepts the same. Defined here, not in bot.agreement.file, so that the chat commands do not
# load the file's pydantic models.
DraftTarget = Literal["facebook", "instagram", "x", "press", "web", "other"]
TARGETS: tuple[str, ...] = get_args(DraftTarget)
MAX_TEXT = 5000
MAX_TITLE = 150
# Where a channel has a hard limit, it is flagged on the card; the text is never cut.
LIMITS: dict[str, int] = {"x": 280, "instagram": 2200}


@dataclass(frozen=True)
class Count:
    target: str
    length: int
    limit: int | None

    @property
    def too_long(self) -> bool:
        return self.limit is not None and self.length > self.limit


def length_for(target: str, text: str) -> int:
    """Characters as the channel counts them: X weighs links and some scripts differently."""
    if target == "x":
        # Imported here: twitter_text compiles its emoji tables on import (~0.2 s of start-up).
        from twitter_text import parse_tweet

        return int(parse_tweet(text).weightedLength)
    return len(text)


def counts(text: str, targets: list[str]) -> list[Count]:
    return [Count(t, length_for(t, text), LIMITS.get(t)) for t in targets]


def parse_targets(value: object) -> list[str]:
    """Targets from a form: a list, or one comma- or space-separated string; unknown dropped."""
    if isinstance(value, str):
        items = re.split(r"[,\s]+", value)
    elif isinstance(value, list | tuple):
        items = [str(v) for v in value]
    else:
        items = []
    wanted = {item.strip().lower() for item in items if item.strip()}
    return [t for t in TARGETS if t in wanted]
