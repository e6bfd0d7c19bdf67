"""Every button's typed form does what the button does (issue 18).

Each case prepares two equal things (drafts U1 and U2, meetings M1 and M2), presses the button
on the first and types the command for the second, as the same people in the same order, and
compares what each left behind: the rows, the audit trail, the posts and card updates in the
channels, and the answers. Only the id differs, so the comparison replaces it with `#`.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from bot.core.engine import Bot
from bot.core.reply import Reply
from storage.models import (
    ActionItem,
    Approval,
    AuditEvent,
    Draft,
    DraftVersion,
    Job,
    Meeting,
    Rsvp,
)
from tests.drafts_helpers import add_channel, press, say
from tests.meeting_support import bind_channel

TEXT = "Välkommen på trygghetsvandring i Broby torsdag 3 december kl. 18.00, vi ses på torget."
HELD = "Kontakta oss om 19811218-9876 har synpunkter på trygghetsvandringen."
AUTHOR, KOMMUNEN, POLISEN, OUTSIDER = (
    "Erik Holm",
    "Merete Tillman",
    "Veronica Gustafsson",
    "Sara Nilsson",
)


@dataclass(frozen=True)
class Step:
    """One act, as a button press (route and payload) and as the typed command."""

    person: str
    route: str
    payload: dict[str, Any]
    typed: dict[str, str]  # language → the command, with `{id}` for U2 / M2


def _draft_step(person: str, route: str, typed_sv: str, typed_en: str, **extra: Any) -> Step:
    return Step(person, route, extra, {"sv": typed_sv, "en": typed_en})


DRAFT_CASES: dict[str, tuple[str, list[Step]]] = {
    "approve by both parties": (
        TEXT,
        [
            _draft_step(KOMMUNEN, "draft.approve", "godkänn {id}", "approve {id}"),
            _draft_step(POLISEN, "draft.approve", "godkänn {id}", "approve {id}"),
        ],
    ),
    "approve refused to a non-signer": (
        TEXT,
        [_draft_step(OUTSIDER, "draft.approve", "godkänn {id}", "approve {id}")],
    ),
    "request changes": (
        TEXT,
        [
            _draft_step(
                POLISEN,
                "draft.request_changes",
                "begär ändring {id} Skriv ut platsen: Broby torg.",
                "request changes {id} Skriv ut platsen: Broby torg.",
                comment="Skriv ut platsen: Broby torg.",
            )
        ],
    ),
    "request changes without a comment opens the form": (
        TEXT,
        [
            _draft_step(
                POLISEN, "draft.request_changes", "begär ändring {id}", "request changes {id}"
            )
        ],
    ),
    "edit after a change request, then approve the new version": (
        TEXT,
        [
            _draft_step(
                POLISEN,
                "draft.request_changes",
                "begär ändring {id} Platsen saknas.",
                "request changes {id} Platsen saknas.",
                comment="Platsen saknas.",
            ),
            _draft_step(
                AUTHOR,
                "draft.edit",
                "redigera {id} Ny text: vi ses på Broby torg.",
                "edit {id} Ny text: vi ses på Broby torg.",
                text="Ny text: vi ses på Broby torg.",
            ),
            _draft_step(KOMMUNEN, "draft.approve", "godkänn {id}", "approve {id}"),
        ],
    ),
    "edit refused to someone else than the author": (
        TEXT,
        [
            _draft_step(
                KOMMUNEN,
                "draft.edit",
                "redigera {id} Annan text.",
                "edit {id} Annan text.",
                text="Annan text.",
            )
        ],
    ),
    "withdraw": (
        TEXT,
        [_draft_step(AUTHOR, "draft.withdraw", "dra tillbaka {id}", "withdraw {id}")],
    ),
    "send a held draft anyway": (
        HELD,
        [_draft_step(AUTHOR, "draft.send_anyway", "skicka ändå {id}", "send anyway {id}")],
    ),
}


def _normalised(value: Any, letter: str) -> Any:
    """The same value with the compared ids (`U1`, `U2`, `M1`, `M2`) as `U#` / `M#`."""
    if isinstance(value, str):
        return re.sub(rf"\b{letter}[12]\b", f"{letter}#", value)
    if isinstance(value, dict):
        return {k: _normalised(v, letter) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalised(v, letter) for v in value]
    return value


def _reply_shape(reply: Reply) -> dict[str, Any]:
    form = reply.form
    return {
        "text": reply.plain_text(),
        "buttons": [(b.label, b.route, b.accessible_label) for b in reply.buttons],
        "form": None
        if form is None
        else (form.title, form.route, [(f.name, f.initial) for f in form.fields]),
        "field_errors": reply.field_errors,
        "visibility": reply.visibility,
    }


async def _audit(bot: Bot, entity: str) -> list[tuple[Any, ...]]:
    async with bot.database.sessions() as session:
        rows = await session.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == entity).order_by(AuditEvent.id)
        )
        return [(a.actor, a.platform, a.action, a.before, a.after, a.at) for a in rows]


async def _draft_state(bot: Bot, number: int) -> dict[str, Any]:
    async with bot.database.sessions() as session:
        draft = await session.get(Draft, number)
        assert draft is not None
        versions = await session.scalars(
            select(DraftVersion)
            .where(DraftVersion.draft_id == number)
            .order_by(DraftVersion.number)
        )
        decisions = await session.scalars(
            select(Approval).where(Approval.draft_id == number).order_by(Approval.id)
        )
        return {
            "draft": (draft.state, draft.current_version, draft.revision, draft.approved_at),
            "versions": [
                (v.number, v.title, v.text, v.targets, v.hold, v.content_hash, v.platform)
                for v in versions
            ],
            "decisions": [
                (d.version, d.organization_id, d.person_id, d.decision, d.comment, d.platform)
                for d in decisions
            ],
            "audit": await _audit(bot, f"U{number}"),
        }


async def _current_version(bot: Bot, number: int) -> int:
    async with bot.database.sessions() as session:
        version = await session.scalar(select(Draft.current_version).where(Draft.id == number))
        assert version is not None
        return version


def _posts(bot: Bot) -> list[tuple[str, Reply]]:
    return bot.messengers["console"].posted  # type: ignore[attr-defined,no-any-return]


@dataclass
class Outcome:
    replies: list[list[dict[str, Any]]]
    posts: list[tuple[str, dict[str, Any]]]
    state: dict[str, Any]


async def _run(
    bot: Bot,
    how: str,
    number: int,
    steps: list[Step],
    language: str,
    letter: str,
    state: Callable[[Bot, int], Awaitable[dict[str, Any]]],
) -> Outcome:
    seen = len(_posts(bot))
    answers = []
    for step in steps:
        if how == "button":
            payload = dict(step.payload)
            if letter == "U":
                payload |= {"draft": number, "version": await _current_version(bot, number)}
            else:
                payload |= {"meeting": number}
            replies = await press(bot, step.person, step.route, payload, channel="terminal")
        else:
            text = step.typed[language].format(id=f"{letter}{number}")
            replies = await say(bot, step.person, text, channel="terminal")
        answers.append([_reply_shape(r) for r in replies])
    posts = [(channel, _reply_shape(reply)) for channel, reply in _posts(bot)[seen:]]
    return Outcome(
        _normalised(answers, letter),
        _normalised(posts, letter),
        _normalised(await state(bot, number), letter),
    )


def _same_answers(button: list[list[dict[str, Any]]], typed: list[list[dict[str, Any]]]) -> None:
    """Typed decisions add a line naming the version; everything else is the button's answer."""
    assert len(button) == len(typed)
    for pressed, written in zip(button, typed, strict=True):
        assert len(pressed) == len(written)
        for one, other in zip(pressed, written, strict=True):
            extra = other["text"].removeprefix(one["text"])
            assert other["text"].startswith(one["text"])
            assert extra == "" or re.fullmatch(
                r"\n(Version|Version) \d+ (börjar|begins): .+", extra
            )
            assert {**other, "text": one["text"]} == one


