"""Who sees their own view of a card, as each platform knows them.

A rule in a feature says which people may act on a card (a draft's signers); a platform
that can refresh a card per viewer needs their platform ids. This turns the one into the
other with one query, so the rule stays in the feature and the adapter only renders.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Identity


async def platform_ids(
    session: AsyncSession, person_ids: Iterable[int]
) -> dict[str, tuple[str, ...]]:
    """Platform → the user ids of those people's identities there, in a stable order."""
    wanted = sorted(set(person_ids))
    if not wanted:
        return {}
    rows = (
        await session.execute(
            select(Identity.platform, Identity.user_id)
            .where(Identity.person_id.in_(wanted))
            .order_by(Identity.platform, Identity.person_id, Identity.user_id)
        )
    ).all()
    found: dict[str, list[str]] = {}
    for platform, user_id in rows:
        found.setdefault(platform, []).append(user_id)
    return {platform: tuple(ids) for platform, ids in found.items()}
