"""Robustness: do a comparison's conclusions survive the model's own assumptions?

The *assumed* parameters (source "assumed", see docs/PARAMETERS.md) are drawn together over their
plausible ranges in a seeded Latin hypercube. Each draw is applied to every scenario and run with
common random numbers: one sweep per scenario on the sweep engine (``sim.experiments.engine``), all with
the same design and the same root seed, so draw d, replicate r of every scenario shares its seed. A
one-point sweep per scenario at the scenario's own values gives the *nominal* conclusion.

The assumed prices (the ``costs`` section's assumed unit costs) are drawn with the rest: costs are read off each run's
record with the run's own prices (``sim.costs``), so a price changes what a draw costs, never what happens in it, and
the cost conclusion is tested against the prices as the others are against behaviour. Their ranges are in GBP: scenarios
priced in another currency keep their prices.

For each headline difference (scenario minus reference: new offence and recall within each whole year
of release, community stigma at the end, and the cost per person released over the run) the report gives the
share of draws keeping the nominal sign, the draws that flip it and those giving no difference (a zero difference
neither keeps nor flips a sign), and the spread over draws; then PRIM (Patient Rule Induction Method, EMA
Workbench), over the few assumptions extra trees rank highest (prices only for the cost), finds the box of
assumption ranges where the conclusion does not hold (its sign flips or the difference is zero), and tests it on
held-out draws. Left out
of the draws: parameters the compared scenarios set differently (they are the policy under study, not an
assumption) and the population section (it defines the cohort studied, not how people behave).

Is a scenario worth its cost? From the same runs, the cost-effectiveness acceptability curve
(``sim.experiments.acceptability``): each draw's extra cost and offences averted against the reference
(``robustness_analysis.extra_cost_and_averted``, draws.csv's ``<scenario>:extra_cost`` and ``<scenario>:offences_averted``), and the share
of draws worth funding at each willingness to pay per new offence averted (``Robustness.acceptability``,
acceptability.csv). Where a nominal cohort can commit terrorism offences (``sim.curves.commits_terrorism``), per
terrorism offence averted too
(``<scenario>:terrorism_offences_averted``, acceptability.csv's rows of outcome ``terrorism_offences``).

Rerunning into the same folder resumes the sweeps; one that changes only the nominal replicates reuses every draw and
runs only the nominal comparison again (``nominal_sweep``). The folder is locked while it runs.

This module plans the sweeps, runs them, writes the folder's files as one set and reads a finished folder back
(``load``). The rest is in its siblings, each depending only on those before it: ``robustness_results`` (the
``Robustness`` record and how a conclusion is named), ``robustness_analysis`` (sign shares, PRIM, the held-out test,
the draws' costs), ``robustness_words`` (robustness.md's words) and ``robustness_figures`` (its figures).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.checked_read import damaged, read_csv, read_json
from sim.costs import OFFENCES, SHIPPED_CURRENCY, TERRORISM, cost_per_released, outcomes_to_price
from sim.counts import LEAST
from sim.curves import EXTREMIST_SHARE, GENERAL_TERRORISM, commits_terrorism
from sim.errors import InputError, require_at_least
from sim.experiments.acceptability import (
    ACCEPTABILITY,
    ACCEPTABILITY_COLUMNS,
    EXTRA_COST,
    NOMINAL_PRICE_COLUMNS,
    RUN_COST,
    RUN_COUNTS,
    averted_column,
    compared_terms,
    draw_acceptability,
    unpriced,
)
from sim.experiments.comparison import require_one_currency, require_reference_and_others
from sim.experiments.engine import sweep
from sim.experiments.engines import check_engine
from sim.experiments.experiment import Experiment, load_experiment
from sim.experiments.robustness_analysis import (
    BOX_COLUMNS,
    HELD_OUT_COLUMNS,
    NOMINAL_COLUMNS,
    PRICES,
    TABLE_COLUMNS,
    analyse,
)
from sim.experiments.robustness_figures import draw_prim, draw_spread
from sim.experiments.robustness_results import COST, Robustness, is_headline
from sim.experiments.robustness_words import HELD, held_count, markdown
from sim.experiments.store import RUNS, finished_runs, read_dataset
from sim.experiments.sweep_folder import Sweep, recorded_replicates
from sim.experiments.when_stopped import already_done, runs_held, runs_state, saying
from sim.folder_lock import SETTINGS, check_resumable, folder_lock, settings_record
from sim.job_size import check_option, counted
from sim.output import out_folder, replace_file, replace_set, write_json
from sim.report_folders import ROBUSTNESS_MANIFEST
from sim.runner import as_list, require_distinct_names
from sim.scenarios import load_scenario
from sim.scenarios.fields import dotted_keys, overrides_as_read, parameters, read_in, robustness_range, value_at
from sim.scenarios.safe_yaml import dotted
from sim.scenarios.schema import Scenario
from sim.streams import check_seed

MANIFEST = ROBUSTNESS_MANIFEST  # tells a robustness folder (sim.report_folders)
NOMINAL_REPLICATES = 10
"""Replicates of the nominal (reference-settings) comparison unless asked otherwise, and never fewer than a draw's.

