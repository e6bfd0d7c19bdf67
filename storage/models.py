"""The data model. Times are stored in UTC; every table comes through an Alembic migration."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy import false as sa_false
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on SQLite (which drops the zone) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[str]: JSON}


class Organization(Base):
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(80))
    # `the police`, `the municipality`: English answers say it in English (migration 0012).
    short_name_en: Mapped[str | None] = mapped_column(String(80))
    sender_name: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)


class Agreement(Base):
    __tablename__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    parties: Mapped[list[str]] = mapped_column(JSON)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    follow_up_month: Mapped[int] = mapped_column(Integer)
    revision_status: Mapped[str] = mapped_column(String(40), default="gällande")
    # Joint drafts under this agreement: may a signing author approve for their own party, and
    # which channels a new draft targets by default.
    author_may_approve: Mapped[bool] = mapped_column(Boolean, default=True)
    draft_targets: Mapped[list[str]] = mapped_column(JSON, default=list)
    # An extension agreed by both parties moves the end without rewriting the agreed period.
    extended_to: Mapped[date | None] = mapped_column(Date)
    # `seed` (from the agreement file) or `chat` (a successor registered with `förnyelse ny`):
    # only seeded agreements are pruned by `samverkan seed --prune`.
    source: Mapped[str] = mapped_column(String(20), default="seed", server_default="seed")
    # The agreement's own text (the file the agreement file points to) and its quotable parts,
    # resolved by the seed: {part: [{"heading": …, "paragraphs": [...]}]}.
    text_source: Mapped[str | None] = mapped_column(String(300))
    text_parts: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    cycle_events: Mapped[list[CycleEvent]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="CycleEvent.month"
    )

    @property
    def ends_on(self) -> date:
        """The last day in force: the agreed end, or the end of an extension."""
        return self.extended_to or self.valid_to


class CycleEvent(Base):
    """A named recurring date of the yearly cycle (safety survey, citizen promises, …)."""

    __tablename__ = "cycle_event"
    __table_args__ = (UniqueConstraint("agreement_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(60))
    name_sv: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    month: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer, default=1)
    responsible_role: Mapped[str | None] = mapped_column(String(60))
    # `agreement`: a point the agreement itself makes (its words for when in `when_sv/en`, its
    # sentence in `quote`); `local`: the organisations' own plan. The date is always the plan's.
    source: Mapped[str] = mapped_column(String(20), default="local", server_default="local")
    when_sv: Mapped[str | None] = mapped_column(String(200))
    when_en: Mapped[str | None] = mapped_column(String(200))
    quote: Mapped[str | None] = mapped_column(Text)
    # Owners of open commitments are asked for their status before this point:
    # `this_year` (a tertial report) or `last_year` (the yearly follow-up in January).
    status_request: Mapped[str | None] = mapped_column(String(20))

    agreement: Mapped[Agreement] = relationship(back_populates="cycle_events")


class Forum(Base):
    """A cooperation forum, or a named group of one (`parent_id` set), e.g. Spindelgrupp Broby."""

    __tablename__ = "forum"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_sv: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    expected_orgs: Mapped[list[str]] = mapped_column(JSON, default=list)
    no_personal_text: Mapped[bool] = mapped_column(Boolean, default=False)
    meetings_need_to_know: Mapped[bool] = mapped_column(Boolean, default=False)
    contacts_need_to_know: Mapped[bool] = mapped_column(Boolean, default=False)
    cadence: Mapped[str | None] = mapped_column(String(200))
    cadence_en: Mapped[str | None] = mapped_column(String(200))
    # The organisations' own description of the scope, and whether this is demo data (a
    # guessed Spindel district): both shown as such, never as what the agreement says.
    scope_sv: Mapped[str] = mapped_column(Text, default="", server_default="")
    scope_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[Forum | None] = relationship(remote_side="Forum.id", back_populates="groups")
    groups: Mapped[list[Forum]] = relationship(back_populates="parent", order_by="Forum.sort_order")


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str | None] = mapped_column(String(5))
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(20), default="chat")  # seed | chat | import
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    organization: Mapped[Organization] = relationship(lazy="joined")
    memberships: Mapped[list[ForumMember]] = relationship(back_populates="person")

    def has_role(self, role: str) -> bool:
        return role in (self.roles or [])

    @property
    def is_admin(self) -> bool:
        return self.has_role("admin")


class Identity(Base):
    """A platform account linked to a Person (Slack user in a workspace, Teams user in a tenant)."""

    __tablename__ = "identity"
    __table_args__ = (UniqueConstraint("platform", "workspace", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    platform: Mapped[str] = mapped_column(String(20))
    workspace: Mapped[str] = mapped_column(String(100), default="")
    user_id: Mapped[str] = mapped_column(String(200))
    linked_by: Mapped[str] = mapped_column(String(20), default="email")  # email | admin
    # The platform's reference to the person's 1:1 chat with the bot, once known.
    direct_conversation: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ForumMember(Base):
    __tablename__ = "forum_member"
    __table_args__ = (UniqueConstraint("forum_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))  # representative | deputy | chair | secretary
    source: Mapped[str] = mapped_column(String(20), default="chat")

    forum: Mapped[Forum] = relationship(lazy="joined")
    person: Mapped[Person] = relationship(back_populates="memberships")


class Channel(Base):
    """A conversation the bot is in; later issues store the platform's conversation reference."""

    __tablename__ = "channel"
    __table_args__ = (UniqueConstraint("platform", "workspace", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    workspace: Mapped[str] = mapped_column(String(100), default="")
    channel_id: Mapped[str] = mapped_column(String(300))
    name: Mapped[str | None] = mapped_column(String(200))
    conversation_ref: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    bindings: Mapped[list[ChannelBinding]] = relationship(
        back_populates="channel", cascade="all, delete-orphan", lazy="selectin"
    )


class ChannelBinding(Base):
    """What a channel is for: a forum's channel, joint communications or the weekly digest."""

    __tablename__ = "channel_binding"
    __table_args__ = (UniqueConstraint("channel_id", "purpose", "forum_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(20))  # forum | joint | digest
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"))

    channel: Mapped[Channel] = relationship(back_populates="bindings")
    forum: Mapped[Forum | None] = relationship(lazy="joined")


class AuditEvent(Base):
    """Append-only record of every change: who, when, from where, what before and after."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    actor: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(300))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class DirectoryVersion(Base):
    """One row whose number grows with every change to organisations, forums, people or
    memberships (database triggers, migration 0007), so every replica can tell in one cheap
    query whether its in-memory copy of the directory is still current."""

    __tablename__ = "directory_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class ProcessedEvent(Base):
    """Platform event ids already handled, so a retry or re-delivery has no second effect."""

    __tablename__ = "processed_event"
    __table_args__ = (UniqueConstraint("platform", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    event_id: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


# --- Slack installations (several workspaces via OAuth) -----------------------------------
# slack_sdk's async SQLAlchemy installation and OAuth state stores read and write these tables.
# They are declared here and created by migration 0002_slack, never at run time; the columns
# mirror slack_sdk's own `build_*_table` definitions (a test checks that they still agree).
# Times here are naive UTC, as slack_sdk writes them.


def _slack_team_columns() -> list[Column[Any]]:
    return [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("client_id", String(32), nullable=False),
        Column("app_id", String(32), nullable=False),
        Column("enterprise_id", String(32)),
        Column("enterprise_name", String(200)),
    ]


slack_installations = Table(
    "slack_installations",
    Base.metadata,
    *_slack_team_columns(),
    Column("enterprise_url", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False),
    Index(
        "slack_installations_idx",
        "client_id",
        "enterprise_id",
        "team_id",
        "user_id",
        "installed_at",
    ),
)

slack_bots = Table(
    "slack_bots",
    Base.metadata,
    *_slack_team_columns(),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("installed_at", DateTime, nullable=False),
    Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

slack_oauth_states = Table(
    "slack_oauth_states",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)
# --- Joint communications (issue 6): drafts, versions, decisions, posted cards, linked rooms ---


class Draft(Base):
    """A joint message on its way to being approved by every party of the agreement.

    `revision` goes up with every change of state; it serialises decisions (each one starts by
    bumping it, which takes the row lock) and orders card updates, so a late update never
    overwrites a newer card.
    """

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    parties: Mapped[list[str]] = mapped_column(JSON)
    # `message` (a joint message), `promises` (a year's citizen promises) or `renewal` (Brå's
    # proposal for the next agreement): the same approval, different consequences.
    kind: Mapped[str] = mapped_column(String(20), default="message", server_default="message")
    state: Mapped[str] = mapped_column(String(20), index=True)
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A press conference (`kind` = press_conference): when and where it is held (migration 0011).
    event_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    event_place: Mapped[str | None] = mapped_column(String(200))

    author: Mapped[Person] = relationship(lazy="joined")
    versions: Mapped[list[DraftVersion]] = relationship(
        order_by="DraftVersion.number", lazy="selectin", viewonly=True
    )
    decisions: Mapped[list[Approval]] = relationship(
        order_by="Approval.id", lazy="selectin", viewonly=True
    )
    # Where and when the approved message went out (storage/models_publications.py).
    publications: Mapped[list[Publication]] = relationship(
        order_by="Publication.id", lazy="selectin", viewonly=True
    )


class DraftVersion(Base):
    """One version of a draft's content; append-only, with a hash for the public record."""

    __tablename__ = "draft_version"
    __table_args__ = (UniqueConstraint("draft_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(150), default="")
    text: Mapped[str] = mapped_column(Text)
    targets: Mapped[list[str]] = mapped_column(JSON)
    planned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    content_hash: Mapped[str] = mapped_column(String(64))
    # Why this version waits for its author's confirmation before anyone sees it.
    hold: Mapped[str | None] = mapped_column(String(20))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    platform: Mapped[str] = mapped_column(String(20))

    created_by: Mapped[Person] = relationship(lazy="joined")


class Approval(Base):
    """A decision on one version: approve, request changes, withdraw, or send despite a hold.

    Append-only. At most one approval per organisation per version (a partial unique index),
    so a replay or a race can never count twice.
    """

    __tablename__ = "approval"
    __table_args__ = (
        Index(
            "uq_approval_one_per_org_version",
            "version_id",
            "organization_id",
            unique=True,
            postgresql_where=text("decision = 'approve'"),
            sqlite_where=text("decision = 'approve'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_version.id"))
    version: Mapped[int] = mapped_column(Integer)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    decision: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    platform: Mapped[str] = mapped_column(String(20))

    person: Mapped[Person] = relationship(lazy="joined")
    organization: Mapped[Organization] = relationship(lazy="joined")


class PostedMessage(Base):
    """Where a card was posted (`card` like `draft:7`), so every copy can be updated later."""

    __tablename__ = "posted_message"
    __table_args__ = (UniqueConstraint("card", "channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    card: Mapped[str] = mapped_column(String(60), index=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(300))
    revision: Mapped[int] = mapped_column(Integer, default=0)
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    channel: Mapped[Channel] = relationship(lazy="joined")


class RoomLink(Base):
    """Two channels on different platforms that are one room (stored lower channel id first)."""

    __tablename__ = "room_link"
    __table_args__ = (UniqueConstraint("channel_id", "other_channel_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    other_channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime())
    linked_by: Mapped[str] = mapped_column(String(200))


class RoomLinkCode(Base):
    """A short one-time code that links the channel it was asked in with another one."""

    __tablename__ = "room_link_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channel.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MeetingSeries(Base):
    """A forum's rhythm (an RFC 5545 RRULE in local time); its meetings are stored one by one."""

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    rrule: Mapped[str] = mapped_column(String(300))
    # The first occurrence as local wall-clock time, since the rule repeats in local time.
    local_start: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    place: Mapped[str | None] = mapped_column(String(200))
    created_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Meeting(Base):
    """One meeting of a forum or of one of its groups (the Forum row with `parent_id`)."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="SET NULL"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    place: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="scheduled")  # scheduled | cancelled
    # Set when the occurrence was moved away from its series rhythm.
    moved_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recorded_afterwards: Mapped[bool] = mapped_column(Boolean, default=False)
    # `bot` (scheduled or recorded in chat) or `import` (from past minutes, migration 0011).
    source: Mapped[str] = mapped_column(String(20), default="bot", server_default="bot")
    # Bumped on every change the card shows, so out-of-order card updates never go backwards.
    card_revision: Mapped[int] = mapped_column(Integer, default=0)
    created_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    forum: Mapped[Forum] = relationship(lazy="joined")


class Rsvp(Base):
    """A person's answer to "Jag kommer" / "Kan inte": decides reminders, never representation."""

    __tablename__ = "rsvp"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    coming: Mapped[bool] = mapped_column(Boolean)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Attendance(Base):
    """Who was present: staff, organisation and role only; never notes about individuals."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    # The organisation at the time of the meeting, so a later move does not rewrite history.
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"), index=True)
    role: Mapped[str | None] = mapped_column(String(20))
    registered_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # `bot` (registered in chat) or `import` (from past minutes), so the report can say which.
    source: Mapped[str] = mapped_column(String(20), default="bot", server_default="bot")

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")


class Job(Base):
    """A scheduled send (reminder, digest, nudge) that survives restarts and runs once.

    `target_kind` is `channel` (a Channel id) or `person` (a Person id, sent directly).
    `claimed_until` is the end of a dispatcher's lease, or after a failure the earliest retry.
    """

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_status_due", "status", "due"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    due: Mapped[datetime] = mapped_column(UTCDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    target_kind: Mapped[str] = mapped_column(String(10))  # channel | person
    target_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    late: Mapped[bool] = mapped_column(Boolean, default=False)


class ActionItem(Base):
    """A follow-up item (`A3`): what, who owns it, by when, and who assigned it."""

    __tablename__ = "action_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forum.id", ondelete="SET NULL"))
    # The meeting it was agreed at (`… möte M12`), if any: a plain number without a foreign key,
    # as migration 0005 made it; `åtgärd` checks that the meeting exists when it is given.
    meeting_id: Mapped[int | None] = mapped_column(Integer)
    due: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | done
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))

    owner: Mapped[Person] = relationship(foreign_keys=[owner_id], lazy="joined")
    forum: Mapped[Forum | None] = relationship(lazy="joined")


# The agreement's own cycle (citizen promises, basis, cycle checks, renewal) lives in its own
# module to keep this one readable; imported here so `Base.metadata` always holds its tables.
# A plain import, so importing that module first works too.
import storage.models_lifecycle  # noqa: E402
import storage.models_privacy  # noqa: E402
import storage.models_report  # noqa: E402, F401
from storage.models_publications import Publication  # noqa: E402
