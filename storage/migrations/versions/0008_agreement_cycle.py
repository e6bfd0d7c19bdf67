"""The agreement's own cycle: citizen promises, basis documents, cycle checks and the renewal.

New tables, each scoped to an agreement (`agreement_id`): `basis_document` (lägesbild,
trygghetsmätning), `promise_document` (a year's medborgarlöfte and its co-approved text),
`focus_area`, `commitment` (`L7`) with its append-only `commitment_event` history,
`cycle_check` (a cycle point ticked off) and `renewal` (decisions on the next agreement).

New columns: `agreement.extended_to`, `.source`, `.text_source`, `.text_parts`;
`cycle_event.source`, `.when_sv`, `.when_en`, `.quote`, `.status_request`; `draft.kind`;
`forum.scope_sv`, `.scope_en`, `.demo` (the organisations' own description, and demo groups).
Only columns are added to existing tables, with a plain ALTER TABLE ADD COLUMN (no table copy
on SQLite, so no cascade and no lost trigger); 0007's triggers on `forum` are made again on
SQLite all the same, as 0007 asks of every later migration that touches those tables.

Revision ID: 0008_agreement_cycle
Revises: 0007_directory_version
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_agreement_cycle"
down_revision = "0007_directory_version"
branch_labels = None
depends_on = None


def _agreement_id() -> sa.Column[int]:
    return sa.Column("agreement_id", sa.Integer(), nullable=False)


def _agreement_fk() -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["agreement_id"], ["agreement.id"], ondelete="CASCADE")


def _add_columns() -> None:
    """Plain ADD COLUMN on both dialects: on SQLite a batch operation could copy the table,
    which would drop the directory triggers of 0007 and, with foreign keys on, cascade."""
    op.add_column("agreement", sa.Column("extended_to", sa.Date(), nullable=True))
    op.add_column(
        "agreement",
        sa.Column("source", sa.String(length=20), nullable=False, server_default="seed"),
    )
    op.add_column("agreement", sa.Column("text_source", sa.String(length=300), nullable=True))
    op.add_column("agreement", sa.Column("text_parts", sa.JSON(), nullable=True))
    op.add_column(
        "cycle_event",
        sa.Column("source", sa.String(length=20), nullable=False, server_default="local"),
    )
    op.add_column("cycle_event", sa.Column("when_sv", sa.String(length=200), nullable=True))
    op.add_column("cycle_event", sa.Column("when_en", sa.String(length=200), nullable=True))
    op.add_column("cycle_event", sa.Column("quote", sa.Text(), nullable=True))
    op.add_column("cycle_event", sa.Column("status_request", sa.String(length=20), nullable=True))
    op.add_column(
        "draft",
        sa.Column("kind", sa.String(length=20), nullable=False, server_default="message"),
    )
    op.add_column("forum", sa.Column("scope_sv", sa.Text(), nullable=False, server_default=""))
    op.add_column("forum", sa.Column("scope_en", sa.Text(), nullable=False, server_default=""))
    op.add_column(
        "forum", sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false())
    )


def _forum_triggers_on_sqlite() -> None:
    """0007's triggers on `forum`, made again where a table copy dropped them (SQLite)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    bump = "UPDATE directory_version SET version = version + 1 WHERE id = 1"
    for verb in ("INSERT", "UPDATE", "DELETE"):
        op.execute(f"DROP TRIGGER IF EXISTS forum_directory_{verb.lower()}")
        op.execute(
            f"CREATE TRIGGER forum_directory_{verb.lower()} AFTER {verb} ON forum BEGIN {bump}; END"
        )


