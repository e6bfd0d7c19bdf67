"""Which Teams mode the server starts in, and the settings' two spellings."""

from __future__ import annotations

import logging

import pytest

from adapters import teams as teams_package
from adapters.teams.settings import TeamsSettings, TeamsSettingsError
from app.setup import configured_adapters
from bot.core.engine import Bot


def _clear(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MICROSOFT_APP_ID", "MicrosoftAppId", "TEAMS_LOCAL_MODE", "MICROSOFT_APP_TYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir("/")  # no .env from the working directory


def test_without_an_app_id_teams_is_off_unless_local_mode_is_asked_for(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _clear(monkeypatch)
    assert [a.name for a in configured_adapters(bot)] == ["pages"]  # no platform
    assert "teams" not in bot.messengers

    monkeypatch.setenv("TEAMS_LOCAL_MODE", "true")
    with caplog.at_level(logging.WARNING, logger="samverkan.teams"):
        adapter = teams_package.configured(bot)

    assert adapter is not None and adapter.settings.local_mode
    assert bot.messengers["teams"] is adapter.messenger
    assert "TEAMS LOCAL MODE" in caplog.text and "NOT checked" in caplog.text


def test_azure_spellings_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear(monkeypatch)
    monkeypatch.setenv("MicrosoftAppId", "abc")
    monkeypatch.setenv("MicrosoftAppPassword", "secret")
    monkeypatch.setenv("MicrosoftAppType", "MultiTenant")
    monkeypatch.setenv("MicrosoftAppTenantId", "tenant-1")

    settings = TeamsSettings(_env_file=None)

    assert (settings.app_id, settings.app_type, settings.tenant_id) == (
        "abc",
        "MultiTenant",
        "tenant-1",
    )
    assert settings.app_password.get_secret_value() == "secret"
    assert settings.allowed_tenants == {"tenant-1"}
    assert "secret" not in repr(settings)


@pytest.mark.parametrize(
    "values",
    [
        {"MICROSOFT_APP_ID": "abc"},  # no password
        {"MICROSOFT_APP_ID": "abc", "MICROSOFT_APP_PASSWORD": "x"},  # SingleTenant, no tenant
        {
            "MICROSOFT_APP_ID": "abc",
            "MICROSOFT_APP_PASSWORD": "x",
            "MICROSOFT_APP_TYPE": "MultiTenant",
        },
    ],
)
def test_settings_that_cannot_work_are_refused_at_startup(
    monkeypatch: pytest.MonkeyPatch, values: dict[str, str]
) -> None:
    _clear(monkeypatch)
    with pytest.raises(TeamsSettingsError):
        TeamsSettings(_env_file=None, **values).check()
