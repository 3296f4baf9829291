"""`backprop-tutor serve`: the tutor in a browser, one app process per browser session.

textual-serve runs a web server whose page opens a websocket; each websocket gets a
fresh app process (`backprop-tutor serve --session ...`, the hidden half of this
command), which asks the learner's name before anything else. Two things textual-serve
would get wrong for a classroom are set here: the page's splash names the tutor, not
the command line, and the websocket address written into the page is the one the
browser used to reach it (textual-serve builds it from --host, so `0.0.0.0` would end up
in every student's page).
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import re
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

from ..study.learners import learners_root
from ..study.progress import data_dir
from . import CommandError
from .tutor import extra_lessons, run_app

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TITLE = "backprop-tutor: backpropagation, one node at a time"
# A host name as DNS spells one: dot-separated labels of letters, digits and hyphens.
_HOST_NAME = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?")
_ANY_ADDRESS = ("0.0.0.0", "::")
# A Host header as a browser sends one: a name or an address, and perhaps a port.
_REQUESTED_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")
# The page asks a web-font service for its font; a classroom may be offline, and students'
# browsers should ask nothing of anyone but this server: the same font, from the package.
_FONT_LINK = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>")
_LOCAL_FONT = (
    '<style>@font-face {{ font-family: "Roboto Mono";'
    ' src: url("{static}fonts/RobotoMono-VariableFont_wght.ttf"); }}</style>'
)


def add_parser(subparsers: Any) -> None:
    """Register `serve`."""
    parser = subparsers.add_parser(
        "serve",
        help="serve the tutor to browsers (a classroom): each session asks the learner's name",
        description="Serve the tutor as a web page. Every browser that opens it gets its own"
        " tutor, which asks who is learning and keeps that learner's progress in a folder of"
        " its own under the data folder.",
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"the address to listen on (default: {DEFAULT_HOST}, this machine only;"
        " 0.0.0.0 for every network this machine is on)",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"the port (default: {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--lessons-dir", metavar="DIR", type=Path, help="a folder of lessons of your own"
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where the learners' folders are made (default: $BACKPROP_TUTOR_HOME, else the"
        " user data folder)",
    )
    # The per-browser app process that the server starts; not for typing by hand.
    parser.add_argument("--session", action="store_true", help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    """Serve the tutor until interrupted, or run one browser session's app (--session)."""
    data = data_dir(args.data_dir).resolve()
    lessons_dir = _checked_lessons_dir(args.lessons_dir)
    if args.session:
        return _run_session(data, lessons_dir)
    host = _checked_host(args.host)
    if not 0 < args.port < 65536:
        raise CommandError(f"--port {args.port}: a port is a number from 1 to 65535")
    _check_writable(data)
    command = [sys.executable, "-m", "backprop_tutor", "serve", "--session"]
    command += ["--data-dir", str(data)]
    if lessons_dir is not None:
        command += ["--lessons-dir", str(lessons_dir)]
    server = _make_server(shlex.join(command), host, args.port, data)
    try:
        server.serve()
    except OSError as error:
        raise CommandError(_bind_problem(error, host, args.port)) from None
    return 0


def _run_session(data: Path, lessons_dir: Path | None) -> int:
    """One browser session: the learner's name, then the tutor (textual-serve's driver)."""
    from ..tui.classroom import ClassroomApp  # Textual only for the app

    extra = extra_lessons(lessons_dir)
    return run_app(None, None, extra, fresh=False, first=ClassroomApp(data, extra))


def _checked_lessons_dir(path: Path | None) -> Path | None:
    """The --lessons-dir folder, absolute, or one line saying why it cannot be used."""
    if path is None:
        return None
    if not path.is_dir():
        what = "is not a folder" if path.exists() else "no such folder"
        raise CommandError(f"--lessons-dir {path}: {what}")
    return path.resolve()


def _checked_host(host: str) -> str:
    """The --host value if it is an address or a host name; nothing is looked up here."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if len(host) > 253 or not _HOST_NAME.fullmatch(host):
        raise CommandError(f"--host {host[:60]!r}: not an address or a host name")
    return host


def _is_local(host: str) -> bool:
    """True when only this machine can reach the host (a loopback address, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_writable(data: Path) -> None:
    """Make the learners' folder now, so a data folder that cannot be written is one line."""
    root = learners_root(data)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(f"--data-dir {data}: cannot be written ({error.strerror})") from None


def _bind_problem(error: OSError, host: str, port: int) -> str:
    """One line for an address the server could not listen on."""
    where = f"cannot serve on {host} port {port}"
    if error.errno == errno.EADDRINUSE:
        return f"{where}: the port is in use (pick another with --port)"
    if error.errno == errno.EACCES:
        return f"{where}: not allowed (ports below 1024 need privileges; try --port 8000)"
    if error.errno == errno.EADDRNOTAVAIL:
        return f"{where}: that address is not one of this machine's"
    if isinstance(error, socket.gaierror):
        return f"{where}: no such host"
    return f"{where}: {error.strerror or error}"


def public_urls(host: str, port: int) -> list[str]:
    """The addresses to give students: never 0.0.0.0, which no browser elsewhere can open."""
    if host in _ANY_ADDRESS:
        return [f"http://{socket.gethostname()}:{port}", f"http://127.0.0.1:{port}"]
    shown = f"[{host}]" if ":" in host else host
    return [f"http://{shown}:{port}"]


def page_address(scheme: str, requested: str, host: str, port: int) -> str:
    """The address the page connects back to: the one the browser asked for, if well formed.

    The page's template does not escape it, so a Host header of anything but an address
    (and a port) is not copied into the page: the server's own address is used instead.
    """
    if _REQUESTED_HOST.fullmatch(requested):
        return f"{scheme}://{requested}"
    return public_urls(host, port)[-1]


def _make_server(command: str, host: str, port: int, data: Path) -> Any:
    """textual-serve's server, with the tutor's title and the browser's own address."""
    from aiohttp import web
    from textual_serve.server import Server

    class TutorServer(Server):
        """textual-serve's Server, announcing itself only once it listens."""

        def serve(self, debug: bool = False) -> None:
            """Listen until interrupted; the URL is printed once the port is bound."""
            self.debug = debug
            self.initialize_logging()
            web.run_app(self._make_app(), host=self.host, port=self.port, print=self._listening)

        async def on_startup(self, app: web.Application) -> None:
            """Nothing: textual-serve would print its banner before the port is bound."""

        def _listening(self, _banner: str) -> None:
            if not _is_local(host):
                print(
                    f"backprop-tutor: warning: serving on {host}: anyone who can reach port"
                    f" {port} can use the tutor, under any learner's name",
                    file=sys.stderr,
                    flush=True,
                )
            urls = public_urls(host, port)
            print(f"Progress: one folder per learner in {learners_root(data)}", flush=True)
            print(f"Serving the tutor: open {urls[0]} in a browser", flush=True)
            for url in urls[1:]:
                print(f"  (on this machine: {url})", flush=True)
            print("Press ctrl+c to stop.", flush=True)

        async def handle_index(self, request: web.Request) -> web.Response:
            """The page, pointed back at the address the browser used, its font served here."""
            # No await happens between setting the address and the page reading it.
            self.public_url = page_address(request.scheme, request.host, host, port)
            response = await super().handle_index(request)
            assert isinstance(response, web.Response)  # a rendered template, never a stream
            local_font = _LOCAL_FONT.format(static=f"{self.public_url}/static/")
            response.text = _FONT_LINK.sub(local_font, response.text or "")
            return response

    return TutorServer(command, host=host, port=port, title=TITLE)
