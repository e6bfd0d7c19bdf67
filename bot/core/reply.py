"""The neutral reply every adapter renders: Block Kit, Adaptive Card or plain text."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.common.i18n import Language


class Visibility(StrEnum):
    CHANNEL = "channel"
    ONLY_TO_YOU = "only_to_you"


class ButtonStyle(StrEnum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True)
class FieldItem:
    label: str
    value: str


@dataclass(frozen=True)
class Section:
    """A titled group of lines, e.g. the contacts of one organisation."""

    title: str | None
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Button:
    label: str
    route: str
    payload: dict[str, Any] = field(default_factory=dict)
    style: ButtonStyle = ButtonStyle.DEFAULT
    # What a screen reader says when the label alone is ambiguous out of context: "Godkänn"
    # on one of several draft cards is "Godkänn utkast U7" (Slack's accessibility_label,
    # Teams' tooltip, which narrators read). The visible label stays short.
    accessible_label: str | None = None
    # Only some may use it (approve: the signers). A platform that gives each viewer their own
    # card (`Reply.per_viewer`) leaves it out of the card everyone sees; the others show it,
    # and the route refuses whoever may not use it.
    restricted: bool = False


# A `users` field is submitted as a list of platform user ids (Slack), or as text naming the
# people (Teams' picker answers with names from the directory; a text field). Beside it an
# adapter may send `<name>` + USER_EMAILS_SUFFIX: {user id: e-mail} for the picked users whose
# e-mail it may use for linking (the same rule as on first contact), so the core can link them.
USER_EMAILS_SUFFIX = "_emails"


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    # text | multiline | choice | multichoice | user | users | datetime. `user` (one person)
    # and `users` (several) are people pickers: each platform offers its own (Slack's user
    # selects, Teams' people search answered from the directory); a platform with none
    # offers a text field, and the core reads names and mentions there as in a command.
    kind: str = "text"
    required: bool = True
    options: list[tuple[str, str]] = field(default_factory=list)
    initial: str | None = None
    # The most characters the core accepts (text fields): a platform whose inputs hold fewer
    # offers several inputs, never a shorter limit than the core's own.
    max_length: int | None = None
    # Help beside the label, never instead of it: Slack's hint under the input, Teams' placeholder.
    hint: str | None = None
    # What to say when a required field is left empty (Teams shows it without asking the core).
    error: str | None = None


@dataclass(frozen=True)
class Form:
    title: str
    submit_label: str
    route: str
    fields: list[FormField] = field(default_factory=list)
    # Sent back with the submitted values (which draft, which version): Slack keeps it in
    # the modal's private_metadata, Teams in the submit action's data.
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Attachment:
    """A file a reply carries: a chart shown inside the message (`inline`), or a document
    offered for download. Adapters decide only how their platform carries it (an upload, a
    card image, a signed link); what it says is here, `alt` included for images."""

    data: bytes
    filename: str
    mime: str
    title: str
    alt: str | None = None
    inline: bool = False
    # A signed link that serves the same file until `expires`, for platforms that show files
    # by URL (a Teams card); None when the server has no link secret.
    url: str | None = None
    expires: datetime | None = None


@dataclass
class Reply:
    """What the bot says. Only the parts that are set are rendered."""

    text: str = ""
    heading: str | None = None
    fields: list[FieldItem] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    form: Form | None = None
    context: str | None = None
    visibility: Visibility = Visibility.CHANNEL
    replace_original: bool = False
    # A form submission that was refused: field name → what is wrong, shown next to the field.
    field_errors: dict[str, str] = field(default_factory=dict)
    # A card that looks different per viewer (an approve button only signers see): platforms
    # that can ask call this action for each viewer and show that viewer the answer.
    per_viewer: Button | None = None
    # Who sees their own card of a `per_viewer` reply at once: platform → the user ids their
    # identities are stored under (Teams refreshes the card for up to 60 of them by itself;
    # anyone else can ask for their view by refreshing it).
    viewers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The language the core wrote it in, so an adapter's own words beside it (Teams' "sent to
    # you privately") match it without asking the database again.
    language: Language | None = None
    # Charts and documents: see `Attachment`. A platform that cannot carry files names them.
    attachments: list[Attachment] = field(default_factory=list)

    def plain_text(self) -> str:
        """A text fallback for notifications, screen readers and the terminal."""
        parts: list[str] = []
        if self.heading:
            parts.append(self.heading)
        if self.text:
            parts.append(self.text)
        parts.extend(f"{f.label}: {f.value}" for f in self.fields)
        for section in self.sections:
            if section.title:
                parts.append(section.title)
            parts.extend(f"• {item}" for item in section.items)
        if self.context:
            parts.append(self.context)
        return "\n".join(parts)
