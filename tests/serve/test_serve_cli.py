"""`backprop-tutor serve` from the command line: errors are one line, the page is the tutor's."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from backprop_tutor.commands.serve import TITLE, page_address, public_urls

from .served import free_port, serving

if TYPE_CHECKING:
    from conftest import RunProcess


def page(url: str) -> str:
    """The HTML the server sends a browser (to 127.0.0.1 only)."""
    with urllib.request.urlopen(url, timeout=30) as response:
        text: str = response.read().decode("utf-8")
        return text


def test_the_page_names_the_tutor_and_its_own_address(tmp_path: Path) -> None:
    """The splash shows the tutor's title, not a command line; the websocket is ours."""
    with serving(tmp_path) as served:
        html = page(served.url)
        font = served.url + "static/fonts/RobotoMono-VariableFont_wght.ttf"
        with urllib.request.urlopen(font, timeout=30) as response:
            assert response.status == 200
    assert "googleapis" not in html  # the page asks no other server for anything
    assert f'src: url("{font}")' in html
    assert f"<div>{TITLE}</div>" in html
    assert "--session" not in html and "python" not in html
    port = served.url.rsplit(":", 1)[1].strip("/")
    assert f'data-session-websocket-url="ws://127.0.0.1:{port}/ws"' in html
    assert served.printed == [
        f"Progress: one folder per learner in {tmp_path.resolve() / 'learners'}",
        f"Serving the tutor: open http://127.0.0.1:{port} in a browser",
    ]


def test_every_address_warns_and_keeps_0000_out_of_the_page(tmp_path: Path) -> None:
    """--host 0.0.0.0: one warning line; the page points the browser back where it came from."""
    with serving(tmp_path, host="0.0.0.0") as served:
        html = page(served.url)
    stderr = served.errors.text()
    assert "0.0.0.0" not in html
    port = served.url.rsplit(":", 1)[1].strip("/")
    assert f"ws://127.0.0.1:{port}/ws" in html
    assert f"open http://{socket.gethostname()}:{port} in a browser" in served.printed[-1]
    warnings = [line for line in stderr.splitlines() if "warning" in line]
    assert warnings == [
        f"backprop-tutor: warning: serving on 0.0.0.0: anyone who can reach port {port}"
        " can use the tutor, under any learner's name"
    ]
    assert served.process.returncode == 0


def test_public_urls_never_give_the_any_address() -> None:
    """The URLs printed for 0.0.0.0 and :: are this machine's name and its loopback."""
    for host in ("0.0.0.0", "::"):
        urls = public_urls(host, 8123)
        assert urls == [f"http://{socket.gethostname()}:8123", "http://127.0.0.1:8123"]
    assert public_urls("::1", 8123) == ["http://[::1]:8123"]


@pytest.mark.parametrize(
    ("requested", "address"),
    [
        ("127.0.0.1:8123", "http://127.0.0.1:8123"),
        ("class-room.local:8123", "http://class-room.local:8123"),
        ("[::1]:8123", "http://[::1]:8123"),
        ('x"><script>alert(1)</script>', "http://127.0.0.1:8123"),
        ("", "http://127.0.0.1:8123"),
    ],
)
def test_the_page_address_is_the_browsers_if_well_formed(requested: str, address: str) -> None:
    """The page connects back where the browser came from; a malformed Host is not copied."""
    assert page_address("http", requested, "0.0.0.0", 8123) == address


def test_a_port_in_use_is_one_line(run_process: RunProcess, tmp_path: Path) -> None:
    """A port another program listens on: one line and exit code 2."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = run_process("serve", "--port", str(port), "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr == (
        f"backprop-tutor: cannot serve on 127.0.0.1 port {port}: the port is in use"
        " (pick another with --port)\n"
    )
    assert "Serving" not in result.stdout


@pytest.mark.parametrize(
    ("host", "said"),
    [
        # 192.0.2.1 is a documentation address: never this machine's, and nothing is sent.
        ("192.0.2.1", "cannot serve on 192.0.2.1 port {port}: that address is not one of"),
        ("not a host", "--host 'not a host': not an address or a host name"),
        ("a/../b", "--host 'a/../b': not an address or a host name"),
    ],
)
def test_a_bad_host_is_one_line(
    run_process: RunProcess, tmp_path: Path, host: str, said: str
) -> None:
    """An address that is not this machine's, or no host at all: one line, exit code 2."""
    port = free_port()
    result = run_process("serve", "--host", host, "--port", str(port), "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert said.format(port=port) in result.stderr


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--port", "70000"], "--port 70000: a port is a number from 1 to 65535"),
        (["--lessons-dir", "no-such-folder"], "--lessons-dir no-such-folder: no such folder"),
    ],
)
def test_bad_options_are_one_line(
    run_process: RunProcess, tmp_path: Path, options: list[str], said: str
) -> None:
    """A port out of range or a missing lessons folder: one line, exit code 2."""
    result = run_process("serve", *options, "--data-dir", str(tmp_path))
    assert (result.returncode, result.stderr) == (2, f"backprop-tutor: {said}\n")


def test_a_data_folder_that_cannot_be_written_is_one_line(
    run_process: RunProcess, tmp_path: Path
) -> None:
    """A data folder where learners' folders cannot be made: one line naming it."""
    (tmp_path / "learners").write_text("in the way")
    result = run_process("serve", "--port", str(free_port()), "--data-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith(f"backprop-tutor: --data-dir {tmp_path}: cannot be written")
