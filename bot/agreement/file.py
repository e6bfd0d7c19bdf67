"""The human-editable agreement file (TOML): parsed and validated before anything is written.

Validation errors name the file, the key path (or line, for TOML syntax errors) and what is
wrong, so the Brå coordinator can fix the file without reading code.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from bot.agreement.text import as_json, resolve
from bot.directory.secret_names import SecretForumNames
from bot.drafts.checks import DraftTarget

ForumRole = Literal["representative", "deputy", "chair", "secretary"]
PersonRole = str  # member, signer, admin, or a function role such as bra_coordinator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OrganisationSpec(_Strict):
    name: str = Field(min_length=1)
    short_name: str = Field(min_length=1)
    short_name_en: str | None = None  # `the police`: English answers use it
    sender_name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)


class CycleEventSpec(_Strict):
    """A point of the yearly cycle. `month`/`day` are always the local plan's date; a point the
    agreement itself makes (`source = "agreement"`) also gives the agreement's words for when
    and its sentence, word for word (`quote`), which must be in the agreement's text."""

    key: str = Field(min_length=1)
    name_sv: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    month: int = Field(ge=1, le=12)
    day: int = Field(default=1, ge=1, le=31)
    responsible_role: str | None = None
    source: Literal["agreement", "local"] = "local"
    when_sv: str | None = None
    when_en: str | None = None
    quote: str | None = None
    status_request: Literal["this_year", "last_year"] | None = None

    @model_validator(mode="after")
    def _agreement_points_say_when(self) -> CycleEventSpec:
        if self.source == "agreement" and not (self.when_sv and self.when_en and self.quote):
            raise ValueError(
                f"cycle point '{self.key}': a point from the agreement needs when_sv, when_en "
                "and quote"
            )
        return self


class QuoteSpec(_Strict):
    heading: str = Field(min_length=1)
    starts: list[str] = Field(min_length=1)


class PartSpec(_Strict):
    """A quotable part of the agreement's text: headings and the first words of paragraphs."""

    key: Literal[
        "forum",
        "kommunikation",
        "uppfoljning",
        "organisation",
        "budget",
        "beslut",
        "medborgarloften",
    ]
    quotes: list[QuoteSpec] = Field(min_length=1)


def _default_draft_targets() -> list[DraftTarget]:
    return ["facebook", "instagram"]


class AgreementSpec(_Strict):
    key: str = Field(min_length=1)
    title: str = Field(min_length=1)
    parties: list[str] = Field(min_length=2)
    valid_from: date
    valid_to: date
    follow_up_month: int = Field(ge=1, le=12)
    revision_status: str = "gällande"
    cycle: list[CycleEventSpec] = Field(default_factory=list)
    # Joint communications: may a signer approve their own draft for their own organisation,
    # and which target channels a new draft gets unless its author picks others.
    author_may_approve: bool = True
    draft_targets: list[DraftTarget] = Field(default_factory=_default_draft_targets)
    # The agreement's own text, a file beside this one, and the parts of it staff may quote.
    text: str | None = None
    parts: list[PartSpec] = Field(default_factory=list)
    # Filled in by `load_agreement_file` from `text`: the parts as whole paragraphs.
    _resolved: dict[str, list[dict[str, object]]] | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _dates_in_order(self) -> AgreementSpec:
        if self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        if self.parts and not self.text:
            raise ValueError("parts need the agreement's text (text = <file>)")
        return self

    @property
    def resolved_parts(self) -> dict[str, list[dict[str, object]]] | None:
        return self._resolved


class GroupSpec(_Strict):
    key: str = Field(min_length=1, pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1)
    name_en: str | None = None
    aliases: list[str] = Field(default_factory=list)
    # Demo data: a group the organisations have not confirmed (the districts are our guess).
    demo: bool = False


class ForumSpec(_Strict):
    key: str = Field(min_length=1, pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1)
    name_en: str | None = None
    aliases: list[str] = Field(default_factory=list)
    description_sv: str = ""
    description_en: str = ""
    # The organisations' own description of the forum's scope: shown as theirs, never as the
    # agreement's (the agreement only names the forums).
    scope_sv: str = ""
    scope_en: str = ""
    expected: list[str] = Field(default_factory=list)
    no_personal_text: bool = False
    meetings_need_to_know: bool = False
    contacts_need_to_know: bool = False
    # The organisations' own meeting rhythm, shown as their setting.
    cadence: str | None = None
    # Meets in term time (the Spindel groups): a series skips the school holidays by default.
    term_time: bool = False
    cadence_en: str | None = None
    groups: list[GroupSpec] = Field(default_factory=list)


class PersonSpec(_Strict):
    name: str = Field(min_length=1)
    title: str = ""
    organisation: str
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = None
    roles: list[PersonRole] = Field(default_factory=lambda: ["member"])
    demo: bool = False
    forums: dict[str, ForumRole] = Field(default_factory=dict)


SchoolHolidayKind = Literal["höstlov", "jullov", "sportlov", "påsklov", "sommarlov"]


class SchoolHolidaySpec(_Strict):
    """A municipality's school holiday (first and last day): the local plan's data, never the
    agreement's. A series of a forum that meets in term time skips these days."""

    municipality: str = Field(min_length=1)
    kind: SchoolHolidayKind
    start: date
    end: date
    demo: bool = False

    @model_validator(mode="after")
    def _in_order(self) -> SchoolHolidaySpec:
        if self.end < self.start:
            raise ValueError(f"{self.kind} {self.start}: end is before start")
        return self


