"""The Slack and Teams fakes' fixtures, for scheduler tests that deliver through real adapters."""

from tests.slack.conftest import fake_slack, slack  # noqa: F401
from tests.teams.conftest import connector  # noqa: F401
