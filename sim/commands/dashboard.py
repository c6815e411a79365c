"""Serve the trainer's dashboard in the browser: pick a scenario, move policy sliders, play, compare.

Listens on 127.0.0.1 (this computer only) unless --host says otherwise; works without internet.
Open the printed address in a browser; press Ctrl-C to stop.
"""

from __future__ import annotations

from sim.dashboard.server import serve
from sim.errors import InputError

NAME = "dashboard"
HELP = "serve the interactive dashboard in the browser"
ORDER = 40


def configure(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this computer only; 0.0.0.0 opens it to the network)")
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765)")


def execute(args) -> int:
    if not 1 <= args.port <= 65535:
        raise InputError(f"port must be between 1 and 65535 (got {args.port})", file="--port", expected="1-65535")
    print(f"dashboard at http://{args.host}:{args.port}/  (what-if page: /compare); Ctrl-C to stop", flush=True)
    status = serve(args.host, args.port)
    print("dashboard stopped")
    return status
