"""The neutral Reply as Adaptive Cards 1.5 (the version Teams renders; 1.6 only for a card
with a people search), with text fallback.

Buttons and form submits are `Action.Execute` (Universal Actions): the verb is the core's
action name and `data` its payload. A form carries its own definition in the submit data so
an invalid submission can be drawn again, with the user's input and the errors, without
asking the core for the form a second time. Cards are kept well under Teams' size limit by
packing the body into as many cards as needed.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import asdict
from typing import Any
from zoneinfo import ZoneInfo

from bot.common.i18n import DEFAULT_LANGUAGE, Language, Translator
from bot.core.reply import Button, ButtonStyle, Form, FormField, Reply
from bot.directory.people_search import PEOPLE_DATASET

SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
# Teams refuses messages above about 28 KB (413); leave room for the activity envelope.
CARD_BUDGET = 20_000
TEXT_BLOCK_LIMIT = 2_000
ALT_TEXT_LIMIT = 1_000
FORM_KEY = "_form"
PEOPLE_KINDS = ("user", "users")
# Teams refreshes a card by itself for at most this many users.
MOST_REFRESHED = 60
DATE_SUFFIX, TIME_SUFFIX = "__date", "__time"

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~])")
_LIST_START = re.compile(r"^(\s*)(?:([-+])|(\d+)\.)(?=\s)", re.MULTILINE)
_STYLE = {ButtonStyle.PRIMARY: "positive", ButtonStyle.DANGER: "destructive"}

Card = dict[str, Any]
Element = dict[str, Any]
Words = Callable[..., str]


def _words(language: Language | None) -> Words:
    """The adapter's own words (an input's parts, a default error) in the reply's language."""
    return Translator(language or DEFAULT_LANGUAGE, ZoneInfo("UTC"))  # formats no dates


def escape(text: str) -> str:
    """User text shown literally: no markdown links, emphasis, lists or `<…>` autolinks."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _LIST_START.sub(_unlist, escaped)


def _unlist(match: re.Match[str]) -> str:
    """`- x` and `1. x` at a line start stay text instead of becoming a list."""
    indent, bullet, number = match.groups()
    return indent + ("\\" + bullet if bullet else number + "\\.")


def rich(text: str) -> str:
    """Escape text, showing the core's `code` spans (command names) in bold."""
    parts = text.split("`")
    closed = len(parts) % 2 == 1
    out = []
    for index, part in enumerate(parts):
        code = index % 2 == 1
        if code and closed:
            out.append(f"**{escape(part)}**" if part else "")
        else:
            out.append(("\\`" if code else "") + escape(part))
    # A line break inside a TextBlock needs a blank line in Teams' markdown.
    return "".join(out).replace("\n", "\n\n")


