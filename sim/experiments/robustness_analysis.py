"""The analysis of a robustness analysis's runs: per draw, each scenario's difference from the reference, paired over
replicates; per conclusion, the share of draws keeping the nominal sign, the spread, and PRIM's box of where it does
not hold (over the assumptions extra trees screen), tested on held-out draws; per draw, the extra cost and offences
averted the acceptability curve sets against each other.

The method and why are in ``sim.experiments.robustness``, which runs the sweeps this reads and writes what it finds;
it returns a ``Robustness`` (``robustness_results``), which robustness.md's words (``robustness_words``) and figures
(``robustness_figures``) read. Nothing here runs a model or writes a file.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.costs import price_per_offence_averted
from sim.experiments.acceptability import (
    EXTRA_COST,
    RUN_COST,
    RUN_COUNTS,
    acceptability_curve,
    averted_column,
    priced_outcomes,
)
from sim.experiments.metrics import value_range
from sim.experiments.robustness_results import COST, Robustness, is_headline
from sim.stats import SAME, paired_difference
from sim.streams import derived_seed

PRICES = "costs."  # the drawn assumptions that are prices (the ``costs`` section)
MIN_FOR_PRIM = 5  # fewer draws on the rarer side (keeping the sign or not) are too few for PRIM to describe a region
MIN_CUT = 0.2  # an assumption counts as restricted when PRIM's box leaves out at least this share of its range
TABLE_COLUMNS = ["scenario", "reference", "outcome", "nominal", "draws", "share_keeping_sign", "mean", "p05", "median",
                 "p95", "min", "max", "flips", "ties"]
NOMINAL_COLUMNS = ["nominal_pairs", "nominal_low", "nominal_high"]  # the nominal difference's 95% paired t interval
NOT_KEPT = "sign not kept"  # PRIM's box over the draws that flip the sign or give no difference
BOX_COLUMNS = ["scenario", "outcome", "box_holds", "assumption", "low", "high", "range_low", "range_high", "coverage",
               "density"]
HELD_OUT_COLUMNS = ["held_out", "held_out_inside", "held_out_density", "held_out_outside_density", "held_out_p"]
"""The box-finding tested out of sample (``held_out_test``): its verdict, then the held-out draws inside the box found on
the other half, the share of them that are such draws, that share outside the box, and Fisher's one-sided p."""
BEATS_CHANCE, NO_BETTER, TOO_FEW = "beats chance", "no better than chance", "too few to test"
CHANCE = 0.05  # the held-out test's level: a box beats chance when Fisher's one-sided p is below it
SCREENED = 5
"""PRIM searches the assumptions that extra trees (EMA Workbench's feature scoring) rank as most tied to the draws
not keeping the sign, this many of them. Over some 180 assumptions and a few hundred draws PRIM's peeling alone
follows chance into a box on many assumptions that holds only such draws (benchmarks/prim_power.py: at 256 draws it
named the true assumption in 32% of analyses, against 98% after screening); a box of more than a few assumptions
is also past what scenario discovery can put in words (Bryant and Lempert, 2010)."""


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


def against_nominal(differences, nominal: float):
    """Each draw's difference against the nominal one: 1 keeps its sign, -1 flips it, 0 neither (no difference, or
    none at the nominal values), NaN no draw. A zero difference does not support the conclusion, nor reverse it."""
    return sign_of(differences) * sign_of(nominal)


def sign_of(value):
    """-1, 0 or 1 (NaN for NaN), a difference within rounding of 0 counting as 0."""
    return np.sign(value) * (abs(value) > SAME)  # NaN stays NaN; SAME: rounding in the means of shares


