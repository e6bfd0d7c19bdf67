"""Failures described for the log without their messages, which may quote what users wrote.

An exception's text is often made of its input: a database error repeats the row it refused
(`Key (email)=(anna@…) already exists`), a `ValueError` the string it could not read. The log
gets the exception types (the whole chain) and where they were raised, which is what an
operator needs to find the fault; the reference id in the user's apology ties the two.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

# Frames shown per exception: the innermost (where it was raised) and our own calls above it.
FRAMES = 5
_OURS = ("bot", "adapters", "storage")


def _frames(error: BaseException) -> str:
    stack = traceback.extract_tb(error.__traceback__)
    if not stack:
        return "no traceback"
    ours = [frame for frame in stack[:-1] if _is_ours(frame.filename)][-(FRAMES - 1) :]
    places = [f"{_short(f.filename)}:{f.lineno} in {f.name}" for f in [*ours, stack[-1]]]
    return " ← ".join(reversed(places))


def _is_ours(filename: str) -> bool:
    parts = Path(filename).parts
    return "site-packages" not in parts and any(name in parts for name in _OURS)


def _short(filename: str) -> str:
    """`…/site-packages/sqlalchemy/engine/base.py` → `sqlalchemy/engine/base.py`."""
    parts = Path(filename).parts
    for anchor in ("site-packages", "dist-packages"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + 1 :])
    return "/".join(parts[-3:])


def _name(error: BaseException) -> str:
    kind = type(error)
    return (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )


def summary(error: BaseException) -> str:
    """`sqlalchemy.exc.IntegrityError at bot/x.py:12 in f ← …, from asyncpg…UniqueViolationError`.

    The first exception with its places; the ones that caused it by type only.
    """
    causes: list[str] = []
    seen = {id(error)}
    current = error.__cause__ or error.__context__
    while current is not None and id(current) not in seen and len(causes) < 3:
        seen.add(id(current))
        causes.append(_name(current))
        current = current.__cause__ or current.__context__
    text = f"{_name(error)} at {_frames(error)}"
    return text + "".join(f", from {cause}" for cause in causes)


def log_failure(logger: logging.Logger, what: str, error: BaseException, *args: object) -> None:
    """Log `what` (a %-format over `args`) at ERROR with the failure's types and places only."""
    logger.error(what + ": %s", *args, summary(error))