def _line_pieces(line: str) -> list[str]:
    """A line longer than a TextBlock's share in pieces, cut after a space where there is
    one: every character is shown, in order (a 5,000-character draft on one line too)."""
    pieces: list[str] = []
    while len(line) > TEXT_BLOCK_LIMIT:
        cut = line.rfind(" ", TEXT_BLOCK_LIMIT // 2, TEXT_BLOCK_LIMIT)
        cut = cut + 1 if cut > 0 else TEXT_BLOCK_LIMIT
        pieces.append(line[:cut])
        line = line[cut:]
    pieces.append(line)
    return pieces


def _text_blocks(text: str, **style: Any) -> list[Element]:
    """One TextBlock per chunk of lines, so no single element outgrows a card."""
    blocks: list[Element] = []
    chunk: list[str] = []
    size = 0
    for line in text.split("\n"):
        pieces = _line_pieces(line)
        for index, piece in enumerate(pieces):
            # A line's later pieces start a block of their own: joined to a chunk with a
            # line break they would break the line where its writer did not.
            if chunk and (index > 0 or size + len(piece) > TEXT_BLOCK_LIMIT):
                blocks.append({"type": "TextBlock", "text": rich("\n".join(chunk)), "wrap": True})
                chunk, size = [], 0
            chunk.append(piece)
            size += len(piece) + 1
    if chunk:
        blocks.append({"type": "TextBlock", "text": rich("\n".join(chunk)), "wrap": True})
    for block in blocks:
        block.update(style)
    return blocks


def _body(reply: Reply) -> list[Element]:
    body: list[Element] = []
    if reply.heading:
        body.extend(_text_blocks(reply.heading, size="Large", weight="Bolder"))
    if reply.text:
        body.extend(_text_blocks(reply.text))
    if reply.fields:
        body.append(
            {
                "type": "FactSet",
                "facts": [{"title": escape(f.label), "value": rich(f.value)} for f in reply.fields],
            }
        )
    for section in reply.sections:
        if section.title:
            body.extend(_text_blocks(section.title, weight="Bolder", spacing="Medium"))
        for start in range(0, len(section.items), 20):
            lines = ["• " + item for item in section.items[start : start + 20]]
            body.extend(_text_blocks("\n".join(lines), spacing="Small"))
    return body


def _images(reply: Reply, room: int) -> list[Element]:
    """A chart inside the card: by its signed link, or inline as a data URI when it fits."""
    found: list[Element] = []
    for attachment in reply.attachments:
        if not attachment.inline or not attachment.mime.startswith("image/"):
            continue
        source = attachment.url
        if source is None:
            encoded = base64.b64encode(attachment.data).decode("ascii")
            if len(encoded) + 200 > room:
                continue  # too large for a card: the figures are in the text already
            source = f"data:{attachment.mime};base64,{encoded}"
        image: Element = {"type": "Image", "url": source, "size": "Stretch", "spacing": "Medium"}
        if attachment.alt:
            image["altText"] = attachment.alt[:ALT_TEXT_LIMIT]
        found.append(image)
    return found


def _downloads(reply: Reply) -> list[Element]:
    """Documents by their signed link, as buttons that open it."""
    return [
        {
            "type": "Action.OpenUrl",
            "title": f"{a.title} ({a.filename.rsplit('.', 1)[-1].upper()})",
            "url": a.url,
        }
        for a in reply.attachments
        if not a.inline and a.url is not None
    ]


def _execute(button: Button) -> Element:
    action: Element = {
        "type": "Action.Execute",
        "title": button.label,
        "verb": button.route,
        "data": dict(button.payload),
    }
    if button.style in _STYLE:
        action["style"] = _STYLE[button.style]
    if button.accessible_label:
        action["tooltip"] = button.accessible_label  # read by narrators, shown on hover
    return action


def _form_elements(
    form: Form, errors: dict[str, str], values: dict[str, Any], words: Words
) -> tuple[list[Element], Element]:
    """Inputs with their errors beside them, and the submit action carrying the form."""
    elements: list[Element] = [
        {"type": "TextBlock", "text": rich(form.title), "weight": "Bolder", "wrap": True}
    ]
    for form_field in form.fields:
        elements.extend(_inputs(form_field, values, words))
        if form_field.name in errors:
            elements.append(
                {
                    "type": "TextBlock",
                    "text": rich(errors[form_field.name]),
                    "color": "Attention",
                    "wrap": True,
                    "spacing": "None",
                }
            )
    submit: Element = {
        "type": "Action.Execute",
        "title": form.submit_label,
        "verb": form.route,
        "style": "positive",
        "associatedInputs": "auto",
        "data": {FORM_KEY: json.loads(json.dumps(asdict(form)))},  # tuples as lists
    }
    return elements, submit


def _labelled(label: str, required: bool, error: str, words: Words) -> Element:
    """What every input carries: a label, and for a required one the message shown when empty."""
    common: Element = {"label": label, "isRequired": required}
    if required:
        common["errorMessage"] = error or words("teams.form.required", label=label)
    return common


def _inputs(form_field: FormField, values: dict[str, Any], words: Words) -> list[Element]:
    name, label, required = form_field.name, form_field.label, form_field.required
    current = values.get(name, form_field.initial)
    common: Element = {"id": name, **_labelled(label, required, form_field.error or "", words)}
    if form_field.hint:
        common["placeholder"] = form_field.hint  # help text; the label is always there too
    if form_field.kind in ("choice", "multichoice"):
        multi = form_field.kind == "multichoice"
        element = {
            "type": "Input.ChoiceSet",
            **common,
            "style": "expanded" if multi else "compact",
            "choices": [{"title": title, "value": value} for value, title in form_field.options],
        }
        if multi:
            element.pop("placeholder", None)  # check boxes show no placeholder
            element["isMultiSelect"] = True  # values come back comma-separated
            if isinstance(current, list | tuple):
                current = ",".join(str(v) for v in current)
    elif form_field.kind == "datetime":
        # Two inputs, each with its own label, so a screen reader tells the day from the time.
        day, _, time = str(current or "").partition("T")
        date_label, time_label = (
            words(k, label=label) for k in ("teams.form.date", "teams.form.time")
        )
        time_missing = words("teams.form.time_missing", label=label)
        date_input: Element = {
            "type": "Input.Date",
            "id": name + DATE_SUFFIX,
            **_labelled(date_label, required, form_field.error or "", words),
        }
        time_input: Element = {
            "type": "Input.Time",
            "id": name + TIME_SUFFIX,
            **_labelled(time_label, required, time_missing, words),
        }
        if day:
            date_input["value"] = day
        if time:
            time_input["value"] = time[:5]
        return [date_input, time_input]
    elif form_field.kind in PEOPLE_KINDS:
        # Teams' dynamic people search (Adaptive Cards 1.6): as the user types, Teams asks the
        # bot (`application/search`, dataset below) and shows the directory's answers. The
        # values are names, which the core reads as in a command; several come comma-separated.
        element = {
            "type": "Input.ChoiceSet",
            **common,
            "style": "filtered",
            "choices": [],
            "choices.data": {"type": "Data.Query", "dataset": PEOPLE_DATASET},
        }
        if form_field.kind == "users":
            element["isMultiSelect"] = True
            element.pop("placeholder", None)  # Teams shows none on a multi-select
            if isinstance(current, list | tuple):
                current = ",".join(str(v) for v in current)
        if current:
            # Those already chosen (a form drawn again) stay choices of their own, so the card
            # shows them as labelled options until the search answers.
            names = [name.strip() for name in str(current).split(",") if name.strip()]
            element["choices"] = [{"title": name, "value": name} for name in names]
    else:
        element = {"type": "Input.Text", **common}
        if form_field.kind == "multiline":
            element["isMultiline"] = True
    if current:
        element["value"] = str(current)
    return [element]


def form_values(form: Form, data: dict[str, Any]) -> dict[str, Any]:
    """The submission as the core expects it: the form's payload, date and time joined."""
    values: dict[str, Any] = dict(form.payload)
    for form_field in form.fields:
        if form_field.kind == "datetime":
            day = str(data.get(form_field.name + DATE_SUFFIX) or "").strip()
            time = str(data.get(form_field.name + TIME_SUFFIX) or "").strip()
            values[form_field.name] = f"{day}T{time}" if day and time else day
        elif form_field.name in data:
            values[form_field.name] = str(data[form_field.name])
    return values


def form_from_data(data: dict[str, Any]) -> Form | None:
    """The form definition a submit action carried back, if it was a form."""
    raw = data.get(FORM_KEY)
    if not isinstance(raw, dict):
        return None
    fields = [
        FormField(
            name=str(f["name"]),
            label=str(f["label"]),
            kind=str(f.get("kind", "text")),
            required=bool(f.get("required", True)),
            options=[(str(value), str(title)) for value, title in f.get("options", [])],
            initial=None if f.get("initial") is None else str(f["initial"]),
            hint=None if f.get("hint") is None else str(f["hint"]),
            error=None if f.get("error") is None else str(f["error"]),
        )
        for f in raw.get("fields", [])
    ]
    payload = raw.get("payload")
    # Cards posted before the field was renamed carry the route as "action".
    route = raw.get("route", raw.get("action"))
    return Form(
        title=str(raw["title"]),
        submit_label=str(raw["submit_label"]),
        route=str(route),
        fields=fields,
        payload=dict(payload) if isinstance(payload, dict) else {},
    )


def _uses_people_search(body: list[Element]) -> bool:
    return any(
        isinstance(e.get("choices.data"), dict) and e["choices.data"].get("type") == "Data.Query"
        for e in body
    )


def _card(body: list[Element], actions: list[Element], fallback: str) -> Card:
    card: Card = {
        "$schema": SCHEMA_URL,
        "type": "AdaptiveCard",
        # 1.5 is what Teams renders; the people search needs 1.6, so only a card with one
        # declares it (and is checked against the 1.6 schema).
        "version": "1.6" if _uses_people_search(body) else "1.5",
        "body": body or [{"type": "TextBlock", "text": " ", "wrap": True}],
        "fallbackText": escape(fallback[:500]),
    }
    if actions:
        card["actions"] = actions
    return card


def render(
    reply: Reply,
    form: Form | None = None,
    values: dict[str, Any] | None = None,
    refresh_for: list[str] | None = None,
) -> list[Card]:
    """One or more cards for a reply; buttons and form inputs go on the last card.

    `form` and `values` draw a refused form submission again: the form the user sent, the
    values they typed and `reply.field_errors` beside the fields. `refresh_for` are the Teams
    member ids (`29:…`) of a per-viewer card's viewers, whose cards Teams refreshes at once.
    """
    body = _body(reply)
    if reply.attachments:  # weighed only then: most replies carry no file
        body.extend(_images(reply, CARD_BUDGET - _size(body) - 2_000))
    shown = reply.buttons
    if reply.per_viewer is not None:
        # Each viewer gets the buttons they may use through the refresh: everyone's card
        # shows none of the restricted ones.
        shown = [button for button in shown if not button.restricted]
    actions = [_execute(button) for button in shown] + _downloads(reply)
    tail: list[Element] = []
    the_form = reply.form or form
    if the_form is not None:
        words = _words(reply.language)
        inputs, submit = _form_elements(the_form, reply.field_errors, values or {}, words)
        tail.extend(inputs)
        actions.append(submit)
    if reply.context:
        tail.extend(_text_blocks(reply.context, isSubtle=True, size="Small"))
    # What notifications and screen readers get: the reply's text, and the form's title.
    fallback = "\n".join(part for part in (reply.plain_text(), the_form and the_form.title) if part)
    size = _size(actions) + _size(tail) + 600
    # The body as one list weighs at least as much as its elements one by one: when it fits,
    # no element would start a new card, so they are weighed one at a time only when not.
    pages = [list(body)] if size + _size(body) <= CARD_BUDGET else _pages(body, size)
    pages[-1].extend(tail)
    cards = [_card(page, [], fallback) for page in pages[:-1]]
    cards.append(_card(pages[-1], actions, fallback))
    if reply.per_viewer is not None:
        # With userIds Teams calls the action by itself for those viewers only (at most 60);
        # without, for everyone in conversations of up to 60 people. Anyone else can refresh
        # the card from its menu and gets their own answer too.
        refresh: Element = {"action": _execute(reply.per_viewer)}
        if refresh_for:
            refresh["userIds"] = list(dict.fromkeys(refresh_for))[:MOST_REFRESHED]
        cards[-1]["refresh"] = refresh
    return cards


def _pages(body: list[Element], size: int) -> list[list[Element]]:
    """The body split into cards under the budget, `size` counted before the first element."""
    pages: list[list[Element]] = [[]]
    for element in body:
        element_size = _size(element)
        if pages[-1] and size + element_size > CARD_BUDGET:
            pages.append([])
            size = 600
        pages[-1].append(element)
        size += element_size
    return pages


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode("utf-8"))


def with_note(card: Card, text: str) -> Card:
    """A copy of a card with a short answer below it, for the one who clicked."""
    noted: Card = json.loads(json.dumps(card))
    noted["body"] = [*noted.get("body", []), *_text_blocks(text, color="Good", spacing="Medium")]
    return noted
