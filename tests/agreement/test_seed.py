"""`seed` is idempotent, applies edits, keeps chat-added people and prunes only when asked."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from bot.agreement.file import load_agreement_file
from bot.agreement.seed import seed
from bot.common.config import BUNDLED_AGREEMENT
from storage.db import Database
from storage.models import AuditEvent, Forum, ForumMember, Organization, Person
from tests.agreement_files import write_agreement
from tests.conftest import NOW


async def run_seed(database: Database, path: Path = BUNDLED_AGREEMENT, **options: bool):  # type: ignore[no-untyped-def]
    spec = load_agreement_file(path)
    async with database.transaction() as session:
        return await seed(session, spec, now=NOW, **options)


async def count(database: Database, model: type) -> int:
    async with database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def edited_copy(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = BUNDLED_AGREEMENT.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return write_agreement(tmp_path / "edited.toml", text)


async def test_first_seed_creates_everything_and_audits_it(database: Database) -> None:
    report = await run_seed(database)
    assert await count(database, Organization) == 2
    assert await count(database, Forum) == 8  # four forums and four spider groups
    assert await count(database, Person) == 15
    assert report.created and not report.updated
    assert await count(database, AuditEvent) == len(report.created)


async def test_seeding_twice_changes_nothing(database: Database) -> None:
    await run_seed(database)
    audit_rows = await count(database, AuditEvent)
    report = await run_seed(database)
    assert report.created == [] and report.updated == [] and report.removed == []
    assert report.unchanged > 0
    assert await count(database, AuditEvent) == audit_rows


async def test_an_edited_file_updates_rows(database: Database, tmp_path: Path) -> None:
    await run_seed(database)
    path = edited_copy(
        tmp_path,
        ('title = "Fritidsledare"', 'title = "Fritidschef"'),
        ('forums = { tillsyn = "representative" }', 'forums = { tillsyn = "chair" }'),
    )
    report = await run_seed(database, path)
    assert "person Sara Nilsson" in report.updated
    assert "forum_member Lars Persson @ tillsyn" in report.updated
    async with database.sessions() as session:
        sara = await session.scalar(select(Person).where(Person.name == "Sara Nilsson"))
        assert sara is not None and sara.title == "Fritidschef"
        change = await session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "seed.update", AuditEvent.entity_id == "Sara Nilsson"
            )
        )
        assert change is not None
        assert change.before == {"title": "Fritidsledare"} and change.after == {
            "title": "Fritidschef"
        }


async def test_people_added_in_chat_are_kept(database: Database) -> None:
    await run_seed(database)
    async with database.transaction() as session:
        kommun = await session.scalar(select(Organization).where(Organization.key == "kommun"))
        assert kommun is not None
        session.add(
            Person(name="Chatt Tillagd", organization_id=kommun.id, source="chat", roles=["member"])
        )
    report = await run_seed(database, prune=True)
    assert not any("Chatt Tillagd" in line for line in report.removed)
    async with database.sessions() as session:
        kept = await session.scalar(select(Person).where(Person.name == "Chatt Tillagd"))
        assert kept is not None and kept.active


async def test_rows_gone_from_the_file_are_listed_then_pruned(
    database: Database, tmp_path: Path
) -> None:
    await run_seed(database)
    path = edited_copy(
        tmp_path,
        ('[[people]]\nname = "Karin Öberg"', '[[ignored]]\nname = "Karin Öberg"'),
    )
    text = path.read_text(encoding="utf-8").split("[[ignored]]")[0]
    path.write_text(text, encoding="utf-8")

    listed = await run_seed(database, path)
    assert listed.not_in_file == ["person Karin Öberg"]
    async with database.sessions() as session:
        karin = await session.scalar(select(Person).where(Person.name == "Karin Öberg"))
        assert karin is not None and karin.active

    pruned = await run_seed(database, path, prune=True)
    assert pruned.removed == ["person Karin Öberg"]
    async with database.sessions() as session:
        karin = await session.scalar(select(Person).where(Person.name == "Karin Öberg"))
        assert karin is not None and not karin.active


async def test_pruning_a_forum_membership(database: Database, tmp_path: Path) -> None:
    await run_seed(database)
    path = edited_copy(tmp_path, ('forums = { avhopp = "representative" }', "forums = {}"))
    assert (await run_seed(database, path)).not_in_file == ["forum_member Peter Wallin @ avhopp"]
    await run_seed(database, path, prune=True)
    async with database.sessions() as session:
        rows = await session.scalars(
            select(ForumMember).join(Person).where(Person.name == "Peter Wallin")
        )
        assert list(rows) == []


async def test_no_demo_leaves_out_the_fictional_staff(database: Database) -> None:
    await run_seed(database, include_demo=False)
    async with database.sessions() as session:
        names = set((await session.scalars(select(Person.name))).all())
    assert names == {"Patric Åberg", "Merete Tillman", "Niklas Årcén", "Veronica Gustafsson"}
