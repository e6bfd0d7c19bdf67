"""`hjälp [kommando]` / `help [command]`: generated from the command registry.

It needs only the asker (admins see the admin commands), so it is answered from memory.
"""

from __future__ import annotations

from bot.core.context import DirectoryContext
from bot.core.parser import suggest
from bot.core.registry import Access, Command, Param
from bot.core.reply import Reply, Section, Visibility
from bot.core.usage import usage_line


def _may_run(context: DirectoryContext, command: Command) -> bool:
    if command.access is Access.ADMIN:
        return context.person is not None and context.person.is_admin
    return True


def answer(context: DirectoryContext, args: dict[str, str]) -> Reply:
    t = context.t
    wanted = args.get("command")
    if wanted:
        found = context.registry.lookup(wanted.split())
        command = found[0] if found else suggest(wanted, context.registry)
        if command is None:
            return Reply(
                text=t("help.no_such_command", word=wanted[:60]),
                visibility=Visibility.ONLY_TO_YOU,
            )
        return _details(context, command)
    visible = [c for c in context.registry.commands if c.listed and _may_run(context, c)]
    line = "`{usage}` – {summary}"
    featured = [
        line.format(usage=usage_line(t, c), summary=t(f"cmd.{c.key}.summary"))
        for c in visible
        if c.featured
    ]
    others = [
        line.format(usage=usage_line(t, c), summary=t(f"cmd.{c.key}.summary"))
        for c in visible
        if not c.featured
    ]
    sections = [Section(t("help.featured"), featured)]
    if others:
        sections.append(Section(t("help.more"), others))
    intro = t("help.intro")
    if context.person is None:
        # First, not below the long list: what someone not yet registered most needs to know.
        intro = t("error.not_registered") + "\n" + intro
    return Reply(
        heading=t("help.heading"),
        text=intro,
        sections=sections,
        context=t("help.footer"),
        visibility=Visibility.ONLY_TO_YOU,
    )


def _details(context: DirectoryContext, command: Command) -> Reply:
    t = context.t
    names = ", ".join(f"`{n}`" for n in command.all_names())
    lines = [t(f"cmd.{command.key}.summary")]
    details = t(f"cmd.{command.key}.details")
    if details != f"cmd.{command.key}.details":
        lines.append(details)
    return Reply(
        heading=f"`{usage_line(t, command)}`",
        text="\n".join(lines),
        sections=[Section(t("help.names"), [names])],
        context=t(f"help.access.{command.access.value}"),
        visibility=Visibility.ONLY_TO_YOU,
    )


COMMAND = Command(
    key="help",
    names_sv=("hjälp", "hjalp"),
    names_en=("help", "?"),
    answer=answer,
    params=(Param("command", required=False, greedy=True, lookup=True),),
    access=Access.ANYONE,
    featured=True,
)