@pytest.fixture
async def joint(bot: Bot) -> None:
    await add_channel(bot.database, "console", "gemensam", "gemensam", joint=True)


# Every case in Swedish; the English names of the commands on the longest stories.
DRAFT_RUNS = [(case, "sv") for case in DRAFT_CASES] + [
    ("approve by both parties", "en"),
    ("edit after a change request, then approve the new version", "en"),
    ("withdraw", "en"),
    ("send a held draft anyway", "en"),
]


@pytest.mark.parametrize(("case", "language"), DRAFT_RUNS)
async def test_a_typed_draft_command_does_what_its_button_does(
    bot: Bot, joint: None, case: str, language: str
) -> None:
    bot.settings.locale = language
    body, steps = DRAFT_CASES[case]
    for _ in range(2):
        await say(bot, AUTHOR, f"utkast {body}", channel="terminal")
    button = await _run(bot, "button", 1, steps, language, "U", _draft_state)
    typed = await _run(bot, "typed", 2, steps, language, "U", _draft_state)
    assert typed.state == button.state
    assert typed.posts == button.posts
    _same_answers(button.replies, typed.replies)
    # The case did something to compare: a decision, a refusal or a form.
    assert button.state["decisions"] or any(
        a["form"] or "Bara" in a["text"] or "Only" in a["text"]
        for answer in button.replies
        for a in answer
    )


