"""The shared command core: one entry point for every adapter, Request in, Replies out.

It resolves the asker, picks their language, parses or routes the action, checks access and
runs the command in one transaction. Refusals roll back; unexpected errors become a short
apology with a reference id that is also in the log, never a stack trace.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from bot.channels.cards import claim_card_update, remember_card
from bot.common.clock import Clock, SystemClock
from bot.common.config import Settings
from bot.common.i18n import (
    Language,
    Translator,
    choose_language,
)
from bot.common.logsafe import log_failure, summary
from bot.common.untrusted import clean_request
from bot.core.catalog import Catalog
from bot.core.context import CommandError, Context, DirectoryContext, FieldErrors, Outgoing
from bot.core.dedupe import DuplicateEvent, RecentEvents, claim_event
from bot.core.identity import resolve_person
from bot.core.messenger import Messenger
from bot.core.metrics import Metrics
from bot.core.offered import OfferedButtons
from bot.core.parser import (
    MAX_MESSAGE_LENGTH,
    Empty,
    MissingArgument,
    Parsed,
    ParseResult,
    TooLong,
    Unknown,
    parse,
)
from bot.core.personal_text import PersonalTextRefused, record_refusal
from bot.core.registry import Access, Command, Registry
from bot.core.reply import Reply, Visibility
from bot.core.request import Request
from bot.core.usage import usage_line
from bot.directory.cache import DirectoryCache
from bot.directory.forums import PersonLike
from bot.directory.views import PersonView
from bot.scheduler.settings import SchedulerSettings
from storage.audit import Actor
from storage.db import Database
from storage.models import Person

log = logging.getLogger("samverkan.core")


class Bot:
    def __init__(
        self,
        database: Database,
        settings: Settings,
        clock: Clock | None = None,
        registry: Registry | None = None,
        metrics: Metrics | None = None,
        catalog: Catalog | None = None,
        scheduler: SchedulerSettings | None = None,
    ) -> None:
        self.database = database
        self.directory = DirectoryCache(database)
        self.recent = RecentEvents()
        self.offered = OfferedButtons()
        self.settings = settings
        self.clock = clock or SystemClock()
        self.catalog = catalog or _default_catalog()
        # A test may swap in a registry of its own beside the real jobs and sections.
        self.registry = registry or self.catalog.registry
        # Read from the environment once, here; everything else gets them through a context.
        self.scheduler_settings = scheduler or SchedulerSettings()
        self.metrics = metrics or Metrics()
        # Adapters register themselves here so the core can speak first on their platform.
        self.messengers: dict[str, Messenger] = {}

    def translator(self, language: Language) -> Translator:
        return Translator(language, self.settings.tz)

    def language_for(
        self, person: Person | PersonView | None, request: Request, typed: str | None = None
    ) -> Language:
        """Stored choice wins, then the platform's locale, then the language the command was
        typed in (`help` is English, `hjälp` Swedish), then the configured default."""
        stored = person.language if person else None
        return choose_language(stored, request.user.locale, typed, self.settings.locale)

    async def handle(self, request: Request) -> list[Reply]:
        request = clean_request(request)  # before anything is stored or echoed
        request = self.offered.as_press(request)  # "ja" to a question with a Ja button
        # Parsed once: a text decides the path here, and the command on either path.
        parsed = parse(request.text, self.registry) if request.press is None else None
        typed = parsed.language if isinstance(parsed, Parsed) else None
        turn = _Turn(self.translator(self.language_for(None, request, typed)), typed)
        try:
            replies = await self._answer_quickly(request, parsed, turn)
            if replies is None:
                replies = await self._run(request, parsed, turn)
        except DuplicateEvent:
            turn.outcome, replies = "duplicate", []
        except FieldErrors as invalid:
            turn.outcome = "refused"
            replies = [
                Reply(
                    text=turn.t("error.form_invalid"),
                    field_errors=invalid.errors,
                    visibility=Visibility.ONLY_TO_YOU,
                )
            ]
            await self._after_refusal(request, turn)
        except CommandError as refusal:
            turn.outcome = "refused"
            replies = [_private(turn.t(refusal.key, **refusal.values))]
            if isinstance(refusal, PersonalTextRefused):
                await self._audit_refusal(request, refusal)
            await self._after_refusal(request, turn)
        except Exception as error:
            turn.outcome = "error"
            reference = secrets.token_hex(4)
            log_failure(log, "request failed [ref=%s]", error, reference)
            replies = [_private(turn.t("error.internal", ref=reference))]
            await self._keep_first_contact(request, turn)
        self.metrics.commands.labels(turn.label, turn.outcome).inc()
        for reply in replies:
            reply.language = reply.language or turn.t.language
        self.offered.remember(request, replies)
        return replies

    async def _answer_quickly(
        self, request: Request, result: ParseResult | None, turn: _Turn
    ) -> list[Reply] | None:
        """Answer a message that only reads from the directory in memory, or return None.

        No transaction and no stored event claim: nothing is written, so a re-delivered event
        is recognised in memory (`recent`) and at worst answered again by another replica.
        """
        if result is None:
            return None  # a button or form: the full path
        if isinstance(result, Parsed) and result.command.answer is None:
            return None  # a command that may change things: the full path
        directory, asker = await self.directory.asker(request)
        if not asker.known and request.user.email:
            return None  # the full path may link this user by e-mail first
        if request.event_id and not self.recent.first(request.user.platform, request.event_id):
            raise DuplicateEvent(request.event_id)
        turn.t = self.translator(self.language_for(asker.person, request, turn.typed))
        context = DirectoryContext(request, asker.person, directory, turn.t, self.registry)
        return self._answer(context, result, turn)

    async def _after_refusal(self, request: Request, turn: _Turn) -> None:
        """A refusal rolled its whole transaction back, event claim included: keep the link
        made on first contact, and claim the event on its own, so a replay of the refused
        request gets no second answer."""
        await self._keep_first_contact(request, turn)
        if not turn.full_path or not request.event_id:
            return  # the quick path remembers its events in memory (`recent`) already
        self.recent.first(request.user.platform, request.event_id)
        try:
            async with self.database.transaction() as session:
                await claim_event(
                    session, request.user.platform, request.event_id, self.clock.now()
                )
        except DuplicateEvent:
            pass
        except Exception as error:
            log_failure(log, "could not record a refused event", error)

    async def _audit_refusal(self, request: Request, refusal: PersonalTextRefused) -> None:
        """A personnummer-like text refused in a closed forum: the rollback kept nothing, and
        this row records only that a text was refused (who, when, forum, field)."""
        try:
            async with self.database.transaction() as session:
                person = await resolve_person(session, request, self.clock.now())
                if person is not None:
                    actor = Actor.of(person, request.user.platform)
                    record_refusal(session, actor, self.clock.now(), refusal)
        except Exception as error:
            log_failure(log, "could not record a refused text", error)

    async def _keep_first_contact(self, request: Request, turn: _Turn) -> None:
        """Link the asker by e-mail again after a rollback: they are who the platform says,
        whatever their first command was (else they are "not registered" until the adapter
        looks their e-mail up again)."""
        if not turn.full_path or not request.user.email or request.person_id is not None:
            return
        try:
            async with self.database.transaction() as session:
                await resolve_person(session, request, self.clock.now())
        except Exception as error:
            log_failure(log, "could not keep a first-contact link", error)

    async def _run(self, request: Request, result: ParseResult | None, turn: _Turn) -> list[Reply]:
        """The full path: one transaction with the event claim, the asker and the command."""
        turn.full_path = True
        async with self.database.transaction() as session:
            if request.event_id:
                await claim_event(
                    session, request.user.platform, request.event_id, self.clock.now()
                )
            person = await resolve_person(session, request, self.clock.now())
            turn.t = self.translator(self.language_for(person, request, turn.typed))
            context = Context(
                request,
                session,
                person,
                turn.t,
                self.clock,
                self.settings,
                self.registry,
                self.catalog,
                self.scheduler_settings,
            )
            replies = await self._dispatch(context, result, turn)
        if request.event_id:  # a re-delivery may come back by the quick path: known there too
            self.recent.first(request.user.platform, request.event_id)
        await self.deliver(context.outbox)
        return replies

    async def deliver(self, outbox: list[Outgoing]) -> None:
        """Send queued posts and card updates through each channel's platform; log failures."""
        for item in outbox:
            messenger = self.messengers.get(item.channel.platform)
            if messenger is None:
                log.warning("no messenger for platform %s", item.channel.platform)
                continue
            try:
                if item.message_id is not None:
                    if await claim_card_update(self.database, item, self.clock.now()):
                        await messenger.update(item.channel, item.message_id, item.reply)
                    continue
                message_id = await messenger.post(item.channel, item.reply)
                if item.card is not None and message_id:
                    await remember_card(self.database, item, message_id, self.clock.now())
            except Exception as error:
                log_failure(log, "could not post to channel %s", error, item.channel.id)

    async def _dispatch(
        self, context: Context, result: ParseResult | None, turn: _Turn
    ) -> list[Reply]:
        request = context.request
        if result is None:
            assert request.press is not None, "a request is either text or a button press"
            route = self.registry.routes.get(request.press.name)
            if route is None:
                turn.label = "action:unknown"
                return [_private(context.t("error.unknown_action"))]
            turn.label = f"action:{route.name}"
            _check_access(context.person, route.access)
            try:
                return _as_list(await route.handler(context, dict(request.press.payload)))
            except (KeyError, TypeError, ValueError, OverflowError) as error:
                # A payload is drawn by us; one whose fields do not read was altered on the way
                # (or drawn by an older version): refused like a stale button, nothing kept.
                log.info("refused %s: its payload does not read (%s)", route.name, summary(error))
                raise CommandError("error.unknown_action") from None
        if isinstance(result, Parsed) and result.command.handler is not None:
            turn.label = result.command.key
            _check_access(context.person, result.command.access)
            return _as_list(await result.command.handler(context, result.args))
        # Read-only commands of an asker just linked by e-mail: now from the directory.
        directory = await self.directory.current()
        person = directory.people.get(context.person.id) if context.person else None
        quick = DirectoryContext(request, person, directory, context.t, self.registry)
        return self._answer(quick, result, turn)

    def _answer(self, context: DirectoryContext, result: ParseResult, turn: _Turn) -> list[Reply]:
        t = context.t
        match result:
            case Empty():
                turn.label = "help"
                return _run_answer(self.registry.get("help"), context, {})
            case TooLong(length=length):
                turn.label = "too_long"
                return [_private(t("error.too_long", length=length, limit=MAX_MESSAGE_LENGTH))]
            case Unknown(word=word, suggestion=suggestion):
                turn.label = "unknown"
                return [_unknown_reply(context, word, suggestion)]
            case MissingArgument(command=command, param=param):
                turn.label = command.key
                return [
                    _private(
                        t(
                            "error.missing_argument",
                            param=t(f"param.{param}"),
                            usage=usage_line(t, command),
                        )
                    )
                ]
            case Parsed(command=command, args=args):
                turn.label = command.key
                _check_access(context.person, command.access)
                return _run_answer(command, context, args)
        raise AssertionError(f"unhandled parse result {result!r}")


