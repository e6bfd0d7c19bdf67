"""The report as Markdown, for pasting into a decision or a wiki."""

from __future__ import annotations

from bot.report.document import Document, Table


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(table: Table) -> list[str]:
    lines = [f"*{table.caption}*", ""]
    lines.append("| " + " | ".join(_cell(c) for c in table.columns) + " |")
    lines.append("|" + "---|" * len(table.columns))
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return [*lines, ""]


def render(document: Document, *, heading_brief: str, chart_file: str | None = None) -> str:
    lines = [f"# {document.title}", "", document.subtitle, "", f"## {heading_brief}", ""]
    lines += [f"- {line}" for line in document.headline]
    for block in document.blocks:
        lines += ["", f"## {block.heading}", ""]
        if block.chart and chart_file:
            lines += [f"![{_cell(document.chart_alt)}]({chart_file})", ""]
        for paragraph in block.paragraphs:
            lines += [paragraph, ""]
        for table in block.tables:
            lines += _table(table)
    lines += ["---", "", *document.notes]
    return "\n".join(lines).rstrip() + "\n"
