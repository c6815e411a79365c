"""First-event curves count a recall for breach only while the person is still at risk of one.

A return to custody for a new offence or charge before any recall for breach is a competing event: the
person leaves the risk set of a first recall then, and a recall for breach after a later re-release is not
their first-recall event. A recall for breach is itself a return in the same week, and counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.experiments.comparison import event_data
from sim.outcomes import run_curves

HORIZON = 30


def events(first_recall: list[int], first_return: list[int]) -> pd.DataFrame:
    size = len(first_recall)
    none = [-1] * size
    return pd.DataFrame({"followup": [HORIZON] * size, "first_offence": none, "first_terrorism_offence": none,
                         "first_recall": first_recall, "first_return": first_return})


def test_a_return_before_any_recall_ends_the_time_at_risk_of_a_first_recall():
    # person 0: recalled for breach in week 10 (a return the same week); person 1: recalled on a new charge in
    # week 5 (a return, no breach), re-released, then recalled for breach in week 20; person 2: nothing
    table = events(first_recall=[10, 20, -1], first_return=[10, 5, -1])
    curves = run_curves(table, HORIZON).set_index("weeks_since_release")
    assert curves.loc[10, "recalled"] == pytest.approx(1 / 3)
    assert curves.loc[HORIZON, "recalled"] == pytest.approx(1 / 3)  # person 1's later recall is not a first recall for breach
    assert curves.loc[HORIZON, "returned"] == pytest.approx(2 / 3)
    # the Kaplan-Meier data of the same curve: one event at week 10, person 1 censored at week 5
    data = event_data(table, "recalled", HORIZON)
    assert np.array_equal(np.sort(data._uncensored), [10.0])
    assert np.array_equal(np.sort(data._right), [5.0, float(HORIZON)])


def test_a_recall_for_breach_counts_even_when_the_return_comes_the_same_week():
    curves = run_curves(events(first_recall=[7], first_return=[7]), HORIZON).set_index("weeks_since_release")
    assert curves.loc[6, "recalled"] == 0
    assert curves.loc[7, "recalled"] == 1


def test_a_curve_stays_at_its_value_once_everyone_has_had_the_event_or_the_competing_one():
    # Aalen-Johansen by hand: person 0 recalled for breach in week 4 (1 of 2 at risk: 1/2), person 1 returned on a
    # new charge in week 6 (the competing event; nobody is left at risk). Both followed to the horizon, so the
    # estimate after week 6 is known: recalled 1/2, returned 1, not missing for want of anyone at risk.
    curves = run_curves(events(first_recall=[4, -1], first_return=[4, 6]), HORIZON).set_index("weeks_since_release")
    assert curves.loc[HORIZON, "recalled"] == pytest.approx(1 / 2)
    assert curves.loc[HORIZON, "returned"] == pytest.approx(1.0)
    assert curves.loc[HORIZON, "reoffended"] == 0  # nobody offended: 0 at every week, though nobody is at risk after 6
    # follow-up that ends without an event leaves the curve unknown after it (censored, not carried forward)
    censored = events(first_recall=[4, -1], first_return=[4, -1]).assign(followup=[HORIZON, 10])
    curves = run_curves(censored, HORIZON).set_index("weeks_since_release")
    assert curves.loc[10, "recalled"] == pytest.approx(1 / 2) and np.isnan(curves.loc[11, "recalled"])


def test_a_cumulative_incidence_everyone_reaches_is_a_share_of_one_not_a_hair_above():
    """Five people with events at weeks 16-28 summed to 1.0000000000000002, written as such in curves.parquet and
    summary.csv."""
    import numpy as np

    from sim.outcomes import cumulative_incidence

    times = np.array([28, 16, 27, 28, 22])
    curve = cumulative_incidence(times, np.full(5, -1), np.full(5, 40), 40)["incidence"].to_numpy()
    assert curve.max() == 1.0 and curve[28] == 1.0 and (np.diff(curve) >= 0).all()
