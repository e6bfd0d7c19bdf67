"""`koppla <@användare> <person>` / `link <@user> <person>` (admins): link a platform user by hand.

For when the platform account's e-mail does not match the person's work e-mail (guests,
Slack Connect, shared mailboxes). Adapters put mentions in the text as `<@USERID>`; a fully
qualified `<@platform:workspace:USERID>` links an account on another platform.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.core.context import CommandError, Context
from bot.core.registry import Access, Command, Param
from bot.core.reply import Reply, Visibility
from bot.directory.people import find_one_person
from bot.scheduler.reach import wake_waiting
from storage.models import Identity

MENTION = re.compile(r"^<@([^>|\s]+)(?:\|[^>]*)?>\s*(.*)$", re.DOTALL)


def parse_mention(text: str, platform: str, workspace: str) -> tuple[str, str, str, str] | None:
    """(platform, workspace, user id, rest) from `<@U123> rest` or `<@slack:T1:U123> rest`."""
    match = MENTION.match(text.strip())
    if match is None:
        return None
    target, rest = match.group(1), match.group(2).strip()
    parts = target.split(":")
    if len(parts) == 3 and all(parts[::2]):
        return parts[0], parts[1], parts[2], rest
    return platform, workspace, target, rest


async def run(context: Context, args: dict[str, str]) -> Reply:
    user = context.request.user
    parsed = parse_mention(args["what"], user.platform, user.workspace)
    if parsed is None:
        raise CommandError("link.usage")
    platform, workspace, user_id, person_text = parsed
    if not person_text:
        raise CommandError("link.usage")
    person = await find_one_person(context.session, person_text)
    identity = await context.session.scalar(
        select(Identity).where(
            Identity.platform == platform,
            Identity.workspace == workspace,
            Identity.user_id == user_id,
        )
    )
    # As on first contact: the workspace goes in the record, since Teams' tenant and AAD ids
    # together would outgrow the audit's id column.
    key = f"{platform}:{user_id}"
    before = {"person_id": identity.person_id, "workspace": workspace} if identity else None
    if identity is None:
        context.session.add(
            Identity(
                person_id=person.id,
                platform=platform,
                workspace=workspace,
                user_id=user_id,
                linked_by="admin",
            )
        )
    else:
        identity.person_id = person.id
        identity.linked_by = "admin"
    await wake_waiting(context.session, person.id)
    after = {"person_id": person.id, "workspace": workspace, "linked_by": "admin"}
    if before is None or before["person_id"] != person.id:
        context.audit("identity.link", "identity", key, before, after)
    return Reply(text=context.t("link.done", person=person.name), visibility=Visibility.ONLY_TO_YOU)


COMMAND = Command(
    key="link",
    names_sv=("koppla",),
    names_en=("link",),
    handler=run,
    params=(Param("what", greedy=True),),
    access=Access.ADMIN,
)
