"""Payload translation details and the app manifest against Slack's own schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml
from click.testing import CliRunner

from adapters.slack.manifest import BOT_EVENTS, BOT_SCOPES
from adapters.slack.translate import SlackUser, command_request, message_request, strip_mention
from app.cli.main import main
from manifest import load_schema
from tests.slack.conftest import sample
from tests.slack.fake_slack import BOT_USER

SCHEMA = "slack-manifest-1.0.0.schema.json"
USER = SlackUser(user_id="U0456GHIJKL", team_id="T0A1B2C3D4", locale="sv-SE")


def test_the_bots_own_mention_is_removed_and_other_mentions_are_kept() -> None:
    body = sample("event_callback_app_mention.json")
    body["event"]["text"] = f"<@{BOT_USER}> koppla <@U0999ZZZZZZ|erik> Erik Holm"
    request = message_request(body, USER, BOT_USER)
    assert request.text == "koppla <@U0999ZZZZZZ> Erik Holm"
    assert request.event_id == "Ev0ABCDEF12345"
    assert request.channel.channel_id == "C0123ABCDEF" and not request.channel.is_direct
    assert strip_mention(f"kontakter <@{BOT_USER}|samverkansboten> brå", BOT_USER) == (
        "kontakter   brå"
    )


def test_slash_command_text_is_unescaped_and_the_trigger_is_the_event_id() -> None:
    fields = sample("slash_command.fields.json")
    fields["text"] = "kontakter brå &amp; polis &lt;3"
    request = command_request(fields, USER)
    assert request.text == "kontakter brå & polis <3"
    assert request.event_id == f"command:{fields['trigger_id']}"
    assert (request.user.platform, request.user.workspace, request.user.locale) == (
        "slack",
        "T0A1B2C3D4",
        "sv-SE",
    )


def _write(tmp_path: Path, *args: str) -> dict[str, object]:
    output = tmp_path / "manifest.yaml"
    result = CliRunner().invoke(main, ["manifest", "slack", *args, "--output", str(output)])
    assert result.exit_code == 0, result.output
    written = yaml.safe_load(output.read_text(encoding="utf-8"))
    assert yaml.safe_load(result.stdout) == written  # printed as well as written
    return dict(written)


def test_the_http_manifest_validates_against_slacks_schema(tmp_path: Path) -> None:
    manifest = _write(tmp_path, "--url", "https://bot.example.org")
    schema = load_schema(SCHEMA)
    jsonschema.Draft7Validator(schema).validate(manifest)
    settings = manifest["settings"]
    assert isinstance(settings, dict)
    assert settings["event_subscriptions"]["request_url"] == "https://bot.example.org/slack/events"
    assert settings["interactivity"]["request_url"] == "https://bot.example.org/slack/events"
    assert settings["event_subscriptions"]["bot_events"] == list(BOT_EVENTS)
    assert settings["socket_mode_enabled"] is False
    oauth = manifest["oauth_config"]
    assert isinstance(oauth, dict)
    assert oauth["scopes"]["bot"] == list(BOT_SCOPES)
    assert oauth["redirect_urls"] == ["https://bot.example.org/slack/oauth_redirect"]
    features = manifest["features"]
    assert isinstance(features, dict)
    [command] = features["slash_commands"]
    assert command["command"] == "/samverkan"
    assert "Östra Göinge" in manifest["display_information"]["description"]  # type: ignore[index]


def test_the_socket_mode_manifest_validates_and_has_no_request_urls(tmp_path: Path) -> None:
    manifest = _write(tmp_path, "--socket-mode")
    schema = load_schema(SCHEMA)
    jsonschema.Draft7Validator(schema).validate(manifest)
    assert "request_url" not in json.dumps(manifest)
    assert manifest["settings"]["socket_mode_enabled"] is True  # type: ignore[index]


def test_the_schema_would_catch_a_broken_manifest(tmp_path: Path) -> None:
    manifest = _write(tmp_path, "--url", "https://bot.example.org")
    manifest["display_information"]["description"] = "x" * 141  # type: ignore[index]
    schema = load_schema(SCHEMA)
    assert not jsonschema.Draft7Validator(schema).is_valid(manifest)


def test_a_url_is_required_for_http(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["manifest", "slack", "--output", str(tmp_path / "m.yaml")])
    assert result.exit_code == 2


def test_the_committed_manifest_is_current(tmp_path: Path) -> None:
    committed = Path(__file__).resolve().parents[2] / "manifest" / "slack" / "manifest.yaml"
    assert yaml.safe_load(committed.read_text(encoding="utf-8")) == _write(
        tmp_path, "--url", "https://bot.example.org"
    )
