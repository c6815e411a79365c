"""The model core's design rules: numbers are parameters, the schedule is the ODD's, one stream per rule,
Mesa built only when asked for, and caseload shapes supervision."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import mesa
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import ReintegrationModel
from sim.agents import CommunityMember, ReleasedPerson
from sim.agents.states import ENROLLED, NOT_ENROLLED, WAITING, Status
from sim.arrays import clip_unit
from sim.rules.custody import geometric
from sim.schedule import SCHEDULE, rule_name
from sim.streams import Streams, poisson

ROOT = Path(__file__).resolve().parents[1]
MODEL_FILES = sorted([*(ROOT / "sim" / "rules").rglob("*.py"), *(ROOT / "sim" / "agents").rglob("*.py"),
                      *(ROOT / "sim" / name for name in ("levers.py", "world.py", "network.py", "model.py"))])
SMALL = {"population__community": 400, "population__released": 80, "weeks": 30}

# The only numbers other than 0 and 1 the model's code may hold, each a module-level constant that is no model
# coefficient, with the reason; any other number is a scenario parameter.
ALLOWED = {
    "sim.rules.offending.SQUARE": "an exponent that `power` turns into a product, cheaper than pow",
    "sim.rules.offending.SQUARE_ROOT": "an exponent that `power` turns into a square root, cheaper than pow",
    "sim.rules.offending.ROUNDING_ROOM": "room for rounding error when a draw is compared with a bound on a chance",
    "sim.rules.offending.SERIES_TERMS": "the first terms of the series of exp(-x), mathematics",
    "sim.rules.offending.BOUND_ROOM": "room for rounding error, twice ROUNDING_ROOM, in the bound on the hazard",
    "sim.world.BETA_MARGIN": "keeps a Beta's mean off 0 and 1 so that both its shapes stay positive (numerical)",
    "sim.world.BETA_TABLE": "points of a Beta's tabulated inverse CDF (numerical accuracy)",
    "sim.world.BETA_TAIL": "how far into the tails, on the logit scale, the Beta table reaches (numerical accuracy)",
    "sim.world.BETA_TABLES_KEPT": "the size of a cache, which changes no result",
    "sim.world.GAMMA_SHAPE_POWER": "a gamma's shape is its coefficient of variation to the power -2, mathematics",
    "sim.world.SUBSET_SHARE": "when contact is worked out for everyone rather than a subset: speed, the same result",
    "sim.network.TIE_ENDS": "a tie has two ends, mathematics",
    "sim.network.GRAPH_SEEDS": "the range of the seed networkx is given (another range draws other networks)",
    "sim.network.SIDE_BY_SIDE": "rows added at once by a loop written for two: speed, the same result",
    "sim.agents.released.VARIANCE_FLOOR": "keeps 1 / variance finite where the variance is 0 (numerical)",
    "sim.agents.states.NOT_ENROLLED": "a code of a person's place with an NGO, stored in an array",
    "sim.agents.states.WAITING": "a code of a person's place with an NGO, stored in an array",
    "sim.agents.states.ENROLLED": "a code of a person's place with an NGO, stored in an array",
    "sim.agents.states.Status": "the codes of custody status, stored in an array",
    "sim.agents.associates.AssociateState": "the codes of an old associate's state, stored in an array",
}


def module_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def numeric_literals(source: str, module: str = "") -> list[tuple[int, object]]:
    """(line, value) of every numeric literal other than 0 and 1, except in a module-level constant or class of
    ``module`` that ``ALLOWED`` lists (an assignment, if it lists every name the assignment binds)."""
    tree = ast.parse(source)
    allowed = set()
    for node in tree.body:
        names = ([node.name] if isinstance(node, ast.ClassDef)
                 else [name.id for target in node.targets for name in ast.walk(target) if isinstance(name, ast.Name)]
                 if isinstance(node, ast.Assign) else [])
        if names and all(f"{module}.{name}" in ALLOWED for name in names):
            allowed |= {id(n) for n in ast.walk(node)}
    return [
        (node.lineno, node.value) for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and type(node.value) in (int, float, complex)
        and node.value not in (0, 1) and id(node) not in allowed
    ]


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_model_s_code_holds_no_hidden_numbers(path):
    found = numeric_literals(path.read_text(encoding="utf-8"), module_of(path))
    assert not found, f"{path.name}: make these scenario parameters (or, if no model coefficient, ALLOWED): {found}"


def test_the_literal_check_catches_a_hidden_number_even_a_named_one():
    assert numeric_literals("def rule(x):\n    return 0.3 * x + 1\n") == [(2, 0.3)]
    assert numeric_literals("SHARE = 0.3\n\ndef rule(x):\n    return SHARE * x\n") == [(1, 0.3)]
    assert numeric_literals("SQUARE = 2.0\n", "sim.rules.offending") == []
    assert numeric_literals("SQUARE, SHARE = 2.0, 0.3\n", "sim.rules.offending") == [(1, 2.0), (1, 0.3)]


@pytest.mark.parametrize("name", ALLOWED)
def test_every_allowed_number_exists(name):
    module, _, constant = name.rpartition(".")
    assert hasattr(importlib.import_module(module), constant), f"{name} is allowed but no longer exists"


def test_every_scheduled_rule_is_in_the_odd_and_every_rule_it_names_exists():
    odd = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    for rule in SCHEDULE:
        assert f"`sim.rules.{rule_name(rule)}`" in odd, f"docs/ODD.md does not name sim.rules.{rule_name(rule)}"
    named = re.findall(r"`sim\.rules\.([\w.]+)`", odd)
    assert len(named) >= len(SCHEDULE)
    for name in named:
        module, _, function = name.rpartition(".")
        assert callable(getattr(importlib.import_module(f"sim.rules.{module}"), function, None)), name


def test_the_schedule_runs_referral_before_supervision_as_the_odd_says():
    names = [rule_name(rule) for rule in SCHEDULE]
    assert names.index("referral.refer") < names.index("supervision.supervise")
    assert names[0] == "events.release" and names[-1] == "standing.update"


def test_same_seed_same_streams_and_each_rule_its_own():
    first, again = Streams(np.random.SeedSequence(5)), Streams(np.random.SeedSequence(5))
    np.testing.assert_array_equal(first["jobs.search"].random(4), again["jobs.search"].random(4))
    assert not np.array_equal(Streams(np.random.SeedSequence(5))["jobs.search"].random(4),
                              Streams(np.random.SeedSequence(5))["housing.search"].random(4))
    assert not np.array_equal(Streams(np.random.SeedSequence(6))["jobs.search"].random(4), again["jobs.search"].random(4))


def stream_states(model: ReintegrationModel) -> dict[str, dict]:
    return {name: generator.bit_generator.state["state"] for name, generator in model.streams.generators.items()}


def test_people_on_licence_or_past_it_are_in_the_community_and_only_the_enrolled_are_enrolled():
    model = ReintegrationModel("general_offenders", rng=1, **SMALL)
    cohort = model.cohort
    cohort.status[:5] = list(Status)
    cohort.ngo_status[:3] = (NOT_ENROLLED, WAITING, ENROLLED)
    assert cohort.in_community()[:5].tolist() == [False, True, True, False, False]
    assert cohort.enrolled()[:3].tolist() == [False, False, True]


@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=40))
def test_levels_are_clipped_to_0_1_exactly_as_numpy_clips_them(values):
    levels = np.array(values, dtype=float)
    expected = np.clip(levels, 0, 1).tobytes()  # bit for bit: outputs must not change
    assert clip_unit(levels).tobytes() == expected
    assert clip_unit(levels, out=levels) is levels
    assert levels.tobytes() == expected


@pytest.mark.parametrize("change", [{"ngo__capacity": 2.0}, {"stigma__baseline": 0.9}, {"supervision__strictness": 1.0}])
def test_a_rule_draws_the_same_numbers_whatever_the_scenario(change):
    """Each rule draws a fixed shape per week, so after any number of weeks every stream is at the same place."""
    reference = ReintegrationModel("general_offenders", rng=3, **SMALL)
    changed = ReintegrationModel("general_offenders", rng=3, **SMALL, **change)
    np.testing.assert_array_equal(reference.cohort.risk, changed.cohort.risk)
    np.testing.assert_array_equal(reference.cohort.release_week, changed.cohort.release_week)
    for _ in range(20):
        reference.step()
        changed.step()
    assert reference.metrics != changed.metrics  # the scenarios did diverge ...
    assert stream_states(reference) == stream_states(changed)  # ... but every rule's stream kept in step


def test_every_stream_keeps_in_step_through_events_and_associates_turning_over():
    """A mixed cohort (associates turn over) against a scenario whose media shock and policy change fire mid-run: the
    scenarios diverge, every rule's stream stays at the same place, so the same person meets the same uniforms."""
    size = {"population__community": 400, "population__released": 80, "population__violent_extremist_share": 0.4}
    reference = ReintegrationModel("baseline", rng=3, weeks=82, **size)
    shocked = ReintegrationModel("attack_backlash", rng=3, weeks=82, **size)
    assert reference.world.associates.turning.size > 0
    for _ in range(82):
        reference.step()
        shocked.step()
    assert {52, 80} <= {week for week, _ in shocked.event_log} and reference.metrics != shocked.metrics
    assert stream_states(reference) == stream_states(shocked)


