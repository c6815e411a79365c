"""The words of ``sim optimise``: optimise.md (the search, the front, the confirmation and each mix against the
scenario as it stands, in sentences and tables) and the sentences the terminal prints beside it.

It says what ``optimise_ranking`` decided, with the objective named and written as ``optimise_objective`` does, and
decides nothing itself; ``optimise_report`` writes optimise.md into the folder, and ``sim.commands.optimise`` prints
from the same sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from sim.costs import PLACEHOLDERS, run_words, unit_costs_text
from sim.experiments.comparison import too_few_said
from sim.experiments.optimise_objective import (
    aim,
    better_word,
    objective_form,
    objective_name,
    objective_words,
    pair_shown,
)
from sim.experiments.optimise_ranking import (
    PAIRED,
    as_good_for_less,
    beats_status_quo,
    every_mix_ties,
    fresh_ties,
    paired_clear,
    runner_up_gap,
    search_ties,
    status_quo_ranks,
    tied_first,
)
from sim.experiments.optimise_search import own_mix
from sim.money import MONEY_FIGURES, amount, figures_apart, money, money_change, money_interval, pair_figures
from sim.scenarios.fields import words_of
from sim.scenarios.names import key_heading, key_name, name_in_text
from sim.stats import IDENTICAL_PAIRS, cut_said, too_few_alike

if TYPE_CHECKING:
    from sim.experiments.optimise import Optimisation


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
    an interval that happened to be unknown, when the fresh seeds gave no telling at all; the same on too few fresh
    seeds to tell from chance (``too_few_alike``) says so."""
    if gain["low"] == gain["low"]:
        cut = cut_said(gain["difference"], gain["low"], gain["high"])
        return f"paired 95% interval {show(gain['low'], True)} to {show(gain['high'], True)}{cut}"
    pairs, seeds = gain.get("pairs"), gain.get("seeds")
    if pairs is None:  # recorded before the count was: either reason may hold
        return "no interval: the same difference on every fresh seed, or fewer than two with a value in both"
    if too_few_alike(gain["difference"], gain["low"], pairs):  # not clear of 0 (``clear_of_zero``): say why
        return f"no interval: {too_few_said(pairs, 'fresh seeds', 'on')}"
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


def lever_lines(spec: dict[str, Any]) -> list[str]:
    """optimise.md's table of the levers searched: each by the name the tables below head it with and its key, in
    words, its range and its value in the scenario as it stands."""
    own = own_mix(spec)
    return ["| lever | what it is | searched between | as it stands |", "|---|---|---|---|",
            *(f"| {key_name(key)} (`{key}`) | {words_of(key)} | {low:g} to {high:g} | {own[key]:g} |"
              for key, (low, high) in spec["ranges"].items())]


def markdown(found: Optimisation, spec: dict[str, Any]) -> str:
    """``optimise.md``: the search, the front, the best mixes and whether the fresh seeds confirm their ranking."""
    apart = first_mix_figures(found)
    return "\n".join([*search_lines(found, spec, apart), "## Levers searched", "", *lever_lines(spec), "",
                      *front_lines(found, spec, apart), *confirmation_lines(found, spec), *files_lines(found, spec)])


def first_mix_figures(found: Optimisation) -> int:
    """The significant figures of the front's costs and of the first mix's (``front_figures``): the scenario as it
    stands, or the first mix tried when it lies outside the ranges; the search and the front both write costs so."""
    t = found.trials
    quo = t[t["status_quo"]]
    return front_figures(found.front, (t if quo.empty else quo)["spend"].iloc[0]) if len(t) else MONEY_FIGURES


