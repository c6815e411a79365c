"""What the runs of ``sim optimise`` say: the Pareto front, the best mixes, whether fresh seeds keep their ranking,
which mixes tie, and each confirmed mix paired seed by seed with the scenario as it stands.

Numbers and verdicts only, read through the objective's direction (``optimise_objective.loss``): the runs come from
``optimise_search``, the words that say these verdicts are ``optimise_words``, and ``sim.experiments.optimise`` puts
them together.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from sim.experiments.metrics import value_range
from sim.experiments.optimise_objective import loss, maximised
from sim.stats import clear_of_zero, paired_difference, within_rounding


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


def best_mixes(table: pd.DataFrame, front: pd.DataFrame, spec: dict[str, Any]) -> pd.DataFrame:
    """The `top` feasible mixes best on the objective (``loss``; from the front in Pareto mode), best first."""
    pool = front if spec["pareto"] else table[table["feasible"]]
    pool = pool.drop_duplicates(subset=list(spec["ranges"]))
    pool = pool.assign(loss=loss(pool["objective"], spec["objective"]))
    return pool.sort_values(["loss", "cost"]).head(spec["top"]).drop(columns="loss").reset_index(drop=True)


def verdict(confirmation: pd.DataFrame, objective: str | None = None) -> tuple[bool, bool | None]:
    """Does the fresh-seed ranking equal the search ranking, and is the winner ahead of the runner-up beyond noise
    (``runner_up_gap`` clear of 0 by ``clear_of_zero``: its paired 95% interval excludes 0, or it is the same
    non-zero gap on each of ``IDENTICAL_PAIRS`` or more fresh seeds)? None: fewer than two seeds pair up."""
    if confirmation.empty:
        return False, None
    fresh = loss(confirmation.sort_values("search_rank")["objective"].to_numpy(), objective)
    holds = bool((np.diff(fresh) >= 0).all())  # ties do not contradict the order; the report names them
    if len(confirmation) < 2:
        return holds, None
    diff, low, high, pairs = runner_up_gap(confirmation, objective)
    return holds, (clear_of_zero(diff, low, high, pairs) and diff > 0) if pairs >= 2 else None


def runner_up_gap(confirmation: pd.DataFrame, objective: str | None = None) -> tuple[float, float, float, int]:
    """How far the first mix on fresh seeds is ahead of the second, paired seed by seed (``per_replicate``'s replicate
    ids): the mean gap (above 0 when ahead, whichever way the objective points), its 95% interval and the seeds it
    rests on."""
    ordered = confirmation.assign(loss=loss(confirmation["objective"], objective)).sort_values("loss")
    first, second = (pd.Series(v, dtype=float) for v in ordered["per_replicate"].iloc[:2])
    if objective and maximised(objective):
        first, second = second, first
    # runner-up minus winner, or winner minus runner-up where higher is better: above 0 beyond noise either way
    diff, low, high, _ = paired_difference(first, second, **(value_range(objective) if objective else {}))
    return diff, low, high, int((first.notna() & second.notna()).sum())


def against(confirmation: pd.DataFrame, status_quo: dict[str, Any], objective: str | None = None) -> dict[str, Any]:
    """The confirmed winner against the scenario as it stands, on the same fresh seeds (paired by replicate id): paired
    difference and 95% interval, kept within what `objective` can be (``value_range``).

    A winner that is the status quo is not compared with itself: ``status_quo_won`` says no mix beat it.
    """
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


PAIRED = ("objective_vs_status_quo", "objective_vs_status_quo_low", "objective_vs_status_quo_high",
          "spend_vs_status_quo", "spend_vs_status_quo_low", "spend_vs_status_quo_high", "paired_seeds", "cheaper_seeds")
"""confirmation.csv's columns of each confirmed mix against the scenario as it stands on the same fresh seeds (see
``against_each``)."""


def against_each(confirmation: pd.DataFrame, status_quo: dict[str, Any], objective: str | None = None) -> pd.DataFrame:
    """`confirmation` with each confirmed mix minus the scenario as it stands on the same fresh seeds, paired by
    replicate id (``sim.stats.paired_difference``): the objective's mean difference and paired 95%
    interval (``objective_vs_status_quo``, ``_low``, ``_high``: kept within what `objective` can be, ``value_range``),
    the spend's (``spend_vs_status_quo``, ...: the cost the budget is read in, over the run or per person released;
    below 0 is cheaper), over the ``paired_seeds`` fresh seeds with the objective in both, on ``cheaper_seeds`` of
    which the mix cost less. Empty (NaN) for a mix that is the status quo: it is not compared with itself."""
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
    fresh seeds and cost less on them: the objective's paired difference is not clear of 0, the spend's is clear of 0
    and below it (``paired_clear``). Largest saving first; none without the paired columns (``against_each``)."""
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
    its difference is clear of 0 (``clear_of_zero``: its paired 95% interval excludes 0, or it is the same non-zero
    number on each of ``IDENTICAL_PAIRS`` or more fresh seeds) on the better side. A folder that did not record the pairs gives no telling."""
    if not clear_of_zero(against["difference"], against["low"], against["high"], against.get("pairs") or 0):
        return False
    return against["difference"] > 0 if maximised(objective) else against["difference"] < 0


def search_ties(best: pd.DataFrame) -> list[list[int]]:
    """The search ranks of best mixes with the same objective in the search (to rounding), in groups of two or more:
    ``best_mixes`` orders them by cost alone, so their rank says which is cheaper, not which is better."""
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


def status_quo_ranks(best: pd.DataFrame) -> list[int]:
    """The search ranks of the best mixes that are the scenario as it stands: no best_<rank>.yaml for them."""
    return [rank for rank, quo in enumerate(best["status_quo"], start=1) if quo]
