"""Files a reply carries (a chart, the report), uploaded with Slack's current upload API:
`files.getUploadURLExternal`, the upload itself, then `files.completeUploadExternal`, which
shares them in the conversation (slack_sdk's `files_upload_v2` does the three steps).

Slack has no only-to-you files: a file meant for the asker alone goes to their direct chat with
the bot, never to the channel. The chart carries its alt text, so a screen reader reads the
figures; the needs `files:write` scope is in the manifest.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.reply import Attachment

# Slack's limit on alt text for an image (files.getUploadURLExternal `alt_txt`).
ALT_LIMIT = 1000


def _alt(attachment: Attachment) -> str | None:
    if attachment.alt is None:
        return None
    if len(attachment.alt) <= ALT_LIMIT:
        return attachment.alt
    return attachment.alt[: ALT_LIMIT - 1].rsplit(";", 1)[0] + "…"


def upload_items(attachments: list[Attachment]) -> list[dict[str, Any]]:
    """The `file_uploads` argument: charts first, so they show above the document."""
    ordered = sorted(attachments, key=lambda a: not a.inline)
    items = []
    for attachment in ordered:
        item: dict[str, Any] = {
            "content": attachment.data,
            "filename": attachment.filename,
            "title": attachment.title,
        }
        alt = _alt(attachment)
        if alt:
            item["alt_txt"] = alt
        items.append(item)
    return items


async def upload(
    client: AsyncWebClient,
    channel_id: str,
    attachments: list[Attachment],
    thread: str | None = None,
) -> None:
    if not attachments:
        return
    await client.files_upload_v2(
        file_uploads=upload_items(attachments), channel=channel_id, thread_ts=thread
    )
