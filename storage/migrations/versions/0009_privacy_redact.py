"""One narrow, recorded way to redact a personnummer from the append-only tables.

`audit_event` (0001), `draft_version` and `approval` (0004) refuse every UPDATE and DELETE. A
personnummer that reached them (an override of the hold, before issue 15) must still be
removable under a decision of the data-protection officer. This migration keeps DELETE refused
and lets an UPDATE through only when:

- no column changes but the redactable ones (`before`/`after`; `title`/`text`; `comment`),
- each changed column's new value is declared, exactly, by a not yet applied row of the new
  `audit_redaction` table for that table, row and column (who, when, which decision), and
- the new value carries a marker (`[borttaget: personnummer]`, `[borttaget: kontaktuppgift]`).

The update marks the declaring row applied, so one declaration allows one change. The
`audit_redaction` rows are append-only themselves, except that `applied` may turn true.

As 0007 warns: SQLite re-creates a table in `batch_alter_table`, which drops its triggers; a
later migration that alters one of these tables on SQLite must make these triggers again.

Revision ID: 0009_privacy_redact
Revises: 0008_agreement_cycle
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_privacy_redact"
down_revision = "0008_agreement_cycle"
branch_labels = None
depends_on = None

# Every redaction marker starts so: `[borttaget: personnummer]`, `[borttaget: kontaktuppgift]`.
MARKER = "[borttaget:"
# Each append-only table: (columns a redaction may change, JSON columns among them, the rest).
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "audit_event": (
        ("before", "after"),
        ("before", "after"),
        ("id", "at", "actor_person_id", "actor", "platform", "action", "entity_type", "entity_id"),
    ),
    "draft_version": (
        ("title", "text"),
        (),
        (
            "id",
            "draft_id",
            "number",
            "targets",
            "planned_at",
            "content_hash",
            "hold",
            "created_by_id",
            "created_at",
            "platform",
        ),
    ),
    "approval": (
        ("comment",),
        (),
        (
            "id",
            "draft_id",
            "version_id",
            "version",
            "organization_id",
            "person_id",
            "decision",
            "at",
            "platform",
        ),
    ),
}

PG_REDACTION_ONLY = f"""
CREATE OR REPLACE FUNCTION samverkan_redaction_only() RETURNS trigger AS $$
DECLARE
    old_row jsonb := to_jsonb(OLD);
    new_row jsonb := to_jsonb(NEW);
    col text;
    declared integer;
BEGIN
    IF (old_row - TG_ARGV) IS DISTINCT FROM (new_row - TG_ARGV) THEN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
    END IF;
    FOREACH col IN ARRAY TG_ARGV LOOP
        IF (old_row -> col) IS DISTINCT FROM (new_row -> col) THEN
            SELECT r.id INTO declared FROM audit_redaction r
            WHERE r.table_name = TG_TABLE_NAME AND r.row_id = OLD.id AND r.column_name = col
              AND NOT r.applied AND r.new_value::jsonb = (new_row -> col)
              AND position('{MARKER}' IN (new_row ->> col)) > 0
            ORDER BY r.id LIMIT 1;
            IF declared IS NULL THEN
                RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
            END IF;
            UPDATE audit_redaction SET applied = true WHERE id = declared;
        END IF;
    END LOOP;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
"""

PG_REDACTION_ROWS = """
CREATE OR REPLACE FUNCTION samverkan_redaction_rows() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.applied OR NOT NEW.applied
       OR (to_jsonb(OLD) - 'applied') IS DISTINCT FROM (to_jsonb(NEW) - 'applied') THEN
        RAISE EXCEPTION 'audit_redaction is append-only';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql
