"""The runs of ``sim optimise``: Optuna's search, each mix as a one-point sweep on the sweep engine, and the best
mixes re-run on fresh seeds (the confirmation).

Every mix of a search runs on the same replicate seeds (common random numbers) and keeps each replicate's values by
its id, so that mixes are paired seed by seed; the confirmation runs on an independent stream of the same root seed
(``confirm_seed``). The method and the entry point are ``sim.experiments.optimise``; what the runs say (the front, the
best mixes, the verdicts) is ``optimise_ranking``'s to read.
"""

from __future__ import annotations

import math
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from sim.costs import cost_per_released
from sim.experiments.engine import sweep
from sim.experiments.experiment import load_experiment
from sim.experiments.optimise_objective import loss, maximised, objective_form, objective_name
from sim.money import figures_apart, money
from sim.streams import derived_seed, seed_integer

if TYPE_CHECKING:
    from sim.experiments.optimise_estimate import MixClock

STEP = 0.01  # the grid of proposed values: mixes read as 0.37, not 0.3691...; identical on resume


def confirm_seed(seed: int) -> int:
    """Fresh seeds for the confirmation: a root of its own derived from the search's (``derived_seed``), its low
    32 bits, so that it is a root seed every command takes (up to MAX_SEED)."""
    return seed_integer(derived_seed(seed, "optimise confirmation")) & 0xFFFF_FFFF


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


def search(spec: dict[str, Any], out: Path, engine: dict, say: bool, clock: MixClock | None = None) -> pd.DataFrame:
    """Ask Optuna for mixes one at a time, run each as a one-point sweep, tell it the means; `clock` times the mixes
    for the estimate (``optimise_estimate``)."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # constraints_func is flagged experimental
        toward = "maximize" if maximised(spec["objective"]) else "minimize"
        study = optuna.create_study(directions=[toward, "minimize"] if spec["pareto"] else [toward],
                                    sampler=_sampler(spec))
    start = {k: _snap(lever_value(spec["settings"], k), *r) for k, r in spec["ranges"].items()}
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
        outcome = evaluate(spec, mix, out / "trials" / f"{number:04d}", spec["seed"], spec["replicates"], engine, clock)
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
                  f"{'' if outcome['spend'] <= spec['budget'] else ' (over budget)'}", file=sys.stderr, flush=True)
    table = pd.DataFrame(rows)
    table["feasible"] = table["ok"] & (table["spend"] <= spec["budget"])
    return table


def lever_value(settings, key: str) -> float:
    """A searched lever's value in `settings` (``section.name``): the scenario as it stands, unclamped and off the grid."""
    section, name = key.split(".")
    return float(getattr(getattr(settings, section), name))


def own_mix(spec: dict[str, Any]) -> dict[str, float]:
    """The scenario's own mix on the search's grid of values, not clamped into the searched ranges: a mix is the
    status quo only if it is this one (a range narrowed past the scenario's value leaves no mix that is)."""
    return {k: _snap(lever_value(spec["settings"], k), -math.inf, math.inf) for k in spec["ranges"]}


def evaluate(spec: dict[str, Any], mix: dict[str, float], folder: Path, seed: int, replicates: int,
             engine: dict, clock: MixClock | None = None) -> dict[str, Any]:
    """One mix's replicates as a one-point sweep: means and standard errors of the objective and the cost, and the
    objective and the spend (the cost the budget is read in) of each replicate that ran by its id (``per_replicate``,
    ``per_replicate_spend``), so that mixes are paired seed by seed. `clock` is told when the mix is done."""
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
    if clock is not None:
        clock.ended(result.manifest["sessions"][-1])
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


def confirm(spec: dict[str, Any], best: pd.DataFrame, out: Path, engine: dict, say: bool,
            clock: MixClock | None = None) -> pd.DataFrame:
    """Re-run the best mixes on fresh seeds (the same fresh seeds for each) and rank them again."""
    rows, show, name = [], objective_form(spec["objective"])[1], objective_name(spec["objective"])
    fresh = confirm_seed(spec["seed"])
    for rank, (_, row) in enumerate(best.iterrows(), start=1):
        mix = {k: float(row[k]) for k in spec["ranges"]}
        outcome = evaluate(spec, mix, out / "confirm" / f"best_{rank}", fresh, spec["confirm_replicates"], engine, clock)
        rows.append({"search_rank": rank, "trial": int(row["trial"]), "status_quo": bool(row["status_quo"]),
                     "search_objective": row["objective"], **mix,
                     **{k: outcome[k] for k in ("objective", "objective_se", "cost", "spend", "per_replicate",
                                                "per_replicate_spend", "failed")},
                     "within_budget": outcome["spend"] <= spec["budget"]})
        if say:
            print(f"  confirm best {rank}: {name} {show(outcome['objective'])} on fresh seeds "
                  f"(search {show(row['objective'])})", file=sys.stderr, flush=True)
    table = pd.DataFrame(rows, columns=["search_rank", "trial", "status_quo", "search_objective", *spec["ranges"],
                                        "objective", "objective_se", "cost", "spend", "per_replicate",
                                        "per_replicate_spend", "failed", "within_budget"])
    table["confirm_rank"] = loss(table["objective"], spec["objective"]).rank(method="min").astype("Int64") if len(table) else []
    return table
