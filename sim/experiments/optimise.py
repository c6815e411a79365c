"""The best policy mix under a budget: a search over the ten levers, NGO capacity and supervision strictness.

Optuna proposes mixes (TPE for one objective; NSGA-II for the Pareto front of cost against outcome); each
mix runs as a one-point sweep on the sweep engine (``sim.experiments.engine``), resumable, with the same
replicate seeds for every mix (common random numbers: the engine seeds point 0, replicate r alike in every
sweep of the same root seed), so seed noise cannot pick the winner. The budget is a constraint the
samplers know: a mix whose mean cost over the replicates exceeds it is infeasible and never on the front
or among the best. The scenario as it stands is always the first mix tried (the status quo). If ``levers``
narrows a range past its value, the first mix is the nearest one within the ranges: another mix, never called
the status quo, while the fresh-seed run of the scenario as it stands keeps its own values.

The best mixes are then re-run on fresh seeds with more replicates (the confirmation) and ranked again;
the report says whether the ranking holds and whether the winner is distinguishable from the runner-up.
The objective is minimised, or maximised where higher is better (``maximised``: the employment rate, trust, ...);
the tables keep its values as they are, and every ranking reads them through ``loss``.
When the winner is the status quo (trial 0, or a mix repeating its values), the report says no mix searched
beat the scenario as it stands, and no ``best_<n>.yaml`` is written for the status quo (it is the input).
Every confirmed mix is also paired seed by seed with the scenario as it stands on the fresh seeds, on the objective
and on cost (``against_each``: confirmation.csv's ``*_vs_status_quo`` columns); a mix no better than it within the
noise but cheaper on those seeds is named as such (``as_good_for_less``), since as good for less is what a funder asks.
Rerunning into the same folder resumes: the seeded sampler proposes the same mixes and their finished
sweeps are reused. The folder is locked while it runs.

This module checks what is asked (``plan``), keeps the folder resumable and runs the steps in turn (``optimise``);
each step is a sibling module: ``optimise_search`` (the search's and the confirmation's runs), ``optimise_estimate``
(how long they will take, said once a mix is timed), ``optimise_ranking`` (the
front, the best mixes, the verdicts and the paired differences), ``optimise_objective`` (which way is better, and how
the objective's values are written), ``optimise_words`` (optimise.md's and the terminal's words), ``optimise_figures``
(the front figure) and ``optimise_report`` (the folder's files).
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.costs import SHIPPED_CURRENCY
from sim.counts import LEAST
from sim.curves import YEAR
from sim.errors import InputError, did_you_mean, require_at_least
from sim.experiments.engines import check_engine
from sim.experiments.metrics import metric_names
from sim.experiments.optimise_estimate import MixClock
from sim.experiments.optimise_objective import aim, maximised, objective_words
from sim.experiments.optimise_ranking import against, against_each, best_mixes, pareto_front, verdict
from sim.experiments.optimise_report import best_files, report_files, write_report
from sim.experiments.optimise_search import confirm, confirm_seed, evaluate, lever_value, search
from sim.experiments.optimise_words import basis_words
from sim.experiments.sweep_folder import MANIFEST as SWEEP_MANIFEST
from sim.experiments.sweep_folder import read_manifest
from sim.experiments.when_stopped import already_done, runs_held, runs_state, saying
from sim.folder_lock import SETTINGS, check_resumable, folder_lock, settings_record
from sim.job_size import check_option, counted
from sim.money import money
from sim.output import out_folder, replace_file, write_json
from sim.report_folders import OPTIMISE_MANIFEST
from sim.scenarios import LEVERS, load_scenario
from sim.scenarios.fields import overrides_as_read, resolve_key, settable_range
from sim.streams import MAX_SEED, check_seed

MANIFEST = OPTIMISE_MANIFEST  # the search record, which tells an optimisation folder (sim.report_folders)
SEARCHABLE = (*(f"cooperation.{lever}" for lever in LEVERS), "ngo.capacity", "supervision.strictness")
DEFAULT_RANGES = {"ngo.capacity": (0.0, 1.0)}
"""Search ranges narrower than a parameter's validation bounds: NGO capacity may be set up to 10 places per
released person, but above 1 (a place for everyone) extra places only cost money, so the search stops there."""
BASES = ("total", "per_released")


@dataclass
class Optimisation:
    """An optimisation folder's results: every mix tried, the front, the best mixes and their confirmation."""

    directory: Path
    trials: pd.DataFrame
    front: pd.DataFrame
    best: pd.DataFrame
    confirmation: pd.DataFrame
    ranking_holds: bool  # the fresh-seed means keep the search order (ties allowed)
    winner_distinguishable: bool | None  # the runner-up is worse beyond seed noise (None: too few to tell)
    against_status_quo: dict[str, Any] = field(default_factory=dict)  # the winner minus the status quo, fresh seeds
    # (``status_quo_won`` instead, when the winner is the status quo itself)
    files: list[Path] = field(default_factory=list)
    failed: int = 0
    objective: str = ""  # the output searched on, e.g. reoffended_156w: how its values are written (objective_form)
    currency: str = SHIPPED_CURRENCY  # the scenario's, in which its costs are written


