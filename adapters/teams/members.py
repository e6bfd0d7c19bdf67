"""Teams member ids (`29:…`) of people the bot keeps under their AAD object id.

A per-viewer card names its viewers in `refresh.userIds` by the id Teams gives a bot for a
user (the sample bots use `activity.from.id`), while identities are stored under the AAD
object id. Every activity tells both for its sender; anyone else is asked of the
conversation's roster, which accepts the AAD object id, once per process.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.core.teams import TeamsInfo
from cachetools import LRUCache

log = logging.getLogger("samverkan.teams.members")

MEMBER_PREFIX = "29:"
# Forget the least recently seen beyond this many (a process meets far fewer people).
MOST_KEPT = 10_000


class MemberIds:
    """(tenant, AAD object id) → Teams member id, learned from activities and the roster."""

    def __init__(self) -> None:
        self.known: LRUCache[tuple[str, str], str] = LRUCache(maxsize=MOST_KEPT)

    def remember(self, tenant: str, aad_object_id: str | None, member_id: str | None) -> None:
        if not aad_object_id or not member_id or not member_id.startswith(MEMBER_PREFIX):
            return
        self.known[(tenant, aad_object_id)] = member_id

    async def resolve(
        self, turn_context: TurnContext, tenant: str, user_ids: Iterable[str]
    ) -> list[str]:
        """The member ids of these users, in order; one Teams cannot find is left out."""
        found: list[str] = []
        for user_id in user_ids:
            if user_id.startswith(MEMBER_PREFIX):
                found.append(user_id)
                continue
            member_id = self.known.get((tenant, user_id))
            if member_id is None:
                member_id = await self._ask(turn_context, user_id)
                self.remember(tenant, user_id, member_id)
            if member_id:
                found.append(member_id)
        return found

    @staticmethod
    async def _ask(turn_context: TurnContext, aad_object_id: str) -> str | None:
        activity = turn_context.activity
        try:
            if activity.channel_data:
                member = await TeamsInfo.get_member(turn_context, aad_object_id)
            else:
                # A proactive turn carries no channel data, which TeamsInfo reads first: ask
                # the conversation's roster with the turn's connector client directly.
                client = turn_context.turn_state.get(BotAdapter.BOT_CONNECTOR_CLIENT_KEY)
                conversation = str(activity.conversation.id)
                member = await client.conversations.get_conversation_member(
                    conversation, aad_object_id
                )
        except Exception as error:  # not in this conversation, or Teams unreachable
            log.info("Teams member look-up failed: %s", type(error).__name__)
            return None
        member_id = getattr(member, "id", None)
        return str(member_id) if member_id else None
