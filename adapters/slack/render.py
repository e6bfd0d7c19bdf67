"""The neutral `Reply` → Block Kit, always within Slack's limits, never trusting the text.

Every piece of text is escaped by Slack's rules (`&`, `<`, `>`), so what a user wrote can never
become `<!channel>`, a ping or a disguised link. An answer too long for one message is split
across several, each with its own plain-text fallback for notifications and screen readers.
A card the core posts to a channel with buttons (a draft for co-signature) is always one
message, because `chat.update` replaces one message and its buttons act on what it shows: a
draft card (5,000 characters of text, shown twice once approved) needs about 15 of the 50
blocks; a card that would need more is cut in the middle, keeping heading, context and buttons.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from typing import Any

from adapters.slack.translate import FORM_CALLBACK_ID, PART_SUFFIX, FormMetadata, encode_action_id
from bot.core.reply import Button, ButtonStyle, Form, FormField, Reply

log = logging.getLogger("samverkan.slack.render")

# Block Kit's limits (https://api.slack.com/reference/block-kit).
MAX_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_MODAL_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_ACCESSIBILITY_LABEL = 75
MAX_HINT = 2000
MAX_ACTION_ID = 255
MAX_BUTTON_VALUE = 2000
MAX_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_CONTEXT_TEXT = 2000
MAX_ACTIONS_ELEMENTS = 25
MAX_FALLBACK = 3000
MAX_MODAL_TITLE = 24
MAX_OPTIONS = 100
MAX_CHECKBOXES = 10
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_INPUT_LABEL = 2000
MAX_PRIVATE_METADATA = 3000
MAX_TEXT_INPUT = 3000  # a plain_text_input's max_length and initial_value
# Blocks that close a card and are kept when a long card is cut to fit one message.
TAIL_BLOCKS = ("context", "actions")


def escape(text: str) -> str:
    """Slack's escaping: only these three characters make control sequences."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Message:
    """One Slack message: blocks plus the `text` fallback that notifications show."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": self.blocks}


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit) or " ", "emoji": True}


def _section(mrkdwn: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def _pieces(line: str, limit: int) -> list[str]:
    """A long escaped line in pieces of at most `limit`: at a space where there is one, and
    never inside an entity such as `&amp;`, so nothing of a long paragraph is lost."""
    pieces: list[str] = []
    while len(line) > limit:
        cut = line.rfind(" ", limit // 2, limit)
        if cut <= 0:
            cut = limit
            entity = line.rfind("&", cut - 5, cut)
            if entity > 0 and ";" not in line[entity:cut]:
                cut = entity
        pieces.append(line[:cut])
        line = line[cut:].lstrip(" ")
    pieces.append(line)
    return pieces


def _chunks(lines: list[str], limit: int) -> list[str]:
    """Pack escaped lines into texts of at most `limit` characters, splitting a long line."""
    chunks: list[str] = []
    current = ""
    for line in (piece for raw in lines for piece in _pieces(raw, limit)):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks


def _text_blocks(text: str) -> list[dict[str, Any]]:
    chunks = _chunks(escape(text).split("\n"), MAX_SECTION_TEXT)
    return [_section(chunk) for chunk in chunks if chunk.strip()]  # Slack refuses blank text


def _fields_blocks(reply: Reply) -> list[dict[str, Any]]:
    texts = [
        {
            "type": "mrkdwn",
            "text": truncate(f"*{escape(f.label)}*\n{escape(f.value)}", MAX_FIELD_TEXT),
        }
        for f in reply.fields
    ]
    return [
        {"type": "section", "fields": texts[i : i + MAX_FIELDS]}
        for i in range(0, len(texts), MAX_FIELDS)
    ]


def _sections_blocks(reply: Reply) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for section in reply.sections:
        lines = [f"*{escape(section.title)}*"] if section.title else []
        lines += [f"• {escape(item)}" for item in section.items]
        blocks.extend(_section(chunk) for chunk in _chunks(lines, MAX_SECTION_TEXT))
    return blocks


def button_element(button: Button, index: int) -> dict[str, Any] | None:
    """A Block Kit button, or None (logged) if its action or payload cannot fit Slack's limits."""
    action_id = encode_action_id(button.route, index)
    value = json.dumps(button.payload, ensure_ascii=False, separators=(",", ":"))
    if len(action_id) > MAX_ACTION_ID or len(value) > MAX_BUTTON_VALUE:
        log.warning("button for action %s does not fit Slack's limits; left out", button.route)
        return None
    element: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": _plain(button.label, MAX_BUTTON_TEXT),
        "value": value,
    }
    if button.style is not ButtonStyle.DEFAULT:
        element["style"] = str(button.style)
    if button.accessible_label:
        # What screen readers say instead of the short label ("Godkänn utkast U7").
        element["accessibility_label"] = truncate(button.accessible_label, MAX_ACCESSIBILITY_LABEL)
    return element