def parse_levers(levers: Any) -> dict[str, tuple[float, float]]:
    """``KEY`` or ``KEY=LOW:HIGH`` items (a list, or one comma-separated string), or a mapping of KEY to
    ``(LOW, HIGH)`` (or None for its default range), as search ranges."""
    if levers is None:
        levers = list(SEARCHABLE)
    if isinstance(levers, Mapping):  # iterated as it stands, a mapping gives its keys: its ranges were dropped
        items = []
        for key, span in levers.items():
            if span is not None and not (isinstance(span, tuple | list) and len(span) == 2):
                raise InputError(f"range {span!r} of {key} is not a pair (LOW, HIGH)", key="levers",
                                 expected="a mapping of lever to (LOW, HIGH), e.g. {'ngo.capacity': (0, 0.6)}")
            items.append(str(key) if span is None else f"{key}={span[0]}:{span[1]}")
        levers = items
    if isinstance(levers, str):
        levers = [item for item in levers.split(",") if item.strip()]
    if not levers:
        raise InputError("names no lever", key="--levers", expected=f"some of {', '.join(SEARCHABLE)}")
    ranges: dict[str, tuple[float, float]] = {}
    for item in levers:
        key, _, span = str(item).strip().partition("=")
        key = key.strip()
        if key in LEVERS:
            key = f"cooperation.{key}"
        if key not in SEARCHABLE:
            raise InputError(f"'{key}' cannot be searched: expected some of {', '.join(SEARCHABLE)}", key="--levers",
                             expected=f"some of {', '.join(SEARCHABLE)} (optionally KEY=LOW:HIGH)")
        # its validation bounds, not its plausible range: that is what robustness draws as an assumption about the
        # world compared, not what a policy may choose
        low, high = DEFAULT_RANGES.get(key) or settable_range(resolve_key(key)[1])
        if span:
            try:
                low, high = (float(v) for v in span.split(":"))
            except ValueError:
                raise InputError(f"range '{span}' of {key} is not LOW:HIGH", key="--levers",
                                 expected="KEY=LOW:HIGH with two numbers, e.g. ngo.capacity=0:0.6") from None
            bound = settable_range(resolve_key(key)[1])
            if not (bound[0] <= low < high <= bound[1]):
                raise InputError(f"range {low:g}:{high:g} of {key} is not inside {bound[0]:g}:{bound[1]:g} with low < high",
                                 key="--levers")
        if key in ranges:
            raise InputError(f"names {key} twice", key="--levers", expected="each lever once")
        ranges[key] = (low, high)
    return ranges


WORKERS = 1
"""Local workers when none are given: a Dask cluster per mix pays only for long runs (docs/DECISIONS.md)."""


def default_objective(weeks: int) -> str | None:
    """New offence within three years of release, or within the longest horizon a shorter run's summary
    reaches (half a year, a year, ...); None for a run too short to reach any."""
    horizons = [h for h in metric_names(weeks)[1] if h <= 3 * YEAR]
    return f"reoffended_{max(horizons)}w" if horizons else None


