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
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import textwrap
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.costs import (
    PLACEHOLDERS,
    SHIPPED_CURRENCY,
    cost_per_released,
    run_words,
    unit_costs_text,
)
from sim.counts import LEAST
from sim.curves import YEAR
from sim.errors import InputError, did_you_mean, require_at_least
from sim.experiments.comparison import clear_of_zero
from sim.experiments.engine import check_engine, sweep
from sim.experiments.experiment import load_experiment
from sim.experiments.metrics import metric_names, summarised, value_range
from sim.experiments.when_stopped import already_done, runs_held, runs_state, saying
from sim.folder_lock import SETTINGS, check_resumable, folder_lock, settings_record
from sim.job_size import check_option, counted
from sim.money import MONEY_FIGURES, amount, figures_apart, money, money_change, money_interval, pair_figures
from sim.output import out_folder, replace_file, replace_set, write_json
from sim.report_folders import OPTIMISE_MANIFEST
from sim.scenarios import LEVERS, load_scenario
from sim.scenarios.fields import resolve_key, settable_range, words_of
from sim.scenarios.names import key_heading, key_name, name_in_text
from sim.scenarios.schema import derived_name
from sim.streams import MAX_SEED, check_seed, replicate_seed

MANIFEST = OPTIMISE_MANIFEST  # the search record, which tells an optimisation folder (sim.report_folders)
SEARCHABLE = (*(f"cooperation.{lever}" for lever in LEVERS), "ngo.capacity", "supervision.strictness")
DEFAULT_RANGES = {"ngo.capacity": (0.0, 1.0)}
"""Search ranges narrower than a parameter's validation bounds: NGO capacity may be set up to 10 places per
released person, but above 1 (a place for everyone) extra places only cost money, so the search stops there."""


STEP = 0.01  # the grid of proposed values: mixes read as 0.37, not 0.3691...; identical on resume
CONFIRM_STREAM = 1  # the fresh seeds of the confirmation: replicate_seed(seed, CONFIRM_STREAM), see confirm_seed
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
    return {"settings": settings, "source": source, "given": str(scenario), "overrides": changes, "budget": float(budget),
            "basis": basis, "objective": objective, "ranges": ranges, "trials": trials, "replicates": replicates,
            "top": top, "confirm_replicates": confirm_replicates, "pareto": pareto,
            "seed": settings.seed if seed is None else seed,
            # only when maximising: the fingerprint of a folder that minimises stays as it was before maximising existed
            **({"maximise": True} if maximised(objective) else {})}


def maximised(objective: str) -> bool:
    """Whether the search maximises `objective`: a metric on which higher is better (``sim.figures.BETTER``: the
    employment rate, trust, NGO enrolment); every other is minimised (offences, recalls, stigma, custody, costs, and
    a metric of no known direction)."""
    from sim.figures import BETTER  # with matplotlib: loaded only when the objective is checked

    return BETTER.get(summarised(objective)) == "higher"


def loss(values, objective: str | None):
    """`values` of `objective` (a number, array or column) as the search ranks them: lower is better, so a maximised
    objective's values are negated; a table keeps its values as they are and ranks by this."""
    return -values if objective and maximised(objective) else values


def aim(objective: str) -> str:
    """'minimising' or 'maximising' `objective`, as the terminal and optimise.md say what the search does."""
    return "maximising" if maximised(objective) else "minimising"


def fingerprint(spec: dict[str, Any]) -> str:
    identity = {k: v for k, v in spec.items() if k not in ("settings", "given", "source")}
    identity["scenario"] = spec["settings"].model_dump(mode="json")
    return hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()[:16]


def confirm_seed(seed: int) -> int:
    """Fresh seeds for the confirmation: an independent stream of the same root (``sim.streams.replicate_seed`` with
    the spawn key CONFIRM_STREAM), its low 32 bits, so that it is a root seed every command takes (up to MAX_SEED)."""
    return replicate_seed(seed, CONFIRM_STREAM) & 0xFFFF_FFFF


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
    recorded = check_resumable(out, key, manifest=MANIFEST, holds="an optimisation", writes=report_files(top, figures),
                               command="sim optimise", asked=asked)
    say = progress is not False
    if say:
        print(f"optimise {spec['settings'].name}: {aim(spec['objective'])} {spec['objective']} "
              f"({objective_words(spec['objective'], spec['settings'].costs.currency)})",
              flush=True)
        print(f"  {counted(len(spec['ranges']), 'lever')}, {size} = {runs:,} runs{already_done(out, runs) if recorded else ''} "
              f"({'NSGA-II, Pareto front' if pareto else 'TPE'}; budget {money(budget, spec['settings'].costs.currency, exact=True)}"
              f"{basis_words(spec)})", flush=True)
    engine = {"workers": workers, "scheduler": scheduler, "max_runs": max_runs}
    written = False  # once the results are: a signal after them finds the folder complete

    def state() -> str:
        return runs_state(out, runs_held(out), runs, "the optimisation", None if written else "optimise.md and its tables")

    with folder_lock(out, command="sim optimise"), saying(state):
        check_resumable(out, key, manifest=MANIFEST, holds="an optimisation", asked=asked)
        replace_file(out / MANIFEST, lambda path: write_json(path, asked))  # a kill mid-write must not spoil the resume
        table = search(spec, out, engine, say)
        front = pareto_front(table, spec["objective"])
        best = best_mixes(table, front, spec)
        confirmation = confirm(spec, best, out, engine, say)
        as_it_stands = {k: _current(spec["settings"], k) for k in spec["ranges"]}  # unclamped by a narrowed range
        status_quo = evaluate(spec, as_it_stands, out / "confirm" / "status_quo",
                              confirm_seed(spec["seed"]), spec["confirm_replicates"], engine)
        confirmation = against_each(confirmation, status_quo, spec["objective"])
        found = Optimisation(out, table, front, best, confirmation, *verdict(confirmation, spec["objective"]),
                             against_status_quo=against(confirmation, status_quo, spec["objective"]),
                             failed=int(table["failed"].sum() + confirmation["failed"].sum() + status_quo["failed"]),
                             objective=spec["objective"], currency=spec["settings"].costs.currency)
        write_report(out, found, spec, figures=figures)
        written = True
    return found


