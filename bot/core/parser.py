"""Turns a chat message into a command and its arguments. Never raises, whatever the text."""

from __future__ import annotations

from dataclasses import dataclass

from bot.common.text import clean_argument, drop_greeting, fold
from bot.core.registry import Command, Registry

MAX_MESSAGE_LENGTH = 8000


@dataclass(frozen=True)
class Parsed:
    command: Command
    args: dict[str, str]
    # The language of the command's name as typed (`help` → en), None when both share it.
    language: str | None = None


@dataclass(frozen=True)
class Empty:
    pass


@dataclass(frozen=True)
class TooLong:
    length: int


@dataclass(frozen=True)
class Unknown:
    word: str
    suggestion: Command | None


@dataclass(frozen=True)
class MissingArgument:
    command: Command
    param: str


ParseResult = Parsed | Empty | TooLong | Unknown | MissingArgument


def parse(text: str, registry: Registry) -> ParseResult:
    if len(text) > MAX_MESSAGE_LENGTH:
        return TooLong(len(text))
    cleaned = text.strip().lstrip("/").strip()
    words = drop_greeting(cleaned.split())  # "Hej! Vem är kommunpolis?"
    if not words:
        return Empty()
    found = registry.lookup_name(words)
    if found is None:
        return Unknown(words[0], suggest(words[0], registry))
    command, used, name = found
    result = _bind(command, words[used:])
    if isinstance(result, Parsed):
        return Parsed(result.command, result.args, registry.language_of(command, name))
    return result


def _bind(command: Command, words: list[str]) -> ParseResult:
    args: dict[str, str] = {}
    remaining = list(words)
    for param in command.params:
        if param.greedy:
            value = " ".join(remaining)
            remaining = []
        else:
            value = remaining.pop(0) if remaining else ""
        if param.lookup:
            value = clean_argument(value)
        if value:
            args[param.name] = value
        elif param.required:
            return MissingArgument(command, param.name)
    if remaining and command.params and command.params[-1].greedy is False:
        # Extra words after the last argument belong to it: forgiving, not an error.
        last = command.params[-1].name
        args[last] = " ".join([args.get(last, ""), *remaining]).strip()
    return Parsed(command, args)


def suggest(word: str, registry: Registry) -> Command | None:
    """The command whose name is closest to an unknown word, if any is close enough."""
    folded = fold(word)
    if not folded:
        return None
    # Imported on first use: only a mistyped command needs fuzzy matching.
    from rapidfuzz import fuzz, process

    names = list(registry.names())
    best = process.extractOne(folded, names, scorer=fuzz.ratio, score_cutoff=60)
    if best is not None:
        candidate = str(best[0])
    else:
        prefixed = [n for n in names if len(folded) >= 2 and n.startswith(folded)]
        if not prefixed:
            return None
        candidate = prefixed[0]
    found = registry.lookup([candidate])
    return found[0] if found else None
