"""Where a draft's card goes: the channels bound as *gemensam* and every channel linked with
them on another platform; later changes update every posted copy, on every platform.

Cards are queued on the context's outbox, so nothing is sent unless the decision commits.
"""

from __future__ import annotations

from bot.channels.bindings import PURPOSE_JOINT, channels_bound_to, get_or_create_channel
from bot.channels.cards import posted_copies
from bot.channels.rooms import room_of
from bot.common.i18n import Translator, choose_language
from bot.core.context import Context, Outgoing
from bot.core.reply import Reply
from bot.drafts.card import render_card, title_of
from bot.drafts.policy import organisations
from bot.drafts.service import HELD, draft_ref
from bot.drafts.viewers import shared
from storage.models import Channel, Draft


def card_key(draft: Draft) -> str:
    return f"draft:{draft.id}"


def channel_translator(context: Context) -> Translator:
    """Cards in a shared channel speak the bot's configured language, not the asker's."""
    language = choose_language(context.settings.locale)
    return Translator(language, context.settings.tz)


async def joint_room(context: Context) -> list[Channel]:
    """The joint channels and their linked rooms; the asker's own channel when none is bound."""
    bound = await channels_bound_to(context.session, PURPOSE_JOINT)
    channels = await room_of(context.session, bound)
    if channels:
        return channels
    return [await get_or_create_channel(context.session, context.request.channel)]


async def publish(context: Context, draft: Draft, *, announce: bool = False) -> list[Channel]:
    """Post the card where it has not been posted yet, or update every copy; return where."""
    t = channel_translator(context)
    parties = await organisations(context.session, draft.parties)
    card = await shared(context.session, draft, render_card(t, draft, parties, context.now()))
    key = card_key(draft)
    copies = await posted_copies(context.session, key)
    if copies:
        channels = [copy.channel for copy in copies]
        for copy in copies:
            context.queue(
                Outgoing(
                    copy.channel,
                    card,
                    card=key,
                    revision=draft.revision,
                    message_id=copy.message_id,
                )
            )
    elif draft.state != HELD:
        channels = await joint_room(context)
        for channel in channels:
            context.queue(Outgoing(channel, card, card=key, revision=draft.revision))
    else:
        channels = []
    if announce:
        text = t("drafts.announce.approved", id=draft_ref(draft), title=title_of(t, draft))
        for channel in channels:
            context.post_to(channel, Reply(text=text))
    return channels


def channel_names(channels: list[Channel]) -> str:
    return ", ".join(f"{c.name or c.channel_id} ({c.platform})" for c in channels)
