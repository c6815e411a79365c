"""Step 7: NGO reputation, willingness and places respond to failures and to cooperation's costs."""

from __future__ import annotations

import numpy as np

from sim.agents.states import ENROLLED
from sim.arrays import clip_unit, mean_of


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
    keen = clip_unit(ngos.willingness / ngo.willingness) if ngo.willingness > 0 else np.zeros(ngos.size)
    ngos.places = whole_places(base * keen)


def whole_places(shares: np.ndarray) -> np.ndarray:
    """Whole places for fractional ``shares`` that add up to their total rounded (halves to even): the whole part
    of each share, plus one more for the largest remainders (ties to the NGO listed first).

    The largest-remainder (Hamilton) apportionment: each NGO gets its share rounded down or up, never more.
    """
    places = np.floor(shares)
    extra = int(np.rint(np.add.reduce(shares)) - np.add.reduce(places))
    if extra > 0:
        places[(places - shares).argsort(kind="stable")[:extra]] += 1
    return places.astype(np.int64)


def hear_of_offences(world, params, offenders: np.ndarray, extremist: np.ndarray, uniform: np.ndarray) -> None:
    """A client's new offence may become public; the NGO is blamed (objective 8: scapegoating).

    ``extremist`` is each offender's profile: violent-extremist clients' offences draw more attention."""
    cohort, publicity = world.cohort, params.ngo.publicity
    # the chance by profile (general, violent-extremist), looked up for each offender
    chance = np.array((publicity, publicity * params.ngo_effects.extremist_publicity)).take(extremist)
    public = (cohort.ngo_status[offenders] == ENROLLED) & (uniform < chance)
    if np.count_nonzero(public):
        world.ngos.publicised += np.bincount(cohort.ngo[offenders[public]], minlength=world.ngos.size)


def update(world, params, stream, week: int) -> None:
    """Reputation and willingness fall with failures and cooperation's costs, and recover slowly."""
    ngos, ngo, policy, effects = world.ngos, params.ngo, params.policy, params.ngo_effects
    community_stigma = float(mean_of(world.community.stigma))
    blame = effects.blame * policy.scapegoating * (effects.blame_stigma_floor + community_stigma) * ngos.publicised
    reputation_loss = blame + policy.campaign_reputation_cost + policy.mobilisation_reputation_risk * community_stigma
    old_reputation = ngos.reputation.copy()
    ngos.reputation += ngo.reputation_recovery * (ngo.reputation - ngos.reputation) - reputation_loss
    clip_unit(ngos.reputation, out=ngos.reputation)
    damage = np.maximum(old_reputation - ngos.reputation, 0)
    ngos.willingness += (ngo.willingness_recovery * (ngo.willingness - ngos.willingness) - policy.willingness_erosion
                         - effects.willingness_damage * damage)
    clip_unit(ngos.willingness, out=ngos.willingness)
    ngos.publicised.fill(0)
    apply_policy(world, params)