"""


def _create_table() -> None:
    op.create_table(
        "audit_redaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=120), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("column_name", sa.String(length=40), nullable=False),
        sa.Column("new_value", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=200), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applied", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def _sqlite_condition(table: str) -> str:
    """True when an UPDATE of `table` is a declared redaction (SQLite has no to_jsonb).

    Every part is null-safe (`IS`, `coalesce`): a WHEN clause that is NULL does not fire."""
    redactable, json_columns, fixed = TABLES[table]
    parts = [f"NEW.{name} IS OLD.{name}" for name in fixed]
    for name in redactable:
        value = f"json(NEW.{name})" if name in json_columns else f"NEW.{name}"
        parts.append(
            f"(NEW.{name} IS OLD.{name} OR (coalesce(instr(NEW.{name}, '{MARKER}'), 0) > 0 "
            "AND EXISTS ("
            f"SELECT 1 FROM audit_redaction r WHERE r.table_name = '{table}' "
            f"AND r.row_id = OLD.id AND r.column_name = '{name}' AND NOT r.applied "
            f"AND json_extract(r.new_value, '$') IS {value})))"
        )
    return " AND ".join(parts)


def _sqlite_mark_applied(table: str) -> str:
    redactable = TABLES[table][0]
    statements = [
        f"UPDATE audit_redaction SET applied = 1 WHERE id = (SELECT min(id) FROM audit_redaction "
        f"WHERE table_name = '{table}' AND row_id = OLD.id AND column_name = '{name}' "
        f"AND NOT applied) AND NEW.{name} IS NOT OLD.{name};"
        for name in redactable
    ]
    return " ".join(statements)


def _upgrade_postgresql() -> None:
    op.execute(PG_REDACTION_ONLY)
    op.execute(PG_REDACTION_ROWS)
    for table, (redactable, _json, _fixed) in TABLES.items():
        function = (
            "samverkan_audit_append_only" if table == "audit_event" else "samverkan_append_only"
        )
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        arguments = ", ".join(f"'{name}'" for name in redactable)
        op.execute(
            f"CREATE TRIGGER {table}_redaction_only BEFORE UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION samverkan_redaction_only({arguments})"
        )
    op.execute(
        "CREATE TRIGGER audit_redaction_append_only BEFORE UPDATE OR DELETE ON audit_redaction "
        "FOR EACH ROW EXECUTE FUNCTION samverkan_redaction_rows()"
    )


def _upgrade_sqlite() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        op.execute(
            f"CREATE TRIGGER {table}_redaction_only BEFORE UPDATE ON {table} "
            f"WHEN NOT ({_sqlite_condition(table)}) "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_redaction_applied AFTER UPDATE ON {table} "
            f"BEGIN {_sqlite_mark_applied(table)} END"
        )
    fixed = ("id", "ref", "table_name", "row_id", "column_name", "new_value", "decision")
    same = " AND ".join(f"NEW.{name} IS OLD.{name}" for name in (*fixed, "actor", "at"))
    op.execute(
        "CREATE TRIGGER audit_redaction_no_update BEFORE UPDATE ON audit_redaction "
        f"WHEN NOT ({same} AND NOT OLD.applied AND NEW.applied) "
        "BEGIN SELECT RAISE(ABORT, 'audit_redaction is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_redaction_no_delete BEFORE DELETE ON audit_redaction "
        "BEGIN SELECT RAISE(ABORT, 'audit_redaction is append-only'); END"
    )


def upgrade() -> None:
    _create_table()
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _upgrade_postgresql()
    elif dialect == "sqlite":
        _upgrade_sqlite()


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        if dialect == "postgresql":
            function = (
                "samverkan_audit_append_only" if table == "audit_event" else "samverkan_append_only"
            )
            op.execute(f"DROP TRIGGER IF EXISTS {table}_redaction_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table}")
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {function}()"
            )
        elif dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_redaction_only")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_redaction_applied")
            op.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_redaction_append_only ON audit_redaction")
        op.execute("DROP FUNCTION IF EXISTS samverkan_redaction_only()")
        op.execute("DROP FUNCTION IF EXISTS samverkan_redaction_rows()")
    op.drop_table("audit_redaction")
