"""A title (shown to everyone) may not name a forum whose membership is need-to-know: the
seed, the CSV contacts import and `person ny|ändra` refuse it, naming the field; the bundled
demo data passes, and `vem` shows no outsider that someone is in the exit programme."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.agreement.file import AgreementFileError, load_agreement_file
from bot.common.config import BUNDLED_AGREEMENT
from bot.core.request import ButtonPress, ChannelRef, PlatformUser, Request
from bot.directory.contacts_csv import InvalidContactsFile, parse_contacts
from bot.directory.contacts_import import import_contacts
from bot.directory.secret_names import SecretForumNames, load_secret_names
from storage.db import Database
from storage.models import Person
from tests.agreement_files import write_agreement
from tests.conftest import NOW, Chat

AVHOPP = "Avhopparverksamhet"


@pytest.mark.parametrize(
    ("title", "named"),
    [
        ("Polisinspektör, avhopparkontakt", AVHOPP),
        ("Samordnare för Avhopparverksamheten", AVHOPP),
        ("AVHOPP-handläggare", AVHOPP),
        ("Exit programme coordinator", AVHOPP),
        ("Exitsamordnare", AVHOPP),
        ("Polisinspektör", None),
        ("Brexit-analytiker", None),  # "exit" inside a word is not the forum
        ("Alkohol- och tobakshandläggare, tillsyn", None),  # inspections' contacts are open
        ("Fritidsledare, Spindelgrupp Broby", None),
        ("", None),
    ],
)
async def test_which_titles_name_the_exit_programme(
    seeded: Database, title: str, named: str | None
) -> None:
    async with seeded.sessions() as session:
        names = await load_secret_names(session)
    assert names.named_in(title) == named


def test_a_group_inherits_its_forums_secrecy() -> None:
    names = SecretForumNames.of([("Hemliga rådet", ["hemlig", "Hemliga rådet", "grupp norr"])])
    assert names.named_in("Kontakt i grupp norr") == "Hemliga rådet"
    assert names.named_in("Kontakt i gruppen söder") is None


def test_the_bundled_demo_data_names_no_secret_forum() -> None:
    spec = load_agreement_file(BUNDLED_AGREEMENT)  # raises if a title names one
    peter = next(p for p in spec.people if p.name == "Peter Wallin")
    assert peter.title == "Polisinspektör"
    assert "avhopp" in peter.forums  # the membership is kept, only the title changed


def test_the_seed_refuses_a_title_that_names_the_forum(tmp_path: Path) -> None:
    text = BUNDLED_AGREEMENT.read_text(encoding="utf-8").replace(
        'title = "Polisinspektör"\n', 'title = "Polisinspektör, avhopparkontakt"\n', 1
    )
    path = write_agreement(tmp_path / "agreement.toml", text)
    with pytest.raises(AgreementFileError) as raised:
        load_agreement_file(path)
    [problem] = raised.value.problems
    assert "(Peter Wallin).title" in problem
    assert f"names the need-to-know forum '{AVHOPP}'" in problem
    assert f"titeln nämner {AVHOPP}" in problem


async def test_person_new_and_edit_refuse_such_a_title(chat: Chat) -> None:
    text = await chat.text(
        "Anna Lindqvist",
        "person ny Eva Strand organisation: polis titel: Avhopparkontakt e-post: eva@example.org",
    )
    assert "Personen sparades inte." in text and f"Titeln nämner {AVHOPP}" in text
    async with chat.bot.database.sessions() as session:
        assert await session.scalar(select(Person).where(Person.name == "Eva Strand")) is None

    text = await chat.text("Anna Lindqvist", "person ändra Peter Wallin titel: Avhoppssamordnare")
    assert f"Titeln nämner {AVHOPP}" in text
    text = await chat.text("Anna Lindqvist", "person ändra Peter Wallin titel: Gruppchef")
    assert "Uppgifterna för Peter Wallin är ändrade." in text
    async with chat.bot.database.sessions() as session:
        peter = await session.scalar(select(Person).where(Person.name == "Peter Wallin"))
        assert peter is not None and peter.title == "Gruppchef"


async def test_the_refusal_is_in_english_for_an_english_speaker(chat: Chat) -> None:
    await chat.text("Anna Lindqvist", "språk engelska")
    text = await chat.text("Anna Lindqvist", "person edit Peter Wallin title: Exit coordinator")
    assert f"The title names {AVHOPP}" in text
    assert "The person was not saved." in text


async def test_the_form_marks_the_title_field(chat: Chat) -> None:
    anna = (await chat.session("Anna Lindqvist")).person
    request = Request(
        user=PlatformUser("console", str(anna.id)),
        channel=ChannelRef("console", "terminal"),
        press=ButtonPress(
            "person.add",
            {"name": "Eva Strand", "organisation": "polis", "title": "Avhopparkontakt"},
        ),
        person_id=anna.id,
    )
    [reply] = await chat.bot.handle(request)
    assert set(reply.field_errors) == {"title"}
    assert AVHOPP in reply.field_errors["title"]


async def test_the_csv_import_refuses_the_row_and_names_the_column(seeded: Database) -> None:
    data = (
        "namn,titel,organisation,e-post,telefon,forum,roll\r\n"
        "Eva Strand,Fältassistent,kommun,eva@example.org,,brå,\r\n"
        "Olle Ek,Avhopparkontakt,polis,olle@example.org,,avhopp,\r\n"
    ).encode()
    with pytest.raises(InvalidContactsFile) as raised:
        async with seeded.transaction() as session:
            await import_contacts(session, parse_contacts(data), now=NOW)
    [error] = raised.value.errors
    assert (error.row, error.column, error.code) == (3, "titel", "title_names_forum")
    assert error.values == {"forum": AVHOPP}
    async with seeded.sessions() as session:
        assert await session.scalar(select(Person).where(Person.name == "Eva Strand")) is None


async def test_who_shows_an_outsider_nothing_of_the_exit_programme(chat: Chat) -> None:
    outsider = await chat.text("Erik Holm", "vem Peter Wallin")
    assert "Polisinspektör" in outsider
    for word in ("avhopp", "Avhopp", "exit", "Exit"):
        assert word not in outsider
    member = await chat.text("Maria Ek", "vem Peter Wallin")
    assert AVHOPP in member  # a fellow member sees the membership
