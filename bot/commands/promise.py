"""`löfte ny …` · `löfte L7` · `löfte L7 status …` · `löfte L7 utfall …` · `löfte L7 ändra …`
(`promise add|L7 …`): one commitment of the citizen promises.

Adding and editing: the community police officer, the Brå coordinator and admins; status and
outcome: also the commitment's owner. The buttons (ROUTES) are the ones on `löfte L7` and on the
status request each owner gets before a tertial report.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.agreement.in_force import load_agreement
from bot.common.ids import IdKind, parse_typed_id
from bot.common.text import fold, split_first
from bot.core.context import CommandError, Context, FieldErrors
from bot.core.registry import ButtonRoute, Command, Param
from bot.core.reply import Form, FormField, Reply, Visibility
from bot.promises import commitments, grammar
from bot.promises.commitments import New, commitment_ref
from bot.promises.documents import area_named, document_for, require_editor
from bot.promises.names import OUTCOME_ROUTE, STATUS_ROUTE
from bot.promises.render import line, show
from bot.promises.scope import agreement_for_year, local_today, preparing_year
from bot.promises.words import STATUSES, status_from
from storage.models import Agreement, Organization
from storage.models_lifecycle import Commitment

_ADD = ("ny", "nytt", "add", "new")
_STATUS = ("status",)
_OUTCOME = ("utfall", "outcome", "resultat")
_EDIT = ("ändra", "andra", "edit")


async def _orgs(context: Context) -> dict[str, Organization]:
    return {o.key: o for o in (await context.session.scalars(select(Organization))).all()}


def _private(text: str, context_line: str | None = None) -> Reply:
    return Reply(text=text, context=context_line, visibility=Visibility.ONLY_TO_YOU)


async def run(context: Context, args: dict[str, str]) -> Reply:
    head, rest = split_first(args.get("what", ""))
    if fold(head) in _ADD:
        return await _add(context, rest)
    typed = parse_typed_id(head, IdKind.COMMITMENT)
    if typed is None:
        raise CommandError("promises.error.usage")
    item = await commitments.require(context, typed.number)
    verb, value = split_first(rest)
    if not verb:
        return await _show(context, item)
    if fold(verb) in _STATUS:
        found = status_from(value)
        if found is None:
            raise CommandError("promises.error.bad_status")
        status, comment = found
        await commitments.set_status(context, item, status, comment)
        return await _changed(context, item)
    if fold(verb) in _OUTCOME:
        amount, relative, comment = grammar.number(value)
        await commitments.set_outcome(context, item, amount, relative, comment)
        return await _changed(context, item)
    if fold(verb) in _EDIT:
        return await _edit(context, item, value)
    raise CommandError("promises.error.usage")


async def _add(context: Context, raw: str) -> Reply:
    require_editor(context)
    parts = grammar.split_new(raw)
    values = parts.values
    today = local_today(context.now(), context.settings.tz)
    year = grammar.year(values["year"]) if "year" in values else preparing_year(today)
    agreement: Agreement = await agreement_for_year(context.session, year)
    party = await grammar.party(context, agreement, values.get("party", ""))
    owner = await grammar.owner(context, values["owner"]) if values.get("owner") else None
    count, unit = grammar.target(values["target"]) if values.get("target") else (None, None)
    due = grammar.day(context, values["due"]) if values.get("due") else None
    document = await document_for(context, year)
    area = await area_named(context, document, values["area"]) if values.get("area") else None
    item = await commitments.add(
        context, document, New(parts.text, party, area, owner, count, unit, due)
    )
    fresh = await commitments.require(context, item.id)
    return _private(
        context.t("promises.added", year=year, line=line(context.t, fresh, await _orgs(context))),
        context.t("privacy.no_personal_data"),
    )


async def _edit(context: Context, item: Commitment, raw: str) -> Reply:
    values = grammar.keyword_values(raw)
    agreement = await load_agreement(context.session, item.agreement_id)
    assert agreement is not None
    changes: dict[str, object] = {}
    if values.get("text"):
        changes["text"] = values["text"]
    if values.get("party"):
        changes["party"] = await grammar.party(context, agreement, values["party"])
    if values.get("owner"):
        changes["owner_id"] = (await grammar.owner(context, values["owner"])).id
    if values.get("target"):
        changes["target_count"], changes["target_unit"] = grammar.target(values["target"])
    if values.get("due"):
        changes["due"] = grammar.day(context, values["due"])
    if values.get("area"):
        changes["focus_area_id"] = (await area_named(context, item.document, values["area"])).id
    await commitments.edit(context, item, changes)
    return await _changed(context, item)


async def _changed(context: Context, item: Commitment) -> Reply:
    fresh = await commitments.require(context, item.id)
    return _private(
        context.t("promises.changed", line=line(context.t, fresh, await _orgs(context))),
    )


async def _show(context: Context, item: Commitment) -> Reply:
    agreement = await load_agreement(context.session, item.agreement_id)
    assert agreement is not None
    today = local_today(context.now(), context.settings.tz)
    late = commitments.overdue(item, agreement, today, context.settings.tz)
    person = context.require_person()
    return show(
        context.t,
        item,
        await _orgs(context),
        await commitments.history(context.session, item),
        late=late,
        with_buttons=commitments.may_update(person, item),
    )


# --- buttons ------------------------------------------------------------------------------


def _number(payload: dict[str, object]) -> int:
    try:
        return int(str(payload["commitment"]))
    except (KeyError, ValueError):
        raise CommandError("error.unknown_action") from None


async def press_status(context: Context, payload: dict[str, object]) -> Reply:
    item = await commitments.require(context, _number(payload))
    status = str(payload.get("status", ""))
    if status not in STATUSES:
        raise CommandError("error.unknown_action")
    comment = payload.get("comment")
    await commitments.set_status(context, item, status, str(comment) if comment else None)
    return await _changed(context, item)


async def press_outcome(context: Context, payload: dict[str, object]) -> Reply:
    item = await commitments.require(context, _number(payload))
    t = context.t
    if payload.get("outcome") in (None, ""):
        if "outcome" in payload:
            raise FieldErrors({"outcome": t("promises.error.bad_outcome")})
        if not commitments.may_update(context.require_person(), item):
            raise CommandError("promises.error.not_allowed", id=commitment_ref(item))
        form = Form(
            title=t("promises.form.title", id=commitment_ref(item)),
            submit_label=t("promises.form.submit"),
            route=OUTCOME_ROUTE,
            fields=[
                FormField("outcome", t("promises.form.outcome"), initial=str(item.outcome)),
                FormField("comment", t("promises.form.comment"), kind="multiline", required=False),
            ],
            payload={"commitment": item.id},
        )
        return Reply(form=form, visibility=Visibility.ONLY_TO_YOU)
    try:
        amount, relative, _ = grammar.number(str(payload["outcome"]))
    except CommandError:
        raise FieldErrors({"outcome": t("promises.error.bad_outcome")}) from None
    comment = payload.get("comment")
    await commitments.set_outcome(
        context, item, amount, relative, str(comment) if comment else None
    )
    return await _changed(context, item)


COMMAND = Command(
    key="promise",
    names_sv=("löfte", "åtagande"),
    names_en=("promise", "commitment"),
    handler=run,
    params=(Param("what", greedy=True),),
)
ROUTES = [ButtonRoute(STATUS_ROUTE, press_status), ButtonRoute(OUTCOME_ROUTE, press_outcome)]
