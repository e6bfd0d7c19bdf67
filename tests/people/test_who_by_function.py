"""`vem kommunpolis`, `vem är ordförande i Brå?`: people found by what they do."""

from __future__ import annotations

import pytest

from bot.common.text import clean_argument
from tests.conftest import Chat


@pytest.mark.parametrize(
    "question",
    [
        "vem kommunpolis",
        "vem är kommunpolis",
        "Vem är kommunpolis?",
        "Hej! Vem är kommunpolis?",
        "vem är ”kommunpolisen” 🙂",
        "who is community police officer?",
    ],
)
async def test_the_kommunpolis_is_found_by_role(chat: Chat, question: str) -> None:
    text = await chat.text("Sara Nilsson", question)
    assert "Veronica Gustafsson" in text
    assert "Kommunpolis Osby, Östra Göinge" in text


async def test_a_role_written_with_or_without_hyphen(chat: Chat) -> None:
    for question in ("vem är brå-samordnare", "vem bråsamordnare", "vem är Brå-samordnare?"):
        text = await chat.text("Sara Nilsson", question)
        assert "Anna Lindqvist" in text and "Titel: Brå-samordnare" in text, question


async def test_a_seat_in_a_forum(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "vem är ordförande i Brå?")
    assert "Birgitta Holmén" in text
    assert "Anna Lindqvist" not in text


async def test_signers_are_listed_with_their_organisation(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "vem är godkännare")
    for name in ("Merete Tillman", "Niklas Årcén", "Veronica Gustafsson", "Erik Holm"):
        assert name in text
    assert "Sara Nilsson" not in text
    assert "Skriv `vem <namn>`" in text


async def test_a_word_of_a_title(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "vem kommunikatör")
    assert "Erik Holm – Kommunikatör, Kommunen" in text
    assert "Karin Öberg – Kommunikatör, Polisregion Syd, Polisen" in text


async def test_a_need_to_know_seat_is_not_revealed_to_outsiders(chat: Chat) -> None:
    outsider = await chat.text("Sara Nilsson", "vem är representant i avhopp")
    assert "Maria Ek" not in outsider and "Peter Wallin" not in outsider
    assert "visas bara för forumets medlemmar" in outsider
    member = await chat.text("Peter Wallin", "vem är representant i avhopp")
    assert "Maria Ek" in member


async def test_seats_without_a_forum_skip_need_to_know_forums(chat: Chat) -> None:
    outsider = await chat.text("Sara Nilsson", "vem är representant")
    assert "Ahmed Karimi" in outsider
    assert "Peter Wallin" not in outsider  # his only seat is in Avhopparverksamhet


async def test_an_empty_seat_says_so(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "vem är sekreterare i tillsyn")
    assert "Ingen har uppdraget ”sekreterare i tillsyn”" in text


async def test_names_still_come_first(chat: Chat) -> None:
    assert "Titel: Brå-samordnare" in await chat.text("Sara Nilsson", "vem är ”Anna Lindqvist”?")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("”kommunpolis”?", "kommunpolis"),
        ("vem är Anna 🙂", "Anna"),
        ("Hej, vem är Anna?", "Anna"),
        ("'brå'!", "brå"),
        ("vem", "vem"),
    ],
)
def test_one_normaliser_for_arguments(typed: str, expected: str) -> None:
    assert clean_argument(typed) == expected
