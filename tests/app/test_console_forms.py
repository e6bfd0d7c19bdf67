"""Forms in the terminal chat: asked field by field, checked, cancellable, and submitted through
the same route as Slack's modals and Teams' cards (issue 18). Driven with scripted lines."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from adapters.console import ConsoleSession, render_replies
from app.cli.main import main
from storage.models import Approval, AuditEvent, DraftVersion, Meeting, Person
from tests.app.test_cli import run
from tests.conftest import Chat
from tests.drafts_helpers import add_channel


@pytest.fixture
def chat_url(cli_database_url: str) -> str:
    """A migrated and seeded database for the `samverkan chat` command."""
    assert run(cli_database_url, "db", "upgrade").exit_code == 0
    assert run(cli_database_url, "seed").exit_code == 0
    return cli_database_url


async def _lines(session: ConsoleSession, *lines: str) -> list[str]:
    """Each line's rendered answer, as the terminal prints it."""
    return [render_replies(await session.say(line)) for line in lines]


async def _meetings(chat: Chat) -> list[Meeting]:
    async with chat.bot.database.sessions() as session:
        return list((await session.scalars(select(Meeting).order_by(Meeting.id))).all())


async def test_a_meeting_form_is_filled_in_field_by_field_and_scheduled(chat: Chat) -> None:
    anna = await chat.session("Anna Lindqvist")
    opened, forum, when, place = await _lines(anna, "möte", "brå", "3/12 9.00", "")
    assert "(Planera möte)" in opened
    assert "Fyll i" in opened and "(1 av 3, måste fyllas i):" in opened
    assert "Skriv avbryt för att avbryta." in opened
    assert "  1. " in opened  # the forums, numbered
    assert "(2 av 3, måste fyllas i):" in forum
    assert "(3 av 3, frivilligt, tom rad hoppar över):" in when
    assert "Mötet M1 i Lokala Brottsförebyggande rådet (Brå) är planerat" in place
    assert "torsdag 3 december 2026 kl. 09.00" in place
    [meeting] = await _meetings(chat)
    assert meeting.place is None
    assert anna.filling is None
    # The next line is a command again, not an answer to a field.
    assert "Forum för samverkan" in render_replies(await anna.say("forum"))


async def test_a_wrong_answer_is_asked_again_and_the_core_checks_its_own_fields(
    chat: Chat,
) -> None:
    anna = await chat.session("Anna Lindqvist")
    await anna.say("möte")
    [wrong_forum] = await _lines(anna, "ingen sådan grupp")
    assert "”ingen sådan grupp” finns inte bland valen" in wrong_forum
    assert "(1 av 3, måste fyllas i):" in wrong_forum
    # The date has no time: the terminal sends it, the core refuses that field, and only the
    # time is asked again (the forum and the place are kept).
    _forum, _when, refused = await _lines(anna, "1", "3 dec", "Kommunhuset")
    assert "Något i formuläret behöver rättas. Inget har sparats." in refused
    assert "Rätta ”" in refused and "saknar klockslag" in refused
    assert "(2 av 3, måste fyllas i):" in refused
    assert await _meetings(chat) == []
    [done] = await _lines(anna, "3 dec kl 13")
    assert "är planerat" in done
    [meeting] = await _meetings(chat)
    assert meeting.place == "Kommunhuset"


async def test_cancel_by_word_by_empty_line_and_by_ctrl_d(chat: Chat) -> None:
    anna = await chat.session("Anna Lindqvist")
    await anna.say("person ny")
    [cancelled] = await _lines(anna, "avbryt")
    assert cancelled == "Du avbröt ”Lägg till person”. Inget är skickat."
    await anna.say("möte")
    await anna.say("brå")
    [empty] = await _lines(anna, "   ")  # a required field left empty
    assert "Du avbröt" in empty and anna.filling is None
    await anna.say("möte")
    [ctrl_d] = anna.cancel_form()
    assert "Du avbröt" in ctrl_d.text and anna.filling is None
    assert await _meetings(chat) == []
    async with chat.bot.database.sessions() as session:
        audit = await session.scalar(select(AuditEvent).where(AuditEvent.action.like("meeting%")))
    assert audit is None


async def test_person_form_checks_length_and_the_cores_validation(chat: Chat) -> None:
    anna = await chat.session("Anna Lindqvist")
    opened = render_replies(await anna.say("person ny"))
    assert "Lägg till person" in opened and "Namn (1 av 5, måste fyllas i):" in opened
    answers = await _lines(anna, "Eva Strand", "polis", "Kommunpolis", "inte en adress", "")
    assert "1. Östra Göinge kommun" in answers[0]  # the organisations, numbered
    assert "Rätta ”" in answers[-1]  # the core refused the e-mail: asked again
    assert "(4 av 5, frivilligt, tom rad hoppar över):" in answers[-1]
    [done] = await _lines(anna, "eva.strand@example.org")  # only that field was asked again
    assert "Eva Strand är tillagd." in done
    async with chat.bot.database.sessions() as session:
        eva = await session.scalar(select(Person).where(Person.name == "Eva Strand"))
    assert eva is not None and eva.email == "eva.strand@example.org"
    assert eva.title == "Kommunpolis"