def world_draws(model: ReintegrationModel) -> dict[str, np.ndarray]:
    """What building the world drew: network ties, homes, people's, families', NGOs' and associates' draws."""
    world = model.world
    cohort, community, families = world.cohort, world.community, world.families
    return {
        "community ties": world.edges[0], "homes": world.edges[1], "associates": world.edges[2],
        **{f"cohort.{name}": getattr(cohort, name) for name in (
            "extremist", "release_week", "risk", "commitment_draw", "needs_draw", "grievance_draw", "assessment_noise",
            "licence_weeks")},
        "community.affinity": community.affinity, "community.susceptibility": community.susceptibility,
        "families.support_capacity": families.support_capacity, "families.reinforcing": families.reinforcing,
        "families.visit_draw": families.visit_draw, "ngos.services": world.ngos.services,
        "associates.state": world.associates.state,
    }


@pytest.mark.parametrize("change", [{"ngo__capacity": 2.0}, {"stigma__baseline": 0.9}, {"supervision__strictness": 1.0},
                                    {"supervision__caseload": 40}])
def test_a_parameter_leaves_the_world_s_other_draws_as_they_were(change):
    """Same seed, one parameter changed: the network, the people and their draws are the same world."""
    size = {"population__violent_extremist_share": 0.5, **SMALL}
    reference = ReintegrationModel("baseline", rng=5, **size)
    changed = ReintegrationModel("baseline", rng=5, **size, **change)
    for name, drawn in world_draws(reference).items():
        np.testing.assert_array_equal(drawn, world_draws(changed)[name], err_msg=name)


