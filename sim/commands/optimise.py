"""Search the levers, NGO capacity and supervision strictness for the mixes that do best on an outcome within a budget.

Optuna proposes mixes (TPE; with --pareto, NSGA-II for the front of cost against the outcome), each run
with the same replicate seeds on the sweep engine; the budget (mean cost over the run, or per person
released, priced by the scenario's costs: section) is a constraint. The best mixes are re-run on fresh
seeds to check their ranking. Writes optimise.md, trials.csv, front.csv, confirmation.csv,
best_<n>.yaml (scenarios for `sim compare`) and figures/front.png; rerun into DIR to resume.
See docs/DECISIONS.md.
"""

from __future__ import annotations

import argparse

from sim.commands.common import (
    add_folder_options,
    add_seed_option,
    at_least,
    overrides,
    positive_int,
    refuse_experiment_files,
)
from sim.counts import LEAST

NAME = "optimise"
HELP = "the best mix of levers under a budget (Optuna search, common random numbers, fresh-seed check)"
ORDER = 63


def amount(text: str) -> float:
    """--budget as parsed: text that is no number is a usage error saying what is expected (the sign and size are
    checked with the other inputs)."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an amount of money, a positive number such as 250000 (got {text!r})") from None


def configure(parser) -> None:
    parser.add_argument("scenario", metavar="SCENARIO", help="shipped name or YAML file whose levers are searched")
    parser.add_argument("--budget", type=amount, required=True, metavar="AMOUNT",
                        help="most a mix may cost (scenario currency; mean over replicates, whole run unless --budget-basis)")
    parser.add_argument("--budget-basis", default="total", choices=("total", "per_released"),
                        help="total cost over the run (default) or cost per person released")
    parser.add_argument("--objective", default=None, metavar="METRIC",
                        help="run metric to minimise (or maximise, where higher is better: final_employment_rate), e.g. reoffended_156w, custody_weeks "
                             "(default: new offence within 3 years, or within the longest summary horizon a shorter run reaches: "
                             "26 weeks, then whole years)")
    parser.add_argument("--levers", default=None, metavar="KEY[=LOW:HIGH],...",
                        help="what to search, comma-separated (default all: the ten cooperation.* levers, ngo.capacity, "
                             "supervision.strictness); KEY=LOW:HIGH sets its range, anywhere the parameter allows (ngo.capacity: 0 to 10; "
                             "default 0 to 1)")
    parser.add_argument("--pareto", action="store_true", help="search the Pareto front of cost against the objective (NSGA-II)")
    parser.add_argument("--trials", type=at_least(LEAST["optimise"]["--trials"]), default=40, metavar="N", help="mixes to try (default 40)")
    parser.add_argument("--replicates", "-r", type=at_least(LEAST["optimise"]["--replicates"]), default=4, metavar="R", help="replicates per mix (default 4)")
    parser.add_argument("--top", type=positive_int, default=3, metavar="K", help="best mixes to write and confirm (default 3)")
    parser.add_argument("--confirm-replicates", type=at_least(LEAST["optimise"]["--confirm-replicates"]), default=None, metavar="R",
                        help="fresh-seed replicates per confirmed mix (default 2 x --replicates)")
    add_seed_option(parser, "root seed of sampler and runs (default: the scenario's)")
    parser.add_argument("--weeks", type=positive_int, default=None, metavar="W", help="horizon in weeks (default: the scenario's)")
    add_folder_options(parser, "optimisation", workers="1, in this process: a Dask cluster per mix pays only for long runs")


def print_as_good(found, show, winner: int | None = None) -> None:
    """A line for each best mix that did as well as the scenario as it stands within the noise of the fresh seeds,
    for less (``as_good_for_less``), as optimise.md gives them (the winner just printed, `winner`: its trial, as 'this
    mix'): the terminal must not leave only a 'winner' that is no better than the scenario as it stands."""
    from sim.experiments.optimise_ranking import as_good_for_less
    from sim.experiments.optimise_words import as_good_name, gain_interval, paired_gain

    for _, row in as_good_for_less(found.confirmation).iterrows():
        print(f"  but {as_good_name(row, winner, code='')} did as well "
              f"within the noise of {row['paired_seeds']} fresh replicates ({show(row['objective_vs_status_quo'], True)}, "
              f"{gain_interval(paired_gain(row, int(row['paired_seeds'])), show)}) for less: "
              f"{spend_words(row, found.currency)}")


def print_tied(found, tied, show) -> None:
    """The lines for mixes that tie for first on fresh seeds (``tied_first``), as optimise.md words them: that they
    tie and the files holding them, then each against the scenario as it stands; none is called the winner."""
    from sim.experiments.optimise_objective import pair_shown
    from sim.experiments.optimise_ranking import beats_status_quo
    from sim.experiments.optimise_words import and_list, gain_interval, mix_label, paired_gain

    names = and_list([mix_label(row, code=False) for _, row in tied.iterrows()])
    each = f"{show(tied['objective'].iloc[0])} each"
    if tied["status_quo"].any():
        print(f"no mix searched beat the scenario as it stands: on fresh seeds {names} tie for first ({each}), so none "
              "is the winner")
        print_as_good(found, show)
        return
    print(f"{names} tie for first on fresh seeds ({each}): none is the winner")
    beyond = []
    for _, row in tied.iterrows():
        if pd_missing(row.get("paired_seeds")):
            continue
        gain = paired_gain(row, int(row["paired_seeds"]))
        beyond.append(beats_status_quo(gain, found.objective))
        mix, status_quo = pair_shown(found.objective, row["objective"], found.against_status_quo["status_quo"],
                                     gain["difference"])
        print(f"  best mix {row['search_rank']} against the scenario as it stands on fresh seeds: "
              f"{mix} vs {status_quo} "
              f"({show(gain['difference'], True)}, {gain_interval(gain, show)}): "
              + ("an improvement beyond seed noise" if beyond[-1] else "NOT distinguishable from the scenario as it stands")
              + f"; {spend_words(row, found.currency)}")
    if not any(beyond):
        print_as_good(found, show)


def pd_missing(value) -> bool:
    """No value: None or NaN (a confirmation row without paired columns)."""
    return value is None or value != value


def spend_words(row, currency: str) -> str:
    """A confirmed mix's cost against the scenario as it stands on the same fresh seeds, with its paired interval:
    'cost -GBP 380,000 (paired 95% interval GBP 340,000 to 420,000 less)'."""
    from sim.experiments.optimise_words import spend_interval
    from sim.money import signed_money

    return (f"cost {signed_money(row['spend_vs_status_quo'], currency)} "
            f"({spend_interval(row['spend_vs_status_quo_low'], row['spend_vs_status_quo_high'], currency)})")


def execute(args) -> int:
    refuse_experiment_files([args.scenario])
    from sim.experiments.optimise import optimise
    from sim.experiments.optimise_objective import objective_form, pair_shown
    from sim.experiments.optimise_ranking import beats_status_quo, every_mix_ties, fresh_ties, tied_first
    from sim.experiments.optimise_words import front_words, gain_interval

    found = optimise(args.scenario, budget=args.budget, out=args.out, objective=args.objective, levers=args.levers,
                     trials=args.trials, replicates=args.replicates, top=args.top,
                     confirm_replicates=args.confirm_replicates, seed=args.seed, overrides=overrides(args),
                     weeks=args.weeks, pareto=args.pareto, basis=args.budget_basis, workers=args.workers,
                     scheduler=args.scheduler, max_runs=args.max_runs, figures=not args.no_figures)
    print(front_words(found.front, found.objective))
    tied = tied_first(found.confirmation)  # two or more first on fresh seeds: no winner
    if found.confirmation.empty:
        print("no mix kept within the budget: nothing to confirm")
    elif len(found.confirmation) == 1:
        print("one mix confirmed on fresh seeds: no ranking to check")
    elif every_mix_ties(found.best):
        print(f"every best mix ties in the search ({objective_form(found.objective)[1](found.best['objective'].iloc[0])} "
              "each): their ranks follow cost alone, cheapest first; no ranking to confirm")
    elif fresh_ties(found.confirmation):
        print(f"every best mix ties on fresh seeds ({objective_form(found.objective)[1](found.confirmation['objective'].iloc[0])} "
              "each): the search's order is not confirmed")
    else:
        print("ranking on fresh seeds: " + ("holds" if found.ranking_holds else "DOES NOT HOLD (see optimise.md)")
              + ("; " + " and ".join(f"best mix {rank}" for rank in tied["search_rank"]) + " tie for first"
                 if not tied.empty else
                 {True: "; winner ahead of the runner-up beyond noise", False: "; winner not distinguishable from the runner-up",
                  None: ""}[found.winner_distinguishable]))
    a = found.against_status_quo
    _, show = objective_form(found.objective)  # a share in percent, a difference in points, as optimise.md writes them
    if not tied.empty:
        print_tied(found, tied, show)
    elif a.get("status_quo_won"):
        print(f"no mix searched beat the scenario as it stands: its own mix (trial {a['trial']}) comes first on fresh "
              f"seeds ({show(a['status_quo'])})")
        print_as_good(found, show)
    elif "difference" in a:
        beyond = beats_status_quo(a, found.objective)
        won = found.confirmation[found.confirmation["trial"] == a["trial"]]
        # with every best mix tied in the search there was no ranking to confirm: the fresh seeds alone put it first
        leader = "best on fresh seeds" if every_mix_ties(found.best) else "winner"
        winner, status_quo = pair_shown(found.objective, a["winner"], a["status_quo"], a["difference"])
        print(f"{leader} (trial {a['trial']}, {a['file']}) against the scenario as it stands on fresh seeds: "
              f"{winner} vs {status_quo} ({show(a['difference'], True)}, {gain_interval(a, show)}): "
              + ("an improvement beyond seed noise" if beyond else "NOT distinguishable from the scenario as it stands")
              + ("" if won.empty or "spend_vs_status_quo" not in won else f"; {spend_words(won.iloc[0], found.currency)}"))
        if not beyond:
            print_as_good(found, show, winner=int(a["trial"]))
    for path in found.files:
        print(f"wrote {path}")
    print(f"wrote {found.directory / 'optimise.md'}")
    return 1 if found.failed else 0
