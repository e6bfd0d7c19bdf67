"""Directory version: a counter the database bumps on every change to the directory tables.

The bot keeps the forums, organisations, people and memberships in memory and answers the
directory commands from there; one indexed read of this counter per request tells a replica
whether its copy is stale. Triggers (not application code) bump it, so seed, CSV import, chat
commands, other replicas and hand edits in psql are all seen.

SQLite re-creates a table in `batch_alter_table`, which drops its triggers: a later migration
that alters one of these tables on SQLite must call `create_triggers()` again.

Revision ID: 0007_directory_version
Revises: 0006_agreement_draft_policy
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_directory_version"
down_revision = "0006_agreement_draft_policy"
branch_labels = None
depends_on = None

TABLES = ("organization", "forum", "person", "forum_member")
SQLITE_VERBS = ("INSERT", "UPDATE", "DELETE")
BUMP = "UPDATE directory_version SET version = version + 1 WHERE id = 1"
PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION samverkan_directory_changed() RETURNS trigger AS $$
BEGIN
    {BUMP};
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def create_triggers() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(PG_FUNCTION)
    for table in TABLES:
        if dialect == "postgresql":
            # Once per statement, not per row: a CSV import of 3,000 rows bumps it once.
            op.execute(
                f"CREATE TRIGGER {table}_directory_changed "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION samverkan_directory_changed()"
            )
        else:
            for verb in SQLITE_VERBS:
                op.execute(
                    f"CREATE TRIGGER {table}_directory_{verb.lower()} AFTER {verb} ON {table} "
                    f"BEGIN {BUMP}; END"
                )


def drop_triggers() -> None:
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        if dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_directory_changed ON {table}")
        else:
            for verb in SQLITE_VERBS:
                op.execute(f"DROP TRIGGER IF EXISTS {table}_directory_{verb.lower()}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS samverkan_directory_changed()")


def upgrade() -> None:
    table = op.create_table(
        "directory_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "version": 1}])
    create_triggers()


def downgrade() -> None:
    drop_triggers()
    op.drop_table("directory_version")
