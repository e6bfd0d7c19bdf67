"""/readyz asks Slack for real: a recent successful auth.test with the bot token."""

from __future__ import annotations

from typing import Any

from adapters.slack.readiness import AuthCheck
from bot.core.engine import Bot
from tests.slack.conftest import slack_driver
from tests.slack.fake_slack import FakeSlack


async def test_readyz_is_ready_only_while_auth_test_succeeds(
    bot: Bot, fake_slack: FakeSlack
) -> None:
    def revoked(_args: dict[str, Any], _token: str | None) -> dict[str, Any]:
        return {"ok": False, "error": "invalid_auth"}

    fake_slack._m_auth_test = revoked  # type: ignore[method-assign]
    async with slack_driver(bot, fake_slack) as slack:
        refused = await slack.client.get("/readyz")
        assert refused.status == 503
        assert (await refused.json())["checks"]["slack"] is False

        del fake_slack._m_auth_test  # the real answer again: ok
        ready = await slack.client.get("/readyz")
        assert ready.status == 200
        assert (await ready.json())["checks"] == {"database": True, "slack": True}
    asked = [call for call in fake_slack.calls if call.method == "auth.test"]
    assert [call.token for call in asked] == ["xoxb-test-token"] * 2


async def test_a_success_is_trusted_for_a_while_and_a_failure_not_at_all(
    fake_slack: FakeSlack,
) -> None:
    from adapters.slack.messenger import make_client

    now = [0.0]
    check = AuthCheck(make_client(fake_slack.api_url, "xoxb-test-token"), 60, lambda: now[0])
    assert await check.readiness() == ("slack", True)
    now[0] = 59
    assert await check.readiness() == ("slack", True)
    assert len([c for c in fake_slack.calls if c.method == "auth.test"]) == 1
    now[0] = 61
    await check.readiness()
    assert len([c for c in fake_slack.calls if c.method == "auth.test"]) == 2
