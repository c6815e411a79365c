"""An optimisation folder's findings as files: trials.csv, front.csv, confirmation.csv, the best mixes as scenario
files (best_<n>.yaml), figures/front.png and optimise.md, written as one set.

``sim.experiments.optimise`` calls ``write_report`` once the search and the confirmation are done (and checks
``report_files`` and ``best_files`` before any run); the words are ``optimise_words``, the figure ``optimise_figures``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.experiments.optimise_figures import draw_front
from sim.experiments.optimise_objective import objective_form
from sim.experiments.optimise_ranking import status_quo_ranks
from sim.experiments.optimise_words import markdown
from sim.money import money
from sim.output import replace_set
from sim.scenarios.scenario_name import derived_name

if TYPE_CHECKING:
    from sim.experiments.optimise import Optimisation

PER_REPLICATE = ("per_replicate", "per_replicate_spend")
"""The confirmation's columns of each fresh replicate's values (by replicate id), kept out of confirmation.csv."""


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


def report_files(figures: bool) -> tuple[str, ...]:
    """The files ``write_report`` always writes (checked before the work: nothing may be in their way)."""
    return ("trials.csv", "front.csv", "confirmation.csv", "optimise.md", *(("figures/front.png",) if figures else ()))


def best_files(top: int) -> tuple[str, ...]:
    """The best mixes' files ``write_report`` may write: best_<n>.yaml only where the search kept an n-th best mix
    and it is not the scenario as it stands, known after the runs (checked before them as files it may replace)."""
    return tuple(f"best_{rank}.yaml" for rank in range(1, top + 1))


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
                stale=["figures/front.png", *best_files(spec["top"])])