class AgreementFile(_Strict):
    organisations: dict[str, OrganisationSpec] = Field(min_length=1)
    agreements: list[AgreementSpec] = Field(min_length=1)
    forums: list[ForumSpec] = Field(min_length=1)
    people: list[PersonSpec] = Field(default_factory=list)
    school_holidays: list[SchoolHolidaySpec] = Field(default_factory=list)

    def forum_keys(self) -> set[str]:
        keys = {forum.key for forum in self.forums}
        keys |= {f"{forum.key}.{group.key}" for forum in self.forums for group in forum.groups}
        return keys

    def _secret_names(self) -> SecretForumNames:
        """Every name of the forums whose membership is need-to-know (their groups' too)."""
        return SecretForumNames.of(
            (
                forum.name,
                [
                    forum.key,
                    forum.name,
                    forum.name_en or "",
                    *forum.aliases,
                    *(
                        n
                        for g in forum.groups
                        for n in (g.key, g.name, g.name_en or "", *g.aliases)
                    ),
                ],
            )
            for forum in self.forums
            if forum.contacts_need_to_know
        )

    @model_validator(mode="after")
    def _references_resolve(self) -> AgreementFile:
        problems: list[str] = []
        orgs = set(self.organisations)
        for i, agreement in enumerate(self.agreements):
            for party in agreement.parties:
                if party not in orgs:
                    problems.append(f"agreements[{i}].parties: unknown organisation '{party}'")
        for i, forum in enumerate(self.forums):
            for org in forum.expected:
                if org not in orgs:
                    problems.append(
                        f"forums[{i}] ({forum.key}).expected: unknown organisation '{org}'"
                    )
        for i, holiday in enumerate(self.school_holidays):
            if holiday.municipality not in orgs:
                problems.append(
                    f"school_holidays[{i}].municipality: unknown organisation "
                    f"'{holiday.municipality}'"
                )
        forum_keys = self.forum_keys()
        problems += _duplicates("agreements", [a.key for a in self.agreements])
        problems += _duplicates("forums", [f.key for f in self.forums])
        problems += _duplicates("people (name)", [p.name for p in self.people])
        problems += _duplicates("people (email)", [p.email.lower() for p in self.people if p.email])
        secret = self._secret_names()
        for i, person in enumerate(self.people):
            where = f"people[{i}] ({person.name})"
            named = secret.named_in(person.title)
            if named is not None:
                problems.append(
                    f"{where}.title: names the need-to-know forum '{named}'; everyone sees a "
                    "title, so write it without the forum (membership goes in `forums`) / "
                    f"titeln nämner {named}: skriv titeln utan forumet"
                )
            if person.organisation not in orgs:
                problems.append(
                    f"{where}.organisation: unknown organisation '{person.organisation}'"
                )
            for key in person.forums:
                if key not in forum_keys:
                    problems.append(f"{where}.forums: unknown forum '{key}'")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _duplicates(where: str, values: list[str]) -> list[str]:
    seen: set[str] = set()
    repeated = {v for v in values if v in seen or seen.add(v)}  # type: ignore[func-returns-value]
    return [f"{where}: '{value}' appears more than once" for value in sorted(repeated)]


class AgreementFileError(Exception):
    """The file could not be used; `problems` lists each one as `file: where: what`."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path}: {p}" for p in problems))


def load_agreement_file(path: Path) -> AgreementFile:
    """Parse and validate; raise AgreementFileError naming every problem found."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AgreementFileError(path, ["file not found"]) from None
    except UnicodeDecodeError as error:
        raise AgreementFileError(path, [f"not UTF-8 text ({error.reason})"]) from None
    except tomllib.TOMLDecodeError as error:
        raise AgreementFileError(path, [f"TOML syntax error: {error}"]) from None
    try:
        spec = AgreementFile.model_validate(raw)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"])
            message = str(item["msg"]).removeprefix("Value error, ")
            problems.append(f"{where}: {message}" if where else message)
        raise AgreementFileError(path, problems) from None
    problems = []
    for i, agreement in enumerate(spec.agreements):
        problems += [f"agreements[{i}].{p}" for p in _read_text(agreement, path.parent)]
    if problems:
        raise AgreementFileError(path, problems)
    return spec


def _read_text(agreement: AgreementSpec, folder: Path) -> list[str]:
    """Read the agreement's text, resolve its parts and check every quote; the problems found."""
    if not agreement.text:
        return []
    try:
        text = (folder / agreement.text).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [f"text: cannot read '{agreement.text}' ({error.__class__.__name__})"]
    problems = [
        f"cycle.{event.key}.quote: not word for word in '{agreement.text}'"
        for event in agreement.cycle
        if event.quote and event.quote not in text
    ]
    resolved: dict[str, list[dict[str, object]]] = {}
    for part in agreement.parts:
        try:
            quotes = resolve(text, [(q.heading, q.starts) for q in part.quotes])
        except ValueError as error:
            problems.append(f"parts.{part.key}: {error}")
            continue
        resolved[part.key] = as_json(quotes)
    agreement._resolved = resolved
    return problems