def test_an_officer_keeps_their_training_and_orientation_whatever_the_caseload():
    """More or fewer officers (supervision.caseload) adds or removes officers; those in both keep their traits."""
    models = [ReintegrationModel("baseline", rng=5, **SMALL, supervision__caseload=caseload) for caseload in (10, 16)]
    many, few = (model.probation for model in models)
    assert many.size == 8 and few.size == 5
    np.testing.assert_array_equal(many.training_draw[:5], few.training_draw)
    np.testing.assert_array_equal(many.orientation_draw[:5], few.orientation_draw)
    np.testing.assert_array_equal(many.trained[:5], few.trained)
    np.testing.assert_array_equal(many.control_orientation[:5], few.control_orientation)


def test_more_old_associates_on_average_keeps_each_person_s_first_ones():
    """``network.associates`` 2 -> 3, same seed: nobody has fewer associates, a person's first k are the same
    members, each starts in the same state, and meets the same uniform in the weekly turnover."""
    size = {**SMALL, "population__violent_extremist_share": 0.5}
    few, many = (ReintegrationModel("baseline", rng=4, **size, network__associates=mean).world.associates
                 for mean in (2.0, 3.0))
    few_count, many_count = (np.bincount(a.of, minlength=a.cohort_size) for a in (few, many))
    assert (many_count >= few_count).all() and many_count.sum() > few_count.sum()
    first = np.concatenate([np.arange(n) for n in few_count])  # k of each of the fewer associates
    in_many = np.repeat(np.cumsum(many_count) - many_count, few_count) + first
    np.testing.assert_array_equal(many.node[in_many], few.node)
    same = np.searchsorted(many.node[np.unique(many.member, return_index=True)[1]], few.node[np.unique(few.member, return_index=True)[1]])
    np.testing.assert_array_equal(many.state[same], few.state)
    np.testing.assert_array_equal(many.draw[same], few.draw)
    assert many.possible == few.possible


