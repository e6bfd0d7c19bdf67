"""The command parser: known commands, forgiving names, suggestions, and never a crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.parser import Empty, MissingArgument, Parsed, TooLong, Unknown, parse
from bot.features import default_catalog

REGISTRY = default_catalog().registry


def test_swedish_and_english_names_reach_the_same_command() -> None:
    swedish = parse("kontakter brå", REGISTRY)
    english = parse("contacts bra", REGISTRY)
    assert isinstance(swedish, Parsed) and isinstance(english, Parsed)
    assert swedish.command.key == english.command.key == "contacts"
    assert swedish.args == {"forum": "brå"}


def test_names_are_matched_without_case_or_accents() -> None:
    for text in ("HJÄLP", "hjalp", "Överenskommelse", "overenskommelse", "/hjälp"):
        result = parse(text, REGISTRY)
        assert isinstance(result, Parsed), text


def test_a_two_word_name_wins_over_a_one_word_name() -> None:
    result = parse("vem är Anna", REGISTRY)
    assert isinstance(result, Parsed)
    assert result.command.key == "who"
    assert result.args == {"name": "Anna"}


def test_unknown_command_suggests_the_closest() -> None:
    result = parse("kontaktr brå", REGISTRY)
    assert isinstance(result, Unknown)
    assert result.suggestion is not None and result.suggestion.key == "contacts"


def test_gibberish_gets_no_suggestion() -> None:
    result = parse("xqzzv", REGISTRY)
    assert isinstance(result, Unknown)
    assert result.suggestion is None


def test_missing_argument_names_the_parameter() -> None:
    result = parse("kontakter", REGISTRY)
    assert isinstance(result, MissingArgument)
    assert result.param == "forum"


def test_empty_and_too_long_messages() -> None:
    assert isinstance(parse("   ", REGISTRY), Empty)
    result = parse("a" * 8001, REGISTRY)
    assert isinstance(result, TooLong) and result.length == 8001
    assert not isinstance(parse("hjälp " + "a" * 7990, REGISTRY), TooLong)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_without_raising(text: str) -> None:
    result = parse(text, REGISTRY)
    assert isinstance(result, Parsed | Empty | TooLong | Unknown | MissingArgument)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(REGISTRY.names())), st.text(max_size=80))
def test_any_arguments_to_a_known_command_parse_without_raising(name: str, rest: str) -> None:
    result = parse(f"{name} {rest}", REGISTRY)
    assert isinstance(result, Parsed | MissingArgument | Unknown)
