"""The terminal adapter: `samverkan chat` and `samverkan say` over the same core as Slack/Teams.

The asker is named with `--as`; buttons are shown as numbered choices that the user can press
by typing the number. A reply that opens a form is filled in field by field
(`adapters/console_form.py`) and submitted to the form's route, as the platforms submit theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process
from sqlalchemy import select

from adapters.console_form import Ask, Cancelled, FormFilling, Submit
from bot.common.i18n import DEFAULT_LANGUAGE, Translator
from bot.common.text import fold
from bot.core.engine import Bot
from bot.core.reply import Attachment, Button, Reply
from bot.core.request import ButtonPress, ChannelRef, PlatformUser, Request
from storage.db import Database
from storage.models import Channel, Identity, Person

PLATFORM = "console"


class UnknownPerson(LookupError):
    """`--as` named nobody the bot knows (or several people equally well)."""


async def find_person(database: Database, name: str) -> Person:
    """The active person best matching `name`: exact (forgiving case and accents) or close."""
    async with database.sessions() as session:
        people = list((await session.scalars(select(Person).where(Person.active))).all())
    folded = fold(name)
    exact = [p for p in people if fold(p.name) == folded]
    if len(exact) == 1:
        return exact[0]
    names = {fold(p.name): p for p in people}
    best = process.extractOne(folded, list(names), scorer=fuzz.WRatio, score_cutoff=85)
    if best is None:
        raise UnknownPerson(name)
    return names[str(best[0])]


@dataclass
class ConsoleSession:
    """One person chatting with the bot in one (pretend) channel."""

    bot: Bot
    person: Person
    channel: str = "terminal"
    locale: str | None = None
    choices: list[Button] = field(default_factory=list)
    # The form being filled in, if a reply opened one: the next lines answer its fields.
    filling: FormFilling | None = None
    # `samverkan say` answers one line and ends: it shows a form's title but asks nothing.
    fills_forms: bool = True

    def _request(self, text: str = "", press: ButtonPress | None = None) -> Request:
        return Request(
            user=PlatformUser(
                platform=PLATFORM,
                user_id=str(self.person.id),
                display_name=self.person.name,
                locale=self.locale,
            ),
            channel=ChannelRef(platform=PLATFORM, channel_id=self.channel, name=self.channel),
            text=text,
            press=press,
            person_id=self.person.id,
        )

    async def say(self, text: str) -> list[Reply]:
        """Send a message; a bare number, or the words of exactly one button of the last
        answer ("ja", "nej"), presses that button; while a form is open, the line answers its
        current field."""
        if self.filling is not None:
            return await self._fill(text)
        stripped = text.strip()
        if stripped.isdigit() and 1 <= int(stripped) <= len(self.choices):
            return await self.press(int(stripped))
        named = [i for i, b in enumerate(self.choices, 1) if fold(b.label) == fold(stripped)]
        if len(named) == 1:
            return await self.press(named[0])
        return self._remember(await self.bot.handle(self._request(text=text)))

    async def press(self, number: int) -> list[Reply]:
        button = self.choices[number - 1]
        press = ButtonPress(name=button.route, payload=dict(button.payload))
        return self._remember(await self.bot.handle(self._request(press=press)))

    def cancel_form(self) -> list[Reply]:
        """Leave the open form with nothing sent (Ctrl-D while filling it)."""
        if self.filling is None:
            return []
        step = self.filling.cancel()
        self.filling = None
        return [step.reply]

    async def _fill(self, line: str) -> list[Reply]:
        assert self.filling is not None
        step = self.filling.answer(line)
        if isinstance(step, Ask):
            return [step.reply]
        if isinstance(step, Cancelled):
            self.filling = None
            return [step.reply]
        assert isinstance(step, Submit)
        press = ButtonPress(name=step.route, payload=step.payload)
        replies = await self.bot.handle(self._request(press=press))
        errors = {k: v for reply in replies for k, v in reply.field_errors.items()}
        if errors:
            return [*replies, self.filling.refused(errors)]
        self.filling = None
        return self._remember(replies)

    def _remember(self, replies: list[Reply]) -> list[Reply]:
        self.choices = [button for reply in replies for button in reply.buttons]
        form_reply = next((reply for reply in replies if reply.form is not None), None)
        if form_reply is None or form_reply.form is None or not self.fills_forms:
            return replies
        language = form_reply.language or DEFAULT_LANGUAGE
        self.filling, question = FormFilling.start(
            form_reply.form, Translator(language, self.bot.settings.tz)
        )
        return [*replies, question]

    def render(self, replies: list[Reply]) -> str:
        return render_replies(replies)


@dataclass
class FileShelf:
    """Where the terminal puts the files a reply carries (a chart, the report), since a
    terminal cannot show them: each is saved once, under its own name, and its path printed."""

    directory: Path
    saved: dict[int, Path] = field(default_factory=dict)

    def keep(self, attachment: Attachment) -> Path:
        key = id(attachment)
        if key not in self.saved:
            self.directory.mkdir(parents=True, exist_ok=True)
            path = self.directory / Path(attachment.filename).name
            stem, suffix, number = path.stem, path.suffix, 1
            while path.exists():
                number += 1
                path = self.directory / f"{stem}-{number}{suffix}"
            path.write_bytes(attachment.data)
            self.saved[key] = path
        return self.saved[key]


def _attachment_line(attachment: Attachment, shelf: FileShelf | None) -> str:
    """One line per file: what it is (an image's alt text, as a screen reader would read it),
    its size, and where the terminal saved it."""
    size = f"{max(1, round(len(attachment.data) / 1024))} kB"
    what = f"{attachment.title}: {attachment.alt}" if attachment.alt else attachment.title
    where = f" → {shelf.keep(attachment)}" if shelf is not None else ""
    return f"  📎 {what} ({attachment.filename}, {size}){where}"


def render_replies(replies: list[Reply], shelf: FileShelf | None = None) -> str:
    """Plain text for a terminal, buttons numbered across all replies in order; the files a
    reply carries are named (and saved on `shelf`, when there is one)."""
    blocks: list[str] = []
    number = 0
    for reply in replies:
        lines = [reply.plain_text()]
        lines.extend(_attachment_line(a, shelf) for a in reply.attachments)
        for button in reply.buttons:
            number += 1
            lines.append(f"  [{number}] {button.label}")
        if reply.form is not None:
            lines.append(f"  ({reply.form.title})")
        blocks.append("\n".join(line for line in lines if line))
    return "\n\n".join(blocks)


@dataclass
class ConsoleMessenger:
    """Posts to terminal channels are kept in order, for `samverkan chat` and for tests."""

    platform: str = PLATFORM
    posted: list[tuple[str, Reply]] = field(default_factory=list)

    async def post(self, channel: Channel, reply: Reply) -> str | None:
        self.posted.append((channel.channel_id, reply))
        return f"{channel.channel_id}:{len(self.posted)}"

    async def update(self, channel: Channel, message_id: str, reply: Reply) -> None:
        self.posted.append((channel.channel_id, reply))

    async def send_direct(self, identity: Identity, reply: Reply) -> str | None:
        self.posted.append((f"direct:{identity.person_id}", reply))
        return f"direct:{identity.person_id}:{len(self.posted)}"
