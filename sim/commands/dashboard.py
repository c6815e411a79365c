"""Serve the trainer's dashboard in the browser: pick a scenario, move policy sliders, play, compare.

Listens on 127.0.0.1 (this computer only) unless --host says otherwise; works without internet.
It first prepares the model (the first time after an install or update it compiles it: about half a minute), then
prints its address once the server answers. Open that address in a browser; press Ctrl-C to stop.
"""

from __future__ import annotations

import argparse
import sys

from sim.dashboard.server import UVICORN_STARTUP_FAILURE, address_free, check_address, check_installed, serve

NAME = "dashboard"
HELP = "serve the interactive dashboard in the browser"
ORDER = 40


def port(text: str) -> int:
    """--port as parsed: text that is no whole number is a usage error saying what is expected (the range is checked
    with the address)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number from 1 to 65535 (got {text!r})") from None


def configure(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this computer only; 0.0.0.0 opens it to the network)")
    parser.add_argument("--port", type=port, default=8765, help="port (default 8765)")


def execute(args) -> int:
    loopback = check_address(args.host, args.port)
    check_installed()
    if not loopback:
        print(f"warning: the dashboard has no authentication: anyone who can reach {args.host}:{args.port} can use it "
              "(--host 127.0.0.1 keeps it to this computer)", file=sys.stderr, flush=True)
    from sim.dashboard.session import warm_up  # the model and numba: not for every `sim` command's start

    print("preparing the model (the first time after an install or update it compiles, about 30 s) ...", flush=True)
    warm_up()
    status = serve(args.host, args.port, ready=lambda: print(
        f"dashboard at http://{args.host}:{args.port}/  (what-if page: /compare); Ctrl-C to stop", flush=True))
    if status:
        taken = status == UVICORN_STARTUP_FAILURE and not address_free(args.host, args.port)
        reason = (f"{args.host}:{args.port} was taken by another server while this one started (e.g. a second "
                  f"sim dashboard); use another port, e.g. --port {args.port % 65535 + 1}") if taken else \
            f"the dashboard server stopped with exit status {status} (see its message above)"
        print(f"error: {reason}", file=sys.stderr)
        return 2
    print("dashboard stopped")
    return 0
