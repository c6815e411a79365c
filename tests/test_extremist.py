"""The violent-extremist cohort: terrorism offences, engagement vs commitment, associates with state, publicised reoffences."""

from __future__ import annotations

import numpy as np
import pytest

from sim.agents.associates import AssociateState
from sim.model import ReintegrationModel
from sim.runner import run
from sim.scenarios import load_scenario

TINY = {"population.released": 200, "population.community": 1_000}
# more offending than the calibrated cohort, so that a tiny run has terrorism offences to count
BUSY = {**TINY, "offending.violent_extremist.base_hazard": 0.01}


def model(**overrides) -> ReintegrationModel:
    return ReintegrationModel("baseline", **{key.replace(".", "__"): value for key, value in {**TINY, **overrides}.items()})


def test_terrorism_offence_is_a_curve_of_its_own_never_above_any_offence():
    result = run("baseline", replicates=2, weeks=104, overrides=BUSY)
    curves = result.curves
    assert {"reoffended", "terrorism_offence"} <= set(curves.columns)
    assert curves["terrorism_offence"].max() > 0
    assert (curves["terrorism_offence"] <= curves["reoffended"] + 1e-12).all()
    assert curves["terrorism_offence"].max() < curves["reoffended"].max()  # not every offence is a terrorism offence
    summary = result.summary
    assert "terrorism_offence" in set(summary["metric"])


def test_general_offenders_commit_no_terrorism_offences():
    result = run("general_offenders", replicates=1, weeks=52, overrides=TINY)
    assert result.curves["reoffended"].max() > 0.1
    assert result.curves["terrorism_offence"].max() == 0


def weekly_commitment(m: ReintegrationModel, weeks: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(people in the community, their commitment) after each week."""
    seen = []
    for _ in range(weeks):
        m.step()
        here = np.flatnonzero(m.cohort.in_community())
        seen.append((here, m.cohort.commitment[here].copy()))
    return seen


def largest_rise(seen) -> float:
    rise = 0.0
    for (before_people, before), (after_people, after) in zip(seen, seen[1:], strict=False):
        common, i, j = np.intersect1d(before_people, after_people, return_indices=True)
        if common.size:
            rise = max(rise, float(np.max(after[j] - before[i])))
    return rise


def test_commitment_does_not_rise_after_release_without_active_associates():
    without = model(**{"network.associates": 0.0})
    assert largest_rise(weekly_commitment(without, 104)) <= 1e-12
    assert np.all(without.cohort.engagement == 0)
    # the check can fail: with active associates some people's commitment does rise
    assert largest_rise(weekly_commitment(model(), 104)) > 0


def test_custodial_deradicalisation_leaves_a_trace_without_associates():
    treated = model(**{"network.associates": 0.0, "prison.programmes": 1.0})
    untreated = model(**{"network.associates": 0.0, "prison.programmes": 0.0})
    for m in (treated, untreated):
        for _ in range(104):
            m.step()
    assert treated.metrics["commitment"] < untreated.metrics["commitment"]


def test_associates_change_state_and_the_hazard_reads_only_the_active_ones():
    m = model()
    ties = m.world.associates
    start = ties.state.copy()
    for _ in range(156):
        m.step()
    moved = ties.turning_over & (ties.state != start)
    assert moved.any()
    assert np.count_nonzero(ties.state == AssociateState.DESISTED) > np.count_nonzero(start == AssociateState.DESISTED)
    active = np.bincount(ties.of[ties.state[ties.member] == AssociateState.ACTIVE], minlength=m.cohort.size)
    np.testing.assert_array_equal(m.cohort.associates, active)


def test_an_old_associate_is_in_one_state_for_everyone_they_are_an_associate_of():
    """Associates are drawn with replacement from the few members with affinity, so one member is often the old
    associate of several people. Arrested or desisted, they are so for all of them (they used to hold one state per
    tie, active for one person while in prison for another)."""
    m = model(weeks=104)
    associates = m.world.associates
    assert np.unique(associates.node).size < associates.node.size  # members shared between people
    for _ in range(104):
        m.step()
    states = associates.state[associates.member]
    assert (states != AssociateState.ACTIVE).any()
    for node in np.unique(associates.node):
        assert np.unique(states[associates.node == node]).size == 1, f"member {node} is in two states"


def test_a_publicised_terrorism_offence_raises_community_stigma_only_with_the_switch_on():
    on, off = (model(**BUSY, **{"media.publicised_reoffence_shock": switch}) for switch in (True, False))
    stigma_on, stigma_off = [], []
    for _ in range(104):
        on.step()
        off.step()
        stigma_on.append(on.metrics["community_stigma"])
        stigma_off.append(off.metrics["community_stigma"])
    labels = [label for _, label in on.event_log]
    assert "terrorism offence by a released person publicised" in labels
    assert not off.event_log
    first = min(week for week, _ in on.event_log)
    assert stigma_on[first - 1] > stigma_off[first - 1]  # the week it fires, same seed
    assert np.mean(stigma_on) > np.mean(stigma_off)


def test_every_shipped_scenario_says_whether_publicised_reoffences_shock():
    from sim.scenarios.loader import SCENARIO_DIR

    for path in SCENARIO_DIR.glob("*.yaml"):
        assert "publicised_reoffence_shock:" in path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize("metric", ["terrorism_offence", "reoffended"])
def test_custodial_programmes_lower_terrorism_offending(metric):
    arms = []
    for name, reach in (("none", 0.0), ("all", 1.0)):
        settings = load_scenario("baseline", {**BUSY, "prison.programmes": reach, "cooperation.custodial_interventions": 0.0})
        arms.append(settings.model_copy(update={"name": name}))
    curves = run(arms, replicates=3, weeks=104).curves
    at = curves[curves["weeks_since_release"] == 104].pivot(index="replicate", columns="scenario", values=metric)
    assert (at["all"] < at["none"]).all()


def test_any_offence_names_the_reoffended_curve_where_users_name_outputs():
    from sim.calibration.target import parse_matches, read_target
    from sim.data import BJS_2005, shipped

    target = read_target(shipped(BJS_2005))
    assert parse_matches(["arrest=any_offence"], target) == {"arrest": "reoffended"}
    assert parse_matches(["arrest=terrorism_offence"], target) == {"arrest": "terrorism_offence"}


def test_a_backlash_can_tighten_licences():
    calm, backlash = (model(**BUSY, **{"media.backlash_strictness": rise, "media.backlash_grievance": rise})
                      for rise in (0.0, 0.2))
    for _ in range(104):
        calm.step()
        backlash.step()
    strictness = backlash.settings.supervision.strictness
    assert f"backlash: stricter licences (supervision strictness {strictness:g})" in [said for _, said in backlash.event_log]
    assert backlash.settings.supervision.strictness > calm.settings.supervision.strictness
