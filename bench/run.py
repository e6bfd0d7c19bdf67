"""Speed: the bot side by side with bare aiohttp, bare Bolt and stock botbuilder (issue 8).

    .venv/bin/python -m bench.run            # a few minutes, SQLite and PostgreSQL
    .venv/bin/python -m bench.run --quick    # about a minute
    .venv/bin/python -m bench.run --output bench/results/2026-11-26.md

Every server runs as its own process on 127.0.0.1, pinned to core 0 when the machine has two;
this process (load client and the fake Slack and Bot Framework connector) runs on core 1. Runs
are bounded in requests and seconds. PostgreSQL is used at 127.0.0.1:5432 (user postgres) in a
database of the benchmark's own, dropped at the end; without it the run is SQLite only.

Each row is measured three times after one warm-up (`--quick`: once) and shows the repetition
with the median CPU per request; the spread of the three follows the table (bench/repeat.py).
The 1-minute load average before and after each server's rows is their last column. The bot
is measured twice on each database: with one bot token, and in OAuth mode installed in two
workspaces with the load alternating between them (bench/slack_oauth.py).

Below the table come the memory reference (a bare process importing every module the measured
bot loaded, by Python's import log, then holding Bolt, botbuilder and an engine) and a verdict
for each of the issue's targets, computed from the rows, as ratios within the run where a
ratio makes sense (the machine's floor, bare aiohttp, scales the targets given in ms).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from bench import repeat, slack_oauth, teams_validated
from bench.bot_framework_keys import BotFrameworkKeys
from bench.servers import COMMAND, SIGNING_SECRET

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
# Bare aiohttp's CPU per request on the machine where issue 19 set its ms targets.
REFERENCE_FLOOR_US = 94
PG_NAME = f"samverkan_bench_{secrets.token_hex(4)}"  # its own: other runs drop theirs
TEAM = "T0BENCH0001"
SLACK_USER = "U0BENCH0001"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
TEAMS_USER = "29:bench-user"
TEAMS_USERS = 200  # staff writing to the bot in the Teams run, each in their own 1:1 chat
EMAIL = "anna.lindqvist@example.org"  # a demo person of the bundled agreement
HZ = os.sysconf("SC_CLK_TCK")
OAUTH_PATH = "Slack /samverkan kontakter brå, OAuth, 2 workspaces"


# ----- the remote ends, in this process -------------------------------------------------------


@dataclass
class Remote:
    """Slack's Web API and the Bot Framework connector, as lean as they can be."""

    replies: int = 0
    late_answers: int = 0  # Slack answers that came through response_url, not the ack
    connections: set[object] = field(default_factory=set)
    arrived: dict[str, float] = field(default_factory=dict)  # replied-to activity id → time
    workspaces: slack_oauth.FakeWorkspaces | None = None  # several Slack workspaces (OAuth)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self.slack)
        app.router.add_post("/response/{number}", self.response_url)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self.reply)
        app.router.add_post("/v3/conversations/{cid}/activities", self.reply)
        app.router.add_post("/v3/conversations", self.create)
        app.router.add_get("/v3/conversations/{cid}/members/{mid}", self.member)
        return app

    async def slack(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if self.workspaces is not None:
            args = {**request.query, **{k: str(v) for k, v in (await request.post()).items()}}
            token = request.headers.get("Authorization", "").removeprefix("Bearer ") or None
            answer = self.workspaces.answer(method, args, token)
            if answer:
                return web.json_response(answer)
        if method == "auth.test":
            return web.json_response(
                {"ok": True, "team_id": TEAM, "user_id": "U0BOT", "bot_id": "B0BOT"}
            )
        if method == "users.info":
            user = {
                "id": SLACK_USER,
                "team_id": TEAM,
                "name": "anna",
                "locale": "sv-SE",
                "profile": {"email": EMAIL, "real_name": "Anna Lindqvist"},
            }
            return web.json_response({"ok": True, "user": user})
        return web.json_response({"ok": True})

    async def response_url(self, request: web.Request) -> web.Response:
        await request.read()
        self.late_answers += 1
        return web.Response(text="ok")

    async def reply(self, request: web.Request) -> web.Response:
        now = time.perf_counter()
        self.connections.add(request.protocol)
        await request.read()
        self.replies += 1
        if "aid" in request.match_info:
            self.arrived[request.match_info["aid"]] = now
        return web.json_response({"id": f"r{self.replies}"})

    async def create(self, request: web.Request) -> web.Response:
        """Open (Teams: find) a person's 1:1 chat with the bot: the same id every time."""
        self.connections.add(request.protocol)
        member_id = (await request.json())["members"][0]["id"]
        return web.json_response({"id": f"a:bench-chat-{member_id}"})

    async def member(self, request: web.Request) -> web.Response:
        """Every bench user has the e-mail of one demo person, so each is linked on first use."""
        self.connections.add(request.protocol)
        member_id = request.match_info["mid"]
        aad = "aad-" + member_id.rsplit("-", 1)[-1]
        return web.json_response(
            {"id": member_id, "name": "Anna Lindqvist", "email": EMAIL, "aadObjectId": aad}
        )


# ----- requests ------------------------------------------------------------------------------

_ids = itertools.count(1)
_verifier = SignatureVerifier(SIGNING_SECRET)


def slack_request(
    remote_url: str, text: str, team: str = TEAM, user: str = SLACK_USER
) -> tuple[str, bytes, dict[str, str], str]:
    number = next(_ids)
    body = urlencode(
        {
            "token": "bench",
            "team_id": team,
            "team_domain": "bench",
            "channel_id": "C0BENCH0001",
            "channel_name": "bench",
            "user_id": user,
            "user_name": "anna",
            "command": COMMAND,
            "text": text,
            "api_app_id": "A0BENCH",
            "is_enterprise_install": "false",
            "response_url": f"{remote_url}/response/{number}",
            "trigger_id": f"{number}.1234.bench",
        }
    ).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": _verifier.generate_signature(timestamp=timestamp, body=body),
    }
    return "/slack/events", body, headers, str(number)