def test_more_members_with_affinity_leaves_each_associate_s_weekly_turnover_alone():
    """``network.associate_share`` 0.1 -> 0.2, same seed: an associate who turns over in both worlds meets the same
    uniform every week, so their state follows the same path (the weekly block's shape is the community's)."""
    size = {**SMALL, "population__violent_extremist_share": 0.5}
    low, high = (ReintegrationModel("baseline", rng=4, **size, network__associate_share=share)
                 for share in (0.1, 0.2))
    assert high.world.associates.possible > low.world.associates.possible
    nodes = [a.node[np.unique(a.member, return_index=True)[1]] for a in (low.world.associates, high.world.associates)]
    both = np.intersect1d(nodes[0][low.world.associates.turning], nodes[1][high.world.associates.turning])
    assert both.size > 10
    rows = [np.searchsorted(node, both) for node in nodes]
    for _ in range(52):
        low.step()
        high.step()
        np.testing.assert_array_equal(low.world.associates.state[rows[0]], high.world.associates.state[rows[1]])


@pytest.mark.parametrize("mean", [0.3, 2.0, 40.0])
def test_poisson_by_inversion_has_the_requested_mean_and_variance(mean):
    counts = poisson(np.random.default_rng(1).random(200_000), mean)
    assert counts.mean() == pytest.approx(mean, rel=0.02) and counts.var() == pytest.approx(mean, rel=0.03)
    assert poisson(np.array([0.0, 0.5]), 0.0).tolist() == [0, 0]


def test_geometric_by_inversion_has_the_requested_mean():
    uniform = np.random.default_rng(1).random(200_000)
    assert np.mean([geometric(u, 16.0) for u in uniform]) == pytest.approx(16, rel=0.02)
    assert max(geometric(u, 1.0) for u in uniform[:1000]) == 1
    assert min(geometric(u, 16.0) for u in uniform) == 1  # on 1, 2, ...: never 0


def test_mesa_space_and_agents_are_built_only_when_asked_for():
    model = ReintegrationModel("baseline", rng=1, **SMALL)
    for _ in range(5):
        model.step()
    assert model._grid is None
    assert len(mesa.Model.agents.fget(model)) == 0  # nothing built by the run itself
    assert len(model.agents_by_type[ReleasedPerson]) == 80
    assert len(model.agents) == 400 + 80 + 80 + model.settings.population.ngos + model.probation.size
    member = model.agents_by_type[CommunityMember][3]
    assert member.stigma == pytest.approx(model.community.stigma[3])


def recalls(capacity: int) -> int:
    total = 0
    for seed in range(3):
        model = ReintegrationModel("general_offenders", rng=seed, population__community=500, population__released=300,
                                   weeks=52, supervision__caseload=100, officers__caseload_capacity=capacity)
        while model.running:
            model.step()
        total += int(model.cohort.recalls.sum())
    return total


def test_overloaded_officers_see_fewer_breaches_and_recall_fewer_people():
    assert recalls(10) < 0.6 * recalls(100)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 50, allow_nan=False), min_size=1, max_size=60))
