"""Start the dashboard's Solara server as a child process, offline and without telemetry.

Solara serves its front-end from ``/_solara/cdn``, read from the files the ``solara-assets`` package
installs; the CDN it would fall back to is pointed at a closed local port, so a missing file fails
on the spot instead of reaching the internet. Ctrl-C stops the child and waits for it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from sim.errors import InputError

APP = "sim.dashboard.app"
OFFLINE_ENV = {
    "SOLARA_ASSETS_PROXY": "True",  # the browser fetches every asset from this server
    "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/",  # the server's own fallback: a closed local port, never the internet
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_THEME_SHOW_BANNER": "False",
    "MPLBACKEND": "Agg",
    # Solara warns at every page load that a cookie cannot be SameSite=None over plain http, which is
    # what a dashboard on this computer is (it falls back to SameSite=Lax, which is right here). A
    # "once" filter does not hold: libraries reset Python's warning registry between requests.
    "PYTHONWARNINGS": "ignore:Cookies with samesite=none require https",
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


def environment() -> dict[str, str]:
    return {**os.environ, **OFFLINE_ENV}


def command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "solara", "run", APP, "--host", host, "--port", str(port), "--production",
            "--no-open", "--no-check-version", "--log-level", "warning"]


def _stop(signum, frame):
    """SIGTERM (a service manager, a test) stops the server like Ctrl-C does."""
    raise KeyboardInterrupt


def serve(host: str, port: int) -> int:
    """Run the server until it exits or is stopped (Ctrl-C, SIGTERM); its exit status, 0 when stopped."""
    check_installed()
    child = subprocess.Popen(command(host, port), env=environment())
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
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if child.poll() is not None or time.monotonic() > deadline:
                    raise DashboardNotStartedError(f"the dashboard did not start (exit status {child.poll()})") from None
                time.sleep(0.5)
        yield url
    finally:
        child.terminate()
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
