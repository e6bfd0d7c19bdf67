"""Pending co-signatures: each signer of a party that has not approved gets a nudge.

When a nudge falls due is decided by the drafts feature (`bot.drafts.nudge`, 24 working
hours by default); this planner only books one job per signer, keyed so that a new version
or a second planning run adds nothing twice.
"""

from __future__ import annotations

from bot.drafts.names import NUDGE_KIND
from bot.drafts.nudge import pending_parties, signers_of
from bot.scheduler.jobs import Target, schedule
from bot.scheduler.planning import PlanWindow


async def plan(window: PlanWindow) -> None:
    for waiting in await pending_parties(window.session, window.tz):
        if waiting.due > window.end:
            continue
        for signer in await signers_of(window.session, waiting.organisation):
            await schedule(
                window.session,
                NUDGE_KIND,
                max(waiting.due, window.start),
                {
                    "draft": waiting.draft.id,
                    "version": waiting.draft.current_version,
                    "organisation": waiting.organisation.key,
                },
                (Target.PERSON, signer.id),
                f"{waiting.dedupe_key}:{signer.id}",
                window.now,
            )
