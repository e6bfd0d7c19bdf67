"""Bad configuration is refused before anything starts: one line per problem, exit 2.

Each case runs the real `samverkan` in its own process, as an operator starts it, in an empty
directory (no `.env`) with none of the bot's variables but the ones under test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SAMVERKAN = str(Path(sys.executable).with_name("samverkan"))
OURS = ("SLACK_", "TEAMS_", "MICROSOFT_", "Microsoft", "SAMVERKAN_", "DATABASE_URL")


def environment(**settings: str) -> dict[str, str]:
    """This process's environment without any of the bot's own settings, plus `settings`."""
    return {k: v for k, v in os.environ.items() if not k.startswith(OURS)} | settings


def samverkan(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    settings.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    return subprocess.run(
        [SAMVERKAN, *args],
        cwd=tmp_path,
        env=environment(**settings),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


# (the variable that must be named, the settings that are wrong)
BAD = [
    ("DATABASE_URL", {"DATABASE_URL": "mysql://samverkan@db.example.se/samverkan"}),
    ("DATABASE_URL", {"DATABASE_URL": "samverkan.sqlite3"}),
    ("SAMVERKAN_JOBS_RATES", {"SAMVERKAN_JOBS_RATES": "slack:fast"}),
    ("SAMVERKAN_JOBS_RATES", {"SAMVERKAN_JOBS_RATES": "slack=0"}),
    ("SAMVERKAN_JOBS_RATES", {"SAMVERKAN_JOBS_RATES": '{"slack": 1'}),
    ("SAMVERKAN_JOBS_MORNING", {"SAMVERKAN_JOBS_MORNING": "25:00"}),
    ("SAMVERKAN_JOBS_MORNING", {"SAMVERKAN_JOBS_MORNING": "morgon"}),
    ("SAMVERKAN_JOBS_BATCH_SIZE", {"SAMVERKAN_JOBS_BATCH_SIZE": "0"}),
    ("SAMVERKAN_JOBS_POLL_SECONDS", {"SAMVERKAN_JOBS_POLL_SECONDS": "snart"}),
    ("SAMVERKAN_JOBS_DIGEST_WEEKDAY", {"SAMVERKAN_JOBS_DIGEST_WEEKDAY": "9"}),
    ("SAMVERKAN_JOBS_CYCLE_OFFSETS_DAYS", {"SAMVERKAN_JOBS_CYCLE_OFFSETS_DAYS": "14,x"}),
    ("SAMVERKAN_JOBS_WORKING_HOURS_END", {"SAMVERKAN_JOBS_WORKING_HOURS_END": "07:00"}),
    ("SAMVERKAN_TIMEZONE", {"SAMVERKAN_TIMEZONE": "Mars/Olympus"}),
    ("SAMVERKAN_LOCALE", {"SAMVERKAN_LOCALE": "de"}),
    ("SAMVERKAN_PUBLIC_URL", {"SAMVERKAN_PUBLIC_URL": "samverkan.example.se"}),
    ("SAMVERKAN_AGREEMENT", {"SAMVERKAN_AGREEMENT": "/no/such/agreement.toml"}),
    ("MICROSOFT_APP_TYPE", {"MICROSOFT_APP_TYPE": "Bogus"}),
    ("TEAMS_LOCAL_MODE", {"TEAMS_LOCAL_MODE": "kanske"}),
    ("SLACK_SIGNING_SECRET", {"SLACK_BOT_TOKEN": "xoxb-1-2-abc"}),
    ("SLACK_CLIENT_SECRET", {"SLACK_SIGNING_SECRET": "s3cr3t", "SLACK_CLIENT_ID": "1.2"}),
    ("SLACK_CLIENT_ID", {"SLACK_SIGNING_SECRET": "s3cr3t", "SLACK_CLIENT_SECRET": "c"}),
    ("SLACK_BOT_TOKEN", {"SLACK_APP_TOKEN": "xapp-1-abc"}),
    ("SLACK_BOT_TOKEN", {"SLACK_SIGNING_SECRET": "s3cr3t"}),
    ("SLACK_BOT_TOKEN", {"SLACK_SIGNING_SECRET": "s3cr3t", "SLACK_BOT_TOKEN": "xapp-1-abc"}),
    ("SLACK_API_URL", {"SLACK_API_URL": "slack.com/api"}),
    ("MICROSOFT_APP_PASSWORD", {"MICROSOFT_APP_ID": "0f1e2d3c", "MICROSOFT_APP_TENANT_ID": "t"}),
    ("MICROSOFT_APP_TENANT_ID", {"MICROSOFT_APP_ID": "0f1e2d3c", "MICROSOFT_APP_PASSWORD": "p"}),
    (
        "TEAMS_ALLOWED_TENANTS",
        {
            "MICROSOFT_APP_ID": "0f1e2d3c",
            "MICROSOFT_APP_PASSWORD": "p",
            "MICROSOFT_APP_TYPE": "MultiTenant",
        },
    ),
    ("MICROSOFT_APP_ID", {"MICROSOFT_APP_PASSWORD": "p"}),
    (
        "MICROSOFT_APP_TENANT_ID",
        {"MICROSOFT_APP_ID": "0f1e2d3c", "MICROSOFT_APP_TYPE": "UserAssignedMSI"},
    ),
    (
        "MICROSOFT_APP_CERTIFICATE_PATH",
        {
            "MICROSOFT_APP_ID": "0f1e2d3c",
            "MICROSOFT_APP_TENANT_ID": "t",
            "MICROSOFT_APP_CERTIFICATE_PATH": "/no/such/bot.pem",
        },
    ),
    ("SAMVERKAN_SHUTDOWN_GRACE_SECONDS", {"SAMVERKAN_SHUTDOWN_GRACE_SECONDS": "-5"}),
    ("SAMVERKAN_LOG_FORMAT", {"SAMVERKAN_LOG_FORMAT": "xml"}),
    ("SAMVERKAN_LOG_LEVEL", {"SAMVERKAN_LOG_LEVEL": "LOUD"}),
    ("SAMVERKAN_METRICS_PORT", {"SAMVERKAN_METRICS_PORT": "70000"}),
]

SECRET_VALUES = ("xoxb-1-2-abc", "s3cr3t", "xapp-1-abc")


@pytest.mark.parametrize(
    ("variable", "settings"), BAD, ids=[f"{v}-{i}" for i, (v, _) in enumerate(BAD)]
)
def test_a_bad_setting_stops_serve_in_one_line(
    tmp_path: Path, variable: str, settings: dict[str, str]
) -> None:
    result = samverkan(tmp_path, "serve", "--port", "0", **settings)

    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""  # nothing of a start: no "lyssnar på …"
    lines = result.stderr.splitlines()
    naming = [line for line in lines if line.startswith(f"samverkan: {variable}: ")]
    assert len(naming) == 1, result.stderr
    assert len(lines) == 1, result.stderr  # and nothing else is wrong with that configuration
    assert "till exempel" in naming[0]  # Swedish by default, with an example of a right value
    for secret in SECRET_VALUES:
        assert secret not in result.stderr


def test_problems_are_worded_in_english_when_the_locale_says_so(tmp_path: Path) -> None:
    result = samverkan(tmp_path, "worker", SAMVERKAN_LOCALE="en", SAMVERKAN_TIMEZONE="Mars/Olympus")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        'samverkan: SAMVERKAN_TIMEZONE: "Mars/Olympus" is not a known time zone '
        "(an IANA name is needed) – for example SAMVERKAN_TIMEZONE=Europe/Stockholm"
    ]


def test_every_problem_is_its_own_line(tmp_path: Path) -> None:
    result = samverkan(
        tmp_path,
        "serve",
        SAMVERKAN_LOCALE="de",
        SAMVERKAN_JOBS_MORNING="morgon",
        SLACK_APP_TOKEN="xapp-1-abc",
    )
    assert result.returncode == 2
    named = [line.split(":")[1].strip() for line in result.stderr.splitlines()]
    assert sorted(named) == ["SAMVERKAN_JOBS_MORNING", "SAMVERKAN_LOCALE", "SLACK_BOT_TOKEN"]
    assert "välj sv (svenska) eller en (engelska)" in result.stderr


def test_a_subcommand_that_reads_settings_refuses_them_too(tmp_path: Path) -> None:
    result = samverkan(tmp_path, "say", "--as", "Sara Nilsson", "hjälp", SAMVERKAN_LOCALE="de")
    assert result.returncode == 2
    assert result.stderr.startswith("samverkan: SAMVERKAN_LOCALE: ")
    assert "Traceback" not in result.stderr


def test_check_passes_the_demo_configuration(tmp_path: Path) -> None:
    fresh = samverkan(tmp_path, "check")
    assert fresh.returncode == 0, fresh.stdout
    assert "Slack: av" in fresh.stdout and "Teams: av" in fresh.stdout
    assert "samverkan db upgrade" in fresh.stdout  # the SQLite file is not made yet: says how
    assert not (tmp_path / "bot.sqlite3").exists()  # and checking did not create it

    assert samverkan(tmp_path, "db", "upgrade").returncode == 0
    upgraded = samverkan(tmp_path, "check")
    assert upgraded.returncode == 0
    assert "svarar, schemat är på version" in upgraded.stdout
    assert "Inga problem." in upgraded.stdout


def test_check_shows_platforms_with_secrets_masked_and_fails_on_a_problem(
    tmp_path: Path,
) -> None:
    result = samverkan(
        tmp_path,
        "check",
        SAMVERKAN_LOCALE="en",
        SLACK_SIGNING_SECRET="s3cr3t",
        SLACK_BOT_TOKEN="xoxb-1-2-abc",
        MICROSOFT_APP_ID="0f1e2d3c",
        MICROSOFT_APP_TYPE="SingleTenant",
    )
    assert result.returncode == 2
    out = result.stdout
    assert "Slack: on – HTTP; SLACK_SIGNING_SECRET set, SLACK_BOT_TOKEN set" in out
    assert "Teams: on – MICROSOFT_APP_ID 0f1e2d3c, SingleTenant" in out
    assert "Problems (2):" in out
    assert "✗ MICROSOFT_APP_PASSWORD: missing" in out
    assert "✗ MICROSOFT_APP_TENANT_ID: missing" in out
    for secret in SECRET_VALUES:
        assert secret not in out + result.stderr


def test_an_unreachable_database_gives_the_drivers_reason(tmp_path: Path) -> None:
    url = "postgresql://postgres:hemligt@127.0.0.1:1/samverkan"
    checked = samverkan(tmp_path, "check", DATABASE_URL=url)
    said = samverkan(tmp_path, "say", "--as", "X", "hjälp", DATABASE_URL=url)
    for result in (checked, said):
        assert result.returncode != 0
        assert "Connect call failed ('127.0.0.1', 1)" in result.stdout + result.stderr
        assert "hemligt" not in result.stdout + result.stderr


def test_short_database_urls_are_taken_as_the_async_drivers_and_said_so(
    tmp_path: Path, cli_database_url: str
) -> None:
    plain = cli_database_url.replace("+asyncpg", "").replace("+aiosqlite", "")
    result = samverkan(tmp_path, "db", "upgrade", DATABASE_URL=plain)
    assert result.returncode == 0, result.stderr
    [note] = result.stderr.splitlines()
    driver = "postgresql+asyncpg" if plain.startswith("postgresql") else "sqlite+aiosqlite"
    scheme = plain.split("://")[0]
    assert note == f"samverkan: DATABASE_URL: {scheme}:// tas som {driver}://"
    heroku = plain.replace("postgresql://", "postgres://")
    assert samverkan(tmp_path, "db", "current", DATABASE_URL=heroku).returncode == 0


def test_every_message_key_of_the_check_is_in_both_catalogs() -> None:
    import re

    from bot.common.i18n import catalog

    root = Path(__file__).resolve().parents[1]
    sources = [
        *root.glob("app/**/*.py"),
        *root.glob("**/settings.py"),
        root / "bot/common/config.py",
    ]
    pattern = re.compile(r"""["']((?:config|check)\.[a-z_.]+)["']""")
    used = {
        key
        for path in sources
        if ".venv" not in path.parts
        for key in pattern.findall(path.read_text())
    }
    assert len(used) > 20, "the scan found too few keys; the pattern is broken"
    for language in ("sv", "en"):
        assert sorted(used - set(catalog(language))) == [], language


def test_local_mode_refuses_to_listen_beyond_this_machine(tmp_path: Path) -> None:
    result = samverkan(tmp_path, "serve", "--host", "0.0.0.0", TEAMS_LOCAL_MODE="true")
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = [line for line in result.stderr.splitlines() if "TEAMS_LOCAL_MODE: " in line]
    assert line.startswith("samverkan: TEAMS_LOCAL_MODE: ") and "0.0.0.0" in line
    assert "Traceback" not in result.stderr


def test_an_app_id_beside_local_mode_is_said_in_one_line(tmp_path: Path) -> None:
    result = samverkan(
        tmp_path,
        "check",
        TEAMS_LOCAL_MODE="true",
        MICROSOFT_APP_ID="0f1e2d3c",
        MICROSOFT_APP_PASSWORD="p",
        MICROSOFT_APP_TENANT_ID="t",
    )
    assert result.returncode == 0, result.stdout
    notes = [line for line in result.stdout.splitlines() if "TEAMS_LOCAL_MODE" in line]
    assert notes == [
        "Obs: TEAMS_LOCAL_MODE: ignoreras: MICROSOFT_APP_ID är satt, så varje förfrågans "
        "token kontrolleras"
    ]
    assert "Teams: på – MICROSOFT_APP_ID 0f1e2d3c" in result.stdout
