"""The dispatcher: claim due jobs, render each for its recipient, send, record the outcome.

Time comes from the bot's injected clock; only the idle pause between rounds uses real time.
A send happens outside any transaction, and the outcome is written only while this worker
still holds the job, so a replica that lost its lease never overwrites another's result.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update

from bot.common.i18n import Language, Translator, choose_language
from bot.core.engine import Bot
from bot.core.messenger import ConversationGone, Messenger, RateLimited
from bot.core.reply import Reply
from bot.scheduler.claim import claim_due, release_claims
from bot.scheduler.delivery import Destination, NoMessenger, Undeliverable, Unreachable, resolve
from bot.scheduler.id_sets import among
from bot.scheduler.jobs import Status, Target, schedule
from bot.scheduler.kind import JobContext, JobKind
from bot.scheduler.limiter import RateLimiter
from bot.scheduler.names import NOTICE_KIND
from bot.scheduler.planning import ensure_planned
from bot.scheduler.reach import wait_for_conversation
from bot.scheduler.settings import SchedulerSettings
from storage.models import Channel, Job, Person

log = logging.getLogger("samverkan.scheduler")


@dataclass(frozen=True)
class Prepared:
    """A claimed job rendered and ready to send."""

    job_id: int
    destination: Destination
    reply: Reply
    kind: str
    late: bool


@dataclass
class BatchMemo:
    """What a batch works out once and reuses for each of its jobs.

    A burst sends many jobs to few conversations, and many of them are the same message: the
    destination of a target is resolved once, a translator made once per language, and a
    `shared` kind's message rendered once per (kind, payload, language).
    """

    destinations: dict[tuple[str, int], Destination | Exception] = field(default_factory=dict)
    translators: dict[Language, Translator] = field(default_factory=dict)
    replies: dict[tuple[str, str, Language], Reply | None] = field(default_factory=dict)


async def _load_targets(session: Any, jobs: Sequence[Job], dialect: str) -> list[object]:
    """Read the batch's channels and people in one query each, so resolving finds them loaded.

    The caller keeps the returned rows while it renders: the session remembers loaded rows only
    while something refers to them.
    """
    channel_ids = {j.target_id for j in jobs if j.target_kind == Target.CHANNEL.value}
    person_ids = {j.target_id for j in jobs if j.target_kind == Target.PERSON.value}
    loaded: list[object] = []
    if channel_ids:
        channels = select(Channel).where(among(Channel.id, channel_ids, dialect))
        loaded += (await session.scalars(channels)).all()
    if person_ids:
        people = select(Person).where(among(Person.id, person_ids, dialect))
        loaded += (await session.scalars(people)).all()
    return loaded


def worker_name() -> str:
    """Unique per process, readable in `samverkan jobs`: host, pid and a random tail."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class Dispatcher:
    def __init__(
        self,
        bot: Bot,
        settings: SchedulerSettings | None = None,
        kinds: dict[str, JobKind] | None = None,
        worker: str | None = None,
        fallback: Messenger | None = None,
    ) -> None:
        self.bot = bot
        # Reaches people with no account this process speaks (the terminal's `say`).
        self.fallback = fallback
        self.settings = settings or bot.scheduler_settings
        self.kinds = kinds if kinds is not None else bot.catalog.job_kinds
        self.worker = worker or worker_name()
        self.limiter = RateLimiter(bot.clock, self.settings.rates)
        # The next claim's size: it doubles while claims come back full (a burst), up to
        # `max_batch_size`, so a burst pays each batch's fixed statements over more jobs, and
        # falls back to `batch_size` once the backlog is gone.
        self._batch_size = self.settings.batch_size
        # Metric children by label, so a send does not look its labels up again.
        self._counters: dict[tuple[str, ...], Any] = {}

    async def run_once(
        self, person_id: int | None = None, stop: asyncio.Event | None = None
    ) -> int:
        """One round: claim a batch of due jobs and process each; how many were claimed.

        When `stop` is set mid-batch, the send in progress finishes and the rest of the batch is
        handed back at once, so another process takes it now rather than when the lease ends.
        """
        now = self.bot.clock.now()
        size = self._batch_size
        ids = await claim_due(
            self.bot.database, self.worker, now, self.settings.lease, size, person_id
        )
        largest = max(self.settings.max_batch_size, self.settings.batch_size)
        self._batch_size = min(size * 2, largest) if len(ids) == size else self.settings.batch_size
        batch = await self._prepare_batch(ids)
        if batch is None:
            await self._one_by_one(ids, stop)
            return len(ids)
        # Sent and recorded `batch_size` at a time, however large the claim: a process killed
        # outright repeats at most that many sends after the lease (see docs/scheduler.md).
        step = self.settings.batch_size
        for start in range(0, len(batch), step):
            await self._deliver(batch[start : start + step], stop)
        return len(ids)

    async def _one_by_one(self, ids: list[int], stop: asyncio.Event | None) -> None:
        """The careful path: each job in its own transactions, a failure kept to its job."""
        for index, job_id in enumerate(ids):
            if stop is not None and stop.is_set():
                await release_claims(self.bot.database, self.worker, ids[index:])
                break
            try:
                await self.process(job_id)
            except Exception:
                log.exception("job %s could not be processed", job_id)

    async def _prepare_batch(self, ids: list[int]) -> list[Prepared] | None:
        """Render a whole claimed batch in one transaction.

        The jobs, their channels and their people are read in three queries rather than a few
        per job, which is what a Monday-morning burst of thousands of due jobs needs. When any
        job fails to render, nothing of the batch is kept (None) and it is taken one job at a
        time instead, where a failure stays with its own job.
        """
        if not ids:
            return []
        try:
            dialect = self.bot.database.dialect
            async with self.bot.database.transaction() as session:
                jobs = (
                    await session.scalars(
                        select(Job).where(among(Job.id, ids, dialect)).order_by(Job.due, Job.id)
                    )
                ).all()
                targets = await _load_targets(session, jobs, dialect)
                now = self.bot.clock.now()
                memo = BatchMemo()
                batch = []
                for job in jobs:
                    rendered = await self._render_in(session, job, now, memo)
                    if rendered is not None:
                        batch.append(Prepared(job.id, *rendered))
                del targets
                return batch
        except Exception as error:
            log.info("batch not rendered (%s); one job at a time", type(error).__name__)
            return None

    async def _deliver(self, batch: list[Prepared], stop: asyncio.Event | None) -> None:
        """Send a rendered batch: conversations side by side, each one's jobs in order.

        What was sent is recorded in one statement at the end, also when the round is cancelled;
        a stop hands back what was not begun. (A process killed outright between a send and
        that statement sends the job again after its lease: at least once, never lost.)
        """
        conversations: dict[str, list[Prepared]] = {}
        for item in batch:
            conversations.setdefault(item.destination.key, []).append(item)
        sent: list[int] = []
        unsent: list[int] = []
        gate = asyncio.Semaphore(self.settings.send_concurrency)

        async def send_in_order(items: list[Prepared]) -> None:
            async with gate:
                for index, item in enumerate(items):
                    if stop is not None and stop.is_set():
                        unsent.extend(later.job_id for later in items[index:])
                        return
                    try:
                        if await self._send(item):
                            sent.append(item.job_id)
                    except Exception:
                        log.exception("job %s could not be processed", item.job_id)

        try:
            await asyncio.gather(*(send_in_order(items) for items in conversations.values()))
        finally:  # cancelled too: what went out is recorded, so it never goes out twice
            await self._finish_many(sent)
        await release_claims(self.bot.database, self.worker, unsent)

    async def run(self, stop: asyncio.Event) -> None:
        """Rounds until `stop` is set; pause between rounds only when there was nothing to do."""
        planned_on = None
        while not stop.is_set():
            try:
                # Each new day makes sure the day's planning job exists, so planning resumes
                # even if a plan job was parked; the dedupe key keeps it to one a day.
                today = self.bot.clock.now().astimezone(self.bot.settings.tz).date()
                if today != planned_on:
                    await ensure_planned(
                        self.bot.database, self.bot.clock.now(), self.bot.settings.tz
                    )
                    planned_on = today
                claimed = await self.run_once(stop=stop)
            except Exception:
                log.exception("dispatcher round failed")
                claimed = 0
            if claimed < self.settings.batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.settings.poll_seconds)

    async def process(self, job_id: int) -> None:
        prepared = await self._prepare(job_id)
        if prepared is None:
            return
        if await self._send(Prepared(job_id, *prepared)):
            await self._finish(job_id, Status.DONE)

    async def _send(self, item: Prepared) -> bool:
        """Send one rendered job; True when it went, else its failure is already recorded."""
        job_id, destination, reply, kind = item.job_id, item.destination, item.reply, item.kind
        metrics = self.bot.metrics
        now = self.bot.clock.now()
        started = time.perf_counter()
        try:
            await destination.send(reply)
        except Exception as error:
            metrics.platform_errors.labels(destination.platform, api_status(error)).inc()
            if not isinstance(error, ConversationGone | RateLimited):
                metrics.jobs_failed.labels(destination.platform, kind).inc()
            await self._after_failure(job_id, destination, error, now)
            return False
        elapsed = time.perf_counter() - started
        self._metric("latency", destination.platform).observe(elapsed)
        self._metric("sent", destination.platform, kind).inc()
        if item.late:
            self._metric("late", destination.platform, kind).inc()
        return True

    def _metric(self, name: str, *labels: str) -> Any:
        """The labelled child of a send metric, looked up once per label set."""
        key = (name, *labels)
        child = self._counters.get(key)
        if child is None:
            metrics = self.bot.metrics
            family = {
                "latency": metrics.send_latency,
                "sent": metrics.jobs_sent,
                "late": metrics.jobs_late,
            }[name]
            child = self._counters[key] = family.labels(*labels)
        return child

    async def _after_failure(
        self, job_id: int, destination: Destination, error: Exception, now: datetime
    ) -> None:
        """Skip a conversation that is gone, wait out a rate limit, else retry or park."""
        if isinstance(error, ConversationGone):
            await self._finish(job_id, Status.SKIPPED, error=f"conversation gone: {error}")
            if destination.channel is not None:
                async with self.bot.database.transaction() as session:
                    await session.execute(
                        update(Channel)
                        .where(Channel.id == destination.channel.id)
                        .values(active=False)
                    )
        elif isinstance(error, RateLimited):
            delay = timedelta(seconds=error.retry_after)
            self.limiter.hold(destination.platform, destination.key, delay)
            await self._release(job_id, now + delay)
        else:
            text = f"{type(error).__name__}: {error}"
            await self._failed(job_id, text, destination.platform)

    async def _prepare(self, job_id: int) -> tuple[Destination, Reply, str, bool] | None:
        """Render the job in a transaction; None when it was finished here without a send."""
        try:
            return await self._render(job_id)
        except Exception as error:  # a setup fault or a bug in a kind: retried, then parked
            log.exception("job %s could not be rendered", job_id)
            text = (
                str(error) if isinstance(error, NoMessenger) else f"{type(error).__name__}: {error}"
            )
            await self._failed(job_id, text)
            return None

    async def _render(self, job_id: int) -> tuple[Destination, Reply, str, bool] | None:
        async with self.bot.database.transaction() as session:
            job = await session.get(Job, job_id)
            return await self._render_in(session, job, self.bot.clock.now())

    async def _render_in(
        self, session: Any, job: Job | None, now: datetime, memo: BatchMemo | None = None
    ) -> tuple[Destination, Reply, str, bool] | None:
        """Render one job inside the caller's transaction; None when it ended without a send.

        `memo` carries what the batch has already worked out (see `BatchMemo`).
        """
        if (
            job is None
            or job.status != Status.CLAIMED.value
            or job.claimed_by != self.worker
            or job.claimed_until is None
            or job.claimed_until <= now
        ):
            return None  # someone else's now, or our lease ran out
        memo = memo if memo is not None else BatchMemo()
        kind = self.kinds.get(job.kind)
        if kind is None:
            _park(job, now, f"unknown job kind {job.kind}")
            return None
        due = job.due
        lateness = now - due
        if kind.stale_after is not None and lateness > kind.stale_after:
            _close(job, Status.DROPPED, now, "stale: its moment has passed")
            return None
        if job.target_kind == Target.SYSTEM.value:
            await kind.render(await self._context(session, job, now, None, memo))
            _close(job, Status.DONE, now, None)
            return None
        try:
            destination = await self._destination(session, job, memo)
        except Unreachable:
            # Nobody to send to yet: it waits, listed, until a conversation appears.
            wait_for_conversation(job, now)
            return None
        except Undeliverable as reason:
            _close(job, Status.SKIPPED, now, str(reason))
            return None
        wait = self.limiter.wait(destination.platform, destination.key)
        if wait > timedelta(0):
            _release(job, now + wait)
            return None
        late = lateness > self.settings.late_after
        if late != job.late:  # only a change is written back
            job.late = late
        context = await self._context(session, job, now, destination, memo)
        if kind.shared:
            # The message depends on its payload and language alone: rendered once per batch.
            key = (job.kind, json.dumps(job.payload, sort_keys=True), context.t.language)
            if key not in memo.replies:
                memo.replies[key] = await kind.render(context)
            reply = memo.replies[key]
        else:
            reply = await kind.render(context)
        if reply is None:
            _close(job, Status.SKIPPED, now, None)
            return None
        if late:
            note = context.t("jobs.late", due=context.t.datetime(due))
            reply = replace(reply, context=f"{reply.context}\n{note}" if reply.context else note)
        return destination, reply, job.kind, late

    async def _destination(self, session: Any, job: Job, memo: BatchMemo) -> Destination:
        """Where the job goes, resolved once per target in a batch (a failure too)."""
        target = (job.target_kind, job.target_id)
        found = memo.destinations.get(target)
        if found is None:
            try:
                found = await resolve(session, job, self.bot.messengers, self.fallback)
            except (Undeliverable, NoMessenger) as error:
                found = error
            memo.destinations[target] = found
        if isinstance(found, Exception):
            raise found
        return found

    async def _context(
        self,
        session: Any,
        job: Job,
        now: datetime,
        destination: Destination | None,
        memo: BatchMemo,
    ) -> JobContext:
        person = destination.person if destination else None
        language = choose_language(person.language if person else None, self.bot.settings.locale)
        t = memo.translators.get(language)
        if t is None:
            t = memo.translators[language] = self.bot.translator(language)
        return JobContext(
            session=session,
            job=job,
            t=t,
            now=now,
            settings=self.bot.settings,
            scheduler=self.settings,
            catalog=self.bot.catalog,
            person=person,
            channel=destination.channel if destination else None,
        )

    async def _finish(self, job_id: int, status: Status, error: str | None = None) -> None:
        async with self.bot.database.transaction() as session:
            await session.execute(
                update(Job)
                .where(Job.id == job_id, Job.claimed_by == self.worker)
                .values(
                    status=status.value,
                    finished_at=self.bot.clock.now(),
                    claimed_until=None,
                    last_error=error,
                )
            )

    async def _finish_many(self, job_ids: list[int]) -> None:
        """Record sent jobs as done in one statement, those this worker still holds."""
        if not job_ids:
            return
        async with self.bot.database.single_statement() as connection:
            await connection.execute(
                update(Job)
                .where(among(Job.id, job_ids, self.bot.database.dialect))
                .where(Job.claimed_by == self.worker)
                .values(
                    status=Status.DONE.value,
                    finished_at=self.bot.clock.now(),
                    claimed_until=None,
                    last_error=None,
                )
                .execution_options(synchronize_session=False)
            )

    async def _release(self, job_id: int, not_before: datetime) -> None:
        async with self.bot.database.transaction() as session:
            job = await session.get(Job, job_id)
            if job is not None and job.claimed_by == self.worker:
                _release(job, not_before)

    async def _failed(self, job_id: int, error: str, platform: str = "none") -> None:
        """Retry later with exponential backoff, or park it and tell the admins."""
        now = self.bot.clock.now()
        log.warning("job %s failed: %s", job_id, error)
        async with self.bot.database.transaction() as session:
            job = await session.get(Job, job_id)
            if job is None or job.claimed_by != self.worker:
                return
            job.attempts += 1
            job.last_error = error[:2000]
            if job.attempts < self.settings.max_attempts:
                _release(job, now + self.settings.backoff(job.attempts))
                return
            _park(job, now, job.last_error)
            self.bot.metrics.jobs_parked.labels(platform, job.kind).inc()
            kind = self.kinds.get(job.kind)
            if kind is not None and not kind.notify_on_park:
                return
            admins = [
                p
                for p in (await session.scalars(select(Person).where(Person.active)))
                if p.is_admin
            ]
            for admin in admins:
                await schedule(
                    session,
                    NOTICE_KIND,
                    now,
                    {
                        "key": "jobs.parked",
                        "values": {"job": job.id, "kind": job.kind, "error": job.last_error},
                    },
                    (Target.PERSON, admin.id),
                    f"parked:{job.id}:{admin.id}",
                    now,
                )


def api_status(error: BaseException) -> str:
    """The status a platform's API answered with, for the error metric: the HTTP status from
    the error (or what it was raised from), Slack's error code for an `ok: false`, else the
    error's class."""
    if isinstance(error, RateLimited):
        return "429"
    seen: BaseException | None = error
    while seen is not None:
        response = getattr(seen, "response", None)
        getter = getattr(response, "get", None)
        slack_error = getter("error") if callable(getter) else None
        if isinstance(slack_error, str) and slack_error:
            return slack_error
        status = getattr(response, "status_code", None) or getattr(seen, "status", None)
        if isinstance(status, int):
            return str(status)
        seen = seen.__cause__
    return type(error).__name__


def _release(job: Job, not_before: datetime) -> None:
    job.status = Status.PENDING.value
    job.claimed_by = None
    job.claimed_until = not_before


def _close(job: Job, status: Status, now: datetime, error: str | None) -> None:
    job.status = status.value
    job.finished_at = now
    job.claimed_until = None
    job.last_error = error


def _park(job: Job, now: datetime, error: str | None) -> None:
    _close(job, Status.PARKED, now, error)