The draws are tested against the nominal difference's sign, so that sign must be the policy's, not the seeds'. On a
draw's 2 replicates its paired 95% interval rests on one degree of freedom (t = 12.7): only a very large difference
is clear of 0. On 10 it rests on nine (t = 2.26), about 13 times narrower for the same spread, while the nominal point
costs 10 runs a scenario against the draws' 128 (64 draws x 2)."""


def assumptions(scenarios: list[Scenario]) -> dict[str, tuple[float, float]]:
    """The assumed numeric parameters to draw, with their plausible ranges (see the module docstring). Prices only
    in ``SHIPPED_CURRENCY``: their ranges are in it, and a scenario priced in another would draw them in the wrong
    one."""
    dumps = [s.model_dump() for s in scenarios]
    foreign = any(s.costs.currency != SHIPPED_CURRENCY for s in scenarios)
    drawn = {}
    for path, info, _ in parameters():
        key = dotted(path)
        span = robustness_range(path, info)
        if span is None or not any(read_in(path, d) for d in dumps):  # an unread value changes nothing
            continue
        if foreign and key.startswith(PRICES):
            continue
        values = {value_at(d, path) for d in dumps}
        if len(values) == 1:
            drawn[key] = span
    return drawn


def plan(sources: list[Any], *, draws: int, replicates: int, seed: int | None, overrides: dict | None,
         weeks: int | None, nominal_replicates: int | None = None) -> dict[str, Any]:
    """Check everything before any run: scenarios, sizes and the assumptions to draw."""
    require_reference_and_others(sources)
    require_at_least(draws, LEAST["robustness"]["--draws"], "--draws")
    require_at_least(replicates, 1, "--replicates")
    nominal_replicates = max(NOMINAL_REPLICATES, replicates) if nominal_replicates is None else nominal_replicates
    require_at_least(nominal_replicates, LEAST["robustness"]["--nominal-replicates"], "--nominal-replicates")
    check_seed(seed)
    changes = dict(overrides or {})
    if weeks is not None:
        changes["weeks"] = weeks
    if not all(isinstance(s, str | Path) for s in sources):
        raise InputError("robustness reads scenarios by name or file", key="scenarios",
                         expected="shipped scenario names or paths to YAML files")
    settings = [load_scenario(s, overrides, weeks=weeks) for s in sources]
    require_distinct_names(settings, sources)
    require_one_currency(settings, sources)  # the cost conclusion is a difference of two scenarios' costs
    names = [s.name for s in settings]
    if len({s.weeks for s in settings}) > 1:
        raise InputError("scenarios run for different numbers of weeks", key="weeks",
                         expected="scenarios of one horizon (or --weeks)")
    # a value the user fixed with --set, or a scenario file fitted to data, is no longer uncertain: held, not drawn
    asked, drawn, fixed, fitted = dotted_keys(overrides or {}), {}, {}, {}
    for key, span in assumptions(settings).items():
        fit = next((said for s in settings if (said := s.fit_of(key))), None)
        if key in asked:
            fixed[key] = value_at(settings[0], tuple(key.split(".")))
        elif fit is not None:
            fitted[key] = {"value": value_at(settings[0], tuple(key.split("."))), "fit": fit}
        else:
            drawn[key] = span
    if not drawn:
        raise InputError("no assumed parameter with a plausible range is left to draw", key="scenarios",
                         expected="scenarios that leave some assumed parameters at a common value (and not fixed "
                                  "with --set or fitted in the scenario file)")
    sources = [Path(s).resolve() if Path(str(s)).suffix else s for s in sources]
    # each --set value as read (500, not the text '500', the same in every scenario: its key's type decides it), as
    # the manifests of the sweeps record it
    return {"settings": settings, "sources": sources, "overrides": overrides_as_read(settings[0], changes), "names": names,
            "factors": drawn, "fixed": fixed,
            "fitted": fitted, "draws": draws, "replicates": replicates, "nominal_replicates": nominal_replicates,
            "seed": settings[0].seed if seed is None else seed}