def teams_request(remote_url: str, text: str) -> tuple[str, bytes, dict[str, str], str]:
    """A message in a person's 1:1 chat with the bot.

    Staff write in their 1:1 chat with the bot, which Teams keeps for good. TEAMS_USERS people
    take turns, so no chat gets near Teams' per-conversation limits (7 a second, 60 per 30
    seconds), which the bot obeys and which are not the thing measured here.
    """
    return _teams_activity(
        remote_url,
        text,
        lambda activity_id, user: {
            "conversationType": "personal",
            "tenantId": TENANT,
            "id": f"a:bench-chat-{user}",
        },
        {"tenant": {"id": TENANT}},
    )


def teams_mention(remote_url: str, text: str) -> tuple[str, bytes, dict[str, str], str]:
    """A new post in a team's channel that @mentions the bot, as Teams sends it.

    Directory answers are only for the asker: the card goes to their 1:1 chat and a short
    note into the post's thread. Each post starts its own thread, so the per-conversation
    limits do not bind, as in a real channel.
    """
    channel, team = "19:bench-channel@thread.tacv2", "19:bench-team@thread.tacv2"
    mention = "<at>Samverkansboten</at>"
    return _teams_activity(
        remote_url,
        f"{mention} {text}",
        lambda activity_id, user: {
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": TENANT,
            "id": f"{channel};messageid={activity_id}",
        },
        {
            "teamsChannelId": channel,
            "teamsTeamId": team,
            "channel": {"id": channel},
            "team": {"id": team},
            "tenant": {"id": TENANT},
        },
        entities=[{"type": "mention", "mentioned": BOT_ACCOUNT, "text": mention}],
    )


BOT_ACCOUNT = {"id": "28:bench-bot", "name": "Samverkansboten"}