@dataclass
class _Turn:
    """What one request has established so far, for the error reply and the metrics."""

    t: Translator
    typed: str | None = None  # the language of the command's name as typed, if only one
    label: str = "none"
    outcome: str = "ok"
    full_path: bool = False


def _check_access(person: PersonLike | None, access: Access) -> None:
    if access is Access.ANYONE:
        return
    if person is None:
        raise CommandError("error.not_registered")
    if access is Access.ADMIN and not person.is_admin:
        raise CommandError("error.admin_only")


def _run_answer(command: Command, context: DirectoryContext, args: dict[str, str]) -> list[Reply]:
    assert command.answer is not None, f"{command.key} has no directory answer"
    return _as_list(command.answer(context, args))


def _unknown_reply(context: DirectoryContext, word: str, suggestion: Command | None) -> Reply:
    t = context.t
    text = t("error.unknown_command", word=word[:60])
    if suggestion is not None:
        text += "\n" + t("error.did_you_mean", usage=usage_line(t, suggestion))
    text += "\n" + t("error.see_help", help=context.registry.get("help").name(context.language))
    return _private(text)


def _private(text: str) -> Reply:
    return Reply(text=text, visibility=Visibility.ONLY_TO_YOU)


def _as_list(result: Reply | list[Reply]) -> list[Reply]:
    return result if isinstance(result, list) else [result]


def _default_catalog() -> Catalog:
    """Every feature of `bot/features.py`; imported here, not at the top, because the features'
    command modules import the core (this module) themselves."""
    from bot.core.catalog import build_catalog
    from bot.features import FEATURES

    return build_catalog(FEATURES)
