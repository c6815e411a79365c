"""Regenerate the pictures in docs/img that the docs show and no command of `sim` writes: the dashboard's two pages
(dashboard.png, dashboard_compare.png) and a report of each kind (report_*.png) from its own first section (the
section every report opens with is the same in all), each at 1280x720 in headless chromium, as the browser tests see
them.

    make screenshots        (or: .venv/bin/python scripts/screenshots.py)

The dashboard is brought to the states its browser test checks (``sim.dashboard.drive``: the same functions); the
reports are of small but real result folders that `sim run`, `compare`, `sweep`, `sensitivity` and `calibrate` make
in a temporary folder. docs/img/validation_*.png are `sim patterns --write-docs`'s, and left alone.
The pictures are made first and then written, each beside its old one and renamed over it: a run that fails or is
stopped leaves docs/img as it was, and none is ever half-written. Without chromium, Playwright or the dashboard
extra, or outside a source checkout (no docs/img), it says so in one line and exits 2, writing nothing.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sim.data import BJS_2005, shipped

ROOT = Path(__file__).resolve().parents[1]
DOCS_IMG = ROOT / "docs" / "img"
VIEWPORT = {"width": 1280, "height": 720}
TAKES = "about a minute and a half"  # 1m25s measured on 2 cores (December 2026)

DASHBOARD = {"dashboard.png": "trainer_session", "dashboard_compare.png": "what_if_session"}
"""Each dashboard picture and the function of ``sim.dashboard.drive`` that brings its page to what it shows."""
SMALL = ["--set", "population.released=100"]
REPORTS = {
    "report_compare.png": ("compare-example", ["compare", "baseline", "attack_backlash", "ngo_surge", "--replicates", "3",
                                               *SMALL]),
    "report_run.png": ("run-example", ["run", "baseline", "attack_backlash", "--replicates", "3", *SMALL]),
    "report_sweep.png": ("sweep-example", ["sweep", "stigma_supervision_ngo", "--replicates", "2", "--set",
                                           "population.community=1000", "--workers", "1"]),
    "report_sensitivity.png": ("sensitivity-example", ["sensitivity", "cooperation_levers_sobol", "--samples", "8",
                                                       "--set", "population.community=1000", "--workers", "1"]),
    "report_calibration.png": ("calibration-example", [
        "calibrate", "general_offenders", "--target", str(shipped(BJS_2005)), "--match", "arrest=reoffended",
        "--params", "offending.general.base_hazard=0.01:0.03", "--set", "population.community=1000", "--set",
        "population.released=200", "--budget", "30", "--replicates", "2", "--check-replicates", "3", "--scan-points",
        "3", "--workers", "1"]),
}
"""Each report picture: the result folder's name (the report shows it) and the `sim` command that makes it there."""
PICTURES = [*DASHBOARD, *REPORTS]
COMMON = "What these results are"
OWN_FIRST_SECTION = f"""() => {{
    const own = [...document.querySelectorAll('h2')].find(h => h.textContent !== '{COMMON}');
    if (own) window.scrollTo(0, own.getBoundingClientRect().top + window.scrollY - 12);
    return Boolean(own); }}"""
"""Scroll a report to its own first section: every report opens with the same section (what its numbers are, the
validation tests the model fails), so five pictures of the top of the page would show five times the same."""


def refusal() -> str | None:
    """Why the pictures cannot be made here, or None."""
    from sim.browser import missing
    from sim.dashboard.server import check_installed
    from sim.errors import InputError

    if not DOCS_IMG.is_dir():
        return f"{DOCS_IMG} is not a folder: the pictures belong to a source checkout of reintegration-sim"
    why = missing()
    if why is not None:
        return why
    try:
        check_installed()
    except InputError as error:
        return error.message
    return None


def sim(args: list[str]) -> None:
    """`sim ARGS` in a process of its own, exactly as a reader would run it from the command line (nothing one
    command sets, a figure theme or a logger, can reach the next), its output kept back unless it fails."""
    done = subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"`sim {' '.join(args)}` exited {done.returncode}:\n{done.stdout}{done.stderr}")


def report_pictures(browser, folder: Path) -> dict[str, bytes]:
    """Each report picture: its folder made by its command, its report written, the screen of its own first section."""
    pictures = {}
    for name, (results, command) in REPORTS.items():
        started = time.monotonic()
        out = folder / results
        sim([*command, "--out", str(out)])
        sim(["report", str(out)])
        page = browser.new_page(viewport=VIEWPORT)
        page.goto((out / "report.html").as_uri())
        page.wait_for_function("[...document.images].every(i => i.complete)")
        if not page.evaluate(OWN_FIRST_SECTION):
            raise RuntimeError(f"{out / 'report.html'}: no section after '{COMMON}', the section every report opens with")
        pictures[name] = page.screenshot()
        page.close()
        print(f"  {name}: sim {command[0]} and sim report, {time.monotonic() - started:.0f} s", flush=True)
    return pictures


def dashboard_pictures(browser, folder: Path) -> dict[str, bytes]:
    """The dashboard's pictures: `sim dashboard` started in the background, each page driven to its state."""
    from sim.dashboard import drive
    from sim.dashboard.server import DashboardNotStartedError, in_background

    pictures = {}
    log = folder / "dashboard_server.log"
    with log.open("w") as written:
        try:
            with in_background(written) as url:
                for name, session in DASHBOARD.items():
                    started = time.monotonic()
                    page = browser.new_page(viewport=VIEWPORT)
                    getattr(drive, session)(page, url)
                    pictures[name] = page.screenshot()
                    page.close()
                    print(f"  {name}: {session}, {time.monotonic() - started:.0f} s", flush=True)
        except DashboardNotStartedError as error:
            raise RuntimeError(f"{error}:\n{log.read_text()[-2000:]}") from None
    return pictures


def write(pictures: dict[str, bytes]) -> None:
    """Each picture into docs/img, through a file beside it renamed over the old one."""
    from sim.output import replace_file

    for name, png in pictures.items():
        replace_file(DOCS_IMG / name, lambda temporary, png=png: temporary.write_bytes(png))


def main() -> int:
    why = refusal()
    if why is not None:
        print(f"error: screenshots: {why}; nothing was written", file=sys.stderr)
        return 2
    from sim.browser import headless

    print(f"Making {len(PICTURES)} pictures of docs/img at 1280x720 in headless chromium ({TAKES}): the dashboard "
          f"and its what-if page, and a report of each kind on small result folders made by sim compare, run, sweep, "
          f"sensitivity and calibrate in a temporary folder. docs/img is written only once all are made.", flush=True)
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="screenshots-") as folder, headless() as browser:
            pictures = report_pictures(browser, Path(folder)) | dashboard_pictures(browser, Path(folder))
    except KeyboardInterrupt:
        print("stopped: docs/img is as it was", file=sys.stderr)
        return 130
    except (RuntimeError, TimeoutError) as error:  # a command failed, the dashboard did not start or a page stuck
        print(f"error: screenshots: {error}\ndocs/img is as it was", file=sys.stderr)
        return 1
    write(pictures)
    print(f"wrote {', '.join(f'docs/img/{name}' for name in PICTURES)} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
