"""Differential evolution with common random numbers, on the sweep engine, within a budget of model runs.

Every candidate is run with the same ``replicates`` seeds (common random numbers), so two candidates
differ by their parameters and not by their luck, and its score is the objective of
``sim.calibration.objective``. A generation's candidates x seeds go to the engine together
(``sim.experiments.engines``: in-process for one worker, else a Dask cluster). scipy's
``differential_evolution`` runs with a fixed seed and ``polish=False``, so a rerun into the same folder
replays the same candidates from the run cache and continues where the last one stopped.

Uncertainty (what ``low``-``high`` in fit.csv means): after the search, each parameter is profiled
around the search's optimum (below), and the best candidate evaluated (search or scan) is rerun with
``check_replicates`` fresh seeds. Bootstrapping groups of ``replicates`` of them gives the
distribution of the objective that replicate noise alone produces at the best fit; its 97.5th
percentile is the *limit* (``sigma`` is its standard deviation). Each parameter's profile is the
parameter varied alone over ``scan_points`` values around the search's optimum (the others held at its values, the
same common seeds). The interval is the range of values whose objective stays under the limit: the
edge is interpolated between the last scanned value inside and the first outside, and search
candidates under the limit widen it. So it holds the values that fit the target as well as the best
fit itself would on 97.5% of draws of replicate seeds: the values this many replicates cannot tell
apart from the best (a conditional profile interval whose threshold is the simulation noise, not a
Bayesian posterior). It ignores the sampling error of the observed curves; an interval that reaches
the edge of the scan window is flagged open (``open_low``/``open_high``).

Held out (``holdout_from``): the objective, and so the search, the scans and the replicate noise, uses
only the target points before that time; every candidate is also scored, by the same measure, on the
points from then on, which it never saw. That held-out score, of the best and of the candidates within
the limit, is the out-of-sample check; the fresh-seed check is not one (it re-uses the fitted points).
"""

from __future__ import annotations

import sys
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.calibration.cache import COLUMNS, RunCache, cached_state, check_folder, run_key
from sim.calibration.objective import (
    FreeParameter,
    check_not_set,
    model_percent,
    parse_parameters,
    plausible_warnings,
    score,
    target_table,
)
from sim.calibration.target import (
    Target,
    check_holdout,
    check_horizon,
    held_out_mask,
    holdout_notes,
    parse_matches,
    read_target,
    shares_warning,
)
from sim.checked_read import read_json
from sim.counts import LEAST
from sim.errors import InputError, require_at_least
from sim.experiments.engines import check_engine, open_engine
from sim.experiments.estimate import Estimate, Machine, timed_first
from sim.experiments.progress import Progress
from sim.experiments.sweep_room import with_room
from sim.experiments.tasks import Task
from sim.experiments.when_stopped import saying
from sim.folder_lock import folder_lock
from sim.headroom import parquet_bytes
from sim.job_size import check_option
from sim.output import out_folder
from sim.scenarios import load_scenario
from sim.scenarios.fields import fmt, overrides_as_read, value_at
from sim.scenarios.schema import Scenario
from sim.streams import check_seed, derived_seed, replicate_seed, seed_integer

FAILED = 1e9  # the objective of a candidate whose runs failed: never the best
MIN_POPULATION = 5  # scipy's differential_evolution: max(5, popsize x parameters) candidates a generation (--help)
FLUSH_SECONDS = 30.0  # finished runs are written at least this often: a kill -9 mid-generation loses no more


