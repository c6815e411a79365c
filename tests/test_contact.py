"""Contact with released people: it lowers stigma with diminishing returns, fades without renewal, and does not
depend on how big the simulated community is at a given density of released people (Pettigrew & Tropp 2006)."""

from __future__ import annotations

from sim import ReintegrationModel

# no NGOs: no dialogue campaigns and no visible support, so contact is the only thing that moves mean stigma
QUIET = {"ngo__capacity": 0.0, "weeks": 60, "media__publicised_reoffence_shock": False}  # no NGO dialogue, no news
SMALL = {"population__community": 1500, "population__released": 300}


def run(model: ReintegrationModel, weeks: int | None = None) -> ReintegrationModel:
    for _ in range(weeks if weeks is not None else model.settings.weeks):
        model.step()
    return model


def contact_fall(scale: float, weeks: int = 60, seed: int = 4) -> float:
    """Mean fall of community stigma that contact brings, with each contact tie counting `scale` times."""
    without = run(ReintegrationModel("baseline", rng=seed, **SMALL, **QUIET, stigma__contact_effect=0.0), weeks)
    model = ReintegrationModel("baseline", rng=seed, **SMALL, **QUIET)
    model.world.neighbours_of_released.contact.data *= scale
    run(model, weeks)
    return float(without.community.stigma.mean() - model.community.stigma.mean())


def test_stigma_does_not_fall_without_contact():
    model = ReintegrationModel("baseline", rng=2, **SMALL, **QUIET, population__density=1e-6)
    assert model.world.contact_ties.nnz == 0  # released people are too rare for anyone to know one
    start = model.community.stigma.mean()
    run(model)
    assert model.community.stigma.mean() > start - 0.002


def test_contact_lowers_stigma_with_diminishing_returns():
    once, twice = contact_fall(1.0), contact_fall(2.0)
    assert once > 0.002
    assert once < twice < 1.7 * once  # twice the contact, less than twice the fall


def test_contact_effect_has_a_floor():
    """Everyone knowing released people for years takes the community down to its floor, not to zero."""
    model = ReintegrationModel("baseline", rng=5, **SMALL, **{**QUIET, "weeks": 300}, population__density=1.0)
    start = model.community.stigma.mean()
    model.world.neighbours_of_released.contact.data *= 10  # far more contact than anyone has
    community = run(model).community
    floor = community.prior.mean() * (1 - model.settings.stigma.contact_effect)
    assert floor - 0.01 < community.stigma.mean() < start - 0.1


def test_contact_effect_fades_without_renewed_contact():
    seed, weeks = 6, 40
    without = ReintegrationModel("baseline", rng=seed, **SMALL, **{**QUIET, "weeks": 200}, stigma__contact_effect=0.0)
    model = ReintegrationModel("baseline", rng=seed, **SMALL, **{**QUIET, "weeks": 200})
    gap_after_contact = run(without, weeks).community.stigma.mean() - run(model, weeks).community.stigma.mean()
    model.world.neighbours_of_released.contact.data[:] = 0.0  # everyone moves away: no more contact
    gap_later = run(without, 160).community.stigma.mean() - run(model, 160).community.stigma.mean()
    assert gap_after_contact > 0.002
    assert gap_later < 0.25 * gap_after_contact


def test_community_stigma_does_not_depend_on_the_world_size_at_one_density():
    """300 released among 1,500 or 6,000 members: without thinning contact to the density, 100% vs 40% of members
    would know a released person and stigma would differ by about 0.1."""
    def final(community: int) -> float:
        model = ReintegrationModel("baseline", rng=7, population__community=community, population__released=300, weeks=80,
                                   media__publicised_reoffence_shock=False)  # shocks are news, not density
        return float(run(model).community.stigma.mean())

    assert abs(final(1500) - final(6000)) < 0.01


def reoffended(seed: int, **changes) -> float:
    """Share of a general-offender cohort with a new offence within two years."""
    model = ReintegrationModel("general_offenders", rng=seed, **SMALL, weeks=104, **changes)
    run(model)
    return float((model.cohort.first_offence >= 0).mean())


BOND_CHANNEL_OFF = {"families__bond_visits": 0.0, "families__engagement_floor": 1.0}


def test_prison_visits_lower_reoffending_through_the_family_bond():
    """Visits keep family bonds through custody and families engaged after; with that channel off they change nothing."""
    seeds = range(3)
    visited = [reoffended(s) for s in seeds]
    unvisited = [reoffended(s, prison__visits=0.0) for s in seeds]
    assert all(v < u for v, u in zip(visited, unvisited, strict=True))
    assert [reoffended(s, **BOND_CHANNEL_OFF) for s in seeds] == [
        reoffended(s, prison__visits=0.0, **BOND_CHANNEL_OFF) for s in seeds]
