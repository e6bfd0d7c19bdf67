"""On Slack the chart and the report are uploaded with files.getUploadURLExternal and
files.completeUploadExternal, to the asker's direct chat (Slack has no only-to-you files);
the figures come in the answer itself."""

from __future__ import annotations

import json

from bot.core.engine import Bot
from tests.report.support import build
from tests.slack.conftest import SlackDriver


async def test_the_report_in_slack_with_its_chart(slack: SlackDriver, bot: Bot) -> None:
    await build(bot.database)
    response = await slack.command("uppföljning 2026")
    assert response.status == 200
    await slack.fake.wait_for(lambda: bool(slack.fake.called("files.completeUploadExternal")))
    [answer] = slack.fake.responses
    assert answer["response_type"] == "ephemeral"
    assert "Polisen var representerad vid 2 av 5 möten i Brå (40 %)." in json.dumps(
        answer, ensure_ascii=False
    )
    asked = slack.fake.called("files.getUploadURLExternal")
    assert [c.args["filename"] for c in asked] == ["uppfoljning-2026.png", "uppfoljning-2026.pdf"]
    assert "Brå, Polisen 2 av 5 (40 %)" in asked[0].args["alt_txt"]
    [done] = slack.fake.called("files.completeUploadExternal")
    [opened] = slack.fake.called("conversations.open")
    direct = slack.fake._m_conversations_open(opened.args, None)["channel"]["id"]
    assert done.args["channel_id"] == direct  # the asker's direct chat, never the channel
    uploaded = list(slack.fake.uploaded.values())
    assert uploaded[0].startswith(b"\x89PNG") and uploaded[1].startswith(b"%PDF-")


async def test_answers_without_files_still_come_in_the_acknowledgement(
    slack: SlackDriver,
) -> None:
    await slack.command("kontakter brå")
    assert slack.acknowledged[0]["response_type"] == "ephemeral"
    assert not slack.fake.called("files.getUploadURLExternal")
