from tests.conftest import Chat


async def test_help_answers_in_swedish(chat: Chat) -> None:
    text = await chat.text("Veronica Gustafsson", "hjälp")
    assert "Samverkansboten – hjälp" in text
    assert "hjälp [kommando]" in text
