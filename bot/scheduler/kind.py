"""What a job kind declares: how to render its message, and when it is too late to send."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.common.config import Settings
from bot.common.i18n import Translator
from bot.core.reply import Reply
from storage.models import Channel, Job, Person

if TYPE_CHECKING:
    from bot.core.catalog import Catalog
    from bot.scheduler.settings import SchedulerSettings


@dataclass
class JobContext:
    """A job being sent: the session it renders in, the words of its recipient, and the time."""

    session: AsyncSession
    job: Job
    t: Translator
    now: datetime
    settings: Settings
    scheduler: SchedulerSettings
    catalog: Catalog
    person: Person | None = None  # the recipient, for jobs sent to a person
    channel: Channel | None = None  # the channel, for jobs posted to a channel


Render = Callable[[JobContext], Awaitable[Reply | None]]


@dataclass(frozen=True)
class JobKind:
    """`render` returns None when there is nothing to send any more (e.g. the item is done).

    `stale_after`: a job later than this is dropped, not sent (a meeting that already happened).
    `shared`: the message depends on the job's payload and the recipient's language alone (not
    on the recipient, the time or the database), so a batch renders it once per payload and
    language and reuses it. Leave it False for anything that reads what its recipient may see.
    """

    kind: str
    render: Render
    stale_after: timedelta | None = None
    notify_on_park: bool = True
    shared: bool = False
