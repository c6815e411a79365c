"""What every report says its numbers are, and how the model fares against the published effects it was not tuned to:
each failed test named, with what it means for the conclusions of the report that rest on it."""

from __future__ import annotations

import html
import re

from sim.checked_read import read_csv
from sim.data import goes_the_other_way, neutral_of, published_value

MEANING = {
    "absent": "the model does not reproduce even the direction of the published effect",
    "weaker": "the model's effect is smaller than the study found, so its estimates of what this support achieves may "
              "understate it, or the study's effect may not carry over to this cohort",
    "stronger": "the model's effect is larger than the study found, so its estimates of what this support achieves may "
                "overstate it",
}


NOT_OF_THIS_COHORT = ("None of these tests is of people released after violent-extremist offences, as this report's "
                      "cohort is: the studies followed people supervised or released after other offences, in the "
                      "United States and Canada (of supervision, no randomised study exists for people released after "
                      "terrorism offences). The "
                      "model's one check against a violent-extremist cohort is the share who commit a terrorism offence "
                      "within three and five years of release, and the model was tuned to it (a calibration target, not "
                      "a test). For this cohort, the sizes of the effects in this report are the model's assumptions.")
"""Said under the tally when a report's scenarios hold violent-extremist people: 'it reproduces 4 of 5' read as
evidence about them, though every independent test is of a general cohort."""


def validation_html(varied: set[str] = frozenset(), extremist: bool = False) -> str:
    """What the numbers are (a model's, resting on assumptions) and how the model fares against published effects it
    was not tuned to, naming by its study every test it fails, what a failure means for the conclusions about the
    support it tests and, where the report's analysis varies a setting the failed test varies (`varied`: dotted keys),
    that this report's conclusions are among them: read from the table the last full validation run shipped
    (``sim.data.VALIDATION``), so a report never hides a failure nor leaves the reader to connect it. A test passed
    only within a band that includes no effect, on the other side of it from the study's estimate, is named as such; and where
    the report's cohort holds violent-extremist people (`extremist`), that no test is of such a cohort."""
    from sim.costs import OFFENCES, ONE, TERRORISM
    from sim.data import VALIDATION, shipped
    from sim.scenarios.docs import TITLE

    parts = ["<h2>What these results are</h2>",
             "<p>Every number here comes from a simulation model, not from observing people. Its rules, and most of the "
             f"sizes it uses, are assumptions (<i>{TITLE}</i>, in the reintegration-sim documentation, gives each "
             "one's meaning, unit and source or says it is assumed): read a difference as what the model implies, and "
             "test whether a conclusion survives the assumptions with a robustness analysis "
             "(<code>sim robustness</code>).</p>"]
    path = shipped(VALIDATION)
    if not path.is_file():
        return "\n".join([*parts, '<p class="warning">No record of the model\'s validation ships with this version.</p>'])
    table = read_csv(path, ["kind", "measure", "measured", "low", "high", "published", "band", "passed", "study",
                            "plain_contrast", "follow_up"], rows=True)
    tests = table[table["kind"] == "independent test"]
    failed = tests[~tests["passed"].astype(bool)]
    passed = tests[tests["passed"].astype(bool)]
    across = [row for row in passed.itertuples() if goes_the_other_way(row.measured, str(row.published))]
    said = (f"Checked against {len(tests)} effects published by studies the model was not tuned to, it reproduces "
            f"{len(passed) - len(across)}")
    if across:
        said += (f", and {len(across)} more pass{'es' if len(across) == 1 else ''} only within a band that includes "
                 "no effect, on the other side of it from the study's estimate")
    notes = ['<p class="note">Passed on the other side of no effect from the study: '
             + "; ".join(f"for {html.escape(str(row.plain_contrast))} (<i>{html.escape(str(row.study))}</i>), the "
                         f"{html.escape(re.split(r' [(]|, ', str(row.measure))[0])} is {row.measured:.3g} in the model "
                         f"against {html.escape(str(row.published))} published (the test accepts "
                         f"{html.escape(str(row.band))})" for row in across)
             + ". Such a pass shows that the model's effect is as small as the band allows, not that it goes the "
               "study's way.</p>"] if across else []
    notes += [f'<p class="note">{html.escape(NOT_OF_THIS_COHORT)}</p>'] if extremist and not any(
        "baseline" in f"{row.measure} {row.contrast}" for row in tests.itertuples()) else []
    if failed.empty:
        return "\n".join([*parts, f'<p class="note">{html.escape(said)}.</p>', *notes])
    lines = []
    for row in failed.itertuples():
        neutral = neutral_of(str(row.published))
        if goes_the_other_way(row.measured, str(row.published)):
            direction, kind = "in the model the effect is absent or goes the other way", "absent"
        elif abs(row.measured - neutral) < abs(published_value(str(row.published)) - neutral):
            direction, kind = "the model's effect is weaker than the study's", "weaker"
        else:
            direction, kind = "the model's effect is stronger than the study's", "stronger"
        measure = str(row.measure).split(" (")[0]
        keys = sorted(set(re.findall(r"\b[a-z_]+\.[a-z_]+\b", str(row.contrast))))
        shared = [key for key in keys if key in varied]
        lines.append(f"<li><i>{html.escape(str(row.study))}</i>: for {html.escape(str(row.plain_contrast))}, the "
                     f"{html.escape(measure)} at {html.escape(str(row.follow_up))} is {row.measured:.3g} in the model "
                     f"(95% interval {row.low:.3g} to {row.high:.3g}) against {html.escape(str(row.published))} "
                     f"published (the test accepts {html.escape(str(row.band))}"
                     + ("; 1 would mean no effect" if neutral == 1 else "") + f"): {direction}. What it means: "
                     f"{MEANING[kind]}. The size of what {html.escape(', '.join(keys) or 'this contrast')} changes is "
                     f"therefore not validated: any difference, offence averted or price per {ONE[OFFENCES]} or "
                     f"{ONE[TERRORISM]} averted that rests on it is what the model assumes, not evidence of what a programme like the one studied would "
                     "achieve." + (f" <b>This report's analysis varies {html.escape(', '.join(shared))}: its "
                                   "conclusions about it rest on this effect.</b>" if shared else "") + "</li>")
    return "\n".join([*parts, f'<div class="warning"><p><b>{html.escape(said)}; it fails {len(failed)}:</b></p>'
                       f'<ul>{"".join(lines)}</ul><p>The model is not validated for '
                       f'{"this mechanism" if len(failed) == 1 else "these mechanisms"}: conclusions that rest on '
                       f'{"it" if len(failed) == 1 else "them"} are the least supported in this report.</p></div>',
                       *notes])
