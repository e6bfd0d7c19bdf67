"""Route names of the personal-data feature, typed once."""

from __future__ import annotations

PERSON_ERASE_ROUTE = "person.erase"