def fingerprint(spec: dict[str, Any], nominal_replicates: int | None = None) -> str:
    """A robustness folder's identity: what decides its draws. Not the nominal replicates: a rerun that changes only
    them reuses every draw and runs the nominal comparison again (``nominal_sweep``). With `nominal_replicates`, the
    fingerprint versions before that gave the same analysis on so many (they held them when they differed from a
    draw's), so that their folders resume (``recorded_nominal``)."""
    identity = {"scenarios": [s.model_dump(mode="json") for s in spec["settings"]], "factors": spec["factors"],
                "draws": spec["draws"], "replicates": spec["replicates"], "seed": spec["seed"]}
    if nominal_replicates is not None and nominal_replicates != spec["replicates"]:
        identity["nominal_replicates"] = nominal_replicates
    return hashlib.sha256(json.dumps(identity, sort_keys=True, default=str).encode()).hexdigest()[:16]


def recorded_nominal(recorded: dict) -> int | None:
    """The nominal replicates a robustness manifest records its results to be of: a version before
    --nominal-replicates recorded none, and ran the nominal comparison on a draw's replicates."""
    count = recorded.get("nominal_replicates", recorded.get("replicates"))
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def experiments(spec: dict[str, Any], index: int) -> tuple[dict, dict]:
    """The draws and the nominal experiment of scenario `index` (as dicts for ``load_experiment``)."""
    settings = spec["settings"][index]
    base = {"scenario": str(spec["sources"][index]), "seed": spec["seed"], "replicates": spec["replicates"],
            "overrides": spec["overrides"]}
    draws = {**base, "name": f"{settings.name}-draws",
             "design": {"kind": "lhs", "samples": spec["draws"],
                        "factors": {k: {"low": lo, "high": hi} for k, (lo, hi) in spec["factors"].items()}}}
    first = next(iter(spec["factors"]))
    nominal = {**base, "name": f"{settings.name}-nominal", "replicates": spec["nominal_replicates"],
               "design": {"kind": "grid", "factors": {first: [value_at(settings, tuple(first.split(".")))]}}}
    return draws, nominal