def _teams_activity(
    remote_url: str,
    text: str,
    conversation: Callable[[str, int], dict[str, Any]],
    channel_data: dict[str, Any],
    entities: list[dict[str, Any]] | None = None,
) -> tuple[str, bytes, dict[str, str], str]:
    """One message activity from the next of the TEAMS_USERS bench users."""
    number = next(_ids)
    activity_id = f"bench{number}"
    user = number % TEAMS_USERS
    activity = {
        "type": "message",
        "id": activity_id,
        "timestamp": datetime.now(UTC).isoformat(),
        "serviceUrl": remote_url + "/",
        "channelId": "msteams",
        "from": {"id": f"{TEAMS_USER}-{user}", "name": "Anna", "aadObjectId": f"aad-{user}"},
        "conversation": conversation(activity_id, user),
        "recipient": BOT_ACCOUNT,
        "textFormat": "plain",
        "text": text,
        "entities": entities or [],
        "channelData": channel_data,
        "locale": "sv-SE",
    }
    headers = {"Content-Type": "application/json"}
    return "/api/messages", json.dumps(activity).encode(), headers, activity_id


MakeRequest = Callable[[], tuple[str, bytes, dict[str, str], str]]


# ----- servers -------------------------------------------------------------------------------


async def serve_remote(remote: Remote) -> tuple[web.AppRunner, str]:
    """The fake Slack and Bot Framework ends on a free port of 127.0.0.1: runner and base URL."""
    runner = web.AppRunner(remote.app(), access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / HZ


def rss_mib(pid: int, key: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    url: str
    cold_start: float
    log: IO[bytes]
    idle_rss: float = 0.0
    stderr: str = ""  # what the server wrote there, read when it stops

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.seek(0)
        self.stderr = self.log.read().decode(errors="replace")
        self.log.close()


def _pin(cpu: int) -> Callable[[], None]:
    def pin() -> None:
        if (os.cpu_count() or 1) >= 2:
            os.sched_setaffinity(0, {cpu})

    return pin


async def start(name: str, command: list[str], env: dict[str, str], port: int) -> Server:
    """Start a server and time it until /healthz answers (the cold start)."""
    # A file, not a pipe: a pipe nobody reads blocks a chatty server. Closed with the process.
    log = tempfile.TemporaryFile()  # noqa: SIM115
    began = time.perf_counter()
    process = subprocess.Popen(  # noqa: ASYNC220 (a fork: nothing to wait for here)
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=log,
        preexec_fn=_pin(0),
    )
    url = f"http://127.0.0.1:{port}"
    async with aiohttp.ClientSession() as session:
        deadline = began + 60
        while time.perf_counter() < deadline:
            if process.poll() is not None:
                log.seek(0)
                error = log.read().decode(errors="replace")
                log.close()
                raise RuntimeError(f"{name} did not start: {error[-2000:]}")
            try:
                async with session.get(url + "/healthz") as response:
                    if response.status == 200:
                        break
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.005)
        else:
            process.kill()
            raise RuntimeError(f"{name} did not answer /healthz within 60 s")
    server = Server(name, process, url, time.perf_counter() - began, log)
    await asyncio.sleep(0.3)
    server.idle_rss = rss_mib(process.pid)
    return server


def bot_server(port: int, database_url: str, remote_url: str) -> tuple[list[str], dict[str, str]]:
    command = [str(Path(sys.executable).with_name("samverkan")), "serve", "--port", str(port)]
    return command, bot_env(database_url, remote_url)


def bot_env(database_url: str, remote_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_API_URL": remote_url + "/api/",
        "TEAMS_ALLOWED_TENANTS": TENANT,
        "HTTP_PROXY": "",
        "HTTPS_PROXY": "",
        "NO_PROXY": "127.0.0.1,localhost",
    }


def anchor_server(
    kind: str, port: int, database_url: str = "", modules_file: str = ""
) -> list[str]:
    return [sys.executable, "-m", "bench.servers", kind, str(port), database_url, modules_file]


OWN_PACKAGES = {"bot", "adapters", "storage"}


def imported_modules(import_log: str) -> list[str]:
    """The modules a `-X importtime` log names, in import order, without the bot's own code."""
    names = []
    for line in import_log.splitlines():
        if not line.startswith("import time:") or line.endswith("imported package"):
            continue
        name = line.rsplit("|", 1)[1].strip()
        if name.split(".", 1)[0] not in OWN_PACKAGES:
            names.append(name)
    return list(dict.fromkeys(names))


# ----- load ----------------------------------------------------------------------------------


@dataclass
class Phase:
    concurrency: int
    requests: int
    seconds: float
    latencies: list[float]
    cpu: float
    failures: int
    to_connector: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, q: float, values: list[float] | None = None) -> float:
        data = sorted(self.latencies if values is None else values)
        if not data:
            return float("nan")
        return data[min(len(data) - 1, int(q * len(data)))] * 1000


