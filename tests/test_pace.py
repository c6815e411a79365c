"""How long is left of a job of runs (``sim.pace``): the one rule behind `sim run`'s time to go and a sweep's ETA."""

from __future__ import annotations

import pytest

from sim.pace import Pace


@pytest.mark.parametrize("first_run", [0.25, 30.0, 600.0])
def test_the_time_left_ignores_the_first_run_and_is_exact_for_steady_runs(first_run):
    """However long the first run took (it also loads the compiled rules, or waits for an engine), runs of a second
    each after it leave as many seconds to go as runs: a rate that counted it promised minutes for seconds."""
    pace, clock = Pace(10), 100.0
    clock += first_run
    pace.finished(clock)
    assert pace.seconds_left() is None and pace.per_second() is None  # nothing to say from the first run alone
    for left in range(8, -1, -1):
        clock += 1.0
        pace.finished(clock)
        assert pace.per_second() == pytest.approx(1.0)
        assert pace.seconds_left() == pytest.approx(left)


def test_a_run_twice_the_size_counts_twice():
    pace = Pace(50)  # runs of 10, 10, 20 and 10 units
    pace.finished(30.0, 10)  # the first: not timed
    pace.finished(32.0, 10)
    assert pace.seconds_left() == pytest.approx(6.0)  # 0.2 s a unit x (20 + 10)
    pace.finished(38.0, 20)  # slower than the run before: 8 s over 30 units
    assert pace.seconds_left() == pytest.approx(8 / 30 * 10)


def test_runs_side_by_side_count_by_the_clock():
    """Four workers finishing a run each a second after the first: four runs a second, whatever each run took."""
    pace = Pace(21)
    pace.finished(50.0)
    for second in range(1, 6):
        for _ in range(4):
            pace.finished(50.0 + second)
    assert pace.per_second() == pytest.approx(4.0) and pace.left == 0 and pace.seconds_left() == 0


def test_no_time_to_go_from_runs_that_took_no_time():
    pace = Pace(3)
    pace.finished(5.0)
    pace.finished(5.0)
    assert pace.seconds_left() is None


def test_runs_read_from_a_cache_shorten_the_job_but_not_the_pace():
    """A calibration's cached runs are done in no time: counted as runs, a generation read from the cache made the
    pace look ten times faster than the runs still to be made."""
    pace = Pace(12)
    pace.finished(0.0)
    pace.finished(1.0)  # one run a second
    for _ in range(5):
        pace.skipped()
    assert pace.per_second() == pytest.approx(1.0) and pace.seconds_left() == pytest.approx(5.0)