def upgrade() -> None:
    _add_columns()
    _forum_triggers_on_sqlite()
    op.create_table(
        "basis_document",
        sa.Column("id", sa.Integer(), nullable=False),
        _agreement_id(),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("dated", sa.Date(), nullable=False),
        sa.Column("link", sa.String(length=1000), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _agreement_fk(),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_basis_document_agreement_id", "basis_document", ["agreement_id"])
    op.create_table(
        "promise_document",
        sa.Column("id", sa.Integer(), nullable=False),
        _agreement_id(),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("published_url", sa.String(length=1000), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _agreement_fk(),
        sa.ForeignKeyConstraint(["draft_id"], ["draft.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["published_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agreement_id", "year"),
    )
    op.create_index("ix_promise_document_agreement_id", "promise_document", ["agreement_id"])
    op.create_table(
        "focus_area",
        sa.Column("id", sa.Integer(), nullable=False),
        _agreement_id(),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("basis_id", sa.Integer(), nullable=True),
        sa.Column("finding", sa.String(length=500), nullable=True),
        _agreement_fk(),
        sa.ForeignKeyConstraint(["document_id"], ["promise_document.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["basis_id"], ["basis_document.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("document_id", "name"),
    )
    op.create_index("ix_focus_area_agreement_id", "focus_area", ["agreement_id"])
    op.create_index("ix_focus_area_document_id", "focus_area", ["document_id"])
    op.create_table(
        "commitment",
        sa.Column("id", sa.Integer(), nullable=False),
        _agreement_id(),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("focus_area_id", sa.Integer(), nullable=True),
        sa.Column("party", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("target_count", sa.Integer(), nullable=True),
        sa.Column("target_unit", sa.String(length=80), nullable=True),
        sa.Column("outcome", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _agreement_fk(),
        sa.ForeignKeyConstraint(["document_id"], ["promise_document.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["focus_area_id"], ["focus_area.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["owner_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_commitment_agreement_id", "commitment", ["agreement_id"])
    op.create_index("ix_commitment_document_id", "commitment", ["document_id"])
    op.create_index("ix_commitment_owner_id", "commitment", ["owner_id"])
    op.create_table(
        "commitment_event",
        sa.Column("id", sa.Integer(), nullable=False),
        _agreement_id(),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("platform", sa.String(length=20), nullable=False),
        sa.Column("change", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("outcome", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        _agreement_fk(),
        sa.ForeignKeyConstraint(["commitment_id"], ["commitment.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_commitment_event_agreement_id", "commitment_event", ["agreement_id"])
    op.create_index("ix_commitment_event_commitment_id", "commitment_event", ["commitment_id"])
    op.create_table(
        "cycle_check",
        sa.Column("id", sa.Integer(), nullable=False),
        _agreement_id(),
        sa.Column("point", sa.String(length=60), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        _agreement_fk(),
        sa.ForeignKeyConstraint(["done_by_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agreement_id", "point", "year"),
    )
    op.create_index("ix_cycle_check_agreement_id", "cycle_check", ["agreement_id"])
    op.create_table(
        "renewal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("proposal_draft_id", sa.Integer(), nullable=True),
        sa.Column("proposal_link", sa.String(length=1000), nullable=True),
        sa.Column("board_date", sa.Date(), nullable=True),
        sa.Column("board_paragraph", sa.String(length=40), nullable=True),
        sa.Column("board_dnr", sa.String(length=80), nullable=True),
        sa.Column("police_date", sa.Date(), nullable=True),
        sa.Column("police_dnr", sa.String(length=80), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("successor_id", sa.Integer(), nullable=True),
        sa.Column("extension_note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _agreement_fk(),
        sa.ForeignKeyConstraint(["proposal_draft_id"], ["draft.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["successor_id"], ["agreement.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agreement_id"),
    )


def downgrade() -> None:
    for table in (
        "renewal",
        "cycle_check",
        "commitment_event",
        "commitment",
        "focus_area",
        "promise_document",
        "basis_document",
    ):
        op.drop_table(table)
    with op.batch_alter_table("forum", schema=None) as batch_op:
        for name in ("demo", "scope_en", "scope_sv"):
            batch_op.drop_column(name)
    _forum_triggers_on_sqlite()  # dropping columns copies the table on SQLite
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_column("kind")
    with op.batch_alter_table("cycle_event", schema=None) as batch_op:
        for name in ("status_request", "quote", "when_en", "when_sv", "source"):
            batch_op.drop_column(name)
    with op.batch_alter_table("agreement", schema=None) as batch_op:
        for name in ("text_parts", "text_source", "source", "extended_to"):
            batch_op.drop_column(name)
