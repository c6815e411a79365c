"""Building the world: the network ties and the five populations on them, from the scenario and seed.

Every step of building the world has its own random stream (``sim.streams``; some steps draw several
quantities from theirs in turn, docs/ODD.md section 4), so that two scenarios built from the same seed
share, for example, everyone's release week and static risk even when they differ in community stigma.
Mesa's ``Network`` and agents are not built here: the model builds them from ``World.edges`` only when
asked for (``ReintegrationModel.grid``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sparse
from scipy import special

from sim import network as net
from sim.agents.associates import Associates, AssociateState
from sim.agents.community import Community
from sim.agents.family import Families
from sim.agents.ngo import SERVICES, Ngos
from sim.agents.probation import Probation
from sim.agents.released import Cohort, gamma_quantile, gamma_risk
from sim.levers import Policy
from sim.scenarios.schema import Scenario
from sim.streams import Streams, poisson

# Beta means are kept this far from 0 and 1 so that both shape parameters stay positive.
BETA_MARGIN = 1e-3
# Beta draws invert the CDF, tabulated at BETA_TABLE quantiles spaced evenly on the logit scale out to
# +-BETA_TAIL (dense in both tails) and interpolated: exact inversion of a million draws takes
# seconds, and inversion keeps each member's quantile whatever the Beta's mean.
BETA_TABLE, BETA_TAIL = 1025, 14.0
BETA_TABLES_KEPT = 64  # tabulated Betas kept for the next world built (a cache: results are the same without it)
GAMMA_SHAPE_POWER = 2  # a gamma's shape is one over its coefficient of variation to this power


def beta_around(rng: np.random.Generator, mean: float, concentration: float, size: int) -> np.ndarray:
    """Beta draws with the given mean and concentration, by inversion of one uniform per draw."""
    grid, table = beta_quantiles(float(np.clip(mean, BETA_MARGIN, 1 - BETA_MARGIN)), float(concentration))
    return np.interp(rng.random(size), grid, table)


@functools.lru_cache(maxsize=BETA_TABLES_KEPT)
def beta_quantiles(mean: float, concentration: float) -> tuple[np.ndarray, np.ndarray]:
    """The tabulated inverse CDF (probabilities, quantiles), kept for the next run: replicates and sweeps
    build many worlds from the same attitudes, and tabulating takes longer than the rest of a small build."""
    grid = np.concatenate(([0.0], special.expit(np.linspace(-BETA_TAIL, BETA_TAIL, BETA_TABLE)), [1.0]))
    table = special.betaincinv(mean * concentration, (1 - mean) * concentration, grid)
    grid.flags.writeable = table.flags.writeable = False
    return grid, table


@dataclass
class Params:
    """What the rules read: the scenario's sections (``params.stigma``...) and the policy derived from the levers."""

    settings: Scenario
    policy: Policy

    def __post_init__(self) -> None:
        # the sections as plain attributes: the rules read them dozens of times a week, and a miss
        # falling through to ``__getattr__`` costs several times a lookup (a policy change builds new Params)
        for name in type(self.settings).model_fields:
            if name not in self.__dict__:
                self.__dict__[name] = getattr(self.settings, name)

    def __getattr__(self, name: str):
        return getattr(self.settings, name)


@dataclass
class Present:
    """Who is in the community this week, which of them are on licence, and which NGO services each receives.

    Rows follow ``people``; the reintegration and offending rules all read these, so they are worked out once a week.
    """

    people: np.ndarray
    ngo: np.ndarray  # each person's NGO (``NO_NGO``: none)
    enrolled: np.ndarray  # True where enrolled with it
    offers: np.ndarray  # SERVICES x people: 1.0 where received, 0.0 where not (one contiguous row per service)
    on_licence: np.ndarray  # True where supervised
    local_stigma: np.ndarray | None = None  # of ``people``, once ``stigma.feel`` has worked it out
    barrier: np.ndarray | None = None  # what local stigma leaves of job and housing chances (``jobs.barrier``)
    associates: np.ndarray | None = None  # active associates still in touch, once worked out (``identity.active_associates``)

    def offered(self, service: str) -> np.ndarray:
        return self.offers[SERVICE_ROW[service]]


