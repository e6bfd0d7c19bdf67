"""`samverkan privacy scan` and `privacy redact`, and the one narrow path through the triggers.

Texts that got through a hold before (an override) sit in live tables and in the append-only
audit log; the scan finds them without ever printing a whole number, and a redaction replaces
them in both, recording who, when and which decision. A plain UPDATE or DELETE of the audit
log (or of draft versions and decisions) still fails on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from bot.core.engine import Bot
from storage.audit import Actor, record
from storage.db import Database
from storage.models import ActionItem, AuditEvent, DraftVersion
from storage.models_privacy import REDACTED_MARKER, AuditRedaction
from tests.conftest import Chat
from tests.privacy.cli_helpers import cli

NUMBER = "20100315-2384"
OTHER = "19800101-1234"
AT = datetime(2026, 11, 26, 9, tzinfo=UTC)


async def _override_action_item(chat: Chat) -> None:
    held = await chat.ask("Sara Nilsson", f"åtgärd Ring {NUMBER} ansvarig mig senast 3/12")
    assert held[0].buttons
    session = await chat.session("Sara Nilsson")
    assert NUMBER in (await session.press(1))[0].text


async def _override_draft(chat: Chat) -> None:
    held = await chat.ask("Erik Holm", f"utkast Den misstänkte, {OTHER}, är häktad.")
    assert "personnummer" in held[0].text
    session = await chat.session("Erik Holm")
    await session.press(1)  # Skicka ändå


async def _dump(database: Database) -> str:
    async with database.engine.connect() as connection:
        rows = []
        for table in ("action_item", "audit_event", "draft_version", "job"):
            rows += [
                dict(r._mapping) for r in await connection.execute(text(f"SELECT * FROM {table}"))
            ]
    return json.dumps(rows, default=str, ensure_ascii=False)


async def test_scan_lists_every_hit_masked_with_a_ref_forum_and_date(chat: Chat, bot: Bot) -> None:
    await _override_action_item(chat)
    await _override_draft(chat)
    result = await cli(bot.database, "privacy", "scan")
    assert result.exit_code == 0, result.output
    assert NUMBER not in result.output and OTHER not in result.output
    assert "2384" not in result.output and "1234" not in result.output
    assert "XXXXXXXX-XXXX" in result.output
    lines = result.output.splitlines()
    assert any(
        line.startswith("action_item:1:text\t–\t2026-11-26\tRing XXXXXXXX-XXXX") for line in lines
    )
    assert any(line.startswith("draft_version:1:text\t") for line in lines)
    assert "texter ser ut att innehålla ett personnummer" in lines[-1]
    listed = json.loads((await cli(bot.database, "privacy", "scan", "--format", "json")).output)
    refs = {hit["ref"] for hit in listed}
    audit_refs = {ref for ref in refs if ref.startswith("audit_event:")}
    assert {"action_item:1:text", "draft_version:1:text"} <= refs and len(audit_refs) >= 2
    assert all(NUMBER not in json.dumps(hit, ensure_ascii=False) for hit in listed)


async def test_redact_replaces_the_text_in_the_live_table_and_the_audit_log(
    chat: Chat, bot: Bot
) -> None:
    await _override_action_item(chat)
    await _override_draft(chat)
    result = await cli(
        bot.database,
        "privacy",
        "redact",
        "action_item:1:text",
        "--decision",
        "DSO 2026/4",
        "--by",
        "Dataskyddsombudet",
    )
    assert result.exit_code == 0, result.output
    assert "Borttaget i action_item:1:text" in result.output
    assert "Borttaget i audit_event:" in result.output
    async with bot.database.sessions() as session:
        item = await session.get(ActionItem, 1)
        redactions = (await session.scalars(select(AuditRedaction))).all()
        event = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "privacy.redact")
        )
    assert item is not None and item.text == f"Ring {REDACTED_MARKER}"
    assert NUMBER not in await _dump(bot.database)
    assert OTHER in await _dump(bot.database)  # another number, not named, stays
    assert redactions and all(r.applied and r.decision == "DSO 2026/4" for r in redactions)
    assert all(r.actor.startswith("Dataskyddsombudet") for r in redactions)
    assert event is not None and event.after is not None
    assert event.after["decision"] == "DSO 2026/4" and "action_item:1:text" in event.after["refs"]
    assert NUMBER not in json.dumps(event.after)
    # The draft's version is append-only too: the same narrow path.
    done = await cli(
        bot.database, "privacy", "redact", "draft_version:1:text", "--decision", "DSO 2026/5"
    )
    assert done.exit_code == 0, done.output
    async with bot.database.sessions() as session:
        version = await session.get(DraftVersion, 1)
    assert version is not None and version.text == f"Den misstänkte, {REDACTED_MARKER}, är häktad."
    assert OTHER not in await _dump(bot.database)
    left = json.loads((await cli(bot.database, "privacy", "scan", "--format", "json")).output)
    assert left == []
    # Outside that path, draft versions and decisions stay append-only.
    await _refused(bot.database, "UPDATE draft_version SET text = 'x'")
    await _refused(bot.database, f"UPDATE draft_version SET text = '{REDACTED_MARKER}'")
    await _refused(bot.database, "DELETE FROM draft_version")
    await _refused(bot.database, "UPDATE approval SET decision = 'approve'")


async def test_redact_refuses_bad_input_clearly(chat: Chat, bot: Bot) -> None:
    await _override_action_item(chat)
    for ref, words in (
        ("action_item:x:text", "ingen referens"),
        ("person:1:email", "ingen referens"),
        ("action_item:99:text", "finns inte"),
    ):
        result = await cli(bot.database, "privacy", "redact", ref, "--decision", "D 1")
        assert result.exit_code == 1 and words in result.output, result.output
    empty = await cli(bot.database, "privacy", "redact", "action_item:1:text", "--decision", "  ")
    assert empty.exit_code == 1 and "--decision" in empty.output
    assert NUMBER in await _dump(bot.database)


async def _one_audit_row(database: Database) -> int:
    async with database.transaction() as session:
        event = record(
            session,
            actor=Actor("test", "cli"),
            at=AT,
            action="test.write",
            entity_type="test",
            entity_id=1,
            after={"text": f"om {NUMBER}"},
        )
        await session.flush()
        return event.id


async def _declare(database: Database, row_id: int, value: object, column: str = "after") -> None:
    async with database.transaction() as session:
        session.add(
            AuditRedaction(
                ref=f"audit_event:{row_id}:{column}",
                table_name="audit_event",
                row_id=row_id,
                column_name=column,
                new_value=json.dumps(value),
                decision="D 1",
                actor="test",
                at=AT,
            )
        )


async def _refused(database: Database, statement: str, **values: object) -> None:
    with pytest.raises(DBAPIError, match="append-only"):
        async with database.engine.begin() as connection:
            await connection.execute(text(statement), values)


async def test_plain_updates_and_deletes_of_the_audit_log_still_fail(database: Database) -> None:
    row = await _one_audit_row(database)
    await _refused(database, "UPDATE audit_event SET actor = 'someone else'")
    await _refused(database, "DELETE FROM audit_event")
    await _refused(database, "UPDATE audit_event SET after = NULL")
    # A declaration does not open the door to another value, another column, or no marker.
    redacted = {"text": f"om {REDACTED_MARKER}"}
    await _declare(database, row, redacted)
    changed = json.dumps({"text": f"om {REDACTED_MARKER} och mer"})
    await _refused(database, "UPDATE audit_event SET after = :v", v=changed)
    await _refused(
        database, "UPDATE audit_event SET after = :v, actor = 'x'", v=json.dumps(redacted)
    )
    await _declare(database, row, {"text": "om ____"})
    await _refused(database, "UPDATE audit_event SET after = :v", v=json.dumps({"text": "om ____"}))
    await _refused(database, "DELETE FROM audit_redaction")
    await _refused(database, "UPDATE audit_redaction SET decision = 'other'")
    # The declared value goes through once, and marks its declaration applied.
    async with database.engine.begin() as connection:
        await connection.execute(
            text("UPDATE audit_event SET after = :v WHERE id = :id"),
            {"v": json.dumps(redacted), "id": row},
        )
    async with database.sessions() as session:
        event = await session.get(AuditEvent, row)
        applied = (
            await session.scalars(select(AuditRedaction.applied).order_by(AuditRedaction.id))
        ).all()
    assert event is not None and event.after == redacted and event.actor == "test"
    assert list(applied) == [True, False]
    await _refused(database, "UPDATE audit_redaction SET applied = false")
    # Applied once: the same value cannot be written again by the same declaration.
    again = {"text": f"{REDACTED_MARKER}!"}
    await _refused(database, "UPDATE audit_event SET after = :v", v=json.dumps(again))


async def test_a_number_only_in_the_audit_log_is_found_and_redacted_there(
    database: Database,
) -> None:
    row = await _one_audit_row(database)
    listed = json.loads((await cli(database, "privacy", "scan", "--format", "json")).output)
    assert [hit["ref"] for hit in listed] == [f"audit_event:{row}:after"]
    assert listed[0]["excerpt"] == "om XXXXXXXX-XXXX" and listed[0]["append_only"] is True
    done = await cli(database, "privacy", "redact", f"audit_event:{row}:after", "--decision", "D 9")
    assert done.exit_code == 0, done.output
    async with database.sessions() as session:
        event = await session.get(AuditEvent, row)
        declared = (await session.scalars(select(AuditRedaction))).all()
    assert event is not None and event.after == {"text": f"om {REDACTED_MARKER}"}
    assert [(d.ref, d.decision, d.applied) for d in declared] == [
        (f"audit_event:{row}:after", "D 9", True)
    ]
    again = await cli(
        database, "privacy", "redact", f"audit_event:{row}:after", "--decision", "D 9"
    )
    assert again.exit_code == 1 and "innehåller inget" in again.output
