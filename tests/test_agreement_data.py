"""The bundled data says only what the agreement says; the organisations' own settings and the
demo data are marked as such. One test per correction."""

from __future__ import annotations

from bot.agreement.file import load_agreement_file
from bot.common.config import BUNDLED_AGREEMENT
from bot.common.i18n import catalog
from tests.conftest import Chat
from tests.lifecycle_helpers import DECEMBER_3, set_clock

SIGNATORIES = {
    "Patric Åberg": "Kommunstyrelsens ordförande",
    "Merete Tillman": "Kommundirektör",
    "Niklas Årcén": "Lokalpolisområdeschef",
    "Veronica Gustafsson": "Kommunpolis Osby, Östra Göinge",
}


def test_the_signatories_keep_their_real_roles_and_have_no_forum_seats() -> None:
    spec = load_agreement_file(BUNDLED_AGREEMENT)
    real = {p.name: p for p in spec.people if not p.demo}
    assert {name: p.title for name, p in real.items()} == SIGNATORIES
    assert all(p.forums == {} for p in real.values())


def test_every_forum_still_shows_both_parties_with_demo_people() -> None:
    spec = load_agreement_file(BUNDLED_AGREEMENT)
    for forum in spec.forums:
        keys = {forum.key, *(f"{forum.key}.{g.key}" for g in forum.groups)}
        seated = {p.organisation for p in spec.people if keys & set(p.forums)}
        assert seated == {"kommun", "polis"}, forum.key
        assert all(p.demo for p in spec.people if keys & set(p.forums)), forum.key


def test_bra_drafts_and_follows_up_and_does_not_own_the_agreement() -> None:
    bra = next(f for f in load_agreement_file(BUNDLED_AGREEMENT).forums if f.key == "bra")
    assert "äger" not in bra.description_sv.lower() and "own" not in bra.description_en.lower()
    assert "förslag till överenskommelse" in bra.description_sv
    assert "uppföljning och eventuell revidering" in bra.description_sv


async def test_cadences_districts_and_scope_are_shown_as_the_organisations_own(
    chat: Chat,
) -> None:
    spec = load_agreement_file(BUNDLED_AGREEMENT)
    spindel = next(f for f in spec.forums if f.key == "spindel")
    assert spindel.groups and all(g.demo for g in spindel.groups)
    tillsyn = next(f for f in spec.forums if f.key == "tillsyn")
    assert "Serveringstillstånd" in tillsyn.scope_sv
    assert "Serveringstillstånd" not in tillsyn.description_sv
    text = await chat.text("Sara Nilsson", "forum")
    assert "Mötesrytm (organisationernas egen inställning): 4–10 möten per år" in text
    assert "Grupper (demodata, inte bekräftade av organisationerna): Spindelgrupp Broby" in text
    assert (
        "Omfattning (organisationernas egen beskrivning): Serveringstillstånd, tobak och "
        "restauranger."
    ) in text
    assert "Mötesrytm: " not in text


async def test_local_plan_dates_are_never_the_agreements(chat: Chat) -> None:
    set_clock(chat.bot, DECEMBER_3)
    text = await chat.text("Sara Nilsson", "årshjul")
    own, local = text.split("Lokal plan (organisationernas egna datum, inte överenskommelsens)")
    # Under the agreement's heading every date is marked as the local plan's.
    for line in own.splitlines():
        if line.startswith("• ") and "enligt överenskommelsen" in line:
            assert "; lokal plan: " in line
    assert "enligt överenskommelsen" not in local


def test_the_words_enligt_overenskommelsen_are_kept_for_what_it_says() -> None:
    swedish = catalog("sv")
    uses = sorted(key for key, text in swedish.items() if "enligt överenskommelsen" in text.lower())
    # The cycle line quotes the agreement's own words for when; the renewal heads a quote.
    assert uses == ["cycle.line.agreement", "renewal.agreement_says"]
    assert "överenskommelsen" not in swedish["drafts.error.author_may_not_approve"]
    assert "Inställningen för gemensamma budskap" in swedish["drafts.error.author_may_not_approve"]


def test_approvers_are_godkannare_never_firmatecknare() -> None:
    for language in ("sv", "en"):
        for key, text in catalog(language).items():
            assert "firmatecknare" not in text.lower(), key
    swedish = catalog("sv")
    assert swedish["role.person.signer"] == "godkänner gemensamma budskap"
    assert "godkännare" in swedish["drafts.error.not_signer"]
    assert "signer" not in catalog("en")["drafts.error.not_signer"]


def test_the_exit_programmes_rule_says_who_sees_it_not_a_legal_claim() -> None:
    spec = load_agreement_file(BUNDLED_AGREEMENT)
    for forum in spec.forums:
        assert "sekretessbelag" not in forum.description_sv.lower(), forum.key
    avhopp = next(f for f in spec.forums if f.key == "avhopp")
    assert "visas bara för forumets medlemmar" in avhopp.description_sv


def test_the_end_of_agreement_message_names_the_local_police_area_chief() -> None:
    for language, chief in (("sv", "lokalpolischefen"), ("en", "local police area chief")):
        text = catalog(language)["agreement_end.text"]
        assert chief in text and "Polismyndigheten" not in text and "Police Authority" not in text
