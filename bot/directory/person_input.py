"""Validating a person's details, shared by the `person` chat command and its form."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.i18n import Translator
from bot.common.phone import normalise_phone
from bot.common.privacy import looks_like_personnummer
from bot.common.text import fold
from bot.directory.people import find_organisation
from bot.directory.secret_names import load_secret_names
from storage.models import Person

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{4,24}$")
PERSON_ROLES = {
    "medlem": "member",
    "member": "member",
    "godkannare": "signer",
    "signer": "signer",
    "administrator": "admin",
    "admin": "admin",
    "bra-samordnare": "bra_coordinator",
    "bra_coordinator": "bra_coordinator",
    "kommunpolis": "kommunpolis",
}
PERSON_FIELDS = ("name", "title", "organisation", "email", "phone", "roles")


@dataclass
class PersonInput:
    values: dict[str, object]
    errors: dict[str, str]


async def validate_person(
    session: AsyncSession,
    t: Translator,
    raw: dict[str, str],
    *,
    existing: Person | None = None,
) -> PersonInput:
    """Check and normalise the given fields; only the fields present are validated."""
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    if "name" in raw or existing is None:
        name = raw.get("name", "").strip()
        if not name:
            errors["name"] = t("person.field.name_missing")
        values["name"] = name
    if "organisation" in raw or existing is None:
        org = (
            await find_organisation(session, raw.get("organisation", ""))
            if raw.get("organisation")
            else None
        )
        if org is None:
            errors["organisation"] = t("person.field.organisation_unknown")
        else:
            values["organization_id"] = org.id
    if raw.get("title") is not None and "title" in raw:
        values["title"] = raw["title"].strip()
        if looks_like_personnummer(raw["title"]):
            # A title is public in the directory: never the place for an identity number.
            errors["title"] = t("personal_text.title_refused")
        else:
            # Everyone sees a title: it must not tell who belongs to a need-to-know forum.
            secret = (await load_secret_names(session)).named_in(raw["title"])
            if secret is not None:
                errors["title"] = t("audience.title_names_forum", forum=secret)
    if raw.get("email"):
        email = raw["email"].strip().lower()
        if not EMAIL.match(email):
            errors["email"] = t("person.field.email_invalid")
        else:
            taken = await session.scalar(select(Person).where(func.lower(Person.email) == email))
            if taken is not None and taken is not existing:
                errors["email"] = t("person.field.email_taken", name=taken.name)
            values["email"] = email
    if raw.get("phone"):
        phone = normalise_phone(raw["phone"]) if PHONE.match(raw["phone"].strip()) else None
        if phone is None:
            errors["phone"] = t("person.field.phone_invalid")
        values["phone"] = phone or raw["phone"].strip()
    if raw.get("roles"):
        roles = []
        for word in re.split(r"[,\s]+", raw["roles"].strip()):
            role = PERSON_ROLES.get(fold(word))
            if word and role is None:
                errors["roles"] = t("person.field.role_unknown", role=word[:40])
            elif role and role not in roles:
                roles.append(role)
        values["roles"] = roles
    elif existing is None:
        values["roles"] = ["member"]
    return PersonInput(values, errors)