@dataclass
class Calibration:
    """Everything a calibration produced; ``sim.calibration.report`` writes it out."""

    scenario: Scenario
    source: str
    target: Target
    matches: dict[str, str]
    parameters: list[FreeParameter]
    points: pd.DataFrame
    best: dict[str, Any]
    best_score: float
    sigma: float
    threshold: float
    candidates: pd.DataFrame  # one row per evaluated candidate: parameter values, score, stage (search or scan)
    check_curves: list[pd.DataFrame]  # the best candidate's runs with fresh seeds
    settings: dict[str, Any]
    runs: dict[str, int] = field(default_factory=dict)
    timing: dict[str, Any] = field(default_factory=dict)
    holdout_from: float | None = None  # target points at or after this time (the file's unit) were not fitted
    best_held_out_score: float | None = None  # the best candidate's objective on the held-out points

    @property
    def held_out(self) -> np.ndarray:
        """Which of ``points`` were held out of the fit (none without ``holdout_from``)."""
        return held_out_mask(self.points, self.holdout_from)

    def intervals(self) -> pd.DataFrame:
        """parameter, value, low, high (see the module docstring), open_low/open_high, search_low, search_high."""
        limit = self.best_score + self.threshold
        rows = []
        for p in self.parameters:
            scan = self.candidates[self.candidates["stage"] == f"scan {p.key}"]
            scan = pd.concat([scan, pd.DataFrame([{**self.best, "score": self.best_score}])]).sort_values(p.key)
            inside = self.candidates[self.candidates["score"] <= limit][p.key].tolist() + [self.best[p.key]]
            low, high = min(inside), max(inside)
            values, scores = scan[p.key].to_numpy(), scan["score"].to_numpy()
            best_at = int(np.argmin(np.abs(values - self.best[p.key])))
            low, open_low = min(low, edge(values, scores, best_at, -1, limit)), bool(scores[0] <= limit)
            high, open_high = max(high, edge(values, scores, best_at, 1, limit)), bool(scores[-1] <= limit)
            rows.append((p.key, self.best[p.key], low, high, open_low, open_high, p.low, p.high))
        return pd.DataFrame(rows, columns=["parameter", "value", "low", "high", "open_low", "open_high",
                                           "search_low", "search_high"])

    def scored_alike(self) -> bool:
        """Every candidate scored the same: the parameters searched do not move the matched curves at all."""
        scores = self.candidates["score"].to_numpy(dtype=float)
        return len(scores) > 1 and bool(np.all(scores == scores[0]))

    def noise_below_best(self) -> bool:
        """The noise estimate fell below the best score (threshold 0): an interval holds only the candidates that
        scored exactly as well as the best (often the fitted value alone), which says nothing of its precision."""
        return self.threshold <= 0

    def followed_share(self) -> float:
        """The share of the cohort followed up to the last target point (releases are spread over a window).

        Points that only the first released reach rest on few people and are noisy.
        """
        window, last = self.scenario.release.window_weeks, int(np.ceil(self.points["week"].max()))
        return float(np.clip((self.scenario.weeks - last + 1) / (window + 1), 0, 1))

    def errors(self) -> pd.DataFrame:
        """Per target point: target, model mean and 95% band over the fresh-seed check runs, error (points)."""
        values = model_percent(self.check_curves, self.points)
        mean = values.mean(axis=0)
        low, high = np.percentile(values, [2.5, 97.5], axis=0)
        table = self.points.rename(columns={"percent": "target"})
        table = table.drop(columns="time") if self.target.clock == "week" else table.rename(columns={"time": "month"})
        table["model_mean"], table["model_low"], table["model_high"] = mean, low, high
        table["error"] = table["model_mean"] - table["target"]
        if self.holdout_from is not None:
            table["held_out"] = self.held_out
        return table

    def check_error(self, held_out: bool = False) -> float:
        """The objective's measure on the fresh seeds: the largest absolute error at the fitted points (all of them
        without a holdout), or at the held-out ones."""
        return float(self.errors()["error"].abs()[self.held_out == held_out].max())

    def check_error_by_column(self, held_out: bool = False) -> dict[str, float]:
        """``check_error`` for each matched column."""
        errors = self.errors()[self.held_out == held_out]
        return errors.groupby("column")["error"].apply(lambda e: float(e.abs().max())).to_dict()

    def holdout(self) -> dict[str, Any] | None:
        """The out-of-sample check: the objective's measure on the held-out points beside the fitted ones, for the
        best candidate on the search's seeds and on fresh seeds, and for the candidates within the interval limit."""
        if self.holdout_from is None:
            return None
        held = self.held_out
        near = self.candidates[self.candidates["score"] <= self.best_score + self.threshold]["held_out_score"]
        return {"from": self.holdout_from, "unit": self.target.clock,
                "fitted_points": int((~held).sum()), "held_out_points": int(held.sum()),
                "best_score_in_sample": self.best_score, "best_score_held_out": self.best_held_out_score,
                "check_max_abs_error_in_sample": self.check_error(),
                "check_max_abs_error_held_out": self.check_error(held_out=True),
                "check_max_abs_error_held_out_by_column": self.check_error_by_column(held_out=True),
                "within_limit_candidates": int(len(near)),
                "within_limit_held_out_score_low": float(near.min()), "within_limit_held_out_score_high": float(near.max())}


