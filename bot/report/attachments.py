"""The files a report answer carries: the chart (shown in the message) and the whole report
(PDF, or HTML where WeasyPrint cannot run), each with a signed link when the server has a
link secret, so platforms that show files by URL can."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.common.config import Settings
from bot.common.i18n import Translator
from bot.core.reply import Attachment
from bot.report import links, output
from bot.report.document import Document
from bot.report.figures import Report
from bot.report.render_pdf import PdfUnavailable


def base_name(report: Report) -> str:
    return f"uppfoljning-{report.label}".replace("–", "-")


def file_bytes(report: Report, t: Translator, form: str) -> output.Rendered:
    """`png` (the chart), `pdf` (HTML when PDF cannot be made here), `html`, `md`, `csv`."""
    if form == "png":
        from bot.report.document import build

        return output.Rendered(output.chart_png(t, build(report, t)), "image/png", "png")
    if form == "pdf":
        try:
            return output.render(report, t, "pdf")
        except PdfUnavailable:
            return output.render(report, t, "html")
    return output.render(report, t, form)


def for_chat(
    report: Report,
    document: Document,
    t: Translator,
    *,
    settings: Settings,
    person_id: int,
    period_text: str,
    now: datetime,
) -> list[Attachment]:
    name = base_name(report)
    chart = output.Rendered(output.chart_png(t, document), "image/png", "png")
    whole = file_bytes(report, t, "pdf")
    found = []
    for rendered, inline, title, alt in (
        (chart, True, document.chart_title, document.chart_alt),
        (whole, False, document.title, None),
    ):
        filename = f"{name}.{rendered.extension}"
        url = expires = None
        if settings.calendar_secret:
            recipe = links.Recipe(
                person_id, period_text, t.language, rendered.extension, links.expiry(now)
            )
            url = links.url(settings.public_url, settings.calendar_secret, recipe, filename)
            expires = datetime.fromtimestamp(recipe.expires, UTC)
        found.append(
            Attachment(
                rendered.data,
                filename,
                rendered.mime,
                title,
                alt=alt,
                inline=inline,
                url=url,
                expires=expires,
            )
        )
    return found
