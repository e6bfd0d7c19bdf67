"""Does a free text about a person name a forum whose membership is need-to-know?

A person's title is shown to every registered user (`vem`, `kontakter`), so a title like
"Polisinspektör, avhopparkontakt" tells everyone who works in the exit programme, whose contacts
are shown only to its members. The seed, the CSV contacts import and `person ny|ändra` all ask
`SecretForumNames.named_in` and refuse such a text, naming the field.

A forum's names are its key, its Swedish and English names and its aliases (a group's too, and
a group inherits its forum's flag). A name counts when a word of the text starts with it, so
"avhopparkontakt" names "avhopp" while "brexit" does not name "exit".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.text import fold
from bot.directory.forums import NamedForum
from storage.models import Forum

# Shorter names ("fr", "ks") would match ordinary words.
MIN_LENGTH = 4


@dataclass(frozen=True)
class SecretForumNames:
    """The folded names of need-to-know forums, each with the forum's own name for messages."""

    patterns: tuple[tuple[re.Pattern[str], str], ...]

    @classmethod
    def of(cls, forums: Iterable[tuple[str, Iterable[str]]]) -> SecretForumNames:
        """From (forum's display name, every name staff use for it) of each secret forum."""
        patterns = []
        for label, names in forums:
            for name in {fold(n) for n in names}:
                if len(name) >= MIN_LENGTH:
                    patterns.append((re.compile(r"(?<!\w)" + re.escape(name)), label))
        return cls(tuple(patterns))

    @classmethod
    def of_forums(cls, forums: Iterable[NamedForum]) -> SecretForumNames:
        """From stored forums (or the cached views): a group inherits its forum's flag."""
        rows = list(forums)
        secret = {f.id for f in rows if f.contacts_need_to_know}
        return cls.of(
            (f.name, [f.key.split(".")[-1], f.name, f.name_en, *f.aliases])
            for f in rows
            if f.id in secret or f.parent_id in secret
        )

    def named_in(self, text: str | None) -> str | None:
        """The secret forum the text names, if any."""
        folded = fold(text or "")
        if not folded:
            return None
        return next((label for pattern, label in self.patterns if pattern.search(folded)), None)


async def load_secret_names(session: AsyncSession) -> SecretForumNames:
    return SecretForumNames.of_forums((await session.scalars(select(Forum))).all())
