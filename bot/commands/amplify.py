"""`förstärk <länk>` / `amplify <link>`: ask the other party to share one of your party's posts.

The request goes to the joint channel with a button "Jag har delat" / "I shared it"; whoever of
another party presses it is recorded, and the request's card shows who has shared. `förstärk`
alone lists the requests some party has not shared yet. The rules live in `bot.drafts.amplify`.
"""

from __future__ import annotations

from bot.common.text import split_first
from bot.common.untrusted import row_id
from bot.core.context import CommandError, Context
from bot.core.registry import ButtonRoute, Command, Param
from bot.core.reply import Reply, Section, Visibility
from bot.drafts import amplify
from bot.drafts.card import short_time
from bot.drafts.names import AMPLIFY_SHARED_ROUTE
from bot.drafts.publish import channel_names
from bot.drafts.service import policy_for


def _private(text: str) -> Reply:
    return Reply(text=text, visibility=Visibility.ONLY_TO_YOU)


async def run(context: Context, args: dict[str, str]) -> Reply:
    link, rest = split_first(args.get("link", ""))
    if not link:
        return await _listing(context)
    if rest:
        raise CommandError("amplify.error.usage")
    asked = await amplify.ask(context, link)
    ref = amplify.amplify_ref(asked.request)
    if not asked.created:
        return _private(context.t("amplify.already_asked", id=ref))
    return _private(context.t("amplify.asked", id=ref, channels=channel_names(asked.channels)))


async def _listing(context: Context) -> Reply:
    t = context.t
    policy = await policy_for(context)
    found = await amplify.open_requests(context.session, policy.parties)
    lines = []
    for request in found:
        waiting = amplify.waiting_for(request, policy.parties)
        lines.append(
            t(
                "amplify.list.line",
                id=amplify.amplify_ref(request),
                url=request.url,
                org=request.organization.short_name,
                name=request.requested_by.name,
                time=short_time(t, request.requested_at, context.now()),
                waiting=", ".join(org.short_name for org in waiting),
                shared=len(request.shares),
            )
        )
    return Reply(
        heading=t("amplify.list.heading"),
        text=t("amplify.list.intro") if lines else t("amplify.list.empty"),
        sections=[Section(t("amplify.list.open"), lines)] if lines else [],
        visibility=Visibility.ONLY_TO_YOU,
    )


async def shared(context: Context, payload: dict[str, object]) -> Reply:
    try:
        number = row_id(payload["request"])
    except (KeyError, ValueError):
        raise CommandError("error.unknown_action") from None
    request = await amplify.shared(context, number)
    return _private(context.t("amplify.thanks", id=amplify.amplify_ref(request)))


COMMAND = Command(
    key="amplify",
    names_sv=("förstärk", "forstark", "dela"),
    names_en=("amplify", "share"),
    handler=run,
    params=(Param("link", required=False, greedy=True),),
)

ROUTES = [ButtonRoute(AMPLIFY_SHARED_ROUTE, shared)]