def plan(scenario: Any, *, budget: float, objective: str | None, levers: Any, trials: int, replicates: int,
         top: int, confirm_replicates: int | None, seed: int | None, overrides: dict | None, weeks: int | None,
         pareto: bool, basis: str) -> dict[str, Any]:
    """Check everything before any run: the scenario, budget, objective, levers and sizes."""
    if isinstance(scenario, list | tuple):
        raise InputError("optimise searches one scenario", key="SCENARIO", expected="one scenario name or YAML file")
    if not isinstance(scenario, str | Path):
        raise InputError("optimise reads a scenario by name or file", key="SCENARIO",
                         expected="a shipped scenario name or a path to a YAML file")
    if not (isinstance(budget, int | float) and math.isfinite(budget) and budget > 0):
        raise InputError(f"must be a positive amount (got {budget})", key="--budget",
                         expected="a positive amount in the scenario's currency")
    if basis not in BASES:
        raise InputError(f"unknown budget basis '{basis}'", key="--budget-basis", expected=" or ".join(BASES))
    least = LEAST["optimise"]
    for name, value in (("--trials", trials), ("--replicates", replicates), ("--top", top)):
        require_at_least(value, least.get(name, 1), name)
    confirm_replicates = 2 * replicates if confirm_replicates is None else confirm_replicates
    require_at_least(confirm_replicates, least["--confirm-replicates"], "--confirm-replicates")
    check_seed(seed)
    changes = dict(overrides or {})
    if weeks is not None:
        changes["weeks"] = weeks
    ranges = parse_levers(levers)
    clash = sorted(set(ranges) & {k.replace("__", ".") for k in changes})
    if clash:
        raise InputError(f"{clash[0]} is both searched and fixed by --set", key="--levers",
                         expected="a lever either searched or set, not both")
    settings = load_scenario(scenario, overrides, weeks=weeks)
    if seed is None and settings.seed > MAX_SEED:  # the scenario's own seed: valid for a run, too large for Optuna
        raise InputError(f"the scenario's seed {settings.seed} is above {MAX_SEED}, the largest the search's sampler takes",
                         key="--seed", expected=f"--seed S with S from 0 to {MAX_SEED}")
    metrics, _ = metric_names(settings.weeks)
    objective = objective or default_objective(settings.weeks)
    if objective is None:
        raise InputError(f"a run of {settings.weeks} weeks reaches no summary horizon to read an objective at",
                         key="--weeks", expected="a run of at least 26 weeks, or --objective with a run metric")
    if objective not in metrics or objective == "released":
        choices = [m for m in metrics if m != "released"]
        raise InputError(f"unknown objective '{objective}'{did_you_mean(objective, choices)}: expected a run metric, one of {', '.join(choices)}",
                         key="--objective", expected="a run metric, e.g. reoffended_156w, custody_weeks")
    source = str(Path(scenario).resolve()) if Path(str(scenario)).suffix else str(scenario)
    # each --set value as read (40, not the text '40'): the manifests of the trials' sweeps record the numbers used
    return {"settings": settings, "source": source, "given": str(scenario), "overrides": overrides_as_read(settings, changes),
            "overrides_given": changes, "budget": float(budget),
            "basis": basis, "objective": objective, "ranges": ranges, "trials": trials, "replicates": replicates,
            "top": top, "confirm_replicates": confirm_replicates, "pareto": pareto,
            "seed": settings.seed if seed is None else seed,
            # only when maximising: the fingerprint of a folder that minimises stays as it was before maximising existed
            **({"maximise": True} if maximised(objective) else {})}


def fingerprint(spec: dict[str, Any], *, as_given: bool = False) -> str:
    """An optimisation folder's identity. With `as_given`, the one versions before December 2026 gave it: they held
    each --set value as given (the text '40'), so that their folders resume."""
    identity = {k: v for k, v in spec.items() if k not in ("settings", "given", "source", "overrides_given")}
    if as_given:
        identity["overrides"] = spec["overrides_given"]
    identity["scenario"] = spec["settings"].model_dump(mode="json")
    return hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()[:16]


def check_confirmation_seeds(out: Path, fresh: int) -> None:
    """Refuse, before any work, a confirmation in `out` begun on other fresh seeds than `fresh` (``confirm_seed``):
    versions before December 2026 derived them otherwise, and a resume would mix two confirmations. Its trials still
    serve: moving confirm/ away confirms again on today's seeds."""
    for manifest in sorted((out / "confirm").glob(f"*/{SWEEP_MANIFEST}")):
        recorded = read_manifest(manifest.parent, key="--out").get("experiment")
        seed = recorded.get("seed") if isinstance(recorded, dict) else None
        if seed is not None and seed != fresh:
            raise InputError(f"holds a confirmation on the fresh seeds an earlier version of sim derived (root {seed}; "
                             f"this version's is {fresh})", file=str(manifest.parent), key="--out",
                             expected=f"{out / 'confirm'} moved away, to confirm again on this version's seeds (the "
                                      "trials are kept), or a new folder")


