"""`koppla rum [kod]` / `link room [code]`: make a Slack channel and a Teams channel one room.

Without a code it answers with a short one-time code; typed with the code in a channel on the
other platform, it links the two, so drafts (and digests) reach staff on both platforms. The
two-word names leave `koppla <@user> <person>` (linking a user to a person) to its own module.
"""

from __future__ import annotations

from bot.channels.bindings import get_or_create_channel
from bot.channels.rooms import CODE_LIFETIME, LinkRefused, issue_code, redeem_code
from bot.common.i18n import Translator
from bot.core.context import CommandError, Context
from bot.core.registry import Access, Command, Param
from bot.core.reply import Reply, Visibility


async def run(context: Context, args: dict[str, str]) -> Reply:
    t = context.t
    person = context.require_person()
    if context.request.channel.is_direct:
        raise CommandError("rooms.not_in_direct")
    channel = await get_or_create_channel(context.session, context.request.channel)
    code = args.get("code", "").strip()
    if not code:
        row = await issue_code(context.session, channel, person.id, context.now())
        context.audit(
            "room.code", "channel", channel.id, after={"expires_at": row.expires_at.isoformat()}
        )
        minutes = int(CODE_LIFETIME.total_seconds() // 60)
        return Reply(
            text=t(
                "rooms.code",
                code=row.code,
                usage=f"{COMMAND.name(context.language)} {row.code}",
                minutes=minutes,
            ),
            visibility=Visibility.ONLY_TO_YOU,
        )
    try:
        linked = await redeem_code(context.session, code, channel, context.now(), person.name)
    except LinkRefused as refusal:
        raise CommandError(refusal.key) from None
    other = linked.other
    context.audit(
        "room.link",
        "room_link",
        linked.link.id,
        after={
            "channels": [
                f"{channel.platform}:{channel.channel_id}",
                f"{other.platform}:{other.channel_id}",
            ]
        },
    )
    context.post_to(
        other,
        Reply(
            text=t(
                "rooms.linked",
                name=channel.name or channel.channel_id,
                platform=platform_name(t, channel.platform),
            )
        ),
    )
    return Reply(
        text=t(
            "rooms.linked",
            name=other.name or other.channel_id,
            platform=platform_name(t, other.platform),
        )
    )


def platform_name(t: Translator, platform: str) -> str:
    """`Slack`, `Teams`, `terminalen`: never the internal name (`console`) in an answer."""
    key = f"people.platform.{platform}"
    named = t(key)
    return platform if named == key else named


COMMAND = Command(
    key="link_room",
    names_sv=("koppla rum",),
    names_en=("link room",),
    handler=run,
    params=(Param("code", required=False),),
    access=Access.ADMIN,
)
