"""The catalogs: both languages have every message, with the same placeholders."""

from __future__ import annotations

import re
import string
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.common.i18n import Translator, catalog, language_from_locale
from bot.features import default_catalog

SOURCE = Path(__file__).resolve().parents[2] / "bot"
KEY_IN_SOURCE = re.compile(r"""(?:\bt|CommandError)\(\s*"([a-z_]+(?:\.[a-z_]+)+)\"""")
# `t.count("key", n)` reads `key.one` / `key.other` (or `key` alone).
COUNTED_KEY_IN_SOURCE = re.compile(r"""\bt\.count\(\s*"([a-z_]+(?:\.[a-z_]+)+)\"""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_swedish_and_english_have_the_same_messages() -> None:
    swedish, english = catalog("sv"), catalog("en")
    assert set(swedish) == set(english)
    for key in swedish:
        assert placeholders(swedish[key]) == placeholders(english[key]), key


def test_every_message_key_used_in_the_code_exists() -> None:
    used = {
        key
        for path in SOURCE.rglob("*.py")
        for key in KEY_IN_SOURCE.findall(path.read_text(encoding="utf-8"))
    }
    assert used, "the scan found no keys; the pattern is broken"
    missing = sorted(used - set(catalog("sv")))
    assert missing == []


def test_every_counted_message_has_its_plural_forms() -> None:
    counted = {
        key
        for path in SOURCE.rglob("*.py")
        for key in COUNTED_KEY_IN_SOURCE.findall(path.read_text(encoding="utf-8"))
    }
    assert counted, "the scan found no counted keys; the pattern is broken"
    for language in ("sv", "en"):
        known = set(catalog(language))
        for key in counted:
            assert key in known or f"{key}.other" in known, (language, key)


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("sv", 1, "Närvaro saknas för 1 möte i Brå."),
        ("sv", 3, "Närvaro saknas för 3 möten i Brå."),
        ("sv", 0, "Närvaro saknas för 0 möten i Brå."),
        ("en", 1, "Attendance is missing for 1 meeting of Brå."),
        ("en", 2, "Attendance is missing for 2 meetings of Brå."),
    ],
)
def test_a_counted_message_takes_the_number_of_its_count(
    language: str, count: int, expected: str
) -> None:
    t = Translator(language, ZoneInfo("Europe/Stockholm"))  # type: ignore[arg-type]
    assert t.count("report.representation.gaps", count, forum="Brå") == expected


def test_every_command_has_a_summary_in_both_languages() -> None:
    for command in default_catalog().registry.commands:
        for language in ("sv", "en"):
            assert f"cmd.{command.key}.summary" in catalog(language), (command.key, language)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("sv-SE", "sv"), ("en_US", "en"), ("EN", "en"), ("de-DE", None), ("", None), (None, None)],
)
def test_platform_locales_map_to_our_languages(locale: str | None, expected: str | None) -> None:
    assert language_from_locale(locale) == expected


def test_times_are_shown_in_stockholm_in_full() -> None:
    moment = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)  # 09.00 in Stockholm (winter time)
    swedish = Translator("sv", ZoneInfo("Europe/Stockholm"))
    english = Translator("en", ZoneInfo("Europe/Stockholm"))
    assert swedish.datetime(moment) == "torsdag 3 december 2026 kl. 09.00"
    assert english.datetime(moment) == "Thursday 3 December 2026 at 09:00"


def test_a_missing_key_falls_back_to_the_key_itself() -> None:
    t = Translator("en", ZoneInfo("Europe/Stockholm"))
    assert t("no.such.key") == "no.such.key"
