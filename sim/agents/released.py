"""Released people: custody status, needs, bonds, trust, experienced stigma, breaches and new offences."""

from __future__ import annotations

from enum import IntEnum

import numpy as np
from scipy import stats

from sim.agents.base import Column, Population, PopulationAgent
from sim.agents.ngo import SERVICES

NOT_YET = -1  # an event time that has not happened


def gamma_risk(quantile: np.ndarray, variance: np.ndarray) -> np.ndarray:
    """Static risk with mean 1 and the given variance (gamma frailty), at the given quantiles."""
    shape = 1 / np.maximum(variance, 1e-9)
    risk = stats.gamma.ppf(quantile, shape, scale=1 / shape)
    return np.where(variance > 0, risk, 1.0)


class Status(IntEnum):
    """Custody status of a released person (stored as int8)."""

    IN_PRISON = 0  # serving the original sentence, not yet released
    ON_LICENCE = 1  # in the community under supervision
    LICENCE_ENDED = 2  # in the community, supervision over
    RECALLED = 3  # back in custody for breaching the licence
    RETURNED = 4  # back in custody with a new sentence for a new offence


class ReleasedPerson(PopulationAgent):
    """A person released (or due for release) from prison, followed week by week."""

    status = Column()
    extremist = Column()
    risk = Column()
    needs = Column()
    commitment = Column()
    grievance = Column()
    employed = Column()
    housed = Column()
    family_bond = Column()
    prosocial_ties = Column()
    associates = Column()
    trust_government = Column()
    trust_ngo = Column()
    experienced_stigma = Column()
    ngo = Column()
    ngo_status = Column()
    first_offence = Column()
    first_recall = Column()
    first_return = Column()


