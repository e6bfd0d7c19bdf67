"""Read-only copies of the directory rows, shared by every request in a process.

Frozen and free of any session, so concurrent requests can read them without locks and no
command can change or re-attach them by accident; `bot.directory.cache` builds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class OrgView:
    id: int
    key: str
    name: str
    short_name: str


@dataclass(frozen=True, slots=True)
class PersonView:
    id: int
    name: str
    title: str
    email: str | None
    phone: str | None
    organization_id: int
    roles: tuple[str, ...]
    language: str | None
    demo: bool

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_admin(self) -> bool:
        return self.has_role("admin")


@dataclass(frozen=True, slots=True)
class ForumView:
    id: int
    key: str
    parent_id: int | None
    name: str
    name_en: str
    aliases: tuple[str, ...]
    expected_orgs: tuple[str, ...]
    no_personal_text: bool
    meetings_need_to_know: bool
    contacts_need_to_know: bool
    groups: tuple[ForumView, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class MemberView:
    forum_id: int
    role: str
    person: PersonView
