"""`person ny|ändra|ta bort …` / `person add|edit|remove …` (admins): keep the staff directory.

`person ny` alone (or the form's button) opens a form; the form's submission comes back as the
`person.add` action and is validated field by field, so a platform can show each error next to
its field. Removing a person deactivates them: the audit log keeps who they were; the answer
offers to erase their personal data as well (the `person.erase` button, admins only: see
`bot.personal_data.erasure`), keeping the decision trail with the name only.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.common.i18n import Translator
from bot.common.labelled import parse_labelled
from bot.common.text import fold
from bot.common.untrusted import row_id
from bot.core.context import CommandError, Context, FieldErrors
from bot.core.registry import Access, ButtonRoute, Command, Param
from bot.core.reply import Button, ButtonStyle, Form, FormField, Reply, Visibility
from bot.directory.names import PERSON_ADD_ROUTE, PERSON_FORM_ROUTE
from bot.directory.people import AUDITED, find_one_person
from bot.directory.person_input import PERSON_FIELDS, validate_person
from bot.personal_data.erasure import erase
from bot.personal_data.names import PERSON_ERASE_ROUTE
from storage.audit import snapshot
from storage.models import Organization, Person

_ADD = ("ny", "lagg till", "add", "new")
_EDIT = ("andra", "edit", "change")
_REMOVE = ("ta bort", "remove", "delete")


def _subcommand(text: str) -> tuple[str, str]:
    folded = fold(text)
    for kind, words in (("add", _ADD), ("edit", _EDIT), ("remove", _REMOVE)):
        for word in words:
            if folded == word or folded.startswith(word + " "):
                return kind, text.strip()[len(word) :].strip()
    return "", text


async def person_form(context: Context, _payload: dict[str, object] | None = None) -> Reply:
    t = context.t
    orgs = (await context.session.scalars(select(Organization).order_by(Organization.id))).all()
    return Reply(
        form=Form(
            title=t("person.form.title"),
            submit_label=t("person.form.submit"),
            route=PERSON_ADD_ROUTE,
            fields=[
                FormField(
                    "name",
                    t("person.form.name"),
                    hint=t("person.form.name_hint"),
                    error=t("person.form.name_missing"),
                ),
                FormField(
                    "organisation",
                    t("person.form.organisation"),
                    kind="choice",
                    options=[(o.key, o.name) for o in orgs],
                    hint=t("person.form.organisation_hint"),
                    error=t("person.form.organisation_missing"),
                ),
                FormField(
                    "title",
                    t("person.form.title_field"),
                    required=False,
                    hint=t("person.form.title_hint"),
                ),
                FormField(
                    "email",
                    t("person.form.email"),
                    required=False,
                    hint=t("person.form.email_hint"),
                ),
                FormField(
                    "phone",
                    t("person.form.phone"),
                    required=False,
                    hint=t("person.form.phone_hint"),
                ),
            ],
        ),
        text=t("person.form.intro"),
        visibility=Visibility.ONLY_TO_YOU,
    )


async def add_person(context: Context, raw: dict[str, str], *, from_form: bool) -> Reply:
    checked = await validate_person(context.session, context.t, raw)
    if checked.errors:
        if from_form:
            raise FieldErrors(checked.errors)
        raise CommandError("person.invalid", problems=" ".join(checked.errors.values()))
    person = Person(source="chat", active=True, **checked.values)
    context.session.add(person)
    await context.session.flush()
    context.audit("person.create", "person", person.id, None, snapshot(person, *AUDITED))
    return Reply(
        text=context.t("person.created", name=person.name),
        buttons=[
            Button(context.t("person.form.another"), PERSON_FORM_ROUTE, style=ButtonStyle.PRIMARY)
        ],
        visibility=Visibility.ONLY_TO_YOU,
    )


async def run(context: Context, args: dict[str, str]) -> Reply:
    kind, rest = _subcommand(args.get("what", ""))
    if not rest and kind in ("", "add"):
        return await person_form(context)
    if not kind:
        raise CommandError("person.which_subcommand")
    name, values = parse_labelled(rest)
    if kind == "add":
        return await add_person(context, {"name": name, **values}, from_form=False)
    person = await find_one_person(context.session, name)
    before = snapshot(person, *AUDITED)
    if kind == "remove":
        person.active = False
        context.audit("person.deactivate", "person", person.id, before, snapshot(person, *AUDITED))
        return Reply(
            text=context.t("person.removed", name=person.name),
            context=context.t("erasure.offer"),
            buttons=[erase_button(context.t, person)],
            visibility=Visibility.ONLY_TO_YOU,
        )
    if not values:
        raise CommandError("person.nothing_to_change")
    checked = await validate_person(context.session, context.t, values, existing=person)
    if checked.errors:
        raise CommandError("person.invalid", problems=" ".join(checked.errors.values()))
    for field, value in checked.values.items():
        setattr(person, field, value)
    after = snapshot(person, *AUDITED)
    if after != before:
        context.audit("person.update", "person", person.id, before, after)
    return Reply(
        text=context.t("person.updated", name=person.name), visibility=Visibility.ONLY_TO_YOU
    )


def erase_button(t: Translator, person: Person) -> Button:
    return Button(
        t("erasure.button"),
        PERSON_ERASE_ROUTE,
        {"person": person.id},
        ButtonStyle.DANGER,
        t("erasure.named.button", name=person.name),
    )


async def erase_person(context: Context, payload: dict[str, object]) -> Reply:
    t = context.t
    person = await context.session.get(Person, row_id(payload["person"]))
    if person is None:
        raise CommandError("error.unknown_action")
    if person.id == context.require_person().id:
        raise CommandError("erasure.not_yourself")
    done = await erase(
        context.session, person, context.actor(), context.now(), t("erasure.chat_decision")
    )
    return Reply(
        text=t(
            "erasure.done",
            name=person.name,
            identities=done.identities,
            memberships=done.memberships,
            rsvps=done.rsvps,
            messages=done.messages,
            audit=done.audit_fields,
        ),
        context=t("erasure.kept"),
        visibility=Visibility.ONLY_TO_YOU,
        replace_original=True,
    )


async def submit_form(context: Context, payload: dict[str, Any]) -> Reply:
    raw = {name: str(payload.get(name) or "") for name in PERSON_FIELDS if name in payload}
    raw.setdefault("name", "")
    raw.setdefault("organisation", "")
    return await add_person(context, raw, from_form=True)


COMMAND = Command(
    key="person",
    names_sv=("person",),
    names_en=("person",),
    handler=run,
    params=(Param("what", required=False, greedy=True),),
    access=Access.ADMIN,
)
ROUTES = [
    ButtonRoute(PERSON_FORM_ROUTE, person_form, access=Access.ADMIN),
    ButtonRoute(PERSON_ADD_ROUTE, submit_form, access=Access.ADMIN),
    ButtonRoute(PERSON_ERASE_ROUTE, erase_person, access=Access.ADMIN),
]