def robustness(
    scenarios: list[Any], *, out: str | Path, draws: int = 64, replicates: int = 2, seed: int | None = None,
    overrides: dict | None = None, weeks: int | None = None, workers: int | None = None, scheduler: str | None = None,
    max_runs: int | None = None, progress: bool | None = None, figures: bool = True, nominal_replicates: int | None = None,
) -> Robustness:
    """Run (or resume) a robustness analysis of `scenarios` (the first is the reference) into `out`.

    Each draw runs `replicates` replicates; the nominal comparison `nominal_replicates` (default
    ``NOMINAL_REPLICATES``, or `replicates` if more), so that the sign the draws are tested against has an interval.
    """
    check_engine(workers, scheduler)  # before the folder and its manifest are written, not only when a sweep starts
    spec = plan(as_list(scenarios), draws=draws, replicates=replicates, seed=seed, overrides=overrides, weeks=weeks,
                nominal_replicates=nominal_replicates)
    nominal_replicates = spec["nominal_replicates"]
    def runs_of(count: int) -> int:
        return len(spec["names"]) * (count * replicates + nominal_replicates)

    size = (f"{len(spec['names'])} scenarios x ({counted(draws, 'draw')} x {counted(replicates, 'replicate')} + nominal x "
            f"{counted(nominal_replicates, 'replicate')})")
    runs = check_option("--draws", draws, runs_of, what=size, least=LEAST["robustness"]["--draws"], max_runs=max_runs,
                        nouns="number of draws")
    out = out_folder(out)
    key = fingerprint(spec)
    asked = {"fingerprint": key, "scenarios": spec["names"], "draws": draws, "replicates": replicates,
             "nominal_replicates": nominal_replicates,
             "seed": spec["seed"], "factors": spec["factors"], "fixed": spec["fixed"],
             **({"fitted": spec["fitted"]} if spec["fitted"] else {}),
             SETTINGS: {k: v for name, settings in zip(spec["names"], spec["settings"], strict=True)
                        for k, v in settings_record(settings.model_dump(mode="json"), f"{name}.").items()}}
    resumable = {"manifest": MANIFEST, "holds": "a robustness analysis", "earlier": lambda recorded: fingerprint(
        spec, recorded_nominal(recorded)), "asked": {k: v for k, v in asked.items() if k != "nominal_replicates"}}
    recorded = check_resumable(out, key, command="sim robustness", **resumable,
                               writes=(*REPORT, *(FIGURES if figures else ())),
                               may_write=box_figures(out, spec["names"][1:]) if figures else ())
    if progress is not False:
        held = held_count(spec)
        before = recorded_nominal(recorded) if recorded else None
        print(f"robustness: {len(spec['factors'])} assumptions drawn{held}, "
              + (f"{size} = {runs:,} runs{already_done(out, runs) if recorded else ''}" if before in (None, nominal_replicates)
                 else rerun_size(out, spec, before)), file=sys.stderr, flush=True)
    written = False  # once the results are: a signal after them finds the folder complete

    def state() -> str:
        return runs_state(out, runs_held(out), runs, "the robustness analysis", None if written else RESULTS_WORDS)

    with folder_lock(out, command="sim robustness"), saying(state):
        if check_resumable(out, key, **resumable) is None:  # a new folder: marked as this analysis's before any run
            replace_file(out / MANIFEST, lambda path: write_json(path, asked))  # a kill mid-write leaves none
        means, failed = {}, 0
        for index, settings in enumerate(spec["settings"]):
            folder = out / "sweeps" / settings.name
            draw_spec, nominal_spec = experiments(spec, index)
            draw_exp = load_experiment(draw_spec, max_runs=max_runs, warned=True)  # plan() warned, naming --weeks
            result = sweep(draw_exp, out=folder / "draws", workers=workers, scheduler=scheduler, progress=progress,
                           max_runs=max_runs, within=out)
            nominal = nominal_sweep(load_experiment(nominal_spec, warned=True), folder / "nominal", workers=workers,
                                    scheduler=scheduler, progress=progress, max_runs=max_runs, within=out)
            means[settings.name] = (_replicate_values(result.runs), _replicate_values(nominal.runs), draw_exp.design)
            failed += sum(len(done.failed) + len(done.lost) for done in (result, nominal))  # every run not ok
        found = analyse(spec["names"], means, list(spec["factors"]), seed=spec["seed"],
                        prices_terrorism=TERRORISM in outcomes_to_price(spec["settings"]))
        from sim.figures import titles

        found.directory, found.failed, found.titles = out, failed, titles(spec["settings"])
        priced = spec["settings"][0].costs
        found.currency, found.price_year, found.weeks = priced.currency, priced.price_year, spec["settings"][0].weeks
        write_report(out, found, spec, figures=figures, manifest=asked)
        written = True
    return found


def nominal_sweep(experiment: Experiment, folder: Path, **engine) -> Sweep:
    """A scenario's nominal comparison, swept into `folder` on `experiment`'s replicates, whatever an earlier run of
    the analysis asked: a folder on fewer grows (its runs kept, only the new replicates run: a run's seed depends on
    its replicate, never on how many there are, so the replicates in common give the same numbers), and one on more
    is replaced whole (a sweep cannot drop runs and stay whole; the smaller one is a few runs). The folder is renamed
    aside before it is removed, so a kill leaves the whole sweep or none, and the next run removes what was put aside
    (out of the sweeps/<scenario>/<sweep>/ pattern that ``load`` counts failed runs over)."""
    aside = folder.parent.with_name(f".{folder.parent.name}-{folder.name}-replaced")
    if aside.is_dir():
        shutil.rmtree(aside)
    if (recorded_replicates(folder, experiment) or 0) > experiment.replicates:
        folder.rename(aside)
        shutil.rmtree(aside)
    return sweep(experiment, out=folder, more_replicates=True, **engine)


