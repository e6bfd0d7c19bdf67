"""`samverkan chat` and `samverkan say`: the terminal adapter on the command line."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import click

from adapters.console import (
    PLATFORM,
    ConsoleMessenger,
    ConsoleSession,
    FileShelf,
    UnknownPerson,
    find_person,
    render_replies,
)
from app.cli.common import fail, run_with_database, settings_from, translator_for
from bot.common.i18n import choose_language
from bot.core.engine import Bot
from bot.scheduler.dispatcher import Dispatcher
from storage.db import Database

DELIVERY_SECONDS = 30.0
_AS = click.option("--as", "as_name", required=True, help="The registered person you speak as.")
_CHANNEL = click.option("--channel", default="terminal", show_default=True, help="Pretend channel.")
_LOCALE = click.option("--locale", default=None, help="Platform locale hint, e.g. en-GB.")
_FILES = click.option(
    "--files",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to save files the bot sends (a chart, a report); a new temporary folder if unset.",
)


def _shelf(files: Path | None) -> FileShelf:
    """Files go where asked, else to a folder of their own that outlives the command."""
    return FileShelf(files if files is not None else Path(tempfile.mkdtemp(prefix="samverkan-")))


async def _open(
    ctx: click.Context, database: Database, name: str, channel: str, locale: str | None
) -> ConsoleSession:
    try:
        person = await find_person(database, name)
    except UnknownPerson:
        fail(translator_for(ctx)("cli.unknown_person", name=name))
    bot = Bot(database, settings_from(ctx))
    bot.messengers[PLATFORM] = ConsoleMessenger()
    return ConsoleSession(bot, person, channel=channel, locale=locale)


def _with_posts(session: ConsoleSession, answer: str, shelf: FileShelf) -> str:
    """The answer, followed by anything the command posted to other channels."""
    messenger = session.bot.messengers[PLATFORM]
    assert isinstance(messenger, ConsoleMessenger)
    posts = [
        f"[#{channel}]\n{render_replies([reply], shelf)}" for channel, reply in messenger.posted
    ]
    messenger.posted.clear()
    return "\n\n".join([answer, *posts])


@click.command()
@_AS
@_CHANNEL
@_LOCALE
@_FILES
@click.argument("message", nargs=-1, required=True)
@click.pass_context
def say(
    ctx: click.Context,
    as_name: str,
    channel: str,
    locale: str | None,
    files: Path | None,
    message: tuple[str, ...],
) -> None:
    """Send one message to the bot and print its answer (exit 0 whenever the bot answered)."""

    async def work(database: Database) -> str:
        session = await _open(ctx, database, as_name, channel, locale)
        session.fills_forms = False  # one line and done: no field can be asked for
        shelf = _shelf(files)
        answer = render_replies(await session.say(" ".join(message)), shelf)
        await deliver_due_to_terminal(session.bot, session.person.id)
        return _with_posts(session, answer, shelf)

    click.echo(run_with_database(ctx, work))


@click.command()
@_AS
@_CHANNEL
@_LOCALE
@_FILES
@click.pass_context
def chat(
    ctx: click.Context, as_name: str, channel: str, locale: str | None, files: Path | None
) -> None:
    """Chat with the bot in the terminal; type a number to press a button, Ctrl-D to leave.

    A button or command that opens a form asks for its fields one at a time; Ctrl-D or
    `avbryt` then leaves the form instead of the chat."""
    import readline  # noqa: F401  (line editing and history for input())

    async def work(database: Database) -> None:
        session = await _open(ctx, database, as_name, channel, locale)
        shelf = _shelf(files)
        click.echo(greeting(session))
        # While the session is open its person's due messages are shown, even between lines.
        delivering = asyncio.create_task(deliver_while_open(session, shelf))
        try:
            while True:
                try:
                    line = await _read_line("> ")
                except EOFError:
                    click.echo()
                    if session.filling is None:
                        return
                    # Ctrl-D while a form is open leaves the form, not the chat.
                    click.echo(render_replies(session.cancel_form()))
                    continue
                if line.strip() or session.filling is not None:  # an empty answer counts
                    answer = render_replies(await session.say(line), shelf)
                    await deliver_due_to_terminal(session.bot, session.person.id)
                    click.echo(_with_posts(session, answer, shelf))
        finally:
            delivering.cancel()

    run_with_database(ctx, work)


async def deliver_while_open(
    session: ConsoleSession, shelf: FileShelf, every: float = DELIVERY_SECONDS
) -> None:
    """Every `every` seconds, the person's due reminders, printed as they arrive."""
    while True:
        await asyncio.sleep(every)
        try:
            await deliver_due_to_terminal(session.bot, session.person.id)
        except Exception:
            continue  # a passing database hiccup: the next round tries again
        shown = _with_posts(session, "", shelf).strip()
        if shown:
            click.echo("\n" + shown)


def greeting(session: ConsoleSession) -> str:
    """The first line of `samverkan chat`, in the language the bot will answer in."""
    bot = session.bot
    language = choose_language(session.person.language, session.locale, bot.settings.locale)
    return bot.translator(language)("people.terminal.greeting", name=session.person.name)


async def deliver_due_to_terminal(bot: Bot, person_id: int) -> None:
    """The terminal has no push: `say` shows the asker's due reminders when they speak.

    One dispatcher pass limited to their direct jobs, with the console as the way to reach
    them when they have no account on a platform this process speaks.
    """
    dispatcher = Dispatcher(bot, fallback=bot.messengers[PLATFORM])
    while await dispatcher.run_once(person_id):
        pass


async def _read_line(prompt: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(None, input, prompt)
