"""The model as Mesa users and researchers meet it: agents, network, determinism, events, batch_run."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd
import pytest
from mesa.discrete_space import Network

import sim
from sim import ReintegrationModel
from sim.agents import CommunityMember, Family, NgoAgent, ProbationOfficer, ReleasedPerson, Status
from sim.errors import InputError
from sim.runner import simulate
from sim.scenarios import load_scenario

SMALL = {"population__community": 400, "population__released": 60, "weeks": 40}


def run_to_end(model: ReintegrationModel) -> ReintegrationModel:
    while model.running:
        model.step()
    return model


def test_five_agent_types_share_one_topological_network():
    model = ReintegrationModel("baseline", rng=1, **SMALL)
    assert isinstance(model.grid, Network)
    assert model.grid._kdtree is None  # built with layout=None: a purely topological network
    counts = {kind: len(model.agents_by_type[kind]) for kind in (CommunityMember, ReleasedPerson, Family, NgoAgent, ProbationOfficer)}
    assert counts[CommunityMember] == 400 and counts[ReleasedPerson] == 60 and counts[Family] == 60
    assert counts[NgoAgent] == model.settings.population.ngos and counts[ProbationOfficer] >= 1
    person = model.agents_by_type[ReleasedPerson][0]
    neighbours = {type(agent) for agent in person.cell.neighborhood.agents}
    assert {CommunityMember, Family, ProbationOfficer} <= neighbours  # tied to neighbours, family and officer


def test_agents_are_views_on_the_population_arrays():
    model = ReintegrationModel("baseline", rng=1, **SMALL)
    member = model.agents_by_type[CommunityMember][5]
    assert member.stigma == pytest.approx(model.community.stigma[5])
    member.stigma = 0.123
    assert model.community.stigma[5] == pytest.approx(0.123)


def test_same_seed_same_numbers_and_other_seeds_differ():
    settings = load_scenario("baseline", {k.replace("__", "."): v for k, v in SMALL.items()})
    first, again, other = simulate(settings, 7), simulate(settings, 7), simulate(settings, 8)
    pd.testing.assert_frame_equal(first.timeseries, again.timeseries)
    pd.testing.assert_frame_equal(first.curves, again.curves)
    assert not first.timeseries.equals(other.timeseries)


def test_everyone_is_released_within_the_window_and_can_be_recalled_and_re_released():
    model = run_to_end(ReintegrationModel("strict_supervision", rng=3, population__community=400,
                                          population__released=200, weeks=104, release__recall_term_weeks=4))
    cohort = model.cohort
    assert cohort.release_week.min() >= 1 and cohort.release_week.max() <= 1 + model.settings.release.window_weeks
    assert (cohort.status != Status.IN_PRISON).all()
    assert (cohort.recalls > 0).sum() > 0
    re_released = (cohort.recalls > 0) & np.isin(cohort.status, [Status.ON_LICENCE, Status.LICENCE_ENDED])
    assert re_released.sum() > 0


def test_releases_at_once_when_the_window_is_zero():
    model = ReintegrationModel("baseline", rng=1, release__window_weeks=0, **SMALL)
    model.step()
    assert (model.cohort.status != Status.IN_PRISON).all()


def test_mixed_cohort_holds_both_offence_types():
    model = ReintegrationModel("baseline", rng=2, population__violent_extremist_share=0.5, **SMALL)
    assert 0 < model.cohort.extremist.sum() < 60


def test_media_shock_raises_community_stigma_which_then_decays():
    model = ReintegrationModel("attack_backlash", rng=4, population__community=2000, population__released=100, weeks=120)
    series = run_to_end(model).datacollector.get_model_vars_dataframe().set_index("week")["community_stigma"]
    before, peak, later = series[51], series[52], series[110]
    assert peak > before + 0.05
    assert later < peak - 0.5 * (peak - before)
    assert (52, "attack reported in the media") in model.event_log


def test_policy_change_event_takes_effect_at_its_week():
    model = ReintegrationModel("attack_backlash", rng=4, **{**SMALL, "weeks": 90})
    run_to_end(model)
    assert model.settings.supervision.strictness == pytest.approx(0.9)
    # the mark says what the change set: the dashboard's slider stays where the scenario started it
    assert (80, "tougher licence conditions (supervision strictness 0.9)") in model.event_log


def test_live_policy_change_refuses_structural_keys():
    model = ReintegrationModel("baseline", rng=1, **SMALL)
    with pytest.raises(InputError, match="population.released"):
        model.change_policy({"population.released": 10})
    model.change_policy({"supervision.strictness": 0.1})
    assert model.policy.contacts == pytest.approx(0.6)


@pytest.mark.parametrize(("change", "key"), [({"stigma": {"baseline": 0.9}}, "stigma.baseline"),
                                             ({"population": {"released": 10}}, "population.released")])
def test_a_structural_key_given_inside_its_section_is_refused_too(change, key):
    """`{"stigma": {"baseline": 0.9}}` was accepted: model.settings showed a stigma the world was never built with."""
    model = ReintegrationModel("baseline", rng=1, **SMALL)
    before = model.settings.model_dump()
    with pytest.raises(InputError, match="cannot be changed while the model runs") as caught:
        model.change_policy(change)
    assert caught.value.key == key and model.settings.model_dump() == before
    model.change_policy({"supervision": {"strictness": 0.1}})  # a policy key inside its section still changes
    assert model.settings.supervision.strictness == pytest.approx(0.1)
    with pytest.raises(InputError, match="must map dotted keys to values"):
        model.change_policy("supervision.strictness=0.5")


def test_live_media_shock_refuses_a_magnitude_outside_0_to_1():
    model = ReintegrationModel("baseline", rng=1, **SMALL)
    model.step()
    before = model.community.stigma.copy()
    for magnitude, said in ((2, "must be between 0 and 1 (got 2)"), (-1, "must be between 0 and 1 (got -1)"),
                            ("x", "expected a number (got 'x')"), (True, "expected a number (got true)")):
        with pytest.raises(InputError, match="magnitude") as caught:
            model.media_shock(magnitude)
        assert str(caught.value) == f"magnitude: {said}"  # as a scenario file's media_shock event is refused
    assert np.array_equal(model.community.stigma, before)
    model.media_shock(1)
    assert 0 <= model.community.stigma.min() and model.community.stigma.max() <= 1


def test_an_event_before_the_first_week_is_refused_not_dropped():
    for kind in ({"kind": "media_shock"}, {"kind": "policy_change", "set": {"ngo.capacity": 1.0}}):
        with pytest.raises(InputError, match=r"events\[0\]\.week"):
            ReintegrationModel({"extends": "baseline", "name": "early", "events": [{**kind, "week": 0}]}, **SMALL)


def test_a_seed_read_back_from_a_results_table_reruns_that_replicate():
    """Seeds stay exact (uint64) in every table, and a numpy integer seeds a model as the int would."""
    result = sim.run("baseline", replicates=2, weeks=8, overrides={"population.community": 300, "population.released": 40})
    for table in (result.curves, result.timeseries, result.events):
        assert table["seed"].dtype == np.uint64
        assert table.groupby("replicate")["seed"].first().tolist() == result.seeds["baseline"]
    big = max(result.seeds["baseline"])
    assert big >= 2**63  # the root seed gives one seed above int64's range: the case that used to be rounded
    rows = result.timeseries[result.timeseries["replicate"] == result.seeds["baseline"].index(big)]
    model = run_to_end(ReintegrationModel("baseline", rng=rows["seed"].iloc[0], population__community=300, population__released=40, weeks=8))
    saved = rows["community_stigma"].iloc[-1]
    assert model.metrics["community_stigma"] == saved
    assert isinstance(ReintegrationModel("baseline", rng=np.int32(3), **SMALL), ReintegrationModel)


def test_simulate_takes_a_scenario_name_like_the_model_does():
    run = simulate("general_offenders", 2)
    assert len(run.timeseries) == load_scenario("general_offenders").weeks + 1 and "cost_week" in run.timeseries


def test_batch_run_works_as_mesa_users_expect():
    results = mesa.batch_run(
        ReintegrationModel,
        {"scenario": ["baseline"], "supervision__strictness": [0.2, 0.9], "population__community": 300,
         "population__released": 40},
        rng=[1, 2], max_steps=12, display_progress=False,
    )
    frame = pd.DataFrame(results)
    assert len(frame) == 4
    assert {"community_stigma", "experienced_stigma", "supervision__strictness", "Step"} <= set(frame.columns)
    assert frame["Step"].max() == 12
    # the swept value reaches the model: stricter licences mean more probation contacts, on either seed
    contacts = frame.pivot(index="rng", columns="supervision__strictness", values="probation_contacts")
    assert (contacts[0.9] > contacts[0.2]).all(), contacts
    # each row is the run its rng seeds: the same as a model built by hand with that rng
    model = ReintegrationModel("baseline", rng=2, supervision__strictness=0.9, population__community=300, population__released=40)
    for _ in range(12):
        model.step()
    row = frame[(frame["rng"] == 2) & (frame["supervision__strictness"] == 0.9) & (frame["Step"] == 12)].iloc[0]
    assert {name: row[name] for name in model.metrics} == model.metrics


def test_timeseries_and_curves_have_the_documented_columns():
    settings = load_scenario("baseline", {"population.community": 400, "population.released": 60, "weeks": 30})
    single = simulate(settings, 1)
    assert {"week", "community_stigma", "experienced_stigma", "employment_rate", "ngo_enrolled", "ngo_waitlist",
            "ngo_willingness", "in_custody"} <= set(single.timeseries.columns)
    assert list(single.curves.columns[:4]) == ["weeks_since_release", "reoffended", "recalled", "returned"]
    shares = single.curves[["reoffended", "recalled", "returned"]].dropna()
    assert ((shares >= 0) & (shares <= 1)).all().all()
    assert (shares.diff().dropna() >= -1e-12).all().all()  # cumulative curves never fall


def test_family_bonds_stay_within_0_and_1_where_visiting_families_are_most_engaged():
    """Visiting families are more engaged than the reference (above 1): what they give is still at most a full bond."""
    model = ReintegrationModel("general_offenders", rng=2, prison__visits=1.0, weeks=104)
    highest = 0.0
    while model.running:
        model.step()
        highest = max(highest, model.cohort.family_bond.max())
    assert 0.9 < highest <= 1.0


def _outputs_after(scenario, change: dict | None = None, at: int = 1) -> str:
    """Outputs of a small run of `scenario`, with `change` made by a policy change at week `at`."""
    model = ReintegrationModel(scenario, rng=2, population__community=300, population__released=120, weeks=40)
    while model.running:
        if change and model.week == at:
            model.change_policy(change)
        model.step()
    return model.datacollector.get_model_vars_dataframe().to_csv() + model.event_times().to_csv()


def test_every_parameter_a_policy_change_can_touch_changes_something_when_it_does():
    """A key read only when the world is built (a trait drawn for each person, member or officer) changes nothing
    when a policy change sets it mid-run: it must be refused (sim.scenarios.loader.FIXED_DURING_RUN), not accepted
    in silence. So every numeric parameter that changes a run when set at the start, and is not refused, must
    also change it when set after week 1 (the earliest a policy change can come; later, a key whose effect rests on a
    few chance events, such as a court delay, can miss them all in a small run). Checked on general_offenders
    (released over weeks, both profiles' traits)."""
    from sim.scenarios import apply_overrides, load_scenario
    from sim.scenarios.fields import parameters, plausible_range
    from sim.scenarios.loader import fixed_during_run

    # enough old associates (60 of 300 members, not 6) that some desist or are arrested after week 1
    scenario = load_scenario("general_offenders", {"release.window_weeks": 8, "population.violent_extremist_share": 0.5,
                                                   "network.associate_share": 0.2})
    reference = _outputs_after(scenario)
    silent, checked = [], 0
    for path, info, _ in parameters():
        key = ".".join(path)
        if fixed_during_run(path) or key.startswith("costs.") or info.annotation not in (int, float):
            continue
        span = plausible_range(info)
        value = scenario
        for name in path:
            value = getattr(value, name)
        other = info.annotation(span[1] if span and span[1] != value else (span[0] if span else value + 1))
        try:
            changed_from_start = apply_overrides(scenario, {key: other})
        except InputError:
            continue
        if _outputs_after(changed_from_start) == reference:
            continue  # unread in this scenario whenever it is set
        checked += 1
        if _outputs_after(scenario, {key: other}) == reference:
            silent.append(key)
    assert checked > 100
    assert silent == [], f"read only when the world is built, yet a policy change may set them: {silent}"
    with pytest.raises(InputError, match="shapes the world"):
        ReintegrationModel("baseline", rng=1, **SMALL).change_policy({"offending.general.base_hazard": 0.02})


def test_the_offence_draws_skipped_without_the_exp_are_above_the_hazard():
    """``offend_people`` skips a draw at or above ``hazard_bound`` without working out the hazard: the bound must be at
    least the hazard with its room for rounding, as the rule computes them, from hazards near 1 to near 0."""
    import math

    from sim.rules.offending import ROUNDING_ROOM, hazard_bound

    for log_hazard in [*-np.geomspace(1e-12, 700, 4001), -0.0, -math.inf, 0.5, math.nan]:
        hazard = math.exp(log_hazard)
        bound = hazard_bound(log_hazard)
        assert bound >= hazard * (1 + ROUNDING_ROOM) or (math.isnan(log_hazard) and not bound < math.inf)


def test_a_bad_keyword_override_is_named_as_the_keyword_the_caller_typed():
    """From Python the model's overrides are keyword arguments (``supervision__strictness=0.9``, as mesa.batch_run
    passes them): an error read 'overrides: supervision.strictnes: ...', an argument nobody typed."""
    with pytest.raises(InputError) as caught:
        ReintegrationModel("baseline", rng=1, supervision__strictnes=0.5, stigma__baseline=3)
    lines = sorted(line.removeprefix("error: ").removesuffix(" (1 more below)") for line in str(caught.value).splitlines())
    assert lines == ["stigma__baseline: must be between 0 and 1 (got 3)",
                     "supervision__strictnes: unknown key 'strictnes' (did you mean 'strictness'?)"], lines
    assert "overrides" not in str(caught.value)