def edge(values: np.ndarray, scores: np.ndarray, start: int, step: int, limit: float) -> float:
    """Walk from `start` in direction `step` while the score stays within `limit`; interpolate the crossing."""
    i = start
    while 0 <= i + step < len(values) and scores[i + step] <= limit:
        i += step
    j = i + step
    if not 0 <= j < len(values):
        return float(values[i])
    share = (limit - scores[i]) / (scores[j] - scores[i]) if scores[j] != scores[i] else 0.0
    return float(values[i] + share * (values[j] - values[i]))


class Evaluator:
    """scipy's map: scores a generation of candidates by running candidates x seeds on the engine."""

    def __init__(self, engine, base: Scenario, parameters: list[FreeParameter], seeds: list[int], points: pd.DataFrame,
                 cache: RunCache, meter: Progress, held: pd.DataFrame | None = None, machine: Machine | None = None) -> None:
        self.engine, self.base, self.parameters, self.seeds = engine, base, parameters, seeds
        self.points, self.held, self.cache, self.meter = points, held, cache, meter
        self.to_time, self.machine = meter.enabled, machine  # the first run made is timed alone, for the estimate
        # changes, score, stage and, with points held out, the score there (by the same measure, never minimised)
        self.evaluated: list[tuple[dict[str, Any], float, str, float | None]] = []
        self.stage = "search"
        self.new_runs = self.cached_runs = self.failed_runs = 0
        self.flushed = time.perf_counter()

    def changes(self, x: np.ndarray) -> dict[str, Any]:
        return {p.key: p.from_search(v) for p, v in zip(self.parameters, x, strict=True)}

    def curves(self, candidates: list[dict[str, Any]], seeds: list[int]) -> list[list[pd.DataFrame | None]]:
        """The curves of every candidate x seed: from the cache, or run now (all at once on the engine)."""
        tasks = []
        for point, changes in enumerate(candidates):
            for replicate, seed in enumerate(seeds):
                if run_key(changes, seed) in self.cache:
                    self.cached_runs += 1
                    self.meter.update(ran=False)
                else:
                    tasks.append(Task(point, replicate, seed, changes))
        def key(row: dict) -> str:
            return run_key(candidates[row["point"]], row["seed"])

        def measured(row: dict, curve: pd.DataFrame) -> int:  # a run as its cache part holds it
            return parquet_bytes(curve[COLUMNS].assign(key=key(row)))

        try:
            runs = with_room(self.cache.out, self.meter.total - self.meter.done, self.results(tasks),
                             measured=measured, expected="a smaller --budget, or an --out on a disk with more free "
                             "space; the runs already in its cache are kept, and a rerun re-uses them")
            for row, curve in runs:
                if curve is None:
                    self.failed_runs += 1
                    print(f"run failed ({row['error']}) for {candidates[row['point']]}", file=sys.stderr)
                else:
                    self.cache.add(key(row), curve)
                self.new_runs += 1
                self.meter.update(failed=curve is None)
                if time.perf_counter() - self.flushed >= FLUSH_SECONDS:  # a generation can take hours on a cluster
                    self.cache.flush()
                    self.flushed = time.perf_counter()
        finally:  # also on Ctrl-C or SIGTERM mid-generation: the runs finished so far are kept for the resume
            self.cache.flush()
        return [[self.cache.get(run_key(c, s)) if run_key(c, s) in self.cache else None for s in seeds] for c in candidates]

    def results(self, tasks: list[Task]) -> Iterator[tuple[dict, pd.DataFrame | None]]:
        """The results of `tasks` on the engine, the first run the calibration makes first, alone and timed, as a sweep
        times its first run (``sim.experiments.estimate.timed_first``), to say before the others how long they will
        take at most (the search may converge sooner, or find some in the cache)."""
        picks = [0] if self.to_time and tasks else []
        self.to_time = self.to_time and not picks

        def estimate(timed: dict[int, float]) -> Estimate | None:
            left = self.meter.total - self.meter.done  # the timed run is counted done by now
            return Estimate.alike(left, timed[0], at_most=True) if left > 0 else None

        return timed_first(self.engine, self.base, tasks, (), picks, self.meter, self.machine, estimate=estimate,
                           failed="the run timed for it failed: see its error above")

    def __call__(self, func, population) -> list[float]:  # noqa: ARG002 - scipy passes its wrapped func
        return self.score_all([self.changes(np.asarray(x)) for x in population])

    def score_all(self, candidates: list[dict[str, Any]]) -> list[float]:
        """The objective of each candidate over the common seeds (FAILED if any of its runs failed)."""
        scores = []
        for changes, runs in zip(candidates, self.curves(candidates, self.seeds), strict=True):
            failed = any(r is None for r in runs)
            value = FAILED if failed else score(runs, self.points)
            held = None if self.held is None else float("nan") if failed else score(runs, self.held)
            self.evaluated.append((changes, value, self.stage, held))
            scores.append(value)
        return scores


