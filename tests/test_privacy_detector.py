"""The personnummer detector: a corpus of what it must catch and what it must let pass.

The positives are numbers as people type them, with a right or a wrong check digit; the
negatives are phone numbers, dates with times, diarienummer and amounts as people write them
(see NOTES-ON-OPEN-ISSUES point 8), and near misses with no real birth date.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.se import personnummer

from bot.common.privacy import (
    Kind,
    find_identity_numbers,
    forbids_personal_text,
    looks_like_personnummer,
)

POSITIVES = [
    "19800101-1234",
    "20100315-2384",
    "800101-1234",
    "8001011234",
    "198001011234",
    "800101+1234",
    "19121212+1212",
    "121212-1212",
    "191212121212",
    "800101 1234",
    "19800101 1234",
    "800161-1234",
    "19800191-1234",
    "8001611234",
    "000229-1234",
    "20000229-1234",
    "19960229-1234",
    "040229-1234",
    "0701234567",
    "Den misstänkte, 19800101-1234, är häktad.",
    "Följ upp skolfrånvaro för 20100315-2384 i Broby",
    "pnr:8001011234",
    "pnr800101-1234",
    "(800101-1234)",
    "personnummer 800101\u20131234",
    "800101\u22121234",
    "800101\u00a01234",
    "800101\u20111234",
    "Eleven 0503152384 saknas",
    "ID 18991231-1234",
    "19991231-9999",
    "20231130-0000",
    "991231-0001",
    "Ring om 851224-5678 senast fredag",
    "text\n750615-3311\nmer text",
    "19800101-1234.",
    "800101-1234,",
    "*800101-1234*",
    "<800101-1234>",
    "samordningsnummer 701063-2391",
    "Barnet (20150430-1236) har flyttat",
    "18650315+1234",
    "Klockan var 14:00 när 19800101-1234 kom in",
    "KS 2026/123 gäller 800101-1234",
    "200001011234",
]

NEGATIVES = [
    "070-123 45 67",
    "070 123 45 67",
    "+46 70 123 45 67",
    "0470-123 45",
    "08-123 456 78",
    "010-123 45 67",
    "0470-12 34 56",
    "Ring Anna på 0709-12 34 56",
    "+46701234567",
    "0046701234567",
    "0044 20 7946 0958",
    "2026-11-26 14:00",
    "2026-11-26 1400",
    "2026-11-26 kl. 14.00",
    "26/11 kl 14:00",
    "20261126T140000Z",
    "20261126 14:00",
    "261126 kl 14.30",
    "torsdag 3 december 2026 kl. 09.00",
    "2026-12-03T09:00:00+01:00",
    "Mötet 2026-12-03 kl 0900 i Broby",
    "KS 2026/123",
    "Dnr KS 2026/0123",
    "Dnr 2026-000123",
    "5000-K123456-26",
    "A 123.456/2026",
    "SN 2025.1234",
    "1 500 000 kr",
    "1500000 kr",
    "12 345,50 kr",
    "Kostnaden blev 250000-300000 kr",
    "SEK 1 000 000",
    "4500:-",
    "801301-1234",
    "800132-1234",
    "800230-1234",
    "010229-1234",
    "800192-1234",
    "800100-1234",
    "800001-1234",
    "17800101-1234",
    "1234567890",
    "12345678901234",
    "3.8012011234",
    "0,8012011234",
    "800101-12345",
    "800101-123",
    "8001011234567",
    "80-01-01-1234",
    "version 1.2.3",
    "",
    "<@U0123456789>",
]


def test_the_corpus_is_large_enough() -> None:
    assert len(POSITIVES) >= 40
    assert len(NEGATIVES) >= 40
    assert not set(POSITIVES) & set(NEGATIVES)


@pytest.mark.parametrize("text", POSITIVES)
def test_a_personal_identity_number_is_flagged(text: str) -> None:
    assert looks_like_personnummer(text)


@pytest.mark.parametrize("text", NEGATIVES)
def test_phone_numbers_dates_references_and_amounts_pass(text: str) -> None:
    assert find_identity_numbers(text) == []


@pytest.mark.parametrize("text", POSITIVES)
def test_the_check_digit_is_reported_as_python_stdnum_judges_it(text: str) -> None:
    for finding in find_identity_numbers(text):
        if finding.kind is Kind.SAMORDNINGSNUMMER:
            continue  # python-stdnum knows no samordningsnummer: see the test below
        number = text[finding.start : finding.end]
        digits = "".join(c for c in number if c.isdigit())
        # stdnum wants the ten-digit form with a dash (or a plus for the over-100s).
        sign = "+" if "+" in number else "-"
        expected = personnummer.is_valid(f"{digits[-10:-4]}{sign}{digits[-4:]}")
        assert finding.checksum_ok == expected, number


def test_both_the_right_and_a_wrong_check_digit_are_flagged() -> None:
    right, wrong = find_identity_numbers("121212-1212 och 121212-1213")
    assert right.checksum_ok and not wrong.checksum_ok


def test_a_samordningsnummer_check_digit_is_the_same_luhn_sum() -> None:
    # 7010632391 by hand: 7·2→5, 0, 1·2=2, 0, 6·2→3, 3, 2·2=4, 3, 9·2→9; sum 29, check digit 1.
    (right,) = find_identity_numbers("701063-2391")
    (wrong,) = find_identity_numbers("701063-2392")
    assert right.checksum_ok and not wrong.checksum_ok


def test_day_plus_sixty_is_a_samordningsnummer() -> None:
    (finding,) = find_identity_numbers("Hen har 701063-2391.")
    assert finding.kind is Kind.SAMORDNINGSNUMMER
    (plain,) = find_identity_numbers("Hen har 701003-2391.")
    assert plain.kind is Kind.PERSONNUMMER


def test_a_finding_spans_the_number_and_every_number_in_a_text_is_found() -> None:
    text = "Två: 800101-1234 och 19900202 2345 samt 8001611234"
    spans = [text[f.start : f.end] for f in find_identity_numbers(text)]
    assert spans == ["800101-1234", "19900202 2345", "8001611234"]


def test_a_near_miss_does_not_hide_a_real_number_beside_it() -> None:
    # `801301-` is no date, but the text still holds 19800101-1234 further on.
    assert looks_like_personnummer("801301-19800101-1234") is False  # dash-joined reference
    assert looks_like_personnummer("801301 19800101-1234")


class _Forum:
    def __init__(self, flag: bool) -> None:
        self.no_personal_text = flag


@pytest.mark.parametrize(
    ("forum", "parent", "expected"),
    [
        (None, None, False),
        (_Forum(False), None, False),
        (_Forum(True), None, True),
        (_Forum(False), _Forum(True), True),
        (_Forum(False), _Forum(False), False),
    ],
)
def test_a_group_inherits_its_forums_no_personal_text_rule(
    forum: _Forum | None, parent: _Forum | None, expected: bool
) -> None:
    assert forbids_personal_text(forum, parent) is expected


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_the_detector_never_raises_and_its_spans_hold_digits(text: str) -> None:
    for finding in find_identity_numbers(text):
        digits = [c for c in text[finding.start : finding.end] if c in "0123456789"]
        assert len(digits) in (10, 12)


_SEPARATORS = st.sampled_from(["-", "+", " ", "", "\u2013"])
_NO_DIGITS = st.text(st.characters(blacklist_categories=["Nd", "Cs"]), max_size=20).map(
    lambda s: f"{s} " if s else s
)


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    st.booleans(),
    st.booleans(),
    _SEPARATORS,
    st.integers(0, 9999),
    _NO_DIGITS,
    _NO_DIGITS,
)
def test_every_real_date_with_four_digits_is_flagged_wherever_it_stands(
    born: date,
    with_century: bool,
    coordination: bool,
    separator: str,
    tail: int,
    before: str,
    after: str,
) -> None:
    day = born.day + (60 if coordination else 0)
    head = f"{born.year:04d}" if with_century else f"{born.year % 100:02d}"
    number = f"{head}{born.month:02d}{day:02d}{separator}{tail:04d}"
    text = f"{before}{number} {after}"
    kinds = [f.kind for f in find_identity_numbers(text)]
    expected = Kind.SAMORDNINGSNUMMER if coordination else Kind.PERSONNUMMER
    assert expected in kinds, text
