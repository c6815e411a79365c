"""Updates per second the dashboard can sustain at the default scenario size (baseline: 5,000 / 400).

One update is what the server does per frame while playing: one model week, the curve data, and the
two pictures (network recoloured, curves redrawn) encoded as PNG. Browser transport is not included;
tests/test_dashboard_browser.py measures play in a real browser.

    .venv/bin/python benchmarks/dashboard_fps.py [--weeks 60] [--preset baseline]
"""

from __future__ import annotations

import argparse
import time

from sim.dashboard.drawing import CurvesPicture, NetworkPicture
from sim.dashboard.session import Setup, TrainerModel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=60)
    parser.add_argument("--preset", default="baseline")
    args = parser.parse_args()

    start = time.perf_counter()
    model = TrainerModel(Setup(args.preset))
    built = time.perf_counter() - start
    start = time.perf_counter()
    network, curves = NetworkPicture(model), CurvesPicture([(args.preset, model, "#0072b2")])
    first = time.perf_counter() - start

    step = draw = 0.0
    for _ in range(args.weeks):
        t0 = time.perf_counter()
        model.step()
        t1 = time.perf_counter()
        network.update()
        curves.update()
        t2 = time.perf_counter()
        step, draw = step + t1 - t0, draw + t2 - t1
    per_update = (step + draw) / args.weeks
    print(f"{args.preset}: {model.settings.population.community} community, {model.settings.population.released} released")
    print(f"build {built:.1f} s; network sample, layout and first pictures {first:.1f} s")
    print(f"per update: model week {1000 * step / args.weeks:.0f} ms + pictures {1000 * draw / args.weeks:.0f} ms "
          f"= {1000 * per_update:.0f} ms -> {1 / per_update:.1f} updates/s (target 5)")


if __name__ == "__main__":
    main()
