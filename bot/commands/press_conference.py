"""`pressträff <ämne> <när> [plats: …]` / `press conference <topic> <when> [place: …]`.

Drafts the invitation to a joint press conference and posts its card to the joint channel,
where an approver of each party approves it like any joint message (`bot.drafts.service`); the
card shows its time and place, and the follow-up report lists it.
"""

from __future__ import annotations

from bot.core.context import Context
from bot.core.registry import Command, Param
from bot.core.reply import Reply, Visibility
from bot.drafts.card import edit_button, send_anyway_button, withdraw_button
from bot.drafts.press import create_press_conference, invitation, parse_request
from bot.drafts.publish import channel_names, channel_translator, publish
from bot.drafts.service import HELD, draft_ref


async def run(context: Context, args: dict[str, str]) -> Reply:
    t = context.t
    request = parse_request(args.get("what", ""), context.now(), context.settings.tz)
    text = invitation(channel_translator(context), request)
    draft = await create_press_conference(context, request, text)
    ref = draft_ref(draft)
    if draft.state == HELD:
        return Reply(
            text=t("drafts.hold.warning", id=ref),
            buttons=[
                send_anyway_button(t, draft),
                edit_button(t, draft),
                withdraw_button(t, draft),
            ],
            visibility=Visibility.ONLY_TO_YOU,
        )
    channels = await publish(context, draft)
    return Reply(
        text=t(
            "press.created",
            id=ref,
            topic=request.topic,
            when=t.datetime(request.starts_at),
            channels=channel_names(channels),
        ),
        visibility=Visibility.ONLY_TO_YOU,
    )


COMMAND = Command(
    key="press_conference",
    names_sv=("pressträff", "presstraff", "presskonferens"),
    names_en=("press conference", "press-conference", "pressconference"),
    handler=run,
    params=(Param("what", greedy=True),),
)
