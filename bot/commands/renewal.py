"""`förnyelse` / `renewal`: the path to the next agreement, as steps with owner, state and date.

`förnyelse förslag <text|länk>` records Brå's proposal (a text becomes a joint draft that an
approver of each party approves; a link is taken as it is); `förnyelse beslut kommunstyrelsen
<datum> § <nr> dnr <dnr>` and `förnyelse beslut polisen <datum> dnr <dnr>` record the decisions;
`förnyelse undertecknad <datum>`; `förnyelse ny <från> <till>` registers the successor once both
decisions are recorded. The Brå coordinator, the community police officer and admins may.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from bot.agreement import renewal as service
from bot.agreement.cycle import load_renewal
from bot.agreement.cycle_view import responsible
from bot.agreement.days import read_day
from bot.agreement.in_force import agreement_in_force, load_agreements, successor_of
from bot.agreement.renewal import DONE, PENDING, Step
from bot.agreement.status import run_out_note
from bot.agreement.text import from_json
from bot.common.text import fold, split_first
from bot.core.context import CommandError, Context
from bot.core.registry import Command, Param
from bot.core.reply import FieldItem, Reply, Section, Visibility
from bot.drafts import service as drafts
from bot.drafts.content import Content
from bot.drafts.publish import channel_names, publish
from bot.promises.basis import check_link
from bot.promises.scope import local_today
from storage.models import Agreement, Person

_PROPOSAL = ("förslag", "forslag", "proposal")
_DECISION = ("beslut", "decision")
_BOARD = ("kommunstyrelsen", "kommunstyrelse", "ks", "board")
_POLICE = ("polisen", "polis", "police", "lokalpolischefen")
_SIGNED = ("undertecknad", "undertecknat", "signed")
_NEW = ("ny", "new")
_DECISION_PARTS = re.compile(
    r"^(?P<day>\S+)(?:\s+§\s*(?P<paragraph>\S+))?(?:\s+(?:dnr|ref)\s+(?P<dnr>.+))?$",
    re.IGNORECASE,
)


async def _current(context: Context) -> tuple[Agreement, Agreement | None]:
    today = local_today(context.now(), context.settings.tz)
    current, upcoming = await agreement_in_force(context.session, today)
    agreement = current or upcoming
    if agreement is None:
        raise CommandError("agreement.none")
    return agreement, successor_of(await load_agreements(context.session), agreement)


def _day(context: Context, text: str) -> date:
    found = read_day(text, context.now(), context.settings.tz, past=True)
    if found is None:
        raise CommandError("promises.error.bad_date", text=text[:40])
    return found


async def run(context: Context, args: dict[str, str]) -> Reply:
    head, rest = split_first(args.get("what", ""))
    word = fold(head)
    if not head:
        return await _show(context)
    agreement, _successor = await _current(context)
    if word in _PROPOSAL:
        return await _proposal(context, agreement, rest)
    if word in _DECISION:
        body, after = split_first(rest)
        if fold(body) in _BOARD:
            return await _board(context, agreement, after)
        if fold(body) in _POLICE:
            return await _police(context, agreement, after)
        raise CommandError("renewal.error.usage")
    if word in _SIGNED:
        await service.change(context, agreement, signed_on=_day(context, rest))
        return await _show(context, "renewal.saved")
    if word in _NEW:
        first, second = split_first(rest)
        start, end = _day(context, first), _day(context, second.split(" ")[0] if second else "")
        successor = await service.register_successor(context, agreement, start, end)
        await service.carry_over(context, agreement, successor)
        return Reply(
            text=context.t(
                "renewal.registered",
                title=successor.title,
                start=context.t.date(start, weekday=True),
                end=context.t.date(end, weekday=True),
            ),
            visibility=Visibility.ONLY_TO_YOU,
        )
    raise CommandError("renewal.error.usage")


async def _proposal(context: Context, agreement: Agreement, rest: str) -> Reply:
    service.require_renewer(context)
    rest = rest.strip()
    if not rest:
        raise CommandError("renewal.error.usage")
    if re.match(r"^<?https?://\S+>?$", rest):
        await service.change(context, agreement, proposal_link=check_link(rest))
        return await _show(context, "renewal.saved")
    record = await load_renewal(context.session, agreement)
    earlier = record.proposal_draft if record is not None else None
    if earlier is not None and earlier.state in (*drafts.OPEN_STATES, drafts.APPROVED):
        raise CommandError("renewal.error.proposal_exists", id=drafts.draft_ref(earlier))
    title = context.t("renewal.proposal_title", title=agreement.title)
    draft = await drafts.create(context, Content(title, rest, ["other"]), kind="renewal")
    await service.change(context, agreement, proposal_draft_id=draft.id)
    channels = await publish(context, draft) if draft.state != drafts.HELD else []
    return Reply(
        text=context.t(
            "renewal.proposal_drafted", id=drafts.draft_ref(draft), channels=channel_names(channels)
        ),
        visibility=Visibility.ONLY_TO_YOU,
    )


async def _board(context: Context, agreement: Agreement, rest: str) -> Reply:
    match = _DECISION_PARTS.match(rest.strip())
    if match is None or not match.group("paragraph") or not match.group("dnr"):
        raise CommandError("renewal.error.board_usage")
    await service.change(
        context,
        agreement,
        board_date=_day(context, match.group("day")),
        board_paragraph=match.group("paragraph")[:40],
        board_dnr=match.group("dnr").strip()[:80],
    )
    return await _show(context, "renewal.saved")


async def _police(context: Context, agreement: Agreement, rest: str) -> Reply:
    match = _DECISION_PARTS.match(rest.strip())
    if match is None or not match.group("dnr"):
        raise CommandError("renewal.error.police_usage")
    await service.change(
        context,
        agreement,
        police_date=_day(context, match.group("day")),
        police_dnr=match.group("dnr").strip()[:80],
    )
    return await _show(context, "renewal.saved")


def _step_line(context: Context, step: Step, people: list[Person], number: int) -> str:
    t = context.t
    values = dict(step.values or {})
    if step.state == DONE:
        key = "proposal_link" if "link" in values else step.key
        state = t(
            f"renewal.done.{key}",
            date=t.date(step.day) if step.day else "–",
            **values,
        )
    elif step.state == PENDING:
        state = t("renewal.pending", **values)
    else:
        state = t(f"renewal.missing.{step.key}")
    return t(
        "renewal.step",
        number=number,
        name=t(f"renewal.step_name.{step.key}"),
        who=responsible(t, step.roles, people),
        state=state,
    )


async def _show(context: Context, saved: str | None = None) -> Reply:
    t = context.t
    agreement, successor = await _current(context)
    record = await load_renewal(context.session, agreement)
    people = list((await context.session.scalars(select(Person).where(Person.active))).all())
    found = service.steps(record, successor)
    lines = [_step_line(context, step, people, n) for n, step in enumerate(found, start=1)]
    today = local_today(context.now(), context.settings.tz)
    fields = [FieldItem(t("renewal.ends"), t.date(agreement.ends_on))]
    if agreement.extended_to is not None:
        fields.append(
            FieldItem(
                t("renewal.extended"),
                t(
                    "renewal.extended_from",
                    date=t.date(agreement.valid_to),
                    note=(record.extension_note if record else None) or "–",
                ),
            )
        )
    quotes = from_json((agreement.text_parts or {}).get("beslut"))
    said = [p for q in quotes for p in q.paragraphs]
    sections = [Section(t("renewal.path"), lines)]
    if said:
        sections.append(Section(t("renewal.agreement_says"), said))
    note = await run_out_note(context.session, t, agreement, successor, today)
    return Reply(
        heading=t("renewal.heading", title=agreement.title),
        text=t(saved) if saved else "",
        fields=fields,
        sections=sections,
        context=note or t("renewal.footer"),
        visibility=Visibility.ONLY_TO_YOU,
    )


COMMAND = Command(
    key="renewal",
    names_sv=("förnyelse", "förnyelsen"),
    names_en=("renewal",),
    handler=run,
    params=(Param("what", required=False, greedy=True),),
)