async def load(
    server: Server,
    make: MakeRequest,
    concurrency: int,
    limit: int,
    seconds: float,
    remote: Remote,
    expect: Callable[[int, bytes], bool],
) -> Phase:
    latencies: list[float] = []
    sent_at: dict[str, float] = {}
    failures = 0
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        cpu_before = cpu_seconds(server.process.pid)
        began = time.perf_counter()
        deadline = began + seconds

        async def worker() -> None:
            nonlocal failures
            while len(latencies) + failures < limit and time.perf_counter() < deadline:
                path, body, headers, key = make()
                start_time = time.perf_counter()
                sent_at[key] = start_time
                try:
                    async with session.post(server.url + path, data=body, headers=headers) as r:
                        payload = await r.read()
                        ok = expect(r.status, payload)
                except (TimeoutError, aiohttp.ClientError):
                    ok = False  # counted and shown as failed, not the end of the whole run
                if ok:
                    latencies.append(time.perf_counter() - start_time)
                else:
                    failures += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
        cpu = cpu_seconds(server.process.pid) - cpu_before
    to_connector = [remote.arrived[k] - t for k, t in sent_at.items() if k in remote.arrived]
    return Phase(concurrency, len(latencies), elapsed, latencies, cpu, failures, to_connector)


@dataclass
class Row:
    server: str
    path: str
    database: str
    phases: list[Phase]
    cold_start: float
    idle_rss: float
    loaded_rss: float
    connections_per_1000: float | None = None
    repetitions: list[list[Phase]] = field(default_factory=list)  # `phases` is the median one
    load: tuple[float, float] = (float("nan"), float("nan"))  # around the row's server group

    def cpu_per_request_us(self) -> float:
        return repeat.cpu_per_request_us(self.phases)


async def measure(
    server: Server,
    path: str,
    database: str,
    make: MakeRequest,
    remote: Remote,
    expect: Callable[[int, bytes], bool],
    limit: int,
    seconds: float,
    teams: bool,
    times: int = 1,
) -> Row:
    """Warm up once, then the three load phases `times` over; the row is the median repetition."""
    # Warm-up: caches, and first contact (linking by e-mail) for every bench user.
    await load(server, make, 4, TEAMS_USERS if teams else 50, 10.0, remote, expect)
    remote.connections.clear()
    replies_before = remote.replies

    async def once() -> list[Phase]:
        phases = []
        for concurrency in (1, 10, 50):
            remote.arrived.clear()
            phases.append(await load(server, make, concurrency, limit, seconds, remote, expect))
        return phases

    repetitions = await repeat.repeated(times, once)
    replies = remote.replies - replies_before
    row = Row(
        server.name,
        path,
        database,
        repeat.median_repetition(repetitions),
        server.cold_start,
        server.idle_rss,
        rss_mib(server.process.pid, "VmHWM"),
        repetitions=repetitions,
    )
    if teams and replies:
        row.connections_per_1000 = len(remote.connections) / replies * 1000
    return row


def answered_slack(status: int, body: bytes) -> bool:
    return status == 200 and b"text" in body


def answered_teams(status: int, _body: bytes) -> bool:
    return status in (200, 201)


# ----- data ----------------------------------------------------------------------------------


async def prepare(url: str, quick: bool) -> str:
    """Migrate, seed and fill the database with the realistic data set; a short description."""
    from bench.dataset import build_dataset
    from storage.db import Database
    from storage.migrate import upgrade

    database = Database(url)
    await upgrade(database)
    now = datetime.now(UTC).replace(microsecond=0)
    async with database.transaction() as session:
        report = await build_dataset(
            session,
            end=now + timedelta(days=180),
            years=2 if quick else 5,
            people=100 if quick else 300,
        )
    await database.dispose()
    return f"{report.people} people, {report.meetings} meetings, {report.attendance} attendance"