class Cohort(Population):
    """The released cohort as arrays; each verb is one vectorised rule over everyone it applies to."""

    agent_type = ReleasedPerson

    def __init__(self, model, size: int, neighbourhood, associates: np.ndarray) -> None:
        super().__init__(model, size)
        settings = model.settings
        rng = self.rng
        self.neighbourhood = neighbourhood  # row-normalised released x community ties
        self.associates = associates
        self.extremist = rng.random(size) < settings.population.violent_extremist_share
        window = settings.release.window_weeks
        self.release_week = 1 + np.sort(rng.integers(0, window + 1, size)) if window else np.ones(size, dtype=np.int64)
        self.release_week = self.release_week.astype(np.int64)
        general, extremist = settings.offending.general, settings.offending.violent_extremist
        self.base_hazard = np.where(self.extremist, extremist.base_hazard, general.base_hazard)
        dispersion = np.where(self.extremist, extremist.risk_dispersion, general.risk_dispersion)
        quantile = rng.random(size)
        self.risk_score = stats.norm.ppf(quantile)  # standardised rank of static risk: what assessment sees
        desisted = rng.random(size) < np.where(self.extremist, extremist.desisted_share, general.desisted_share)
        self.risk = gamma_risk(quantile, dispersion) * np.where(desisted, 0.1, 1.0)
        self.commitment_draw = rng.random(size)  # quantile of commitment, fixed per person
        self.needs_draw = rng.random(size)
        self.grievance_draw = rng.random(size)
        self.assessment_noise = rng.standard_normal(size)

        self.status = np.full(size, Status.IN_PRISON, dtype=np.int8)
        zeros = np.zeros(size)
        self.needs, self.commitment, self.grievance = zeros.copy(), zeros.copy(), zeros.copy()
        self.family_bond, self.prosocial_ties = zeros.copy(), zeros.copy()
        self.trust_government, self.trust_ngo = zeros.copy(), zeros.copy()
        self.experienced_stigma, self.local_stigma = zeros.copy(), zeros.copy()
        self.assessed_priority = np.full(size, 0.5)
        self.employed = np.zeros(size, dtype=bool)
        self.housed = np.zeros(size, dtype=bool)
        self.breaching = np.zeros(size, dtype=bool)
        self.warnings = np.zeros(size, dtype=np.int64)
        self.custody_until = np.full(size, NOT_YET, dtype=np.int64)
        self.court_week = np.full(size, NOT_YET, dtype=np.int64)
        self.ngo = np.full(size, NOT_YET, dtype=np.int64)
        self.ngo_status = np.zeros(size, dtype=np.int8)  # 0 none, 1 waiting, 2 enrolled
        self.ngo_since = np.zeros(size, dtype=np.int64)
        self.first_offence = np.full(size, NOT_YET, dtype=np.int64)
        self.first_recall = np.full(size, NOT_YET, dtype=np.int64)
        self.first_return = np.full(size, NOT_YET, dtype=np.int64)
        self.offences = np.zeros(size, dtype=np.int64)
        self.recalls = np.zeros(size, dtype=np.int64)

    # ---- who is where -------------------------------------------------------------------------

    def in_community(self) -> np.ndarray:
        return (self.status == Status.ON_LICENCE) | (self.status == Status.LICENCE_ENDED)

    def enrolled(self) -> np.ndarray:
        return self.ngo_status == 2

    def weeks_out(self, people: np.ndarray, week: int) -> np.ndarray:
        """Weeks since release, counting the week of release as week 1 (so curves start at 0 at week 0)."""
        return week - self.release_week[people] + 1

    def supported_share(self) -> float:
        """Share of people in the community enrolled with an NGO: the support others can see."""
        here = self.in_community()
        count = here.sum()
        return float((self.enrolled() & here).sum() / count) if count else 0.0

    # ---- week by week -------------------------------------------------------------------------

    def release_due(self, week: int) -> np.ndarray:
        """Release those whose date has come, carrying what prison did to them into the community."""
        due = np.flatnonzero((self.release_week == week) & (self.status == Status.IN_PRISON))
        if due.size:
            self.prepare_for_release(due)
            self.status[due] = Status.ON_LICENCE if self.model.settings.release.licence_weeks else Status.LICENCE_ENDED
        return due

    def prepare_for_release(self, people: np.ndarray) -> None:
        """State at the prison gate: shaped by the regime, programmes, visits and family (objectives 1, 2, 6, 7)."""
        model, policy = self.model, self.model.policy
        settings = model.settings.offending
        extremist = self.extremist[people]
        mean_commitment = np.where(extremist, settings.violent_extremist.commitment, settings.general.commitment)
        mean_needs = np.where(extremist, settings.violent_extremist.needs, settings.general.needs)
        treated = 1 - 0.5 * policy.programme_reach
        self.commitment[people] = np.clip(mean_commitment * 2 * self.commitment_draw[people] * treated, 0, 1)
        self.needs[people] = np.clip(mean_needs * 2 * self.needs_draw[people] * (1 - 0.3 * policy.programme_reach), 0, 1)
        grievance = policy.harshness * (1 - policy.grievance_relief) * (0.5 + self.grievance_draw[people])
        self.grievance[people] = np.clip(grievance, 0, 1)
        self.trust_government[people] = np.clip(0.6 - 0.5 * self.grievance[people], 0, 1)
        self.trust_ngo[people] = np.clip(0.45 + policy.trust_in_ngo_at_release - 0.2 * self.grievance[people], 0, 1)
        self.family_bond[people] = model.families.bond_at_release(people)
        # release is when a record is most visible: people meet their neighbours' attitudes at once
        self.local_stigma[people] = self.stigma_around(people)
        self.experienced_stigma[people] = self.local_stigma[people]
        self.prosocial_ties[people] = 0.2
        self.housed[people] = self.rng.random(people.size) < 0.3 + 0.4 * policy.through_the_gate
        self.employed[people] = self.rng.random(people.size) < 0.4 * policy.through_the_gate
        self.assess(people)

    def assess(self, people: np.ndarray) -> None:
        """Risk and needs assessment: accurate when informed (objective 5), fooled by manipulation (objective 6)."""
        policy = self.model.policy
        accuracy = policy.assessment_accuracy
        signal = accuracy * self.risk_score[people] + np.sqrt(1 - accuracy**2) * self.assessment_noise[people]
        signal -= 2 * policy.manipulation * self.commitment[people]
        # priority in (0, 1): the person's place in the risk ranking the officer sees
        self.assessed_priority[people] = 1 / (1 + np.exp(-signal))

    def step(self, week: int) -> None:
        """Step 5 of the week for everyone in the community."""
        here = np.flatnonzero(self.in_community())
        if here.size == 0:
            return
        self.services_received = self.model.ngos.services_for(self.ngo[here], self.ngo_status[here] == 2)
        self.feel_stigma(here)
        self.search_jobs_and_housing(here)
        self.lean_on_family(here)
        self.build_prosocial_ties(here)
        self.shift_identity(here)
        self.update_trust(here)
        self.breach_conditions(here)
        self.offend(here, week)

    def feel_stigma(self, here: np.ndarray) -> None:
        """Experienced stigma follows the attitudes of the neighbours around each person; NGOs buffer it."""
        settings = self.model.settings.stigma
        self.local_stigma[here] = self.stigma_around(here)
        buffer = 1 - self.model.policy.stigma_buffer * self.ngo_offers(here, "media_help")
        target = self.local_stigma[here] * buffer
        self.experienced_stigma[here] += settings.perception_rate * (target - self.experienced_stigma[here])

    def stigma_around(self, people: np.ndarray) -> np.ndarray:
        """Mean attitude of each person's neighbours, heavier for a violent-extremist label."""
        around = (self.neighbourhood @ self.model.community.stigma)[people]
        label = np.where(self.extremist[people], self.model.settings.stigma.extremist_label, 1.0)
        return np.clip(around * label, 0, 1)

    def ngo_offers(self, here: np.ndarray, service: str) -> np.ndarray:
        """1.0 where a person in `here` (this week's people in the community) gets `service` from an NGO, else 0.0."""
        return self.services_received[:, SERVICES.index(service)]

    def search_jobs_and_housing(self, here: np.ndarray) -> None:
        """Record and local stigma keep doors shut (Pager 2003); NGO practical help opens them."""
        effects = self.model.settings.effects
        rng = self.rng
        barrier = 1 - effects.stigma_barrier * self.local_stigma[here]
        practical = effects.ngo_practical_help * self.model.policy.practical_help
        help_jobs = 1 + practical * self.ngo_offers(here, "employment")
        help_homes = 1 + practical * self.ngo_offers(here, "housing")
        capability = 1 - 0.5 * self.needs[here]
        # curfews, exclusion zones and reporting duties get in the way of work
        capability *= 1 - 0.3 * self.model.settings.supervision.strictness * (self.status[here] == Status.ON_LICENCE)
        employed, housed = self.employed[here], self.housed[here]
        find_job = effects.job_finding * (1 - effects.record_penalty) * barrier * help_jobs * capability
        find_home = effects.housing_finding * barrier * help_homes
        draws = rng.random((4, here.size))
        self.employed[here] = np.where(employed, draws[0] >= effects.job_loss, draws[1] < find_job)
        self.housed[here] = np.where(housed, draws[2] >= effects.housing_loss, draws[3] < find_home)
        therapy = self.ngo_offers(here, "psychological")
        self.needs[here] += 0.01 * (0.2 * ~employed + 0.2 * ~housed) - 0.04 * self.model.policy.service_match * therapy * self.needs[here]
        np.clip(self.needs, 0, 1, out=self.needs)

    def lean_on_family(self, here: np.ndarray) -> None:
        """Family bonds move towards what the household can give (objective 7 support, stigma exposure)."""
        target = self.model.families.support_available(here, self.local_stigma[here])
        rate = self.model.settings.effects.bond_change
        self.family_bond[here] += rate * (target - self.family_bond[here])

    def build_prosocial_ties(self, here: np.ndarray) -> None:
        """Work and mentoring bring prosocial ties; local rejection erodes them."""
        target = 0.15 + 0.35 * self.employed[here] + 0.35 * self.ngo_offers(here, "mentoring") - 0.3 * self.local_stigma[here]
        rate = self.model.settings.effects.bond_change
        self.prosocial_ties[here] += rate * (np.clip(target, 0, 1) - self.prosocial_ties[here])

    def active_associates(self, here: np.ndarray) -> np.ndarray:
        """Old associates still in touch: licence conditions restrict contact while supervised."""
        strictness = self.model.settings.supervision.strictness
        restricted = 1 - 0.3 * strictness * (self.status[here] == Status.ON_LICENCE)
        return self.associates[here] * restricted

    def shift_identity(self, here: np.ndarray) -> None:
        """Commitment: eroded by mentoring and prosocial ties, rebuilt by old associates, grievance and rejection."""
        rate = self.model.settings.effects.commitment_change
        commitment = self.commitment[here]
        associates = self.active_associates(here)
        reinforcing_family = self.model.families.reinforcing[here] * self.family_bond[here]
        pull = associates / (1 + associates) + 0.5 * reinforcing_family + 0.5 * self.grievance[here] * self.experienced_stigma[here]
        push = self.ngo_offers(here, "mentoring") + self.prosocial_ties[here]
        commitment += rate * (pull * (1 - commitment) - push * commitment)
        self.commitment[here] = np.clip(commitment, 0, 1)

    def update_trust(self, here: np.ndarray) -> None:
        """Trust follows experience: fair treatment, help received, and whether NGOs look like monitors."""
        policy = self.model.policy
        rate = self.model.settings.effects.trust_change
        supervised = self.status[here] == Status.ON_LICENCE
        strictness = self.model.settings.supervision.strictness
        government = 0.6 - 0.4 * self.grievance[here] - 0.3 * strictness * supervised - 0.2 * self.experienced_stigma[here]
        enrolled = self.ngo_status[here] == 2
        ngo = 0.5 + 0.3 * enrolled - policy.monitor_perception + 0.3 * (self.model.ngos.independence_of(self.ngo[here]) - 0.5)
        self.trust_government[here] += rate * (np.clip(government, 0, 1) - self.trust_government[here])
        self.trust_ngo[here] += rate * (np.clip(ngo, 0, 1) - self.trust_ngo[here])

    def breach_conditions(self, here: np.ndarray) -> None:
        """Breaches of licence conditions: more conditions, more breaches; stability and trust mean fewer."""
        settings, policy = self.model.settings, self.model.policy
        supervised = here[self.status[here] == Status.ON_LICENCE]
        if supervised.size == 0:
            return
        protective = (self.employed[supervised] + self.housed[supervised] + self.family_bond[supervised]
                      + self.trust_government[supervised]) / 4
        propensity = (1 - settings.effects.compliance_support * protective) * (1 - policy.compliance_boost)
        propensity *= 0.5 + self.needs[supervised] + 0.5 * self.commitment[supervised]
        # families who visited keep people to their conditions (Duwe & Clark 2013: fewer revocations)
        propensity *= 1.15 - 0.3 * self.model.families.visits[supervised]
        per_condition = np.clip(settings.supervision.breach_rate * propensity, 0, 1)
        chance = 1 - (1 - per_condition) ** policy.conditions
        self.breaching[supervised] |= self.rng.random(supervised.size) < chance

    def offence_hazard(self, here: np.ndarray) -> np.ndarray:
        """Weekly hazard of a new offence: static risk times the hazard ratios of each dynamic factor."""
        effects = self.model.settings.effects
        log_hazard = (
            np.log(self.base_hazard[here] * self.risk[here])
            + np.log(effects.employment) * self.employed[here]
            + np.log(effects.housing) * self.housed[here]
            + np.log(effects.family_bond) * self.family_bond[here]
            + np.log(effects.prosocial_ties) * self.prosocial_ties[here]
            + np.log(effects.associates) * self.active_associates(here)
            + np.log(effects.commitment) * self.commitment[here]
            + np.log(effects.experienced_stigma) * self.experienced_stigma[here]
            + np.log(effects.needs) * self.needs[here]
            + np.log(effects.mentoring) * self.model.policy.service_match * self.ngo_offers(here, "mentoring")
        )
        return np.exp(log_hazard)

    def offend(self, here: np.ndarray, week: int) -> None:
        """New offences: recorded as events; some lead to a return to prison after the court delay."""
        hazard = self.offence_hazard(here)
        offenders = here[self.rng.random(here.size) < -np.expm1(-hazard)]
        if offenders.size == 0:
            return
        self.offences[offenders] += 1
        first = offenders[self.first_offence[offenders] == NOT_YET]
        self.first_offence[first] = self.weeks_out(first, week)
        release = self.model.settings.release
        sentenced = offenders[(self.rng.random(offenders.size) < release.imprisonment_share) & (self.court_week[offenders] == NOT_YET)]
        delay = self.rng.geometric(1 / (release.court_delay_weeks + 1), sentenced.size) - 1
        self.court_week[sentenced] = week + delay
        self.model.ngos.hear_of_offences(self.ngo[offenders], self.ngo_status[offenders] == 2, self.extremist[offenders])

    def recall(self, people: np.ndarray, week: int) -> None:
        """Recall to custody for a breach: jobs and homes are often lost, NGO places given up."""
        if people.size == 0:
            return
        self.status[people] = Status.RECALLED
        self.recalls[people] += 1
        first = people[self.first_recall[people] == NOT_YET]
        self.first_recall[first] = self.weeks_out(first, week)
        self.mark_return(people, week)
        term = self.model.settings.release.recall_term_weeks
        self.custody_until[people] = week + self.rng.geometric(1 / term, people.size)
        losses = self.rng.random((2, people.size))
        self.employed[people] &= losses[0] >= 0.7
        self.housed[people] &= losses[1] >= 0.3
        self.warnings[people] = 0
        self.breaching[people] = False
        self.model.ngos.leave(people)

    def mark_return(self, people: np.ndarray, week: int) -> None:
        first = people[self.first_return[people] == NOT_YET]
        self.first_return[first] = self.weeks_out(first, week)

    def serve_custody(self, week: int) -> None:
        """Step 6: sentences for new offences begin; recall terms end in re-release."""
        sentenced = np.flatnonzero((self.court_week == week) & (self.status != Status.RETURNED) & (self.status != Status.IN_PRISON))
        if sentenced.size:
            self.mark_return(sentenced, week)
            self.status[sentenced] = Status.RETURNED
            self.breaching[sentenced] = False
            self.model.ngos.leave(sentenced)
        due = np.flatnonzero((self.status == Status.RECALLED) & (self.custody_until <= week))
        if due.size:
            licence_left = self.release_week[due] + self.model.settings.release.licence_weeks > week
            self.status[due] = np.where(licence_left, Status.ON_LICENCE, Status.LICENCE_ENDED)
        ended = np.flatnonzero((self.status == Status.ON_LICENCE) & (self.release_week + self.model.settings.release.licence_weeks <= week))
        self.status[ended] = Status.LICENCE_ENDED
        self.breaching[ended] = False
