"""Route and job-kind names of the digest, typed once."""

from __future__ import annotations

FULL_LISTS_ROUTE = "digest.full"
DIGEST_KIND = "digest"
