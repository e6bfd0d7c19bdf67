"""Agreement: the joint-draft policy (author_may_approve, draft_targets) in the database.

It was read from the agreement file at run time; now `samverkan seed` stores it like every
other agreement setting, so replicas agree and the file is read in one place.

Revision ID: 0006_agreement_draft_policy
Revises: 0005_jobs
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_agreement_draft_policy"
down_revision = "0005_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("author_may_approve", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("draft_targets", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        batch_op.drop_column("draft_targets")
        batch_op.drop_column("author_may_approve")
