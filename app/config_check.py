"""Every setting checked before anything starts, each problem one line an operator can act on.

Each settings class reads its own variables (pydantic) and says what does not work together
(`problems()`); here the two kinds of fault become one list, worded in the operator's language
(SAMVERKAN_LOCALE, Swedish by default): the variable, what is wrong, and an example of a right
value. Secrets are never repeated. `samverkan serve`, `worker`, `check` and every subcommand
that reads settings go through `load`, so a bad value is refused in one line, not a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time
from typing import TYPE_CHECKING, Any, TypeVar, get_args
from zoneinfo import ZoneInfo

from pydantic import AliasChoices, ValidationError
from pydantic_settings import BaseSettings

from app.operator_language import operator_language
from bot.common.config import SettingProblem, Settings
from bot.common.i18n import Language, Translator
from bot.scheduler.settings import SchedulerSettings
from storage.db import async_url

if TYPE_CHECKING:
    from adapters.slack.settings import SlackSettings
    from adapters.teams.settings import TeamsSettings

S = TypeVar("S", bound=BaseSettings)

# Variables whose value is never shown, not even in a complaint about it.
SECRETS = frozenset(
    {
        "SLACK_SIGNING_SECRET",
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "SLACK_CLIENT_SECRET",
        "MICROSOFT_APP_PASSWORD",
        "SAMVERKAN_CALENDAR_SECRET",
        "SAMVERKAN_METRICS_TOKEN",
    }
)
# Examples where a field's default is not a good one to show.
EXAMPLES = {
    "DATABASE_URL": "postgresql://samverkan@db.example.se/samverkan",
    "SAMVERKAN_JOBS_RATES": "slack=1,teams=7",
    "MICROSOFT_APP_TYPE": "SingleTenant",
    "SAMVERKAN_LOG_LEVEL": "INFO",
    "SAMVERKAN_METRICS_PORT": "9464",
}
# pydantic's error types, as our message keys; the rest fall back to `config.invalid`.
ERROR_KEYS = {
    "int_parsing": "config.not_an_integer",
    "int_from_float": "config.not_an_integer",
    "float_parsing": "config.not_a_number",
    "greater_than": "config.greater_than",
    "greater_than_equal": "config.at_least",
    "less_than_equal": "config.at_most",
    "time_parsing": "config.not_a_time",
    "time_type": "config.not_a_time",
    "bool_parsing": "config.not_a_bool",
    "literal_error": "config.one_of",
    "value_error": "config.malformed",
    "json_invalid": "config.malformed",
    "dict_type": "config.malformed",
    "tuple_type": "config.malformed",
    "missing": "config.missing",
}


@dataclass
class Configuration:
    """Everything read from the environment, and what is wrong with it.

    A settings object is None when its variables could not be read at all; `notes` are lines
    worth saying at start that are not faults (how a URL was taken, a setting ignored).
    """

    settings: Settings | None = None
    scheduler: SchedulerSettings | None = None
    slack: SlackSettings | None = None
    teams: TeamsSettings | None = None
    problems: list[SettingProblem] = field(default_factory=list)
    notes: list[SettingProblem] = field(default_factory=list)

    @property
    def language(self) -> Language:
        """The operator's language (`app.operator_language`): SAMVERKAN_LANGUAGE, then the
        bot's SAMVERKAN_LOCALE, then the shell's locale, else Swedish."""
        return operator_language()

    def translator(self) -> Translator:
        return Translator(self.language, ZoneInfo("UTC"))

    def lines(self, found: list[SettingProblem]) -> list[str]:
        t = self.translator()
        return [describe(problem, t) for problem in found]


def load(*, platforms: bool = True, env_file: str | None = ".env") -> Configuration:
    """Read and check the core settings, and (with `platforms`) Slack's and Teams'."""
    config = Configuration()
    config.settings = _read(Settings, config.problems, env_file)
    config.scheduler = _read(SchedulerSettings, config.problems, env_file)
    if platforms:
        # Imported only here: the Teams package brings botbuilder, which `say` never needs.
        from adapters.slack.settings import SlackSettings
        from adapters.teams.settings import TeamsSettings

        config.slack = _read(SlackSettings, config.problems, env_file)
        config.teams = _read(TeamsSettings, config.problems, env_file)
    if config.teams is not None and config.teams.app_id and config.teams.local_mode_requested:
        # The app id wins: every request's token is checked, whatever TEAMS_LOCAL_MODE says.
        config.notes.append(
            SettingProblem("TEAMS_LOCAL_MODE", "config.note.local_mode_ignored", "")
        )
    for part in (config.settings, config.scheduler, config.slack, config.teams):
        problems: Callable[[], list[SettingProblem]] | None = getattr(part, "problems", None)
        if part is not None and problems is not None:
            config.problems += problems()
    if config.settings is not None:
        given = config.settings.database_url
        if async_url(given) != given:
            scheme = given.split("://", 1)[0]
            driver = config.settings.database.split("://", 1)[0]
            config.notes.append(
                SettingProblem(
                    "DATABASE_URL",
                    "config.note.driver",
                    "",
                    {"scheme": scheme, "driver": driver},
                )
            )
    return config


def _read(cls: type[S], problems: list[SettingProblem], env_file: str | None) -> S | None:
    """One settings class from the environment; its pydantic errors as our problems."""
    try:
        return cls(_env_file=env_file)
    except ValidationError as invalid:
        for error in invalid.errors(include_url=False):
            problems.append(_from_error(cls, error))
        return None


def _from_error(cls: type[BaseSettings], error: Any) -> SettingProblem:
    name = _field_name(cls, str(error["loc"][0]) if error["loc"] else "")
    variable = variable_of(cls, name)
    context = error.get("ctx") or {}
    value = "…" if variable in SECRETS else str(error.get("input", ""))
    values = {
        "value": value,
        "limit": next((context[k] for k in ("gt", "ge", "le", "lt") if k in context), ""),
        "choices": _choices(cls, name) or context.get("expected", ""),
        "detail": str(context.get("error", error.get("msg", ""))),
    }
    key = ERROR_KEYS.get(str(error["type"]), "config.invalid")
    return SettingProblem(variable, key, _example(cls, name, variable), values)


def _choices(cls: type[BaseSettings], name: str) -> str:
    """The values a `Literal` field takes, as an admin writes them: `A, B`."""
    info = cls.model_fields.get(name)
    choices = get_args(info.annotation) if info is not None else ()
    return ", ".join(str(c) for c in choices if isinstance(c, str) and c)


def _field_name(cls: type[BaseSettings], loc: str) -> str:
    """The field an error is about: pydantic names it by field or by its alias (any case)."""
    for name, info in cls.model_fields.items():
        if loc.lower() in {name.lower(), *(a.lower() for a in _aliases(info.validation_alias))}:
            return name
    return loc


def _aliases(alias: object) -> list[str]:
    if isinstance(alias, str):
        return [alias]
    if isinstance(alias, AliasChoices):
        return [str(choice) for choice in alias.choices]
    return []


def variable_of(cls: type[BaseSettings], name: str) -> str:
    """The environment variable an admin sets for a field (our spelling, upper case)."""
    info = cls.model_fields.get(name)
    aliases = _aliases(info.validation_alias) if info is not None else []
    if aliases:
        return aliases[0]
    return (str(cls.model_config.get("env_prefix", "")) + name).upper()


def _example(cls: type[BaseSettings], name: str, variable: str) -> str:
    """A right value for the variable: the table's, else the field's default written out."""
    if variable in EXAMPLES:
        return EXAMPLES[variable]
    info = cls.model_fields.get(name)
    if info is None:
        return ""
    default = info.get_default(call_default_factory=True)
    if isinstance(default, time):
        return default.strftime("%H:%M")
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, dict):
        return ",".join(f"{key}={value:g}" for key, value in default.items())
    if isinstance(default, tuple):
        return ",".join(str(item) for item in default)
    choices = [c for c in get_args(info.annotation) if c]
    if choices and all(isinstance(choice, str) for choice in choices):
        return str(choices[0])
    if default is None or str(default) == "":
        return ""
    return str(default)


def describe(problem: SettingProblem, t: Translator) -> str:
    """`VARIABLE: what is wrong – for example VARIABLE=right value`, in one line."""
    what = t(problem.key, variable=problem.variable, **problem.values)
    line = f"{problem.variable}: {what}"
    if problem.example:
        example = problem.example
        if not example.startswith(problem.variable + "="):
            example = f"{problem.variable}={example}"
        line += " – " + t("config.example", example=example)
    return " ".join(line.split())  # one line, whatever a value held