def rerun_size(out: Path, spec: dict[str, Any], before: int) -> str:
    """The size line of a rerun that changes only the nominal replicates (from `before`): the nominal runs it makes,
    those of them it reuses (``nominal_sweep``), and the draw runs it reuses, counted in the sweeps' runs."""
    scenarios, nominal = len(spec["names"]), spec["nominal_replicates"]
    folders = [out / "sweeps" / name for name in spec["names"]]
    nominals = [load_experiment(experiments(spec, index)[1], warned=True) for index in range(scenarios)]
    grown = [0 < (recorded_replicates(folder / "nominal", experiment) or 0) <= nominal
             for folder, experiment in zip(folders, nominals, strict=True)]  # else replaced whole (``nominal_sweep``), or none yet
    reused = sum(len(finished_runs(folder / "nominal" / RUNS)) for folder, kept in zip(folders, grown, strict=True)
                 if kept)
    planned = scenarios * spec["draws"] * spec["replicates"]
    done = sum(len(finished_runs(folder / "draws" / RUNS)) for folder in folders)
    return (f"nominal comparison on {counted(nominal, 'replicate')}, {before} before: {scenarios} scenarios x nominal x "
            f"{counted(nominal, 'replicate')} = {scenarios * nominal:,} runs"
            + (f", {reused:,} of them already run and reused" if reused else ", all run anew" if before > nominal else "")
            + (f"; the {planned:,} draw runs are reused" if done >= planned else
               f"; the {done:,} of the {planned:,} draw runs already run are reused"))


def _replicate_values(runs: pd.DataFrame) -> pd.DataFrame:
    """The outcomes of the runs that finished, by point and replicate (paired across scenarios by
    ``robustness_analysis.paired_mean``): the headline shares and stigma kept in the rows, then the cost per person
    released (``COST``), none where nobody was released; then the run's cost and counts (``RUN_COST``, ``RUN_COUNTS``)
    for the acceptability curve, those the rows keep (a sweep begun before runs kept their terrorism offences has
    none)."""
    ok = runs[runs["status"] == "ok"]
    columns = [c for c in ok.columns if is_headline(c)]
    values = ok.set_index(["point", "replicate"])
    kept = values[columns].copy()
    kept[COST] = cost_per_released(values)
    priced = [c for c in (RUN_COST, *RUN_COUNTS.values()) if c in values]
    kept[priced] = values[priced]
    return kept


REPORT = ("draws.csv", "robustness.csv", "prim_boxes.csv", ACCEPTABILITY, "robustness.md")  # write_report's, in order
FIGURES = ("figures/robustness.png", "figures/acceptability.png")  # and a figures/prim_<scenario>_<outcome>.png a box


def box_figures(out: Path, compared: list[str]) -> tuple[str, ...]:
    """The PRIM box figures in `out` a rerun comparing the scenarios `compared` with the reference may replace
    (``write_report``), checked before its work (``check_resumable``'s `may_write`): which boxes it finds is known
    only after its runs, so those there now whose name a box of it can take (``prim_<scenario>_<outcome>.png``, of a
    scenario compared and a headline outcome). Another ``prim_*.png`` (the user's ``prim_x.png``) it never writes,
    and as no file of its set, never removes nor shows: it is not refused."""
    names = {path.name for path in (out / "figures").glob("prim_*.png")}
    return tuple(f"figures/{name}" for name in sorted(names) if any(
        name.startswith(f"prim_{scenario}_") and is_headline(name[len(f"prim_{scenario}_"):-len(".png")])
        for scenario in compared))
RESULTS_WORDS = "robustness.md and its tables"  # what a stopped analysis whose runs are all done has yet to write


