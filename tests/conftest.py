"""Shared fixtures: small scenarios that run in a fraction of a second."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SMALL = {"population.community": 400, "population.released": 60, "weeks": 40}


def pytest_configure(config):
    """Compile the model's kernels once, in the main process, before any worker starts: on a fresh checkout every
    worker would otherwise compile them (about 15 s) inside whichever of its tests first runs a model, a browser test
    with a deadline among them. With the cache warm (``sim.compiled``) this takes about a second."""
    if hasattr(config, "workerinput") or config.getoption("collectonly", False):
        return
    from sim.model import ReintegrationModel
    from sim.scenarios.loader import shipped_names

    for scenario in shipped_names():  # every shipped scenario, long enough for its events: every kernel is called
        model = ReintegrationModel(scenario, rng=1, population__community=200, population__released=40, weeks=104)
        while model.running:
            model.step()


@pytest.fixture(autouse=True)
def close_figures():
    """Figures a test drew (the plotting functions return theirs, as a notebook wants) are closed after it: a worker
    running many tests otherwise holds dozens, and matplotlib warns."""
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture
def small() -> dict:
    """Overrides that shrink any scenario to a quick run."""
    return dict(SMALL)


@pytest.fixture
def stop_between_renames(monkeypatch):
    """`stop_between_renames(out, names, after)`: the next command that renames result files `names` (paths within
    `out`) into place is stopped, as by Ctrl-C, once `after` of them are in; returns the names renamed in."""
    def stop(out: Path, names, after: int) -> list[str]:
        renamed, rename = [], os.replace

        def stopped(source, destination):
            name = Path(destination).relative_to(out).as_posix() if Path(destination).is_relative_to(out) else None
            if name in names:
                if len(renamed) == after:
                    monkeypatch.setattr(os, "replace", rename)
                    raise KeyboardInterrupt
                renamed.append(name)
            rename(source, destination)

        monkeypatch.setattr(os, "replace", stopped)
        return renamed

    return stop


@pytest.fixture
def refused_until_rerun(stop_between_renames, capsys):
    """`refused_until_rerun(out, names, after, run, command)`: ``run()``, a command rewriting its result files `names`
    in `out`, is stopped once `after` of them are in (exit 130); sim report then refuses `out` as holding part of what
    `command` writes, until ``run()`` again writes the set whole and the report reads it."""
    from sim.cli import main

    def check(out: Path, names, after: int, run, command: str) -> None:
        renamed = stop_between_renames(out, names, after=after)
        assert run() == 130 and len(renamed) == after
        capsys.readouterr()
        assert main(["report", str(out)]) == 2
        (said,) = capsys.readouterr().err.strip().splitlines()
        assert said.startswith(f"error: {out}: holds part of what {command} writes, not its results")
        assert f"Rerun the same {command} into it to finish it)" in said  # what to do about it
        assert run() == 0 and main(["report", str(out)]) == 0

    return check


@pytest.fixture
def colour_at():
    """`colour_at(fig, ax, x, y)`: the RGB (0-1) a reader sees at data point (x, y) of `ax` once `fig` is drawn.

    With arrays for x (or y), one row of RGB per point, from one drawing of the figure (a drawing takes a fifth of a
    second)."""
    import numpy as np

    def colour(fig, ax, x, y):
        fig.canvas.draw()
        pixels = np.asarray(fig.canvas.buffer_rgba())
        columns, rows = ax.transData.transform(np.column_stack(np.broadcast_arrays(x, y)).astype(float)).T
        rgb = pixels[(pixels.shape[0] - rows).astype(int), columns.astype(int), :3] / 255
        return tuple(rgb[0]) if np.ndim(x) == np.ndim(y) == 0 else rgb

    return colour


def pictures_in_themes(draw) -> list[bytes]:
    """The PNG bytes ``draw(buffer)`` writes under seaborn's 'notebook' theme and then under 'talk' (a notebook's, as
    ``sim.analysis`` sets it), each theme still in force after the draw; rcParams are restored afterwards."""
    import io

    import matplotlib
    import seaborn as sns

    pictures = []
    with matplotlib.rc_context():
        for context in ("notebook", "talk"):
            sns.set_theme(context=context, style="whitegrid")
            size = matplotlib.rcParams["font.size"]
            draw(picture := io.BytesIO())
            pictures.append(picture.getvalue())
            assert matplotlib.rcParams["font.size"] == size, "the draw changed the theme in force"
    return pictures


# ---- the browser of the browser tests (reports and dashboard): Debian's chromium through playwright (sim.browser)


def unavailable(reason: str) -> None:
    """Skip a browser test on a developer's machine without a browser; in CI that is a failure."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


def chromium_path() -> str:
    from sim.browser import NO_CHROMIUM, chromium

    found = chromium()
    if found is None:
        unavailable(NO_CHROMIUM)
    return found


@pytest.fixture(scope="module")
def browser():
    from sim.browser import NO_PLAYWRIGHT, headless, playwright_installed

    if not playwright_installed():
        unavailable(NO_PLAYWRIGHT)
    with headless(chromium_path()) as chromium:
        yield chromium