async def postgres(sql: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(PG_SERVER, timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


# ----- the run -------------------------------------------------------------------------------


IMPORT_LOG = {"PYTHONPROFILEIMPORTTIME": "1"}  # Python's `-X importtime`, to stderr


@dataclass
class Reference:
    """The memory reference on one database: how its imports went, and its measured paths."""

    database: str
    imports: list[str]  # the reference's own report of the modules it imported
    rows: list[Row]

    @property
    def idle_rss(self) -> float:
        return self.rows[0].idle_rss

    @property
    def loaded_rss(self) -> float:
        return max(row.loaded_rss for row in self.rows)


async def run(
    quick: bool, sqlite_only: bool, times: int
) -> tuple[list[Row], list[Reference], list[str]]:
    limit, seconds = (300, 0.7) if quick else (2000, 2.0)
    notes: list[str] = []
    installed = slack_oauth.workspaces(TEAM, SLACK_USER, EMAIL)
    remote = Remote(workspaces=slack_oauth.FakeWorkspaces(installed))
    runner, remote_url = await serve_remote(remote)
    # Bot Framework's signing keys and Entra ID's token endpoint: every Teams server checks
    # tokens and fetches its own, as in production (bench/teams_validated.py).
    keys = BotFrameworkKeys(teams_validated.APP_ID)
    await keys.start()
    stock_env = teams_validated.stock_env(keys)
    text = "kontakter brå"
    slack = lambda: slack_request(remote_url, text)  # noqa: E731
    teams = teams_validated.signed(keys, remote_url + "/", lambda: teams_request(remote_url, text))
    mention = teams_validated.signed(
        keys, remote_url + "/", lambda: teams_mention(remote_url, text)
    )
    turns = slack_oauth.alternating(installed)

    def two_workspaces() -> tuple[str, bytes, dict[str, str], str]:
        workspace = next(turns)
        return slack_request(remote_url, text, workspace.team_id, workspace.user_id)

    workdir = Path(tempfile.mkdtemp(prefix="samverkan-bench-"))
    databases = {"SQLite": f"sqlite+aiosqlite:///{workdir / 'bench.sqlite3'}"}
    if not sqlite_only:
        try:
            await postgres(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
            await postgres(f'CREATE DATABASE "{PG_NAME}"')
            databases["PostgreSQL"] = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_NAME}"
        except (OSError, TimeoutError, Exception) as error:
            notes.append(f"PostgreSQL skipped: {type(error).__name__}: {error}")
    for name, url in databases.items():
        notes.append(f"{name} data set: {await prepare(url, quick)}")

    rows: list[Row] = []
    references: list[Reference] = []

    async def bench(
        name: str,
        command: list[str],
        env: dict[str, str],
        port: int,
        paths: list[tuple[str, str, MakeRequest, Callable[[int, bytes], bool], bool]],
        into: list[Row] = rows,
        prepare_server: Callable[[Server], Awaitable[None]] | None = None,
    ) -> Server:
        load_before = repeat.load_average()
        server = await start(name, command, env, port)
        group: list[Row] = []
        try:
            if prepare_server is not None:
                await prepare_server(server)
            for path, database, make, expect, is_teams in paths:
                print(f"  {name} {path} {database}", file=sys.stderr, flush=True)
                group.append(
                    await measure(
                        server, path, database, make, remote, expect, limit, seconds, is_teams,
                        times,
                    )
                )  # fmt: skip
        finally:
            server.stop()
        for row in group:
            row.load = (load_before, repeat.load_average())
        into.extend(group)
        return server

    try:
        port = free_port()
        await bench(
            "bare aiohttp", anchor_server("aiohttp", port), {}, port,
            [("form POST → JSON", "–", slack, answered_slack, False)],
        )  # fmt: skip
        port = free_port()
        await bench(
            "Bolt, defaults", anchor_server("bolt", port), {}, port,
            [("slash command, ack", "–", slack, answered_slack, False)],
        )  # fmt: skip
        for database, url in databases.items():
            port = free_port()
            paths = [("slash command + Core query", database, slack, answered_slack, False)]
            if database == "SQLite":
                paths.append(("botbuilder CloudAdapter reply", "–", teams, answered_teams, True))
            await bench(
                "Bolt pbr + Core / stock botbuilder", anchor_server("anchor", port, url),
                stock_env, port, paths,
            )  # fmt: skip
            port = free_port()
            command, env = bot_server(port, url, remote_url)
            env.update(teams_validated.bot_env(keys, TENANT))
            # Python's import log, from the measured run itself: what the bot loaded while it
            # served (the first run on a database also plans and sends the due reminders).
            # It costs nothing once the imports are done, nor at start (measured: 0.68 s both).
            bot = await bench(
                "Samverkansboten", command, {**env, **IMPORT_LOG}, port,
                [
                    ("Slack /samverkan kontakter brå", database, slack, answered_slack, False),
                    ("Teams 1:1 message → card", database, teams, answered_teams, True),
                    ("Teams channel mention → card 1:1 + note in thread", database, mention,
                     answered_teams, True),
                ],
            )  # fmt: skip
            # The same bot in OAuth mode, installed in two workspaces, answering both in turn.
            port = free_port()
            command, env = bot_server(port, url, remote_url)

            async def install(server: Server) -> None:
                await slack_oauth.install(server.url, installed)

            await bench(
                "Samverkansboten, OAuth", command, slack_oauth.oauth_env(env, installed), port,
                [(OAUTH_PATH, database, two_workspaces, answered_slack, False)],
                prepare_server=install,
            )  # fmt: skip
            modules = workdir / f"modules-{database}.txt"
            modules.write_text("\n".join(imported_modules(bot.stderr)), encoding="utf-8")
            port = free_port()
            measured: list[Row] = []
            server = await bench(
                "memory reference", anchor_server("libraries", port, url, str(modules)),
                stock_env, port,
                [
                    ("slash command + Core query", database, slack, answered_slack, False),
                    ("botbuilder CloudAdapter reply", database, teams, answered_teams, True),
                ],
                measured,
            )  # fmt: skip
            imported = [line for line in server.stderr.splitlines() if "imported" in line]
            references.append(Reference(database, imported, measured))
        if remote.workspaces is not None:
            notes.append(
                f"fake Slack, OAuth rows: {remote.workspaces.exchanged} OAuth codes exchanged,"
                f" {remote.workspaces.auth_tests} auth.test calls with an installed token"
                " (installing asks once per workspace; uncached, Bolt asks on every request)"
            )
    finally:
        await runner.cleanup()
        await keys.stop()
        if "PostgreSQL" in databases:
            await postgres(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
    return rows, references, notes


def memory_table(references: list[Reference]) -> list[str]:
    lines = [
        "Memory reference: a bare process that imports every module the bot loaded while it"
        " was measured (from Python's import log), then holds bare Bolt, bare botbuilder and a"
        " database engine, loaded like the anchor (the Slack query, then botbuilder's reply).",
        "",
        "| db | modules the bot loaded | RSS idle / loaded MiB | cold start s |",
        "|---|---|---|---|",
    ]
    for ref in references:
        lines.append(
            f"| {ref.database} | {'; '.join(ref.imports) or '?'} "
            f"| {ref.idle_rss:.0f} / {ref.loaded_rss:.0f} | {ref.rows[0].cold_start:.2f} |"
        )
    return lines


def _ratio(value: float, anchor: float, limit: float, at_most: bool = True) -> str:
    ratio = value / anchor
    met = ratio <= limit if at_most else ratio >= limit
    return f"{ratio:.2f}× ({'met' if met else 'NOT met'})"


def _within(value: float, limit: float, unit: str) -> str:
    shown = f"{value:.2f} {unit}" if unit else f"{value:.2f}"
    return f"{shown} ({'met' if value <= limit else 'NOT met'})"


def _scaled_seconds(value: float, limit: float, speed: float) -> str:
    """A start-up is imports and set-up, Python work like a request's: scaled as the ms are."""
    if speed != speed:  # no floor in this run
        return ""
    scaled = limit * speed
    return f"; scaled target ≤ {scaled:.2f} s ({'met' if value <= scaled else 'NOT met'})"


def verdicts(rows: list[Row], references: list[Reference]) -> list[str]:
    """The issue's targets, each computed from this run's rows."""

    def find(server: str, path: str, database: str) -> Row | None:
        return next(
            (r for r in rows if r.server.startswith(server) and r.path.startswith(path)
             and r.database == database),
            None,
        )  # fmt: skip

    stock = find("Bolt pbr", "botbuilder", "–")
    floor = find("bare aiohttp", "form", "–")
    lines = ["Against the issue's targets, from the rows above:", ""]
    floor_p50 = floor.phases[0].percentile(0.5) if floor else float("nan")
    if floor:
        lines += [
            f"- machine floor (bare aiohttp): {floor.cpu_per_request_us():.0f} µs CPU per"
            f" request, p50 @1 {floor_p50:.2f} ms; targets in ms are also given as multiples"
            " of this floor, which carry over to another machine",
        ]

    # The ms targets were set on a machine whose floor was REFERENCE_FLOOR_US; on a slower or
    # faster one the same code takes proportionally longer or shorter, so each ms verdict is
    # also given against the target scaled by this run's floor.
    speed = floor.cpu_per_request_us() / REFERENCE_FLOOR_US if floor else float("nan")
    if floor:
        lines.append(
            f"- this machine runs the floor {speed:.2f}× as long as the machine the ms targets"
            f" were set on ({floor.cpu_per_request_us():.0f} against {REFERENCE_FLOOR_US} µs);"
            " each ms verdict is followed by the same target scaled by that factor"
        )

    def of_floor(ms: float, limit: float = 2.0) -> str:
        if not floor:
            return ""
        scaled = limit * speed
        verdict = "met" if ms <= scaled else "NOT met"
        return f", {ms / floor_p50:.1f}× the floor; scaled target ≤ {scaled:.2f} ms ({verdict})"

    for ref in references:
        db = ref.database
        bot_slack = next(
            (r for r in rows if r.server == "Samverkansboten" and r.path.startswith("Slack")
             and r.database == db),
            None,
        )  # fmt: skip
        bot_teams = [r for r in rows if r.server.startswith("Samverk")
                     and r.path.startswith("Teams") and r.database == db]  # fmt: skip
        anchor = find("Bolt pbr", "slash", db)
        if not (bot_slack and bot_teams and anchor and stock):
            continue
        lines += [
            f"- {db}, Slack CPU per request ≤ 1.5× Bolt pbr + Core: "
            + _ratio(bot_slack.cpu_per_request_us(), anchor.cpu_per_request_us(), 1.5),
            f"- {db}, Slack p50 at 1 concurrent ≤ 2 ms: "
            + _within(bot_slack.phases[0].percentile(0.5), 2.0, "ms")
            + of_floor(bot_slack.phases[0].percentile(0.5)),
        ]
        oauth = find("Samverk", OAUTH_PATH, db)
        if oauth:
            lines.append(
                f"- {db}, Slack with 2 workspaces (OAuth), CPU per request ≤ 1.15× the"
                " single-token row: "
                + _ratio(oauth.cpu_per_request_us(), bot_slack.cpu_per_request_us(), 1.15)
                + f" ({oauth.cpu_per_request_us():.0f} / {bot_slack.cpu_per_request_us():.0f} µs)"
            )
        lines += teams_validated.verdicts(stock, bot_teams, db, speed)
        for teams in bot_teams:
            lines.append(
                f"- {db}, {teams.path}, connections per 1,000 replies ≤ 5: "
                + _within(teams.connections_per_1000 or 0.0, 5.0, "")
            )
        bot_rss = max(row.loaded_rss for row in [bot_slack, *bot_teams])
        anchor_rss = max(anchor.loaded_rss, stock.loaded_rss)
        lines += [
            f"- {db}, loaded RSS ≤ 1.2× the memory reference: "
            + _ratio(bot_rss, ref.loaded_rss, 1.2)
            + f" ({bot_rss:.0f} / {ref.loaded_rss:.0f} MiB; against the anchor process"
            f" without the bot's libraries {bot_rss / anchor_rss:.2f}×)",
            f"- {db}, cold start ≤ 1.5 s: "
            + _within(bot_slack.cold_start, 1.5, "s")
            + f", {bot_slack.cold_start / anchor.cold_start:.1f}× Bolt pbr + Core's"
            + _scaled_seconds(bot_slack.cold_start, 1.5, speed),
        ]
    return lines


def spread_notes(rows: list[Row]) -> list[str]:
    """How far a row's repetitions lay apart, so a reader knows how much a ratio can move."""
    times = max((len(row.repetitions) for row in rows), default=0)
    if times < 2:
        return [f"Each row was measured {times or 1} time (no median, no spread)."]
    lines = [
        f"Each row was measured {times} times after one warm-up; it shows the repetition with"
        " the median CPU per request. CPU µs per request of each repetition:",
        "",
    ]
    for row in rows:
        lines.append(
            f"- {row.server}, {row.path}, {row.database}: "
            + repeat.spread(row.repetitions).describe()
        )
    return lines


def table(rows: list[Row], references: list[Reference], notes: list[str], quick: bool) -> str:
    cores = "server on core 0, load on core 1" if (os.cpu_count() or 1) >= 2 else "one core"
    lines = [
        f"# Speed benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        f" ({'quick' if quick else 'default'} run; {cores}; {os.cpu_count()} CPUs)",
        "",
        *[f"- {note}" for note in notes],
        "",
        "| server | path | db | CPU µs/req | p50 @1 ms | p99 @1 | p50 @10 | p99 @10 "
        "| p50 @50 | p99 @50 | req/s @1 | req/s @10 | req/s @50 | reply at connector p50 @1 "
        "/ @10 ms | conns per 1,000 replies | RSS idle / loaded MiB | cold start s "
        "| load before → after |",
        "|" + "---|" * 18,
    ]
    for row in rows:
        p1, p10, p50 = row.phases
        connector = (
            f"{p1.percentile(0.5, p1.to_connector):.2f} / "
            f"{p10.percentile(0.5, p10.to_connector):.2f}"
            if p1.to_connector
            else "–"
        )
        connections = (
            f"{row.connections_per_1000:.1f}" if row.connections_per_1000 is not None else "–"
        )
        failures = sum(p.failures for p in row.phases)
        lines.append(
            f"| {row.server} | {row.path}{f' ({failures} failed)' if failures else ''} "
            f"| {row.database} | {row.cpu_per_request_us():.0f} "
            f"| {p1.percentile(0.5):.2f} | {p1.percentile(0.99):.2f} "
            f"| {p10.percentile(0.5):.2f} | {p10.percentile(0.99):.2f} "
            f"| {p50.percentile(0.5):.2f} | {p50.percentile(0.99):.2f} "
            f"| {p1.throughput:.0f} | {p10.throughput:.0f} | {p50.throughput:.0f} "
            f"| {connector} | {connections} "
            f"| {row.idle_rss:.0f} / {row.loaded_rss:.0f} | {row.cold_start:.2f} "
            f"| {row.load[0]:.2f} → {row.load[1]:.2f} |"
        )
    lines += [
        "",
        *spread_notes(rows),
        "",
        *memory_table(references),
        "",
        *verdicts(rows, references),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="about a minute, smaller data")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    parser.add_argument(
        "--repeat", type=int, help="repetitions per row, the median shown (3; --quick: 1)"
    )
    args = parser.parse_args(argv)
    times = args.repeat or (1 if args.quick else 3)
    if (os.cpu_count() or 1) >= 2:
        os.sched_setaffinity(0, {1})
    load_before = os.getloadavg()[0]
    rows, references, notes = asyncio.run(run(args.quick, args.sqlite_only, times))
    notes.append(
        f"load average (1 min) before / after: {load_before:.2f} / {os.getloadavg()[0]:.2f}"
        " (above ~0.5, other processes shared these cores and the figures are noisy; each"
        " row's own is in its last column)"
    )
    report = table(rows, references, notes, args.quick)
    print(report)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
