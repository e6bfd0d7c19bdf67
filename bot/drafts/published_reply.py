"""`utkast U7 publicerad <länk> [kanal]` / `draft U7 published <link> [channel]`: the answer.

Records where and when an approved joint message went out (its author, a signer of a party or
an admin); the card in the joint channel and `utkast U7` then show it, and the follow-up report
lists it (`bot.drafts.publications.publications_between`). A part of the `utkast` command
(`bot/commands/draft.py` hands over the text when its second word is `publicerad`), so it lives
here rather than as a command module of its own.
"""

from __future__ import annotations

from bot.common.ids import IdKind, parse_typed_id
from bot.common.text import fold, split_first
from bot.core.context import CommandError, Context
from bot.core.reply import Reply, Visibility
from bot.drafts.publications import record_publication
from bot.drafts.publish import publish
from bot.drafts.service import draft_ref

WORDS = ("publicerad", "publicerat", "publicerade", "published", "publish")


def wants_published(text: str) -> tuple[int, str] | None:
    """The draft number and the rest (`<link> [channel]`) when the text reads `U7 publicerad …`."""
    first, rest = split_first(text)
    word, after = split_first(rest)
    typed = parse_typed_id(first, IdKind.DRAFT)
    if typed is None or fold(word) not in WORDS:
        return None
    return typed.number, after


async def published(context: Context, number: int, rest: str) -> Reply:
    link, channel = split_first(rest)
    if not link:
        raise CommandError("published.error.usage", id=draft_ref(number))
    recorded = await record_publication(context, number, link, channel)
    t = context.t
    if not recorded.created:
        return Reply(
            text=t("published.already", id=draft_ref(recorded.draft)),
            visibility=Visibility.ONLY_TO_YOU,
        )
    await publish(context, recorded.draft)  # every posted copy of the card shows it
    return Reply(
        text=t(
            "published.done",
            id=draft_ref(recorded.draft),
            url=recorded.publication.url,
            channel=recorded.publication.channel or "–",
        ),
        visibility=Visibility.ONLY_TO_YOU,
    )
