"""What every report says its numbers are, and how the model fares against the published effects it was not tuned to:
each failed test named, with what it means for the conclusions of the report that rest on it."""

from __future__ import annotations

import html
import re

from sim.checked_read import read_csv

MEANING = {
    "absent": "the model does not reproduce even the direction of the published effect",
    "weaker": "the model's effect is smaller than the study found, so its estimates of what this support achieves may "
              "understate it, or the study's effect may not carry over to this cohort",
    "stronger": "the model's effect is larger than the study found, so its estimates of what this support achieves may "
                "overstate it",
}


def validation_html(varied: set[str] = frozenset()) -> str:
    """What the numbers are (a model's, resting on assumptions) and how the model fares against published effects it
    was not tuned to, naming by its study every test it fails, what a failure means for the conclusions about the
    support it tests and, where the report's analysis varies a setting the failed test varies (`varied`: dotted keys),
    that this report's conclusions are among them: read from the table the last full validation run shipped
    (``sim.data.VALIDATION``), so a report never hides a failure nor leaves the reader to connect it."""
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
    said = (f"Checked against {len(tests)} effects published by studies the model was not tuned to, it reproduces "
            f"{len(tests) - len(failed)}")
    if failed.empty:
        return "\n".join([*parts, f'<p class="note">{html.escape(said)}.</p>'])
    lines = []
    for row in failed.itertuples():
        published = float(str(row.published).split()[0])
        neutral = 1.0 if "ratio" in str(row.published) else 0.0
        if (row.measured - neutral) * (published - neutral) <= 0:
            direction, kind = "in the model the effect is absent or goes the other way", "absent"
        elif abs(row.measured - neutral) < abs(published - neutral):
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
                       f'{"it" if len(failed) == 1 else "them"} are the least supported in this report.</p></div>'])
