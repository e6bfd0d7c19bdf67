"""The agreement's rules for joint messages: its parties, and the keys of the agreement file."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.agreement_file import AgreementFileError, AgreementSpec, load_agreement_file
from bot.agreements import agreement_in_force
from storage.models import Agreement, Organization

log = logging.getLogger("samverkan.drafts")

DEFAULT_TARGETS = ["facebook", "instagram"]


@dataclass(frozen=True)
class DraftPolicy:
    parties: list[Organization]
    author_may_approve: bool
    default_targets: list[str]


async def current_agreement(session: AsyncSession, today: date) -> Agreement | None:
    """The agreement in force today, else the latest that was, else the first to come."""
    current, successor = await agreement_in_force(session, today)
    return current or successor


_cache: dict[tuple[Path, float], dict[str, AgreementSpec]] = {}


def _specs(path: Path) -> dict[str, AgreementSpec]:
    """The agreements of the file by key, re-read only when the file changes."""
    try:
        key = (path, path.stat().st_mtime)
    except OSError:
        return {}
    if key not in _cache:
        try:
            spec = load_agreement_file(path)
        except AgreementFileError as error:
            log.warning("agreement file unusable, draft defaults apply: %s", error)
            return {}
        _cache.clear()
        _cache[key] = {a.key: a for a in spec.agreements}
    return _cache[key]


async def draft_policy(session: AsyncSession, agreement_file: Path, today: date) -> DraftPolicy:
    agreement = await current_agreement(session, today)
    orgs = {o.key: o for o in (await session.scalars(select(Organization))).all()}
    party_keys = agreement.parties if agreement is not None else sorted(orgs)
    parties = [orgs[k] for k in party_keys if k in orgs]
    spec = _specs(agreement_file).get(agreement.key) if agreement is not None else None
    return DraftPolicy(
        parties=parties,
        author_may_approve=spec.author_may_approve if spec is not None else True,
        default_targets=list(spec.draft_targets) if spec is not None else DEFAULT_TARGETS,
    )


async def organisations(session: AsyncSession, keys: list[str]) -> list[Organization]:
    """The organisations of the given keys, in that order."""
    rows = {o.key: o for o in (await session.scalars(select(Organization))).all()}
    return [rows[k] for k in keys if k in rows]