def test_whole_places_offer_the_total_share_rounded_each_ngo_its_own_rounded_down_or_up(shares):
    """NGO places are whole: the sector offers its total share rounded, and no NGO more than its share rounded up
    or less than rounded down, so no place is lost to rounding each NGO on its own."""
    from sim.rules.standing import whole_places

    shares = np.array(shares)
    places = whole_places(shares)
    assert places.sum() == np.rint(shares.sum())
    assert np.all(places >= np.floor(shares)) and np.all(places <= np.ceil(shares))


def test_ngos_are_as_independent_as_the_levers_make_them_from_the_first_week():
    """Levers 1 and 9 lower NGOs' perceived independence; week 1's referrals and trust must see that, not the
    unlowered ``ngo.independence`` (in general_offenders everyone is released, and referred, in week 1)."""
    model = ReintegrationModel("baseline", rng=1, population__community=300, population__released=50)
    assert model.params.policy.independence < model.settings.ngo.independence
    assert np.allclose(model.ngos.independence, model.params.policy.independence)


def test_a_member_without_a_community_tie_hears_their_own_attitude_not_zero():
    """A generated neighbourhoods graph of low mean degree leaves a few members without a tie: averaging must
    leave their attitude as it is rather than pull it towards no stigma."""
    model = ReintegrationModel("baseline", rng=1, population__community=5000, population__released=50,
                               network__kind="neighbourhoods", network__mean_degree=2)
    influence = model.community.influence
    alone = [member for member in range(influence.shape[0])
             if set(influence.indices[influence.indptr[member]:influence.indptr[member + 1]]) <= {member}]
    assert alone  # the graph does leave some
    stigma = model.community.stigma
    assert np.allclose((influence @ stigma)[alone], stigma[alone])
    assert np.allclose(influence.sum(axis=1), 1)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_released_person_meets_as_many_different_members_as_the_network_says(seed):
    """A sparse small community leaves homes with too few neighbours: the members drawn to fill the places must
    differ from the home and its ties, or a member counts twice in the weekly contact."""
    model = ReintegrationModel("baseline", rng=seed, weeks=1, population__community=300, network__mean_degree=2)
    contact = model.world.contact_matrix.tocsc()
    assert (contact.data == 1).all()
    assert (np.diff(contact.indptr) == model.settings.network.released_neighbours).all()


def every_row_distinct_ties(chosen, missing, size, rng):
    """``sim.network.distinct_ties`` as it looked for repeats in every row: the reference it must match."""
    ordered = np.sort(chosen, axis=1)
    for row in np.flatnonzero((ordered[:, 1:] == ordered[:, :-1]).any(axis=1)):
        drawn = np.flatnonzero(missing[row]) + 1
        kept = np.delete(chosen[row], drawn)
        chosen[row, drawn] = rng.choice(np.setdiff1d(np.arange(size), kept), drawn.size, replace=False)
    return chosen


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 40), st.integers(1, 8), st.integers(0, 12), st.floats(0, 1))
def test_distinct_ties_looks_only_at_rows_with_a_drawn_place_and_draws_as_it_did(seed, count, ties, spare, drawn):
    """``distinct_ties`` sorts only the rows with a drawn place: a row without one cannot be drawn again. Its ties and
    what it draws from the stream are those of a look at every row, repeats in rows without a drawn place too."""
    from sim.network import distinct_ties

    size = ties + spare  # a small community: many rows repeat a member
    make = np.random.default_rng(seed)
    chosen = make.integers(0, size, (count, ties))
    missing = make.random((count, ties - 1)) < drawn
    ours, reference = np.random.default_rng(seed + 1), np.random.default_rng(seed + 1)
    got = distinct_ties(chosen.copy(), missing, size, ours)
    np.testing.assert_array_equal(got, every_row_distinct_ties(chosen.copy(), missing, size, reference))
    assert ours.bit_generator.state == reference.bit_generator.state


