"""`sammanfattning [allt|prenumerera|avsluta]` / `digest [full|subscribe|unsubscribe]`.

Without a word it previews this week's digest privately; `allt` / `full` with the whole lists
(the "Visa hela listorna" button, typed). Subscribing (admins) binds the channel as a digest
channel, the same binding as `kanal sammanfattning`; the weekly post is planned from the
binding.
"""

from __future__ import annotations

from bot.channels.audience import audience_of_person
from bot.channels.bindings import PURPOSE_DIGEST, get_or_create_channel
from bot.common.text import fold
from bot.core.context import CommandError, Context
from bot.core.registry import Access, ButtonRoute, Command, Param
from bot.core.reply import Reply, Visibility
from bot.digest.build import DigestContext, compose
from bot.digest.names import FULL_LISTS_ROUTE
from storage.models import ChannelBinding

_SUBSCRIBE = ("prenumerera", "subscribe", "starta", "start")
_UNSUBSCRIBE = ("avsluta", "unsubscribe", "sluta", "stop")
# The "Visa hela listorna" button, typed.
_FULL = ("allt", "hela", "hela listorna", "full", "all")


async def preview(context: Context, full: bool = False) -> Reply:
    # Shown only to the asker, so it holds what the asker may see.
    audience = await audience_of_person(context.session, context.person)
    digest = DigestContext(
        context.session, context.t, context.now(), context.settings.tz, full, audience
    )
    reply = await compose(digest, context.catalog.digest_sections)
    reply.visibility = Visibility.ONLY_TO_YOU
    return reply


async def run(context: Context, args: dict[str, str]) -> Reply:
    word = fold(args.get("what", "").strip())
    if not word:
        return await preview(context)
    if word in _FULL:
        return await full_lists(context, {})
    subscribe = word in _SUBSCRIBE
    if not subscribe and word not in _UNSUBSCRIBE:
        raise CommandError("digest.unknown_word", word=args["what"][:40])
    person = context.require_person()
    if not person.is_admin:
        raise CommandError("error.admin_only")
    channel = await get_or_create_channel(context.session, context.request.channel)
    existing = next((b for b in channel.bindings if b.purpose == PURPOSE_DIGEST), None)
    key = f"{channel.platform}:{channel.channel_id}"
    if subscribe:
        if existing is not None:
            return Reply(text=context.t("digest.already"), visibility=Visibility.ONLY_TO_YOU)
        channel.bindings.append(ChannelBinding(purpose=PURPOSE_DIGEST, forum_id=None))
        context.audit("channel.bind", "channel", key, None, {"binding": PURPOSE_DIGEST})
        return Reply(text=context.t("digest.subscribed"))
    if existing is None:
        raise CommandError("digest.not_subscribed")
    channel.bindings.remove(existing)
    context.audit("channel.unbind", "channel", key, {"binding": PURPOSE_DIGEST}, None)
    return Reply(text=context.t("digest.unsubscribed"))


async def full_lists(context: Context, _payload: dict[str, object]) -> Reply:
    return await preview(context, full=True)


COMMAND = Command(
    key="digest",
    names_sv=("sammanfattning", "veckosammanfattning"),
    names_en=("digest",),
    handler=run,
    params=(Param("what", required=False, greedy=True),),
    access=Access.REGISTERED,
)
ROUTES = [ButtonRoute(FULL_LISTS_ROUTE, full_lists)]