def write_report(out: Path, found: Robustness, spec: dict[str, Any], *, figures: bool = True,
                 manifest: dict | None = None) -> None:
    """Tables, figures and words, written as one set (``replace_set``): robustness.md, renamed last, says it is whole.
    acceptability.csv and its figure only when ``found`` has the curve. With `manifest`, robustness.json is one of the
    set: it records the nominal replicates these results are of, so a rerun on other ones stopped before its end
    leaves the earlier results beside the earlier count, never beside the new one."""
    tables = dict(zip(REPORT[:-1], (found.draws, found.table, found.boxes, found.acceptability), strict=True))
    files = {name: lambda p, frame=frame: frame.to_csv(p, index=False) for name, frame in tables.items()
             if frame is not None}
    files[REPORT[-1]] = lambda p: p.write_text(markdown(found, spec))
    if manifest is not None:
        files[MANIFEST] = lambda p: write_json(p, manifest)
    if figures:
        files["figures/robustness.png"] = lambda p: draw_spread(found, p)
        for (scenario, outcome), box in found.boxes.groupby(["scenario", "outcome"], sort=False):
            files[f"figures/prim_{scenario}_{outcome}.png"] = \
                lambda p, scenario=scenario, outcome=outcome, box=box: draw_prim(found, scenario, outcome, box, p)
        if found.has_curve():
            files["figures/acceptability.png"] = lambda p: draw_acceptability(found, p)
    earlier = [f"figures/{path.name}" for path in (out / "figures").glob("*.png")]  # a figure of no box now, or
    # with --no-figures: sim report would show it as this set's; an earlier curve, where this set has none
    replace_set(out, files, last=REPORT[-1], stale=[*earlier, ACCEPTABILITY])


FOLDER = "a folder written by sim robustness"


def load(folder: str | Path) -> tuple[Robustness, dict[str, Any]]:
    """A robustness folder read back with checks (for ``sim report``): its results and what was asked.

    A file that is missing, truncated (cut off mid-line, or fewer rows than the analysis wrote) or without the
    columns written here raises InputError naming it. A folder written before the acceptability curve (no
    acceptability.csv) is read without it (``Robustness.acceptability`` None), and robustness.md's words say so; one
    written before the curve per terrorism offence averted (acceptability.csv without ``outcome``) as the offences curve.
    """
    folder = Path(folder)
    path = folder / MANIFEST
    if not path.is_file():
        raise damaged(path, "is missing", FOLDER)
    asked = read_json(path, f"{MANIFEST} as written by sim robustness")
    names, factors = asked.get("scenarios"), asked.get("factors")
    if not (isinstance(names, list) and len(names) >= 2 and all(isinstance(n, str) for n in names)
            and isinstance(factors, dict) and factors and all(isinstance(v, list) and len(v) == 2 for v in factors.values())
            and all(isinstance(asked.get(k), int) for k in ("draws", "replicates", "seed"))):
        raise damaged(path, "lacks the scenarios, factors, draws, replicates or seed of the analysis",
                      f"{MANIFEST} as written by sim robustness")
    nominal = recorded_nominal(asked)
    spec = {"names": names, "factors": {k: (float(lo), float(hi)) for k, (lo, hi) in factors.items()},
            "draws": asked["draws"], "replicates": asked["replicates"], "seed": asked["seed"], "manifest": asked,
            "nominal_replicates": asked["replicates"] if nominal is None else nominal,
            **{kind: asked.get(kind) if isinstance(asked.get(kind), dict) else {} for kind in HELD}}
    table = _read_whole(folder / "robustness.csv", TABLE_COLUMNS, ["scenario", "reference", "outcome", "nominal", "draws",
                                                                   "flips", "ties"])
    for column in NOMINAL_COLUMNS:  # a folder written before the nominal interval was recorded: nothing said of it
        if column not in table:
            table[column] = 0 if column == "nominal_pairs" else np.nan
    outcomes = {name: set(rows["outcome"]) for name, rows in table.groupby("scenario")}
    if set(outcomes) != set(names[1:]) or len({frozenset(o) for o in outcomes.values()}) != 1 \
            or not all(is_headline(o) for o in table["outcome"]):
        raise damaged(folder / "robustness.csv", f"does not hold every headline outcome of {', '.join(names[1:])}",
                      f"a row for each scenario compared with {names[0]} and each outcome (rerun sim robustness into "
                      "the folder)")
    boxes = _read_whole(folder / "prim_boxes.csv", BOX_COLUMNS, BOX_COLUMNS)
    for column in HELD_OUT_COLUMNS:  # a folder written before boxes were tested on held-out draws: nothing said of it
        if column not in boxes:
            boxes[column] = "" if column == "held_out" else np.nan
    columns = [f"{r.scenario}:{r.outcome}" for r in table.itertuples()]
    curve = None
    if (folder / ACCEPTABILITY).is_file():  # else a folder written before the curve
        curve = _read_acceptability(folder / ACCEPTABILITY, names)
        columns += [f"{name}:{value}" for name in names[1:]
                    for value in (EXTRA_COST, *map(averted_column, dict.fromkeys(curve["outcome"])))]
    draws = _read_whole(folder / "draws.csv", ["point", *factors, *columns], ["point", *factors])
    if len(draws) != spec["draws"]:
        raise damaged(folder / "draws.csv", f"holds {len(draws)} draws of the {spec['draws']} in {MANIFEST}",
                      "every draw (rerun sim robustness into the folder)")
    failed = 0
    for runs in sorted((folder / "sweeps").glob("*/*/runs")):
        found = read_dataset(runs, ["status"], required=("status",))
        failed += 0 if found is None else int((found["status"] != "ok").sum())
    from sim.figures import titles

    recorded = asked.get(SETTINGS) if isinstance(asked.get(SETTINGS), dict) else {}  # a title is a scenario setting
    named = titles([{"name": name, "title": recorded.get(f"{name}.title")} for name in names])
    cohorts = [{key: recorded.get(f"{name}.{key}") for key in (EXTREMIST_SHARE, *GENERAL_TERRORISM)} for name in names]
    found = Robustness(folder, draws, table, boxes, list(factors), failed, named, acceptability=curve,
                       prices_terrorism=commits_terrorism(cohorts))  # as outcomes_to_price chose for the runs
    currency, year = recorded.get(f"{names[0]}.costs.currency"), recorded.get(f"{names[0]}.costs.price_year")
    found.currency = currency if isinstance(currency, str) else found.currency  # else a folder of an older version
    found.price_year = year if isinstance(year, int) else found.price_year
    weeks = recorded.get(f"{names[0]}.weeks")
    found.weeks = weeks if isinstance(weeks, int) else None
    return found, spec


