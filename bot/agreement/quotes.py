"""`överenskommelse <del>`: a part of the agreement quoted word for word, with its headings,
from the text the agreement file points to (stored by `samverkan seed`)."""

from __future__ import annotations

from bot.agreement.text import PART_NAMES, from_json, part_key
from bot.common.i18n import Translator
from bot.core.context import CommandError
from bot.core.reply import Reply, Section, Visibility
from storage.models import Agreement


def quote_reply(t: Translator, agreement: Agreement, word: str) -> Reply:
    key = part_key(word)
    if key is None:
        names = ", ".join(t(f"agreement.part.{k}") for k in PART_NAMES)
        raise CommandError("agreement.unknown_part", part=word[:40], parts=names)
    if not agreement.text_parts:
        raise CommandError("agreement.no_text", title=agreement.title)
    quotes = from_json(agreement.text_parts.get(key))
    if not quotes:
        raise CommandError("agreement.part_missing", title=agreement.title)
    return Reply(
        heading=t(
            "agreement.quote_heading", title=agreement.title, part=t(f"agreement.part.{key}")
        ),
        sections=[Section(q.heading, list(q.paragraphs)) for q in quotes],
        context=t("agreement.quote_source", source=agreement.text_source or "–"),
        visibility=Visibility.ONLY_TO_YOU,
    )
