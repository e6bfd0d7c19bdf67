"""The human-editable agreement file (TOML): parsed and validated before anything is written.

Validation errors name the file, the key path (or line, for TOML syntax errors) and what is
wrong, so the Brå coordinator can fix the file without reading code.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.drafts.checks import DraftTarget

ForumRole = Literal["representative", "deputy", "chair", "secretary"]
PersonRole = str  # member, signer, admin, or a function role such as bra_coordinator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OrganisationSpec(_Strict):
    name: str = Field(min_length=1)
    short_name: str = Field(min_length=1)
    sender_name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)


class CycleEventSpec(_Strict):
    key: str = Field(min_length=1)
    name_sv: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    month: int = Field(ge=1, le=12)
    day: int = Field(default=1, ge=1, le=31)
    responsible_role: str | None = None


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

    @model_validator(mode="after")
    def _dates_in_order(self) -> AgreementSpec:
        if self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class GroupSpec(_Strict):
    key: str = Field(min_length=1, pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1)
    name_en: str | None = None
    aliases: list[str] = Field(default_factory=list)


class ForumSpec(_Strict):
    key: str = Field(min_length=1, pattern=r"^[a-z0-9-]+$")
    name: str = Field(min_length=1)
    name_en: str | None = None
    aliases: list[str] = Field(default_factory=list)
    description_sv: str = ""
    description_en: str = ""
    expected: list[str] = Field(default_factory=list)
    no_personal_text: bool = False
    meetings_need_to_know: bool = False
    contacts_need_to_know: bool = False
    cadence: str | None = None
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


class AgreementFile(_Strict):
    organisations: dict[str, OrganisationSpec] = Field(min_length=1)
    agreements: list[AgreementSpec] = Field(min_length=1)
    forums: list[ForumSpec] = Field(min_length=1)
    people: list[PersonSpec] = Field(default_factory=list)

    def forum_keys(self) -> set[str]:
        keys = {forum.key for forum in self.forums}
        keys |= {f"{forum.key}.{group.key}" for forum in self.forums for group in forum.groups}
        return keys

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
        forum_keys = self.forum_keys()
        problems += _duplicates("agreements", [a.key for a in self.agreements])
        problems += _duplicates("forums", [f.key for f in self.forums])
        problems += _duplicates("people (name)", [p.name for p in self.people])
        problems += _duplicates("people (email)", [p.email.lower() for p in self.people if p.email])
        for i, person in enumerate(self.people):
            where = f"people[{i}] ({person.name})"
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
        return AgreementFile.model_validate(raw)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            where = ".".join(str(part) for part in item["loc"])
            message = str(item["msg"]).removeprefix("Value error, ")
            problems.append(f"{where}: {message}" if where else message)
        raise AgreementFileError(path, problems) from None
