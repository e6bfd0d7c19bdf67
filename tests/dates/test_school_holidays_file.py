"""School holidays in the agreement file: read, validated, and which forums meet in term time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.agreement.file import AgreementFileError, load_agreement_file
from bot.common.config import BUNDLED_AGREEMENT
from bot.meetings.school_holidays import term_calendar, term_time_choice
from tests.agreement_files import write_agreement


def bundled_text() -> str:
    return BUNDLED_AGREEMENT.read_text(encoding="utf-8")


def test_the_bundled_file_has_demo_holidays_for_2026_and_2027() -> None:
    spec = load_agreement_file(BUNDLED_AGREEMENT)
    kinds = {(h.kind, h.start.year) for h in spec.school_holidays}
    for year in (2026, 2027):
        for kind in ("höstlov", "jullov", "sportlov", "påsklov", "sommarlov"):
            assert (kind, year) in kinds
    assert all(h.demo and h.municipality == "kommun" for h in spec.school_holidays)
    assert [f.key for f in spec.forums if f.term_time] == ["spindel"]


def test_the_calendar_finds_the_holiday_of_a_day() -> None:
    calendar = term_calendar(BUNDLED_AGREEMENT)
    holiday = calendar.holiday_on(date(2027, 1, 5))
    assert holiday is not None and holiday.kind == "jullov"
    assert calendar.holiday_on(date(2027, 1, 12)) is None
    assert "spindel" in calendar.term_time_forums


def test_an_unknown_municipality_is_named(tmp_path: Path) -> None:
    text = bundled_text().replace(
        'municipality = "kommun"\nkind = "höstlov"\nstart = 2026-10-26',
        'municipality = "kommunen"\nkind = "höstlov"\nstart = 2026-10-26',
    )
    with pytest.raises(AgreementFileError) as caught:
        load_agreement_file(write_agreement(tmp_path / "agreement.toml", text))
    problems = "\n".join(caught.value.problems)
    assert "school_holidays[3].municipality: unknown organisation 'kommunen'" in problems


def test_reversed_dates_are_named(tmp_path: Path) -> None:
    text = bundled_text().replace(
        "start = 2027-02-15\nend = 2027-02-19", "start = 2027-02-19\nend = 2027-02-15"
    )
    with pytest.raises(AgreementFileError) as caught:
        load_agreement_file(write_agreement(tmp_path / "agreement.toml", text))
    problems = "\n".join(caught.value.problems)
    assert "school_holidays.5: sportlov 2027-02-19: end is before start" in problems


def test_an_unknown_kind_of_holiday_is_refused(tmp_path: Path) -> None:
    text = bundled_text().replace('kind = "höstlov"', 'kind = "vinterlov"', 1)
    with pytest.raises(AgreementFileError) as caught:
        load_agreement_file(write_agreement(tmp_path / "agreement.toml", text))
    assert "school_holidays" in "\n".join(caught.value.problems)


def test_a_missing_file_has_no_holidays(tmp_path: Path) -> None:
    assert term_calendar(tmp_path / "nope.toml").holidays == ()


@pytest.mark.parametrize(
    ("text", "choice", "rest"),
    [
        ("varje tisdag 13:30 till 30/6 utom lov", True, "varje tisdag 13:30 till 30/6"),
        ("varje tisdag 13:30 utom skollov 10 gånger", True, "varje tisdag 13:30 10 gånger"),
        ("varje tisdag 13:30 till 30/6 även under lov", False, "varje tisdag 13:30 till 30/6"),
        (
            "every Tuesday 13:30 until 30/6 except school holidays",
            True,
            "every Tuesday 13:30 until 30/6",
        ),
        (
            "every Tuesday 13:30 until 30/6 including holidays",
            False,
            "every Tuesday 13:30 until 30/6",
        ),
        ("varje tisdag 13:30 till 30/6", None, "varje tisdag 13:30 till 30/6"),
    ],
)
def test_the_option_is_read_and_taken_out(text: str, choice: bool | None, rest: str) -> None:
    found, remaining = term_time_choice(text)
    assert found is choice
    assert " ".join(remaining.split()) == rest
