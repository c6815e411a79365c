"""Step 7: NGO reputation, willingness and places respond to failures and to cooperation's costs."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.agents.states import ENROLLED
from sim.arrays import mean_of, unit_clip
from sim.compiled import kernel


def active_capacity(world, params) -> float:
    """How much of a full NGO sector is at work: places per person (capped at 1) times willingness."""
    return min(1.0, params.ngo.capacity) * float(mean_of(world.ngos.willingness))


def apply_policy(world, params) -> None:
    """What the levers set at once: NGOs' perceived independence and their places. Run when the model is built,
    after a policy change and at the end of each week, so that no week sees NGOs as the levers do not make them."""
    world.ngos.independence.fill(params.policy.independence)
    update_places(world, params)


def update_places(world, params) -> None:
    """Places offered: capacity, resources gained or spent through cooperation, and willingness.

    Each NGO's share is in places, which are whole: the sector offers its total share rounded, each NGO the
    whole places of its share and the rest go to the largest remainders (``whole_places``). Rounding each
    share on its own would lose places, and at small capacity all of them (40 NGOs sharing 15 places).
    """
    ngos, ngo = world.ngos, params.ngo
    base = ngo.capacity * params.population.released / ngos.size * params.policy.places_multiplier
    ngos.places = whole_places(shares_of_places(ngos.willingness, float(ngo.willingness), float(base)))


@kernel
def shares_of_places(willingness, full_willingness, base):
    """Each NGO's share of places: ``base`` times its willingness as a share of a fully willing NGO's (0 to 1)."""
    shares = np.empty(willingness.size)
    for one in range(willingness.size):
        keen = unit_clip(willingness[one] / full_willingness) if full_willingness > 0 else 0.0
        shares[one] = base * keen
    return shares


def whole_places(shares: np.ndarray) -> np.ndarray:
    """Whole places for fractional ``shares`` that add up to their total rounded (halves to even): the whole part
    of each share, plus one more for the largest remainders (ties to the NGO listed first).

    The largest-remainder (Hamilton) apportionment: each NGO gets its share rounded down or up, never more.
    """
    places = np.floor(shares)
    extra = int(np.rint(np.add.reduce(shares)) - np.add.reduce(places))
    return with_largest_remainders(places, shares, extra)


@kernel
def with_largest_remainders(places, shares, extra):
    """``places`` (the shares rounded down) as whole numbers, one more for the ``extra`` NGOs whose shares have the
    largest remainders, ties to the NGO listed first: the first ``extra`` of a stable sort of ``places - shares``,
    picked one at a time (a nan sorts last, as numpy sorts it)."""
    whole = places.astype(np.int64)
    chosen = np.zeros(places.size, dtype=np.bool_)
    for _ in range(min(extra, places.size)):
        best, lowest = -1, 0.0
        for one in range(places.size):
            if chosen[one]:
                continue
            below = places[one] - shares[one]
            if best < 0 or below < lowest or (np.isnan(lowest) and not np.isnan(below)):
                best, lowest = one, below
        chosen[best] = True
        whole[best] += 1
    return whole


@kernel
def hear_of_offences(publicised, ngo, ngo_status, uniform, chance):
    """A client's new offence may become public; the NGO is blamed (objective 8: scapegoating).

    Called for each new offence (``sim.rules.offending.offend``): the offender's NGO and standing with it, their
    offence's publicity draw and the chance by their profile (violent-extremist clients' offences draw more attention).
    """
    if ngo_status == ENROLLED and uniform < chance:
        publicised[ngo] += 1


class Standing(NamedTuple):
    """Each NGO's reputation and willingness (written) and the offences made public to it this week (cleared)."""

    reputation: np.ndarray
    willingness: np.ndarray
    publicised: np.ndarray


class StandingCoefficients(NamedTuple):
    """The numbers ``weigh_standing`` reads: the week's losses of reputation, and the scenario's recovery, full levels,
    erosion and damage."""

    blame: float  # per offence made public
    campaign_cost: float
    mobilisation_cost: float
    reputation_recovery: float
    full_reputation: float
    willingness_recovery: float
    full_willingness: float
    willingness_erosion: float
    willingness_damage: float


def update(world, params, stream, week: int) -> None:
    """Reputation and willingness fall with failures and cooperation's costs, and recover slowly."""
    ngos, ngo, policy, effects = world.ngos, params.ngo, params.policy, params.ngo_effects
    community_stigma = float(mean_of(world.community.stigma))
    coefficients = StandingCoefficients(
        blame=effects.blame * policy.scapegoating * (effects.blame_stigma_floor + community_stigma),
        campaign_cost=float(policy.campaign_reputation_cost),
        mobilisation_cost=policy.mobilisation_reputation_risk * community_stigma,
        reputation_recovery=float(ngo.reputation_recovery), full_reputation=float(ngo.reputation),
        willingness_recovery=float(ngo.willingness_recovery), full_willingness=float(ngo.willingness),
        willingness_erosion=float(policy.willingness_erosion), willingness_damage=float(effects.willingness_damage),
    )
    weigh_standing(Standing(reputation=ngos.reputation, willingness=ngos.willingness, publicised=ngos.publicised),
                   coefficients)
    apply_policy(world, params)


@kernel
def weigh_standing(ngos, coefficients):
    """``update`` for each NGO: ``blame`` per offence made public to it this week, then the week's counts cleared."""
    reputation, willingness, publicised = ngos.reputation, ngos.willingness, ngos.publicised
    for one in range(reputation.size):
        old_reputation = reputation[one]
        reputation_loss = (coefficients.blame * publicised[one] + coefficients.campaign_cost
                           + coefficients.mobilisation_cost)
        recovered = coefficients.reputation_recovery * (coefficients.full_reputation - old_reputation)
        now = unit_clip(old_reputation + (recovered - reputation_loss))
        reputation[one] = now
        damage = old_reputation - now
        if damage < 0:
            damage = 0.0
        keen = willingness[one]
        recovered = coefficients.willingness_recovery * (coefficients.full_willingness - keen)
        willingness[one] = unit_clip(
            keen + (recovered - coefficients.willingness_erosion - coefficients.willingness_damage * damage)
        )
        publicised[one] = 0
