"""Supervision as the ISP experiment made it, caseloads, recall discretion and licences that end at different times."""

from __future__ import annotations

import numpy as np
import pytest

from sim import ReintegrationModel
from sim.agents import Status
from sim.patterns import INTENSIVE
from sim.rules.supervision import DETECT_ROW, DRAWS, contact_intensity, seen, supervise

TINY = {"population__community": 300, "population__released": 300}


def run_to_end(model: ReintegrationModel) -> ReintegrationModel:
    while model.running:
        model.step()
    return model


def first_year_shares(changes: dict, seeds=range(4)) -> dict[str, float]:
    """Shares with a first recall for breach, a first new offence and a first return at one year, over seeds."""
    counts = {"recall": 0, "offence": 0, "return": 0}
    people = 0
    for seed in seeds:
        cohort = run_to_end(ReintegrationModel("general_offenders", rng=seed, weeks=53, **TINY, **changes)).cohort
        for key, times in (("recall", cohort.first_recall), ("offence", cohort.first_offence), ("return", cohort.first_return)):
            counts[key] += int(((times > 0) & (times <= 52)).sum())
        people += cohort.size
    return {key: value / people for key, value in counts.items()}


def test_intensive_supervision_raises_technical_violations_far_more_than_arrests():
    routine = first_year_shares({})
    intensive = first_year_shares({key.replace(".", "__"): value for key, value in INTENSIVE.items()})
    recalls, arrests = intensive["recall"] / routine["recall"], intensive["offence"] / routine["offence"]
    assert recalls > 1.3  # several times the contacts and testing: more technical violations ...
    assert recalls < 3  # ... but detection saturates: not several times as many
    assert 0.85 < arrests < 1.15  # new arrests about unchanged
    assert intensive["return"] > routine["return"]


class GivenDraws:
    """A stream whose weekly uniforms are given, to run ``supervise`` on chosen draws."""

    def __init__(self, uniform: np.ndarray) -> None:
        self.uniform = uniform

    def random(self, shape, dtype=np.float64):  # numpy's signature, as sim.draws.uniforms calls it
        assert shape == self.uniform.shape and dtype == np.float64
        return self.uniform


def test_detection_saturates_at_the_share_of_breaches_supervision_can_see():
    """The weekly pass sees a breach when its draw falls below ``seen`` at the person's contacts
    (``contact_intensity``); with many contacts and tests that chance saturates at ``supervision.detectable``."""
    changes = {"supervision__contacts_multiplier": 10.0, "supervision__testing": 7.0, "supervision__warnings": 10,
               "supervision__serious_share": 0.0, "supervision__offence_recall": 0.0}
    model = ReintegrationModel("general_offenders", rng=1, **TINY, **changes)
    model.step()
    cohort, supervision = model.cohort, model.settings.supervision
    people = np.flatnonzero(cohort.status == Status.ON_LICENCE)
    cohort.breaching[:] = False
    supervise(model.world, model.params, GivenDraws(np.ones((len(DRAWS), cohort.size))), model.week + 1)  # caseloads
    chance = seen(contact_intensity(model.world, model.params, people), supervision.detection,
                  supervision.testing * supervision.test_detection, supervision.detectable)
    assert chance.max() <= supervision.detectable
    assert chance.mean() > 0.9 * supervision.detectable
    # every breach is judged: seen (so warned, as no breach is serious and no draw recalls) just below that chance,
    # unseen just above it
    below, above = people[::2], people[1::2]
    uniform = np.ones((len(DRAWS), cohort.size))
    uniform[DETECT_ROW, below] = chance[::2] * (1 - 1e-9)
    uniform[DETECT_ROW, above] = chance[1::2] * (1 + 1e-9)
    cohort.breaching[people] = True
    warnings = cohort.warnings.copy()
    supervise(model.world, model.params, GivenDraws(uniform), model.week + 1)
    warned = cohort.warnings > warnings
    assert below.size and above.size
    assert warned[below].all() and not warned[above].any()


def test_caseloads_above_capacity_thin_contacts():
    model = ReintegrationModel("general_offenders", rng=1, **TINY)
    model.step()  # release and a first week of supervision: caseloads counted
    people = np.flatnonzero(model.cohort.status == Status.ON_LICENCE)
    at_capacity = contact_intensity(model.world, model.params, people)
    capacity = model.settings.officers.caseload_capacity
    model.world.probation.caseload[:] = 4 * capacity
    assert contact_intensity(model.world, model.params, people) == pytest.approx(at_capacity / 4)


def test_licences_end_at_different_times_but_the_same_person_keeps_the_same_length():
    model = ReintegrationModel("general_offenders", rng=2, population__community=300, population__released=1000)
    lengths = model.cohort.licence_weeks
    mean = model.settings.release.licence_weeks
    assert np.bincount(lengths).max() < 0.05 * lengths.size  # no cliff: no week in which many licences end
    assert abs(lengths.mean() / mean - 1) < 0.1
    other = ReintegrationModel("general_offenders", rng=2, population__community=300, population__released=1000,
                               stigma__baseline=0.7, release__licence_weeks=2 * mean)
    assert np.corrcoef(lengths, other.cohort.licence_weeks)[0, 1] > 0.99  # same quantile, whatever the scenario
    fixed = ReintegrationModel("general_offenders", rng=2, **TINY, release__licence_spread=0.0)
    assert (fixed.cohort.licence_weeks == mean).all()