async def test_typed_approve_names_the_version_and_the_start_of_its_text(
    bot: Bot, joint: None
) -> None:
    await say(bot, AUTHOR, f"utkast {TEXT}", channel="terminal")
    await say(bot, POLISEN, "begär ändring U1 Platsen saknas.", channel="terminal")
    await say(
        bot,
        AUTHOR,
        "redigera U1 Vi ses på Broby torg torsdag 3 december klockan 18.",
        channel="terminal",
    )
    [answer] = await say(bot, KOMMUNEN, "godkänn u1", channel="terminal")
    assert answer.text == (
        "Du har godkänt version 2 av U1 för Kommunen.\n"
        "Version 2 börjar: ”Vi ses på Broby torg torsdag 3 december …”"
    )
    # A button drawn for version 1 is refused now; the typed form always means the current one.
    [stale] = await press(bot, POLISEN, "draft.approve", {"draft": 1, "version": 1}, channel="t")
    assert "version 1" in stale.text and "version 2" in stale.text


async def test_typed_forms_refuse_a_wrong_id_clearly(bot: Bot, joint: None) -> None:
    [bad] = await say(bot, KOMMUNEN, "godkänn 7", channel="terminal")
    assert "”7” är inget utkast-id" in bad.text
    [missing] = await say(bot, KOMMUNEN, "godkänn U9", channel="terminal")
    assert "Det finns inget utkast U9" in missing.text
    [no_id] = await say(bot, KOMMUNEN, "dra tillbaka", channel="terminal")
    assert "dra tillbaka <utkast>" in no_id.text
    [meeting] = await say(bot, KOMMUNEN, "kommer X1", channel="terminal")
    assert "”X1” är inget mötes-id" in meeting.text


# --- meetings --------------------------------------------------------------------------------

MEETING_CASES: dict[str, tuple[list[Step], list[str]]] = {
    # The card's buttons: pressed on M1, typed for M2.
    "coming": (
        [
            Step(
                "Ahmed Karimi",
                "meeting.rsvp",
                {"coming": True},
                {"sv": "kommer {id}", "en": "attending {id}"},
            )
        ],
        [],
    ),
    "not coming, then coming": (
        [
            Step(
                "Ahmed Karimi",
                "meeting.rsvp",
                {"coming": False},
                {"sv": "kommer inte {id}", "en": "not attending {id}"},
            ),
            Step(
                "Ahmed Karimi",
                "meeting.rsvp",
                {"coming": True},
                {"sv": "kommer {id}", "en": "attending {id}"},
            ),
        ],
        [],
    ),
    "coming, from outside the group": (
        [
            Step(
                "Lars Persson",
                "meeting.rsvp",
                {"coming": True},
                {"sv": "kommer {id}", "en": "attending {id}"},
            )
        ],
        [],
    ),
}

# No button moves or cancels a meeting: the short typed forms are compared with `serie …`.
SERIES_CASES: dict[str, tuple[str, dict[str, str]]] = {
    "cancel": ("serie ställ in {id}", {"sv": "ställ in {id}", "en": "cancel {id}"}),
    "move": (
        "serie flytta {id} 2026-12-16 10:00",
        {"sv": "flytta {id} 2026-12-16 10:00", "en": "move {id} 2026-12-16 10:00"},
    ),
}


async def _meeting_state(bot: Bot, number: int) -> dict[str, Any]:
    async with bot.database.sessions() as session:
        meeting = await session.get(Meeting, number)
        assert meeting is not None
        answers = await session.scalars(
            select(Rsvp).where(Rsvp.meeting_id == number).order_by(Rsvp.id)
        )
        return {
            "meeting": (meeting.status, meeting.starts_at, meeting.moved_from),
            "rsvp": [(r.person_id, r.coming, r.answered_at) for r in answers],
            "audit": [a for a in await _audit(bot, f"M{number}") if a[2] != "meeting.create"],
        }


