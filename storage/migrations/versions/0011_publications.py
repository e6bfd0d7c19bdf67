"""Joint messages that went out, and the history from before the bot.

New columns: `meeting.source` and `attendance.source` (`bot` or `import`: minutes imported with
`samverkan import meetings`), `draft.event_at` and `draft.event_place` (a press conference's
time and place). New tables: `publication` (where and when an approved draft was published),
`amplify_request` and `amplification` (a request to share a party's post, and who shared it).
Columns are added with a plain ALTER TABLE ADD COLUMN, never a table copy (see 0008).

Revision ID: 0011_publications
Revises: 0008_agreement_cycle
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_publications"
down_revision = "0010_followup_conclusion"
branch_labels = None
depends_on = None


def _source() -> sa.Column[str]:
    return sa.Column("source", sa.String(length=20), nullable=False, server_default="bot")


def upgrade() -> None:
    op.add_column("meeting", _source())
    op.add_column("attendance", _source())
    op.add_column("draft", sa.Column("event_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("draft", sa.Column("event_place", sa.String(length=200), nullable=True))
    op.create_table(
        "publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("channel", sa.String(length=100), nullable=False, server_default=""),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["draft.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("draft_id", "url", "channel"),
    )
    op.create_index("ix_publication_draft_id", "publication", ["draft_id"])
    op.create_index("ix_publication_published_at", "publication", ["published_at"])
    op.create_table(
        "amplify_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"]),
        sa.ForeignKeyConstraint(["requested_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_amplify_request_requested_at", "amplify_request", ["requested_at"])
    op.create_table(
        "amplification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["amplify_request.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_id", "person_id"),
    )
    op.create_index("ix_amplification_request_id", "amplification", ["request_id"])


def downgrade() -> None:
    for table in ("amplification", "amplify_request", "publication"):
        op.drop_table(table)
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_column("event_place")
        batch_op.drop_column("event_at")
    for table in ("attendance", "meeting"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("source")