def _button_blocks(buttons: list[Button]) -> list[dict[str, Any]]:
    elements = [e for i, b in enumerate(buttons) if (e := button_element(b, i)) is not None]
    return [
        {"type": "actions", "elements": elements[i : i + MAX_ACTIONS_ELEMENTS]}
        for i in range(0, len(elements), MAX_ACTIONS_ELEMENTS)
    ]


def reply_blocks(reply: Reply) -> list[dict[str, Any]]:
    """Every block of the reply, in reading order, before splitting into messages."""
    blocks: list[dict[str, Any]] = []
    if reply.heading and reply.heading.strip():
        if len(reply.heading) <= MAX_HEADER:
            blocks.append({"type": "header", "text": _plain(reply.heading, MAX_HEADER)})
        else:  # a header holds 150 characters: a longer one (a long draft title) stays whole
            blocks.extend(_text_blocks(f"*{reply.heading}*"))
    if reply.text:
        blocks.extend(_text_blocks(reply.text))
    blocks.extend(_fields_blocks(reply))
    blocks.extend(_sections_blocks(reply))
    if reply.context and reply.context.strip():
        context_text = truncate(escape(reply.context), MAX_CONTEXT_TEXT)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": context_text}]})
    blocks.extend(_button_blocks(reply.buttons))
    return blocks


def fallback_text(blocks: list[dict[str, Any]]) -> str:
    """The message's text for notifications and screen readers, from its (escaped) blocks."""
    parts: list[str] = []
    for block in blocks:
        kind = block["type"]
        if kind == "header":
            parts.append(escape(block["text"]["text"]))
        elif kind == "section":
            if "text" in block:
                parts.append(block["text"]["text"])
            parts.extend(f["text"] for f in block.get("fields", []))
        elif kind == "context":
            parts.extend(e["text"] for e in block["elements"])
    if not "".join(parts).strip():  # buttons alone: their labels say what the message offers
        parts = [escape(e["text"]["text"]) for b in blocks for e in b.get("elements", [])]
    return truncate("\n".join(parts), MAX_FALLBACK) or " "


def render(reply: Reply) -> list[Message]:
    """One or more messages of at most 50 blocks; buttons stay with the last one."""
    blocks = reply_blocks(reply)
    if not blocks:
        return []
    return [
        Message(text=fallback_text(part), blocks=part)
        for part in (blocks[i : i + MAX_BLOCKS] for i in range(0, len(blocks), MAX_BLOCKS))
    ]


def render_single(reply: Reply) -> Message | None:
    """The reply as exactly one message, for a card that is later updated in place.

    Buttons act on what the card shows and `chat.update` replaces one message, so a card is
    never split: in the rare card over 50 blocks, the middle is cut (marked `…`) and the
    heading, the closing context line and the buttons are kept.
    """
    blocks = reply_blocks(reply)
    if not blocks:
        return None
    if len(blocks) > MAX_BLOCKS:
        keep = 0
        while keep < len(blocks) and blocks[len(blocks) - 1 - keep]["type"] in TAIL_BLOCKS:
            keep += 1
        keep = min(keep, MAX_BLOCKS - 2)
        tail = blocks[len(blocks) - keep :] if keep else []
        head = blocks[: MAX_BLOCKS - 1 - keep]
        marker = {"type": "context", "elements": [{"type": "mrkdwn", "text": "…"}]}
        blocks = [*head, marker, *tail]
    return Message(text=fallback_text(blocks), blocks=blocks)


def render_home(replies: list[Reply]) -> dict[str, Any]:
    """The App Home tab: the sections the core built, cut at Slack's 100 blocks."""
    blocks = [block for reply in replies for block in reply_blocks(reply)]
    return {"type": "home", "blocks": blocks[:MAX_HOME_BLOCKS]}


def render_form(form: Form, metadata: FormMetadata, tz: tzinfo = UTC) -> dict[str, Any]:
    """A modal for a core form; each input's block id is the field name the core expects.

    `tz` is the bot's time zone: a form's initial time without an offset is local time there.
    """
    private = metadata.dump()
    if len(private) > MAX_PRIVATE_METADATA:
        raise ValueError("form metadata does not fit Slack's private_metadata")
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK_ID,
        "title": _plain(form.title, MAX_MODAL_TITLE),
        "submit": _plain(form.submit_label, MAX_MODAL_TITLE),
        "private_metadata": private,
        "blocks": [b for f in form.fields for b in _input_blocks(f, tz)][:MAX_MODAL_BLOCKS],
    }