def search_lines(found: Optimisation, spec: dict[str, Any], apart: int) -> list[str]:
    """optimise.md's title and first paragraphs: what was searched and how, how costs are counted, the scenario as it
    stands and how many mixes kept within the budget."""
    costs = spec["settings"].costs
    currency = costs.currency
    per = basis_words(spec)
    objective = spec["objective"]
    t = found.trials
    return [f"# Best mixes for {spec['settings'].name} under a budget of {money(spec['budget'], currency, exact=True)}{per}", "",
            f"{aim(objective).capitalize()} `{objective}` (mean over {spec['replicates']} replicates) over {len(spec['ranges'])} levers, "
            f"{spec['trials']} mixes ({'NSGA-II, looking for the mixes no other beats on both outcome and cost' if spec['pareto'] else 'TPE'}, "
            f"Optuna, seed {spec['seed']}): {objective_words(objective, currency)}. Every mix ran on the same seeds (common random numbers). "
            f"Cost is each run's cost {run_words(spec['settings'].weeks, spec['settings'].weeks)}, the scenario's "
            f"`costs:` section applied to its record ({currency} at {costs.price_year} prices, "
            f"for the whole simulated cohort of one run{' divided by the people released' if spec['basis'] == 'per_released' else ''}). "
            + f"Unit costs: {unit_costs_text(costs)}. {PLACEHOLDERS}", "",
            standing_words(found, spec, apart),
            f"{int(t['feasible'].sum())} of {len(t)} mixes kept within the budget"
            + (f"; {found.failed} runs failed." if found.failed else "."), ""]


def standing_words(found: Optimisation, spec: dict[str, Any], apart: int) -> str:
    """The scenario as it stands in the search: its objective and cost, or, when a range was narrowed past its value,
    that it was not searched and the first mix tried is the nearest within the ranges."""
    currency = spec["settings"].costs.currency
    per = basis_words(spec)
    objective = spec["objective"]
    show = objective_form(objective)[1]
    t = found.trials
    quo = t[t["status_quo"]]
    if quo.empty:  # a range narrowed past the scenario's value: the first mix is the nearest within the ranges
        first = t.iloc[0]
        outside = ", ".join(f"{k} {v:g}" for k, v in own_mix(spec).items()
                            if not spec["ranges"][k][0] <= v <= spec["ranges"][k][1])
        return (f"The scenario as it stands ({outside}) lies outside the searched ranges, so it is not among the mixes: "
                f"the first mix tried is the nearest within them (trial 0: {objective_name(objective)} {show(first['objective'])}, "
                f"cost {money(first['spend'], currency, figures=max(apart, figures_apart(first['spend'], spec['budget'])))}{per}{' (over the budget)' if not first['feasible'] else ''}); "
                "the scenario as it stands is run on the fresh seeds below.")
    status = quo.iloc[0]
    return (f"The scenario as it stands: {objective_name(objective)} {show(status['objective'])}, cost "
            f"{money(status['spend'], currency, figures=max(apart, figures_apart(status['spend'], spec['budget'])))}{per}{' (over the budget)' if not status['feasible'] else ''}.")


def front_lines(found: Optimisation, spec: dict[str, Any], apart: int) -> list[str]:
    """optimise.md's front: what the Pareto front is and its table, cheapest first, with each mix's levers."""
    costs = spec["settings"].costs
    per = basis_words(spec)
    objective = spec["objective"]
    meaning, show = objective_form(objective)
    lines = ["## Front: the cheapest mix for each level of the objective", "",
             f"The Pareto front: the mixes within the budget that no other mix beats on both outcome and cost, cheapest "
             f"first; each dearer one gives a {better_word(objective)} figure for {objective_name(objective)}.", "",
             f"| trial | cost{per} ({costs.currency} at {costs.price_year} prices) | {meaning} | "
             + " | ".join(map(key_heading, spec["ranges"])) + " |",
             "|---|---|---|" + "---|" * len(spec["ranges"])]
    for _, row in found.front.iterrows():
        lines.append(f"| {row['trial']} | {amount(row['spend'], figures=apart)} | {show(row['objective'])} | "
                     + " | ".join(f"{row[k]:g}" for k in spec["ranges"]) + " |")
    return lines


def confirmation_lines(found: Optimisation, spec: dict[str, Any]) -> list[str]:
    """optimise.md's confirmation: the best mixes on fresh seeds, whether their ranking holds and whether the winner
    beats the runner-up and the scenario as it stands; or that nothing kept within the budget to confirm."""
    c = found.confirmation
    heading = ["", f"## Confirmation on fresh seeds ({spec['confirm_replicates']} replicates each)", ""]
    if c.empty:
        return [*heading, "**No mix kept within the budget: nothing to confirm.** Raise the budget or narrow the levers."]
    spent = spend_figures(c, found.against_status_quo)  # each cost and the status quo's agree with their difference
    show = objective_form(spec["objective"])[1]
    tied = tied_first(c)  # the mixes tying for first on fresh seeds: no winner, said once below
    return [*heading, *confirmation_table(found, spec, spent), "", *tie_lines(found.best, show, spec["objective"]),
            *ranking_lines(found, spec), *runner_up_lines(found, tied), *over_budget_lines(c), *paired_lines(c, spec),
            *status_quo_lines(found, spec, spent, tied)]


