from __future__ import annotations

from tests.conftest import Chat


async def test_forums_lists_the_four_forums_with_expected_parties(chat: Chat) -> None:
    text = await chat.text("Sara Nilsson", "forum")
    for name in (
        "Lokala Brottsförebyggande rådet (Brå)",
        "Spindelgrupper (skola, socialtjänst, polis, fritid)",
        "Lagstadgad tillsynsverksamhet i samverkan",
        "Avhopparverksamhet",
    ):
        assert name in text
    assert text.count("Förväntas delta: Kommunen och Polisen") == 4
    groups = "Grupper (demodata, inte bekräftade av organisationerna)"
    assert f"{groups}: Spindelgrupp Broby, Spindelgrupp Knislinge" in text


async def test_forums_in_english(chat: Chat) -> None:
    await chat.ask("Sara Nilsson", "språk engelska")
    text = await chat.text("Sara Nilsson", "forums")
    assert (
        "Exit programme" in text and "Expected to attend: the municipality and the police" in text
    )


async def test_forums_shows_the_next_meeting_to_those_who_may_see_it(chat: Chat) -> None:
    await chat.ask("Anna Lindqvist", "möte brå 10/12 13.00 plats: Kommunhuset")
    await chat.ask("Anna Lindqvist", "möte brå 3/12 9.00 plats: Kommunhuset")
    scheduled = await chat.text("Anna Lindqvist", "möte avhopp 4/12 10.00")
    assert "M3" in scheduled
    member_view = await chat.text("Maria Ek", "forum")
    assert (
        "Nästa möte: torsdag 3 december 2026 kl. 09.00 (Lokala Brottsförebyggande rådet (Brå), M2)"
        in member_view
    )
    assert "Nästa möte: fredag 4 december 2026 kl. 10.00 (Avhopparverksamhet, M3)" in member_view
    outsider_view = await chat.text("Sara Nilsson", "forum")
    assert "(Brå), M2)" in outsider_view
    assert "M3" not in outsider_view and "4 december" not in outsider_view


async def test_a_group_meeting_counts_as_the_forums_next(chat: Chat) -> None:
    await chat.ask("Anna Lindqvist", "möte spindelgrupp broby 2/12 14.00")
    text = await chat.text("Sara Nilsson", "forum")
    assert "Nästa möte: onsdag 2 december 2026 kl. 14.00 (Spindelgrupp Broby, M1)" in text
    # A member of another group, or an outsider, does not see it (no free text in Spindel).
    assert "M1" not in await chat.text("Johan Berg", "forum")
    assert "M1" not in await chat.text("Erik Holm", "forum")


async def test_every_restricted_forum_says_its_meetings_are_for_members(chat: Chat) -> None:
    text = await chat.text("Erik Holm", "forum")
    # Spindel (no free text) and the inspections; the exit programme says contacts and meetings.
    assert text.count("Möten visas bara för forumets medlemmar.") == 2
    # The exit programme's own description says it too.
    assert text.count("Kontakter och möten visas bara för forumets medlemmar.") == 2
