"""Validation of the agreement file: every problem named by file, key and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.agreement.file import AgreementFileError, load_agreement_file
from bot.common.config import BUNDLED_AGREEMENT
from tests.agreement_files import write_agreement


def bundled_text() -> str:
    return BUNDLED_AGREEMENT.read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    return write_agreement(tmp_path / "agreement.toml", text)


def test_the_bundled_agreement_is_valid_and_complete() -> None:
    spec = load_agreement_file(BUNDLED_AGREEMENT)
    assert [f.key for f in spec.forums] == ["bra", "spindel", "tillsyn", "avhopp"]
    current = spec.agreements[0]
    assert (current.valid_from.isoformat(), current.valid_to.isoformat()) == (
        "2023-01-01",
        "2026-12-31",
    )
    signatories = {p.name for p in spec.people if not p.demo}
    assert signatories == {"Patric Åberg", "Merete Tillman", "Niklas Årcén", "Veronica Gustafsson"}
    for person in spec.people:
        if person.demo:
            assert person.email is not None and person.email.endswith("@example.org")


def test_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, bundled_text() + "\n[broken\n")
    with pytest.raises(AgreementFileError) as caught:
        load_agreement_file(path)
    message = str(caught.value)
    assert str(path) in message and "line" in message


def test_unknown_organisation_and_forum_are_named(tmp_path: Path) -> None:
    text = bundled_text().replace(
        'organisation = "kommun"\nemail = "sara', 'organisation = "kommunen"\nemail = "sara'
    )
    text = text.replace(
        '"spindel.broby" = "representative", "spindel.knislinge"',
        '"spindel.nowhere" = "representative", "spindel.knislinge"',
    )
    with pytest.raises(AgreementFileError) as caught:
        load_agreement_file(write(tmp_path, text))
    problems = "\n".join(caught.value.problems)
    assert "unknown organisation 'kommunen'" in problems
    assert "unknown forum 'spindel.nowhere'" in problems
    assert "Sara Nilsson" in problems


def test_wrong_types_and_missing_keys_name_the_key(tmp_path: Path) -> None:
    text = bundled_text().replace("follow_up_month = 12", 'follow_up_month = "december"')
    text = text.replace('sender_name = "Östra Göinge kommun"\n', "", 1)
    with pytest.raises(AgreementFileError) as caught:
        load_agreement_file(write(tmp_path, text))
    problems = "\n".join(caught.value.problems)
    assert "agreements.0.follow_up_month" in problems
    assert "organisations.kommun.sender_name" in problems


def test_unknown_keys_are_refused(tmp_path: Path) -> None:
    text = bundled_text() + '\n[[people]]\nname = "Ny Person"\norganisation = "kommun"\nshoe = 44\n'
    with pytest.raises(AgreementFileError) as caught:
        load_agreement_file(write(tmp_path, text))
    assert any("shoe" in problem for problem in caught.value.problems)


def test_duplicate_people_are_refused(tmp_path: Path) -> None:
    text = bundled_text() + '\n[[people]]\nname = "Erik Holm"\norganisation = "kommun"\n'
    with pytest.raises(AgreementFileError) as caught:
        load_agreement_file(write(tmp_path, text))
    assert any("'Erik Holm' appears more than once" in p for p in caught.value.problems)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(AgreementFileError, match="file not found"):
        load_agreement_file(tmp_path / "nope.toml")