def _read_acceptability(path: Path, names: list[str]) -> pd.DataFrame:
    """acceptability.csv, checked whole: each curve holds every scenario compared, and its nominal answer where that is
    known (blank only where ``sim compare`` gives the nominal runs no price, ``unpriced``). One written before the curve
    per terrorism offence averted has no ``outcome`` column: its rows are the offences curve; one written before the
    nominal price's intervals, no ``NOMINAL_PRICE_COLUMNS``; one written before the blank, its answer everywhere."""
    curve = _read_whole(path, [c for c in ACCEPTABILITY_COLUMNS if c not in ("outcome", *NOMINAL_PRICE_COLUMNS)],
                        ["scenario", "reference", "willingness_to_pay", "draws"])
    if "outcome" not in curve:
        curve.insert(ACCEPTABILITY_COLUMNS.index("outcome"), "outcome", OFFENCES)
    outcomes = dict.fromkeys(curve["outcome"])
    if OFFENCES not in outcomes or not set(outcomes) <= set(RUN_COUNTS) \
            or any(set(curve.loc[curve["outcome"] == outcome, "scenario"]) != set(names[1:]) for outcome in outcomes):
        raise damaged(path, f"does not hold the curve of every one of {', '.join(names[1:])}",
                      "the whole file as written by sim robustness (rerun it into the folder)")
    blank = curve["nominal_worth_funding"].isna()
    if blank.any() and not all(unpriced(row["nominal_extra_cost"], row["nominal_offences_averted"], compared_terms(row))
                               for _, row in curve[blank].iterrows()):
        raise damaged(path, "has an empty cell in its nominal_worth_funding column where the nominal price is known",
                      "the whole file as written by sim robustness (rerun it into the folder)")
    return curve


def _read_whole(path: Path, required: list[str], filled: list[str]) -> pd.DataFrame:
    """A CSV written here, refused if cut off (``sim.checked_read.whole``) or with an empty cell in a `filled` column."""
    return read_csv(path, required, filled=filled, expected="the whole file as written by sim robustness (rerun it "
                    "into the folder)")
