"""The agreement's own cycle: basis documents, citizen promises and their commitments, ticked-off
cycle points and the renewal. Every table is scoped to an agreement (`agreement_id`), so a
successor agreement, and later other agreements of the same police area, can live beside it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models import Base, Draft, Person, UTCDateTime


def _agreement_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)


class BasisDocument(Base):
    """A situation picture (*lägesbild*) or safety survey (*trygghetsmätning*): a dated link to
    where the document is kept and a short summary of findings, never data about individuals."""

    __tablename__ = "basis_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = _agreement_fk()
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # lagesbild | trygghetsmatning
    dated: Mapped[date] = mapped_column(Date)
    link: Mapped[str] = mapped_column(String(1000))
    summary: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PromiseDocument(Base):
    """A year's *medborgarlöfte*: its text, a draft co-approved by both parties, then published."""

    __tablename__ = "promise_document"
    __table_args__ = (UniqueConstraint("agreement_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = _agreement_fk()
    year: Mapped[int] = mapped_column(Integer)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("draft.id", ondelete="SET NULL"))
    published_on: Mapped[date | None] = mapped_column(Date)
    published_url: Mapped[str | None] = mapped_column(String(1000))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    draft: Mapped[Draft | None] = relationship(lazy="selectin")


class FocusArea(Base):
    """A problem chosen from the situation picture; it may name the finding it answers."""

    __tablename__ = "focus_area"
    __table_args__ = (UniqueConstraint("document_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = _agreement_fk()
    document_id: Mapped[int] = mapped_column(
        ForeignKey("promise_document.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    basis_id: Mapped[int | None] = mapped_column(
        ForeignKey("basis_document.id", ondelete="SET NULL")
    )
    finding: Mapped[str | None] = mapped_column(String(500))

    basis: Mapped[BasisDocument | None] = relationship(lazy="joined")


class Commitment(Base):
    """One commitment (`L7`) of a year's promises, made by the police, the municipality or both."""

    __tablename__ = "commitment"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = _agreement_fk()
    document_id: Mapped[int] = mapped_column(
        ForeignKey("promise_document.id", ondelete="CASCADE"), index=True
    )
    focus_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("focus_area.id", ondelete="SET NULL")
    )
    party: Mapped[str] = mapped_column(String(20))  # an organisation key, or `joint`
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    target_count: Mapped[int | None] = mapped_column(Integer)
    target_unit: Mapped[str | None] = mapped_column(String(80))
    outcome: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    due: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The last change of status or outcome: a commitment not updated since a status request
    # went out is overdue once the report's date has passed.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    owner: Mapped[Person | None] = relationship(foreign_keys=[owner_id], lazy="joined")
    focus_area: Mapped[FocusArea | None] = relationship(lazy="joined")
    document: Mapped[PromiseDocument] = relationship(lazy="joined")


class CommitmentEvent(Base):
    """One change of a commitment with who, when and a short comment; append-only history."""

    __tablename__ = "commitment_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = _agreement_fk()
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitment.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    platform: Mapped[str] = mapped_column(String(20))
    change: Mapped[str] = mapped_column(String(20))  # created | status | outcome | edit
    status: Mapped[str | None] = mapped_column(String(20))
    outcome: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)

    person: Mapped[Person | None] = relationship(lazy="joined")


class CycleCheck(Base):
    """A cycle point of one year ticked off: when, by whom, with an optional comment."""

    __tablename__ = "cycle_check"
    __table_args__ = (UniqueConstraint("agreement_id", "point", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = _agreement_fk()
    point: Mapped[str] = mapped_column(String(60))
    year: Mapped[int] = mapped_column(Integer)
    done_on: Mapped[date] = mapped_column(Date)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    done_by: Mapped[Person | None] = relationship(lazy="joined")


class Renewal(Base):
    """The path from this agreement to the next: Brå's proposal, the two decisions, signing,
    the successor, or an extension. One row per agreement being renewed."""

    __tablename__ = "renewal"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreement.id", ondelete="CASCADE"), unique=True
    )
    proposal_draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("draft.id", ondelete="SET NULL")
    )
    proposal_link: Mapped[str | None] = mapped_column(String(1000))
    board_date: Mapped[date | None] = mapped_column(Date)
    board_paragraph: Mapped[str | None] = mapped_column(String(40))
    board_dnr: Mapped[str | None] = mapped_column(String(80))
    police_date: Mapped[date | None] = mapped_column(Date)
    police_dnr: Mapped[str | None] = mapped_column(String(80))
    signed_on: Mapped[date | None] = mapped_column(Date)
    successor_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreement.id", ondelete="SET NULL")
    )
    extension_note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    proposal_draft: Mapped[Draft | None] = relationship(lazy="selectin")
