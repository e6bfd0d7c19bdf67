"""The Teams rows of the speed benchmark with token validation on, as production runs (issue 19).

The bot and stock botbuilder both check every request's Bot Framework token against the
signing-key fake (bench/bot_framework_keys.py) and fetch their own outbound token from it; the
load client sends the header the service would (one token per service URL, reused until it
nears expiry). This module holds the environment for each server, the signing of requests,
and the verdict lines for the issue's Teams targets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.bot_framework_keys import BotFrameworkKeys

APP_ID = "0b3c5d7e-9f10-4a2b-8c4d-6e8f0a1b2c3d"  # shaped like Azure's; works nowhere
APP_PASSWORD = "bench-only-not-a-secret"  # the fake accepts any secret
THROUGHPUT_TARGET = 4.0  # × stock botbuilder at 10 concurrent
P50_TARGETS = {"Teams 1:1": 2.5, "Teams channel mention": 3.0}  # ms, message → reply

Request = tuple[str, bytes, dict[str, str], str]


def bot_env(keys: BotFrameworkKeys, tenant: str) -> dict[str, str]:
    """The bot as deployed: an app id and secret, keys and token from the fake."""
    return {
        "TEAMS_LOCAL_MODE": "false",
        "MICROSOFT_APP_ID": APP_ID,
        "MICROSOFT_APP_PASSWORD": APP_PASSWORD,
        "MICROSOFT_APP_TYPE": "MultiTenant",
        "TEAMS_ALLOWED_TENANTS": tenant,
        "TEAMS_OPENID_METADATA_URL": keys.metadata_url,
        "TEAMS_TOKEN_URL": keys.token_url,
    }


def stock_env(keys: BotFrameworkKeys) -> dict[str, str]:
    """What bench/servers.py's stock botbuilder reads to validate against the fake."""
    return {
        "BENCH_MICROSOFT_APP_ID": APP_ID,
        "BENCH_MICROSOFT_APP_PASSWORD": APP_PASSWORD,
        "BENCH_KEYS_URL": keys.url,
    }


def signed(
    keys: BotFrameworkKeys, service_url: str, make: Callable[[], Request]
) -> Callable[[], Request]:
    """The same requests, each with the Authorization header the service would send."""

    def make_signed() -> Request:
        path, body, headers, key = make()
        return path, body, {**headers, "Authorization": keys.channel_header(service_url)}, key

    return make_signed


def verdicts(stock: Any, bot_teams: list[Any], database: str, speed: float) -> list[str]:
    """The issue's Teams targets for one database, from rows of bench/run.py; `speed` is how
    much longer this machine takes than the one the ms targets were set on (by the floor)."""
    lines = []
    for teams in bot_teams:
        ratio = teams.phases[1].throughput / stock.phases[1].throughput
        met = "met" if ratio >= THROUGHPUT_TARGET else "NOT met"
        lines.append(
            f"- {database}, {teams.path}, throughput at 10 concurrent ≥ {THROUGHPUT_TARGET:.0f}×"
            f" stock botbuilder (both validating tokens): {ratio:.2f}× ({met})"
        )
        limit = next((v for k, v in P50_TARGETS.items() if teams.path.startswith(k)), 3.0)
        first = teams.phases[0]
        p50 = first.percentile(0.5, first.to_connector)
        scaled = limit * speed
        lines.append(
            f"- {database}, {teams.path}, p50 message → reply at the connector at 1 concurrent"
            f" ≤ {limit} ms: {p50:.2f} ms ({'met' if p50 <= limit else 'NOT met'});"
            f" scaled target ≤ {scaled:.2f} ms ({'met' if p50 <= scaled else 'NOT met'})"
        )
    return lines