def test_ngo_reputation_and_willingness_recover_at_their_own_rates():
    """ngo.reputation_recovery and ngo.willingness_recovery are separate assumptions (robustness varies each)."""
    from sim.rules.standing import update

    def recovered(**rates):
        model = ReintegrationModel("ngo_absent", rng=1, population__community=300, population__released=50,
                                   **{f"ngo__{name}": rate for name, rate in rates.items()})
        model.ngos.reputation[:] = model.ngos.willingness[:] = 0.2
        update(model.world, model.params, None, 1)
        return model.ngos.reputation[0], model.ngos.willingness[0]

    slow, fast = recovered(reputation_recovery=0.0, willingness_recovery=0.5), recovered(reputation_recovery=0.5, willingness_recovery=0.0)
    assert slow[0] < fast[0] and slow[1] > fast[1]


def test_an_ngo_hears_of_its_clients_offences_by_the_chance_of_the_clients_profile():
    """Objective 8, scapegoating: an enrolled violent-extremist client's offence becomes public to their NGO with
    ngo.extremist_publicity, a general offender's with ngo.publicity; a chance of 0 costs no reputation."""
    def reputation(**publicity):
        model = ReintegrationModel("baseline", rng=3, population__community=1000, population__released=200, weeks=104,
                                   **{f"ngo__{name}": chance for name, chance in publicity.items()})
        lowest = 1.0
        while model.running:
            model.step()
            lowest = min(lowest, float(model.ngos.reputation.min()))
        return lowest

    unheard = reputation(extremist_publicity=0.0, publicity=1.0)  # everyone here is a violent-extremist offender
    assert reputation(extremist_publicity=1.0, publicity=0.0) < unheard
    assert reputation(extremist_publicity=0.0, publicity=0.0) == unheard


def test_a_person_meets_the_same_chances_at_the_prison_gate_whatever_week_they_are_released():
    """Common random numbers across release windows: the gate's home and job chances use each person's own
    uniforms, not the uniforms of the calendar week the window gives them."""
    def at_the_gate(window: int) -> tuple[set, set]:
        model = ReintegrationModel("general_offenders", rng=5, population__community=300, population__released=200,
                                   release__window_weeks=window, weeks=window + 1)
        housed, employed = set(), set()
        release, stream = model.rules[0]

        def watched(world, params, stream, week):
            release(world, params, stream, week)
            due = world.released_now
            housed.update(due[world.cohort.housed[due]].tolist())
            employed.update(due[world.cohort.employed[due]].tolist())

        model.rules[0] = (watched, stream)
        while model.running:
            model.step()
        return housed, employed

    at_once, spread = at_the_gate(0), at_the_gate(8)
    assert at_once[0] and at_once[1]
    assert at_once == spread


def test_free_places_go_to_those_waiting_longest_in_the_order_they_stand():
    """``fill_places`` gives each NGO's free places to its queue in order of week joined, then of person, as a sort
    would (worked out here by sorting), whatever the queues, free places and people free of any NGO."""
    from sim.agents.states import ENROLLED, NO_NGO, NOT_YET, WAITING
    from sim.rules.referral import fill_places

    rng = np.random.default_rng(3)
    for _ in range(300):
        people, ngos, week = int(rng.integers(0, 200)), int(rng.integers(1, 6)), int(rng.integers(0, 40))
        status = rng.choice([0, WAITING, ENROLLED], size=people).astype(np.int8)
        ngo = np.where(status > 0, rng.integers(0, ngos, people), NO_NGO)
        since = np.where(status > 0, rng.integers(0, week + 1, people), NOT_YET)
        free = rng.integers(0, 4, ngos) * (rng.random(ngos) < 0.7) + (rng.random() < 0.1) * rng.integers(0, 300)
        expected_status, expected_since = status.copy(), since.copy()
        for one in range(ngos):
            queue = sorted((since[p], p) for p in range(people) if status[p] == WAITING and ngo[p] == one)
            for _, person in queue[:free[one]]:
                expected_status[person], expected_since[person] = ENROLLED, week
        fill_places(week, free, ngo, status, since)
        np.testing.assert_array_equal(status, expected_status)
        np.testing.assert_array_equal(since, expected_since)
