"""`column IN (ids)` in the form each database takes best, for the dispatcher's batch statements.

PostgreSQL gets `column = ANY(:ids)` with one array parameter: the statement's text does not
change with the batch's size, so SQLAlchemy compiles it once and asyncpg prepares it once,
where an expanding `IN` list is a new statement for every new length. SQLite has no arrays and
keeps the `IN` list.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, Integer, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute


def among(
    column: InstrumentedAttribute[int], ids: Collection[int], dialect: str
) -> ColumnElement[bool]:
    """`column` is one of `ids`."""
    if dialect == "postgresql":
        return column == any_(bindparam("ids", list(ids), type_=ARRAY(Integer)))
    return column.in_(list(ids))
