"""A series' stored RRULE said in words, in Swedish and English."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

import pytest

from bot.common.i18n import Translator
from bot.meetings.rhythm_words import rhythm_words

TZ = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize(
    ("rule", "swedish", "english"),
    [
        (
            "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270630T235900;BYDAY=TU",
            "varannan tisdag kl. 13.30 till och med 30 juni 2027",
            "every other Tuesday at 13:30 until 30 June 2027 inclusive",
        ),
        (
            "FREQ=WEEKLY;COUNT=10;BYDAY=MO",
            "varje måndag kl. 13.30, 10 gånger",
            "every Monday at 13:30, 10 times",
        ),
        (
            "FREQ=WEEKLY;INTERVAL=3;COUNT=4;BYDAY=FR",
            "var tredje fredag kl. 13.30, 4 gånger",
            "every third Friday at 13:30, 4 times",
        ),
        (
            "FREQ=MONTHLY;COUNT=6;BYDAY=+1TU",
            "första tisdagen varje månad kl. 13.30, 6 gånger",
            "the first Tuesday of every month at 13:30, 6 times",
        ),
        (
            "FREQ=MONTHLY;UNTIL=20270630T235900;BYDAY=-1TH",
            "sista torsdagen varje månad kl. 13.30 till och med 30 juni 2027",
            "the last Thursday of every month at 13:30 until 30 June 2027 inclusive",
        ),
        (
            "FREQ=MONTHLY;COUNT=3;BYMONTHDAY=15",
            "den 15 varje månad kl. 13.30, 3 gånger",
            "day 15 of every month at 13:30, 3 times",
        ),
    ],
)
def test_rules_in_words(rule: str, swedish: str, english: str) -> None:
    assert rhythm_words(Translator("sv", TZ), rule, time(13, 30)) == swedish
    assert rhythm_words(Translator("en", TZ), rule, time(13, 30)) == english
    assert "FREQ" not in swedish
