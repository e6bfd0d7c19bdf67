"""The shared command core: one entry point for every adapter, Request in, Replies out.

It resolves the asker, picks their language, parses or routes the action, checks access and
runs the command in one transaction. Refusals roll back; unexpected errors become a short
apology with a reference id that is also in the log, never a stack trace.
"""

from __future__ import annotations

import logging
import secrets

from bot.cards import claim_card_update, remember_card
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import CommandError, Context, FieldErrors, Outgoing
from bot.dedupe import DuplicateEvent, claim_event
from bot.i18n import DEFAULT_LANGUAGE, Language, Translator, language_from_locale
from bot.identity import resolve_person
from bot.messenger import Messenger
from bot.metrics import Metrics
from bot.parser import MAX_MESSAGE_LENGTH, Empty, MissingArgument, Parsed, TooLong, Unknown, parse
from bot.registry import Access, Command, Registry, discover
from bot.reply import Reply, Visibility
from bot.request import Request
from bot.usage import usage_line
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
    ) -> None:
        self.database = database
        self.settings = settings
        self.clock = clock or SystemClock()
        self.registry = registry or discover()
        self.metrics = metrics or Metrics()
        # Adapters register themselves here so the core can speak first on their platform.
        self.messengers: dict[str, Messenger] = {}

    def translator(self, language: Language) -> Translator:
        return Translator(language, self.settings.tz)

    def language_for(self, person: Person | None, request: Request) -> Language:
        """Stored choice wins, then the platform's locale, then the configured default."""
        stored = language_from_locale(person.language) if person else None
        return (
            stored
            or language_from_locale(request.user.locale)
            or language_from_locale(self.settings.locale)
            or DEFAULT_LANGUAGE
        )

    async def handle(self, request: Request) -> list[Reply]:
        t = self.translator(self.language_for(None, request))
        outcome = "ok"
        context: Context | None = None
        try:
            async with self.database.transaction() as session:
                if request.event_id:
                    await claim_event(
                        session, request.user.platform, request.event_id, self.clock.now()
                    )
                person = await resolve_person(session, request, self.clock.now())
                t = self.translator(self.language_for(person, request))
                context = Context(
                    request, session, person, t, self.clock, self.settings, self.registry
                )
                replies = await self._dispatch(context)
            await self.deliver(context.outbox)
        except DuplicateEvent:
            outcome, replies = "duplicate", []
        except FieldErrors as invalid:
            outcome = "refused"
            replies = [
                Reply(
                    text=t("error.form_invalid"),
                    field_errors=invalid.errors,
                    visibility=Visibility.ONLY_TO_YOU,
                )
            ]
        except CommandError as refusal:
            outcome = "refused"
            replies = [_private(t(refusal.key, **refusal.values))]
        except Exception:
            outcome = "error"
            reference = secrets.token_hex(4)
            log.exception("request failed [ref=%s]", reference)
            replies = [_private(t("error.internal", ref=reference))]
        label = context.label if context is not None else "none"
        self.metrics.commands.labels(label, outcome).inc()
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
            except Exception:
                log.exception("could not post to channel %s", item.channel.id)

    async def _dispatch(self, context: Context) -> list[Reply]:
        request, t = context.request, context.t
        if request.action is not None:
            route = self.registry.actions.get(request.action.name)
            if route is None:
                context.label = "action:unknown"
                return [_private(t("error.unknown_action"))]
            context.label = f"action:{route.name}"
            self._check_access(context, route.access)
            return _as_list(await route.handler(context, dict(request.action.payload)))
        result = parse(request.text, self.registry)
        match result:
            case Empty():
                context.label = "help"
                return _as_list(await self.registry.get("help").handler(context, {}))
            case TooLong(length=length):
                context.label = "too_long"
                return [_private(t("error.too_long", length=length, limit=MAX_MESSAGE_LENGTH))]
            case Unknown(word=word, suggestion=suggestion):
                context.label = "unknown"
                return [_unknown_reply(context, word, suggestion)]
            case MissingArgument(command=command, param=param):
                context.label = command.key
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
                context.label = command.key
                self._check_access(context, command.access)
                return _as_list(await command.handler(context, args))
        raise AssertionError(f"unhandled parse result {result!r}")

    def _check_access(self, context: Context, access: Access) -> None:
        if access is Access.ANYONE:
            return
        person = context.require_person()
        if access is Access.ADMIN and not person.is_admin:
            raise CommandError("error.admin_only")


def _unknown_reply(context: Context, word: str, suggestion: Command | None) -> Reply:
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
