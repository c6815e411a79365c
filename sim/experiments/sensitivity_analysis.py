"""Global sensitivity analysis on the sweep engine: Sobol' indices or Morris screening of an experiment's outputs.

The design comes from SALib's samplers (``design.py``); the runs from ``sweep`` (so a sensitivity
analysis resumes like any sweep); each output is averaged over a point's replicates before SALib's
``sobol`` (S1, ST) or ``morris`` (mu*, sigma) analysis, each index with a 95% bootstrap half-width
(``*_conf``). ``ranking`` then says, per output, whether the sample supports a ranking: indices are
estimates, and with too few samples S1 comes out negative and the intervals of the leading factors
overlap, so that their order is noise. An output with the same value at every design point has no
variance to share out: its Sobol' indices are undefined (NaN in sensitivity.csv) and ``ranking`` says the
output is constant across the runs instead of ranking its factors.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import InputError, require_at_least
from sim.experiments.comparison import cut_note
from sim.experiments.design import problem
from sim.experiments.engine import sweep
from sim.experiments.engines import check_engine
from sim.experiments.experiment import Experiment, load_experiment
from sim.experiments.store import is_lost
from sim.experiments.sweep_folder import Sweep, check_folder, kept_identity
from sim.experiments.when_stopped import folder_state, saying
from sim.folder_lock import folder_lock
from sim.output import check_files, out_folder, replace_set
from sim.stats import CUT, within_rounding

TABLE = "sensitivity.csv"
FIGURE = "sensitivity.png"
RANKING = "ranking.md"
INDICES = {"sobol": ("S1", "S1_conf", "ST", "ST_conf"), "morris": ("mu", "mu_star", "mu_star_conf", "sigma")}
"""The columns of sensitivity.csv after output and factor, by method (what the report checks it holds)."""
RESAMPLES = 1000  # bootstrap resamples behind each 95% interval
TOP = 3  # how many leading factors a ranking must separate
FEW = 10
"""Fewer samples (Sobol') or trajectories (Morris) than this make any separation provisional (``verdict``'s ``few``):
SALib's 95% interval is 1.96 bootstrap standard errors of a mean over that many values, which over so few comes out
too narrow (over 4 normal values it holds the mean about 4 times in 5, not 19 in 20: the bootstrap's spread is that of
the 4 values, not of their population, and 1.96 is no t quantile with 3 degrees of freedom); over 10, 9 in 10."""


class AnalysisError(RuntimeError):
    """The runs do not allow the analysis (e.g. every replicate of a point failed)."""


def point_means(runs: pd.DataFrame, experiment: Experiment) -> pd.DataFrame:
    """Each output averaged over the successful replicates of each point, in point order.

    A point without a value stops the analysis: either every run there failed, or the runs succeeded but an
    output is undefined in all of them (a first-event share at a horizon nobody there was still followed to)."""
    ok = runs[runs["status"] == "ok"]
    means = ok.groupby("point")[experiment.outputs].mean().reindex(range(len(experiment.design)))
    failed = means.index[~means.index.isin(ok["point"])].tolist()
    problems = [f"every run failed at {len(failed)} design point(s) (first: {failed[:5]}): see their status and error "
                f"in the sweep's runs/ folder{lost_there(runs, failed)}"] if failed else []
    undefined = []
    for output in experiment.outputs:
        points = means.index[means[output].isna() & ~means.index.isin(failed)].tolist()
        if points:
            undefined.append(
                f"{output} is undefined (NaN) in every run at {len(points)} design point(s) (first: {points[:5]}), "
                "though no run failed there: nobody there was still followed, without the event, that many weeks after "
                "release")
    if undefined and not problems:  # the experiment's choice of output, not a failure of the runs: an input error
        raise InputError("; ".join(undefined), file=experiment.source, key="outputs",
                         expected="outputs at a horizon someone at every point is followed to: an earlier one "
                                  "(rerunning into the folder re-uses the runs), or more replicates or a larger "
                                  "population.released swept into a new folder")
    if problems:
        raise AnalysisError("; ".join(problems + undefined))
    return means


def lost_there(runs: pd.DataFrame, points: list[int]) -> str:
    """What to do when runs at `points` were lost to the infrastructure rather than failed in the model."""
    lost = int((runs["point"].isin(points) & is_lost(runs)).sum())
    return (f"; {lost} of their runs were lost to the infrastructure (status 'lost': a worker died or could not start "
            "them), which rerunning into the folder runs again") if lost else ""


def analyse(experiment: Experiment, means: pd.DataFrame) -> pd.DataFrame:
    """One row per output and factor: S1, S1_conf, ST, ST_conf (Sobol') or mu, mu_star, mu_star_conf, sigma (Morris)."""
    from SALib.analyze import morris, sobol

    spec = problem(experiment.spec.design.factors)
    rows: list[dict[str, Any]] = []
    for output in experiment.outputs:
        y = means[output].to_numpy(dtype=float)
        if experiment.kind == "sobol" and is_constant(y):  # no variance: every index is 0/0, undefined
            rows += [{"output": output, "factor": factor, **dict.fromkeys(INDICES["sobol"], float("nan"))}
                     for factor in spec["names"]]
            continue
        if experiment.kind == "sobol":
            result = sobol.analyze(spec, y, calc_second_order=False, conf_level=0.95, num_resamples=RESAMPLES,
                                   seed=experiment.seed)
        else:
            x = experiment.design[experiment.factors].to_numpy(dtype=float)
            result = morris.analyze(spec, x, y, conf_level=0.95, num_levels=experiment.spec.design.levels,
                                    num_resamples=RESAMPLES, seed=experiment.seed)
        for i, factor in enumerate(spec["names"]):
            rows.append({"output": output, "factor": factor,
                         **{k: float(np.asarray(result[k])[i]) for k in INDICES[experiment.kind]}})
    return pd.DataFrame(rows)


def is_constant(y: np.ndarray) -> bool:
    """True when an output takes the same value at every design point (up to rounding in the means)."""
    return within_rounding(np.ptp(y), float(np.abs(y).max()))


def constant(rows: pd.DataFrame, method: str) -> bool:
    """Whether one output's indices are those of an output constant across the runs: Sobol' indices undefined
    (NaN), or Morris elementary effects all zero (mu* and sigma 0 for every factor)."""
    if method == "sobol":
        return bool(rows["ST"].isna().all())
    return bool((rows["mu_star"] == 0).all() and (rows["sigma"] == 0).all())


CONSTANT = ("the output is constant across the runs (the same value at every design point), so there is no "
            "variance to share out among the factors")


def undefined(method: str) -> str:
    """What the indices of a constant output are (``CONSTANT``), as ranking.md and the terminal say it."""
    return ("its Sobol' indices are undefined (NaN in sensitivity.csv)" if method == "sobol" else
            "every factor's mu* and sigma are 0")


def verdict(rows: pd.DataFrame, method: str, samples: int | None = None) -> dict[str, Any]:
    """Whether one output's indices support a ranking.

    Factors are ranked by ST (Sobol') or mu* (Morris). The top three are *separated* when each one's
    95% interval lies wholly above the next factor's, so neither their order nor who is in the top
    three is down to sampling noise. ``leading`` is the smallest k whose top-k set stands apart from the
    rest (0 if none does): with one or two dominant factors the others may be tied at once, whatever
    the sample size. Negative S1 estimates (a variance share cannot be negative) and
    S1 above ST are signs of a sample too small for the estimator. ``failed`` lists the ranks whose estimate has failed
    outright (``failed_estimate``: ST 1.603, interval 1.161 to 2.045): no order, separation or factor standing apart
    is then claimed, as each would rest on that estimate. ``few`` is whether the design's `samples` (Sobol' samples,
    Morris trajectories) are too few (``FEW``) for the intervals to bear a separation out: one found is provisional.
    """
    key = "ST" if method == "sobol" else "mu_star"
    few = samples is not None and samples < FEW
    if constant(rows, method):
        return {"ranked": rows.reset_index(drop=True), "key": key, "gaps": [], "separated": False, "leading": 0,
                "problems": [], "constant": True, "failed": [], "few": few}
    ranked = rows.sort_values(key, ascending=False).reset_index(drop=True)
    low, high = ranked[key] - ranked[f"{key}_conf"], ranked[key] + ranked[f"{key}_conf"]
    failed = [i for i in range(len(ranked)) if failed_estimate(ranked[key][i], ranked[f"{key}_conf"][i], method)]
    gaps = [bool(low[i] > high[i + 1]) for i in range(len(ranked) - 1)]
    apart = [i + 1 for i, gap in enumerate(gaps) if gap]  # the top k stand apart from the rest
    problems = []
    if method == "sobol":
        negative = ranked[ranked["S1"] < 0]
        if not negative.empty:
            problems.append(f"negative S1 for {len(negative)} factor(s) (down to {negative['S1'].min():.2f})")
        over = ranked[ranked["S1"] > ranked["ST"] + 1e-9]
        if not over.empty:
            problems.append(f"S1 above ST for {len(over)} factor(s)")
        if ranked["ST"].max() > 1:
            problems.append(f"ST above 1 ({ranked['ST'].max():.2f})")
    return {"ranked": ranked, "key": key, "gaps": gaps[:TOP], "separated": all(gaps[:TOP]) and not failed,
            "leading": apart[0] if apart and not failed else 0, "problems": problems, "constant": False,
            "failed": failed, "few": few}


def failure_words(v: dict[str, Any], method: str) -> str:
    """Why ``verdict`` ranks no factor when an estimate of its key index failed (``failed_estimate``): 'the estimator
    failed at this sample size: ST of f0 is 1.603, its whole 95% interval (1.161 to 2.045) above 1, which an index
    cannot be'. Any order, separation or factor standing apart would rest on that estimate; one wording for
    ranking.md and the terminal."""
    ranked, key = v["ranked"], v["key"]
    name = "ST" if method == "sobol" else "mu*"
    each = [f"{name} of {ranked['factor'][i]} is {ranked[key][i]:.3f}, its whole 95% interval "
            f"({ranked[key][i] - ranked[f'{key}_conf'][i]:.3f} to {ranked[key][i] + ranked[f'{key}_conf'][i]:.3f}) "
            f"{outside_words(ranked[key][i], method)}" for i in v["failed"]]
    return f"the estimator failed at this sample size: {'; '.join(each)}"


def few_words(samples: int, method: str) -> str:
    """Why a separation from fewer than ``FEW`` samples or trajectories is provisional: one wording for ranking.md and
    the terminal."""
    what = "samples" if method == "sobol" else "trajectories"
    return (f"provisional: {samples} {what} are too few for a bootstrap 95% interval (fewer than {FEW}: it comes out "
            "too narrow); confirm it with more `samples`")


def failed_estimate(value: float, half: float, method: str) -> bool:
    """Whether an index's whole 95% interval (value +- SALib's half-width, uncut) lies outside what the index can be
    (``index_interval``): not an index near the end of its range but an estimator that has failed at this sample
    size, as ST 1.603 (1.161 to 2.045) on 8 samples, where 256 gave 0.95."""
    cap = 1.0 if method == "sobol" else math.inf
    return bool(value + half < 0 or value - half > cap)


def outside_words(value: float, method: str) -> str:
    """'above 1, which an index cannot be': where an estimate outside its index's range lies."""
    return f"{'below 0' if value < 0 else 'above 1'}, which an index cannot be" if method == "sobol" else \
        "below 0, which mu* cannot be"


MU_STAR_UNITS = ("mu*, sigma and mu are in each output's own units (a share of the cohort in percentage points, a count, "
                 "an amount in the scenario's currency; sensitivity.csv keeps a share's as SALib gives it, 0-1: 0.233 "
                 "there is 23.3 points here) per a factor's whole range: the change in the output as the factor moves "
                 "from its low to its high end, were the effect linear (SALib divides each step's effect by the step's "
                 "share of the range), so factors measured in different units compare directly. The direction says "
                 "whether raising a factor raises or lowers the output: from the sign of mu (the mean signed effect, "
                 "in brackets), and only where every step went that way (|mu| = mu*); 'mixed' where steps went both "
                 "ways (mu* above |mu|)")


def effect_unit(output: str) -> tuple[float, str]:
    """The scale and unit a Morris effect (mu*, its interval, sigma) on `output` is shown in: a share's in percentage
    points (x100), as the tool gives every difference of shares, so that the number reads in the unit its heading
    names ('% of cohort', where 0.233 read as 0.23%); any other output's in its own unit (no words)."""
    from sim.analysis.labels import value_label

    return (100.0, "percentage points") if value_label(output)[1] == 100 else (1.0, "")


def effect_columns(rows: pd.DataFrame) -> pd.DataFrame:
    """One output's Morris indices as ranking.md and the report's tables show them: mu* with its 95% interval
    (``index_text``), sigma, and the direction of the effect (``direction``, with mu), in the unit ``effect_unit``
    shows the output's effects in, named in the column heads ('mu* (percentage points, 95% interval)', as the report
    heads a difference of shares)."""
    scale, unit = effect_unit(str(rows["output"].iloc[0]))
    least = 1 if unit else 3  # points to a tenth, as every difference of shares; a 0-1 level to three places
    places = [effect_decimals(scale * v, least) for v in rows["mu_star"]]
    return pd.DataFrame({f"mu* ({unit + ', ' if unit else ''}95% interval)": [
                             index_text(scale * v, scale * c, "morris", f".{d}f")
                             for v, c, d in zip(rows["mu_star"], rows["mu_star_conf"], places, strict=True)],
                         f"sigma{f' ({unit})' if unit else ''}": [f"{scale * v:.1f}" if unit else f"{v:.3g}"
                                                                  for v in rows["sigma"]],
                         f"direction (mu{', ' + unit if unit else ''})": [
                             f"{direction(m, v)} ({scale * m:+.{d}f})"
                             for m, v, d in zip(rows["mu"], rows["mu_star"], places, strict=True)]},
                        index=rows.index)


def effect_decimals(value: float, least: int) -> int:
    """The decimals an effect of `value` is written to: `least`, or, for one too small to show at `least`, enough for
    two significant figures, so that a mu* of 0.00014 with its interval reads 0.00014 (0.00008 to 0.00021), not 0.000
    (0.000 to 0.000), as if the factor had no effect at all."""
    from sim.money import decimals_for

    return decimals_for(value, 2) if value == value and 0 < abs(value) < 10.0 ** -least else least


def direction(mu: float, mu_star: float) -> str:
    """Whether a factor raises or lowers an output over its range, from Morris's mu (the mean signed elementary
    effect) beside mu* (the mean absolute one): 'raises' or 'lowers' only when |mu| is mu* (to rounding), i.e. every
    step moved the output the same way; 'mixed' when the steps went both ways (the sign depends on where in the design
    the step was taken, or the effect is small against noise); 'none' when no step moved it."""
    if not mu_star:
        return "none"
    if within_rounding(mu_star - abs(mu), mu_star):
        return "raises" if mu > 0 else "lowers"
    return "mixed"


def design_line(experiment: Experiment) -> str:
    """The sample behind the indices, as ranking.md states it: the file tells a reader to raise `samples` or
    `replicates` when a ranking is not separated, and is read without the manifest that records them."""
    return f"Design: {design_words(experiment)}; the indices are of each output's mean over a point's successful replicates."


def design_words(experiment: Experiment) -> str:
    """The design's sample and size ("Sobol' (...): 32 samples x (10 factors + 2) = 384 points, 1 replicate each"):
    said before any run (what --samples asked for) and in ranking.md."""
    spec, factors = experiment.spec.design, len(experiment.factors)
    scheme = (f"Sobol' (Saltelli scheme, first and total order): {spec.samples:,} samples x ({factors} factors + 2)"
              if experiment.kind == "sobol" else
              f"Morris: {spec.samples:,} trajectories x ({factors} factors + 1) on {spec.levels} levels")
    replicates = f"{experiment.replicates:,} replicate{'s' * (experiment.replicates > 1)} each"
    crn = " with common random numbers" if experiment.spec.common_random_numbers else ""
    return f"{scheme} = {len(experiment.design):,} points, {replicates}{crn}"


def ranking(table: pd.DataFrame, method: str, experiment: Experiment | None = None, samples: int | None = None) -> str:
    """``ranking.md``: per output, the factors by importance with 95% intervals and a plain verdict; `experiment`
    titles it (two analyses of one scenario read apart) and says the sample they come from (``design_line``).
    `samples` (default: the experiment's) marks a separation from too few of them provisional (``verdict``)."""
    from sim.figures import titles  # the base scenario named as the report's title names it

    if samples is None and experiment is not None:
        samples = experiment.spec.design.samples

    name = "Sobol' total-order index ST" if method == "sobol" else "Morris mu*"
    design = design_line(experiment) if experiment else None
    about = [f"# Sensitivity ranking: {experiment.name} on {titles([experiment.base])[experiment.base.name]}", "",
             *((" ".join(experiment.description.split()), "") if experiment.description.strip() else ())
             ] if experiment else ["# Sensitivity ranking", ""]
    text = [*about,
            f"Factors ranked by {name} per output, with 95% bootstrap intervals ({RESAMPLES} resamples). The top "
            f"{TOP} are *separated* when each one's interval lies wholly above the next factor's; otherwise their "
            "order is within sampling noise and the sample is too small for a ranking (raise `samples`)."
            + (f" {MU_STAR_UNITS[0].upper()}{MU_STAR_UNITS[1:]}." if method == "morris" else ""), "",
            *((design, "") if design else ()), *((cut_words(method), "") if any_cut(table, method) else ())]
    for output, rows in table.groupby("output", sort=False):
        v = verdict(rows, method, samples)
        ranked = v["ranked"]
        if v["constant"]:
            text += [f"## {output_heading(output)}", "", f"**Not ranked: {CONSTANT}; {undefined(method)}.** No factor changes this output "
                     "over the ranges drawn (check that it is the output you meant, or widen the ranges or the "
                     "horizon).", ""]
            continue
        top = min(TOP, len(ranked))  # an experiment of two factors has no top three
        if v["failed"]:
            said = (f"**Not ranked: {failure_words(v, method)}.** The order below is of estimates that cannot be "
                    "trusted: raise `samples`.")
        elif v["separated"]:
            said = f"**The top {top} are separated**: {', '.join(ranked['factor'][:top])}."
        else:
            tied = [f"#{i + 1} and #{i + 2}" for i, gap in enumerate(v["gaps"]) if not gap]
            said = (f"**The top {top} are NOT separated** (overlapping intervals: {', '.join(tied)}): the sample is "
                    "too small for a ranking of the leading factors.")
        if v["leading"] and not v["separated"]:
            apart = standing_apart(v, named=True)
            said += f" {apart[0].upper()}{apart[1:]}, whose order is noise."
        elif not v["leading"] and not v["failed"]:
            said += " No factor stands apart from the rest."
        if v["few"] and (v["separated"] or v["leading"]):
            said += f" Any separation here is {few_words(samples, method)}."
        if v["problems"]:
            said += " Estimator trouble, a sign of too few samples: " + "; ".join(v["problems"]) + "."
        text += [f"## {output_heading(output)}", "", said, ""]
        if method == "sobol":
            text += ["| rank | factor | ST (95% interval) | S1 (95% interval) |", "|---|---|---|---|"]
            text += [f"| {i + 1} | {factor_text(r.factor)} | {index_text(r.ST, r.ST_conf, method)} | "
                     f"{index_text(r.S1, r.S1_conf, method)} |"
                     for i, r in enumerate(ranked.itertuples())]
        else:
            cells = effect_columns(ranked)
            text += [f"| rank | factor | {' | '.join(cells.columns)} |", "|---" * (2 + len(cells.columns)) + "|"]
            text += [f"| {i + 1} | {factor_text(factor)} | {' | '.join(row)} |"
                     for i, (factor, row) in enumerate(zip(ranked["factor"], cells.itertuples(index=False), strict=True))]
        text.append("")
    return "\n".join(text)


def index_interval(value: float, half: float, method: str) -> tuple[float, float]:
    """An index's 95% bootstrap interval (value +- SALib's half-width) within what the index can be: a Sobol' index is
    a share of variance (0 to 1), Morris mu* a mean absolute effect (0 or more). On a small sample the bootstrap runs
    past that range; it is cut there (the estimate itself is left as SALib gives it: one outside the range is the
    estimator trouble ``verdict`` names)."""
    cap = 1.0 if method == "sobol" else math.inf
    return min(max(value - half, 0.0), cap), min(max(value + half, 0.0), cap)


def index_text(value: float, half: float, method: str, digits: str = ".3f") -> str:
    """'0.250 (0.000 to 0.740; cut at the possible range)': an index with its interval (``index_interval``), as
    ranking.md and the report's tables give it. An estimate outside what the index can be (SALib's S1 below 0, ST
    above 1) is given as SALib gives it and said to be so, for a reader who would otherwise see '-0.290 (0.000 to
    0.000)', an estimate outside its own interval. When its whole interval lies outside too (``failed_estimate``), the
    estimator has failed at this sample size, and the interval, uncut, says so: the words once called such an index
    'indistinguishable from 1', the opposite of an interval of 1.161 to 2.045."""
    low, high = index_interval(value, half, method)
    cut = "; " + CUT.partition(",")[0] if (low, high) != (value - half, value + half) else ""
    if not (value < low or value > high):  # NaN too
        return f"{value:{digits}} ({low:{digits}} to {high:{digits}}{cut})"
    outside = outside_words(value, method)
    if failed_estimate(value, half, method):
        return (f"{value:{digits}} (estimator failure at this sample size: 95% interval {value - half:{digits}} to "
                f"{value + half:{digits}}, wholly {outside}; raise samples)")
    return f"{value:{digits}} ({outside}; 95% interval {low:{digits}} to {high:{digits}}{cut})"


def any_cut(table: pd.DataFrame, method: str) -> bool:
    """Whether any index's interval in `table` was cut at the range the index can take (``index_interval``)."""
    pairs = [("S1", "S1_conf"), ("ST", "ST_conf")] if method == "sobol" else [("mu_star", "mu_star_conf")]
    return any(index_interval(v, c, method) != (v - c, v + c) for value, conf in pairs
               for v, c in zip(table[value], table[conf], strict=True) if v == v)


def cut_words(method: str) -> str:
    """The note above ranking.md's tables when an interval was cut (``any_cut``), saying only the bounds of the
    method's own indices: a Sobol' index lies within 0 to 1, Morris's mu* (a mean absolute effect) is never below 0."""
    bounds = "below 0, or a Sobol' index above 1" if method == "sobol" else "a mean absolute effect, never below 0"
    what = "the index" if method == "sobol" else "mu*"
    return cut_note(what, bounds, "samples").replace("an", "An", 1) + "."


def output_heading(output: str) -> str:
    """An output as ranking.md heads it: in words with its unit, then its key ('New offence of any kind (first) at 52
    weeks since release (% of cohort) (`reoffended_52w`)')."""
    from sim.analysis.labels import value_label

    return f"{value_label(output)[0]} (`{output}`)"


def factor_text(factor: str) -> str:
    """A factor as ranking.md names it: its key (which the experiment file uses) with what it is in words."""
    from sim.scenarios.fields import words_of

    words = words_of(factor)
    return f"{factor}: {words}" if words else factor


class Sensitivity:
    """The indices (``.table``) of an experiment, and the sweep (``.sweep``) they were computed from."""

    def __init__(self, table: pd.DataFrame, sweep_result: Sweep, method: str, samples: int | None = None) -> None:
        self.table, self.sweep, self.method, self.samples = table, sweep_result, method, samples

    def verdicts(self) -> dict[str, dict[str, Any]]:
        """Per output: ``verdict`` (ranked factors, whether the top three are separated, estimator trouble)."""
        return {output: verdict(rows, self.method, self.samples)
                for output, rows in self.table.groupby("output", sort=False)}

    @property
    def directory(self) -> Path:
        return self.sweep.directory


def standing_apart(v: dict[str, Any], named: bool = False) -> str:
    """'the leading 2 stand apart from the rest' (``verdict``'s ``leading``), naming them in brackets if ``named``: one
    wording for ranking.md and the terminal."""
    lead = f" ({', '.join(v['ranked']['factor'][: v['leading']])})" if named else ""
    if v["leading"] == 1:
        return f"the leading factor{lead} stands apart from the rest"
    return f"the leading {v['leading']}{lead} stand apart from the rest"


def check_kind(exp: Experiment) -> Experiment:
    """Refuse a design SALib cannot analyse (a grid or Latin hypercube), before anything is said or run."""
    if exp.kind not in ("sobol", "morris"):
        raise InputError(f"sensitivity needs a design of kind sobol or morris (this experiment's is {exp.kind})",
                         file=exp.source, key="design.kind", expected="sobol or morris")
    return exp


def sensitivity(
    experiment: str | Path | dict | Experiment,
    *,
    out: str | Path,
    workers: int | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    batch_size: int = 20,
    figure: bool = True,
    require_existing: bool = False,
    max_runs: int | None = None,
) -> Sensitivity:
    """Sweep the experiment's Sobol' or Morris design into `out` (resuming) and analyse its outputs.

    Writes ``sensitivity.csv``, ``ranking.md`` and ``sensitivity.png`` into `out`. ``require_existing``
    (``--resume``) refuses an `out` that holds no earlier sweep of this experiment to continue; a design above
    `max_runs` runs (``--max-runs``, default ``sim.job_size.MAX_RUNS``) is refused before any run, as by ``sweep``,
    whose ``batch_size`` (``--batch``: runs per Parquet part) it passes on.
    """
    exp = check_kind(load_experiment(experiment, max_runs=max_runs))
    directory = out_folder(out)
    check_engine(workers, scheduler)
    require_at_least(batch_size, 1, "--batch")  # before the folder is locked, as the sweep's own check would be after
    check_folder(directory, exp, resume=True, require_existing=require_existing)  # refuse a wrong folder before locking (creating) it
    check_files(directory, (TABLE, RANKING, *((FIGURE,) if figure else ())), command="sim sensitivity")
    if progress is not False:
        print(outputs_line(exp), file=sys.stderr, flush=True)
        print(f"design: {design_words(exp)}", file=sys.stderr, flush=True)
    written = False  # once the analysis is: a signal after it finds the folder complete

    def state() -> str:
        return folder_state(directory, exp, None if written else f"{TABLE} and {RANKING}")

    with folder_lock(directory, command="sim sensitivity"), saying(state):  # held over the sweep and the files after it
        result = sweep(exp, out=out, workers=workers, scheduler=scheduler, progress=progress, batch_size=batch_size,
                       require_existing=require_existing)
        exp = kept_identity(exp, result.manifest)  # a folder resumed by another file of its settings keeps its name
        table = analyse(exp, point_means(result.runs, exp))
        files = {RANKING: lambda path: path.write_text(ranking(table, exp.kind, exp)),
                 TABLE: lambda path: table.to_csv(path, index=False)}
        if figure:
            from sim.experiments.figures import draw_sensitivity

            files[FIGURE] = lambda path: draw_sensitivity(table, exp.kind, path)
        # the table last: a reader takes the folder for an analysis by it; without --figure an earlier analysis's
        # figure (checked to be its sweep's) would no longer match the table beside it
        replace_set(directory, files, last=TABLE, stale=(FIGURE,))
        written = True
    return Sensitivity(table, result, exp.kind, exp.spec.design.samples)


def outputs_line(experiment: Experiment) -> str:
    """The outputs to be analysed, said before any run; default outputs read short of the longest runs (``weeks`` a
    factor: every design point must reach them) say so, as the defaults otherwise mean the run's last horizon."""
    line = f"outputs: {', '.join(experiment.outputs)}"
    if not experiment.spec.outputs and "weeks" in experiment.factors:
        shortest, longest = int(experiment.design["weeks"].min()), int(experiment.design["weeks"].max())
        if shortest < longest:
            line += (f" (the defaults, read within {shortest} weeks, the shortest runs of design.factors.weeks, though"
                     f" some run {longest}; name `outputs` in the experiment file to choose others)")
    return line
