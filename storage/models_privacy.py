"""The one way a stored text may change in an append-only table: a declared redaction.

`audit_event`, `draft_version` and `approval` refuse UPDATE and DELETE (database triggers).
Migration 0009 lets an UPDATE through only when a row here, not yet applied, declares exactly
the new value of that row's column and the value carries a redaction marker; the update
marks the row applied. The rows themselves are append-only (only `applied` may turn true),
so who redacted what, when and under which decision stays on record.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, UTCDateTime

# What replaces a removed text: every marker starts with `MARKER_PREFIX`, which the triggers of
# migration 0009 require in a redacted value. ASCII, so it reads the same inside stored JSON.
MARKER_PREFIX = "[borttaget:"
REDACTED_MARKER = "[borttaget: personnummer]"
ERASED_MARKER = "[borttaget: kontaktuppgift]"
# The append-only tables and the columns the redaction path may change in each.
REDACTABLE: dict[str, tuple[str, ...]] = {
    "audit_event": ("before", "after"),
    "draft_version": ("title", "text"),
    "approval": ("comment",),
}


class AuditRedaction(Base):
    """A redaction under a decision: which row and column, the new value, who and when."""

    __tablename__ = "audit_redaction"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(120))
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int] = mapped_column(Integer)
    column_name: Mapped[str] = mapped_column(String(40))
    # The column's new value as JSON (a JSON string for a text column).
    new_value: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    applied: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