def confirmation_table(found: Optimisation, spec: dict[str, Any], spent: int) -> list[str]:
    """optimise.md's table of the best mixes in the search and on fresh seeds, with their costs (to `spent` figures)
    and fresh ranks."""
    costs = spec["settings"].costs
    per = basis_words(spec)
    objective = spec["objective"]
    meaning, show = objective_form(objective)
    lines = [f"| search rank | trial | {meaning}: in the search | on fresh seeds (± s.e.) | cost{per} on fresh seeds "
             f"({costs.currency} at {costs.price_year} prices) | fresh rank |",
             "|---|---|---|---|---|---|"]
    for row in found.confirmation.itertuples():
        trial = f"{row.trial} (as it stands)" if row.status_quo else row.trial
        lines.append(f"| {row.search_rank} | {trial} | {show(row.search_objective)} | {fresh_cell(row, show, objective)} | "
                     f"{amount(row.spend, figures=max(figures_apart(row.spend, spec['budget']), spent))}"
                     f"{'' if row.within_budget else ' (over budget)'} | {row.confirm_rank} |")
    return lines


def ranking_lines(found: Optimisation, spec: dict[str, Any]) -> list[str]:
    """Whether the fresh seeds keep the search's order of the best mixes, and whether they decide it, in words."""
    c = found.confirmation
    show = objective_form(spec["objective"])[1]
    lines = []
    if every_mix_ties(found.best):
        pass  # no search order to hold, as tie_lines says
    elif len(c) < 2:  # one mix has no order to keep: "the ranking holds" would claim a check that was not made
        why = ("--top 1" if spec["top"] == 1 else "the only mix on the front" if spec["pareto"]
               else "the only distinct mix within the budget")
        lines.append(f"Only one mix was confirmed ({why}): there is no ranking to check on fresh seeds.")
    elif fresh_ties(c):
        lines.append(f"**On fresh seeds every best mix ties** ({show(c['objective'].iloc[0])} each): the fresh seeds "
                     "show no order, so the search's order is not confirmed. Treat the mixes as equally good, or "
                     "rerun with more replicates.")
    elif found.ranking_holds and found.winner_distinguishable is False:  # same order, but within noise
        lines.append("The ranking holds only in order: on fresh seeds the best mixes come in the same order, but "
                     "the order is not shown beyond seed noise (below).")
    elif found.ranking_holds:
        lines.append("**The ranking holds**: on fresh seeds the best mixes come in the same order.")
    else:  # the fresh seeds may still put their own first beyond noise (runner_up_lines): then theirs is the order
        lines.append("**The ranking does not hold**: on fresh seeds the best mixes come in another order, so the "
                     "search's order owes something to its seeds. "
                     + ("The fresh seeds' order, not the search's, is the one to use." if found.winner_distinguishable
                        else "Treat the mixes as equally good, or rerun with more replicates."))
    if c["confirm_rank"].duplicated().any() and not fresh_ties(c):
        lines.append("Some mixes tie on fresh seeds (same mean): the order among them is not decided.")
    return lines


def runner_up_lines(found: Optimisation, tied: pd.DataFrame) -> list[str]:
    """Whether the first mix on fresh seeds is ahead of the runner-up beyond seed noise; nothing when mixes tie for
    first (`tied`, ``tied_first``: there is no winner to set against a runner-up) or the fresh seeds cannot tell."""
    # with every best mix tied in the search there was no ranking to confirm: the fresh seeds alone put one first
    first = "The best mix on fresh seeds" if every_mix_ties(found.best) else "The winner"
    if not tied.empty:
        return []
    if found.winner_distinguishable is True:
        return [f"{first} is ahead of the runner-up beyond seed noise (paired 95% interval excludes 0, or the "
                f"same difference on each of {IDENTICAL_PAIRS} or more fresh seeds)."]
    if found.winner_distinguishable is False:
        diff, low, _, pairs = runner_up_gap(found.confirmation, found.objective or None)
        why = (too_few_said(pairs, "fresh seeds", "on") if too_few_alike(diff, low, pairs) else
               "paired 95% interval includes 0" if low == low else "no difference on any fresh seed")
        return [f"{first} is **not** distinguishable from the runner-up on fresh seeds ({why}): either would do as "
                "far as this model can tell."]
    return []