def smallest_budget(parameters: int, replicates: int, check: int, popsize: int, scan: int) -> int:
    """The fewest runs a calibration can make: one generation, the check runs and the profile scans (``plan``)."""
    return max(MIN_POPULATION, popsize * parameters) * replicates + check + scan * parameters * replicates


def plan(budget: int, parameters: int, replicates: int, check: int, popsize: int, scan: int) -> tuple[int, int]:
    """Generations after the first that fit the budget (scipy's ``maxiter``) and the most runs they, the check runs
    and the scans make (whole generations only: often fewer than the budget); refuse a budget too small for one.

    The budget pays for the search, the check runs at the optimum and the profile scans. scipy's
    generation holds at least 5 candidates, whatever ``popsize`` says, so a budget counts 5 at the least.
    """
    per_generation = max(MIN_POPULATION, popsize * parameters) * replicates
    reserved = check + scan * parameters * replicates
    if budget < (least := smallest_budget(parameters, replicates, check, popsize, scan)):
        raise InputError(f"a budget of {budget} runs is too small: one generation of "
                         f"{max(MIN_POPULATION, popsize * parameters)} candidates "
                         f"x {replicates} replicates, {check} check runs and the profile scans need "
                         f"{least}", key="--budget", expected=f"at least {least} runs")
    generations = (budget - reserved) // per_generation
    return generations - 1, generations * per_generation + reserved


def scan_values(p: FreeParameter, best: float, points: int, window: float = 0.25) -> list[Any]:
    """`points` values of `p` spread over +-`window` of its search range around `best` (clipped to the range)."""
    low, high = p.search_bounds
    centre, half = p.to_search(best), window * (high - low)
    grid = np.linspace(max(low, centre - half), min(high, centre + half), points)
    return [p.from_search(v) for v in grid]


