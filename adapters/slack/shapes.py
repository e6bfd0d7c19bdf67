"""The shape of a signed Slack body, checked before Bolt reads it.

Bolt and our listeners read ids and a few fields from fixed places (`event.type`,
`user.id`, `authorizations[0].team_id`, `view.private_metadata`, …) and assume their types;
a signed body with a string where an object belongs would fail there, with a 500. Only those
places are checked here, and only their types: everything else Slack sends passes through.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

Text = str | None


class _Open(BaseModel):
    """Fields we do not name are allowed and left alone."""

    model_config = ConfigDict(extra="allow")


class _Ref(_Open):
    """A user, team, channel or enterprise given as an object."""

    id: Text = None
    team_id: Text = None
    enterprise_id: Text = None
    name: Text = None


class _Authorization(_Open):
    team_id: Text = None
    enterprise_id: Text = None
    user_id: Text = None
    is_enterprise_install: bool | None = None


class _Part(_Open):
    """The fields read wherever they sit: at the top, in an event, a message or a view."""

    type: Text = None
    subtype: Text = None
    team: _Ref | str | None = None
    team_id: Text = None
    enterprise: _Ref | str | None = None
    enterprise_id: Text = None
    user: _Ref | str | None = None
    user_id: Text = None
    user_team: Text = None
    channel: _Ref | str | None = None
    channel_id: Text = None
    bot_id: Text = None
    text: Text = None
    tab: Text = None
    is_ext_shared_channel: bool | None = None
    authorizations: list[_Authorization] | None = None
    message: _Part | None = None
    previous_message: _Part | None = None
    tokens: dict[str, Any] | None = None


class _State(_Open):
    values: dict[str, dict[str, dict[str, Any]]] = {}


class _View(_Part):
    callback_id: Text = None
    private_metadata: Text = None
    app_installed_team_id: Text = None
    state: _State | None = None


class _Action(_Open):
    action_id: str
    value: Text = None


class _Envelope(_Part):
    event_id: Text = None
    trigger_id: Text = None
    response_url: Text = None
    event: _Part | None = None
    view: _View | None = None
    container: _Part | None = None
    actions: list[_Action] | None = None


class _Event(_Part):
    type: str


class _EventEnvelope(_Envelope):
    event: _Event


class _User(_Ref):
    id: str


class _Interaction(_Envelope):
    type: str
    user: _User
    trigger_id: str


def well_shaped(body: dict[str, Any]) -> bool:
    """Whether the parsed body has the types Bolt and the listeners rely on."""
    kind = body.get("type")
    model: type[_Envelope] = _Envelope
    if kind == "event_callback":
        model = _EventEnvelope
    elif kind in ("block_actions", "view_submission"):
        model = _Interaction
    try:
        model.model_validate(body)
    except ValidationError:
        return False
    return True


def command_complete(fields: dict[str, list[str]]) -> bool:
    """A slash command names its user, channel and trigger, each exactly once."""
    needed = ("command", "user_id", "channel_id", "trigger_id")
    return all(len(fields.get(name, [])) == 1 for name in needed)
