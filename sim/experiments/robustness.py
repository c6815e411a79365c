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
(``extra_cost_and_averted``, draws.csv's ``<scenario>:extra_cost`` and ``<scenario>:offences_averted``), and the share
of draws worth funding at each willingness to pay per new offence averted (``Robustness.acceptability``,
acceptability.csv). Where a cohort holds violent-extremist people, per terrorism offence averted too
(``<scenario>:terrorism_offences_averted``, acceptability.csv's rows of outcome ``terrorism_offences``).

Rerunning into the same folder resumes the sweeps; one that changes only the nominal replicates reuses every draw and
runs only the nominal comparison again (``nominal_sweep``). The folder is locked while it runs.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.checked_read import damaged, read_csv, read_json
from sim.costs import (
    OFFENCES,
    SHIPPED_CURRENCY,
    TERRORISM,
    WORDS,
    cost_per_released,
    outcomes_to_price,
    price_per_offence_averted,
    run_parts,
    run_words,
)
from sim.counts import LEAST
from sim.curves import CURVE_WORDS, YEAR
from sim.errors import InputError, require_at_least
from sim.experiments.acceptability import (
    ACCEPTABILITY,
    ACCEPTABILITY_COLUMNS,
    ACCEPTABILITY_SECTION,
    EXTRA_COST,
    NOMINAL_PRICE_COLUMNS,
    RUN_COST,
    RUN_COUNTS,
    acceptability_curve,
    acceptability_lines,
    acceptability_short,
    averted_column,
    draw_acceptability,
    priced_outcomes,
)
from sim.experiments.comparison import (
    SAME,
    clear_of_zero,
    cut_said,
    paired_difference,
    points_text,
    require_one_currency,
    require_reference_and_others,
)
from sim.experiments.engine import Sweep, check_engine, recorded_replicates, sweep
from sim.experiments.experiment import Experiment, load_experiment
from sim.experiments.metrics import value_range
from sim.experiments.store import RUNS, finished_runs, read_dataset
from sim.experiments.when_stopped import already_done, runs_held, runs_state, saying
from sim.folder_lock import SETTINGS, check_resumable, folder_lock, settings_record
from sim.job_size import check_option, counted
from sim.money import readable, short_amount, short_key, signed_money
from sim.outcomes import LEVEL, share_interval, wilson
from sim.output import out_folder, replace_file, replace_set, write_json
from sim.report_folders import ROBUSTNESS_MANIFEST
from sim.runner import as_list, require_distinct_names
from sim.scenarios import load_scenario
from sim.scenarios.fields import dotted_keys, parameters, read_in, robustness_range, unit_of, value_at
from sim.scenarios.safe_yaml import dotted
from sim.scenarios.schema import Costs, Scenario
from sim.streams import check_seed

MANIFEST = ROBUSTNESS_MANIFEST  # tells a robustness folder (sim.report_folders)
OUTCOME = re.compile(r"^(reoffended|recalled|terrorism_offence)_(\d+)w$")
PRICES = "costs."  # the drawn assumptions that are prices (the ``costs`` section)
COST = "cost_per_released"
"""The cost conclusion: a run's cost over its whole horizon (``cost_total``) per person released in it (``released``),
both kept in a sweep's rows (``sim.costs.run_totals``); per person, so that it reads as comparison.md's does."""
MIN_FOR_PRIM = 5  # fewer draws on the rarer side (keeping the sign or not) are too few for PRIM to describe a region
MIN_CUT = 0.2  # an assumption counts as restricted when PRIM's box leaves out at least this share of its range
TABLE_COLUMNS = ["scenario", "reference", "outcome", "nominal", "draws", "share_keeping_sign", "mean", "p05", "median",
                 "p95", "min", "max", "flips", "ties"]
NOMINAL_COLUMNS = ["nominal_pairs", "nominal_low", "nominal_high"]  # the nominal difference's 95% paired t interval
NOT_KEPT = "sign not kept"  # PRIM's box over the draws that flip the sign or give no difference
NOMINAL_REPLICATES = 10
"""Replicates of the nominal (reference-settings) comparison unless asked otherwise, and never fewer than a draw's.

The draws are tested against the nominal difference's sign, so that sign must be the policy's, not the seeds'. On a
draw's 2 replicates its paired 95% interval rests on one degree of freedom (t = 12.7): only a very large difference
is clear of 0. On 10 it rests on nine (t = 2.26), about 13 times narrower for the same spread, while the nominal point
costs 10 runs a scenario against the draws' 128 (64 draws x 2)."""
BOX_COLUMNS = ["scenario", "outcome", "box_holds", "assumption", "low", "high", "range_low", "range_high", "coverage",
               "density"]
HELD_OUT_COLUMNS = ["held_out", "held_out_inside", "held_out_density", "held_out_outside_density", "held_out_p"]
"""The box-finding tested out of sample (``held_out_test``): its verdict, then the held-out draws inside the box found on
the other half, the share of them that are such draws, that share outside the box, and Fisher's one-sided p."""
BEATS_CHANCE, NO_BETTER, TOO_FEW = "beats chance", "no better than chance", "too few to test"
CHANCE = 0.05  # the held-out test's level: a box beats chance when Fisher's one-sided p is below it
CANNOT_REFUTE = ("in simulated analyses of 64 draws, the default, the held-out check confirmed a real box in only 19% "
                 "to 48% of them (75% at 256 draws, less with fewer; docs/DECISIONS.md), so it can confirm a box but "
                 "not refute one")
"""Why 'no better than chance' does not mean 'no region': benchmarks/prim_power.py measured the check's power."""
HELD_OUT_STREAM = 2  # the held-out split of conclusion k: SeedSequence(seed, spawn_key=(HELD_OUT_STREAM, k))
SCREEN_STREAM = 3  # the extra trees that screen conclusion k's assumptions: SeedSequence(seed, spawn_key=(3, k))
SCREENED = 5
"""PRIM searches the assumptions that extra trees (EMA Workbench's feature scoring) rank as most tied to the draws
not keeping the sign, this many of them. Over some 180 assumptions and a few hundred draws PRIM's peeling alone
follows chance into a box on many assumptions that holds only such draws (benchmarks/prim_power.py: at 256 draws it
named the true assumption in 32% of analyses, against 98% after screening); a box of more than a few assumptions
is also past what scenario discovery can put in words (Bryant and Lempert, 2010)."""


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


@dataclass
class Robustness:
    """A robustness folder's results: ``.draws`` (one row per draw), ``.table`` (per conclusion), ``.boxes`` (PRIM),
    ``.acceptability`` (the cost-effectiveness acceptability curve)."""

    directory: Path
    draws: pd.DataFrame
    table: pd.DataFrame
    boxes: pd.DataFrame
    factors: list[str]
    failed: int = 0
    titles: dict[str, str] = field(default_factory=dict)  # scenario name -> title (``sim.figures.titles``)
    currency: str = SHIPPED_CURRENCY  # the reference's (``require_one_currency``: every scenario's)
    price_year: int = Costs.model_fields["price_year"].default
    acceptability: pd.DataFrame | None = None
    """The cost-effectiveness acceptability curve (``ACCEPTABILITY_COLUMNS``, ``acceptability_curve``); None for a
    folder written before the curve, whose draws.csv lacks each draw's extra cost and offences averted."""
    extremists: bool = False
    """Whether a compared cohort holds violent-extremist people (``population.violent_extremist_share`` above 0): they
    can commit terrorism offences, so the curve is drawn per terrorism offence averted too (``priced_outcomes``)."""
    weeks: int | None = None
    """The run's length, which its cost is over; None for a folder whose record does not give it."""


    def over_the_run(self) -> str:
        """'over the run (182 weeks)': the weeks a run's cost covers, as comparison.md says them
        (``sim.costs.run_words``), so that a cost per person released is never read as a year's or a lifetime's;
        'over the run' where the length is not known."""
        return run_words(self.weeks, self.weeks) if self.weeks else "over the run"

    def run_length(self) -> tuple[str, str]:
        """``over_the_run`` in its two parts (``sim.costs.run_parts``), for a bracket of its own: ('over the run',
        '182 weeks'); ('over the run', '') where the length is not known."""
        return run_parts(self.weeks, self.weeks) if self.weeks else ("over the run", "")

    def has_curve(self) -> bool:
        """Whether there is an acceptability curve to draw: none in a folder written before it, nor without a scenario
        to set against the reference."""
        return self.acceptability is not None and not self.acceptability.empty

    def title(self, name: str) -> str:
        """A scenario as figures and repeated mentions name it: its title."""
        return self.titles.get(name, name)

    def named(self, name: str) -> str:
        """A scenario at its first mention in a sentence: its title with its name, the id that reruns it."""
        from sim.figures import titled

        return titled(self.titles, name)

    def form(self, outcome: str):
        """``difference_form`` of `outcome` in this analysis's currency."""
        return difference_form(outcome, self.currency)

    def counted(self, row) -> str:
        """The draws a conclusion's share is out of: '8 draws', or, when some draws have no value for it, how many
        have one and why the others have none, so that '5 draws' of the 8 that ran is never left unexplained."""
        ran = len(self.draws)
        if row.draws >= ran:
            return f"{row.draws} draws"
        horizon, failed = OUTCOME.match(row.outcome), ", or a run failed" if self.failed else ""
        why = (f"nobody in one scenario or both was followed {horizon.group(2)} weeks after release{failed}" if horizon
               else f"nobody in one scenario or both was released during the run{failed}" if row.outcome == COST
               else "a run failed")
        others = "the other draw" if ran - row.draws == 1 else f"the other {ran - row.draws}"
        return (f"the {row.draws} draws with a value ({others} of the {ran} {'has' if ran - row.draws == 1 else 'have'} "
                f"none: {why})")


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
    require_distinct_names(settings)
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
    return {"settings": settings, "sources": sources, "overrides": changes, "names": names, "factors": drawn, "fixed": fixed,
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
                               writes=(*REPORT, *(("figures/robustness.png",) if figures else ())))
    if progress is not False:
        held = held_count(spec)
        before = recorded_nominal(recorded) if recorded else None
        print(f"robustness: {len(spec['factors'])} assumptions drawn{held}, "
              + (f"{size} = {runs:,} runs{already_done(out, runs) if recorded else ''}" if before in (None, nominal_replicates)
                 else rerun_size(out, spec, before)), flush=True)
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
                           max_runs=max_runs)
            nominal = nominal_sweep(load_experiment(nominal_spec, warned=True), folder / "nominal", workers=workers,
                                    scheduler=scheduler, progress=progress, max_runs=max_runs)
            means[settings.name] = (_replicate_values(result.runs), _replicate_values(nominal.runs), draw_exp.design)
            failed += sum(len(done.failed) + len(done.lost) for done in (result, nominal))  # every run not ok
        found = analyse(spec["names"], means, list(spec["factors"]), seed=spec["seed"],
                        extremists=TERRORISM in outcomes_to_price(spec["settings"]))
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
    """The outcomes of the runs that finished, by point and replicate (paired across scenarios by ``paired_mean``):
    the headline shares and stigma kept in the rows, then the cost per person released (``COST``), none where nobody
    was released; then the run's cost and counts (``RUN_COST``, ``RUN_COUNTS``) for the acceptability curve, those the
    rows keep (a sweep begun before runs kept their terrorism offences has none)."""
    ok = runs[runs["status"] == "ok"]
    columns = [c for c in ok.columns if _outcome(c)]
    values = ok.set_index(["point", "replicate"])
    kept = values[columns].copy()
    kept[COST] = cost_per_released(values)
    priced = [c for c in (RUN_COST, *RUN_COUNTS.values()) if c in values]
    kept[priced] = values[priced]
    return kept


def paired_mean(own: pd.Series, reference: pd.Series) -> pd.Series:
    """Per point, the mean over replicates of `own` minus `reference` where both have a value: replicate r of each
    scenario shares its seed, so only pairs keep the difference free of seed noise (a replicate with nobody
    followed to a horizon, or a failed run, in one scenario drops the pair, not one side). Values already per
    point (no ``replicate`` level) are subtracted as they are."""
    difference = own - reference
    if "replicate" in (difference.index.names or ()):
        difference = difference.groupby(level="point").mean()
    return difference


def nominal_interval(own: pd.Series, reference: pd.Series, outcome: str) -> tuple[int, float, float]:
    """The nominal difference's paired replicates and 95% t interval (``paired_difference``, cut at the range of
    `outcome`'s values: 0-1 for a share or level, at least 0 for money); (0, NaN, NaN) for values already per point,
    whose replicates are not known."""
    if "replicate" not in (own.index.names or ()):
        return 0, math.nan, math.nan
    _, low, high, _ = paired_difference(reference, own, **value_range(outcome))
    return int(pd.concat([own, reference], axis=1).notna().all(axis=1).sum()), low, high


def _outcome(column: str) -> bool:
    match = OUTCOME.match(column)
    return column in ("final_community_stigma", COST) or bool(match and int(match.group(2)) % YEAR == 0)


def describe(outcome: str) -> str:
    match = OUTCOME.match(outcome)
    if match:
        return f"{CURVE_WORDS[match.group(1)]} within {match.group(2)} weeks"
    return f"{WORDS[COST]} over the run" if outcome == COST else "community stigma at the end"


def against_nominal(differences, nominal: float):
    """Each draw's difference against the nominal one: 1 keeps its sign, -1 flips it, 0 neither (no difference, or
    none at the nominal values), NaN no draw. A zero difference does not support the conclusion, nor reverse it."""
    return _sign(differences) * _sign(nominal)


def _sign(value):
    """-1, 0 or 1 (NaN for NaN), a difference within rounding of 0 counting as 0."""
    return np.sign(value) * (abs(value) > SAME)  # NaN stays NaN; SAME: rounding in the means of shares


def analyse(names: list[str], means: dict, factors: list[str], seed: int = 0, extremists: bool = False) -> Robustness:
    """Per draw, every scenario's difference from the reference; per conclusion, sign shares, spread and PRIM.

    ``share_keeping_sign`` is out of every draw that ran (``draws``): those giving no difference (``ties``) are in
    its denominator but are not ``flips``. PRIM's box describes the draws not keeping the sign, flips and ties alike;
    each box is tested on held-out draws (``held_out_test``), split at random from `seed`. Where the values hold each
    run's cost and offences (``RUN_COST``, ``RUN_COUNTS``: a real analysis's do), the acceptability curve too, and
    per terrorism offence averted where a cohort holds violent-extremist people (`extremists`, ``priced_outcomes``).
    """
    reference = names[0]
    ref_draws, ref_nominal, design = means[reference]
    draws = design.set_index("point")[factors].copy()
    rows, boxes = [], []
    outcomes = priced_outcomes([values for own in means.values() for values in own[:2]], extremists)
    nominal_costs: dict[str, dict] = {outcome: {} for outcome in outcomes}
    for name in names[1:]:
        own_draws, own_nominal, _ = means[name]
        if outcomes:  # each draw's extra cost and what it averts, for the acceptability curves
            extra, averted = extra_cost_and_averted(own_draws, ref_draws, outcomes)
            draws[f"{name}:{EXTRA_COST}"] = extra.reindex(draws.index)
            priced = nominal_prices(own_nominal, ref_nominal, outcomes)
            for outcome in outcomes:
                draws[f"{name}:{averted_column(outcome)}"] = averted[outcome].reindex(draws.index)
                nominal_costs[outcome][name] = priced[outcome]
        for outcome in (column for column in ref_draws.columns if _outcome(column)):
            column = f"{name}:{outcome}"
            diff = paired_mean(own_draws[outcome], ref_draws[outcome]).reindex(draws.index)
            draws[column] = diff
            nominal = float(paired_mean(own_nominal[outcome], ref_nominal[outcome]).iloc[0])
            pairs, low, high = nominal_interval(own_nominal[outcome], ref_nominal[outcome], outcome)
            valid = diff.dropna()
            agreement = against_nominal(valid, nominal)
            has_sign = _sign(nominal) != 0
            keeps = float((agreement > 0).mean()) if len(valid) and has_sign else math.nan
            rows.append({"scenario": name, "reference": reference, "outcome": outcome, "nominal": nominal,
                         "draws": len(valid), "share_keeping_sign": keeps, "mean": valid.mean(),
                         "p05": valid.quantile(0.05), "median": valid.median(), "p95": valid.quantile(0.95),
                         "min": valid.min(), "max": valid.max(), "flips": int((agreement < 0).sum()),
                         "ties": int((_sign(valid) == 0).sum()), "nominal_pairs": pairs, "nominal_low": low,
                         "nominal_high": high})
            not_kept = (agreement <= 0).to_numpy()
            minority = not_kept if not_kept.sum() <= len(valid) / 2 else ~not_kept  # PRIM describes the rarer side
            searched = searched_by_prim(factors, outcome)
            if has_sign and minority.sum() >= MIN_FOR_PRIM and searched:
                x = draws.loc[valid.index, searched]
                # conclusion k's screening and held-out split: their own seeded streams, whatever other conclusions do
                found = prim_box(x, minority, name, outcome, conclusion_stream(seed, SCREEN_STREAM, len(rows)))
                if found:
                    tested = held_out_test(x, minority, conclusion_stream(seed, HELD_OUT_STREAM, len(rows)))
                    boxes += [{**b, "box_holds": NOT_KEPT if minority is not_kept else "nominal sign", **tested}
                              for b in found]
    table = pd.DataFrame(rows)
    found = Robustness(Path("."), draws.reset_index(), table,
                       pd.DataFrame(boxes, columns=[*BOX_COLUMNS, *HELD_OUT_COLUMNS]), factors, extremists=extremists)
    if outcomes:  # each curve on its own grid: a terrorism offence averted costs far more than an offence
        found.acceptability = pd.concat([acceptability_curve(found.draws, reference, nominal_costs[outcome], outcome)
                                         for outcome in outcomes], ignore_index=True)
    return found


def searched_by_prim(factors: list[str], outcome: str) -> list[str]:
    """The assumptions PRIM may name for `outcome`: all for the cost, none of the prices for the others. A price
    cannot change what happens in a run, so a box on one for a behavioural conclusion is chance by construction."""
    return list(factors) if outcome == COST else [f for f in factors if not f.startswith(PRICES)]


def conclusion_stream(seed: int, stream: int, conclusion: int) -> np.random.Generator:
    """The generator of one step (``SCREEN_STREAM``, ``HELD_OUT_STREAM``) of conclusion number `conclusion`'s analysis."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(stream, conclusion)))


def prim_box(x: pd.DataFrame, flipped: np.ndarray, scenario: str, outcome: str,
             rng: np.random.Generator) -> list[dict]:
    """PRIM's box of assumption ranges holding the `flipped` draws: the densest box covering at least half of them,
    among the ``SCREENED`` assumptions extra trees (seeded from `rng`) rank highest.

    Only assumptions whose range the box cuts by at least ``MIN_CUT`` are listed, most restricted first:
    deep peels also trim a sliver off many others, which says nothing. Coverage and density are those of the
    box as listed, counted on the draws: PRIM's own figures include the slivers, which over many assumptions
    together leave out many draws, so they would describe a smaller box than the one the words give.
    """
    found = _prim_limits(x, flipped, rng)
    if found is None:
        return []
    restricted, limits, full = found
    inside = _inside(x, restricted, limits)
    held = int((inside & flipped).sum())
    coverage, density = held / max(int(flipped.sum()), 1), held / max(int(inside.sum()), 1)
    return [{"scenario": scenario, "outcome": outcome, "assumption": name, "low": float(limits.at[0, name]),
             "high": float(limits.at[1, name]), "range_low": float(full.at[0, name]),
             "range_high": float(full.at[1, name]), "coverage": coverage, "density": density}
            for name in restricted]


def screened(x: pd.DataFrame, flipped: np.ndarray, rng: np.random.Generator) -> list[str]:
    """The ``SCREENED`` assumptions extra trees rank as most tied to the `flipped` draws (all, if there are no more)."""
    if x.shape[1] <= SCREENED:
        return list(x.columns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis.feature_scoring import get_ex_feature_scores

        scores = get_ex_feature_scores(x.reset_index(drop=True).astype(float), np.asarray(flipped, dtype=int),
                                       random_state=int(rng.integers(2**32)))[0]
    return list(scores.index[:SCREENED])


def _prim_limits(x: pd.DataFrame, flipped: np.ndarray, rng: np.random.Generator):
    """EMA Workbench's PRIM on the draws `x` labelled `flipped`, over the assumptions ``screened`` picks: the assumptions
    its densest box covering half of them restricts by ``MIN_CUT`` or more (most restricted first), the box's limits
    and the drawn ranges; None if no box."""
    x = x[screened(x, flipped, rng)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim
        from ema_workbench.analysis.scenario_discovery_util import _determine_restricted_dims

        finder = prim.Prim(x.reset_index(drop=True).astype(float), flipped, mass_min=max(0.05, 2 / len(x)))
        box = finder.find_box()
    trajectory = box.peeling_trajectory
    eligible = trajectory[(trajectory["coverage"] >= 0.5) & (trajectory["res_dim"] > 0)]
    if eligible.empty:
        return None
    best = int(eligible.sort_values(["density", "coverage"], ascending=False).index[0])
    limits = box.box_lims[best]
    full = finder.box_init
    widths = {n: (limits.at[1, n] - limits.at[0, n]) / (full.at[1, n] - full.at[0, n])
              for n in _determine_restricted_dims(limits, full)}
    restricted = sorted((n for n, w in widths.items() if w <= 1 - MIN_CUT), key=widths.get)
    return (restricted, limits, full) if restricted else None


def _inside(x: pd.DataFrame, restricted: list[str], limits: pd.DataFrame) -> np.ndarray:
    """Which draws lie within the box's limits on the assumptions it restricts (the box as its words list it)."""
    inside = np.ones(len(x), dtype=bool)
    for name in restricted:
        inside &= x[name].between(limits.at[0, name], limits.at[1, name]).to_numpy()
    return inside


def held_out_test(x: pd.DataFrame, flipped: np.ndarray, rng: np.random.Generator) -> dict[str, Any]:
    """Does PRIM find a real region here, or one that any labelling of these draws would give? Over ~180 assumptions
    and a few dozen draws, PRIM always finds some box, and the densest one is dense by selection. So the same screening
    and PRIM run on half the draws (chosen at random, half of each label, so that both halves hold the labels in the same
    proportion) and its box is tested on the other half, which played no part in choosing it: Fisher's exact test,
    one-sided, of whether the held-out draws inside the box are richer in `flipped` draws than those outside.

    ``held_out`` is ``BEATS_CHANCE`` when p < ``CHANCE``, ``NO_BETTER`` otherwise (also when PRIM finds no box on the
    half), ``TOO_FEW`` when the half would hold fewer than ``MIN_FOR_PRIM`` such draws (or others) to run PRIM on.
    """
    from scipy.stats import fisher_exact

    result = dict.fromkeys(HELD_OUT_COLUMNS[1:], math.nan)
    flipped = np.asarray(flipped, dtype=bool)
    train = np.zeros(len(flipped), dtype=bool)
    for side in (True, False):  # half of each label, at random
        where = np.flatnonzero(flipped == side)
        train[rng.permutation(where)[: len(where) // 2]] = True
    if min(int(flipped[train].sum()), int((~flipped[train]).sum())) < MIN_FOR_PRIM:
        return {"held_out": TOO_FEW, **result}
    found = _prim_limits(x[train], flipped[train], rng)
    if found is None:
        return {"held_out": NO_BETTER, **result}
    restricted, limits, _ = found
    inside, held = _inside(x[~train], restricted, limits), flipped[~train]
    table = [[int((inside & held).sum()), int((inside & ~held).sum())],
             [int((~inside & held).sum()), int((~inside & ~held).sum())]]
    p = float(fisher_exact(table, alternative="greater")[1])
    outside = int((~inside).sum())
    return {"held_out": BEATS_CHANCE if p < CHANCE else NO_BETTER, "held_out_inside": int(inside.sum()),
            "held_out_density": float(table[0][0] / inside.sum()) if inside.any() else math.nan,
            "held_out_outside_density": table[1][0] / outside if outside else math.nan, "held_out_p": p}


def markdown(found: Robustness, spec: dict[str, Any]) -> str:
    """``robustness.md``: what was drawn, which conclusions hold, and where they do not."""
    text = [f"# Robustness of the comparison against {found.named(spec['names'][0])}", "", introduction(found, spec), ""]
    for heading, lines in sections(found, spec):
        text += [f"## {heading}", "", *lines, ""]
    return "\n".join(text)


def introduction(found: Robustness, spec: dict[str, Any]) -> str:
    prices = sum(key.startswith(PRICES) for key in found.factors)
    held = (f" No price is drawn: their plausible ranges are in {SHIPPED_CURRENCY} and the scenarios price in "
            f"{found.currency}, so the cost is tested against the other assumptions only."
            if found.currency != SHIPPED_CURRENCY else "")
    return (f"{len(found.factors)} assumed parameters"
            + (f", {prices} of them prices (they change what a draw costs, never what happens in it)," if prices
               else "")
            + " drawn together over their plausible ranges (Latin hypercube, "
            f"seed {spec['seed']}: each draw sets every assumption at once, the draws spread evenly over each range), "
            f"{counted(spec['draws'], 'draw')} x {counted(spec['replicates'], 'replicate')} per scenario, common random "
            "numbers across scenarios (the scenarios of a draw meet the same chances, so their difference is the "
            "policy's, not luck's). The nominal difference uses the scenarios' own values: the comparison as `sim "
            f"compare` runs it, on {counted(nominal_count(spec), 'replicate')} (its 95% "
            "interval says whether its sign, which every draw is tested against, is the policy's or the seeds')."
            + held_sentence(spec) + held
            + (f" **{found.failed} runs failed** and their draws are left out (see the sweeps' runs tables)."
               if found.failed else ""))


def nominal_count(spec: dict[str, Any]) -> int:
    """The replicates per scenario of the nominal comparison, which its 95% intervals rest on (a draw's, for a plan of
    a version before --nominal-replicates)."""
    return spec.get("nominal_replicates", spec["replicates"])


def other_replicates(spec: dict[str, Any]) -> str:
    """Why comparison.md may say otherwise of a small difference than this analysis does, and what settles it: the
    nominal intervals rest on this analysis's own replicates, `sim compare` on its --replicates; each is right for its
    replicates, so a difference near 0 can be clear of it in one and not in the other."""
    replicates = counted(nominal_count(spec), "replicate")
    return (f"How sure each nominal difference is (its 95% interval) rests on the {replicates} per scenario this "
            "analysis ran at the nominal values (fewer where the table says so). A report on other replicates, such as comparison.md from `sim "
            "compare`, may settle a small difference differently (clear of 0 in one, not in the other); each is right "
            "for its own replicates. To settle such a difference, rerun with more replicates: --nominal-replicates "
            "here, --replicates for `sim compare`.")


HELD = {"fixed": "held at the value given with --set", "fitted": "held at values fitted in the scenario file"}
"""Why an assumption with a plausible range was not drawn: what the terminal's size line and robustness.md say of the
assumptions in ``spec["fixed"]`` and ``spec["fitted"]``."""


def held_count(spec: dict[str, Any]) -> str:
    """The size line's count of assumptions held, not drawn: ' (1 held at the value given with --set, 5 held at values
    fitted in the scenario file)', '' when none is."""
    counts = [f"{len(spec[kind])} {words}" for kind, words in HELD.items() if spec.get(kind)]
    return f" ({', '.join(counts)})" if counts else ""


def _value(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else f"{value}"


def held_values(spec: dict[str, Any], kind: str) -> str:
    """The assumptions of ``spec[kind]`` ("fixed" or "fitted") with their values, a fitted one with its fit:
    'release.imprisonment_share = 0.11 (fitted in general_offenders.yaml to ...)'."""
    held = spec.get(kind) or {}
    if kind == "fixed":
        return ", ".join(f"{k} = {_value(v)}" for k, v in held.items())
    return ", ".join(f"{k} = {_value(v['value'])} ({v['fit']})" for k, v in held.items())


def held_sentence(spec: dict[str, Any]) -> str:
    """Assumed parameters the user fixed with --set or a scenario file fitted: held at that value in every draw and the
    nominal run, not drawn."""
    return "".join(f" {words[0].upper()}{words[1:]} in every draw and the nominal run, so not drawn: "
                   f"{held_values(spec, kind)}." for kind, words in HELD.items() if spec.get(kind))


SIGN_TABLE = "Do the conclusions keep their sign?"
PRIM_SECTION = "Where a conclusion loses its sign (PRIM)"


def sections(found: Robustness, spec: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """robustness.md's sections as (heading, Markdown lines), so that ``sim report`` says the same words."""
    return [("In short", [f"- {s}" for s in in_short(found)]), (SIGN_TABLE, sign_lines(found, spec)),
            (PRIM_SECTION, prim_lines(found)), (ACCEPTABILITY_SECTION, acceptability_lines(found)),
            ("What was drawn", drawn_lines(spec)), ("How to read this", READING)]


def _boxes_of(found: Robustness, scenario: str, outcome: str) -> pd.DataFrame:
    boxes = found.boxes
    return boxes[(boxes["scenario"] == scenario) & (boxes["outcome"] == outcome)]


def _ranges(box: pd.DataFrame) -> str:
    """A PRIM box's ranges in words, each assumption named as the reader meets it (``assumption_words``), with the
    range drawn and its unit."""
    return "; ".join(f"{assumption_words(b.assumption)} is between {b.low:.3g} and {b.high:.3g} (of "
                     f"{b.range_low:.3g}-{b.range_high:.3g}" + (f"; unit: {unit})" if (unit := unit_of(b.assumption))
                                                             else ")") for b in box.itertuples())


def assumption_words(key: str) -> str:
    """An assumption as a policy reader meets it: its name in words (``key_name``) with the key that sets it, e.g.
    'the chance of losing stable housing on recall (`reintegration.recall_housing_loss`)'; the key alone where the
    schema has no words for it."""
    from sim.scenarios.names import in_sentence, key_name

    name = key_name(key)  # at most NAME_ROOM characters, never cut: tests/test_parameters_doc.py checks every one
    return f"{in_sentence(name)} (`{key}`)" if name else key


NAME_ROOM = 70  # characters of an assumption's name in a sentence: a PRIM box names two or three in one


def _not_kept(row) -> int:
    """The draws not keeping the nominal sign (flips and ties); none when there is no nominal sign."""
    return 0 if row.share_keeping_sign != row.share_keeping_sign else row.flips + row.ties


def draws_not_keeping(row, sign: str) -> str:
    """The draws not keeping the nominal `sign`, in words ("2 flip it and 1 gives no difference"): a tie is no flip."""
    words = [f"{row.flips} {'flips' if row.flips == 1 else 'flip'} {sign}"] if row.flips else []
    if row.ties:
        words.append(f"{row.ties} {'gives' if row.ties == 1 else 'give'} no difference")
    return " and ".join(words)


def rarer_side(row, sign: str) -> str:
    """The rarer of the draws not keeping the nominal `sign` and those keeping it, in words: the side PRIM would
    describe, so that "too few" is said of the few ("only 4 keep it"), never of the many ("12 flip it")."""
    lost = _not_kept(row)
    return draws_not_keeping(row, sign) if lost <= row.draws - lost else f"only {row.draws - lost} keep {sign}"


def unclear_tag(row) -> str:
    """robustness.md's mark of a nominal difference whose sign is not yet a conclusion: 'not distinguishable from 0'
    (its 95% paired interval includes 0), 'no telling whether it differs from 0' (one replicate, no interval); '' when
    it is clear of 0 as ``sim compare`` reads a difference (``clear_of_zero``: the same difference in every one of two
    or more replicates is clear), has no sign, or the folder predates the interval."""
    pairs = int(getattr(row, "nominal_pairs", 0) or 0)
    if not pairs or _sign(row.nominal) == 0 or clear_of_zero(row.nominal, row.nominal_low, row.nominal_high, pairs):
        return ""
    return "not distinguishable from 0" if pairs >= 2 else "no telling whether it differs from 0"


def few_for_prim(row, sign: str) -> str:
    """Why PRIM says nothing of a conclusion whose rarer side (``rarer_side``) has too few draws: 'only 4 keep it, too
    few for PRIM to say where'; when no draw keeps the nominal `sign`, that none does, in plain words ('only 0 keep it,
    too few for PRIM to say where' read as if some did): then there is no region where it holds for PRIM to find."""
    if _not_kept(row) == row.draws:
        return f"none keep {sign}: it {_lost(row)} in every draw, so there is no region where it holds for PRIM to find"
    return f"{rarer_side(row, sign)}, too few for PRIM to say where"


def nominal_unclear(row, currency: str = SHIPPED_CURRENCY) -> str:
    """Why the nominal difference's sign is not yet a conclusion (``unclear_tag``), or ''.

    The draws are tested against the nominal sign; on few replicates a small difference may have that sign by
    the seeds alone, and then what the draws 'keep' or 'flip' is noise, not a test of the assumptions."""
    tag = unclear_tag(row)
    if not tag:
        return ""
    said = f"the difference is {tag}" if tag.startswith("not") else f"there is {tag}"
    return (f"at the nominal values {said} ({nominal_interval_text(row, currency)}): its sign may be the seeds', so "
            "what the draws keep or flip may be noise; raise --nominal-replicates")


def nominal_interval_text(row, currency: str = SHIPPED_CURRENCY) -> str:
    """The nominal difference's 95% paired interval in words ('95% CI -1.2 points to -0.3 points over 10 paired
    replicates'), or why it has none; '' for a folder written before the interval. A difference is never claimed
    without the interval that says whether it is more than the seeds'."""
    pairs = int(getattr(row, "nominal_pairs", 0) or 0)
    if not pairs:
        return ""
    low, high, form = row.nominal_low, row.nominal_high, difference_form(row.outcome, currency)
    return ("one replicate, so no interval" if pairs == 1 else
            "the same difference in every replicate, so no interval" if low != low else
            f"95% CI {form(low)} to {form(high)} over {pairs} paired replicates"
            + cut_said(row.nominal, low, high))


def _lost(row) -> str:
    """What the difference does in the draws not keeping its sign: it flips, it is zero, or either."""
    return "flips or is zero" if row.flips and row.ties else "is zero" if row.ties else "flips"


def cost_words(row, currency: str) -> tuple[str, str]:
    """The cost conclusion's nominal difference in plain words ('costs GBP 1,200 more', 'saves GBP 300') and what a
    draw keeping its sign does ('costs more', 'saves'): a policy reader asks what a scenario costs, not for a signed
    difference."""
    amount = signed_money(abs(row.nominal), currency)[1:]  # 'GBP 1,200', rounded as the signed differences are
    return (f"costs {amount} more", "costs more") if row.nominal > 0 else (f"saves {amount}", "saves")


def in_short(found: Robustness) -> list[str]:
    """One sentence per conclusion: its nominal difference, the share of draws keeping its sign, where it does not.
    The cost conclusion says what the scenario costs or saves per person released, in the currency and price year; then
    one per scenario on whether it is worth its cost (``acceptability_short``)."""
    lines = []
    for row in found.table.itertuples():
        form, signed = found.form(row.outcome), row.share_keeping_sign == row.share_keeping_sign
        named = f"{found.named(row.scenario)} against {found.title(row.reference)}"
        if row.outcome == COST:
            per = f"per person released {found.over_the_run()} at the nominal values ({found.price_year} prices)"
            if not signed:
                lines.append(f"{named}: costs the same {per}: no sign to keep.")
                continue
            nominal, kept = cost_words(row, found.currency)
            opening = f"{named}: {nominal} {per} and {kept} in"
        else:
            said = f"{named}: the difference in {describe(row.outcome)}"
            if not signed:
                lines.append(f"{said} is {form(row.nominal)} at the nominal values: no sign to keep.")
                continue
            opening = f"{said} ({form(row.nominal)} at the nominal values) keeps its sign in"
        sentence = (f"{opening} **{100 * row.share_keeping_sign:.0f}%** of {found.counted(row)} ({kept_interval(row)}; "
                    f"90% of them give {form(row.p05)} to {form(row.p95)})")
        box, lost = _boxes_of(found, row.scenario, row.outcome), _not_kept(row)
        if not box.empty and box["box_holds"].iloc[0] == NOT_KEPT:
            sentence += f"; it {_lost(row)} mostly when {_ranges(box)}{held_out_tag(box)}"
        elif not box.empty:
            sentence += f"; it holds mostly when {_ranges(box)}{held_out_tag(box)}"
        elif lost and min(lost, row.draws - lost) < MIN_FOR_PRIM:
            sentence += f"; {few_for_prim(row, 'it')}"
        elif lost:
            sentence += f"; the draws where it {_lost(row)} lie in no region of the assumptions PRIM can describe"
        unclear = nominal_unclear(row, found.currency)
        lines.append(sentence + (f". But {unclear}." if unclear else "."))
    return lines + acceptability_short(found)


def kept_interval(row) -> str:
    """The 95% Wilson interval of the share of draws keeping the sign, as the draws allow it: 32 draws that all
    keep it still allow one draw in nine to flip it (95% CI 89 to 100%)."""
    return share_interval(*wilson(round(row.share_keeping_sign * row.draws), row.draws))


def sign_lines(found: Robustness, spec: dict[str, Any]) -> list[str]:
    """The table of conclusions and their signs, with how sure each nominal difference is and what it rests on
    (``other_replicates``, for a folder that records the nominal intervals)."""
    t = found.table
    text = ["| scenario | outcome | nominal difference | share of draws keeping the sign | draws flipping it | "
            "draws with no difference | 5%-95% of draws |", "|---|---|---|---|---|---|---|"]
    for row in t.itertuples():
        form = found.form(row.outcome)
        share = "n/a (nominal difference 0)" if row.share_keeping_sign != row.share_keeping_sign \
            else f"{100 * row.share_keeping_sign:.0f}% ({kept_interval(row)})"
        said = [part for part in (nominal_interval_text(row, found.currency), unclear_tag(row)) if part]
        nominal = form(row.nominal) + (f" ({'; '.join(said)})" if said else "")
        text.append(f"| {found.named(row.scenario)} | {describe(row.outcome)} | {nominal} | {share} | {row.flips} | "
                    f"{row.ties} | {form(row.p05)} to {form(row.p95)} |")
    if "nominal_pairs" in t and (t["nominal_pairs"].fillna(0) > 0).any():  # a folder that records the intervals
        text += ["", other_replicates(spec)]
    text += ["", "Each share is out of the draws that ran: a draw giving no difference (both scenarios alike, e.g. "
             "when an assumption switches a mechanism off) neither keeps the sign nor flips it, so it lowers the "
             "share without counting as a flip."]
    short = [row for row in t.itertuples() if row.draws < len(found.draws)]
    if short:
        text[-1] += (" A draw with no value for a conclusion is left out of its share: "
                     + "; ".join(f"{found.named(r.scenario)}, {describe(r.outcome)}: out of {found.counted(r)}"
                                 for r in short) + ".")
    fragile = t[t["share_keeping_sign"] < 0.5]
    if not fragile.empty:
        text += ["", "Conclusions whose nominal sign holds in fewer than half the draws: "
                 + "; ".join(f"{found.named(r.scenario)}, {describe(r.outcome)}"
                             + (f" ({tag} at the nominal values either)" if (tag := unclear_tag(r)) else "")
                             for r in fragile.itertuples())
                 + ". Across the plausible ranges most draws flip them or give no difference."]
    if any(unclear_tag(r) for r in t.itertuples()):
        text += ["", "A nominal difference marked not distinguishable from 0 has a 95% paired interval over the nominal "
                 "replicates that includes 0, and one marked no telling rests on a single replicate: the sign the draws "
                 "are tested against may be the seeds', not the policy's. Rerun the same command into this folder with "
                 "more --nominal-replicates before reading its share or PRIM box: every draw already run is reused, "
                 "and only the nominal comparison's new replicates run."]
    return text


def box_finding(found: Robustness, scenario: str, outcome: str) -> str:
    """What PRIM's box of a conclusion holds, in words: the draws where the difference flips or is zero, or the rest."""
    t = found.table
    row = next(t[(t["scenario"] == scenario) & (t["outcome"] == outcome)].itertuples())
    if _boxes_of(found, scenario, outcome)["box_holds"].iloc[0] == NOT_KEPT:
        return f"the difference {_lost(row)}"
    return f"the nominal sign holds (the difference {_lost(row)} in most draws)"


PRIM_PLAIN = ("PRIM (the Patient Rule Induction Method) searches the drawn assumptions for the ranges within which a "
              "conclusion most often fails to hold, so that a reader knows which assumptions to check before relying on it.")


def prim_lines(found: Robustness) -> list[str]:
    t, text = found.table, [PRIM_PLAIN, ""]
    for row in t.itertuples():
        lost = _not_kept(row)
        rare = min(lost, row.draws - lost)
        if lost and (rare < MIN_FOR_PRIM or _boxes_of(found, row.scenario, row.outcome).empty):
            # too few is said of the rarer side: the draws not keeping the sign are named just before
            few = "too few for PRIM to say where" if rare == lost else few_for_prim(row, "it")
            why = few if rare < MIN_FOR_PRIM else \
                f"PRIM finds no box that cuts any range by {100 * MIN_CUT:.0f}% (scattered: noise or many small influences)"
            text.append(f"- {found.named(row.scenario)}, {describe(row.outcome)}: of {found.counted(row)}, "
                        f"{draws_not_keeping(row, 'the sign')}; {why}.")
    if not any(_not_kept(row) for row in t.itertuples()):
        text.append("Every draw keeps the sign of every conclusion.")
    for (scenario, outcome), box in found.boxes.groupby(["scenario", "outcome"], sort=False):
        first = box.iloc[0]
        row = next(t[(t["scenario"] == scenario) & (t["outcome"] == outcome)].itertuples())
        held = _not_kept(row) if first["box_holds"] == NOT_KEPT else row.draws - _not_kept(row)
        text.append(f"- {found.named(scenario)}, {describe(outcome)}: {box_finding(found, scenario, outcome)} mostly when "
                    f"{_ranges(box)}. This box holds "
                    f"{100 * first['coverage']:.0f}% of those draws, and {100 * first['density']:.0f}% of the draws "
                    f"in it are such draws, against {100 * held / row.draws:.0f}% of all {row.draws} draws"
                    + ("" if first["density"] >= 0.5 else ": most draws within these ranges are not, so the ranges "
                       "say where to look, not where it happens") + "."
                    + held_out_words(first, len(searched_by_prim(found.factors, outcome))))
    return text


def held_out_words(box: pd.Series, assumptions: int) -> str:
    """' Tested on draws it was not found on, ...': whether a box's row (``held_out_test``'s columns) beats chance,
    in words; '' for a folder written before the test."""
    verdict, get = box.get("held_out"), box.get
    chance = (f" Over {assumptions} assumptions PRIM finds some box in any draws, however labelled, so read this one "
              "as a place to look, not a finding.")
    refute = f" Nor is it shown to be spurious: {CANNOT_REFUTE}."
    if verdict == TOO_FEW:
        return (" Too few such draws to test it on draws it was not found on (half of them, or of the others, would "
                f"be fewer than {MIN_FOR_PRIM}): read it as a place to look, not a finding, or raise --draws.")
    if verdict not in (BEATS_CHANCE, NO_BETTER):
        return ""
    if get("held_out_inside") != get("held_out_inside"):  # NaN: PRIM found no box on the half
        return " Tested on draws it was not found on, it does not beat chance: PRIM run the same way on half the " \
               "draws finds no box there." + chance + refute
    said = (f" Tested on draws it was not found on, it {'beats' if verdict == BEATS_CHANCE else 'does not beat'} chance: "
            "PRIM run the same way on half the draws (chosen at random) finds a box in which "
            f"{_share(get('held_out_density'))} of the other half's {int(get('held_out_inside'))} draws inside it are "
            f"such draws, against {_share(get('held_out_outside_density'))} of those outside it (Fisher's exact test, "
            f"one-sided p = {get('held_out_p'):.3g}).")
    return said + ("" if verdict == BEATS_CHANCE else chance + refute)


def held_out_tag(box: pd.DataFrame) -> str:
    """In short's few words on whether a conclusion's box beats chance on held-out draws ('' for an older folder)."""
    verdict = box["held_out"].iloc[0] if "held_out" in box else None
    return {BEATS_CHANCE: " (a box that beats chance on held-out draws)",
            NO_BETTER: " (but a box no better than chance on held-out draws: a place to look, not a finding; "
                       f"{CANNOT_REFUTE})",
            TOO_FEW: " (too few draws to test the box on held-out draws: a place to look, not a finding)"}.get(verdict, "")


def _share(value: float) -> str:
    return "n/a" if value != value else f"{100 * value:.0f}%"


def extra_cost_and_averted(own: pd.DataFrame, reference: pd.DataFrame, outcomes: list[str]
                           ) -> tuple[pd.Series, dict[str, pd.Series]]:
    """Per point, the scenario's extra cost over the run (its ``RUN_COST`` minus the reference's) and, per outcome, the
    count it averts (the reference's ``RUN_COUNTS`` minus its own), each the mean over the same paired replicates
    (``paired_mean``): a replicate lacking any value in either scenario drops the pair from all, so that every curve of
    a draw rests on the same runs and its one extra cost."""
    columns = [RUN_COST, *(RUN_COUNTS[outcome] for outcome in outcomes)]
    own, reference = (values[columns] for values in (own, reference))
    own, reference = (values.where(values.notna().all(axis=1)) for values in (own, reference))
    return (paired_mean(own[RUN_COST], reference[RUN_COST]),
            {outcome: paired_mean(reference[RUN_COUNTS[outcome]], own[RUN_COUNTS[outcome]]) for outcome in outcomes})


def nominal_prices(own: pd.DataFrame, reference: pd.DataFrame, outcomes: list[str]) -> dict[str, tuple[float, ...]]:
    """Per outcome, the nominal comparison's extra cost and count averted (``extra_cost_and_averted``), then
    ``NOMINAL_PRICE_COLUMNS``: the pairs of nominal replicates, the count's 95% interval and Fieller's interval of its
    price by ``sim.costs.price_per_offence_averted``, the rule by which ``sim compare`` prices the same runs or calls
    the price not estimable. Values already per point (no ``replicate`` level) have 0 pairs: not known."""
    extra, averted = extra_cost_and_averted(own, reference, outcomes)
    means = {outcome: (float(extra.iloc[0]) if len(extra) else math.nan,
                       float(averted[outcome].iloc[0]) if len(extra) else math.nan) for outcome in outcomes}
    if "replicate" not in (own.index.names or ()):
        return {outcome: (*means[outcome], 0, math.nan, math.nan, math.nan, math.nan) for outcome in outcomes}
    columns = [RUN_COST, *(RUN_COUNTS[outcome] for outcome in outcomes)]
    paired = pd.concat([own[columns], reference[columns]], axis=1, keys=["own", "reference"]).dropna()
    priced = {}
    for outcome in outcomes:
        _, low, high, _, price_low, price_high, _ = price_per_offence_averted(
            paired["own"][RUN_COST] - paired["reference"][RUN_COST], paired["own"][RUN_COUNTS[outcome]],
            paired["reference"][RUN_COUNTS[outcome]])
        priced[outcome] = (*means[outcome], len(paired), low, high, price_low, price_high)
    return priced


def drawn_lines(spec: dict[str, Any]) -> list[str]:
    """robustness.md's table of what was drawn: each assumption by name (``key_name``), key, unit and range."""
    from sim.scenarios.names import key_name

    return ["| assumption | key | unit | drawn between |", "|---|---|---|---|",
            *(f"| {key_name(k) or k} | `{k}` | {unit_of(k)} | {readable(lo)} to {readable(hi)} |"
              for k, (lo, hi) in spec["factors"].items()),
            *(f"\nNot drawn, {words}: {held_values(spec, kind)}." for kind, words in HELD.items() if spec.get(kind))]


READING = [
    "- A share near 100% means the conclusion holds whatever the assumptions within their plausible ranges; "
    "near 50% means the sign is decided by the assumptions, not by the policy.",
    "- The cost is each run's whole cost over the run per person released in it, priced with the draw's prices: an "
    "assumed price is drawn with the other assumptions, so the share of draws keeping the cost's sign says whether "
    "what a scenario costs against the reference would change with the prices, and the middle 90% by how much. PRIM "
    "names a price only for the cost: a price cannot change what happens in a run.",
    "- Each draw's difference is the mean over its replicates paired across scenarios (those with a value in both), "
    "so some sign changes are noise when the "
    "nominal difference is small: compare the nominal difference with the spread.",
    "- PRIM (Friedman & Fisher 1999; EMA Workbench) peels the space of assumptions down to the box richest "
    "in draws not keeping the sign (flips and draws with no difference); only the assumptions it restricts are "
    "listed. draws.csv holds every draw; robustness.csv and prim_boxes.csv the tables; figures/robustness.png the "
    "spread of each difference and figures/prim_<scenario>_<outcome>.png each PRIM box over its two most "
    "restricted assumptions; acceptability.csv and figures/acceptability.png the acceptability curve.",
    "- Over many assumptions and a few dozen draws PRIM finds some box whatever the draws, and the densest box it finds "
    "is dense partly by selection. So each box is tested on draws it was not found on: PRIM runs the same way on half "
    "the draws (chosen at random from the run's seed, half of each kind), and Fisher's exact test asks whether the other "
    "half's draws inside that box are richer in such draws than those outside it. A box that does not beat chance "
    "(p >= 0.05) says where to look, not where the conclusion fails; nor does it show that there is no such region: "
    f"{CANNOT_REFUTE}. Draws of more --replicates flip less at random, which the check needs more than more --draws.",
]


def difference_form(outcome: str, currency: str = SHIPPED_CURRENCY):
    """A difference as robustness.md shows it (``Unit.text``): one too small for the usual decimals keeps a
    significant digit, so a flip (a difference of the other sign, however small) never reads as 0.0; one within
    rounding error of 0 (e.g. a 5% quantile interpolated between 0 and a real difference) is 0 without a sign ('0.0
    points', never '+9e-16 points'), as comparison.md writes it (``points_text``).
    A cost in `currency` ('+GBP 1,200')."""
    if outcome == COST:
        return lambda v: signed_money(v, currency)
    if outcome == "final_community_stigma":
        return lambda v: LEVEL.text(v, signed=True)
    return points_text


REPORT = ("draws.csv", "robustness.csv", "prim_boxes.csv", ACCEPTABILITY, "robustness.md")  # write_report's, in order
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
            or not all(_outcome(o) for o in table["outcome"]):
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
    shares = [recorded.get(f"{name}.population.violent_extremist_share") for name in names]
    found = Robustness(folder, draws, table, boxes, list(factors), failed, named, acceptability=curve,
                       extremists=any(isinstance(share, int | float) and share > 0 for share in shares))
    currency, year = recorded.get(f"{names[0]}.costs.currency"), recorded.get(f"{names[0]}.costs.price_year")
    found.currency = currency if isinstance(currency, str) else found.currency  # else a folder of an older version
    found.price_year = year if isinstance(year, int) else found.price_year
    weeks = recorded.get(f"{names[0]}.weeks")
    found.weeks = weeks if isinstance(weeks, int) else None
    return found, spec


def _read_acceptability(path: Path, names: list[str]) -> pd.DataFrame:
    """acceptability.csv, checked whole: each curve holds every scenario compared. One written before the curve per
    terrorism offence averted has no ``outcome`` column: its rows are the offences curve; one written before the nominal
    price's intervals, no ``NOMINAL_PRICE_COLUMNS``."""
    curve = _read_whole(path, [c for c in ACCEPTABILITY_COLUMNS if c not in ("outcome", *NOMINAL_PRICE_COLUMNS)],
                        ["scenario", "reference", "willingness_to_pay", "draws", "nominal_worth_funding"])
    if "outcome" not in curve:
        curve.insert(ACCEPTABILITY_COLUMNS.index("outcome"), "outcome", OFFENCES)
    outcomes = dict.fromkeys(curve["outcome"])
    if OFFENCES not in outcomes or not set(outcomes) <= set(RUN_COUNTS) \
            or any(set(curve.loc[curve["outcome"] == outcome, "scenario"]) != set(names[1:]) for outcome in outcomes):
        raise damaged(path, f"does not hold the curve of every one of {', '.join(names[1:])}",
                      "the whole file as written by sim robustness (rerun it into the folder)")
    return curve


def _read_whole(path: Path, required: list[str], filled: list[str]) -> pd.DataFrame:
    """A CSV written here, refused if cut off (``sim.checked_read.whole``) or with an empty cell in a `filled` column."""
    return read_csv(path, required, filled=filled, expected="the whole file as written by sim robustness (rerun it "
                    "into the folder)")


def draw_spread(found: Robustness, path: Path) -> None:
    """``spread_figure`` as a PNG at `path` (a file or a buffer)."""
    from sim.figures import save

    save(spread_figure(found), path, dpi=120)


def kept_text(row, found: Robustness | None = None) -> str:
    """A conclusion's share of draws keeping its sign, as robustness.md says it (with `found`, why some draws have no
    value, ``Robustness.counted``)."""
    if row.share_keeping_sign != row.share_keeping_sign:  # NaN: nothing to keep
        return "no sign to keep (nominal difference 0)"
    return f"keeps its sign in {row.share_keeping_sign:.0%} of {found.counted(row) if found else f'{row.draws} draws'}"


SPREAD_WIDTH = 7.5  # inches: the width of an A4 page within its margins, so the saved text prints at its own size
LABEL_WIDTH = 2.9  # inches of it for a row's label: an outcome and its share of draws keeping the sign, wrapped


SHARES, MONEY_PANEL = 100, 1  # a spread panel's scale: shares and stigma x 100 (points), money as it is


def spread_panels(found: Robustness) -> list[tuple[str, pd.DataFrame]]:
    """The spread figure's panels: per scenario its shares and stigma, then per scenario its cost, each on its own
    scale (a difference of GBP 1,000 per person would flatten one of 2 points to 0), in robustness.csv's order."""
    t = found.table
    scenarios, cost = list(dict.fromkeys(t["scenario"])), t["outcome"] == COST
    return [(scenario, own) for money in (False, True) for scenario in scenarios
            if not (own := t[(t["scenario"] == scenario) & (cost == money)]).empty]


def spread_figure(found: Robustness):
    """One panel per scenario, headed by the scenario as robustness.md's tables name it (title and name, however long
    or alike two titles are), and one more per scenario for its cost on a money scale (``spread_panels``); one row
    per conclusion in robustness.csv's order from the top, labelled with the outcome and its share of draws keeping
    the sign as the tables say them: each draw's difference, the nominal difference and zero."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.figures import wrap

    t, panels = found.table, spread_panels(found)
    fig, axes = plt.subplots(len(panels), 1, squeeze=False, layout="constrained",
                             figsize=(SPREAD_WIDTH, 0.55 * len(t) + 0.75 * len(panels) + 1.6),
                             height_ratios=[len(own) for _, own in panels])
    axes = list(axes[:, 0])
    references = ", ".join(dict.fromkeys(map(found.title, t["reference"])))
    last = {}  # each scale's lowest panel: its axis is shared with the panels above and labelled there
    for ax, (scenario, own) in zip(axes, panels, strict=True):
        money = bool((own["outcome"] == COST).all())
        if money in last:  # the panel above, on the same scale: its axis is this one's
            ax.sharex(last[money])
            last[money].tick_params(axis="x", labelbottom=False)
        last[money] = ax
        scale = MONEY_PANEL if money else SHARES
        for i, row in enumerate(own.itertuples()):
            values = found.draws[f"{row.scenario}:{row.outcome}"].dropna() * scale
            ax.scatter(values, np.full(len(values), i) + np.random.default_rng(i).uniform(-0.15, 0.15, len(values)),
                       s=8, alpha=0.5, color="tab:blue", label="a draw")
            ax.scatter([row.nominal * scale], [i], marker="D", color="black", zorder=3, label="nominal")
        ax.axvline(0, color="grey", lw=1)
        ax.set_ylim(len(own) - 0.5, -0.5)  # the first conclusion on top, as in robustness.csv and robustness.md
        ax.set_yticks(range(len(own)), [f"{wrap(describe(r.outcome), LABEL_WIDTH, 15)}\n{wrap(kept_text(r), LABEL_WIDTH, 15)}"
                                        for r in own.itertuples()], fontsize=8)
        ax.tick_params(axis="x", labelsize=8)
        ax.set_title(wrap(found.named(scenario), SPREAD_WIDTH - LABEL_WIDTH - 0.5, 12), fontsize=9, loc="left",
                     fontweight="bold")
    over, length = found.run_length()
    for money, ax in last.items():
        key = money_axis(ax) if money else ""
        ax.set_xlabel(wrap(f"difference from {references} "  # on lines as wide as the panel, the key at its end
                           + (f"({', '.join(filter(None, (f'{found.currency} per person released {over}', length)))}, "
                              f"{found.price_year} prices{key})" if money
                              else "(percentage points; stigma x 100)"), SPREAD_WIDTH - LABEL_WIDTH, 15), fontsize=8)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles[:2], labels[:2], loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    fig.suptitle(wrap(f"Differences from {references} under drawn assumptions", SPREAD_WIDTH, 11), fontsize=10)
    return fig


def money_axis(ax) -> str:
    """Writes a cost panel's amounts short, as every money axis is (``sim.money.short_amount``: '-2k', '10k'), and
    gives what its suffixes stand for, for its label: matplotlib's own ticks wrote '10000' without a separator, and
    millions as multiples of '1e6' in a corner."""
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: short_amount(value)))
    return short_key(max(map(abs, ax.get_xlim())))


def draw_prim(found: Robustness, scenario: str, outcome: str, box: pd.DataFrame, path: Path) -> None:
    """``prim_figure`` as a PNG at `path`."""
    from sim.figures import save

    save(prim_figure(found, scenario, outcome, box), path, dpi=120)


TITLE_POINTS = 10  # a PRIM figure's title: about 11 characters an inch, as it is wrapped


def prim_figure(found: Robustness, scenario: str, outcome: str, box: pd.DataFrame):
    """The draws over the box's two most restricted assumptions (one if it restricts one), flips and draws with no
    difference marked apart, box drawn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    from sim.figures import parameter_label, wrap

    row = found.table[(found.table["scenario"] == scenario) & (found.table["outcome"] == outcome)].iloc[0]
    values = found.draws[f"{scenario}:{outcome}"]
    agreement = against_nominal(values, row.nominal)
    x_key = box["assumption"].iloc[0]
    y_key = box["assumption"].iloc[1] if len(box) > 1 else None
    # constrained: the legend goes below the panel, where it covers no draw (inside, at 'best', it sat on one)
    fig, ax = plt.subplots(figsize=(5.5, 4.9), layout="constrained")
    y = found.draws[y_key] if y_key else np.random.default_rng(0).uniform(0, 1, len(values))
    for side, style in ((1, {"color": "tab:blue", "label": "keeps the nominal sign"}),
                        (-1, {"color": "tab:red", "marker": "x", "label": "flips"}),
                        (0, {"color": "tab:orange", "marker": "s", "label": "no difference"})):
        shown = agreement == side
        if shown.any():
            ax.scatter(found.draws[x_key][shown], y[shown], s=14, **style)
    first = box.iloc[0]
    low_y, high_y = (box.iloc[1]["low"], box.iloc[1]["high"]) if y_key else (0, 1)
    ax.add_patch(Rectangle((first["low"], low_y), first["high"] - first["low"], high_y - low_y, fill=False,
                           edgecolor="black", lw=1.5, label=f"PRIM box ({first['box_holds']})"))
    ax.set_xlabel(parameter_label(x_key, 5.0))  # in words over the key: a policy reader does not know the keys
    ax.set_ylabel(parameter_label(y_key, 4.0) if y_key else "(spread for legibility)")
    # as the tables name it; a size of its own, as wrapping assumes it (a notebook's theme may enlarge "medium")
    ax.set_title(wrap(f"{found.named(scenario)}: {describe(outcome)}", 5.0, 11), fontsize=TITLE_POINTS)
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2, fontsize=8, frameon=False)  # as robustness.png
    return fig