def calibrate(
    scenario: str | Path,
    *,
    target: str | Path,
    matches: list[str],
    out: str | Path,
    params: list[str] | None = None,
    budget: int = 500,
    replicates: int = 2,
    check_replicates: int = 8,
    popsize: int = 5,
    scan_points: int = 6,
    seed: int | None = None,
    overrides: dict[str, Any] | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    max_runs: int | None = None,
    holdout_from: float | None = None,
    then: Callable[[Calibration], object] | None = None,
) -> Calibration:
    """Fit `params` (default: the scenario's calibration set) so the model's curves match `target`; `then` (e.g.
    writing the results: ``sim calibrate``) runs on the result while `out` is still locked.

    `budget` counts model runs (candidates x replicates, plus the check runs at the optimum), whether
    run now or found in `out`'s cache; it is an upper bound, and one above `max_runs` (``sim.job_size``)
    is refused. `holdout_from` (a time in the target's unit) fits only the points before it and scores the rest as
    held out. All input is checked before anything is written, and `out` is locked while the runs are
    made (``sim.folder_lock``).
    """
    least = LEAST["calibrate"]
    for name, value in (("--budget", budget), ("--replicates", replicates), ("--popsize", popsize),
                        ("--check-replicates", check_replicates), ("--scan-points", scan_points)):
        require_at_least(value, least.get(name, 1), name)
    check_engine(workers, scheduler)
    check_seed(seed)
    base = load_scenario(scenario, overrides or {})
    observed = read_target(target)
    matched = parse_matches(matches, observed)
    check_horizon(observed, matched, base.weeks)
    check_holdout(observed, matched, holdout_from)
    free = parse_parameters(params, base)
    check_not_set(free, overrides)
    least = smallest_budget(len(free), replicates, check_replicates, popsize, scan_points)
    check_option("--budget", budget, lambda runs: runs, what="the budget", least=least, max_runs=max_runs, nouns="budget")
    maxiter, most = plan(budget, len(free), replicates, check_replicates, popsize, scan_points)
    out = out_folder(out)
    check_folder(out, base, holdout_from)
    asked = {"--target": str(observed.path.resolve()), "--target's sha256": observed.sha256[:16],
             "--match": ", ".join(f"{c}={o}" for c, o in matched.items()),
             **{f"--params {p.key}": f"{fmt(p.low)}:{fmt(p.high)}" for p in free},
             "--seed": base.seed if seed is None else seed, "--replicates": replicates, "--popsize": popsize}
    for warning in [shares_warning(observed), *holdout_notes(observed, matched, holdout_from), *plausible_warnings(free),
                    earlier_results(out, asked)]:
        if warning is not None:
            print(warning, file=sys.stderr, flush=True)
    if progress is not False:  # the size, once the input is known to be good
        print(f"calibrate {base.name}: at most {most:,} model runs (--budget {budget:,}: {maxiter + 1} generation{'s' if maxiter else ''}, "
              f"{check_replicates} check runs and the profile scans), cached runs included", file=sys.stderr, flush=True)
    with folder_lock(out, command="sim calibrate"), saying(lambda: cached_state(out)):
        check_folder(out, base, holdout_from)  # as found under the lock
        result = _search(base, str(scenario), observed, matched, free, out, maxiter, most, budget=budget,
                         replicates=replicates, check_replicates=check_replicates, popsize=popsize,
                         scan_points=scan_points, seed=seed, overrides=overrides, workers=workers, scheduler=scheduler,
                         progress=progress, holdout_from=holdout_from)
        if then is not None:
            then(result)
        return result


def earlier_results(out: Path, asked: dict[str, Any]) -> str | None:
    """A note when `out` holds the results of a calibration asked otherwise (another target, ranges, seed...):
    its cached runs are re-used, as documented, but its results are replaced, so say which settings differ."""
    from sim.folder_lock import listed, there_and_now

    try:
        manifest = read_json(out / "manifest.json")
    except InputError:  # none, or one that cannot be read: no earlier settings to compare with
        return None
    settings = manifest.get("settings") if isinstance(manifest.get("settings"), dict) else {}
    matches = manifest.get("matches") if isinstance(manifest.get("matches"), dict) else {}
    fitted = {f"--params {p.get('key')}": f"{fmt(p.get('low'))}:{fmt(p.get('high'))}"
              for p in manifest.get("parameters") or [] if isinstance(p, dict)}
    there = {"--target": manifest.get("target_file"), "--target's sha256": str(manifest.get("target_sha256", ""))[:16] or None,
             "--match": ", ".join(f"{c}={o}" for c, o in matches.items()) or None,
             **{key: fitted.get(key, "(not fitted)") for key in [*asked, *fitted] if key.startswith("--params ")},
             "--seed": settings.get("root_seed"), "--replicates": settings.get("replicates"), "--popsize": settings.get("popsize")}
    now = {**asked, **{key: "(not fitted)" for key in there if key not in asked}}
    changed = [there_and_now(key, there[key], now[key]) for key in there
               if there[key] is not None and str(there[key]) != str(now[key])]
    if not changed:
        return None
    return (f"note: {out} holds the results of a calibration asked otherwise ({listed(changed)}): its cached runs are "
            "re-used, and its results are replaced when this one ends")


