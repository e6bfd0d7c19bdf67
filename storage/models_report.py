"""The follow-up report's own record: Brå's conclusion on a year, revise the agreement or not.

Append-only: a new conclusion for the same year is a new row, and the report shows the latest,
so the public record keeps every earlier one with who and when.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models import Base, Person, UTCDateTime


class FollowupConclusion(Base):
    """`uppföljning 2026 slutsats revidering ja|nej <motivering>`: Brå's yearly conclusion."""

    __tablename__ = "followup_conclusion"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("agreement.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer, index=True)
    revise: Mapped[bool] = mapped_column(Boolean)
    motivation: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    platform: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime())

    decided_by: Mapped[Person | None] = relationship(lazy="joined")