SERVICE_ROW = {service: row for row, service in enumerate(SERVICES)}


@dataclass
class Neighbours:
    """The community members who have a released acquaintance (a contact tie), and their rows of the contact-tie matrix.

    Where most members have one, the rules work on the whole community (``members`` is None): a member
    with no released neighbour then meets nobody, which changes nothing, and skipping the gather and
    scatter of a row subset is faster. Either way the results are the same.
    """

    members: np.ndarray | None
    contact: sparse.csr_matrix  # members x released

    @classmethod
    def of(cls, contact_matrix: sparse.csr_matrix) -> Neighbours:
        members = np.flatnonzero(np.diff(contact_matrix.indptr))
        if members.size > contact_matrix.shape[0] * SUBSET_SHARE:
            return cls(None, contact_matrix)
        return cls(members, contact_matrix[members])


# Above this share of the community with released neighbours, contact is worked out for everyone.
SUBSET_SHARE = 0.5


@dataclass
class World:
    """The populations, the sparse matrices the rules multiply with, and the ties Mesa's network is built from."""

    layout: net.Layout
    community: Community
    cohort: Cohort
    families: Families
    ngos: Ngos
    probation: Probation
    contact_matrix: sparse.csr_matrix  # community x released: 1 where a person lives near a member
    contact_ties: sparse.csr_matrix  # the subset of those ties that carry contact (``contact_share``)
    edges: list[np.ndarray]  # (E, 2) node pairs by kind of tie, in layout node ids
    associates: Associates | None = None
    released_now: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    present: Present | None = None
    publicised_terrorism: int = 0  # terrorism offences publicised this week: the model fires their shock next week

    def __post_init__(self) -> None:
        self.neighbours_of_released = Neighbours.of(self.contact_ties)


def build(settings: Scenario, streams: Streams) -> World:
    """The network and the five populations for one run."""
    population, network = settings.population, settings.network
    officers = int(np.ceil(population.released / settings.supervision.caseload))
    layout = net.Layout(population.community, population.released, population.released, population.ngos, officers)

    community_edges = net.community_edges(network, population.community, streams["world.network"])
    influence = net.row_normalised(
        np.concatenate([community_edges[:, 0], community_edges[:, 1]]),
        np.concatenate([community_edges[:, 1], community_edges[:, 0]]),
        (population.community, population.community),
    )
    ties = min(network.released_neighbours, population.community)
    homes = net.home_neighbourhoods(influence, population.released, ties, streams["world.homes"])
    people = np.repeat(np.arange(population.released), ties)
    neighbourhood = net.row_normalised(people, homes.ravel(), (population.released, population.community))
    contact_matrix = sparse.csr_matrix(
        (np.ones(people.size), (homes.ravel(), people)), shape=(population.community, population.released)
    )
    known = streams["world.contact"].random(people.size) < contact_share(population)
    contact_ties = sparse.csr_matrix(
        (np.ones(int(known.sum())), (homes.ravel()[known], people[known])), shape=(population.community, population.released)
    )
    affinity, associate_of, associate_node, associate_rank = old_associates(population, network, streams["world.associates"])

    community = build_community(settings, net.alone_hear_themselves(influence), affinity, streams)
    cohort = build_cohort(settings, neighbourhood, streams)
    associates = build_associates(settings, affinity, associate_of, associate_node, associate_rank, cohort.extremist,
                                  streams)
    cohort.associates = associates.active_counts()
    families = build_families(settings, cohort.extremist, streams)
    ngos = build_ngos(settings, streams)
    # a fixed block of training draws, then one of orientation draws, each one per possible officer (there are never
    # more than released people), so that officer i keeps their draws whatever the caseload makes the number of officers
    officer_draws = streams["world.officers"]
    training = officer_draws.random(population.released)[:officers]
    orientation = officer_draws.random(population.released)[:officers]
    probation = Probation(np.arange(population.released) % officers, training, orientation)

    released, family_nodes = layout.block("released"), layout.block("families")
    officer_nodes = layout.block("officers")
    edges = [
        community_edges,
        np.stack([released[people], homes.ravel()], axis=1),
        np.stack([released[associate_of], associate_node], axis=1),
        np.stack([released, family_nodes], axis=1),
        np.stack([family_nodes, homes[:, 0]], axis=1),
        np.stack([released, officer_nodes[probation.officer_of]], axis=1),
    ]
    return World(layout, community, cohort, families, ngos, probation, contact_matrix, contact_ties, edges, associates)