def _search(base: Scenario, source: str, observed: Target, matched: dict[str, str], free: list[FreeParameter], out: Path,
            maxiter: int, most: int, *, budget: int, replicates: int, check_replicates: int, popsize: int, scan_points: int,
            seed: int | None, overrides: dict[str, Any] | None, workers: int | None, scheduler: str | None,
            progress: bool | None, holdout_from: float | None = None) -> Calibration:
    """The search, check runs and profile scans of ``calibrate``, once its input is checked and `out` locked."""
    from scipy.optimize import differential_evolution

    root = base.seed if seed is None else seed
    seeds = [replicate_seed(root, r) for r in range(replicates)]
    check_seeds = [seed_integer(derived_seed(root, "calibration check", r)) for r in range(check_replicates)]  # fresh seeds
    points = target_table(observed, matched)
    held = held_out_mask(points, holdout_from)
    fitted = points[~held].reset_index(drop=True)
    started, clock = datetime.now(UTC).isoformat(timespec="seconds"), time.perf_counter()
    cache = RunCache(out, base, holdout_from)
    machine = Machine.now() if scheduler is None else None  # before the workers start: they are not other work
    engine = open_engine(workers, scheduler)
    meter = Progress(most, f"calibrate {base.name}", progress)  # DE may converge sooner: then the bar stops short
    evaluator = Evaluator(engine, base, free, seeds, fitted, cache, meter,
                          None if holdout_from is None else points[held].reset_index(drop=True), machine)
    try:
        current = [float(value_at(base, tuple(p.key.split(".")))) for p in free]
        inside = all(p.low <= v <= p.high for p, v in zip(free, current, strict=True))
        x0 = [p.to_search(v) for p, v in zip(free, current, strict=True)] if inside else None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # "workers" implies deferred updating: we ask for it
            result = differential_evolution(
                lambda x: 0.0, [p.search_bounds for p in free], seed=root % 2**32, popsize=popsize, maxiter=maxiter,
                polish=False, init="latinhypercube", updating="deferred", workers=evaluator, x0=x0,
            )
        centre = evaluator.changes(result.x)
        for p in free:
            evaluator.stage = f"scan {p.key}"
            grid = [{**centre, p.key: v} for v in scan_values(p, centre[p.key], scan_points)]
            evaluator.score_all(grid)
        # The best is the best candidate evaluated, scans included: a scan may improve on the search.
        best, best_score, best_held = min(((c, s, h) for c, s, _, h in evaluator.evaluated), key=lambda row: row[1])
        best_score = float(best_score)
        check = evaluator.curves([best], check_seeds)[0]
    finally:
        meter.close()
        engine.close()
    check = [c for c in check if c is not None]
    if len(check) < 2:
        raise RuntimeError("the check runs at the optimum failed; see the messages above")
    sigma, limit = replicate_noise(check, fitted, replicates, np.random.default_rng(root % 2**32))
    candidates = pd.DataFrame([{**c, "score": s, **({} if h is None else {"held_out_score": h}), "stage": st}
                               for c, s, st, h in evaluator.evaluated])
    return Calibration(
        scenario=base, source=source, target=observed, matches=matched, parameters=free, points=points,
        best=best, best_score=best_score, sigma=sigma, threshold=max(limit - best_score, 0.0), candidates=candidates,
        check_curves=check,
        settings={"budget": budget, "replicates": replicates, "check_replicates": check_replicates, "popsize": popsize,
                  "scan_points": scan_points, "generations": int(result.nit) + 1, "maxiter": maxiter, "root_seed": root, "seeds": seeds,
                  "check_seeds": check_seeds, "method": "scipy.optimize.differential_evolution (polish=False, "
                  "latinhypercube, deferred updating), common random numbers", "converged": bool(result.success),
                  "message": str(result.message), "engine": engine.description,
                  "overrides": overrides_as_read(base, overrides or {})},  # as read: 500, not '500'
        runs={"new": evaluator.new_runs, "cached": evaluator.cached_runs, "failed": evaluator.failed_runs,
              "loaded_from_cache": cache.loaded},
        timing={"started": started, "finished": datetime.now(UTC).isoformat(timespec="seconds"),
                "wall_seconds": round(time.perf_counter() - clock, 1)},
        holdout_from=holdout_from, best_held_out_score=best_held,
    )


def replicate_noise(curves: list[pd.DataFrame], points: pd.DataFrame, replicates: int, rng: np.random.Generator,
                    draws: int = 400) -> tuple[float, float]:
    """SD and 97.5th percentile of the objective of a mean of `replicates` runs, bootstrapped from the check runs."""
    values = model_percent(curves, points)
    target = points["percent"].to_numpy()
    picks = rng.integers(0, len(curves), size=(draws, replicates))
    scores = np.nanmax(np.abs(values[picks].mean(axis=1) - target), axis=1)
    return float(scores.std(ddof=1)), float(np.percentile(scores, 97.5))


