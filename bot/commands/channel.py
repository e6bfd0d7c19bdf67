"""`kanal …` / `channel …` (admins): bind a channel to a forum, joint communications or digest.

Later features post to these bindings: meeting cards to a forum's channel, drafts to the joint
channel, the weekly digest to the digest channel.
"""

from __future__ import annotations

from bot.channels.audience import load_tree
from bot.channels.bindings import (
    PURPOSE_DIGEST,
    PURPOSE_FORUM,
    PURPOSE_JOINT,
    get_or_create_channel,
)
from bot.commands.contacts import unknown_forum
from bot.common.text import fold, split_first
from bot.core.context import CommandError, Context
from bot.core.registry import Access, Command, Param
from bot.core.reply import Reply, Section, Visibility
from bot.directory.forums import forum_name, load_forum_index
from storage.models import Channel, ChannelBinding

_PURPOSES = {
    "forum": PURPOSE_FORUM,
    "gemensam": PURPOSE_JOINT,
    "gemensamt": PURPOSE_JOINT,
    "joint": PURPOSE_JOINT,
    "sammanfattning": PURPOSE_DIGEST,
    "veckosammanfattning": PURPOSE_DIGEST,
    "digest": PURPOSE_DIGEST,
}
_REMOVE = ("ta bort", "remove", "unbind")


def describe(context: Context, binding: ChannelBinding) -> str:
    if binding.purpose == PURPOSE_FORUM and binding.forum is not None:
        return context.t("channel.binding.forum", forum=forum_name(binding.forum, context.language))
    return context.t(f"channel.binding.{binding.purpose}")


def _show(context: Context, channel: Channel) -> Reply:
    lines = [describe(context, b) for b in channel.bindings]
    return Reply(
        heading=context.t("channel.heading"),
        sections=[Section(None, lines or [context.t("channel.none")])],
        context=context.t("channel.how"),
        visibility=Visibility.ONLY_TO_YOU,
    )


async def run(context: Context, args: dict[str, str]) -> Reply:
    channel = await get_or_create_channel(context.session, context.request.channel)
    text = args.get("what", "").strip()
    if not text:
        return _show(context, channel)
    removing = next((w for w in _REMOVE if fold(text).startswith(w)), None)
    if removing:
        text = text[len(removing) :].strip()
    word, rest = split_first(text)
    purpose = _PURPOSES.get(fold(word))
    if purpose is None:
        raise CommandError("channel.unknown_purpose", word=word[:40])
    forum_id = None
    label = context.t(f"channel.binding.{purpose}")
    warning = None
    if purpose == PURPOSE_FORUM:
        forum = (await load_forum_index(context.session)).match(rest) if rest else None
        if forum is None:
            raise await unknown_forum(context, rest or "–")
        forum_id = forum.id
        label = context.t("channel.binding.forum", forum=forum_name(forum, context.language))
        if (await load_tree(context.session)).restricted(forum.id):
            warning = context.t("channel.need_to_know_warning")
    existing = next(
        (b for b in channel.bindings if b.purpose == purpose and b.forum_id == forum_id), None
    )
    key = f"{channel.platform}:{channel.channel_id}"
    if removing:
        if existing is None:
            raise CommandError("channel.not_bound", binding=label)
        channel.bindings.remove(existing)
        context.audit(
            "channel.unbind", "channel", key, {"binding": purpose, "forum_id": forum_id}, None
        )
        return Reply(text=context.t("channel.unbound", binding=label))
    if existing is not None:
        return Reply(
            text=context.t("channel.already", binding=label), visibility=Visibility.ONLY_TO_YOU
        )
    channel.bindings.append(ChannelBinding(purpose=purpose, forum_id=forum_id))
    context.audit("channel.bind", "channel", key, None, {"binding": purpose, "forum_id": forum_id})
    return Reply(text=context.t("channel.bound", binding=label), context=warning)


COMMAND = Command(
    key="channel",
    names_sv=("kanal",),
    names_en=("channel",),
    handler=run,
    params=(Param("what", required=False, greedy=True),),
    access=Access.ADMIN,
)
