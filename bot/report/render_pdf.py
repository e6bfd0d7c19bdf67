"""The report as PDF/A-2b for the archive, printed by WeasyPrint from the report's own HTML page.

WeasyPrint writes the PDF/A-2b identification (XMP `pdfaid`), an sRGB OutputIntent and embeds
every font it uses; the title, author organisation and language come from the page's `<title>`,
`<meta name="author">` and `lang`. It is imported here only: the bot serves without it.
"""

from __future__ import annotations

PDF_VARIANT = "pdf/a-2b"


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) are not installed."""


def render(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: Pango missing on the machine
        raise PdfUnavailable(type(error).__name__) from None
    pdf = HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
    assert pdf is not None
    return bytes(pdf)