def _sampler(spec: dict[str, Any]):
    import optuna

    def constraint(trial) -> list[float]:
        return [trial.user_attrs["over_budget"]]

    if spec["pareto"]:
        size = max(4, min(20, spec["trials"] // 3))
        return optuna.samplers.NSGAIISampler(population_size=size, seed=spec["seed"], constraints_func=constraint)
    startup = max(2, min(10, spec["trials"] // 3))
    return optuna.samplers.TPESampler(n_startup_trials=startup, seed=spec["seed"], constraints_func=constraint)


def _snap(value: float, low: float, high: float) -> float:
    return float(min(high, max(low, round(round(value / STEP) * STEP, 6))))


def search(spec: dict[str, Any], out: Path, engine: dict, say: bool) -> pd.DataFrame:
    """Ask Optuna for mixes one at a time, run each as a one-point sweep, tell it the means."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constraints_func is flagged experimental
        toward = "maximize" if maximised(spec["objective"]) else "minimize"
        study = optuna.create_study(directions=[toward, "minimize"] if spec["pareto"] else [toward],
                                    sampler=_sampler(spec))
    start = {k: _snap(_current(spec["settings"], k), *r) for k, r in spec["ranges"].items()}
    study.enqueue_trial(start)
    status_quo = own_mix(spec)
    rows, show = [], objective_form(spec["objective"])[1]  # a share in percent, as optimise.md writes it
    name = objective_name(spec["objective"])  # in words, as optimise.md's sentences name it, not by its key
    for number in range(spec["trials"]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            trial = study.ask()
            mix = {k: _snap(trial.suggest_float(k, low, high, step=STEP), low, high) if high - low >= STEP
                   else low for k, (low, high) in spec["ranges"].items()}
        outcome = evaluate(spec, mix, out / "trials" / f"{number:04d}", spec["seed"], spec["replicates"], engine)
        trial.set_user_attr("over_budget", outcome["spend"] - spec["budget"] if outcome["ok"] else 1.0)
        values = [outcome["objective"], outcome["cost"]] if spec["pareto"] else [outcome["objective"]]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if outcome["ok"]:
                study.tell(trial, values)
            else:
                study.tell(trial, state=optuna.trial.TrialState.FAIL)
        rows.append({"trial": number, "status_quo": (number == 0 and start == status_quo) or mix == status_quo, **mix,
                     **outcome})
        if say:
            print(f"  trial {number} ({number + 1} of {spec['trials']}): {name} {show(outcome['objective'])}, "
                  f"cost {money(outcome['spend'], spec['settings'].costs.currency, figures=figures_apart(outcome['spend'], spec['budget']))}"
                  f"{'' if outcome['spend'] <= spec['budget'] else ' (over budget)'}", flush=True)
    table = pd.DataFrame(rows)
    table["feasible"] = table["ok"] & (table["spend"] <= spec["budget"])
    return table


def _current(settings, key: str) -> float:
    section, name = key.split(".")
    return float(getattr(getattr(settings, section), name))


def own_mix(spec: dict[str, Any]) -> dict[str, float]:
    """The scenario's own mix on the search's grid of values, not clamped into the searched ranges: a mix is the
    status quo only if it is this one (a range narrowed past the scenario's value leaves no mix that is)."""
    return {k: _snap(_current(spec["settings"], k), -math.inf, math.inf) for k in spec["ranges"]}


def evaluate(spec: dict[str, Any], mix: dict[str, float], folder: Path, seed: int, replicates: int,
             engine: dict) -> dict[str, Any]:
    """One mix's replicates as a one-point sweep: means and standard errors of the objective and the cost, and the
    objective and the spend (the cost the budget is read in) of each replicate that ran by its id (``per_replicate``,
    ``per_replicate_spend``), so that mixes are paired seed by seed."""
    first = next(iter(mix))
    experiment = {"name": folder.name, "scenario": spec["source"], "seed": seed, "replicates": replicates,
                  "overrides": {**spec["overrides"], **{k: v for k, v in mix.items() if k != first}},
                  "design": {"kind": "grid", "factors": {first: [mix[first]]}}}
    built = load_experiment(experiment, max_runs=engine.get("max_runs"), warned=True)  # plan() warned, naming --weeks
    result = sweep(built, out=folder, progress=False, **engine)
    runs = result.runs
    ok = runs[runs["status"] == "ok"]
    spend = cost_per_released(ok) if spec["basis"] == "per_released" else ok["cost_total"]
    n = len(ok)
    return {"ok": n == replicates, "failed": int(len(runs) - n), "replicates": n,
            "objective": float(ok[spec["objective"]].mean()) if n else math.nan,
            "objective_se": standard_error(ok[spec["objective"]]),
            "cost": float(ok["cost_total"].mean()) if n else math.nan,
            "cost_per_released": float(cost_per_released(ok).mean()) if n else math.nan,
            "spend": float(spend.mean()) if n else math.inf,
            "custody_weeks": float(ok["custody_weeks"].mean()) if n else math.nan,
            # by replicate id, which names the seed: a failed run leaves a gap rather than shifting the seeds after it
            "per_replicate": ok.set_index("replicate")[spec["objective"]].to_dict(),
            "per_replicate_spend": spend.set_axis(ok["replicate"]).to_dict()}


def standard_error(values: pd.Series) -> float:
    """Standard error of the mean of the replicates with a value (a share at a horizon nobody in a run reaches has
    none, and the mean leaves it out: so must the count the error divides by)."""
    values = values.dropna()
    return float(values.std(ddof=1) / math.sqrt(len(values))) if len(values) > 1 else math.nan


def pareto_front(table: pd.DataFrame, objective: str | None = None) -> pd.DataFrame:
    """The feasible mixes no other feasible mix beats on both cost and `objective` (``loss``), cheapest first."""
    feasible = table[table["feasible"]]
    feasible = feasible.assign(loss=loss(feasible["objective"], objective)).sort_values(["cost", "loss"])
    keep, best = [], math.inf
    for row in feasible.itertuples():
        if row.loss < best:
            keep.append(row.Index)
            best = row.loss
    return table.loc[keep].reset_index(drop=True)


def front_words(front: pd.DataFrame, objective: str) -> str:
    """The terminal's line on the Pareto front: its count with the noun agreeing, what being on it means, and that a
    front of one mix says spending more within the budget bought no better outcome."""
    n = len(front)
    if n == 0:
        return "Pareto front (front.csv): empty, since no mix tried kept within the budget"
    name = objective_name(objective)
    if n == 1:
        return (f"Pareto front (front.csv): 1 mix within the budget is beaten by no other on both cost and {name}: "
                f"no dearer mix within the budget gave a {better_word(objective)} figure")
    return (f"Pareto front (front.csv): {n} mixes within the budget are beaten by no other on both cost and {name}: "
            f"each dearer one gives a {better_word(objective)} figure")


def better_word(objective: str) -> str:
    """'higher' for a maximised objective, else 'lower': which way the search counts as better."""
    return "higher" if maximised(objective) else "lower"


def best_mixes(table: pd.DataFrame, front: pd.DataFrame, spec: dict[str, Any]) -> pd.DataFrame:
    """The `top` feasible mixes best on the objective (``loss``; from the front in Pareto mode), best first."""
    pool = front if spec["pareto"] else table[table["feasible"]]
    pool = pool.drop_duplicates(subset=list(spec["ranges"]))
    pool = pool.assign(loss=loss(pool["objective"], spec["objective"]))
    return pool.sort_values(["loss", "cost"]).head(spec["top"]).drop(columns="loss").reset_index(drop=True)


def confirm(spec: dict[str, Any], best: pd.DataFrame, out: Path, engine: dict, say: bool) -> pd.DataFrame:
    """Re-run the best mixes on fresh seeds (the same fresh seeds for each) and rank them again."""
    rows, show, name = [], objective_form(spec["objective"])[1], objective_name(spec["objective"])
    fresh = confirm_seed(spec["seed"])
    for rank, (_, row) in enumerate(best.iterrows(), start=1):
        mix = {k: float(row[k]) for k in spec["ranges"]}
        outcome = evaluate(spec, mix, out / "confirm" / f"best_{rank}", fresh, spec["confirm_replicates"], engine)
        rows.append({"search_rank": rank, "trial": int(row["trial"]), "status_quo": bool(row["status_quo"]),
                     "search_objective": row["objective"], **mix,
                     **{k: outcome[k] for k in ("objective", "objective_se", "cost", "spend", "per_replicate",
                                                "per_replicate_spend", "failed")},
                     "within_budget": outcome["spend"] <= spec["budget"]})
        if say:
            print(f"  confirm best {rank}: {name} {show(outcome['objective'])} on fresh seeds "
                  f"(search {show(row['objective'])})", flush=True)
    table = pd.DataFrame(rows, columns=["search_rank", "trial", "status_quo", "search_objective", *spec["ranges"],
                                        "objective", "objective_se", "cost", "spend", "per_replicate",
                                        "per_replicate_spend", "failed", "within_budget"])
    table["confirm_rank"] = loss(table["objective"], spec["objective"]).rank(method="min").astype("Int64") if len(table) else []
    return table


def verdict(confirmation: pd.DataFrame, objective: str | None = None) -> tuple[bool, bool | None]:
    """Does the fresh-seed ranking equal the search ranking, and is the winner ahead of the runner-up beyond noise?
    Mixes are paired seed by seed (``per_replicate``'s replicate ids)."""
    from sim.experiments.comparison import paired_difference

    if confirmation.empty:
        return False, None
    fresh = loss(confirmation.sort_values("search_rank")["objective"].to_numpy(), objective)
    holds = bool((np.diff(fresh) >= 0).all())  # ties do not contradict the order; the report names them
    if len(confirmation) < 2:
        return holds, None
    ordered = confirmation.assign(loss=loss(confirmation["objective"], objective)).sort_values("loss")
    first, second = (pd.Series(v, dtype=float) for v in ordered["per_replicate"].iloc[:2])
    if objective and maximised(objective):
        first, second = second, first
    # runner-up minus winner, or winner minus runner-up where higher is better: above 0 beyond noise either way
    diff, low, high, _ = paired_difference(first, second, **(value_range(objective) if objective else {}))
    pairs = int((first.notna() & second.notna()).sum())
    return holds, (clear_of_zero(diff, low, high, pairs) and diff > 0) if pairs >= 2 else None


def against(confirmation: pd.DataFrame, status_quo: dict[str, Any], objective: str | None = None) -> dict[str, Any]:
    """The confirmed winner against the scenario as it stands, on the same fresh seeds (paired by replicate id): paired
    difference and 95% interval, kept within what `objective` can be (``value_range``).

    A winner that is the status quo is not compared with itself: ``status_quo_won`` says no mix beat it.
    """
    from sim.experiments.comparison import paired_difference

    base = {"status_quo": status_quo["objective"], "status_quo_spend": status_quo["spend"]}
    if confirmation.empty:
        return base
    winner = confirmation.assign(loss=loss(confirmation["objective"], objective)).sort_values(["loss", "search_rank"]).iloc[0]
    if winner["status_quo"]:
        return {**base, "trial": int(winner["trial"]), "status_quo_won": True}
    quo, own = pd.Series(status_quo["per_replicate"], dtype=float), pd.Series(winner["per_replicate"], dtype=float)
    diff, low, high, _ = paired_difference(quo, own, **(value_range(objective) if objective else {}))
    return {**base, "trial": int(winner["trial"]), "file": f"best_{int(winner['search_rank'])}.yaml",
            "winner": float(winner["objective"]), "difference": diff,
            "low": low, "high": high, "pairs": int((quo.notna() & own.notna()).sum()), "seeds": len(own)}


PER_REPLICATE = ("per_replicate", "per_replicate_spend")
"""The confirmation's columns of each fresh replicate's values (by replicate id), kept out of confirmation.csv."""
PAIRED = ("objective_vs_status_quo", "objective_vs_status_quo_low", "objective_vs_status_quo_high",
          "spend_vs_status_quo", "spend_vs_status_quo_low", "spend_vs_status_quo_high", "paired_seeds", "cheaper_seeds")
"""confirmation.csv's columns of each confirmed mix against the scenario as it stands on the same fresh seeds (see
``against_each``)."""


def against_each(confirmation: pd.DataFrame, status_quo: dict[str, Any], objective: str | None = None) -> pd.DataFrame:
    """`confirmation` with each confirmed mix minus the scenario as it stands on the same fresh seeds, paired by
    replicate id (``sim.experiments.comparison.paired_difference``): the objective's mean difference and paired 95%
    interval (``objective_vs_status_quo``, ``_low``, ``_high``: kept within what `objective` can be, ``value_range``),
    the spend's (``spend_vs_status_quo``, ...: the cost the budget is read in, over the run or per person released;
    below 0 is cheaper), over the ``paired_seeds`` fresh seeds with the objective in both, on ``cheaper_seeds`` of
    which the mix cost less. Empty (NaN) for a mix that is the status quo: it is not compared with itself."""
    from sim.experiments.comparison import paired_difference

    quo = pd.Series(status_quo.get("per_replicate", {}), dtype=float)
    quo_spend = pd.Series(status_quo.get("per_replicate_spend", {}), dtype=float)
    rows = []
    for row in confirmation.itertuples():
        if row.status_quo or not isinstance(getattr(row, "per_replicate_spend", None), dict | list):
            rows.append(dict.fromkeys(PAIRED, math.nan))
            continue
        own, spend = pd.Series(row.per_replicate, dtype=float), pd.Series(row.per_replicate_spend, dtype=float)
        seeds = own.index[own.notna()].intersection(quo.index[quo.notna()])  # the seeds paired on the objective
        diff, low, high, _ = paired_difference(quo, own, **(value_range(objective) if objective else {}))
        cost, cost_low, cost_high, _ = paired_difference(quo_spend.reindex(seeds), spend.reindex(seeds), floor=0.0)
        cheaper = (spend.reindex(seeds) < quo_spend.reindex(seeds)).sum()
        rows.append(dict(zip(PAIRED, (diff, low, high, cost, cost_low, cost_high, len(seeds), int(cheaper)), strict=True)))
    paired = pd.DataFrame(rows, index=confirmation.index, columns=list(PAIRED))
    paired[["paired_seeds", "cheaper_seeds"]] = paired[["paired_seeds", "cheaper_seeds"]].astype("Int64")
    return pd.concat([confirmation.drop(columns=[c for c in PAIRED if c in confirmation]), paired], axis=1)


def as_good_for_less(confirmation: pd.DataFrame) -> pd.DataFrame:
    """The confirmed mixes (not the status quo) that did as well as the scenario as it stands within the noise of the
    fresh seeds and cost less on them: the objective's paired 95% interval includes 0, the spend's lies wholly below
    0. Largest saving first; none without the paired columns (``against_each``)."""
    if confirmation.empty or not set(PAIRED) <= set(confirmation):
        return confirmation.iloc[:0]
    c = confirmation
    level = c.apply(lambda row: not paired_clear(row, "objective"), axis=1).astype(bool)
    cheaper = c.apply(lambda row: paired_clear(row, "spend") and row["spend_vs_status_quo"] < 0, axis=1).astype(bool)
    return c[~c["status_quo"].astype(bool) & level & cheaper].sort_values(["spend_vs_status_quo", "search_rank"])


def paired_clear(row, what: str) -> bool:
    """Whether a confirmed mix's paired difference from the scenario as it stands (``against_each``) in `what`
    ("objective" or "spend") is clear of 0 (``clear_of_zero``, as ``sim compare`` reads one); not for a row without
    the paired values (the status quo itself)."""
    pairs = row["paired_seeds"]
    if pd.isna(pairs):
        return False
    return clear_of_zero(row[f"{what}_vs_status_quo"], row[f"{what}_vs_status_quo_low"],
                         row[f"{what}_vs_status_quo_high"], int(pairs))


def beats_status_quo(against: dict[str, Any], objective: str) -> bool:
    """Whether the confirmed winner improves on the scenario as it stands beyond seed noise (``against_status_quo``):
    its difference is clear of 0 (``clear_of_zero``: its paired 95% interval excludes 0, or it is the same on every one
    of two or more fresh seeds) on the better side. A folder that did not record the pairs gives no telling."""
    if not clear_of_zero(against["difference"], against["low"], against["high"], against.get("pairs") or 0):
        return False
    return against["difference"] > 0 if maximised(objective) else against["difference"] < 0


def basis_words(spec: dict[str, Any]) -> str:
    """What the budget's cost is per, in words: ' per person released' or ' over the run'."""
    return " per person released" if spec["basis"] == "per_released" else " over the run"


def spend_interval(low: float, high: float, currency: str) -> str:
    """A spend difference's paired 95% interval in words (``sim.money.money_interval``): 'paired 95% interval GBP
    1,100,000 to 1,700,000 less', or 'no interval' without one."""
    if low != low or high != high:
        return "no interval"
    return f"paired 95% interval {money_interval(low, high, currency)}"


def paired_gain(row, seeds: int) -> dict[str, Any]:
    """A confirmation row's objective against the status quo (``against_each``) as ``gain_interval`` reads it, out of
    `seeds` fresh seeds."""
    return {"difference": row["objective_vs_status_quo"], "low": row["objective_vs_status_quo_low"],
            "high": row["objective_vs_status_quo_high"], "pairs": int(row["paired_seeds"]), "seeds": seeds}


def lever_words(row, spec: dict[str, Any]) -> str:
    """A mix's lever settings in words, each with the scenario's own value in brackets."""
    own = own_mix(spec)
    return "; ".join(f"{name_in_text(key)} {row[key]:g} ({own[key]:g})" for key in spec["ranges"])


def winner_cost(won: pd.DataFrame, currency: str, per: str) -> str:
    """A confirmed mix's (the one row of `won`: the winner, or each mix tied for first) spend against the status quo on
    the same fresh seeds, with its paired 95% interval, as a sentence; '' without one (no paired columns, or no seed both ran)."""
    if won.empty or "spend_vs_status_quo" not in won or won["spend_vs_status_quo"].isna().iloc[0]:
        return ""
    row = won.iloc[0]
    low, high = row["spend_vs_status_quo_low"], row["spend_vs_status_quo_high"]
    interval = spend_interval(low, high, currency)
    if not paired_clear(row, "spend"):  # 'costs GBP 35,377 less (interval GBP -79,419 to +8,665)' claimed a saving
        return (f" Its cost is not distinguishable from the scenario's as it stands on the same seeds "
                f"({money_change(row['spend_vs_status_quo'], currency, per)} on average; {interval}).")
    return (f" It costs {money_change(row['spend_vs_status_quo'], currency, per)} than the scenario as it stands on the "
            f"same seeds ({interval}).")


def spend_figures(confirmation: pd.DataFrame, against_status_quo: Mapping[str, Any]) -> int:
    """The significant figures of the costs on fresh seeds (the confirmation table's and the status quo's beside it in
    words): ``MONEY_FIGURES``, or more until each mix's cost less the status quo's, as written, agrees with its paired
    cost difference as the table below writes it (``sim.money.pair_figures``). A mix at 'GBP 14,000,000' against a
    status quo at 'GBP 15,000,000' read GBP 1,000,000 cheaper beside a difference of -730,000."""
    figures = MONEY_FIGURES
    base = against_status_quo.get("status_quo_spend", float("nan"))
    if base != base or not set(PAIRED) <= set(confirmation):
        return figures
    for _, row in confirmation.iterrows():
        if row["status_quo"] or pd.isna(row["spend_vs_status_quo"]):
            continue
        apart = figures_apart(row["spend_vs_status_quo_low"], row["spend_vs_status_quo_high"])
        figures = max(figures, pair_figures(row["spend"], base, row["spend_vs_status_quo"], apart))
    return figures


def front_figures(front: pd.DataFrame, first: float) -> int:
    """The significant figures of the front's costs and of the first mix's (the scenario as it stands) above them:
    ``MONEY_FIGURES``, or more until every cost on the front that differs from the first mix's reads apart from it
    (``figures_apart``). A front mix at 'GBP 15,000,000' and 5.4% read the same as the scenario as it stands (5.4%,
    'GBP 15,000,000'), which it displaced from the front by being GBP 900,000 cheaper."""
    spends = [] if first != first or front.empty else [v for v in front["spend"] if v == v and v != first]
    return max([MONEY_FIGURES, *(figures_apart(v, first) for v in spends)])


def paired_lines(confirmation: pd.DataFrame, spec: dict[str, Any]) -> list[str]:
    """optimise.md's table of each confirmed mix against the scenario as it stands on the same fresh seeds
    (``against_each``): the objective's and the cost's paired differences with their 95% intervals; nothing without
    the paired columns."""
    if not set(PAIRED) <= set(confirmation):
        return []
    meaning, show = objective_form(spec["objective"])
    costs = spec["settings"].costs
    per = basis_words(spec)
    seeds = spec["confirm_replicates"]
    lines = ["", "### Each mix against the scenario as it stands, on the same fresh seeds", "",
             f"Each confirmed mix minus the scenario as it stands, paired seed by seed over the {seeds} fresh replicates, "
             "with paired 95% intervals: an interval that includes 0 is not distinguishable from the scenario as it "
             f"stands; a cost below 0 is cheaper.", "",
             f"| search rank | trial | {meaning}: difference (paired 95% interval) | cost{per}: difference "
             f"({costs.currency} at {costs.price_year} prices; paired 95% interval) | cheaper on |", "|---|---|---|---|---|"]
    for _, row in confirmation.iterrows():
        if row["status_quo"]:
            lines.append(f"| {row['search_rank']} | {row['trial']} (as it stands) | (itself) | (itself) | |")
            continue
        if pd.isna(row["paired_seeds"]):
            continue  # no fresh values to pair
        n = int(row["paired_seeds"])
        objective = f"{show(row['objective_vs_status_quo'], True)} ({gain_interval(paired_gain(row, seeds), show)})"
        low, high = row["spend_vs_status_quo_low"], row["spend_vs_status_quo_high"]
        figures = figures_apart(low, high)  # the interval's ends told apart
        cost = (f"{amount(row['spend_vs_status_quo'], signed=True, figures=figures)} "
                + (f"({amount(low, signed=True, figures=figures)} to {amount(high, signed=True, figures=figures)})"
                   if low == low else "(no interval)"))
        lines.append(f"| {row['search_rank']} | {row['trial']} | {objective} | {cost} | "
                     f"{int(row['cheaper_seeds'])} of {n} seeds |")
    return lines


def as_good_name(row, winner: int | None, code: str = "`") -> str:
    """A mix as good for less named in the words after the winner's: 'this mix, best mix 2 (trial 1, `best_2.yaml`),'
    for the winner just described (`winner`: its trial), which 'but best mix 2 ... did as well' read as another mix."""
    rank = int(row["search_rank"])
    name = f"best mix {rank} (trial {int(row['trial'])}, {code}best_{rank}.yaml{code})"
    return f"this mix, {name}," if winner is not None and int(row["trial"]) == winner else name


def as_good_lines(confirmation: pd.DataFrame, spec: dict[str, Any], lead: str, winner: int | None = None) -> list[str]:
    """optimise.md's paragraphs on the mixes that did as well as the scenario as it stands within the noise of the
    fresh seeds, for less (``as_good_for_less``), after `lead` (what the fresh seeds say of the best mixes): each with
    its paired differences and intervals and its levers, and honest that 'as well within the noise of R replicates'
    is not 'as well'; the winner just described (`winner`: its trial) as 'this mix' (``as_good_name``). Nothing when
    there is no such mix."""
    mixes = as_good_for_less(confirmation)
    if mixes.empty:
        return []
    show = objective_form(spec["objective"])[1]
    currency = spec["settings"].costs.currency
    per = basis_words(spec)
    said = []
    for _, row in mixes.iterrows():
        n = int(row["paired_seeds"])
        on = "every fresh seed" if row["cheaper_seeds"] == n else f"{int(row['cheaper_seeds'])} of the {n} fresh seeds"
        said.append(
            f"**{as_good_name(row, winner)} did as well within the noise of {n} fresh "
            f"replicates, for less**: a difference of {show(row['objective_vs_status_quo'], True)} "
            f"({gain_interval(paired_gain(row, n), show)}), not distinguishable from the scenario as it stands, for "
            f"{money_change(row['spend_vs_status_quo'], currency, per)} "
            f"({spend_interval(row['spend_vs_status_quo_low'], row['spend_vs_status_quo_high'], currency)}; cheaper on "
            f"{on}){'' if row['within_budget'] else ', though over the budget on fresh seeds'}. Its levers (the "
            f"scenario's own in brackets): {lever_words(row, spec)}.")
    caveat = ("As well within the noise is not as well: {n} replicates cannot rule out a difference anywhere in {which}, "
              "so re-run {it} against the scenario as it stands with more replicates before relying on {them}.")
    if len(said) == 1:
        return ["", f"{lead}, but {said[0]} "
                + caveat.format(n=int(mixes["paired_seeds"].iloc[0]), which="that interval", it="this mix", them="it")]
    counts = sorted({int(v) for v in mixes["paired_seeds"]})
    return ["", f"{lead}, but {len(said)} mixes did as well within the noise of the fresh seeds, for less (largest "
            "saving first):", "", *(f"- {line[:2]}{line[2].upper()}{line[3:]}" for line in said), "",
            caveat.format(n=" or ".join(map(str, counts)), which="those intervals", it="these mixes", them="them")]


def tied_paragraph(tied: pd.DataFrame, against: dict[str, Any], confirmation: pd.DataFrame,
                   spec: dict[str, Any]) -> list[str]:
    """optimise.md's words when two or more mixes tie for first on fresh seeds (``tied_first``): that they tie, which
    files hold them and each one against the scenario as it stands, never one of them called the winner (the search
    order or cost would pick it, not the outcome)."""
    objective, currency, per = spec["objective"], spec["settings"].costs.currency, basis_words(spec)
    show = objective_form(objective)[1]
    names = and_list([mix_label(row) for _, row in tied.iterrows()])
    each = f"{show(tied['objective'].iloc[0])} each"
    if tied["status_quo"].any():
        return ["", f"**No mix searched beat the scenario as it stands**: on fresh seeds {names} tie for first ({each}), "
                "so none is the winner." + (" There is no new best mix to recommend." if as_good_for_less(confirmation).empty
                                            else ""),
                *as_good_lines(confirmation, spec, "No mix did better than the scenario as it stands")]
    seeds = spec["confirm_replicates"]
    lines, beyond = [], []
    for _, row in tied.iterrows():
        gain = paired_gain(row, seeds) if pd.notna(row.get("paired_seeds")) else {}
        if not gain:
            continue
        beyond.append(beats_status_quo(gain, objective))
        lines.append(f"- {mix_label(row)}: a difference of {show(gain['difference'], True)} ({gain_interval(gain, show)}), "
                     + ("an improvement beyond seed noise." if beyond[-1] else "**not** distinguishable from the status quo.")
                     + winner_cost(confirmation[confirmation["trial"] == row["trial"]], currency, per))
    text = ["", f"**{names[0].upper()}{names[1:]} tie for first on fresh seeds** ({each}), so none is the winner: choose among "
            "them by cost, or rerun with more replicates to tell them apart."]
    if "status_quo" in against and lines:
        text += ["", f"On the same fresh seeds the scenario as it stands gives {show(against['status_quo'])} (cost "
                 f"{money(against['status_quo_spend'], currency, figures=spend_figures(confirmation, against))}{per}). "
                 "Each tied mix against it:", "", *lines]
    if not any(beyond):
        text += as_good_lines(confirmation, spec, "No mix did better than the scenario as it stands beyond seed noise")
    return text


def gain_interval(gain: dict[str, Any], show: Callable[..., str]) -> str:
    """The winner's paired 95% interval against the status quo in words, or why it has none: 'n/a to n/a' read as
    an interval that happened to be unknown, when the fresh seeds gave no telling at all."""
    if gain["low"] == gain["low"]:
        from sim.experiments.comparison import cut_said

        cut = cut_said(gain["difference"], gain["low"], gain["high"])
        return f"paired 95% interval {show(gain['low'], True)} to {show(gain['high'], True)}{cut}"
    pairs, seeds = gain.get("pairs"), gain.get("seeds")
    if pairs is None:  # recorded before the count was: either reason may hold
        return "no interval: the same difference on every fresh seed, or fewer than two with a value in both"
    if pairs < 2:
        return (f"no interval: {'only 1' if pairs else 'none'} of the {seeds} fresh seeds {'has' if pairs else 'have'} a "
                f"value in both ({'in the others ' if pairs else ''}nobody was followed that long, or a run failed)")
    return "no interval: the same difference on every fresh seed"


def fresh_cell(row, show: Callable[..., str], objective: str) -> str:
    """A confirmed mix's objective on fresh seeds with its standard error, or, where it has none ('± n/a'), why: one
    fresh replicate, or how many have a value and why the others have none (nobody in them followed to the
    objective's horizon, or a failed run)."""
    if row.objective_se == row.objective_se:
        return f"{show(row.objective)} ± {show(row.objective_se)}"
    per_replicate = getattr(row, "per_replicate", None)
    if not isinstance(per_replicate, dict | list):  # not known: the reason cannot be told
        return f"{show(row.objective)} (no standard error)"
    values = pd.Series(per_replicate, dtype=float)
    valued, failed = int(values.notna().sum()), int(getattr(row, "failed", 0) or 0)
    ran = len(values) + failed
    if ran == 1:
        return f"{show(row.objective)} (one fresh replicate: no standard error)"
    horizon = re.search(r"_(\d+)w$", objective)
    unfollowed = len(values) - valued
    why = "; ".join(filter(None, (
        f"{unfollowed} with nobody followed {horizon.group(1)} weeks after release" if horizon and unfollowed else "",
        f"{failed} failed" if failed else "")))
    if not valued:
        return f"no value ({why})" if why else "no value"
    return (f"{show(row.objective)} (only {valued} of {ran} fresh replicates with a value{f': {why}' if why else ''}; "
            "no standard error)")


def mix_yaml(spec: dict[str, Any], mix: dict[str, float], name: str, out: Path, note: str, title: str) -> str:
    """A scenario file that extends the input scenario with the mix (and any --set / --weeks of the search), titled
    so that a comparison's figures and reports name it ('Baseline: best mix 2'), not by its file's name."""
    import yaml

    given = spec["given"]
    parent = given if not Path(given).suffix else os.path.relpath(Path(given).resolve(), out.resolve())
    nested: dict[str, Any] = {}
    typed = spec["settings"].model_dump(mode="json")  # --set values as the scenario holds them (40, not '40')
    fixed = {key: _lookup(typed, key.replace("__", ".").split(".")) for key in spec["overrides"]}
    for key, value in {**fixed, **mix}.items():
        parts = key.replace("__", ".").split(".")
        place = nested
        for part in parts[:-1]:
            place = place.setdefault(part, {})
        place[parts[-1]] = value.item() if hasattr(value, "item") else value
    head = {"name": name, "title": title, "extends": parent, "description": note}
    return f"# Written by `sim optimise`: {note}\n" + yaml.safe_dump({**head, **nested}, sort_keys=False)


def _lookup(data: Any, parts: list[str]) -> Any:
    for part in parts:
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def show(value: float, sign: bool = False) -> str:
    """A share as 0.0144, a count or a cost as 5,285.5 (with its sign for a difference)."""
    plus = "+" if sign else ""
    return f"{value:{plus},.1f}" if abs(value) >= 10 else f"{value:{plus}.4f}"


def objective_kind(objective: str) -> tuple[str, bool, Any]:
    """The objective's words with its unit (``sim.analysis.value_label``), whether it is a share (written in percent)
    and its unit (``sim.outcomes.UNITS``; None for a metric of no known unit)."""
    from sim.analysis import value_label
    from sim.outcomes import UNITS

    title, scale, _ = value_label(objective)
    unit = UNITS.get(summarised(objective))
    return title, scale == 100 or (unit is not None and unit.scale == 100), unit


def share_text(value: float, sign: bool = False, places: int = 1) -> str:
    """A share in percent to `places` decimals ('3.6%'), a difference of shares in percentage points as comparison.md
    writes it (``sim.experiments.comparison.points_text``: '-1.4 points', '0.0 points')."""
    from sim.experiments.comparison import points_text

    if value != value:
        return "n/a"
    return points_text(value) if sign else f"{100 * value:.{places}f}%"


def objective_form(objective: str) -> tuple[str, Callable[..., str]]:
    """What the objective is, in words with its unit, and how optimise.md writes its values: a share in percent and a
    difference of shares in percentage points (never a bare 0.0300; ``share_text``), any other metric in its unit's
    own precision (``sim.outcomes.UNITS``: person-weeks whole, money to two significant figures as ``sim.money`` writes
    it, 0-1 levels to 3 places; never a difference in person-weeks as +0.5000 beside means of 1,503.0), a metric of no
    known unit as ``show``."""
    title, share, unit = objective_kind(objective)
    if share:
        return title, share_text
    if unit is None:
        return title, show

    def in_unit(value: float, sign: bool = False, figures: int = MONEY_FIGURES) -> str:
        return "n/a" if value != value else unit.text(value, signed=sign, figures=figures)

    return title, in_unit


def pair_shown(objective: str, value: float, reference: float, difference: float) -> tuple[str, str]:
    """A mix's objective and the scenario as it stands (`reference`) as optimise.md and the terminal write them before
    their `difference`, by the rule comparison.md's headlines and groups follow: a share to the decimals, money to the
    significant figures, that make what a reader subtracts from the two as written agree with the difference as written
    (``sim.experiments.comparison.pair_decimals``, ``sim.money.pair_figures``). '3.6% vs 5.0% (-1.3 points)' (3.64% and
    4.96%) read 1.4 apart; at two decimals it reads '3.64% vs 4.96%'. Any other metric as ``objective_form`` writes it."""
    from sim.experiments.comparison import pair_decimals

    _, share, unit = objective_kind(objective)
    if share:
        places = pair_decimals(value, reference, difference)
        return share_text(value, places=places), share_text(reference, places=places)
    shown = objective_form(objective)[1]
    if unit is not None and unit.money:
        figures = pair_figures(value, reference, difference)
        return shown(value, figures=figures), shown(reference, figures=figures)
    return shown(value), shown(reference)


def objective_name(objective: str) -> str:
    """The objective as a sentence names it beside a value: its words (``sim.analysis.value_label``), not its key, which
    a policy reader does not know ('new offence of any kind (first) at 156 weeks since release', where the prose said
    `reoffended_156w`); a share's '(% of cohort)' left to the value's own '%'."""
    from sim.analysis import value_label

    title = value_label(objective)[0].removesuffix(" (% of cohort)")
    return title[:1].lower() + title[1:]


def objective_words(objective: str, currency: str | None = None) -> str:
    """The objective as optimise.md and the terminal name it: what it counts, its unit and which way is better
    (``sim.analysis.metric_words``): the direction the search takes (``maximised``)."""
    from sim.analysis import metric_words

    return metric_words(objective, currency)


def lever_lines(spec: dict[str, Any]) -> list[str]:
    """optimise.md's table of the levers searched: each by the name the tables below head it with and its key, in
    words, its range and its value in the scenario as it stands."""
    own = own_mix(spec)
    return ["| lever | what it is | searched between | as it stands |", "|---|---|---|---|",
            *(f"| {key_name(key)} (`{key}`) | {words_of(key)} | {low:g} to {high:g} | {own[key]:g} |"
              for key, (low, high) in spec["ranges"].items())]


def markdown(found: Optimisation, spec: dict[str, Any]) -> str:
    """``optimise.md``: the search, the front, the best mixes and whether the fresh seeds confirm their ranking."""
    costs = spec["settings"].costs
    currency = costs.currency
    per = basis_words(spec)
    priced = f"{currency} at {costs.price_year} prices"
    objective = spec["objective"]
    meaning, show = objective_form(objective)
    t = found.trials
    quo = t[t["status_quo"]]
    # the front's costs and the first mix's read apart wherever they differ
    apart = front_figures(found.front, (t if quo.empty else quo)["spend"].iloc[0]) if len(t) else MONEY_FIGURES
    if quo.empty:  # a range narrowed past the scenario's value: the first mix is the nearest within the ranges
        first = t.iloc[0]
        outside = ", ".join(f"{k} {v:g}" for k, v in own_mix(spec).items()
                            if not spec["ranges"][k][0] <= v <= spec["ranges"][k][1])
        standing = (f"The scenario as it stands ({outside}) lies outside the searched ranges, so it is not among the mixes: "
                    f"the first mix tried is the nearest within them (trial 0: {objective_name(objective)} {show(first['objective'])}, "
                    f"cost {money(first['spend'], currency, figures=max(apart, figures_apart(first['spend'], spec['budget'])))}{per}{' (over the budget)' if not first['feasible'] else ''}); "
                    "the scenario as it stands is run on the fresh seeds below.")
    else:
        status = quo.iloc[0]
        standing = (f"The scenario as it stands: {objective_name(objective)} {show(status['objective'])}, cost "
                    f"{money(status['spend'], currency, figures=max(apart, figures_apart(status['spend'], spec['budget'])))}{per}{' (over the budget)' if not status['feasible'] else ''}.")
    text = [f"# Best mixes for {spec['settings'].name} under a budget of {money(spec['budget'], currency, exact=True)}{per}", "",
            f"{aim(objective).capitalize()} `{objective}` (mean over {spec['replicates']} replicates) over {len(spec['ranges'])} levers, "
            f"{spec['trials']} mixes ({'NSGA-II, looking for the mixes no other beats on both outcome and cost' if spec['pareto'] else 'TPE'}, "
            f"Optuna, seed {spec['seed']}): {objective_words(objective, currency)}. Every mix ran on the same seeds (common random numbers). "
            f"Cost is each run's cost {run_words(spec['settings'].weeks, spec['settings'].weeks)}, the scenario's "
            f"`costs:` section applied to its record ({currency} at {costs.price_year} prices, "
            f"for the whole simulated cohort of one run{' divided by the people released' if spec['basis'] == 'per_released' else ''}). "
            + f"Unit costs: {unit_costs_text(costs)}. {PLACEHOLDERS}", "",
            standing,
            f"{int(t['feasible'].sum())} of {len(t)} mixes kept within the budget"
            + (f"; {found.failed} runs failed." if found.failed else "."), "",
            "## Levers searched", "", *lever_lines(spec), "",
            "## Front: the cheapest mix for each level of the objective", "",
            f"The Pareto front: the mixes within the budget that no other mix beats on both outcome and cost, cheapest "
            f"first; each dearer one gives a {better_word(objective)} figure for {objective_name(objective)}.", "",
            f"| trial | cost{per} ({priced}) | {meaning} | " + " | ".join(map(key_heading, spec["ranges"])) + " |",
            "|---|---|---|" + "---|" * len(spec["ranges"])]
    for _, row in found.front.iterrows():
        text.append(f"| {row['trial']} | {amount(row['spend'], figures=apart)} | {show(row['objective'])} | "
                    + " | ".join(f"{row[k]:g}" for k in spec["ranges"]) + " |")
    c = found.confirmation
    text += ["", f"## Confirmation on fresh seeds ({spec['confirm_replicates']} replicates each)", ""]
    if c.empty:
        text.append("**No mix kept within the budget: nothing to confirm.** Raise the budget or narrow the levers.")
    else:
        text += [f"| search rank | trial | {meaning}: in the search | on fresh seeds (± s.e.) | cost{per} on fresh seeds "
                 f"({priced}) | fresh rank |",
                 "|---|---|---|---|---|---|"]
        spent = spend_figures(c, found.against_status_quo)  # each cost and the status quo's agree with their difference
        for row in c.itertuples():
            trial = f"{row.trial} (as it stands)" if row.status_quo else row.trial
            text.append(f"| {row.search_rank} | {trial} | {show(row.search_objective)} | {fresh_cell(row, show, objective)} | "
                        f"{amount(row.spend, figures=max(figures_apart(row.spend, spec['budget']), spent))}"
                        f"{'' if row.within_budget else ' (over budget)'} | {row.confirm_rank} |")
        text.append("")
        text += tie_lines(found.best, show, objective)
        if every_mix_ties(found.best):
            pass  # no search order to hold, as tie_lines says
        elif len(c) < 2:  # one mix has no order to keep: "the ranking holds" would claim a check that was not made
            why = ("--top 1" if spec["top"] == 1 else "the only mix on the front" if spec["pareto"]
                   else "the only distinct mix within the budget")
            text.append(f"Only one mix was confirmed ({why}): there is no ranking to check on fresh seeds.")
        elif fresh_ties(c):
            text.append(f"**On fresh seeds every best mix ties** ({show(c['objective'].iloc[0])} each): the fresh seeds "
                        "show no order, so the search's order is not confirmed. Treat the mixes as equally good, or "
                        "rerun with more replicates.")
        elif found.ranking_holds and found.winner_distinguishable is False:  # same order, but within noise
            text.append("The ranking holds only in order: on fresh seeds the best mixes come in the same order, but "
                        "the order is not shown beyond seed noise (below).")
        elif found.ranking_holds:
            text.append("**The ranking holds**: on fresh seeds the best mixes come in the same order.")
        else:
            text.append("**The ranking does not hold**: on fresh seeds the best mixes come in another order, so the "
                        "search's order owes something to its seeds. Treat the mixes as equally good, or rerun with "
                        "more replicates.")
        if c["confirm_rank"].duplicated().any() and not fresh_ties(c):
            text.append("Some mixes tie on fresh seeds (same mean): the order among them is not decided.")
        tied = tied_first(c)
        # with every best mix tied in the search there was no ranking to confirm: the fresh seeds alone put one first
        first = "The best mix on fresh seeds" if every_mix_ties(found.best) else "The winner"
        if not tied.empty:  # the first two tie: there is no winner to set against a runner-up
            pass
        elif found.winner_distinguishable is True:
            text.append(f"{first} is ahead of the runner-up beyond seed noise (paired 95% interval excludes 0, or the "
                        "same difference on every fresh seed).")
        elif found.winner_distinguishable is False:
            text.append(f"{first} is **not** distinguishable from the runner-up on fresh seeds (paired 95% interval "
                        "includes 0): either would do as far as this model can tell.")
        if not c["within_budget"].all():
            text.append("Some mixes cost more than the budget on fresh seeds: they sit at its edge.")
        text += paired_lines(c, spec)
        a = found.against_status_quo
        if not tied.empty:
            text += tied_paragraph(tied, a, c, spec)
        elif a.get("status_quo_won"):
            text += ["", f"**No mix searched beat the scenario as it stands**: its own mix (trial {a['trial']}) comes "
                     f"first on fresh seeds ({show(a['status_quo'])}, cost {money(a['status_quo_spend'], currency, figures=spent)}{per})."
                     + ("" if not as_good_for_less(c).empty else
                        " There is no new best mix to recommend: the other mixes did no better on fresh seeds.")]
            text += as_good_lines(c, spec, "No mix did better than the scenario as it stands")
        elif "difference" in a:
            beyond = beats_status_quo(a, objective)
            cost = winner_cost(c[c["trial"] == a["trial"]], currency, per)
            # with every best mix tied in the search there was no ranking to confirm: the fresh seeds alone put it first
            leader = "the best mix on fresh seeds" if every_mix_ties(found.best) else "the confirmed winner"
            winner, status_quo = pair_shown(objective, a["winner"], a["status_quo"], a["difference"])
            text += ["", f"On the same fresh seeds the scenario as it stands gives {status_quo} (cost "
                     f"{money(a['status_quo_spend'], currency, figures=spent)}{per}); {leader} (trial {a['trial']}, "
                     f"`{a['file']}`) "
                     f"{winner}: a difference of {show(a['difference'], True)} ({gain_interval(a, show)}), "
                     + ("an improvement beyond seed noise." if beyond else "**not** distinguishable from the status quo.")
                     + cost]
            if not beyond:
                text += as_good_lines(c, spec, "No mix did better than the scenario as it stands beyond seed noise",
                                      winner=int(a["trial"]))
    text += ["", "## Files", "",
             "- `trials.csv`: every mix tried, its objective and cost (means and standard errors over replicates).",
             "- `front.csv`, `figures/front.png`: the front above; the figure marks every mix, the best mixes starred, "
             f"at its search values (mean of {spec['replicates']} "
             "replicates), not the confirmed ones above.",
             "- `best_<n>.yaml`: the best mixes as scenarios extending the input scenario, n their search rank; "
             "`sim compare <scenario> best_<n>.yaml ...` re-runs them."
             + "".join(f" No `best_{rank}.yaml`: that mix is the scenario as it stands (the input scenario)."
                       for rank in status_quo_ranks(found.best)),
             "- `confirmation.csv`: the best mixes re-run on fresh seeds, each with its paired difference from the "
             "scenario as it stands on the same seeds and 95% intervals (objective and cost).",
             "- `trials/`, `confirm/`: the sweeps behind every number (rerun the command into this folder to resume).", ""]
    return "\n".join(text)


def report_files(top: int, figures: bool) -> tuple[str, ...]:
    """The files ``write_report`` writes (checked before the work: nothing may be in their way)."""
    return ("trials.csv", "front.csv", "confirmation.csv", "optimise.md", *(f"best_{rank}.yaml" for rank in range(1, top + 1)),
            *(("figures/front.png",) if figures else ()))


def write_report(out: Path, found: Optimisation, spec: dict[str, Any], *, figures: bool = True) -> None:
    """Tables, scenario files, figure and words, written as one set (``replace_set``): optimise.md, renamed last, says
    it is whole; a resumed folder's best file that this set does not write is stale and removed before it."""
    columns = ["trial", "status_quo", *spec["ranges"], "objective", "objective_se", "cost", "cost_per_released",
               "spend", "custody_weeks", "replicates", "failed", "feasible"]
    files = {"trials.csv": lambda p: found.trials[columns].to_csv(p, index=False),
             "front.csv": lambda p: found.front[columns].to_csv(p, index=False),
             "confirmation.csv": lambda p: found.confirmation.drop(columns=[c for c in PER_REPLICATE if c in found.confirmation])
             .to_csv(p, index=False),
             "optimise.md": lambda p: p.write_text(markdown(found, spec))}
    from sim.figures import titles  # with matplotlib, which the report's figure loads anyway

    name, as_it_stands = spec["settings"].name, status_quo_ranks(found.best)
    own_title = titles([spec["settings"]])[name]  # best_<n>.yaml is titled as comparisons will name it
    show = objective_form(spec["objective"])[1]
    for index, row in found.best.iterrows():
        rank = index + 1
        if rank in as_it_stands:  # the input scenario itself: a best_<rank>.yaml would only repeat it
            continue
        mix = {k: float(row[k]) for k in spec["ranges"]}
        note = (f"best mix {rank} for {spec['objective']} under {money(spec['budget'], spec['settings'].costs.currency, exact=True)} "
                f"(trial {row['trial']}: {show(row['objective'])} in the search)")
        title = f"{own_title}: best mix {rank}"
        files[f"best_{rank}.yaml"] = lambda p, mix=mix, rank=rank, note=note, title=title: p.write_text(
            mix_yaml(spec, mix, derived_name(name, f"_best_{rank}"), out, note, title))
        found.files.append(out / f"best_{rank}.yaml")
    if figures:
        files["figures/front.png"] = lambda p: draw_front(found, spec, p)
    replace_set(out, files, last="optimise.md",  # an earlier front.png beside tables written --no-figures is not theirs
                stale=["figures/front.png", *(f"best_{rank}.yaml" for rank in range(1, spec["top"] + 1))])


def search_ties(best: pd.DataFrame) -> list[list[int]]:
    """The search ranks of best mixes with the same objective in the search (to rounding), in groups of two or more:
    ``best_mixes`` orders them by cost alone, so their rank says which is cheaper, not which is better."""
    from sim.experiments.comparison import within_rounding

    groups: list[list[int]] = []
    values = best["objective"].tolist()
    for rank in range(2, len(values) + 1):
        if within_rounding(abs(values[rank - 1] - values[rank - 2]), values[rank - 1]):
            if groups and groups[-1][-1] == rank - 1:
                groups[-1].append(rank)
            else:
                groups.append([rank - 1, rank])
    return groups


def fresh_ties(confirmation: pd.DataFrame) -> bool:
    """Two or more confirmed mixes, all with the same mean on fresh seeds: an order they 'keep' would be no order."""
    return len(confirmation) > 1 and confirmation["confirm_rank"].nunique() == 1


def every_mix_ties(best: pd.DataFrame) -> bool:
    """All of two or more best mixes tie in the search: there is no search order for fresh seeds to confirm."""
    return len(best) > 1 and search_ties(best) == [list(range(1, len(best) + 1))]


def tied_first(confirmation: pd.DataFrame) -> pd.DataFrame:
    """The confirmed mixes sharing the best mean on fresh seeds (``confirm_rank`` 1), by search rank, when two or
    more do (else none): then no mix is the winner, and the words name each tied mix and the file holding it."""
    if len(confirmation) < 2:
        return confirmation.iloc[:0]
    first = confirmation[confirmation["confirm_rank"] == 1].sort_values("search_rank")
    return first if len(first) > 1 else confirmation.iloc[:0]


def mix_label(row, code: bool = True) -> str:
    """A confirmed mix by search rank, trial and file ('best mix 1 (trial 2, `best_1.yaml`)'), or the scenario as it
    stands, which has no best file; `code` puts the file in backticks (optimise.md), not in the terminal."""
    if row["status_quo"]:
        return f"the scenario as it stands (trial {int(row['trial'])})"
    file = f"best_{int(row['search_rank'])}.yaml"
    return f"best mix {int(row['search_rank'])} (trial {int(row['trial'])}, {f'`{file}`' if code else file})"


def and_list(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def tie_lines(best: pd.DataFrame, show: Callable[..., str], objective: str) -> list[str]:
    """optimise.md's words on mixes that tie in the search (``search_ties``): their order is the cost's."""
    if every_mix_ties(best):
        among = " (the scenario as it stands among them)" if best["status_quo"].any() else ""
        return [f"**Every best mix ties in the search**: each gives {objective_name(objective)} {show(best['objective'].iloc[0])}"
                f"{among}, so the search found none better than another, and their search ranks follow cost alone, "
                "cheapest first. There is no ranking to confirm; raise --replicates, or choose among them by cost."]
    return [f"Search ranks {' and '.join(map(str, group))} tie in the search ({show(best['objective'].iloc[group[0] - 1])} "
            "each): their order follows cost alone, cheapest first." for group in search_ties(best)]


def status_quo_ranks(best: pd.DataFrame) -> list[int]:
    """The search ranks of the best mixes that are the scenario as it stands: no best_<rank>.yaml for them."""
    return [rank for rank, quo in enumerate(best["status_quo"], start=1) if quo]


def draw_front(found: Optimisation, spec: dict[str, Any], path: Path) -> None:
    """``front_figure`` as a PNG at `path`."""
    from sim.figures import save

    save(front_figure(found, spec), path, dpi=120)


def front_figure(found: Optimisation, spec: dict[str, Any]):
    """Every mix's cost against its objective, the front, the budget, the status quo and the best mixes: the objective
    in its unit (a share of the cohort in percent) and named in words, the cost in money with its price year."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    from sim.analysis import value_label
    from sim.figures import titled, wrap
    from sim.money import short_amount, short_key

    meaning, scale, _ = value_label(spec["objective"])
    t = found.trials[found.trials["ok"]]
    fig, ax = plt.subplots(figsize=(7, 4.8))
    ax.scatter(t.loc[~t["feasible"], "spend"], scale * t.loc[~t["feasible"], "objective"], s=14, color="lightgrey",
               label="over budget")
    ax.scatter(t.loc[t["feasible"], "spend"], scale * t.loc[t["feasible"], "objective"], s=14, color="tab:blue",
               label="within budget")
    ax.step(found.front["spend"], scale * found.front["objective"], where="post", color="tab:blue", lw=1.2, label="front")
    quo = found.trials[found.trials["status_quo"]]  # none when the scenario's values lie outside the searched ranges
    if not quo.empty:
        ax.scatter(quo["spend"].iloc[:1], scale * quo["objective"].iloc[:1], marker="s", color="black", s=40, zorder=3,
                   label="scenario as it stands")
    # a best mix that is the scenario as it stands is its square, labelled by rank, never starred as a mix to fund
    for rank, (_, row) in enumerate(found.best.iterrows(), start=1):
        ax.annotate(f"{rank} (as it stands)" if row["status_quo"] else str(rank), (row["spend"], scale * row["objective"]),
                    textcoords="offset points", xytext=(4, 4 + 9 * (rank - 1)),
                    color="black" if row["status_quo"] else "tab:red")
    mixes = found.best[~found.best["status_quo"].astype(bool)]
    if not mixes.empty:
        ax.scatter(mixes["spend"], scale * mixes["objective"], marker="*", s=90, color="tab:red", zorder=4,
                   label="best mixes (search values)")
    ax.axvline(spec["budget"], color="tab:red", ls="--", lw=1, label="budget")
    if ax.get_ylim()[0] < 0 <= t["objective"].min():  # a share or count never below 0 (matplotlib pads all-0 down)
        ax.set_ylim(bottom=0)
    costs = spec["settings"].costs
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: short_amount(v)))  # as the acceptability curve's axis
    per = "per person released" if spec["basis"] == "per_released" else "over the run, whole cohort"
    ax.set_xlabel(f"cost {per} ({costs.currency}, {costs.price_year} prices{short_key(ax.get_xlim()[1])})")
    # a long name on lines of at most about 45 characters, so that none runs off the figure's height
    ax.set_ylabel(meaning.replace(" at ", "\nat ", 1) if " at " in meaning and len(meaning) > 40
                  else textwrap.fill(meaning, 45))
    settings = spec["settings"]  # named and in words as the tables name them, not by keys
    ax.set_title(wrap(f"{titled({settings.name: settings.title or settings.name}, settings.name)}: cost against "
                      f"{meaning[:1].lower()}{meaning[1:]} ({better_word(spec['objective'])} is better)", 7, 11),
                 fontsize="medium")
    ax.legend(fontsize="small", loc="best")
    fig.tight_layout()
    return fig
