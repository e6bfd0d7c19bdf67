"""Brå's conclusion of the yearly follow-up: revise the agreement or not, and why.

One new table, `followup_conclusion`, append-only by use (a newer row for the same year is the
one the report shows). No existing table is touched.

Revision ID: 0010_followup_conclusion
Revises: 0008_agreement_cycle
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_followup_conclusion"
down_revision = "0009_privacy_redact"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "followup_conclusion",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("revise", sa.Boolean(), nullable=False),
        sa.Column("motivation", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["agreement_id"], ["agreement.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["person.id"]),
    )
    op.create_index("ix_followup_conclusion_year", "followup_conclusion", ["year"])
    op.create_index("ix_followup_conclusion_agreement_id", "followup_conclusion", ["agreement_id"])


def downgrade() -> None:
    op.drop_index("ix_followup_conclusion_agreement_id", table_name="followup_conclusion")
    op.drop_index("ix_followup_conclusion_year", table_name="followup_conclusion")
    op.drop_table("followup_conclusion")
