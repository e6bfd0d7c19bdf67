"""`medlem <forum> <person> <roll>` / `member <forum> <person> <role>` (admins).

The role is the last word (representant, ersättare, ordförande, sekreterare, or English);
`ta bort` / `remove` instead of a role ends the membership.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.commands.contacts import unknown_forum
from bot.common.text import fold
from bot.core.context import CommandError, Context
from bot.core.registry import Access, Command, Param
from bot.core.reply import Reply, Visibility
from bot.directory.forums import forum_name, load_forum_index
from bot.directory.people import find_one_person, forum_role_from_word
from storage.models import ForumMember

_REMOVE = ("ta bort", "remove")


async def run(context: Context, args: dict[str, str]) -> Reply:
    t = context.t
    text = args["what"]
    index = await load_forum_index(context.session)
    matched = index.match_prefix(text)
    if matched is None:
        raise await unknown_forum(context, text.split()[0])
    forum, rest = matched
    folded = fold(rest)
    removing = next((w for w in _REMOVE if folded.endswith(" " + w)), None)
    if removing:
        person_text, role = rest[: len(rest) - len(removing)].strip(), None
    else:
        person_text, _, role_word = rest.rpartition(" ")
        role = forum_role_from_word(role_word)
        if role is None:
            raise CommandError("member.usage")
    if not person_text.strip():
        raise CommandError("member.usage")
    person = await find_one_person(context.session, person_text)
    membership = await context.session.scalar(
        select(ForumMember).where(
            ForumMember.forum_id == forum.id, ForumMember.person_id == person.id
        )
    )
    name = forum_name(forum, context.language)
    key = f"{forum.key}:{person.id}"
    if role is None:
        if membership is None:
            raise CommandError("member.not_member", person=person.name, forum=name)
        await context.session.delete(membership)
        context.audit("member.remove", "forum_member", key, {"role": membership.role}, None)
        return Reply(
            text=t("member.removed", person=person.name, forum=name),
            visibility=Visibility.ONLY_TO_YOU,
        )
    before = {"role": membership.role} if membership else None
    if membership is None:
        context.session.add(
            ForumMember(forum_id=forum.id, person_id=person.id, role=role, source="chat")
        )
    else:
        membership.role = role
        membership.source = "chat"
    if before != {"role": role}:
        context.audit("member.set", "forum_member", key, before, {"role": role})
    return Reply(
        text=t("member.set", person=person.name, forum=name, role=t(f"role.forum.{role}")),
        visibility=Visibility.ONLY_TO_YOU,
    )


COMMAND = Command(
    key="member",
    names_sv=("medlem",),
    names_en=("member",),
    handler=run,
    params=(Param("what", greedy=True),),
    access=Access.ADMIN,
)
