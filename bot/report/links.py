"""Signed, expiring links to a report file (the chart, the PDF) for platforms that show a file
by URL (a Teams card's image, a download button).

Nothing is stored: the link carries what to build (whose report, which period, language and
format, until when) and an HMAC of it, keyed like the calendar feed from
SAMVERKAN_CALENDAR_SECRET with a purpose of its own, so one key never opens the other. The
server builds the file again for that person when the link is opened, with that person's view
of need-to-know forums; a changed or expired link gets a 404.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from urllib.parse import quote

LIFETIME = timedelta(hours=24)
PATH = "/report/{token}/{filename}"
_PURPOSE = b"report-file:"


@dataclass(frozen=True)
class Recipe:
    """What a link builds: the person's view, the period as written, the language, the format."""

    person: int
    period: str
    language: str
    form: str  # png | pdf | html
    expires: int  # Unix time

    def expired(self, now: datetime) -> bool:
        return now.timestamp() >= self.expires


def _mac(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), _PURPOSE + body, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:20]).decode("ascii").rstrip("=")


def sign(secret: str, recipe: Recipe) -> str:
    body = json.dumps(asdict(recipe), separators=(",", ":"), sort_keys=True).encode("utf-8")
    encoded = base64.urlsafe_b64encode(body).decode("ascii").rstrip("=")
    return f"{encoded}.{_mac(secret, body)}"


def verify(secret: str, token: str, now: datetime) -> Recipe | None:
    """The recipe of a genuine, unexpired token; None for anything else."""
    encoded, _, mac = token.partition(".")
    try:
        body = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except ValueError:
        return None
    expected = _mac(secret, body)
    if not hmac.compare_digest(expected.encode("ascii"), mac.encode("utf-8", "surrogatepass")):
        return None
    try:
        recipe = Recipe(**json.loads(body))
    except (ValueError, TypeError):
        return None
    return None if recipe.expired(now) else recipe


def url(base: str, secret: str, recipe: Recipe, filename: str) -> str:
    token = sign(secret, recipe)
    return base.rstrip("/") + PATH.format(token=token, filename=quote(filename))


def expiry(now: datetime) -> int:
    return int((now + LIFETIME).timestamp())
