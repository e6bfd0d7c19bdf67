"""Opening the server's port, and saying in one line why it could not be opened.

A taken port used to end `samverkan serve` in a raw OSError traceback. The operator needs to
know which address failed and how to choose another (`--port`, SAMVERKAN_PORT,
`make run PORT=…`); that is all this module says, in the operator's language.
"""

from __future__ import annotations

import errno
import socket

from aiohttp import web

from bot.common.i18n import Translator

# Why a bind fails, by errno, and the message that explains it.
REASONS = {
    errno.EADDRINUSE: "serve.port_in_use",
    errno.EACCES: "serve.port_forbidden",
    errno.EADDRNOTAVAIL: "serve.host_unavailable",
}


class CannotListen(Exception):
    """The server could not open its port; the message is the one line the operator sees."""


def _explained(error: OSError, host: str, port: int, t: Translator) -> CannotListen:
    if isinstance(error, socket.gaierror):
        return CannotListen(t("serve.host_unknown", host=host))
    key = REASONS.get(error.errno or 0, "serve.cannot_listen")
    other = port + 1 if 0 < port < 65535 else 3979  # an example in the advice
    return CannotListen(t(key, host=host, port=port, other=other, error=error.strerror or error))


def check_can_listen(host: str, port: int, t: Translator) -> None:
    """Bind and release every address `host` resolves to, as the server will, before anything
    else starts: a taken port is then the only thing the operator reads, not the last."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        for family, kind, protocol, _name, address in found:
            with socket.socket(family, kind, protocol) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as asyncio does
                if family == socket.AF_INET6:
                    probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                probe.bind(address)
    except OSError as error:
        raise _explained(error, host, port, t) from None


async def listen(runner: web.AppRunner, host: str, port: int, t: Translator) -> int:
    """Start listening on host:port; the port actually bound (port 0 lets the OS choose).

    The port can still be taken between the check and here; the answer is the same line."""
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as error:
        raise _explained(error, host, port, t) from None
    bound: int = runner.addresses[0][1]
    return bound
