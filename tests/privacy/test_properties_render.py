"""Both renderers, driven by Hypothesis with arbitrary replies and forms.

Whatever the core writes — any characters, empty or very long texts, many buttons, odd form
fields — each renderer returns output its platform accepts: Block Kit within Slack's limits
(checked by the fake Slack's own rules) and Adaptive Cards valid against the 1.5 schema.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.slack.render import render as slack_render
from adapters.slack.render import render_field_errors, render_form, render_single
from adapters.slack.translate import FormMetadata
from adapters.teams.render import render as teams_render
from bot.core.reply import (
    Button,
    ButtonStyle,
    FieldItem,
    Form,
    FormField,
    Reply,
    Section,
    Visibility,
)
from tests.slack.limits import block_kit_problems
from tests.teams.fakes import card_errors

EXAMPLES = 150
TZ = ZoneInfo("Europe/Stockholm")

# Any text, now and then a long one (a 5,000-character draft, a digest of many lines).
texts = st.one_of(
    st.text(max_size=80),
    st.text(max_size=40).map(lambda s: (s + " ") * 150),
    st.text(st.sampled_from("ab <>&*_`\n"), max_size=400),
)
short = st.text(max_size=40)
names = st.text(st.characters(min_codepoint=97, max_codepoint=122), min_size=1, max_size=20)
payload_values = st.one_of(st.none(), st.booleans(), st.integers(), short)
payloads = st.dictionaries(names, payload_values, max_size=4)

buttons = st.builds(
    Button,
    label=short.filter(str.strip),  # the core labels every button from its catalogs
    route=st.one_of(names, st.just("draft.approve")),
    payload=payloads,
    style=st.sampled_from(list(ButtonStyle)),
)
form_fields = st.builds(
    FormField,
    name=names,
    label=short,
    kind=st.sampled_from(["text", "multiline", "choice", "multichoice", "users", "datetime"]),
    required=st.booleans(),
    options=st.lists(st.tuples(names, short), max_size=12),
    initial=st.one_of(st.none(), short, st.just("2026-12-03T18:00"), texts),
    max_length=st.one_of(st.none(), st.integers(1, 8000)),
).filter(lambda f: f.max_length is None or len(f.initial or "") <= f.max_length)
forms = st.builds(
    Form,
    title=short,
    submit_label=short,
    route=names,
    fields=st.lists(form_fields, max_size=6, unique_by=lambda f: f.name),
    payload=payloads,
)
replies = st.builds(
    Reply,
    text=texts,
    heading=st.one_of(st.none(), short),
    fields=st.lists(st.builds(FieldItem, short, texts), max_size=12),
    sections=st.lists(
        st.builds(Section, st.one_of(st.none(), short), st.lists(short, max_size=30)), max_size=4
    ),
    buttons=st.lists(buttons, max_size=6),
    context=st.one_of(st.none(), short),
    visibility=st.sampled_from(list(Visibility)),
    field_errors=st.dictionaries(names, short, max_size=3),
)
fast = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(replies)
def test_slack_renders_any_reply_within_block_kits_limits(reply: Reply) -> None:
    for message in slack_render(reply):
        assert block_kit_problems(message.as_kwargs()) == []
    single = render_single(reply)
    if single is not None:
        assert block_kit_problems(single.as_kwargs()) == []


@fast
@given(forms, st.dictionaries(names, short, max_size=4))
def test_slack_renders_any_form_as_a_valid_modal(form: Form, errors: dict[str, str]) -> None:
    metadata = FormMetadata(form.route, "C0123ABCDEF", form.payload)
    view = render_form(form, metadata, TZ)
    assert block_kit_problems({"view": view}) == []
    shown = render_field_errors(errors, view)
    assert block_kit_problems(shown) == []


@fast
@given(replies, st.one_of(st.none(), forms), st.dictionaries(names, short, max_size=4))
def test_teams_renders_any_reply_as_valid_adaptive_cards(
    reply: Reply, form: Form | None, values: dict[str, str]
) -> None:
    for card in teams_render(reply, form=form, values=values):
        assert card_errors(card) == []
