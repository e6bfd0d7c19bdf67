"""Everything the bot sends in this test session, as the platforms' fakes received it.

The fakes call `record_card` (every Adaptive Card the fake connector receives, every card in an
invoke response) and `record_slack` (every payload the fake Slack Web API, response_url and
socket receive, and every JSON body the Slack endpoint answers with). Identical payloads are
kept once, with the test that first produced them, so a check can say where a problem came from.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Produced:
    """One distinct payload, where it was seen (`connector send`, `chat.postMessage`, …) and
    the test that produced it first."""

    where: str
    origin: str
    payload: dict[str, Any]


@dataclass
class SuiteOutput:
    cards: dict[str, Produced] = field(default_factory=dict)
    slack: dict[str, Produced] = field(default_factory=dict)

    def dump(self, path: Path) -> None:
        def rows(kept: dict[str, Produced]) -> list[dict[str, Any]]:
            return [vars(p) for p in kept.values()]

        data = {"cards": rows(self.cards), "slack": rows(self.slack)}
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> SuiteOutput:
        data = json.loads(path.read_text(encoding="utf-8"))
        loaded = cls()
        for row in data["cards"]:
            _keep(loaded.cards, row["where"], row["payload"], row["origin"])
        for row in data["slack"]:
            _keep(loaded.slack, row["where"], row["payload"], row["origin"])
        return loaded


COLLECTED = SuiteOutput()
STRUCTURED = ("blocks", "view", "attachments")  # JSON strings in a form-encoded Web API call


def _current_test() -> str:
    return os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]


def _keep(kept: dict[str, Produced], where: str, payload: dict[str, Any], origin: str) -> None:
    key = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    if key not in kept:
        kept[key] = Produced(where, origin, json.loads(key))


def record_card(card: dict[str, Any], where: str) -> None:
    _keep(COLLECTED.cards, where, card, _current_test())


def record_slack(payload: dict[str, Any], where: str) -> None:
    """A Slack payload, with `blocks` and `view` read from JSON strings as Slack reads them."""
    if not any(key in payload for key in ("text", *STRUCTURED)):
        return
    loaded = {k: _json(v) if k in STRUCTURED else v for k, v in payload.items()}
    _keep(COLLECTED.slack, where, loaded, _current_test())


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