def _input_blocks(form_field: FormField, tz: tzinfo) -> list[dict[str, Any]]:
    """One input, or for a text longer than Slack's inputs hold, several: `text`,
    `text__part2`, … (joined again on submission, see `translate.form_values`)."""
    wanted = max(form_field.max_length or MAX_TEXT_INPUT, len(form_field.initial or ""))
    if form_field.kind not in ("text", "multiline") or wanted <= MAX_TEXT_INPUT:
        return [_input_block(form_field, tz)]
    count = -(-wanted // MAX_TEXT_INPUT)
    parts = _parts(form_field.initial or "", count)
    blocks = []
    for index, part in enumerate(parts, start=1):
        name = form_field.name if index == 1 else f"{form_field.name}{PART_SUFFIX}{index}"
        label = f"{form_field.label} ({index}/{count})"
        shown = replace(
            form_field,
            name=name,
            label=label,
            initial=part or None,
            required=form_field.required and index == 1,
            max_length=MAX_TEXT_INPUT,
        )
        blocks.append(_input_block(shown, tz))
    return blocks


def _parts(text: str, count: int) -> list[str]:
    """The text in `count` parts that each fit one input, cut after a line break (else a
    space) where there is one; joined back they are the text, character for character."""
    parts: list[str] = []
    for _ in range(count - 1):
        if len(text) <= MAX_TEXT_INPUT:
            break
        window = text[:MAX_TEXT_INPUT]
        cut = window.rfind("\n")
        if cut < MAX_TEXT_INPUT // 2:
            cut = window.rfind(" ")
        cut = cut + 1 if cut >= MAX_TEXT_INPUT // 2 else MAX_TEXT_INPUT
        parts.append(text[:cut])
        text = text[cut:]
    parts.append(text)
    return parts + [""] * (count - len(parts))


def _input_block(form_field: FormField, tz: tzinfo) -> dict[str, Any]:
    block = {
        "type": "input",
        "block_id": form_field.name,
        "optional": not form_field.required,
        "label": _plain(form_field.label, MAX_INPUT_LABEL),
        "element": _input_element(form_field, tz),
    }
    if form_field.hint:
        block["hint"] = _plain(form_field.hint, MAX_HINT)  # shown under the input, read after it
    return block


def _options(form_field: FormField) -> list[dict[str, Any]]:
    return [
        {"text": _plain(label, MAX_OPTION_TEXT), "value": value[:MAX_OPTION_VALUE]}
        for value, label in form_field.options[:MAX_OPTIONS]
    ]


def _multichoice(form_field: FormField) -> dict[str, Any]:
    """Checkboxes for a few options (all visible at once), a multi-select for more.

    The initial choice is a comma-separated string of option values, as the core gives it.
    """
    options = _options(form_field)
    kind = "checkboxes" if len(options) <= MAX_CHECKBOXES else "multi_static_select"
    element: dict[str, Any] = {"type": kind, "action_id": "value", "options": options}
    wanted = {v.strip() for v in (form_field.initial or "").split(",") if v.strip()}
    chosen = [o for o in options if o["value"] in wanted]
    if chosen:
        element["initial_options"] = chosen
    return element


def _initial_time(initial: str, tz: tzinfo) -> int | None:
    """A Unix time for the datetimepicker; an ISO time without offset is local (`tz`)."""
    try:
        moment = datetime.fromisoformat(initial)
    except ValueError:
        log.warning("a form's initial time is not an ISO time; left empty")
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return int(moment.timestamp())


def _input_element(form_field: FormField, tz: tzinfo) -> dict[str, Any]:
    kind, initial = form_field.kind, form_field.initial
    element: dict[str, Any]
    if kind == "choice":
        options = _options(form_field)
        element = {"type": "static_select", "action_id": "value", "options": options}
        chosen = next((o for o in options if o["value"] == initial), None)
        if chosen is not None:
            element["initial_option"] = chosen
    elif kind == "multichoice":
        element = _multichoice(form_field)
    elif kind == "users":
        element = {"type": "multi_users_select", "action_id": "value"}
    elif kind == "user":
        element = {"type": "users_select", "action_id": "value"}
    elif kind == "datetime":
        element = {"type": "datetimepicker", "action_id": "value"}
        stamp = _initial_time(initial, tz) if initial else None
        if stamp is not None:
            element["initial_date_time"] = stamp
    elif kind == "email":
        element = {"type": "email_text_input", "action_id": "value"}
        if initial:
            element["initial_value"] = initial
    else:
        limit = min(form_field.max_length or MAX_TEXT_INPUT, MAX_TEXT_INPUT)
        element = {"type": "plain_text_input", "action_id": "value", "max_length": limit}
        if kind == "multiline":
            element["multiline"] = True
        if initial:
            element["initial_value"] = initial
    return element


def render_field_errors(errors: dict[str, str], view: dict[str, Any]) -> dict[str, Any]:
    """`response_action: errors`, each message next to its field (unknown names: the first)."""
    block_ids = [b.get("block_id") for b in view.get("blocks", []) if b.get("type") == "input"]
    shown: dict[str, str] = {}
    for name, message in errors.items():
        target = name if name in block_ids else (block_ids[0] if block_ids else name)
        joined = f"{shown[target]} {message}" if target in shown else message
        shown[target] = truncate(joined, MAX_FIELD_TEXT)
    return {"response_action": "errors", "errors": shown}
