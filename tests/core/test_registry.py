"""The command registry: declarations are listed, checked, and drive help."""

from __future__ import annotations

import pytest

from bot.core.registry import MAX_FEATURED, Access, Command, Registry
from bot.core.reply import Reply
from bot.features import default_catalog


async def _noop(_context: object, _args: dict[str, str]) -> Reply:
    return Reply(text="")


def test_every_command_module_is_listed_in_the_features() -> None:
    keys = {command.key for command in default_catalog().registry.commands}
    expected = {"help", "forums", "contacts", "who", "agreement", "language"}
    expected |= {"channel", "person", "member", "link"}
    assert expected <= keys


def test_featured_commands_come_first_and_are_at_most_ten() -> None:
    registry = default_catalog().registry
    featured = registry.featured()
    assert 0 < len(featured) <= MAX_FEATURED
    assert registry.commands[: len(featured)] == featured


def test_an_eleventh_featured_command_is_refused() -> None:
    registry = Registry()
    for number in range(MAX_FEATURED):
        registry.add(
            Command(f"c{number}", (f"sv{number}",), (f"en{number}",), _noop, featured=True)
        )
    with pytest.raises(ValueError, match="featured"):
        registry.add(Command("c10", ("sv10",), ("en10",), _noop, featured=True))


def test_two_commands_may_not_share_a_name() -> None:
    registry = Registry()
    registry.add(Command("one", ("kontakt",), ("contact",), _noop))
    with pytest.raises(ValueError, match="Kontakt"):
        registry.add(Command("two", ("Kontakt",), ("other",), _noop, access=Access.ADMIN))
