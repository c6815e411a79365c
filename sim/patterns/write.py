"""What ``sim patterns`` writes from its table: the headline and size line, patterns.md, the figures, and
docs/VALIDATION.md with validation.csv (``--write-docs``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.calibration.objective import model_percent
from sim.calibration.target import BJS_CURVES, WEEKS_PER_MONTH, read_target
from sim.curves import CURVE_WORDS
from sim.data import BJS_2005, VALIDATION, goes_the_other_way, shipped
from sim.patterns.arms import ARMS, FULL, INTENSIVE, QUICK, ROOT_SEED, Observed, attack_week
from sim.patterns.measures import (
    CALIBRATION,
    CIRCLES_FOLLOW_UP,
    HAZARD_SHAPE,
    INDEPENDENT,
    INPUT,
    PLACED_WITHIN,
    VISITS_FOLLOW_UP,
    month_span,
    monthly_hazard,
    published_effects,
    return_grid,
)
from sim.scenarios.fields import fmt


def headline(table: pd.DataFrame) -> str:
    """How many independent tests pass (the validation), and how many of them only within a band that holds no effect,
    the model's estimate on the other side of it from the study's (``sim.data.goes_the_other_way``), then the other
    kinds beside them."""
    counts = {kind: (int(group["passed"].sum()), len(group)) for kind, group in table.groupby("kind")}
    passed, total = counts.get(INDEPENDENT, (0, 0))
    failed = table[(table["kind"] == INDEPENDENT) & ~table["passed"]]["pattern"].tolist()
    tests = table[(table["kind"] == INDEPENDENT) & table["passed"]]
    across = [row.pattern for row in tests.itertuples() if goes_the_other_way(row.measured, str(row.published))]
    notes = ([f"{len(set(across))} only within a band that includes no effect, on the other side of it from the "
              f"study's estimate: {', '.join(dict.fromkeys(across))}"] if across else []) + \
        ([f"failed: {', '.join(dict.fromkeys(failed))}"] if failed else [])
    text = f"{passed} of {total} independent tests pass" + (f" ({'; '.join(notes)})" if notes else "")
    others = [f"{counts[k][0]} of {counts[k][1]} {k}s" for k in (CALIBRATION, INPUT) if k in counts]
    return text + (" — not counted as validation: " + ", ".join(others) + " pass" if others else "")


def overrides_words(settings: dict) -> str:
    """What a table run with --set is: not the shipped model, whose validation is docs/VALIDATION.md; "" without --set
    (``settings["overrides"]``, each key as given, its value as read: ``fmt``'s 0 for 0.0, true for True)."""
    given = settings.get("overrides") or {}
    if not given:
        return ""
    sets = " ".join(f"--set {key}={value if isinstance(value, str) else fmt(value)}" for key, value in given.items())
    return (f"With {sets}: not the shipped model "
            "(its validation is docs/VALIDATION.md, from `sim patterns` without --set).")


def labelled_headline(table: pd.DataFrame, settings: dict) -> str:
    """The headline, after the words saying the model was changed by --set if it was (``overrides_words``)."""
    return " ".join(filter(None, (overrides_words(settings), headline(table))))


def size_words(settings: dict) -> str:
    """What run a table comes from. A quick run's rows are not the validation: its intervals are wider, and tolerances
    set for the full size (the BJS rows') can fail at the quick one, which a reader must not take for the model's."""
    if not settings.get("quick"):
        return f"A full run: {settings['replicates']} replicates per arm, each scenario at its own size."
    general = QUICK.general
    return (f"A quick run: {settings['replicates']} replicates per arm, on smaller worlds "
            f"({general['population.community']:,} community members and {general['population.released']:,} released "
            f"in the general arms). Its intervals are wider than a full run's, and the calibration targets' tolerances, "
            f"set for the full size, may fail at this one: the validation is the full run (`sim patterns`, "
            f"{FULL.replicates} replicates per arm; docs/VALIDATION.md).")


DOCS = Path(__file__).resolve().parents[2] / "docs" / "VALIDATION.md"
CALIBRATION_COMMAND = (
    "sim calibrate general_offenders --target sim/data/bjs_2005_30states_monthly.csv "
    + " ".join(f"--match {column}={output}" for column, output in BJS_CURVES.items()) + " "
    "--params offending.general.base_hazard=0.017:0.023 --params offending.general.desisted_share=0.08:0.16 "
    "--params supervision.breach_rate=0.006:0.009 "
    "--budget 120 --workers 1 --out results/calibration-bjs"
)


def _number(value: float) -> str:
    return "n/a" if value != value else f"{value:.3g}"


def measured_text(row) -> str:
    """The estimate to 4 significant digits (so that one just outside its band does not print as on the edge)."""
    spread = "" if row.low != row.low else f" ({_number(row.low)} to {_number(row.high)})"
    return ("n/a" if row.measured != row.measured else f"{row.measured:.4g}") + spread


def markdown_table(table: pd.DataFrame) -> str:
    lines = ["| kind | pattern | measure | contrast | follow-up | measured (95% interval) | published | band | result |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in table.itertuples():
        lines.append(f"| {row.kind} | {row.pattern} | {row.measure} | {row.contrast} | {row.follow_up} | "
                     f"{measured_text(row)} | {row.published} | {row.band} | {result_text(row)} |")
    return "\n".join(lines) + "\n"


PAST_THE_BAND = "pass (its interval reaches past the band)"


def result_text(row) -> str:
    """A row's result: '**FAIL**', 'pass', or, where the estimate is inside the band and its 95% interval is not
    wholly, ``PAST_THE_BAND``: the estimate decides, and a reader takes a bare 'pass' for an interval that fits."""
    if not row.passed:
        return "**FAIL**"
    inside = not row.low == row.low or row.band_low <= row.low and row.high <= row.band_high
    return "pass" if inside else PAST_THE_BAND


BJS_WORDS = {"arrest": "re-arrest", "return_to_prison": "return to prison"}  # the BJS file's columns in words


def draw_figures(runs: dict[str, list[Observed]], folder: Path) -> list[Path]:
    """validation_bjs.png (BJS curves vs the model) and validation_media.png (stigma around the attack), in
    matplotlib's defaults."""
    import matplotlib.pyplot as plt

    from sim.figures import matplotlib_defaults, save

    folder.mkdir(parents=True, exist_ok=True)
    target = read_target(shipped(BJS_2005))
    effects = published_effects()
    _, compared = month_span(effects[HAZARD_SHAPE])
    gap = effects[HAZARD_SHAPE].band_high
    returned = BJS_CURVES["return_to_prison"]
    with matplotlib_defaults():
        fig, axes = plt.subplots(1, 3, figsize=(18, 5))
        for ax, (column, output) in zip(axes[:2], BJS_CURVES.items(), strict=True):
            curves = np.array([100 * o.curves[output].to_numpy() for o in runs["general"]])
            months = runs["general"][0].curves["weeks_since_release"].to_numpy() / WEEKS_PER_MONTH
            low, high = np.nanpercentile(curves, [2.5, 97.5], axis=0)
            ax.fill_between(months, low, high, alpha=0.25, color="tab:blue", lw=0, label="model, 95% of replicates")
            ax.plot(months, curves.mean(axis=0), color="tab:blue", lw=2, label=f"model: {CURVE_WORDS[output]}")
            observed = target.of(column)
            ax.plot(observed["time"], observed["percent"], "o", ms=3, color="black", label=f"BJS 2005: {BJS_WORDS[column]}")
            ax.set(xlabel="Months since release", ylabel="Cumulative share (%)", xlim=(0, 60),
                   title=f"{BJS_WORDS[column][0].upper()}{BJS_WORDS[column][1:]} (BJS) and {CURVE_WORDS[output]} (model)")
            ax.legend(loc="lower right", fontsize="small")
        grid = return_grid(target, month_span(effects["bjs_return_to_prison"])[1])
        hazards = np.array([100 * monthly_hazard(row) for row in model_percent([o.curves for o in runs["general"]], grid)])
        month = np.arange(1, len(grid))
        observed = 100 * monthly_hazard(grid["percent"].to_numpy())
        ax = axes[2]
        ax.fill_between(month, observed * (1 - gap / 100), observed * (1 + gap / 100), color="grey", alpha=0.2,
                        lw=0, label=f"BJS within {gap:g}%")
        ax.plot(month, observed, "o-", ms=3, color="black", lw=1, label=f"BJS 2005: {BJS_WORDS['return_to_prison']}")
        ax.plot(month, 100 * monthly_hazard(model_percent([o.curves for o in runs["general"]], grid).mean(axis=0)),
                color="tab:blue", lw=2, label=f"model: {CURVE_WORDS[returned]} (mean curve)")
        ax.fill_between(month, *np.nanpercentile(hazards, [2.5, 97.5], axis=0), color="tab:blue", alpha=0.2, lw=0,
                        label="model, 95% of replicates")
        ax.axvline(compared, color="grey", ls=":", lw=1, label=f"compared up to month {compared}")
        ax.set(xlabel="Months since release", ylabel="Monthly hazard, 3-month moving average (%)",
               title="Monthly hazard of a first return", xlim=(0, 60))
        ax.legend(loc="upper right", fontsize="small")
        fig.suptitle("General offenders (general_offenders) against the BJS 2005 release cohort")
        paths = [save(fig, folder / "validation_bjs.png")]

        fig, ax = plt.subplots(figsize=(8, 5))
        # the two runs are the same people with the same seeds, alike until the attack: the attack's line is drawn dashed
        # over the baseline's, so both show where they coincide
        shock_week = attack_week()
        for arm, colour, label, style in (("quiet", "tab:grey", "baseline", "-"),
                                          ("attack", "tab:red", f"attack_backlash (alike until week {shock_week})", "--")):
            series = np.array([o.stigma for o in runs[arm]])
            weeks = np.arange(series.shape[1])
            ax.fill_between(weeks, *np.percentile(series, [2.5, 97.5], axis=0), alpha=0.25, color=colour, lw=0)
            ax.plot(weeks, series.mean(axis=0), color=colour, lw=2, ls=style, label=label)
        ax.axvline(shock_week, color="black", ls=":", lw=1, label=f"attack reported (week {shock_week})")
        ax.set(xlabel="Week of simulation", ylabel="Mean community stigma (0-1)", title=f"Media shock in week {shock_week}")
        ax.legend()
        paths.append(save(fig, folder / "validation_media.png"))
    return paths


def write_outputs(table: pd.DataFrame, runs: dict[str, list[Observed]], folder: Path, settings: dict) -> None:
    """patterns.csv, patterns.md and the figures, into `folder`."""
    from sim.output import write_json
    from sim.provenance import versions

    table.to_csv(folder / "patterns.csv", index=False)
    (folder / "patterns.md").write_text(f"{labelled_headline(table, settings)}\n\n{size_words(settings)}\n\n"
                                        f"{markdown_table(table)}")
    draw_figures(runs, folder)
    model = {"model": overrides_words(settings) or "the shipped model"}
    write_json(folder / "manifest.json", {**versions(), **settings, **model, "root_seed": ROOT_SEED,
                                          "arms": {k: [v[0], v[1]] for k, v in ARMS.items()}})


def validation_markdown(table: pd.DataFrame, settings: dict) -> str:
    """docs/VALIDATION.md, section by section: what the rows are, how they were run, the table, how each pattern is
    measured, the figures and how general_offenders was calibrated."""
    return "".join((validation_heading(table), row_kinds_text(), design_text(settings), markdown_table(table),
                    measures_text(), figures_text(), calibration_text()))


def validation_heading(table: pd.DataFrame) -> str:
    """The file's first lines: how it is regenerated, its title and the headline of the table."""
    return f"""<!-- Generated by `sim patterns --write-docs` (full run); rerun it to regenerate this file and docs/img/validation_*.png. -->
# Validation

**{headline(table)}.**

"""


def row_kinds_text() -> str:
    """What a row compares and when it passes, and the three kinds of row: only independent tests validate."""
    effects = published_effects()
    curves = " and ".join(f"{effects[f'bjs_{column}'].band_high:g}" for column in BJS_CURVES)
    return f"""Each row compares one effect the model produces with a published one, in the contrast the study made
and at its follow-up; `sim/data/published_effects.csv` gives each published effect with a two-sided
band, and a row passes only when the model's estimate falls inside it. A failure is shown as **FAIL**, and a pass
whose 95% interval is not wholly inside the band as "pass (its interval reaches past the band)".
The BJS rows' (US Bureau of Justice Statistics) bands in that file are the calibration's own tolerances, not published intervals ({curves} percentage
points between the curves, {effects[HAZARD_SHAPE].band_high:g}% between the hazards), and the media-shock rows have no band
from it: no published size, so they check only that stigma jumps and then decays.
Rows are of three kinds, and only the first counts as validation:

- **independent test**: nothing in the model was set or tuned to this number;
- **calibration target**: the model was tuned to it (the BJS curves and their return-hazard shape, the
  violent-extremist rate, the intensive supervision (ISP) technical-violation contrast, the contact-prejudice correlation), so a pass
  shows the fit holds, not that the model is right;
- **input check**: a parameter was set from the same study (the record penalty at hiring, the media shock's
  decay) and the row checks that it comes back out as intended.

"""


def design_text(settings: dict) -> str:
    """How the patterns were run (replicates, time, code) and what the intervals are."""
    from sim.provenance import versions

    commit = versions().get("git_commit") or versions().get("commit") or "unknown"
    return f"""Each pattern is a designed experiment with {settings['replicates']} replicates per arm (the arms of a pattern
share their replicate seeds), run by `sim patterns --write-docs` in {settings['seconds']:.0f} s
(code {commit}). Intervals are 95% t-intervals across replicates, except for the BJS rows: a 95% bootstrap
over replicates of the mean curve, of the gap at the month where it is largest (a bootstrap of the largest gap
itself is biased upward and lay above the estimate).

"""


def measures_text() -> str:
    """## How each pattern is measured: one bullet per pattern (the BJS curves two), each naming its study and what
    the model sets against it."""
    bullets = (bjs_measures(), supervision_measure(), visits_measure(), contact_measure(), circles_measure(),
               record_measure(), extremist_measure(), media_measure())
    return "\n## How each pattern is measured\n\n" + "".join(bullets) + "\n"


def bjs_measures() -> str:
    """The BJS curves and their return-hazard shape: the data the model was fitted to."""
    shape = published_effects()[HAZARD_SHAPE]
    first, last = month_span(shape)
    return f"""- **BJS curves (calibration targets)**: `general_offenders` (1,000 people released in week 1, five years)
  against `sim/data/bjs_2005_30states_monthly.csv` (*Recidivism of Prisoners Released in 30 States in 2005*,
  BJS NCJ 244205); month m is week m x 52/12, where the model's weekly curve is interpolated linearly.
- **Return-hazard shape (calibration target)**: the monthly hazard of a first return to prison (new sentence,
  recall for a technical violation, or recall on a new charge, `supervision.offence_recall`), as a centred 3-month moving average, of the mean model curve against the BJS data's,
  month by month from {first} to {last}; the measure is the largest relative gap, which must stay within {shape.band_high:g}%.
  No part of the BJS file is held out: both curves and the hazard shape are the data the model was fitted
  to, so the BJS rows show the fit, not a pattern the model reproduces on data it was not fitted to.
"""


def supervision_measure() -> str:
    """The ISP experiment's contrast, with the intensive arm's settings (``INTENSIVE``)."""
    intensive = ", ".join(f"`{key}` {value:g}" for key, value in INTENSIVE.items())
    return f"""- **Intensive supervision (technical violations: calibration target; new arrests and incarceration:
  independent)**: the randomised ISP experiment (Petersilia & Turner, *Evaluating Intensive Supervision
  Probation/Parole*, NIJ Research in Brief NCJ 141637) compared ISP with routine supervision of probationers
  and parolees at one year; ISP meant several times the contacts plus drug testing. The model contrasts
  `general_offenders`' own supervision with {intensive} (the same licence conditions) and reads the ratio of
  the shares with a first technical violation (a breach supervision detected, whether it brought a warning or
  a recall: `first_violation` in the events table), a first new offence (new arrest) and a first return to
  custody (incarceration) 52 weeks after release. The share of breaches supervision can see at all
  (`supervision.detectable`) was chosen with the technical-violation contrast in view, so that row is a
  calibration target. The model has no route by which supervision raises recorded arrests (the police are not
  modelled), so the arrests row tests only that recall does not cut new offences below its band. No
  randomised study of supervision exists for people released after terrorism offences, so the
  violent-extremist cohort has no row here.
"""


def visits_measure() -> str:
    """Prison visits: every family visiting against none, and the routes by which visits act."""
    return f"""- **Prison visits (independent)**: Duwe & Clark, *Blessed Be the Social Tie That Binds* (visited vs not visited,
  Minnesota). A family visits at all with chance `prison.visits` plus the share of missed visits the policy-input
  lever restores (`sim.levers`, `Policy.visits`); the model contrasts every family visiting
  (`prison.visits` 1) with none (0) in `general_offenders`, with `cooperation.policy_input` 0 in both arms
  (that lever restores missed visits, so without it "none" means none), with the same seeds, and reads the
  ratio of the cause-specific cumulative hazards (Nelson-Aalen; a return before any recall is the competing
  event for revocation) of a first new offence (reconviction) and a first recall for breach (revocation)
  {VISITS_FOLLOW_UP} weeks (54 months, the study's mean follow-up) after release: the hazard ratio if hazards are
  proportional. Visits act only through the family bond:
  the bond kept through custody, the family's engagement after release, the bond's hazard ratio, its place
  among the supports that make breaches less likely, and the accountability it brings to licence conditions
  (`compliance.family_accountability`); and, against these, in a reinforcing family
  (`families.reinforcing_general`) the bond pulls commitment up (`reintegration.family_pull`), which raises
  the offence hazard and breaches. The direction of two of these routes was put in from this study
  (`families.bond_visits` and `compliance.family_accountability` cite it); their sizes are assumed,
  not taken from its hazard ratios, so the rows test the size of the effect, not its direction.
"""


def contact_measure() -> str:
    """Contact and prejudice: the correlation within each baseline run."""
    return """- **Contact and prejudice (calibration target)**: Pettigrew & Tropp, *A Meta-Analytic Test of Intergroup Contact
  Theory*. Within each `baseline` run, the Pearson correlation across community members between weeks of
  contact with released acquaintances living in the community (contact ties, at `population.density`) and
  final stigma. The size of contact's effect (`stigma.contact_effect`) was chosen so that this correlation
  falls in the meta-analysis's range.
"""


def circles_measure() -> str:
    """Circles of support: who counts as a participant and what the matched comparison measures."""
    return f"""- **Circles of support (independent)**: Wilson, Cortoni & McWhinnie, *Circles of Support & Accountability: A
  Canadian National Replication of Outcome Findings*, compared 44 people placed in a circle at release with 44
  non-participants matched on risk, time in the community, release date and place: any new charge or conviction
  over a mean follow-up of about 35 months (risk ratio 5/44 against 17/44). The model makes the same comparison
  within each `general_offenders` run, at the scenario's own, limited NGO capacity. Participants are the people
  placed in an NGO programme within {PLACED_WITHIN} weeks of release (circles start at release, and the model's NGO
  places fill in the first weeks after it), before any new offence; non-participants are the people never placed
  within the follow-up; both groups had no new offence in the first {PLACED_WITHIN} weeks, and people first placed in
  between are in neither. Everyone is released in the same week and followed from release, so the groups match on
  release date and time in the community; they are compared within quartiles of assessed risk at release, combined
  with the participants' weights (a standardised risk ratio), on any new offence (the model's counterpart of a
  charge) within {CIRCLES_FOLLOW_UP} weeks (35 months) of release. The comparison measures what a place does for the
  person who holds it, not mentoring alone: prosocial ties and commitment eroded by mentoring, accountability to
  licence conditions (`ngo_effects.accountability`), job and housing help, therapy on needs and media help against
  experienced stigma. Differences beyond assessed risk in who is placed (officers refer more often at a higher
  assessed priority; people accept by their trust in NGOs) stay in the comparison, as they could in the study's
  matched design. No hazard ratio is taken from these studies.
"""


def record_measure() -> str:
    """The criminal record at hiring: the record penalty against none."""
    return """- **Criminal record at hiring (input check)**: Pager, *The Mark of a Criminal Record*. `effects.record_penalty`
  as set against 0: the weekly job-finding rate of people out of work in the community (the model's
  counterpart of a callback rate). The penalty is set from this study.
"""


def extremist_measure() -> str:
    """Violent-extremist reoffending: the terrorism-offence shares the base hazard was tuned to."""
    return """- **Violent-extremist reoffending (calibration target)**: the `baseline` cohort's share with a first terrorism
  offence 156 and 260 weeks after release (the `terrorism_offence` curve, the published studies following
  people three to five years; any new offence is the separate, higher
  `reoffended` curve); the violent-extremist base hazard and the terrorism share of its offences are tuned
  to this band (Renard, *Overblown: Exploring the Gap Between the Fear of Terrorist Recidivism and the
  Evidence*; Hodwitz, *The Terrorism Recidivism Study*).
"""


def media_measure() -> str:
    """The media shock: the attack run against the same cohort without it."""
    return f"""- **Media shock (input check)**: `baseline` with `attack_backlash`'s week-{attack_week()} attack against `baseline` without
  it (same seeds): the peak excess of mean community stigma in the weeks after the attack, and the weeks until
  that excess halves (both arms with `media.publicised_reoffence_shock` off, and the attack arm without
  `attack_backlash`'s week-80 policy change, so that only the attack differs). No study gives
  a size; the decay is set by `stigma.anchoring`.
"""


def figures_text() -> str:
    """The two figures ``write_docs`` draws beside the file."""
    return """![BJS curves](img/validation_bjs.png)

![Media shock](img/validation_media.png)

"""


def calibration_text() -> str:
    """## Calibration: how general_offenders' calibrated values were set, with the command that checks them."""
    return f"""## Calibration

The `general_offenders` values marked *calibrated* in its scenario file were set in two steps.
The parameters that give the return hazard its shape (the mean and spread of parole terms
`release.licence_weeks` and `release.licence_spread`, `release.court_delay_weeks`,
`release.imprisonment_share` and recall on a new charge `supervision.offence_recall`) were tuned by
hand, with full-size runs of 20 replicates on two sets of seeds, so that the BJS return-hazard
shape and both cumulative curves fall inside their bands; this is why the shape row is a
calibration target. The levels (`offending.general.base_hazard`, `offending.general.desisted_share`,
`supervision.breach_rate`) were then checked by differential evolution with common random numbers (`sim calibrate`, see
`sim calibrate --help`), with the shape parameters as in the scenario file:

```
{CALIBRATION_COMMAND}
```

The best fit lies inside every search range, not at an end (where `sim calibrate` would say to widen it),
and the shipped levels lie inside the ranges `fit.csv` gives for them (the values that replicate noise
cannot tell apart from the best); they were chosen within those ranges for the smaller errors at
20 replicates in `sim patterns`. The command writes `calibrated.yaml` (a scenario extending
`general_offenders` with the fitted values), `fit.csv`, `errors.csv` (the error at every month, on
fresh seeds) and `calibration.png`. Rerunning the
command into the same folder re-uses its cached runs.
"""


STUDIES = {
    "isp_new_arrests": ("Evaluating Intensive Supervision Probation/Parole: Results of a Nationwide Experiment "
                        "(Petersilia & Turner, 1993)", "intensive against routine supervision"),
    "isp_incarceration": ("Evaluating Intensive Supervision Probation/Parole: Results of a Nationwide Experiment "
                          "(Petersilia & Turner, 1993)", "intensive against routine supervision"),
    "visits_reconviction": ("Blessed Be the Social Tie That Binds: The Effects of Prison Visitation on Offender "
                            "Recidivism (Duwe & Clark, 2013)", "every family visiting in prison against none"),
    "visits_revocation": ("Blessed Be the Social Tie That Binds: The Effects of Prison Visitation on Offender "
                          "Recidivism (Duwe & Clark, 2013)", "every family visiting in prison against none"),
    "cosa_participants": ("Circles of Support & Accountability: A Canadian National Replication of Outcome Findings "
                          "(Wilson, Cortoni & McWhinnie, 2009)", f"people placed in an NGO programme within {PLACED_WITHIN} "
                          "weeks of release against people of the same assessed risk never placed (general_offenders at "
                          "its own NGO capacity)"),
}
"""Each independent test's study, by title, and the model's contrast in plain words (for the report's readers)."""
SHIPPED_COLUMNS = ["kind", "pattern", "measure", "contrast", "follow_up", "measured", "low", "high", "published", "band",
                   "band_low", "band_high", "passed", "study", "plain_contrast"]
"""validation.csv's columns: the band's ends as numbers too, by which a pass says whether its interval fits
(``result_text``), as VALIDATION.md's table does."""


def shipped_table(table: pd.DataFrame) -> pd.DataFrame:
    """``sim/data/validation.csv``: the table with each independent test's study title and plain contrast."""
    study = table["pattern"].map(lambda p: STUDIES.get(p, ("", ""))[0])
    plain = table["pattern"].map(lambda p: STUDIES.get(p, ("", ""))[1])
    return table.assign(study=study, plain_contrast=plain)[SHIPPED_COLUMNS]


def write_docs(table: pd.DataFrame, runs: dict[str, list[Observed]], settings: dict) -> None:
    """docs/VALIDATION.md, docs/img/validation_*.png and the shipped validation.csv (what reports say about
    validation), each replaced atomically."""
    import os
    import tempfile

    images = DOCS.parent / "img"
    markdown = validation_markdown(table, settings)  # before the staging folder: it names the code's commit, clean
    with tempfile.TemporaryDirectory(dir=DOCS.parent) as staging:
        for path in draw_figures(runs, Path(staging)):
            os.replace(path, images / path.name)
        shipped_table(table).to_csv(Path(staging) / VALIDATION, index=False)
        os.replace(Path(staging) / VALIDATION, shipped(VALIDATION))
        text = Path(staging) / "VALIDATION.md"
        text.write_text(markdown)
        os.replace(text, DOCS)