def over_budget_lines(confirmation: pd.DataFrame) -> list[str]:
    """The note that some confirmed mixes cost more than the budget on fresh seeds: they sit at its edge."""
    if not confirmation["within_budget"].all():
        return ["Some mixes cost more than the budget on fresh seeds: they sit at its edge."]
    return []


def status_quo_lines(found: Optimisation, spec: dict[str, Any], spent: int, tied: pd.DataFrame) -> list[str]:
    """optimise.md's verdict against the scenario as it stands on the same fresh seeds: mixes tied for first (`tied`,
    ``tied_first``), the status quo itself first, or the winner's paired difference from it; nothing without that
    comparison."""
    c, a = found.confirmation, found.against_status_quo
    if not tied.empty:
        return tied_paragraph(tied, a, c, spec)
    if a.get("status_quo_won"):
        return status_quo_won_lines(found, spec, spent)
    if "difference" in a:
        return winner_against_status_quo(found, spec, spent)
    return []


def status_quo_won_lines(found: Optimisation, spec: dict[str, Any], spent: int) -> list[str]:
    """optimise.md's words when the scenario's own mix comes first on fresh seeds: no mix searched beat it, and any
    that did as well for less."""
    c, a = found.confirmation, found.against_status_quo
    show = objective_form(spec["objective"])[1]
    currency, per = spec["settings"].costs.currency, basis_words(spec)
    return ["", f"**No mix searched beat the scenario as it stands**: its own mix (trial {a['trial']}) comes "
            f"first on fresh seeds ({show(a['status_quo'])}, cost {money(a['status_quo_spend'], currency, figures=spent)}{per})."
            + ("" if not as_good_for_less(c).empty else
               " There is no new best mix to recommend: the other mixes did no better on fresh seeds."),
            *as_good_lines(c, spec, "No mix did better than the scenario as it stands")]


def winner_against_status_quo(found: Optimisation, spec: dict[str, Any], spent: int) -> list[str]:
    """optimise.md's words on the winner against the scenario as it stands on the same fresh seeds: the paired
    difference in outcome and cost, and, when it is within seed noise, any mix that did as well for less."""
    c, a = found.confirmation, found.against_status_quo
    objective = spec["objective"]
    show = objective_form(objective)[1]
    currency, per = spec["settings"].costs.currency, basis_words(spec)
    beyond = beats_status_quo(a, objective)
    cost = winner_cost(c[c["trial"] == a["trial"]], currency, per)
    # with every best mix tied in the search there was no ranking to confirm: the fresh seeds alone put it first
    leader = "the best mix on fresh seeds" if every_mix_ties(found.best) else "the confirmed winner"
    winner, status_quo = pair_shown(objective, a["winner"], a["status_quo"], a["difference"])
    lines = ["", f"On the same fresh seeds the scenario as it stands gives {status_quo} (cost "
             f"{money(a['status_quo_spend'], currency, figures=spent)}{per}); {leader} (trial {a['trial']}, "
             f"`{a['file']}`) "
             f"{winner}: a difference of {show(a['difference'], True)} ({gain_interval(a, show)}), "
             + ("an improvement beyond seed noise." if beyond else "**not** distinguishable from the status quo.")
             + cost]
    if not beyond:
        lines += as_good_lines(c, spec, "No mix did better than the scenario as it stands beyond seed noise",
                               winner=int(a["trial"]))
    return lines


def files_lines(found: Optimisation, spec: dict[str, Any]) -> list[str]:
    """optimise.md's list of the folder's files and what each holds, ending the text with a newline."""
    return ["", "## Files", "",
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
