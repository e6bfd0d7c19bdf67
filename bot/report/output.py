"""One report in every format: the chart drawn once per image type, the document built once."""

from __future__ import annotations

from dataclasses import dataclass

from bot.common.i18n import Translator
from bot.report import chart, render_csv, render_html, render_md, render_pdf
from bot.report.document import Document, build
from bot.report.figures import Report

FORMATS = ("pdf", "html", "md", "csv")
MIME = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}
AUTHOR = "Östra Göinge kommun och Polisen, lokalpolisområde Hässleholm"


@dataclass(frozen=True)
class Rendered:
    data: bytes
    mime: str
    extension: str


def words(t: Translator, document: Document) -> chart.Words:
    return chart.Words(
        document.chart_title,
        t("report.chart.axis"),
        t("report.chart.value"),
        t("report.chart.empty", period=document.title),
    )


def chart_png(t: Translator, document: Document) -> bytes:
    return chart.png(document.bars, words(t, document))


def html_page(t: Translator, document: Document, *, for_print: bool = False) -> str:
    """The web page carries the chart as SVG; the page printed to PDF carries it as PNG."""
    if for_print:
        image, mime = chart_png(t, document), "image/png"
    else:
        image, mime = chart.svg(document.bars, words(t, document)).encode(), "image/svg+xml"
    return render_html.render(
        document, image, mime, author=AUTHOR, heading_brief=t("report.headline_heading")
    )


def render(report: Report, t: Translator, form: str, *, chart_file: str | None = None) -> Rendered:
    """`pdf`, `html`, `md` or `csv`."""
    if form == "csv":
        return Rendered(render_csv.render(report).encode("utf-8"), MIME[form], form)
    document = build(report, t)
    if form == "md":
        text = render_md.render(
            document, heading_brief=t("report.headline_heading"), chart_file=chart_file
        )
        return Rendered(text.encode("utf-8"), MIME[form], form)
    if form == "html":
        return Rendered(html_page(t, document).encode("utf-8"), MIME[form], form)
    if form == "pdf":
        return Rendered(render_pdf.render(html_page(t, document, for_print=True)), MIME[form], form)
    raise ValueError(form)
