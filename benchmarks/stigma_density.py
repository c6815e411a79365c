"""Community stigma does not depend on the simulated world's size at a given density of released people.

Runs `baseline` (182 weeks) with a 3,000- and a 30,000-member community at the same
`population.density`, in two ways: the same cohort of 400 (the contact ties thinned to the density),
and a cohort scaled with the community (48 and 480 released, 1.6% of members). Prints mean community
stigma at the end of the run, averaged over replicates, and the largest gap between the two sizes.
Target (issue 11): the same within 0.03. Runs once without and once with the media shocks that
publicised terrorism offences set off (`media.publicised_reoffence_shock`, on in `baseline`): a shock
moves the whole community, so with them stigma also depends on how many terrorism offences a cohort
commits (more in a larger cohort) and on chance (a rare event), not on density.
Usage: python benchmarks/stigma_density.py [--replicates 4] [--workers 2]
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np

SMALL, LARGE = 3_000, 30_000
TOLERANCE = 0.03


def final_stigma(task: tuple[int, int, int, bool]) -> tuple[float, float]:
    """Mean community stigma at the end of the run, and the share of members with a released acquaintance."""
    from sim.model import ReintegrationModel
    from sim.runner import replicate_seed
    from sim.scenarios import load_scenario

    community, released, replicate, news = task
    settings = load_scenario("baseline", {"population.community": community, "population.released": released,
                                          "media.publicised_reoffence_shock": news})
    model = ReintegrationModel(settings, rng=replicate_seed(settings.seed, replicate))
    while model.running:
        model.step()
    known = float((np.diff(model.world.contact_ties.indptr) > 0).mean())
    return float(model.community.stigma.mean()), known


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    designs = {"same cohort (400)": (400, 400), "cohort scaled (1.6%)": (48, 480)}
    with ProcessPoolExecutor(args.workers) as pool:
        for news in (False, True):
            print(f"publicised terrorism offences {'set off media shocks' if news else 'make no news'}:")
            worst = 0.0
            for name, (small_cohort, large_cohort) in designs.items():
                row = {}
                for community, released in ((SMALL, small_cohort), (LARGE, large_cohort)):
                    tasks = [(community, released, r, news) for r in range(args.replicates)]
                    results = np.array(list(pool.map(final_stigma, tasks)))
                    row[community] = results.mean(axis=0)
                gap = abs(row[SMALL][0] - row[LARGE][0])
                worst = max(worst, gap)
                print(f"  {name}: stigma {row[SMALL][0]:.4f} (3,000; {row[SMALL][1]:.1%} with a released acquaintance)"
                      f" vs {row[LARGE][0]:.4f} (30,000; {row[LARGE][1]:.1%}): gap {gap:.4f}")
            print(f"  largest gap {worst:.4f} ({'within' if worst <= TOLERANCE else 'outside'} {TOLERANCE})")


if __name__ == "__main__":
    main()
