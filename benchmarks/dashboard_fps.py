"""Updates per second of the dashboard at the default scenario size (baseline: 5,000 community, 400 released).

Two figures:

- **server**: what the server does per frame while playing, one model week plus the two pictures
  (network recoloured, curves redrawn), timed in this process;
- **browser**: what the room sees. `sim dashboard` is started, Debian's chromium (Playwright) opens it and
  presses Play, and a MutationObserver in the page records every change of the week shown. The rate is
  the number of distinct weeks shown per second over ``--seconds``, transport and drawing included;
  then it presses Pause and reports how long the page took to show it, how many weeks came after it (the one under
  way can) and whether the week then held still.

    .venv/bin/python benchmarks/dashboard_fps.py [--weeks 60] [--seconds 8] [--preset baseline]

The browser part needs the dashboard extra, playwright and ``apt-get install chromium``; without them it
says so and prints the server figure only. Target: 5 updates a second.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

from sim.browser import headless, missing
from sim.dashboard.drawing import CurvesPicture, NetworkPicture
from sim.dashboard.server import DashboardNotStartedError, in_background
from sim.dashboard.session import Setup, TrainerModel
from sim.dashboard.watch import PAUSE, RECORD_WEEKS

TARGET = 5.0


def server_side(preset: str, weeks: int) -> None:
    start = time.perf_counter()
    model = TrainerModel(Setup(preset))
    built = time.perf_counter() - start
    start = time.perf_counter()
    network, curves = NetworkPicture(model), CurvesPicture([(preset, model, "#0072b2")])
    first = time.perf_counter() - start

    step = draw = 0.0
    for _ in range(weeks):
        t0 = time.perf_counter()
        model.step()
        t1 = time.perf_counter()
        network.update()
        curves.update()
        t2 = time.perf_counter()
        step, draw = step + t1 - t0, draw + t2 - t1
    per_update = (step + draw) / weeks
    print(f"{preset}: {model.settings.population.community} community, {model.settings.population.released} released")
    print(f"build {built:.1f} s; network sample, layout and first pictures {first:.1f} s")
    print(f"server, per update: model week {1000 * step / weeks:.0f} ms + pictures {1000 * draw / weeks:.0f} ms "
          f"= {1000 * per_update:.0f} ms -> {1 / per_update:.1f} updates/s")


def browser_side(seconds: float) -> None:
    why = missing()
    if why is not None:
        print(f"browser: skipped, {why}")
        return
    with tempfile.TemporaryFile("w+") as log:
        try:
            with in_background(log) as url, headless() as browser:
                page = browser.new_page(viewport={"width": 1500, "height": 1000})
                page.goto(url + "/")
                page.wait_for_selector(".sim-network img", timeout=120_000)
                page.evaluate(RECORD_WEEKS)
                page.get_by_role("button", name="▶").click()
                time.sleep(seconds)
                shown = page.evaluate("window.simWeeks")
                clicked = time.monotonic()
                page.evaluate(PAUSE)
                page.get_by_role("button", name="▶").wait_for(timeout=30_000)  # the page shows it has paused
                answered = time.monotonic() - clicked
                at_pause = week_shown(page)
                time.sleep(1.5)  # the week under way when Pause was pressed may still arrive (Mesa finishes its step)
                held = week_shown(page)
                time.sleep(1.5)
                still = week_shown(page) == held
        except DashboardNotStartedError as error:
            log.seek(0)
            sys.exit(f"browser: {error}:\n{log.read()[-2000:]}")
    if os.environ.get("DASHBOARD_FPS_TRACE"):
        print(shown)
    times = [when / 1000 for when, _ in shown]
    gaps = sorted(b - a for a, b in zip(times, times[1:], strict=False))
    rate = len(shown) / seconds
    longest = f", longest gap {1000 * gaps[-1]:.0f} ms, median gap {1000 * gaps[len(gaps) // 2]:.0f} ms" if gaps else ""
    print(f"browser, while playing: {len(shown)} distinct weeks shown in {seconds:.0f} s -> {rate:.1f} updates/s"
          f"{longest} (target {TARGET:.0f}: {'met' if rate >= TARGET else 'NOT met'})")
    late = number(held) - number(at_pause)
    print(f"browser, Pause: answered in {1000 * answered:.0f} ms; {late} week{'s' * (late != 1)} came after it; "
          f"{'then the week shown held for 1.5 s' if still else 'the week shown kept changing after Pause'}")


def week_shown(page) -> str:
    return page.evaluate("document.querySelector('.sim-network .sim-week').textContent")


def number(week: str) -> int:
    return int(week.split()[1])  # "Week 12"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=60, help="weeks timed on the server side")
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds of play watched in the browser")
    parser.add_argument("--preset", default="baseline", help="preset for the server-side figure")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    server_side(args.preset, args.weeks)
    browser_side(args.seconds)


if __name__ == "__main__":
    main()
