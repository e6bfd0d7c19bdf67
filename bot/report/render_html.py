"""The report as one accessible HTML page (WCAG 2.1 AA): real headings, tables with headers
and captions, the chart with its figures as alt text and as a table, `lang` set, black on white.
The same page, with the chart as PNG, is what the PDF is printed from."""

from __future__ import annotations

import base64
from html import escape

from bot.report.document import Block, Document, Table

STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1a1a1a; background: #fff;
       max-width: 52rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; margin-top: 1.8rem; border-bottom: 1px solid #555; }
table { border-collapse: collapse; margin: .8rem 0; width: 100%; font-size: .9rem; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
th, td { border: 1px solid #777; padding: .25rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #eee; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; height: auto; }
.subtitle, footer { color: #333; }
@page { size: A4; margin: 18mm 16mm; }
/* On paper a tall chart (many forums × years) would leave the first page nearly empty:
   it is held to about half a page, scaled as a whole, so it follows the summary. */
@media print { figure img { max-height: 140mm; width: auto; } }
"""


def _table(table: Table) -> str:
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in table.columns)
    rows = []
    for row in table.rows:
        first, *rest = row
        cells = "".join(f"<td>{escape(cell)}</td>" for cell in rest)
        rows.append(f'<tr><th scope="row">{escape(first)}</th>{cells}</tr>')
    return (
        f"<table><caption>{escape(table.caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _figure(document: Document, image: bytes, mime: str) -> str:
    data = base64.b64encode(image).decode("ascii")
    return (
        f'<figure><img src="data:{mime};base64,{data}" alt="{escape(document.chart_alt)}">'
        f"<figcaption>{escape(document.chart_title)}</figcaption></figure>"
    )


def _block(document: Document, block: Block, image: bytes, mime: str) -> str:
    parts = [f'<section aria-labelledby="s-{block.key}">']
    parts.append(f'<h2 id="s-{block.key}">{escape(block.heading)}</h2>')
    if block.chart:
        parts.append(_figure(document, image, mime))
    parts += [f"<p>{escape(line)}</p>" for line in block.paragraphs]
    parts += [_table(table) for table in block.tables]
    parts.append("</section>")
    return "\n".join(parts)


def render(document: Document, image: bytes, mime: str, *, author: str, heading_brief: str) -> str:
    """The page; `image` is the chart (SVG for the web page, PNG for the PDF)."""
    brief = "".join(f"<li>{escape(line)}</li>" for line in document.headline)
    blocks = "\n".join(_block(document, block, image, mime) for block in document.blocks)
    notes = "".join(f"<p>{escape(note)}</p>" for note in document.notes)
    return f"""<!DOCTYPE html>
<html lang="{document.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(document.title)}</title>
<meta name="author" content="{escape(author)}">
<meta name="description" content="{escape(document.subtitle)}">
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>{escape(document.title)}</h1>
<p class="subtitle">{escape(document.subtitle)}</p>
<section aria-labelledby="s-brief">
<h2 id="s-brief">{escape(heading_brief)}</h2><ul>{brief}</ul>
</section>
{blocks}
</main>
<footer>{notes}</footer>
</body>
</html>
"""
