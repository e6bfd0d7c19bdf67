"""Every Block Kit payload the suite produced carries what a screen reader needs.

The payloads are every call the fake Slack Web API received, every post to response_url, every
socket acknowledgement with a payload and every JSON answer of the Slack endpoint, in every
test of the suite (gathered whatever the test order: tests/a11y/plugin.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.a11y.buttons import unnamed_ambiguous
from tests.a11y.collect import SuiteOutput
from tests.a11y.slack_rules import slack_buttons, slack_problems, views
from tests.a11y.test_every_card import note

pytestmark = pytest.mark.a11y_gate


def test_every_slack_payload_has_fallbacks_labels_hints_and_alt_text(
    suite_output: SuiteOutput, artifacts: Path
) -> None:
    payloads = list(suite_output.slack.values())
    messages = [p for p in payloads if "blocks" in p.payload]
    modals = [p for p in payloads for view in views(p.payload) if view.get("type") == "modal"]
    # Each kind is really there, so a broken recorder cannot pass as a clean run.
    assert messages and modals, "the fake Slack recorded no messages or no modals"
    problems = [
        f"{p.origin} ({p.where}): {problem}"
        for p in payloads
        for problem in slack_problems(p.payload)
    ]
    buttons = [b for p in payloads for b in slack_buttons(p.payload, f"{p.origin} ({p.where})")]
    note(artifacts, slack_payloads=len(payloads))
    assert problems + unnamed_ambiguous(buttons) == []