def optimise(
    scenario: str | Path, *, budget: float, out: str | Path, objective: str | None = None, levers: Any = None,
    trials: int = 40, replicates: int = 4, top: int = 3, confirm_replicates: int | None = None,
    seed: int | None = None, overrides: dict | None = None, weeks: int | None = None, pareto: bool = False,
    basis: str = "total", workers: int | None = None, scheduler: str | None = None, max_runs: int | None = None,
    progress: bool | None = None, figures: bool = True,
) -> Optimisation:
    """Search for the mixes of levers that do best on `objective` within `budget` (the lowest, or the highest where
    higher is better: ``maximised``); confirm the best on fresh seeds.

    `budget` is the most a mix may cost on average over the run (``basis="total"``) or per person released
    (``basis="per_released"``), in the scenario's ``costs.currency``. `levers` are keys of ``SEARCHABLE``
    (``KEY=LOW:HIGH`` narrows a range), or a mapping of key to ``(LOW, HIGH)``; `pareto` searches the front of cost against the objective (NSGA-II)
    instead of the single best (TPE). ``trials x replicates + top x confirm_replicates`` runs in all.
    """
    workers = WORKERS if workers is None and scheduler is None else workers  # a scheduler's cluster has its own
    check_engine(workers, scheduler)  # before the folder and its manifest are written
    spec = plan(scenario, budget=budget, objective=objective, levers=levers, trials=trials, replicates=replicates,
                top=top, confirm_replicates=confirm_replicates, seed=seed, overrides=overrides, weeks=weeks,
                pareto=pareto, basis=basis)

    def runs_of(count: int) -> int:  # at most one confirmation per mix tried, however large --top
        return count * replicates + (min(top, count) + 1) * spec["confirm_replicates"]

    best = min(top, trials)
    size = (f"{counted(trials, 'mix', 'mixes')} x {counted(replicates, 'replicate')} + ({best} best + status quo) x "
            f"{counted(spec['confirm_replicates'], 'fresh replicate')}")
    runs = check_option("--trials", trials, runs_of, what=size, least=LEAST["optimise"]["--trials"], max_runs=max_runs,
                        nouns="number of trials")
    out = out_folder(out)
    key = fingerprint(spec)
    asked = {"fingerprint": key, "scenario": spec["given"], "budget": spec["budget"], "basis": basis,
             "objective": spec["objective"], "levers": spec["ranges"], "trials": trials, "replicates": replicates,
             "seed": spec["seed"], "pareto": pareto, SETTINGS: settings_record(spec["settings"].model_dump(mode="json"))}
    resumable = {"manifest": MANIFEST, "holds": "an optimisation", "asked": asked,
                 "earlier": lambda recorded: fingerprint(spec, as_given=True)}  # a folder of a version before
    recorded = check_resumable(out, key, writes=report_files(figures), may_write=best_files(top), command="sim optimise",
                               **resumable)
    check_confirmation_seeds(out, confirm_seed(spec["seed"]))
    say = progress is not False
    if say:  # as a sweep and a calibration say theirs: on stderr, with the progress; the findings go to stdout
        print(f"optimise {spec['settings'].name}: {counted(len(spec['ranges']), 'lever')}, {size} = {runs:,} runs"
              f"{already_done(out, runs) if recorded else ''} ({'NSGA-II, Pareto front' if pareto else 'TPE'}; budget "
              f"{money(budget, spec['settings'].costs.currency, exact=True)}{basis_words(spec)})", file=sys.stderr, flush=True)
        print(f"  {aim(spec['objective'])} {spec['objective']} "
              f"({objective_words(spec['objective'], spec['settings'].costs.currency)})", file=sys.stderr, flush=True)
    engine = {"workers": workers, "scheduler": scheduler, "max_runs": max_runs, "within": out}  # sweeps into out
    # a mix this session runs, timed whole, tells how long the other runs and mixes will take
    clock = MixClock(engine, mixes=trials + min(top, trials) + 1, replicates=replicates,
                     left=runs - (min(runs_held(out), runs) if recorded else 0)) if say else None
    written = False  # once the results are: a signal after them finds the folder complete

    def state() -> str:
        return runs_state(out, runs_held(out), runs, "the optimisation", None if written else "optimise.md and its tables")

    with folder_lock(out, command="sim optimise"), saying(state):
        check_resumable(out, key, **resumable)
        replace_file(out / MANIFEST, lambda path: write_json(path, asked))  # a kill mid-write must not spoil the resume
        table = search(spec, out, engine, say, clock)
        front = pareto_front(table, spec["objective"])
        best = best_mixes(table, front, spec)
        confirmation = confirm(spec, best, out, engine, say, clock)
        as_it_stands = {k: lever_value(spec["settings"], k) for k in spec["ranges"]}  # unclamped by a narrowed range
        status_quo = evaluate(spec, as_it_stands, out / "confirm" / "status_quo",
                              confirm_seed(spec["seed"]), spec["confirm_replicates"], engine, clock)
        confirmation = against_each(confirmation, status_quo, spec["objective"])
        found = Optimisation(out, table, front, best, confirmation, *verdict(confirmation, spec["objective"]),
                             against_status_quo=against(confirmation, status_quo, spec["objective"]),
                             failed=int(table["failed"].sum() + confirmation["failed"].sum() + status_quo["failed"]),
                             objective=spec["objective"], currency=spec["settings"].costs.currency)
        write_report(out, found, spec, figures=figures)
        written = True
    return found
