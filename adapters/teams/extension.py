"""The message extension's action "Gemensamt utkast": a post's text as a new joint draft.

`composeExtension/fetchTask` answers with the draft form as a dialog (task module), its
text filled in from the post; `composeExtension/submitAction` sends the form to the same
route as the form `utkast` opens, so the draft is made by the same code. The rules (who may
write drafts, what a draft may hold) are the core's; this only moves the form and the text.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from botbuilder.schema import Attachment
from botbuilder.schema.teams import (
    MessagingExtensionAction,
    MessagingExtensionActionResponse,
    TaskModuleContinueResponse,
    TaskModuleMessageResponse,
    TaskModuleTaskInfo,
)

from adapters.teams.activities import _submitted
from adapters.teams.render import CARD_CONTENT_TYPE, Card, form_values, render
from bot.core.reply import Form, Reply, Visibility
from bot.core.request import ButtonPress

# The command's id in the app manifest (manifest/teams/manifest.template.json).
DRAFT_FROM_MESSAGE = "jointDraftFromMessage"
# The core's route that opens the draft form (bot.drafts.names.NEW_FORM_ROUTE).
DRAFT_FORM_ROUTE = "draft.new"
_BREAKS = frozenset({"br", "p", "div", "li"})


class _Text(HTMLParser):
    """A post's HTML body as the text its writer typed: tags gone, paragraphs as lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAKS and self.parts:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def message_text(action: MessagingExtensionAction) -> str:
    """The text of the post the action was used on ("" when Teams sends none)."""
    payload = action.message_payload
    body = getattr(payload, "body", None)
    content = str(getattr(body, "content", "") or "")
    if str(getattr(body, "content_type", "") or "").lower() == "html":
        parser = _Text()
        parser.feed(content)
        parser.close()
        content = "".join(parser.parts)
    lines = [line.strip() for line in content.splitlines()]
    return "\n".join(line for line in lines if line).strip()


def opening_press(action: MessagingExtensionAction) -> ButtonPress:
    return ButtonPress(DRAFT_FORM_ROUTE, {"text": message_text(action)})


def dialog_card(
    reply: Reply, form: Form | None = None, values: dict[str, Any] | None = None
) -> Card:
    """The form as a dialog's card: a dialog is sent with Action.Submit, not Action.Execute."""
    card = render(reply, form=form, values=values)[-1]
    for action in card.get("actions", []):
        if action.get("type") == "Action.Execute":
            action["type"] = "Action.Submit"
            action.pop("verb", None)
    return card


def form_dialog(card: Card, title: str) -> MessagingExtensionActionResponse:
    info = TaskModuleTaskInfo(
        title=title[:64],
        card=Attachment(content_type=CARD_CONTENT_TYPE, content=card),
        width="large",
        height="large",
    )
    return MessagingExtensionActionResponse(task=TaskModuleContinueResponse(value=info))


def message_dialog(text: str) -> MessagingExtensionActionResponse:
    return MessagingExtensionActionResponse(task=TaskModuleMessageResponse(value=text[:500]))


def submitted(action: MessagingExtensionAction) -> tuple[Form | None, dict[str, Any]]:
    """The form a dialog sent back and its values as the core reads them; (None, {}) when the
    data does not read (a client can be altered)."""
    data, form = _submitted(action.data)
    if data is None or form is None:
        return None, {}
    return form, form_values(form, data)


def answer_of(replies: list[Reply]) -> str:
    """What the dialog says when it closes: the answers meant for the writer."""
    private = [r.plain_text() for r in replies if r.visibility is Visibility.ONLY_TO_YOU]
    return "\n\n".join(text for text in private if text)
