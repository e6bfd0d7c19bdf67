"""Route names of the directory's forms, typed once."""

from __future__ import annotations

PERSON_FORM_ROUTE = "person.form"
PERSON_ADD_ROUTE = "person.add"
