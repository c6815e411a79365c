"""Start the dashboard's Solara server as a child process, offline and without telemetry.

Solara serves its front-end from ``/_solara/cdn``, read from the files the ``solara-assets`` package
installs; the CDN it would fall back to is pointed at a closed local port, so a missing file fails
on the spot instead of reaching the internet. Ctrl-C stops the child and waits for it.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

from sim.errors import InputError

APP = "sim.dashboard.app"
# How long a session lives on after its page stopped answering without closing (a crashed browser, a lost network):
# Solara keeps it, and its model, for 24 hours by default, waiting for a reconnect. A page in a background tab or
# paused keeps its connection and is never ended; one back within this time carries on where it was.
SESSION_GONE_AFTER = "5m"
OFFLINE_ENV = {
    "SOLARA_ASSETS_PROXY": "True",  # the browser fetches every asset from this server
    "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/",  # the server's own fallback: a closed local port, never the internet
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_THEME_SHOW_BANNER": "False",
    # the tab's title while the page loads (each page then names itself, ``solara.Title``): Solara's own is
    # "Solara ☀️", which a projector showed for the half minute a busy machine takes to draw the first page
    "SOLARA_THEME_TITLE": "Reintegration dashboard",
    "MPLBACKEND": "Agg",
    # Solara warns at every page load that a cookie cannot be SameSite=None over plain http, which is
    # what a dashboard on this computer is (it falls back to SameSite=Lax, which is right here). A
    # "once" filter does not hold: libraries reset Python's warning registry between requests.
    "PYTHONWARNINGS": "ignore:Cookies with samesite=none require https",
    "SOLARA_KERNEL_CULL_TIMEOUT": SESSION_GONE_AFTER,
}


def check_installed() -> None:
    """The dashboard is an optional extra; say how to install it rather than fail on an import."""
    missing = []
    for module in ("solara", "solara_assets", "ipyvuetify", "altair"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise InputError(
            f"the dashboard needs {', '.join(missing)}: pip install 'reintegration-sim[dashboard]'",
            file="sim dashboard", expected="the dashboard extra installed",
        )


def check_address(host: str, port: int) -> bool:
    """Refuse a port out of range, a host that does not resolve and an address already in use; True if loopback only.

    The server is a child process that would report these only after its "listening" line, with exit
    status 3 and uvicorn's own words, so they are tried here first, with a socket bound the way
    uvicorn binds (SO_REUSEADDR) and closed at once.
    """
    if not 1 <= port <= 65535:
        raise InputError(f"port must be between 1 and 65535 (got {port})", file="--port", expected="1-65535")
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise InputError(f"cannot resolve host '{host}' ({error})", file="--host",
                         expected="an address of this computer, e.g. 127.0.0.1 (this computer only) or 0.0.0.0") from None
    family, _, _, _, address = addresses[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRNOTAVAIL:  # the host is not one of this computer's addresses
                raise InputError(f"{host} is not an address of this computer ({error.strerror})", file="--host",
                                 expected="an address of this computer, e.g. 127.0.0.1 (this computer only) or "
                                          "0.0.0.0") from None
            reason = "is already in use" if error.errno == errno.EADDRINUSE else f"cannot be used ({error.strerror})"
            raise InputError(f"{host}:{port} {reason}", file="--port",
                             expected="a free port (e.g. --port 8766) on an address of this computer") from None
    return all(ipaddress.ip_address(a[4][0].split("%")[0]).is_loopback for a in addresses)


UVICORN_STARTUP_FAILURE = 3  # the server's exit status when it cannot start, e.g. its address was taken meanwhile


def address_free(host: str, port: int) -> bool:
    """Whether ``check_address`` would pass now: a second server can take the port in the seconds this one starts."""
    try:
        check_address(host, port)
    except InputError:
        return False
    return True


def environment() -> dict[str, str]:
    return {**os.environ, **OFFLINE_ENV}


def command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "solara", "run", APP, "--host", host, "--port", str(port), "--production",
            "--no-open", "--no-check-version", "--log-level", "warning"]


def _stop(signum, frame):
    """SIGTERM (a service manager, a test) stops the server like Ctrl-C does."""
    raise KeyboardInterrupt


def answers(url: str) -> bool:
    """Whether a server answers at ``url`` now."""
    try:
        urllib.request.urlopen(url, timeout=2).close()
    except OSError:
        return False
    return True


def reachable_url(host: str, port: int) -> str:
    """Where this computer reaches a server listening on ``host``: an address that listens on every interface
    (0.0.0.0, ::) is reached on the loopback."""
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1" if host != "::" else "::1"
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def when_answering(child: subprocess.Popen, url: str, ready: Callable[[], None]) -> None:
    """Call ``ready`` (in a thread of its own) once the server answers at ``url``; never if the child exits first."""
    def wait() -> None:
        while child.poll() is None:
            if answers(url):
                ready()
                return
            time.sleep(0.3)

    threading.Thread(target=wait, daemon=True).start()


def serve(host: str, port: int, ready: Callable[[], None] | None = None) -> int:
    """Run the server until it exits or is stopped (Ctrl-C, SIGTERM); its exit status, 0 when stopped. ``ready`` is
    called once the server answers: `sim dashboard` gives its address then (given at the start, it was refused for the
    seconds the server takes to start, 'This site can't be reached' to a trainer who opened it at once)."""
    check_installed()
    child = subprocess.Popen(command(host, port), env=environment())
    if ready is not None:
        when_answering(child, reachable_url(host, port), ready)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.terminate()  # uvicorn shuts down on SIGTERM as on SIGINT (which Ctrl-C already sent it)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


class DashboardNotStartedError(RuntimeError):
    """The dashboard in the background exited or did not answer in time."""


@contextmanager
def in_background(log: IO[str], timeout: float = 120) -> Iterator[str]:
    """`sim dashboard` on a free local port, output to ``log``; yields its URL once it answers, stops it after.

    For the browser tests and the speed benchmark, which drive a real server from outside.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    child = subprocess.Popen([sys.executable, "-m", "sim", "dashboard", "--port", str(port)], stdout=log,
                             stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while not answers(url):
            if child.poll() is not None or time.monotonic() > deadline:
                raise DashboardNotStartedError(f"the dashboard did not start (exit status {child.poll()})")
            time.sleep(0.5)
        yield url
    finally:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