def old_associates(population, network, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Who has affinity with old associates, and each released person's associates: (affinity, of, node, rank).

    Every quantity is drawn by inversion from a block of uniforms of a fixed shape, so that two scenarios
    that differ in ``network.associates`` or ``network.associate_share`` share their draws: a person's
    count (Poisson) rises with the mean from the same uniform, and their k-th associate comes from the
    same uniform whatever their count and everyone else's. ``rank`` (per tie) is the associate's place
    among the members with affinity in the order of their affinity uniforms: a larger share adds members at
    the end of that order, so each member keeps their place, and with it their weekly turnover uniform.
    """
    released = population.released
    affinity_uniform = rng.random(population.community)
    affinity = affinity_uniform < network.associate_share
    affine = np.flatnonzero(affinity)
    count_uniform = rng.random(released)
    if affine.size == 0:
        none = np.zeros(0, dtype=np.int64)
        return affinity, none, none, none
    count = poisson(count_uniform, network.associates)
    of = np.repeat(np.arange(released), count)
    slot = np.arange(of.size) - np.repeat(np.cumsum(count) - count, count)  # k of a person's k-th associate
    slot_uniform = rng.random((int(count.max(initial=0)), released))  # row k: everyone's k-th associate
    pick = np.minimum((slot_uniform[slot, of] * affine.size).astype(np.int64), affine.size - 1)
    rank = np.empty(affine.size, dtype=np.int64)
    rank[np.argsort(affinity_uniform[affine], kind="stable")] = np.arange(affine.size)
    return affinity, of, affine[pick], rank[pick]


def build_associates(settings: Scenario, affinity: np.ndarray, of: np.ndarray, node: np.ndarray, rank: np.ndarray,
                     extremist: np.ndarray, streams: Streams) -> Associates:
    """Each old associate's state when the world is built, one per community member whoever's associate they are:
    the associates of violent-extremist people may be active, in prison or desisted (``movement.*``); those only of
    general offenders stay active (static, as calibrated)."""
    movement = settings.movement
    nodes, first, member = np.unique(node, return_index=True, return_inverse=True)
    turning_over = np.zeros(nodes.size, dtype=bool)
    turning_over[member[extremist[of]]] = True
    uniform = streams["world.associate_states"].random(settings.population.community)[nodes]  # one per member, associate or not
    state = np.where(uniform < movement.active_share, AssociateState.ACTIVE,
                     np.where(uniform < movement.active_share + movement.imprisoned_share, AssociateState.IMPRISONED,
                              AssociateState.DESISTED))
    state[~turning_over] = AssociateState.ACTIVE
    return Associates(of, node, member, state, turning_over, extremist.size, rank[first], int(affinity.sum()),
                      affinity.size)


def contact_share(population) -> float:
    """Share of released people's neighbour ties that carry contact, so that contact is as dense as ``population.density``.

    A simulated cohort is usually denser in its community than released people are in a real one
    (400 among 5,000 is 8%, against 1.5-1.8% of adults on probation or parole). Thinning the ties
    keeps the share of members with a released acquaintance at ``density x released_neighbours``
    whatever the simulated sizes, so community stigma does not depend on them.
    """
    return min(1.0, population.density * population.community / population.released)


def build_community(settings: Scenario, influence, affinity: np.ndarray, streams: Streams) -> Community:
    """Attitudes Beta-distributed around the baseline; members with affinity hold low stigma."""
    stigma, size = settings.stigma, affinity.size
    prior = beta_around(streams["world.attitudes"], stigma.baseline, stigma.concentration, size)
    prior[affinity] *= settings.attitudes.affinity_prior
    susceptibility = beta_around(
        streams["world.susceptibility"], stigma.media_susceptibility, settings.attitudes.susceptibility_concentration, size,
    )
    return Community(influence, affinity, prior, susceptibility)


def build_cohort(settings: Scenario, neighbourhood, streams: Streams) -> Cohort:
    """Offence type, release week, static risk (gamma frailty, some desisted) and each person's fixed quantiles."""
    size = neighbourhood.shape[0]
    cohort = Cohort(size, neighbourhood)
    rng = streams["world.cohort"]
    uniforms = rng.random((len(COHORT_DRAWS), size))
    draw = dict(zip(COHORT_DRAWS, uniforms, strict=True))
    cohort.extremist = draw["extremist"] < settings.population.violent_extremist_share
    window = settings.release.window_weeks
    cohort.release_week = 1 + np.sort(np.floor(draw["release"] * (window + 1)).astype(np.int64))
    general, extremist = settings.offending.general, settings.offending.violent_extremist
    cohort.base_hazard = np.where(cohort.extremist, extremist.base_hazard, general.base_hazard)
    dispersion = np.where(cohort.extremist, extremist.risk_dispersion, general.risk_dispersion)
    cohort.risk_score = special.ndtri(draw["risk"])  # standardised rank of static risk: what assessment sees
    desisted = draw["desisted"] < np.where(cohort.extremist, extremist.desisted_share, general.desisted_share)
    cohort.risk = gamma_risk(draw["risk"], dispersion) * np.where(desisted, settings.release_state.desisted_risk, 1.0)
    with np.errstate(divide="ignore"):  # a hazard of 0 has log -inf: no offence, as it should
        cohort.log_static_hazard = np.log(cohort.base_hazard * cohort.risk)
    cohort.commitment_draw, cohort.needs_draw, cohort.grievance_draw = draw["commitment"], draw["needs"], draw["grievance"]
    # the chances of a home and a job at the gate: drawn per person, so they meet the same uniform whatever week
    # the release window gives them
    cohort.housed_draw, cohort.employed_draw = draw["housed"], draw["employed"]
    cohort.gate_referral_draw = draw["gate_referral"]
    cohort.assessment_noise = special.ndtri(draw["assessment"])  # standard normal quantiles
    cohort.licence_weeks = licence_lengths(settings.release, streams["world.licence"].random(size))
    return cohort


def licence_lengths(release, quantile: np.ndarray) -> np.ndarray:
    """Each person's licence in whole weeks (at least one), gamma-distributed around ``release.licence_weeks``.

    Drawn from its own stream by inversion, so the same person keeps the same quantile whatever the mean.
    """
    mean, spread = release.licence_weeks, release.licence_spread
    if mean == 0:
        return np.zeros(quantile.size, dtype=np.int64)
    if spread == 0:
        return np.full(quantile.size, mean, dtype=np.int64)
    shape = 1 / spread**GAMMA_SHAPE_POWER
    weeks = gamma_quantile(quantile, shape, mean / shape)
    return np.maximum(np.round(weeks), 1).astype(np.int64)


COHORT_DRAWS = ("extremist", "release", "risk", "desisted", "commitment", "needs", "grievance", "assessment", "housed",
                "employed", "gate_referral")


def build_families(settings: Scenario, extremist: np.ndarray, streams: Streams) -> Families:
    """One household per released person: support capacity, reinforcing attitude, resources lost, visits."""
    families, size = settings.families, extremist.size
    capacity = beta_around(streams["world.family_support"], families.support_capacity, families.concentration, size)
    lost = beta_around(streams["world.family_resources"], families.resources_lost, families.concentration, size)
    rng = streams["world.families"]
    reinforcing = rng.random(size) < np.where(extremist, families.reinforcing_extremist, families.reinforcing_general)
    return Families(capacity, reinforcing, lost, rng.random(size))


def build_ngos(settings: Scenario, streams: Streams) -> Ngos:
    """NGOs offering each service with chance ``ngo.service_breadth``; every exit programme offers mentoring."""
    ngo = settings.ngo
    services = streams["world.ngos"].random((settings.population.ngos, len(SERVICES))) < ngo.service_breadth
    services[:, SERVICES.index("mentoring")] |= ngo.service_breadth > 0
    return Ngos(services, ngo.reputation, ngo.willingness, ngo.independence)
