"""The date/time normaliser and reader: Swedish and English forms, DST, never raising."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.common.i18n import Translator
from bot.common.when import ParsedWhen, WhenProblem, normalise, parse_when

TZ = ZoneInfo("Europe/Stockholm")
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # Thursday 26 November 2026, 10.00 local


def local(text: str, past: bool = False) -> str:
    result = parse_when(text, NOW, TZ, past=past)
    assert isinstance(result, ParsedWhen), result
    return result.moment.astimezone(TZ).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kl 13", "13:00"),
        ("kl. 9.30", "09:30"),
        ("klockan 8", "08:00"),
        ("3/12 9.00", "3 december 09:00"),
        ("3/12/2027 9.00", "3 december 2027 09:00"),
        ("tomorrow 2pm", "tomorrow 14:00"),
        ("12am", "00:00"),
        ("i övermorgon kl 9", "i övermorgon 09:00"),  # days are resolved later, from today
        ("senast nästa tisdag kl 13", "nästa tisdag 13:00"),
        ("den 3 december kl 10", "3 december 10:00"),
        ("3/13 9.00", "3/13 09:00"),  # no 13th month: left alone, later refused
        ("kl 25", "kl 25"),
    ],
)
def test_normaliser_rewrites_swedish_forms(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-03 09:00", "2026-12-03 09:00"),
        ("3/12 9.00", "2026-12-03 09:00"),
        ("3 dec kl 13", "2026-12-03 13:00"),
        ("i morgon 14:00", "2026-11-27 14:00"),
        ("tisdag 13:30", "2026-12-01 13:30"),
        ("tomorrow 2pm", "2026-11-27 14:00"),
        ("Tuesday at 13:30", "2026-12-01 13:30"),
        ("torsdag 3 december 2026 kl. 09.00", "2026-12-03 09:00"),
        ("Thursday 3 December 2026 at 09:00", "2026-12-03 09:00"),
    ],
)
def test_reads_the_forms_staff_write(text: str, expected: str) -> None:
    assert local(text) == expected


def test_summer_time_is_kept_across_the_change() -> None:
    # 09.00 local is 08.00 UTC in winter, 07.00 UTC in summer.
    winter = parse_when("2026-12-03 09:00", NOW, TZ)
    summer = parse_when("2027-06-03 09:00", NOW, TZ)
    assert isinstance(winter, ParsedWhen) and isinstance(summer, ParsedWhen)
    assert winter.moment.hour == 8 and summer.moment.hour == 7


def test_past_preference_reads_recent_dates() -> None:
    assert local("3 nov 10:00", past=True) == "2026-11-03 10:00"
    assert local("3 nov 10:00") == "2027-11-03 10:00"


def test_time_in_the_spring_gap_is_refused() -> None:
    result = parse_when("2027-03-28 02:30", NOW, TZ)
    assert result == WhenProblem("when.nonexistent", {"time": "2027-03-28 02:30"})


def test_time_in_the_autumn_overlap_is_refused() -> None:
    result = parse_when("31/10/2027 kl 2.30", NOW, TZ)
    assert result == WhenProblem("when.ambiguous", {"time": "2027-10-31 02:30"})


def test_the_hour_around_the_gap_is_fine() -> None:
    assert local("2027-03-28 01:59") == "2027-03-28 01:59"
    assert local("2027-03-28 03:00") == "2027-03-28 03:00"


@pytest.mark.parametrize("text", ["3 dec", "hej", "", "möte"])
def test_a_missing_time_is_named(text: str) -> None:
    result = parse_when(text, NOW, TZ)
    assert isinstance(result, WhenProblem)
    assert result.key in ("when.no_time", "when.unreadable")


@pytest.mark.parametrize("text", ["xyz 13:00", "3/13 9.00", "31 februari 10:00", "year 9999 10:00"])
def test_unreadable_text_is_refused(text: str) -> None:
    result = parse_when(text, NOW, TZ)
    assert isinstance(result, WhenProblem) and result.key == "when.unreadable"


def test_echo_in_full_reads_back_to_the_same_moment() -> None:
    """The echoed form is itself readable: staff can copy it back."""
    for language in ("sv", "en"):
        t = Translator(language, TZ)  # type: ignore[arg-type]
        moment = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
        echoed = t.datetime(moment)
        result = parse_when(echoed, NOW, TZ)
        assert isinstance(result, ParsedWhen), echoed
        assert result.moment == moment
    assert Translator("sv", TZ).datetime(datetime(2026, 12, 3, 8, 0, tzinfo=UTC)) == (
        "torsdag 3 december 2026 kl. 09.00"
    )


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_never_raises_on_any_text(text: str) -> None:
    result = parse_when(text, NOW, TZ, past=bool(len(text) % 2))
    assert isinstance(result, ParsedWhen | WhenProblem)
    if isinstance(result, ParsedWhen):
        assert result.moment.tzinfo is not None


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["kl", "9.00", "3/12", "i", "morgon", "tisdag", "at", "2pm", "12", "/", ".", "den"]
        ),
        max_size=6,
    )
)
def test_never_raises_on_near_misses(words: list[str]) -> None:
    result = parse_when(" ".join(words), NOW, TZ)
    assert isinstance(result, ParsedWhen | WhenProblem)


def test_an_iso_time_with_an_offset_is_one_instant_not_local_time() -> None:
    """What a form's date-time picker sends (Slack's datetimepicker, as UTC)."""
    assert parse_when("2026-12-03T08:00:00+00:00", NOW, TZ) == ParsedWhen(
        datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    )
    assert parse_when("2026-12-03T09:00+01:00", NOW, TZ) == ParsedWhen(
        datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    )
    # Without an offset it is still local wall-clock time.
    assert parse_when("2026-12-03T09:00", NOW, TZ) == ParsedWhen(
        datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    )
    assert isinstance(parse_when("2999-12-03T08:00:00+00:00", NOW, TZ), WhenProblem)