def test_supervision_stops_at_each_persons_own_licence_end():
    model = run_to_end(ReintegrationModel("general_offenders", rng=3, **TINY, weeks=120))
    cohort = model.cohort
    last_week = cohort.release_week + cohort.licence_weeks - 1  # the week of release is the licence's first
    ended, supervised = cohort.status == Status.LICENCE_ENDED, cohort.status == Status.ON_LICENCE
    assert ended.any() and supervised.any()
    assert (last_week[ended] <= model.settings.weeks).all() and (last_week[supervised] > model.settings.weeks).all()


def test_a_licence_of_three_weeks_is_supervised_in_three_weeks_counting_the_week_of_release():
    model = ReintegrationModel("general_offenders", rng=3, **TINY, weeks=6, release__window_weeks=0,
                               release__licence_weeks=3, release__licence_spread=0.0)
    on_licence = []  # at the end of each week: supervision (step 4) comes before licences run out (step 6)
    while model.running:
        model.step()
        on_licence.append(model.status_counts()["on_licence"])
    assert (model.cohort.release_week == 1).all()
    # on licence at the end of weeks 1 and 2, so seen by supervision in weeks 1, 2 and 3; out after week 3's
    assert all(count > 0 for count in on_licence[:2]) and on_licence[2:] == [0, 0, 0, 0], on_licence


def test_a_recall_for_a_new_charge_is_a_return_but_not_a_technical_violation():
    changes = {"supervision__offence_recall": 1.0, "supervision__breach_rate": 0.0, "release__imprisonment_share": 0.0}
    cohort = run_to_end(ReintegrationModel("general_offenders", rng=4, weeks=30, **TINY, **changes)).cohort
    assert (cohort.first_recall == -1).all()  # no breaches, so no technical violations
    assert (cohort.first_return > 0).sum() > 0  # but charges on licence brought people back
    assert (cohort.recalls > 0).sum() == (cohort.first_return > 0).sum()


def test_every_recall_for_breach_is_a_technical_violation_and_warnings_are_too():
    """A detected breach is a violation whatever the officer does: violations come no later than recalls for
    breach, and more people have one (many are only warned)."""
    cohort = run_to_end(ReintegrationModel("general_offenders", rng=3, weeks=80, **TINY)).cohort
    recalled = cohort.first_recall > 0
    assert recalled.sum() > 0
    assert (cohort.first_violation[recalled] > 0).all()
    assert (cohort.first_violation[recalled] <= cohort.first_recall[recalled]).all()
    assert (cohort.first_violation > 0).sum() > recalled.sum()


def test_staff_training_acts_only_through_the_officers_it_reaches():
    """Training changes recall and referrals by changing the officers it reaches (less control-oriented, more
    referrals), not by a second, cohort-wide factor on everyone's chances."""
    from sim.levers import Policy
    from sim.rules.referral import referral_candidates, referral_rates, referring_officers, who_is_referred
    from sim.scenarios import load_scenario

    untrained, trained = (Policy.from_scenario(load_scenario("baseline", {"cooperation.staff_training": share}))
                          for share in (0.0, 1.0))
    assert (untrained.recall_discretion, untrained.referral_rate) == (trained.recall_discretion, trained.referral_rate)
    models = [ReintegrationModel("general_offenders", rng=2, **TINY, officers__staff_scepticism=0.0,
                                 cooperation__staff_training=share) for share in (0.0, 1.0)]
    none, every = (model.probation for model in models)
    assert not none.trained.any() and every.trained.all()
    shift = models[1].params.officers.training_orientation
    assert np.allclose(every.control_orientation, np.clip(none.control_orientation - shift, 0, 1))
    # a trained officer refers 1 + trained_referral times as often: on the same draws, that many times the people
    # (the weekly pass of referral.refer, with nobody at the gate and no self-referral)
    size = models[0].cohort.size
    officer_draws, self_draws = np.linspace(0, 1, size, endpoint=False), np.ones(size)
    for model in models:
        model.cohort.status[:] = Status.ON_LICENCE
    counts = [int(who_is_referred(officer_draws, self_draws, np.zeros(size, dtype=np.bool_),
                                  referral_candidates(model.world), referring_officers(model.world),
                                  referral_rates(model.params)).sum()) for model in models]
    assert counts[1] == pytest.approx(counts[0] * (1 + models[1].params.officers.trained_referral), rel=0.2)


def test_a_breach_in_the_week_of_a_new_charge_is_not_judged_and_no_breach_carries_over():
    """An officer who hears of a new charge judges that, not the week's breach; other breaches are seen (here
    almost surely) and warned; either way no breach is left for next week."""
    from sim.rules.supervision import supervise

    changes = {"supervision__detectable": 1.0, "supervision__testing": 7.0, "supervision__test_detection": 1.0,
               "supervision__serious_share": 0.0, "supervision__warnings": 10, "supervision__offence_recall": 0.0}
    model = ReintegrationModel("general_offenders", rng=1, **TINY, **changes)
    model.step()
    cohort = model.cohort
    charged, breaching, quiet = np.flatnonzero((cohort.status == Status.ON_LICENCE) & (cohort.first_violation == -1))[:3]
    cohort.breaching[[charged, breaching]] = True
    cohort.offences[charged] += 1  # an offence the officer has not heard of yet
    warnings = cohort.warnings.copy()
    supervise(model.world, model.params, model.streams["supervision.supervise"], model.week + 1)
    assert cohort.warnings[charged] == warnings[charged] and cohort.first_violation[charged] == -1
    assert cohort.warnings[breaching] == warnings[breaching] + 1 and cohort.first_violation[breaching] > 0
    assert cohort.warnings[quiet] == warnings[quiet]
    assert not cohort.breaching[[charged, breaching, quiet]].any()
    assert (cohort.status[[charged, breaching, quiet]] == Status.ON_LICENCE).all()