@pytest.fixture
async def two_meetings(bot: Bot) -> None:
    """M1 and M2: Spindelgrupp Broby at the same time, their cards in the group's channel."""
    await bind_channel(bot.database, "broby-kanal", "spindel.broby")
    for _ in range(2):
        replies = await say(bot, "Sara Nilsson", "möte broby 2026-12-08 13:30", channel="terminal")
        assert "M" in replies[0].text


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("case", list(MEETING_CASES))
async def test_a_typed_meeting_answer_does_what_its_button_does(
    bot: Bot, two_meetings: None, case: str, language: str
) -> None:
    bot.settings.locale = language
    steps, _ = MEETING_CASES[case]
    button = await _run(bot, "button", 1, steps, language, "M", _meeting_state)
    typed = await _run(bot, "typed", 2, steps, language, "M", _meeting_state)
    assert typed.state == button.state
    assert typed.posts == button.posts
    assert typed.replies == button.replies
    assert button.state["rsvp"] or any("M#" in a["text"] for r in button.replies for a in r)


async def test_a_need_to_know_meeting_is_refused_alike_to_an_outsider(bot: Bot) -> None:
    for _ in range(2):
        replies = await say(bot, "Anna Lindqvist", "möte tillsyn 2026-12-09 10:00", channel="t")
        assert "M" in replies[0].text
    steps = [Step("Sara Nilsson", "meeting.rsvp", {"coming": True}, {"sv": "kommer {id}"})]
    button = await _run(bot, "button", 1, steps, "sv", "M", _meeting_state)
    typed = await _run(bot, "typed", 2, steps, "sv", "M", _meeting_state)
    assert typed == button
    assert button.state["rsvp"] == [] and button.posts == []
    assert button.replies == [
        [
            {
                **button.replies[0][0],
                "text": "Jag hittar inget möte M# som du kan se. "
                "Skriv `möten` för att se kommande möten.",
            }
        ]
    ]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("case", list(SERIES_CASES))
async def test_cancel_and_move_are_the_series_subcommands(
    bot: Bot, two_meetings: None, case: str, language: str
) -> None:
    series_form, short = SERIES_CASES[case]
    bot.settings.locale = language
    long_step = Step("Sara Nilsson", "", {}, {language: series_form})
    short_step = Step("Sara Nilsson", "", {}, short)
    if language == "en":
        long_step = Step(
            "Sara Nilsson",
            "",
            {},
            {
                "en": series_form.replace("serie ställ in", "series cancel").replace(
                    "serie flytta", "series move"
                )
            },
        )
    first = await _run(bot, "typed", 1, [long_step], language, "M", _meeting_state)
    second = await _run(bot, "typed", 2, [short_step], language, "M", _meeting_state)
    assert second.state == first.state
    assert second.posts == first.posts and first.posts  # the card is updated in its channel
    if case == "move":
        # The second meeting is moved to the day the first one now has: that is noticed (the
        # same forum meets twice that day), and the rest of the answer is the same.
        notice = {"sv": "\nObs! Forumet har redan möte samma dag", "en": "\nNote: the forum"}
        [[answer]] = second.replies
        assert notice[language] in answer["text"]
        answer["text"] = answer["text"].split(notice[language])[0]
    assert second.replies == first.replies
    assert first.state["audit"]  # the change is in the audit trail


async def test_digest_full_lists_typed_and_pressed(bot: Bot) -> None:
    pressed = await press(bot, "Anna Lindqvist", "digest.full", {}, channel="terminal")
    typed = await say(bot, "Anna Lindqvist", "sammanfattning allt", channel="terminal")
    assert [_reply_shape(r) for r in typed] == [_reply_shape(r) for r in pressed]
    assert pressed[0].plain_text()


async def test_help_lists_the_typed_forms(bot: Bot) -> None:
    [swedish] = await say(bot, OUTSIDER, "hjälp", channel="terminal")
    for usage in (
        "godkänn <utkast>",
        "begär ändring <utkast> <kommentar>",
        "redigera <utkast> <ny text>",
        "dra tillbaka <utkast>",
        "skicka ändå <utkast>",
        "kommer <möte>",
        "kommer inte <möte>",
        "ställ in <möte>",
        "flytta <möte> <när>",
        "sammanfattning [allt|prenumerera|avsluta]",
    ):
        assert f"`{usage}`" in swedish.plain_text()
    bot.settings.locale = "en"
    [english] = await say(bot, OUTSIDER, "help", channel="terminal")
    for usage in (
        "approve <draft>",
        "request changes <draft> <comment>",
        "not attending <meeting>",
    ):
        assert f"`{usage}`" in english.plain_text()
    [one] = await say(bot, OUTSIDER, "help approve", channel="terminal")
    assert "the version that is current right now" in one.plain_text()


