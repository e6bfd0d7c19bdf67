"""`påminnelser ta bort 2` means the same reminder before and after another is removed."""

from __future__ import annotations

from tests.conftest import Chat


async def test_numbers_stay_when_another_is_removed(chat: Chat) -> None:
    for when, text in (("1/12", "ett"), ("2/12", "två"), ("3/12", "tre")):
        await chat.ask("Sara Nilsson", f"påminn mig {when} kl 10 {text}")
    await chat.ask("Sara Nilsson", "påminnelser ta bort 1")
    listed = await chat.text("Sara Nilsson", "påminnelser")
    assert "ett" not in listed
    assert "2. onsdag 2 december 2026 kl. 10.00: två" in listed
    assert "3. torsdag 3 december 2026 kl. 10.00: tre" in listed
    removed = await chat.text("Sara Nilsson", "påminnelser ta bort 2")
    assert "två" in removed
    left = await chat.text("Sara Nilsson", "påminnelser")
    assert "tre" in left and "två" not in left and "ett" not in left
    assert "3. torsdag 3 december 2026 kl. 10.00: tre" in left


async def test_a_new_reminder_gets_a_new_number(chat: Chat) -> None:
    await chat.ask("Sara Nilsson", "påminn mig 1/12 kl 10 ett")
    await chat.ask("Sara Nilsson", "påminn mig 2/12 kl 10 två")
    await chat.ask("Sara Nilsson", "påminnelser ta bort 1")
    await chat.ask("Sara Nilsson", "påminn mig 3/12 kl 10 tre")
    listed = await chat.text("Sara Nilsson", "påminnelser")
    assert "3. " in listed and "2. " in listed and "1. " not in listed


async def test_a_number_that_is_not_there_names_the_ones_that_are(chat: Chat) -> None:
    await chat.ask("Sara Nilsson", "påminn mig 1/12 kl 10 ett")
    await chat.ask("Sara Nilsson", "påminn mig 2/12 kl 10 två")
    await chat.ask("Sara Nilsson", "påminnelser ta bort 1")
    text = await chat.text("Sara Nilsson", "påminnelser ta bort 1")
    assert "Det finns ingen påminnelse nummer 1" in text and "nummer: 2" in text


async def test_numbers_are_per_person(chat: Chat) -> None:
    await chat.ask("Sara Nilsson", "påminn mig 1/12 kl 10 saras")
    await chat.ask("Johan Berg", "påminn mig 1/12 kl 10 johans")
    assert "1. " in await chat.text("Johan Berg", "påminnelser")
