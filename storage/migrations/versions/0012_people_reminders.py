"""People: English cadences and organisation names, and phone numbers in one stored form.

New columns: `forum.cadence_en` (the meeting rhythm in English) and `organization.short_name_en`
(`the police`, `the municipality`), so English answers are English throughout. Plain ADD COLUMN
on both dialects, as 0008 does: no table copy on SQLite, so 0007's directory triggers stay.

Data: every `person.phone` is rewritten to E.164 (`070-174 06 15` → `+46701740615`); a value
that does not read as a phone number is left as it was. The downgrade keeps the new form.

Revision ID: 0012_people_reminders
Revises: 0008_agreement_cycle
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_people_reminders"
down_revision = "0011_publications"
branch_labels = None
depends_on = None

_BUMP = "UPDATE directory_version SET version = version + 1 WHERE id = 1"


def _e164(value: str) -> str | None:
    # Imported here: only this data step needs the numbering plans.
    import phonenumbers

    cleaned = value.strip()
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    try:
        number = phonenumbers.parse(cleaned, "SE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phones_to_e164() -> None:
    bind = op.get_bind()
    person = sa.table("person", sa.column("id", sa.Integer), sa.column("phone", sa.String))
    rows = bind.execute(sa.select(person.c.id, person.c.phone).where(person.c.phone.is_not(None)))
    for person_id, phone in rows.all():
        stored = _e164(phone)
        if stored is not None and stored != phone:
            bind.execute(person.update().where(person.c.id == person_id).values(phone=stored))


def _triggers_on_sqlite(table: str) -> None:
    """0007's triggers, made again after a table copy dropped them (SQLite)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for verb in ("INSERT", "UPDATE", "DELETE"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_directory_{verb.lower()}")
        op.execute(
            f"CREATE TRIGGER {table}_directory_{verb.lower()} AFTER {verb} ON {table} "
            f"BEGIN {_BUMP}; END"
        )


def upgrade() -> None:
    op.add_column("forum", sa.Column("cadence_en", sa.String(length=200), nullable=True))
    op.add_column("organization", sa.Column("short_name_en", sa.String(length=80), nullable=True))
    _phones_to_e164()


def downgrade() -> None:
    with op.batch_alter_table("forum", schema=None) as batch_op:
        batch_op.drop_column("cadence_en")
    _triggers_on_sqlite("forum")
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_column("short_name_en")
    _triggers_on_sqlite("organization")
