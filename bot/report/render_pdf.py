"""The report as PDF/A-2b for the archive, printed by WeasyPrint from the report's own HTML page.

WeasyPrint writes the PDF/A-2b identification (XMP `pdfaid`), an sRGB OutputIntent and embeds
every font it uses; the title, author organisation and language come from the page's `<title>`,
`<meta name="author">` and `lang`. It is imported here only: the bot serves without it.

Printing is most of a report's time (issue 17), so the last few PDFs are kept, keyed by the
very page they were printed from: the same page is the same PDF, and any changed figure,
word or chart makes another page and so another key, so a kept PDF is never stale.
"""

from __future__ import annotations

import threading

from cachetools import LRUCache

PDF_VARIANT = "pdf/a-2b"
CACHED = 8  # a five-year report is ~150 kB of PDF and ~100 kB of page

_printed: LRUCache[str, bytes] = LRUCache(maxsize=CACHED)
_lock = threading.Lock()  # cachetools caches are not thread-safe; PDFs are printed in threads


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango) are not installed."""


def _print(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:  # OSError: Pango missing on the machine
        raise PdfUnavailable(type(error).__name__) from None
    pdf = HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
    assert pdf is not None
    return bytes(pdf)


def render(html: str) -> bytes:
    with _lock:
        found = _printed.get(html)
    if found is None:
        found = _print(html)
        with _lock:
            _printed[html] = found
    return found


def clear_cache() -> None:
    """Forget every kept PDF (the benchmark measures a first, cold printing with it)."""
    with _lock:
        _printed.clear()
