"""`utkast` / `draft` and the card's buttons: the whole lifecycle and every rule, both ways."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from bot.agreement.file import load_agreement_file
from bot.agreement.seed import seed
from bot.common.clock import FixedClock
from bot.common.config import BUNDLED_AGREEMENT, Settings
from bot.core.engine import Bot
from bot.core.reply import Reply, Visibility
from storage.db import Database
from storage.models import Approval, AuditEvent, Draft, DraftVersion, PostedMessage
from tests.agreement_files import write_agreement
from tests.conftest import Chat
from tests.drafts_helpers import (
    RecordingMessenger,
    add_channel,
    count_decisions,
    link,
    press,
    say,
    text_of,
)

TEXT = "Välkommen på trygghetsvandring i Broby torsdag 3 december kl. 18.00."


@pytest.fixture
async def room(bot: Bot) -> tuple[RecordingMessenger, RecordingMessenger]:
    """A joint channel in the terminal linked with a Teams channel; both record what is sent."""
    console, teams = RecordingMessenger("console"), RecordingMessenger("teams")
    bot.messengers["console"] = console
    bot.messengers["teams"] = teams
    joint = await add_channel(bot.database, "console", "gemensam", "gemensam", joint=True)
    other = await add_channel(bot.database, "teams", "19:polis@thread.tacv2", "Polisen gemensam")
    await link(bot.database, joint, other)
    return console, teams


async def _draft(bot: Bot, author: str = "Erik Holm", body: str = TEXT) -> int:
    replies = await say(bot, author, f"utkast {body}")
    assert "U" in text_of(replies)
    async with bot.database.sessions() as session:
        newest = await session.scalar(select(Draft.id).order_by(Draft.id.desc()))
    assert newest is not None
    return newest


def _last(messenger: RecordingMessenger) -> str:
    everything = [(m, r) for _c, m, r in messenger.posts] + [
        (m, r) for _c, m, r in messenger.updates
    ]
    return everything[-1][1].plain_text()


async def test_draft_is_posted_to_the_joint_channel_and_its_linked_room(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    console, teams = room
    replies = await say(bot, "Erik Holm", f"utkast {TEXT}")
    assert replies[0].visibility is Visibility.ONLY_TO_YOU
    assert "Utkast U1 är sparat" in text_of(replies)
    assert len(console.posts) == 1 and len(teams.posts) == 1
    card = console.posts[0][2]
    body = card.plain_text()
    assert TEXT in body
    assert "Östra Göinge kommun och Polisen, lokalpolisområde Hässleholm" in body
    assert "Kommunen: väntar" in body and "Polisen: väntar" in body
    assert f"Facebook: {len(TEXT)} tecken" in body
    assert "U1 · version 1" in body
    assert [b.label for b in card.buttons] == [
        "Godkänn",
        "Begär ändring",
        "Redigera",
        "Dra tillbaka",
    ]
    async with bot.database.sessions() as session:
        copies = (await session.scalars(select(PostedMessage))).all()
    assert sorted(c.message_id for c in copies) == ["console-msg-1", "teams-msg-1"]


async def test_whole_lifecycle_change_request_new_version_and_both_approvals(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    console, teams = room
    draft = await _draft(bot)
    changed = await press(
        bot,
        "Veronica Gustafsson",
        "draft.request_changes",
        {"draft": draft, "version": 1, "comment": "Skriv ut platsen: Broby torg."},
        platform="teams",
        channel="19:polis@thread.tacv2",
    )
    assert "begärt ändring" in text_of(changed)
    card = _last(console)
    assert "Ändring begärd" in card and "Skriv ut platsen: Broby torg." in card
    assert _last(teams) == card

    edited = await press(
        bot,
        "Erik Holm",
        "draft.edit",
        {
            "draft": draft,
            "version": 1,
            "text": TEXT + " Vi ses på Broby torg.",
            "targets": "facebook,x",
        },
    )
    assert "Version 2 av U1 är sparad" in text_of(edited)
    assert "Version: 2" in _last(console) and "X: " in _last(console)

    await press(bot, "Merete Tillman", "draft.approve", {"draft": draft, "version": 2})
    assert "Kommunen: godkänd av Merete Tillman 10.00" in _last(teams)
    assert "Polisen: väntar" in _last(teams)
    done = await press(
        bot,
        "Veronica Gustafsson",
        "draft.approve",
        {"draft": draft, "version": 2},
        platform="teams",
        channel="19:polis@thread.tacv2",
    )
    assert "godkänt av båda parter" in text_of(done)
    final = _last(console)
    assert "godkänd av båda parter" in final.lower()
    assert "Polisen: godkänd av Veronica Gustafsson 10.00" in final
    assert "Färdig text att kopiera" in final
    assert final == _last(teams)
    # One announcement per channel of the room, and the updates replaced the posted copies.
    announcements = [r for _c, _m, r in console.posts + teams.posts if "kan publiceras" in r.text]
    assert len(announcements) == 2
    assert {m for _c, m, _r in console.updates} == {"console-msg-1"}
    assert {m for _c, m, _r in teams.updates} == {"teams-msg-1"}
    async with bot.database.sessions() as session:
        state = await session.scalar(select(Draft.state).where(Draft.id == draft))
        audited = (
            await session.scalars(
                select(AuditEvent.action).where(AuditEvent.entity_type == "draft")
            )
        ).all()
    assert state == "approved"
    assert audited == [
        "draft.create",
        "draft.request_changes",
        "draft.edit",
        "draft.approve",
        "draft.approve",
    ]


async def test_approvals_do_not_carry_over_to_a_new_version(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    console, _teams = room
    draft = await _draft(bot)
    await press(bot, "Merete Tillman", "draft.approve", {"draft": draft, "version": 1})
    assert "Kommunen: godkänd av Merete Tillman" in _last(console)
    await press(bot, "Erik Holm", "draft.edit", {"draft": draft, "version": 1, "text": "Ny text."})
    assert "Kommunen: väntar" in _last(console)
    # The old approval is still in the history.
    shown = text_of(await say(bot, "Erik Holm", f"utkast U{draft}"))
    assert "Kommunen godkände version 1: Merete Tillman" in shown
    refused = await press(bot, "Niklas Årcén", "draft.approve", {"draft": draft, "version": 1})
    assert "nu gäller version 2" in text_of(refused)


@pytest.mark.parametrize(
    ("who", "payload_extra", "expected"),
    [
        ("Sara Nilsson", {}, "Bara godkännare"),
        ("Anna Lindqvist", {}, "Bara godkännare"),
        ("Veronica Gustafsson", {"organisation": "kommun"}, "bara godkänna för din egen"),
    ],
)
async def test_approval_refused_for_non_signers_and_for_the_other_organisation(
    bot: Bot,
    room: tuple[RecordingMessenger, RecordingMessenger],
    who: str,
    payload_extra: dict[str, object],
    expected: str,
) -> None:
    draft = await _draft(bot)
    replies = await press(
        bot, who, "draft.approve", {"draft": draft, "version": 1, **payload_extra}
    )
    assert expected in text_of(replies)
    assert replies[0].visibility is Visibility.ONLY_TO_YOU
    assert await count_decisions(bot.database, "approve") == 0


async def test_second_approval_by_the_same_organisation_is_refused(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    console, _teams = room
    draft = await _draft(bot)
    await press(bot, "Veronica Gustafsson", "draft.approve", {"draft": draft, "version": 1})
    updates_before = len(console.updates)
    again = await press(bot, "Veronica Gustafsson", "draft.approve", {"draft": draft, "version": 1})
    other = await press(bot, "Niklas Årcén", "draft.approve", {"draft": draft, "version": 1})
    assert "Polisen har redan godkänt version 1" in text_of(again)
    assert "Polisen har redan godkänt version 1" in text_of(other)
    assert await count_decisions(bot.database, "approve") == 1
    assert len(console.updates) == updates_before


async def test_a_retried_delivery_of_the_same_press_has_no_second_effect(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    draft = await _draft(bot)
    payload = {"draft": draft, "version": 1}
    first = await press(bot, "Veronica Gustafsson", "draft.approve", payload, event_id="ev-1")
    retry = await press(bot, "Veronica Gustafsson", "draft.approve", payload, event_id="ev-1")
    assert "Du har godkänt" in text_of(first)
    assert retry == []
    assert await count_decisions(bot.database, "approve") == 1


async def test_withdrawn_and_approved_drafts_take_no_more_decisions(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    withdrawn = await _draft(bot)
    assert "tillbakadraget" in text_of(
        await press(bot, "Erik Holm", "draft.withdraw", {"draft": withdrawn, "version": 1})
    )
    for who, action, extra in [
        ("Veronica Gustafsson", "draft.approve", {}),
        ("Veronica Gustafsson", "draft.request_changes", {"comment": "Nej"}),
        ("Erik Holm", "draft.edit", {"text": "Ny"}),
        ("Erik Holm", "draft.withdraw", {}),
    ]:
        replies = await press(bot, who, action, {"draft": withdrawn, "version": 1, **extra})
        assert "är tillbakadraget och kan inte" in text_of(replies)
    approved = await _draft(bot)
    await press(bot, "Merete Tillman", "draft.approve", {"draft": approved, "version": 1})
    await press(bot, "Niklas Årcén", "draft.approve", {"draft": approved, "version": 1})
    for who, action, extra in [
        ("Veronica Gustafsson", "draft.approve", {}),
        ("Erik Holm", "draft.edit", {"text": "Ny"}),
        ("Erik Holm", "draft.withdraw", {}),
    ]:
        replies = await press(bot, who, action, {"draft": approved, "version": 1, **extra})
        assert "redan godkänt av båda parter" in text_of(replies)
    assert await count_decisions(bot.database) == 3
    async with bot.database.sessions() as session:
        versions = await session.scalar(select(DraftVersion.id).where(DraftVersion.number == 2))
    assert versions is None


async def test_request_changes_by_any_signer_and_refused_for_others(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    draft = await _draft(bot)
    form = await press(bot, "Niklas Årcén", "draft.request_changes", {"draft": draft, "version": 1})
    assert form[0].form is not None and form[0].form.payload == {"draft": draft, "version": 1}
    refused = await press(
        bot, "Sara Nilsson", "draft.request_changes", {"draft": draft, "version": 1, "comment": "x"}
    )
    assert "Bara godkännare" in text_of(refused)
    empty = await press(
        bot, "Niklas Årcén", "draft.request_changes", {"draft": draft, "version": 1, "comment": " "}
    )
    assert "comment" in empty[0].field_errors
    ok = await press(
        bot,
        "Merete Tillman",
        "draft.request_changes",
        {"draft": draft, "version": 1, "comment": "Lägg till tiden."},
    )
    assert "begärt ändring" in text_of(ok)
    assert await count_decisions(bot.database, "request_changes") == 1
    blocked = await press(bot, "Niklas Årcén", "draft.approve", {"draft": draft, "version": 1})
    assert "begärt ändring" in text_of(blocked)


async def test_edit_and_withdraw_only_by_the_author_or_an_admin(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    draft = await _draft(bot)
    refused = await press(
        bot, "Veronica Gustafsson", "draft.edit", {"draft": draft, "version": 1, "text": "Ny"}
    )
    assert "Bara författaren (Erik Holm) eller en administratör" in text_of(refused)
    refused = await press(
        bot, "Veronica Gustafsson", "draft.withdraw", {"draft": draft, "version": 1}
    )
    assert "Bara författaren (Erik Holm)" in text_of(refused)
    form = await press(bot, "Erik Holm", "draft.edit", {"draft": draft, "version": 1})
    assert form[0].form is not None
    assert [f.initial for f in form[0].form.fields][:3] == ["", TEXT, "facebook,instagram"]
    by_admin = await press(
        bot, "Anna Lindqvist", "draft.edit", {"draft": draft, "version": 1, "text": "Av admin."}
    )
    assert "Version 2 av U1" in text_of(by_admin)
    unchanged = await press(
        bot, "Erik Holm", "draft.edit", {"draft": draft, "version": 2, "text": "Av admin."}
    )
    assert "Inget har ändrats" in text_of(unchanged)
    withdrawn = await press(bot, "Anna Lindqvist", "draft.withdraw", {"draft": draft, "version": 2})
    assert "U1 är tillbakadraget" in text_of(withdrawn)


async def test_an_author_who_signs_may_approve_for_their_own_organisation(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    draft = await _draft(bot)
    replies = await press(bot, "Erik Holm", "draft.approve", {"draft": draft, "version": 1})
    assert "Du har godkänt version 1 av U1 för Kommunen" in text_of(replies)


async def test_author_may_approve_false_in_the_agreement_file_refuses_the_author(
    bot: Bot, tmp_path: Path
) -> None:
    source = BUNDLED_AGREEMENT.read_text(encoding="utf-8")
    edited = source.replace("author_may_approve = true", "author_may_approve = false")
    assert edited != source
    path = write_agreement(tmp_path / "agreement.toml", edited)
    async with bot.database.transaction() as session:
        await seed(session, load_agreement_file(path), now=bot.clock.now())
    bot.messengers["console"] = RecordingMessenger("console")
    await add_channel(bot.database, "console", "gemensam", "gemensam", joint=True)
    draft = await _draft(bot)
    refused = await press(bot, "Erik Holm", "draft.approve", {"draft": draft, "version": 1})
    assert "inte att den som skrivit utkastet själv godkänner" in text_of(refused)
    allowed = await press(bot, "Merete Tillman", "draft.approve", {"draft": draft, "version": 1})
    assert "Du har godkänt" in text_of(allowed)


async def test_concurrent_approvals_make_one_transition_and_one_announcement(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    console, teams = room
    # A second replica: its own engine and connection pool on the same database.
    replica_db = Database(bot.database.url)
    replica = Bot(replica_db, bot.settings, bot.clock)
    replica.messengers = bot.messengers
    for round_number in range(1, 4):
        draft = await _draft(bot)
        results = await asyncio.gather(
            press(bot, "Merete Tillman", "draft.approve", {"draft": draft, "version": 1}),
            press(
                replica,
                "Veronica Gustafsson",
                "draft.approve",
                {"draft": draft, "version": 1},
                platform="teams",
                channel="19:polis@thread.tacv2",
            ),
        )
        texts = [text_of(r) for r in results]
        assert all("Du har godkänt" in t for t in texts), texts
        assert sum("godkänt av båda parter" in t for t in texts) == 1
        announcements = [
            r for _c, _m, r in console.posts + teams.posts if "kan publiceras" in r.text
        ]
        assert len(announcements) == 2 * round_number
    await replica_db.dispose()
    async with bot.database.sessions() as session:
        states = (await session.scalars(select(Draft.state))).all()
    assert states == ["approved"] * 3
    # The last card each copy shows is the approved one, whichever update arrived last.
    assert "Godkänd av båda parter" in _last(console)


async def test_listing_and_showing_one_draft_with_history(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    first = await _draft(bot)
    await _draft(bot, body="Andra budskapet om julmarknaden.")
    await press(bot, "Merete Tillman", "draft.approve", {"draft": first, "version": 1})
    listing = await say(bot, "Sara Nilsson", "utkast")
    shown = text_of(listing)
    assert "Väntar på godkännande" in shown
    assert "U1 – Välkommen på trygghetsvandring" in shown and "väntar på Polisen" in shown
    assert (
        "U2 – Andra budskapet om julmarknaden. – version 1 – väntar på Kommunen, Polisen" in shown
    )
    assert [b.route for b in listing[0].buttons] == ["draft.new"]
    one = text_of(await say(bot, "Sara Nilsson", "utkast U1"))
    assert "Historik" in one and "Version 1 av Erik Holm 10.00 (kontrollsumma" in one
    missing = text_of(await say(bot, "Sara Nilsson", "utkast U99"))
    assert "Det finns inget utkast U99" in missing


async def test_english_card_and_listing(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    draft = await _draft(bot)
    await press(bot, "Merete Tillman", "draft.approve", {"draft": draft, "version": 1})
    shown = text_of(await say(bot, "Niklas Årcén", f"draft U{draft}", locale="en-GB"))
    assert "Draft U1:" in shown
    assert "Kommunen: approved by Merete Tillman 10:00" in shown
    assert "Polisen: waiting" in shown
    assert "State: Waiting for approval" in shown
    await press(bot, "Niklas Årcén", "draft.approve", {"draft": draft, "version": 1}, locale="en")
    final = text_of(await say(bot, "Niklas Årcén", f"draft U{draft}", locale="en-GB"))
    assert "approved by both parties" in final and "Copy-ready text" in final
    listing = text_of(await say(bot, "Niklas Årcén", "drafts", locale="en-GB"))
    assert "Approved by both parties" in listing


async def test_english_channel_cards_when_the_bot_speaks_english(
    seeded: object, clock: FixedClock
) -> None:
    from storage.db import Database

    assert isinstance(seeded, Database)
    settings = Settings(DATABASE_URL="sqlite+aiosqlite://", SAMVERKAN_LOCALE="en")  # type: ignore[call-arg]
    english = Bot(seeded, settings, clock)
    console = RecordingMessenger("console")
    english.messengers["console"] = console
    await add_channel(seeded, "console", "gemensam", "gemensam", joint=True)
    draft = await _draft(english)
    assert "Kommunen: waiting" in _last(console)
    await press(english, "Erik Holm", "draft.withdraw", {"draft": draft, "version": 1}, locale="sv")
    assert "State: Withdrawn" in _last(console) and "Withdrawn by Erik Holm 10:00" in _last(console)


async def test_state_lines_in_swedish_for_each_state(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    console, _teams = room
    draft = await _draft(bot)
    assert "Läge: Väntar på godkännande" in _last(console)
    await press(
        bot,
        "Niklas Årcén",
        "draft.request_changes",
        {"draft": draft, "version": 1, "comment": "Kortare"},
    )
    assert "Läge: Ändring begärd" in _last(console)
    assert "Ändring begärd av Niklas Årcén (Polisen) 10.00: ”Kortare”" in _last(console)
    assert [b.label for b in console.updates[-1][2].buttons] == ["Redigera", "Dra tillbaka"]
    await press(bot, "Erik Holm", "draft.withdraw", {"draft": draft, "version": 1})
    assert "Läge: Tillbakadraget" in _last(console)
    assert console.updates[-1][2].buttons == []


async def test_bad_input_is_refused_and_nothing_is_saved(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    too_long = await say(bot, "Erik Holm", "utkast " + "a" * 5001)
    assert "Texten är för lång (5001 tecken)" in text_of(too_long)
    empty_form = await press(bot, "Erik Holm", "draft.create", {"text": "  ", "targets": []})
    assert set(empty_form[0].field_errors) == {"text", "targets"}
    bad_time = await press(
        bot, "Erik Holm", "draft.create", {"text": "Hej", "targets": ["x"], "planned_at": "igår"}
    )
    assert set(bad_time[0].field_errors) == {"planned_at"}
    past = await press(
        bot,
        "Erik Holm",
        "draft.create",
        {"text": "Hej", "targets": ["x"], "planned_at": "2026-11-01T10:00"},
    )
    assert "redan varit" in past[0].field_errors["planned_at"]
    async with bot.database.sessions() as session:
        assert (await session.scalars(select(Draft))).all() == []


async def test_form_creates_a_draft_with_title_targets_and_planned_time(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    console, _teams = room
    form = await press(bot, "Veronica Gustafsson", "draft.new", {})
    assert form[0].form is not None
    assert [f.name for f in form[0].form.fields] == ["title", "text", "targets", "planned_at"]
    long_text = ("Polisen och kommunen bjuder in till trygghetsvandring. " * 6).strip()
    await press(
        bot,
        "Veronica Gustafsson",
        "draft.create",
        {
            "title": "Trygghetsvandring",
            "text": long_text,
            "targets": ["x", "press"],
            "planned_at": "2026-12-01T10:00",
        },
    )
    card = _last(console)
    assert "Utkast U1: Trygghetsvandring" in card
    assert "Planerad publicering: tisdag 1 december 2026 kl. 10.00" in card
    assert f"X: {len(long_text)} tecken – för långt, högst 280" in card
    assert long_text.strip() in card  # flagged, never cut
    assert f"Pressmeddelande: {len(long_text)} tecken" in card


async def test_personnummer_is_held_until_the_author_confirms(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    console, teams = room
    warned = await say(bot, "Erik Holm", "utkast Kontakta oss om 19811218-9876 har synpunkter.")
    assert "ser ut att innehålla ett personnummer" in text_of(warned)
    assert [b.label for b in warned[0].buttons] == ["Skicka ändå", "Redigera", "Dra tillbaka"]
    assert console.posts == [] and teams.posts == []
    refused = await press(bot, "Veronica Gustafsson", "draft.approve", {"draft": 1, "version": 1})
    assert "pausat" in text_of(refused)
    not_author = await press(bot, "Merete Tillman", "draft.send_anyway", {"draft": 1, "version": 1})
    assert "Bara författaren (Erik Holm) kan bekräfta" in text_of(not_author)
    confirmed = await press(bot, "Erik Holm", "draft.send_anyway", {"draft": 1, "version": 1})
    assert "Du har bekräftat U1" in text_of(confirmed)
    assert len(console.posts) == 1 and len(teams.posts) == 1
    assert await count_decisions(bot.database, "send_anyway") == 1
    again = await press(bot, "Erik Holm", "draft.send_anyway", {"draft": 1, "version": 1})
    assert "inte pausat" in text_of(again)
    async with bot.database.sessions() as session:
        actions = (await session.scalars(select(AuditEvent.action))).all()
    assert "draft.send_anyway" in actions


@pytest.mark.parametrize("number", ["811218-9876", "8112189876", "198112189876", "19811218-9876"])
async def test_personnummer_forms_with_and_without_century_and_dash(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger], number: str
) -> None:
    warned = text_of(await say(bot, "Erik Holm", f"utkast Ring om {number}"))
    assert "personnummer" in warned


async def test_a_number_that_fails_the_checksum_is_held_too(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    # A mistyped personnummer identifies a person just as well (issue 15).
    warned = text_of(await say(bot, "Erik Holm", "utkast Ärende 811218-9877"))
    assert "ser ut att innehålla ett personnummer" in warned


async def test_a_phone_number_as_people_write_it_is_not_held(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    replies = text_of(await say(bot, "Erik Holm", "utkast Ring 070-174 06 05 eller 0470-123 45"))
    assert "Utkast U1 är sparat" in replies


async def test_an_edit_that_adds_a_personnummer_hides_the_text_from_the_channel(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    console, _teams = room
    draft = await _draft(bot)
    warned = await press(
        bot, "Erik Holm", "draft.edit", {"draft": draft, "version": 1, "text": "Om 811218-9876"}
    )
    assert "personnummer" in text_of(warned)
    assert "811218-9876" not in _last(console)
    assert "Texten visas när författaren har bekräftat den" in _last(console)


async def test_decisions_are_append_only(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    draft = await _draft(bot)
    await press(bot, "Merete Tillman", "draft.approve", {"draft": draft, "version": 1})
    with pytest.raises(Exception, match="append-only"):
        async with bot.database.transaction() as session:
            await session.execute(update(Approval).values(comment="ändrat i efterhand"))
    with pytest.raises(Exception, match="append-only"):
        async with bot.database.transaction() as session:
            await session.execute(text("DELETE FROM draft_version"))


async def test_without_a_joint_channel_the_card_goes_to_the_askers_channel(
    chat: Chat,
) -> None:
    replies = await chat.ask("Erik Holm", f"utkast {TEXT}")
    assert "terminal (console)" in "\n".join(r.plain_text() for r in replies)
    console = chat.bot.messengers["console"]
    posted: list[tuple[str, Reply]] = console.posted  # type: ignore[attr-defined]
    assert posted[0][0] == "terminal" and TEXT in posted[0][1].plain_text()


async def test_a_late_update_never_overwrites_a_newer_card(
    bot: Bot, room: tuple[RecordingMessenger, RecordingMessenger]
) -> None:
    console, _teams = room
    draft = await _draft(bot)
    await press(bot, "Merete Tillman", "draft.approve", {"draft": draft, "version": 1})
    sent = len(console.updates)
    from bot.core.context import Outgoing

    async with bot.database.sessions() as session:
        copy = await session.scalar(select(PostedMessage).where(PostedMessage.channel_id == 1))
    assert copy is not None
    await bot.deliver(
        [
            Outgoing(
                copy.channel,
                Reply(text="old"),
                card=copy.card,
                revision=1,
                message_id=copy.message_id,
            )
        ]
    )
    assert len(console.updates) == sent
    _ = timedelta


async def test_end_to_end_in_the_terminal_with_the_real_channel_binding(chat: Chat) -> None:
    """An admin binds the channel as *gemensam*; the author drafts elsewhere; signers co-sign."""
    bound = await chat.text("Anna Lindqvist", "kanal gemensam", channel="gemensam")
    assert "gemensam" in bound.lower()
    created = await chat.text("Erik Holm", f"utkast {TEXT}")
    assert "gemensam (console)" in created
    console = chat.bot.messengers["console"]
    posted: list[tuple[str, Reply]] = console.posted  # type: ignore[attr-defined]
    assert posted[-1][0] == "gemensam" and "Kommunen: väntar" in posted[-1][1].plain_text()
    # Signers open the draft and press its buttons by number, as in `samverkan chat`.
    shown = await chat.ask("Veronica Gustafsson", "utkast U1", channel="gemensam")
    assert shown[0].buttons[0].label == "Godkänn"
    await chat.ask("Veronica Gustafsson", "1", channel="gemensam")
    await chat.ask("Merete Tillman", "utkast U1", channel="gemensam")
    done = await chat.text("Merete Tillman", "1", channel="gemensam")
    assert "godkänt av båda parter" in done
    final = [r.plain_text() for channel, r in posted if channel == "gemensam"]
    assert "godkänd av båda parter" in final[-2].lower()
    assert "kan publiceras" in final[-1]
