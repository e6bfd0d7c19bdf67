"""Commands as declarations: names in both languages, grammar, access, and whether featured.

Each module in `bot/commands/` declares a `COMMAND` (and optionally `ROUTES` for its buttons
and forms); `bot/features.py` lists them per feature, and `hjälp`/`help` and the platforms'
command menus are generated from the same declarations.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.common.text import fold, without_decoration

if TYPE_CHECKING:
    from bot.core.context import Context, DirectoryContext
    from bot.core.reply import Reply

MAX_FEATURED = 10


class Access(StrEnum):
    ANYONE = "anyone"  # also people the bot does not know yet
    REGISTERED = "registered"
    ADMIN = "admin"


@dataclass(frozen=True)
class Param:
    """One argument. `greedy` takes the rest of the line; the name is a catalog key."""

    name: str
    required: bool = True
    greedy: bool = False
    # A look-up (a name, a forum, a command): quotes, emoji, a question mark and "vem är" are
    # left out by the parser (`bot.common.text.clean_argument`), so the command never sees them.
    lookup: bool = False


Handler = Callable[["Context", dict[str, str]], Awaitable["Reply | list[Reply]"]]
DirectoryHandler = Callable[["DirectoryContext", dict[str, str]], "Reply | list[Reply]"]
RouteHandler = Callable[["Context", dict[str, object]], Awaitable["Reply | list[Reply]"]]


@dataclass(frozen=True)
class Command:
    """A command runs either `handler` (a session and a transaction: it may change things) or
    `answer` (the directory in memory: it only reads, and answers without touching the
    database); exactly one of the two is given."""

    key: str
    names_sv: tuple[str, ...]
    names_en: tuple[str, ...]
    handler: Handler | None = None
    answer: DirectoryHandler | None = None
    params: tuple[Param, ...] = ()
    access: Access = Access.REGISTERED
    featured: bool = False
    # False for what is no command to learn (small talk): left out of `hjälp`.
    listed: bool = True

    def __post_init__(self) -> None:
        if (self.handler is None) == (self.answer is None):
            raise ValueError(f"command {self.key} needs exactly one of handler and answer")

    def name(self, language: str) -> str:
        return self.names_en[0] if language == "en" else self.names_sv[0]

    def all_names(self) -> tuple[str, ...]:
        return self.names_sv + self.names_en


@dataclass(frozen=True)
class ButtonRoute:
    """A button or form submission: the name adapters put in the payload, and who may press it."""

    name: str
    handler: RouteHandler
    access: Access = Access.REGISTERED


@dataclass
class Registry:
    commands: list[Command] = field(default_factory=list)
    routes: dict[str, ButtonRoute] = field(default_factory=dict)
    _by_name: dict[str, Command] = field(default_factory=dict)

    def add(self, command: Command) -> None:
        for name in command.all_names():
            folded = fold(name)
            other = self._by_name.get(folded)
            if other is not None and other.key != command.key:
                raise ValueError(f"command name '{name}' is used by {other.key} and {command.key}")
            self._by_name[folded] = command
        self.commands.append(command)
        if len(self.featured()) > MAX_FEATURED:
            raise ValueError(f"at most {MAX_FEATURED} commands may be featured")

    def add_route(self, route: ButtonRoute) -> None:
        if route.name in self.routes:
            raise ValueError(f"button route '{route.name}' is registered twice")
        self.routes[route.name] = route

    def featured(self) -> list[Command]:
        return [c for c in self.commands if c.featured]

    def get(self, key: str) -> Command:
        return next(c for c in self.commands if c.key == key)

    def lookup(self, words: list[str]) -> tuple[Command, int] | None:
        """The command named by the longest run of leading words, and how many words it took.

        A question mark or an emoji after a name is forgiven (`hjälp?`, `tack!`)."""
        found = self.lookup_name(words)
        return (found[0], found[1]) if found else None

    def lookup_name(self, words: list[str]) -> tuple[Command, int, str] | None:
        """Like `lookup`, with the name as written (folded), which tells the language."""
        for length in range(min(len(words), 3), 0, -1):
            name = fold(without_decoration(" ".join(words[:length])))
            command = self._by_name.get(name)
            if command is not None:
                return command, length, name
        return None

    def language_of(self, command: Command, name: str) -> str | None:
        """`en` for a name only the English list has, `sv` for a Swedish-only one, else None."""
        swedish = {fold(n) for n in command.names_sv}
        english = {fold(n) for n in command.names_en}
        if name in english and name not in swedish:
            return "en"
        if name in swedish and name not in english:
            return "sv"
        return None

    def names(self) -> Iterable[str]:
        return self._by_name.keys()


def build_registry(commands: Iterable[Command], routes: Iterable[ButtonRoute]) -> Registry:
    """A registry of the given declarations, in help order; a name used twice fails here."""
    registry = Registry()
    for command in commands:
        registry.add(command)
    for route in routes:
        registry.add_route(route)
    registry.commands.sort(key=lambda c: (not c.featured, _ORDER.get(c.key, 99), c.key))
    return registry


# Help lists featured commands in the order staff use them most.
_ORDER = {"contacts": 0, "forums": 1, "who": 2, "agreement": 3, "language": 8, "help": 9}
