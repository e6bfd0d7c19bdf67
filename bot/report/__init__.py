"""The yearly follow-up report: figures gathered once, told in words, drawn as a chart and
written as HTML, PDF/A, Markdown or CSV (see docs/report.md)."""