async def _joint_draft(chat: Chat) -> None:
    await add_channel(chat.bot.database, "console", "gemensam", "gemensam", joint=True)
    text = "Välkommen på trygghetsvandring i Broby torsdag 3 december kl. 18.00."
    assert "U1" in await chat.text("Erik Holm", f"utkast {text}")


def _number_of(session: ConsoleSession, label: str) -> str:
    return str(next(n for n, b in enumerate(session.choices, 1) if b.label == label))


async def test_request_changes_from_the_card_in_the_terminal(chat: Chat) -> None:
    await _joint_draft(chat)
    veronica = await chat.session("Veronica Gustafsson")
    await veronica.say("utkast U1")
    [form] = await _lines(veronica, _number_of(veronica, "Begär ändring"))
    assert "Begär ändring i U1" in form and "(1 av 1, måste fyllas i):" in form
    [done] = await _lines(veronica, "Skriv ut platsen: Broby torg.")
    assert "Du har begärt ändring i U1" in done
    async with chat.bot.database.sessions() as session:
        [decision] = (await session.scalars(select(Approval))).all()
    assert (decision.decision, decision.comment, decision.version) == (
        "request_changes",
        "Skriv ut platsen: Broby torg.",
        1,
    )


async def test_edit_form_keeps_current_values_on_an_empty_line(chat: Chat) -> None:
    await _joint_draft(chat)
    erik = await chat.session("Erik Holm")
    await erik.say("utkast U1")
    [opened] = await _lines(erik, _number_of(erik, "Redigera"))
    assert "Redigera" in opened and "(1 av 4, frivilligt, tom rad hoppar över):" in opened
    [too_long] = await _lines(erik, "R" * 151)
    assert "Det är 151 tecken, men högst 150 får plats." in too_long
    title, text, targets = await _lines(erik, "Trygghetsvandring", "", "1, x")
    assert "Nu: Välkommen på trygghetsvandring" in title  # the text's current value
    assert "Nu: Facebook, Instagram" in text  # the targets, by their names
    assert "(4 av 4, frivilligt" in targets
    [bad_time] = await _lines(erik, "snart")
    assert "Jag kan inte läsa ”snart” som datum och klockslag." in bad_time
    [saved] = await _lines(erik, "2026-12-01 10:00")
    assert "Version 2 av U1 är sparad" in saved
    async with chat.bot.database.sessions() as session:
        version = await session.scalar(select(DraftVersion).where(DraftVersion.number == 2))
    assert version is not None
    assert version.title == "Trygghetsvandring"
    assert version.text.startswith("Välkommen på trygghetsvandring")
    assert version.targets == ["facebook", "x"]
    assert version.planned_at is not None and version.planned_at.hour == 9  # 10.00 in Stockholm


async def test_prompts_follow_the_language(chat: Chat) -> None:
    chat.bot.settings.locale = "en"
    anna = await chat.session("Anna Lindqvist")
    opened = render_replies(await anna.say("meeting"))
    assert "(1 of 3, required):" in opened and "Write cancel to stop." in opened
    [cancelled] = await _lines(anna, "cancel")
    assert cancelled.startswith("You cancelled “")


def test_the_chat_command_fills_a_form_and_ctrl_d_leaves_only_the_form(chat_url: str) -> None:
    env = {"DATABASE_URL": chat_url, "SAMVERKAN_LOCALE": "sv"}
    # The place is skipped with an empty line; the second form is left by the end of input.
    lines = "möte\nbrå\n2027-03-04 09:00\n\nmöte\n"
    result = CliRunner().invoke(main, ["chat", "--as", "Anna Lindqvist"], input=lines, env=env)
    assert result.exit_code == 0, result.output
    assert "(1 av 3, måste fyllas i):" in result.output
    assert "Mötet M1 i Lokala Brottsförebyggande rådet (Brå) är planerat" in result.output
    assert "torsdag 4 mars 2027 kl. 09.00" in result.output
    assert result.output.count("Du avbröt") == 1
    assert "Traceback" not in result.output


def test_say_shows_a_form_without_asking_for_its_fields(chat_url: str) -> None:
    result = run(chat_url, "say", "--as", "Anna Lindqvist", "möte")
    assert result.exit_code == 0
    assert "(Planera möte)" in result.output
    assert "(1 av 3" not in result.output
