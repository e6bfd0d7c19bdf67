"""The Slack user cache is bounded in size and time, and forgets the oldest first."""

from __future__ import annotations

from typing import Any

from adapters.slack import identity
from adapters.slack.identity import UserDirectory


class FakeClient:
    """Only the remote end: `users.info` answers with a user and counts the calls."""

    def __init__(self) -> None:
        self.calls = 0

    async def users_info(self, user: str, include_locale: bool) -> dict[str, Any]:
        self.calls += 1
        return {"user": {"id": user, "team_id": "T1", "profile": {"email": f"{user}@x.se"}}}


async def test_an_answer_is_reused_until_it_is_an_hour_old() -> None:
    now = [0.0]
    directory = UserDirectory(frozenset(), monotonic=lambda: now[0])
    client = FakeClient()
    await directory.lookup(client, "U1", None, "T1")  # type: ignore[arg-type]
    await directory.lookup(client, "U1", None, "T1")  # type: ignore[arg-type]
    assert client.calls == 1
    now[0] += 3601
    await directory.lookup(client, "U1", None, "T1")  # type: ignore[arg-type]
    assert client.calls == 2


async def test_many_users_never_outgrow_the_limit(monkeypatch: Any) -> None:
    monkeypatch.setattr(identity, "MAX_CACHED", 50)
    directory = UserDirectory(frozenset())
    client = FakeClient()
    for index in range(200):
        await directory.lookup(client, f"U{index}", None, "T1")  # type: ignore[arg-type]
    assert len(directory._cache) == 50
    calls = client.calls
    await directory.lookup(client, "U199", None, "T1")  # type: ignore[arg-type]
    assert client.calls == calls  # the newest is still remembered
