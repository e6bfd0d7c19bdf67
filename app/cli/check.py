"""`samverkan check`: the whole configuration's state, for an admin to run before anything else.

Which platforms are on and how, which database (and whether it answers), which optional
features, and every problem, one line each. Secrets are shown only as set or not set. A
platform that is off is reported as off, not as a problem: the demo (SQLite, no platform)
passes. Exit 0 when nothing is wrong, else 2.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import click

from app.cli.common import CONFIG_ERROR, reason
from app.config_check import Configuration, describe, load
from bot.common.config import SettingProblem, Settings
from bot.common.i18n import Translator
from storage.db import Database

if TYPE_CHECKING:
    from adapters.teams.settings import TeamsSettings


@click.command()
def check() -> None:
    """Show the configuration (secrets masked) and every problem; exit non-zero on any."""
    config = load()
    t = config.translator()
    lines = [t("check.heading")]
    problems = list(config.problems)
    if config.settings is not None:
        database_line, database_problem = _database(config.settings, t)
        lines.append(database_line)
        problems += database_problem
        lines.append(
            t(
                "check.basics",
                timezone=config.settings.timezone,
                locale=config.settings.locale,
                url=config.settings.public_url,
            )
        )
    lines.append(_slack(config, t))
    lines.append(_teams(config, t))
    lines += _optional(config, t)
    lines += [t("check.note", line=describe(note, t)) for note in config.notes]
    if problems:
        lines.append(t("check.problems", count=len(problems)))
        lines += [f"  ✗ {describe(problem, t)}" for problem in problems]
    else:
        lines.append(t("check.no_problems"))
    click.echo("\n".join(lines))
    if problems:
        raise SystemExit(CONFIG_ERROR)


def _state(t: Translator, value: object) -> str:
    """A secret as `set` or `not set`: never its value, nor a part of it."""
    return t("check.set") if value else t("check.unset")


def _database(settings: Settings, t: Translator) -> tuple[str, list[SettingProblem]]:
    """Where the database is (password hidden) and whether it answers at the newest schema."""
    from sqlalchemy.engine.url import make_url

    url = settings.database
    try:
        parsed = make_url(url)
    except Exception:
        return t("check.database", url="-", state="-"), []  # already a settings problem
    shown = parsed.render_as_string(hide_password=True)
    in_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (
        None,
        "",
        ":memory:",
    )
    if in_file and not Path(str(parsed.database)).exists():
        return t("check.database", url=shown, state=t("check.database_not_created")), []
    try:
        revision, newest = asyncio.run(_schema(url))
    except Exception as error:
        problem = SettingProblem(
            "DATABASE_URL", "check.database_unreachable", "", {"error": reason(error, url)}
        )
        return t("check.database", url=shown, state=t("check.database_down")), [problem]
    state = t("check.database_ready", revision=revision or "-")
    if revision != newest:
        problem = SettingProblem(
            "DATABASE_URL",
            "cli.schema_outdated",
            "",
            {"revision": revision or "-", "head": newest},
        )
        return t("check.database", url=shown, state=state), [problem]
    return t("check.database", url=shown, state=state), []


async def _schema(url: str) -> tuple[str | None, str]:
    from storage.migrate import current_revision, head_revision

    database = Database(url)
    try:
        await database.ping()
        return await current_revision(database), head_revision()
    finally:
        await database.dispose()


def _slack(config: Configuration, t: Translator) -> str:
    slack = config.slack
    if slack is None:
        return t("check.slack", state=t("check.unreadable"))
    if not slack.configured:
        return t("check.slack", state=t("check.off"))
    modes = [
        name
        for name, on in (
            ("HTTP", slack.http_enabled),
            ("Socket Mode", slack.socket_mode_enabled),
            ("OAuth", slack.oauth_enabled),
        )
        if on
    ]
    teams = ", ".join(sorted(slack.allowed_teams)) or t("check.own_workspace")
    state = t(
        "check.slack_on",
        modes=", ".join(modes) or t("check.incomplete"),
        signing=_state(t, slack.signing_secret),
        bot=_state(t, slack.bot_token),
        app=_state(t, slack.app_token),
        client=_state(t, slack.client_secret),
        teams=teams,
    )
    return t("check.slack", state=state)


def _teams(config: Configuration, t: Translator) -> str:
    teams = config.teams
    if teams is None:
        return t("check.teams", state=t("check.unreadable"))
    if not teams.configured:
        return t("check.teams", state=t("check.off"))
    if teams.local_mode:
        return t("check.teams", state=t("check.teams_local"))
    state = t(
        "check.teams_on",
        app_id=teams.app_id,
        app_type=teams.app_type,
        tenant=teams.tenant_id or "-",
        credential=_credential(teams, t),
        tenants=", ".join(sorted(teams.allowed_tenants)) or "-",
    )
    return t("check.teams", state=state)


def _credential(teams: TeamsSettings, t: Translator) -> str:
    """Which kind of credential the bot signs in with; a secret only as set or not."""
    if teams.app_type == "UserAssignedMSI":
        return t("check.credential_identity")
    if teams.certificate_path is not None:
        return t("check.credential_certificate", path=str(teams.certificate_path))
    return t("check.credential_secret", state=_state(t, teams.app_password.get_secret_value()))


def _optional(config: Configuration, t: Translator) -> list[str]:
    """The features an admin switches on with a setting of their own."""
    settings = config.settings
    if settings is None:
        return []
    if settings.metrics_port is not None:
        metrics = t("check.metrics_port", port=settings.metrics_port)
    elif settings.metrics_token is not None:
        metrics = t("check.metrics_token")
    else:
        metrics = t("check.metrics_open")
    calendar = (
        t("check.on")
        if settings.calendar_secret
        else t("check.off_unless", variable="SAMVERKAN_CALENDAR_SECRET")
    )
    return [
        t("check.calendar", state=calendar),
        t("check.metrics", state=metrics),
        t(
            "check.logs",
            format=settings.log_format,
            level=settings.log_level.upper() or "INFO",
            grace=f"{settings.shutdown_grace_seconds:g}",
        ),
    ]
