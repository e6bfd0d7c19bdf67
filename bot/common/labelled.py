"""`Anna Svensson, organisation: kommun, e-post: anna@example.org`: a name and labelled values.

Staff write admin commands as a leading value followed by `label: value` pairs in either
language; labels are matched forgivingly and mapped to canonical field names.
"""

from __future__ import annotations

import re

from bot.common.text import fold

_LABELS = {
    "namn": "name",
    "name": "name",
    "organisation": "organisation",
    "organization": "organisation",
    "org": "organisation",
    "titel": "title",
    "title": "title",
    "e-post": "email",
    "epost": "email",
    "email": "email",
    "e-mail": "email",
    "mejl": "email",
    "telefon": "phone",
    "tel": "phone",
    "phone": "phone",
    "roller": "roles",
    "roll": "roles",
    "roles": "roles",
}
_PATTERN = re.compile(
    r"(?:^|[,;]?\s+)("
    + "|".join(sorted(map(re.escape, _LABELS), key=len, reverse=True))
    + r")\s*:",
    re.IGNORECASE,
)


def parse_labelled(text: str) -> tuple[str, dict[str, str]]:
    """The leading value and the labelled values; later repeats of a label win."""
    matches = list(_PATTERN.finditer(text))
    if not matches:
        return text.strip(" ,;"), {}
    lead = text[: matches[0].start()].strip(" ,;")
    values: dict[str, str] = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        values[_LABELS[fold(match.group(1))]] = text[match.end() : end].strip(" ,;")
    return lead, values
