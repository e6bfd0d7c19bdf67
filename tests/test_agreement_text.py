"""The agreement's own text, bundled with the demo data: what the bot quotes is in it word for
word, and the points the bundled file attributes to the agreement are its sentences."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bot.agreement.file import AgreementFileError, load_agreement_file
from bot.agreement.text import paragraphs, resolve
from bot.common.config import BUNDLED_AGREEMENT

TEXT_FILE = BUNDLED_AGREEMENT.parent / "samverkansoverenskommelse-2023-2026.txt"


def agreement_text() -> str:
    return TEXT_FILE.read_text(encoding="utf-8")


def test_the_bundled_text_is_the_copy_its_note_describes() -> None:
    digest = hashlib.sha256(TEXT_FILE.read_bytes()).hexdigest()
    note = (BUNDLED_AGREEMENT.parent / "README.md").read_text(encoding="utf-8")
    assert digest in note
    assert "Samverkansöverenskommelse 2023–2026" in agreement_text()


def test_the_agreement_file_points_to_the_text_and_every_part_resolves() -> None:
    spec = load_agreement_file(BUNDLED_AGREEMENT)
    [agreement] = spec.agreements
    assert agreement.text == TEXT_FILE.name
    parts = agreement.resolved_parts
    assert parts is not None
    assert set(parts) >= {"forum", "kommunikation", "uppfoljning", "organisation", "budget"}
    blocks = paragraphs(agreement_text())
    for key, quotes in parts.items():
        for quote in quotes:
            assert quote["heading"] in blocks, key
            for paragraph in quote["paragraphs"]:  # type: ignore[attr-defined]
                assert paragraph in blocks, (key, paragraph[:40])  # whole paragraphs, unchanged
                assert paragraph in agreement_text()


def test_the_agreements_own_cycle_points_quote_it_and_the_rest_is_local() -> None:
    [agreement] = load_agreement_file(BUNDLED_AGREEMENT).agreements
    own = {e.key: e for e in agreement.cycle if e.source == "agreement"}
    assert set(own) == {"medborgarlofte", "trygghetsmatning", "arlig_uppfoljning"}
    for event in own.values():
        assert event.quote and event.quote in agreement_text()
    assert own["trygghetsmatning"].when_sv == "varje höst"
    local = [e for e in agreement.cycle if e.source == "local"]
    assert {e.key for e in local} == {
        "uppfoljning_medborgarlofte",
        "tertial_1",
        "halvar_ks",
        "tertial_2",
        "lagesbild",
    }
    assert all(e.quote is None and e.when_sv is None for e in local)


def test_resolving_names_what_the_text_lacks() -> None:
    text = agreement_text()
    with pytest.raises(ValueError, match="heading 'Ekonomi' is not in the text"):
        resolve(text, [("Ekonomi", ["Respektive"])])
    with pytest.raises(
        ValueError, match="no paragraph under 'Budget' starts with 'Kommunen betalar'"
    ):
        resolve(text, [("Budget", ["Kommunen betalar"])])


def test_a_misquote_in_the_agreement_file_is_refused(tmp_path: Path) -> None:
    source = BUNDLED_AGREEMENT.read_text(encoding="utf-8")
    (tmp_path / TEXT_FILE.name).write_text(agreement_text(), encoding="utf-8")
    changed = source.replace(
        'quote = "Varje höst genomför polisen en trygghetsmätning."',
        'quote = "Varje vår genomför polisen en trygghetsmätning."',
    )
    path = tmp_path / "agreement.toml"
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(AgreementFileError) as caught:
        load_agreement_file(path)
    assert "cycle.trygghetsmatning.quote: not word for word" in str(caught.value)
    (tmp_path / TEXT_FILE.name).unlink()
    path.write_text(source, encoding="utf-8")
    with pytest.raises(AgreementFileError, match="text: cannot read"):
        load_agreement_file(path)
