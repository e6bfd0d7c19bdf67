"""The anchor servers the speed benchmark compares the bot with, each run as its own process.

    python -m bench.servers KIND PORT [DATABASE_URL [MODULES_FILE]]

KIND is `aiohttp` (parse a form POST, answer JSON: the floor), `bolt` (slack-bolt's AsyncApp
with its defaults, a slash command that acks), `anchor`: slack-bolt with
process_before_response=True answering the contacts of a forum with plain SQLAlchemy Core on
the same database (the honest floor for the bot's Slack path), plus stock botbuilder's
CloudAdapter replying to a channel message on /api/messages, or `libraries`: the same as
`anchor` after importing every module named in MODULES_FILE, which the benchmark fills with
the third-party and standard-library modules the bot itself loaded while it served. The
`anchor` process holds a database engine, Bolt and botbuilder; `libraries` adds the bot's
libraries, which makes its RSS the issue's memory reference ("a bare process that imports the
same libraries"). Every kind serves /healthz. Imports happen inside each kind, so each process
loads only what it uses.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Any

from aiohttp import web

SIGNING_SECRET = "bench-signing-secret-0123456789abcdef"
COMMAND = "/samverkan"


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def bare_aiohttp() -> web.Application:
    async def events(request: web.Request) -> web.Response:
        form = await request.post()
        return web.json_response({"response_type": "ephemeral", "text": str(form.get("text"))})

    app = web.Application()
    app.router.add_post("/slack/events", events)
    return app


def bolt_app(process_before_response: bool, answer: Any) -> web.Application:
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.app.async_app import AsyncApp
    from slack_bolt.authorization import AuthorizeResult

    async def authorize(**_kwargs: Any) -> AuthorizeResult:
        # One workspace, known in advance: no auth.test call to Slack on the first request.
        return AuthorizeResult(
            enterprise_id=None, team_id="T0BENCH0001", bot_token="xoxb-bench", bot_id="B0BOT"
        )

    bolt = AsyncApp(
        signing_secret=SIGNING_SECRET,
        authorize=authorize,
        process_before_response=process_before_response,
    )

    @bolt.command(COMMAND)
    async def command(ack: Any, body: dict[str, Any]) -> None:
        await ack(response_type="ephemeral", text=await answer(body))

    async def events(request: web.Request) -> web.StreamResponse:
        bolt_request = await to_bolt_request(request)
        return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))

    app = web.Application()
    app.router.add_post("/slack/events", events)
    return app


def contacts_query(database_url: str) -> Any:
    """The contacts of a forum in plain SQLAlchemy Core: one joined SELECT, no ORM."""
    from sqlalchemy import MetaData, Table, select
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(database_url)
    metadata = MetaData()
    tables: dict[str, Table] = {}

    async def answer(body: dict[str, Any]) -> str:
        if not tables:
            async with engine.connect() as connection:
                await connection.run_sync(
                    metadata.reflect, only=["forum", "forum_member", "person", "organization"]
                )
            tables.update(metadata.tables)
        forum, member = tables["forum"], tables["forum_member"]
        person, org = tables["person"], tables["organization"]
        query = (
            select(person.c.name, person.c.title, person.c.email, person.c.phone, org.c.name)
            .select_from(
                member.join(forum, member.c.forum_id == forum.c.id)
                .join(person, member.c.person_id == person.c.id)
                .join(org, person.c.organization_id == org.c.id)
            )
            .where(forum.c.key == "bra", person.c.active.is_(True))
            .order_by(org.c.name, member.c.role, person.c.name)
        )
        async with engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return "\n".join(f"{r[4]}: {r[0]}, {r[1]}, {r[2]}, {r[3] or ''}" for r in rows)

    return answer


def stock_botbuilder() -> Any:
    from botbuilder.core import TurnContext
    from botbuilder.integration.aiohttp import (
        CloudAdapter,
        ConfigurationBotFrameworkAuthentication,
    )
    from botbuilder.schema import Activity

    settings: dict[str, str] = {
        "APP_ID": os.environ.get("BENCH_MICROSOFT_APP_ID", ""),
        "APP_PASSWORD": os.environ.get("BENCH_MICROSOFT_APP_PASSWORD", ""),
        "APP_TYPE": "MultiTenant",
        "APP_TENANTID": "",
    }
    keys_url = os.environ.get("BENCH_KEYS_URL", "")
    factory = None
    if keys_url:
        # Validation on, as in production, against the signing-key fake: botbuilder's own
        # settings for a parameterised cloud, spelled out as its public-cloud defaults except
        # where the keys are published; msal's requests go to the fake as well.
        from botframework.connector.auth import AuthenticationConstants as Constants

        from bench.bot_framework_keys import METADATA_PATH, stock_credentials_factory

        settings.update(
            TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=keys_url + METADATA_PATH,
            TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=Constants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER,
            TO_CHANNEL_FROM_BOT_LOGIN_URL=Constants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX
            + "botframework.com",
            TO_CHANNEL_FROM_BOT_OAUTH_SCOPE=Constants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
            CALLER_ID="urn:botframework:azure",
        )
        factory = stock_credentials_factory(settings["APP_ID"], settings["APP_PASSWORD"], keys_url)
    config = type("Config", (), settings)()  # botbuilder reads attributes
    adapter = CloudAdapter(
        ConfigurationBotFrameworkAuthentication(config, credentials_factory=factory)
    )

    async def on_turn(turn_context: TurnContext) -> None:
        await turn_context.send_activity(f"Du skrev: {turn_context.activity.text}")

    async def messages(request: web.Request) -> web.Response:
        activity = Activity().deserialize(await request.json())
        header = request.headers.get("Authorization", "")
        try:
            await adapter.process_activity(header, activity, on_turn)
        except PermissionError:
            return web.Response(status=401)
        return web.Response(status=201)

    return messages


def import_modules(path: str) -> None:
    """Import every module the file names, in its order; report the counts on stderr.

    The import log also names modules the bot only tried: optional backends that are not
    installed (brotli, Windows' `nt`, Jython's `org.python`). They fail here as they did
    there, and are counted apart from any other failure.
    """
    names = list(dict.fromkeys(Path(path).read_text(encoding="utf-8").split()))
    missing, failed = 0, []
    for name in names:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            missing += 1
        except Exception:  # named in the report: the reference must still start
            failed.append(name)
    imported = len(names) - missing - len(failed)
    report = f"imported {imported} of {len(names)}; {missing} not installed"
    if failed:
        report += "; failed: " + " ".join(failed)
    print(report, file=sys.stderr)


def build(kind: str, database_url: str, modules_file: str = "") -> web.Application:
    if kind == "aiohttp":
        app = bare_aiohttp()
    elif kind == "bolt":

        async def constant(body: dict[str, Any]) -> str:
            return f"Du skrev: {body.get('text')}"

        app = bolt_app(False, constant)
    elif kind in ("anchor", "libraries"):
        if kind == "libraries":
            import_modules(modules_file)
        app = bolt_app(True, contacts_query(database_url))
        app.router.add_post("/api/messages", stock_botbuilder())
    else:
        raise SystemExit(f"unknown server kind {kind!r}")
    app.router.add_get("/healthz", healthz)
    return app


def main() -> None:
    kind, port = sys.argv[1], int(sys.argv[2])
    database_url = sys.argv[3] if len(sys.argv) > 3 else ""
    modules_file = sys.argv[4] if len(sys.argv) > 4 else ""
    app = build(kind, database_url, modules_file)
    web.run_app(app, host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    main()