# --- held texts: "Skicka ändå" on a reminder or an action item -----------------------------

PERSONAL = "ring om 19811218-9876"


async def _held_then_confirmed(
    bot: Bot, command: str, typed: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The warning's button pressed, and the typed `ändå` form: both answers."""
    # Brå's channel: an open forum, where such a text is held (in a forum with no free text
    # about individuals it is refused outright, tests/privacy/test_refusal.py).
    [warning] = await say(bot, "Sara Nilsson", command, channel="bra-kanal")
    assert "personnummer" in warning.text and "ändå" in warning.text
    [button] = warning.buttons
    pressed = await press(bot, "Sara Nilsson", button.route, button.payload, channel="bra-kanal")
    written = await say(bot, "Sara Nilsson", typed, channel="bra-kanal")
    shape = [{**_reply_shape(r), "replace": False} for r in pressed]
    return shape, [{**_reply_shape(r), "replace": r.replace_original} for r in written]


async def test_a_held_reminder_is_confirmed_alike_by_button_and_by_writing_anyway(
    bot: Bot,
) -> None:
    await bind_channel(bot.database, "bra-kanal", "bra")
    pressed, written = await _held_then_confirmed(
        bot, f"påminn mig i morgon 9:00 {PERSONAL}", f"påminn mig ändå i morgon 9:00 {PERSONAL}"
    )
    assert written == pressed
    async with bot.database.sessions() as session:
        jobs = (await session.scalars(select(Job).where(Job.kind == "reminder"))).all()
        audit = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "reminder.create"))
        ).all()
    assert len(jobs) == 2
    # Each reminder has its own stable number (1 and 2); everything else is the same.
    assert [j.payload.pop("number") for j in jobs] == [1, 2]
    assert [(j.due, j.payload, j.target_id) for j in jobs[1:]] == [
        (j.due, j.payload, j.target_id) for j in jobs[:1]
    ]
    afters = [dict(a.after or {}) for a in audit]
    for after in afters:
        after.pop("number", None)
    assert [(after, a.entity_id) for after, a in zip(afters, audit, strict=True)] == [
        (afters[0], audit[0].entity_id)
    ] * 2
    assert audit[0].after is not None and audit[0].after["confirmed_personnummer"] is True


async def test_a_held_action_item_is_confirmed_alike_by_button_and_by_writing_anyway(
    bot: Bot,
) -> None:
    await bind_channel(bot.database, "bra-kanal", "bra")
    rest = f"{PERSONAL} ansvarig mig senast 2026-12-10"
    pressed, written = await _held_then_confirmed(bot, f"åtgärd {rest}", f"åtgärd ändå {rest}")
    assert _normalised(written, "A") == _normalised(pressed, "A")
    async with bot.database.sessions() as session:
        items = (await session.scalars(select(ActionItem).order_by(ActionItem.id))).all()
        audit = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "action.create"))
        ).all()
    shapes = [(i.text, i.owner_id, i.forum_id, i.due, i.status) for i in items]
    assert len(shapes) == 2 and shapes[0] == shapes[1]
    assert (
        _normalised([a.after for a in audit], "A") == [_normalised(audit[0].after, "A")] * 2
        and audit[0].after is not None
    )
    assert audit[0].after["confirmed_personnummer"] is True


async def test_anyway_is_only_recorded_when_there_was_something_to_confirm(bot: Bot) -> None:
    await say(bot, "Sara Nilsson", "påminn mig ändå i morgon 9:00 ring Ahmed", channel="t")
    async with bot.database.sessions() as session:
        [audit] = (
            await session.scalars(select(AuditEvent).where(AuditEvent.action == "reminder.create"))
        ).all()
        [job] = (await session.scalars(select(Job).where(Job.kind == "reminder"))).all()
    assert audit.after is not None and audit.after["confirmed_personnummer"] is False
    assert job.payload["text"] == "ring Ahmed"
