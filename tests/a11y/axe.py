"""The reusable check for any HTML page the bot serves: axe-core, WCAG 2.1 A and AA, in Chromium.

    def test_the_privacy_page_is_accessible(axe_page: AxeCheck) -> None:
        axe_page.assert_accessible(html)                       # a string of HTML
        axe_page.assert_accessible("http://127.0.0.1:8080/x")  # or a page a test server serves

It skips with the reason on a machine without Node, the npm packages or Chromium, and fails
instead under CI=true. Only pages on this machine are loaded: a test never reaches the network.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.a11y.node import WCAG_21_AA, chromium, run

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
Violation = dict[str, Any]


def page_violations(page: str) -> list[Violation]:
    """axe's WCAG 2.1 A/AA violations on a page: HTML text, or an http URL on this machine."""
    if page.startswith(("http://", "https://")):
        host = urlsplit(page).hostname
        if host not in LOCAL_HOSTS:
            raise ValueError(f"only pages on this machine are checked, not {host}")
        source: dict[str, str] = {"id": "page", "url": page}
    else:
        source = {"id": "page", "html": page}
    answer = run("axe_check.mjs", {"chromium": chromium(), "tags": WCAG_21_AA, "pages": [source]})
    violations: list[Violation] = answer["results"][0]["violations"]
    return violations


def describe(violations: list[Violation]) -> str:
    lines = []
    for violation in violations:
        targets = ", ".join(node["target"] for node in violation["nodes"][:5])
        lines.append(
            f"{violation['rule']} ({violation['impact']}): {violation['help']} – {targets}"
        )
    return "\n".join(lines)


class AxeCheck:
    """What the `axe_page` fixture gives a test."""

    violations = staticmethod(page_violations)

    @staticmethod
    def assert_accessible(page: str) -> None:
        found = page_violations(page)
        assert found == [], "WCAG 2.1 AA violations:\n" + describe(found)


@pytest.fixture
def axe_page() -> AxeCheck:
    return AxeCheck()
