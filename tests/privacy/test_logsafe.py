"""A failure is logged by its types and places, never by its message."""

from __future__ import annotations

import logging

import pytest

from bot.common.logsafe import log_failure, summary


def _read(number: str) -> int:
    try:
        return int(number)
    except ValueError as error:
        raise LookupError(f"no person with personnummer {number}") from error


def test_the_summary_names_the_types_and_the_place_but_not_the_message() -> None:
    with pytest.raises(LookupError) as raised:
        _read("19791231-2389")
    text = summary(raised.value)
    assert text.startswith("LookupError at ")
    assert "test_logsafe.py" in text and "in _read" in text
    assert text.endswith(", from ValueError")
    assert "2389" not in text and "personnummer" not in text


def test_log_failure_writes_one_error_record_without_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with pytest.raises(LookupError) as raised:
        _read("anna@example.se")
    log = logging.getLogger("samverkan.test")
    with caplog.at_level(logging.DEBUG):
        log_failure(log, "request failed [ref=%s]", raised.value, "ab12")
    [record] = caplog.records
    assert record.levelno == logging.ERROR and record.exc_info is None
    assert record.getMessage().startswith("request failed [ref=ab12]: LookupError at ")
    assert "anna@example.se" not in caplog.text
