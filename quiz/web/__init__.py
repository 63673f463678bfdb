"""`quiz serve`: the app in the browser, through textual-serve.

Each browser tab gets its own app process (`python -m quiz --served`) on the one shared
database; the database URL reaches those processes in their environment, never on a
command line (where `ps` and the server's log would show its password). The page is
textual-serve's own, with its web font served from here, so it works with no internet.
"""

import ipaddress
import logging
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

from quiz.errors import QuizError

TEMPLATES = Path(__file__).parent / "templates"
SERVED_FLAG = "--served"


def app_command() -> str:
    """The shell command each tab runs: this interpreter, so the served app is this quiz
    (`exec`: the shell textual-serve starts becomes the app, not one more process)."""
    return f"exec {shlex.quote(sys.executable)} -m quiz {SERVED_FLAG}"


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable from this machine only (a name is resolved)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except OSError:
        return False
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)


def where(host: str, port: int) -> str:
    """What `quiz serve` says about where it listens."""
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}"
    if is_loopback(host):
        return (
            f"serving quiz on {url} (this machine only; pass --host 0.0.0.0 to let other "
            "machines in); Ctrl+C stops it"
        )
    return (
        f"serving quiz on {url}, open to every machine that can reach this one: anyone "
        "there can choose any student's profile (teachers' profiles need their PIN), and "
        "the connection is not encrypted; serve only on a network you trust. Ctrl+C stops it"
    )


def serve(host: str, port: int, title: str = "quiz") -> None:
    """Serve the app until Ctrl+C. The database must be given in QUIZ_DATABASE_URL."""
    try:
        from textual_serve.server import Server
    except ImportError:
        raise QuizError(
            "quiz serve needs textual-serve; install it with: pip install 'quiz[serve]'"
        ) from None
    from aiohttp import web

    class QuizServer(Server):
        """textual-serve, with our page, our start-up sentence and plain log lines."""

        def initialize_logging(self) -> None:
            # No rich tracebacks with local variables: a tab's environment holds the URL.
            logging.basicConfig(level=logging.INFO, format="%(message)s")

        async def on_startup(self, app: web.Application) -> None:
            print(where(host, port), flush=True)

        async def handle_index(self, request: web.Request) -> web.Response:
            """The page, with URLs made from the address the browser used (a server bound
            to 0.0.0.0 is reached at this machine's own name or address)."""
            import aiohttp_jinja2

            scheme = "wss" if request.secure else "ws"
            context: dict[str, Any] = {
                "font_size": _font_size(request.query.get("fontsize", "16")),
                "app_websocket_url": f"{scheme}://{request.host}/ws",
                "config": {"static": {"url": "/static/"}},
                "application": {"name": title},
            }
            return aiohttp_jinja2.render_template("app_index.html", request, context)

    server = QuizServer(app_command(), host=host, port=port, title=title)
    server.templates_path = TEMPLATES
    try:
        server.serve()
    except OSError as error:
        raise QuizError(
            f"cannot listen on {host}:{port} ({error.strerror or error}); choose another "
            "--port, or stop what is using it"
        ) from None


def _font_size(value: str) -> int:
    try:
        return min(max(int(value), 8), 48)
    except ValueError:
        return 16
