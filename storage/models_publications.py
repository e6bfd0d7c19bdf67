"""Joint messages that went out: where an approved draft was published, and requests to amplify
one party's post with who shared it. Read by the yearly follow-up report (migration 0011).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models import Base, Organization, Person, UTCDateTime


class Publication(Base):
    """One place an approved draft was published: a link and the channel (`webb`, `Facebook`).

    The same link and channel for the same draft is stored once, however often it is reported.
    """

    __tablename__ = "publication"
    __table_args__ = (UniqueConstraint("draft_id", "url", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(1000))
    channel: Mapped[str] = mapped_column(String(100), default="", server_default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    platform: Mapped[str] = mapped_column(String(20))

    recorded_by: Mapped[Person] = relationship(lazy="joined")


class AmplifyRequest(Base):
    """A party asks the other parties' communicators to share one of its posts (`F3`)."""

    __tablename__ = "amplify_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(1000))
    # The party whose post it is: the asker's organisation.
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    platform: Mapped[str] = mapped_column(String(20))

    organization: Mapped[Organization] = relationship(lazy="joined")
    requested_by: Mapped[Person] = relationship(lazy="joined")
    shares: Mapped[list[Amplification]] = relationship(
        order_by="Amplification.id", lazy="selectin", viewonly=True
    )


class Amplification(Base):
    """Someone shared the post of a request ("Jag har delat"): once per person and request."""

    __tablename__ = "amplification"
    __table_args__ = (UniqueConstraint("request_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("amplify_request.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id"))
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime())
    platform: Mapped[str] = mapped_column(String(20))

    person: Mapped[Person] = relationship(lazy="joined")
