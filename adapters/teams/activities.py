"""Reading what a Teams activity carries, and the invoke responses Teams expects back."""

from __future__ import annotations

from typing import Any

from botbuilder.core import InvokeResponse

from adapters.teams.render import (
    Card,
    form_from_data,
)
from bot.common.untrusted import button_payload
from bot.core.reply import Form

CARD_RESPONSE = "application/vnd.microsoft.card.adaptive"
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"


def _submitted(raw: object) -> tuple[dict[str, Any] | None, Form | None]:
    """An Action.Execute's data and the form it carries back, if it was a form.

    The client sends the data back, and a client can be altered: data that is no object, or a
    form that does not read, is unreadable (None), never acted on in part.
    """
    if raw is None:
        return {}, None
    data = button_payload(raw)
    if data is None:
        return None, None
    try:
        return data, form_from_data(data)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return None, None


def _card_response(card: Card) -> InvokeResponse:
    return InvokeResponse(
        status=200, body={"statusCode": 200, "type": CARD_RESPONSE, "value": card}
    )


def _message_response(text: str) -> InvokeResponse:
    return InvokeResponse(
        status=200, body={"statusCode": 200, "type": MESSAGE_RESPONSE, "value": text[:500]}
    )