def analyse(names: list[str], means: dict, factors: list[str], seed: int = 0, prices_terrorism: bool = False) -> Robustness:
    """Per draw, every scenario's difference from the reference; per conclusion, sign shares, spread and PRIM.

    ``share_keeping_sign`` is out of every draw that ran (``draws``): those giving no difference (``ties``) are in
    its denominator but are not ``flips``. PRIM's box describes the draws not keeping the sign, flips and ties alike;
    each box is tested on held-out draws (``held_out_test``), split at random from `seed`. Where the values hold each
    run's cost and offences (``RUN_COST``, ``RUN_COUNTS``: a real analysis's do), the acceptability curve too, and
    per terrorism offence averted where a nominal cohort can commit them (`prices_terrorism`, ``priced_outcomes``).
    """
    reference = names[0]
    ref_draws, ref_nominal, design = means[reference]
    draws = design.set_index("point")[factors].copy()
    rows, boxes = [], []
    outcomes = priced_outcomes([values for own in means.values() for values in own[:2]], prices_terrorism)
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
        for outcome in (column for column in ref_draws.columns if is_headline(column)):
            column = f"{name}:{outcome}"
            diff = paired_mean(own_draws[outcome], ref_draws[outcome]).reindex(draws.index)
            draws[column] = diff
            nominal = float(paired_mean(own_nominal[outcome], ref_nominal[outcome]).iloc[0])
            pairs, low, high = nominal_interval(own_nominal[outcome], ref_nominal[outcome], outcome)
            valid = diff.dropna()
            agreement = against_nominal(valid, nominal)
            has_sign = sign_of(nominal) != 0
            keeps = float((agreement > 0).mean()) if len(valid) and has_sign else math.nan
            rows.append({"scenario": name, "reference": reference, "outcome": outcome, "nominal": nominal,
                         "draws": len(valid), "share_keeping_sign": keeps, "mean": valid.mean(),
                         "p05": valid.quantile(0.05), "median": valid.median(), "p95": valid.quantile(0.95),
                         "min": valid.min(), "max": valid.max(), "flips": int((agreement < 0).sum()),
                         "ties": int((sign_of(valid) == 0).sum()), "nominal_pairs": pairs, "nominal_low": low,
                         "nominal_high": high})
            not_kept = (agreement <= 0).to_numpy()
            minority = not_kept if not_kept.sum() <= len(valid) / 2 else ~not_kept  # PRIM describes the rarer side
            searched = searched_by_prim(factors, outcome)
            if has_sign and minority.sum() >= MIN_FOR_PRIM and searched:
                x = draws.loc[valid.index, searched]
                # conclusion k's screening and held-out split: their own seeded streams, whatever other conclusions do
                found = prim_box(x, minority, name, outcome, conclusion_stream(seed, "robustness screening", len(rows)))
                if found:
                    tested = held_out_test(x, minority, conclusion_stream(seed, "robustness held-out", len(rows)))
                    boxes += [{**b, "box_holds": NOT_KEPT if minority is not_kept else "nominal sign", **tested}
                              for b in found]
    table = pd.DataFrame(rows)
    found = Robustness(Path("."), draws.reset_index(), table,
                       pd.DataFrame(boxes, columns=[*BOX_COLUMNS, *HELD_OUT_COLUMNS]), factors, prices_terrorism=prices_terrorism)
    if outcomes:  # each curve on its own grid: a terrorism offence averted costs far more than an offence
        found.acceptability = pd.concat([acceptability_curve(found.draws, reference, nominal_costs[outcome], outcome)
                                         for outcome in outcomes], ignore_index=True)
    return found


def searched_by_prim(factors: list[str], outcome: str) -> list[str]:
    """The assumptions PRIM may name for `outcome`: all for the cost, none of the prices for the others. A price
    cannot change what happens in a run, so a box on one for a behavioural conclusion is chance by construction."""
    return list(factors) if outcome == COST else [f for f in factors if not f.startswith(PRICES)]


def conclusion_stream(seed: int, step: str, conclusion: int) -> np.random.Generator:
    """The generator of one step ("robustness screening", "robustness held-out") of conclusion number `conclusion`'s
    analysis: a seed of its own (``sim.streams.derived_seed``), whatever other conclusions do."""
    return np.random.default_rng(derived_seed(seed, step, conclusion))


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
