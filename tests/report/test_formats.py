"""The report's formats: the chart agrees with the text, the HTML passes axe-core in Chromium,
the PDF is PDF/A-2b with its fonts embedded, and Markdown and CSV carry the same figures."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pikepdf
import pytest

from bot.common.i18n import Translator
from bot.core.engine import Bot
from bot.report import chart, chart_data, output, render_pdf
from bot.report.document import build as build_document
from bot.report.figures import Report
from bot.report.period import parse_report_period
from bot.report.service import build_report
from tests.a11y.axe import AxeCheck
from tests.conftest import NOW, Chat
from tests.report.support import build

TZ = ZoneInfo("Europe/Stockholm")


async def _report(bot: Bot, period: str = "2026") -> Report:
    async with bot.database.sessions() as session:
        span = parse_report_period(period, None)
        assert span is not None
        return await build_report(session, span, TZ, NOW)


def _sv() -> Translator:
    return Translator("sv", TZ)


async def test_the_chart_is_drawn_from_the_figures_the_text_states(chat: Chat, bot: Bot) -> None:
    await build(bot.database)
    report = await _report(bot, "2025..2026")
    t = _sv()
    document = build_document(report, t)
    # What the sentences say, per forum and party, read back from the text.
    stated = {}
    for block in document.blocks:
        for line in block.paragraphs:
            match = re.match(
                r"(\w+) var representerad vid (\d+) av (\d+) möten i (.+) \((\d+) %\)\.", line
            )
            if match:
                org, represented, held, forum, rate = match.groups()
                stated[(forum, org)] = (int(represented), int(held), int(rate))
    assert stated[("Brå", "Polisen")] == (3, 6, 50)
    bars = chart_data.bars(report, "sv")
    # Multi-year: one bar per forum, party and year; the years add up to the stated whole.
    for (forum, org), (represented, held, _rate) in stated.items():
        mine = [b for b in bars if b.group.startswith(forum + " ") and b.party == org]
        assert sum(b.represented for b in mine) == represented
        assert sum(b.held for b in mine) == held
    # The drawn bars' lengths are the rates of the bars, and their labels the counts.
    figure = chart.draw(bars, output.words(t, document))
    axes = figure.axes[0]
    drawn = sorted(round(patch.get_width()) for patch in axes.patches)
    assert drawn == sorted(b.rate for b in bars)
    labels = {text.get_text() for text in axes.texts}
    assert {f"{b.represented} av {b.held} ({b.rate} %)" for b in bars} <= labels
    # Told by hatching as well as colour: each party its own hatch.
    hatches = {patch.get_hatch() for patch in axes.patches}
    assert len(hatches) == len({b.party for b in bars}) == 2
    # The same figures in the alt text and the table beside the chart.
    [table] = document.blocks[0].tables
    for bar in bars:
        assert f"{bar.group}, {bar.party} {bar.represented} av {bar.held} ({bar.rate} %)" in (
            document.chart_alt
        )
        assert (bar.group, bar.party, str(bar.represented), str(bar.held), f"{bar.rate} %") in (
            table.rows
        )


async def test_the_html_page_passes_axe(chat: Chat, bot: Bot, axe_page: AxeCheck) -> None:
    await build(bot.database)
    html = output.render(await _report(bot, "2023..2026"), _sv(), "html").data.decode()
    assert '<html lang="sv">' in html
    assert '<th scope="col">Part</th>' in html
    assert 'alt="Stapeldiagram över representation 2023–2026:' in html
    assert "data:image/svg+xml;base64," in html
    axe_page.assert_accessible(html)


async def test_the_pdf_is_pdf_a_2b_with_embedded_fonts(chat: Chat, bot: Bot) -> None:
    await build(bot.database)
    data = output.render(await _report(bot), _sv(), "pdf").data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2"
        assert meta["pdfaid:conformance"] == "B"
        assert meta["dc:title"] == "Uppföljning av samverkansöverenskommelsen 2026"
        assert "Östra Göinge kommun" in str(meta["dc:creator"])
        assert str(pdf.Root.Lang) == "sv"
        [intent] = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        assert "/DestOutputProfile" in intent
        fonts = []
        images = 0
        for page in pdf.pages:
            resources = page.Resources
            for font in resources.get("/Font", {}).values():
                fonts.append(font)
            images += sum(
                1
                for xobject in resources.get("/XObject", {}).values()
                if xobject.get("/Subtype") == "/Image"
            )
        assert fonts and images >= 1
        for font in fonts:
            descriptors = [font.get("/FontDescriptor")] + [
                d.get("/FontDescriptor") for d in font.get("/DescendantFonts", [])
            ]
            assert any(
                d is not None and any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                for d in descriptors
            ), font.get("/BaseFont")
    # Swedish letters survive: the text layer carries them.
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(data)).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Uppföljning av samverkansöverenskommelsen 2026" in text
    assert "Östra Göinge kommun och lokalpolisområde Hässleholm" in text
    assert "Åtgärder" in text


async def test_markdown_and_csv_carry_the_same_figures(chat: Chat, bot: Bot) -> None:
    await build(bot.database)
    report = await _report(bot)
    markdown = output.render(report, _sv(), "md", chart_file="chart.png").data.decode()
    assert markdown.startswith("# Uppföljning av samverkansöverenskommelsen 2026\n")
    assert "Polisen var representerad vid 2 av 5 möten i Brå (40 %)." in markdown
    assert "| Brå | Polisen | 2 | 5 | 40 % |" in markdown
    assert "![Stapeldiagram över representation 2026:" in markdown
    rows = list(csv.DictReader(io.StringIO(output.render(report, _sv(), "csv").data.decode())))
    figure = {
        (r["section"], r["forum"], r["party"], r["measure"]): r["value"]
        for r in rows
        if r["year"] == "2026"
    }
    assert figure[("representation", "bra", "", "held")] == "5"
    assert figure[("representation", "bra", "polis", "represented")] == "2"
    assert figure[("representation", "bra", "", "without_attendance")] == "1"
    assert figure[("actions", "bra", "", "overdue")] == "1"
    assert figure[("cycle", "", "", "missed")] == "5"


def test_an_empty_chart_still_draws() -> None:
    words = chart.Words("Titel", "Andel", "{represented} av {held}", "Inga möten")
    assert chart.png([], words).startswith(b"\x89PNG")
    assert "<svg" in chart.svg([], words)


@pytest.mark.parametrize("form", ["html", "md", "csv"])
async def test_a_report_without_data(chat: Chat, bot: Bot, form: str) -> None:
    report = await _report(bot, "2024")
    data = output.render(report, _sv(), form).data
    assert data
    assert datetime.now(UTC)  # rendering needs no clock of its own


def test_a_chart_is_drawn_once_per_set_of_figures_and_never_stale() -> None:
    words = chart.Words("Titel", "Andel", "{represented} av {held}", "Inga möten")
    bars = [chart_data.Bar("Brå", "Polisen", 3, 6), chart_data.Bar("Brå", "Kommunen", 5, 6)]
    chart.clear_cache()
    first = chart.png(bars, words)
    assert chart.png(list(bars), words) is first  # the same figures: the drawing is reused
    changed = [bars[0], chart_data.Bar("Brå", "Kommunen", 4, 6)]
    assert chart.png(changed, words) != first  # other figures: drawn anew, never the old one
    other_words = chart.Words("Title", "Share", "{represented} of {held}", "No meetings")
    assert chart.png(bars, other_words) != first
    chart.clear_cache()
    again = chart.png(bars, words)
    assert again == first and again is not first  # drawn again, to the same pixels


def test_a_pdf_is_printed_once_per_page_and_never_stale() -> None:
    page = (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Prov</title></head>'
        "<body><p>Brå 3 av 6</p></body></html>"
    )
    render_pdf.clear_cache()
    first = render_pdf.render(page)
    assert first.startswith(b"%PDF-")
    assert render_pdf.render(page) is first  # the same page: the printed PDF is reused
    other = render_pdf.render(page.replace("3 av 6", "4 av 6"))
    assert other.startswith(b"%PDF-") and other != first  # another page: printed anew
