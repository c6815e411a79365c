"""What compiling one weekly rule with numba bought: the breach rule as shipped (its arithmetic a compiled kernel)
against the same rule written in numpy, as it was before the rules were compiled.

The model's rules were numpy expressions over whole populations. At a few thousand people each numpy call
costs about as much as its arithmetic, so the rules' loops over people are now compiled kernels
(``sim.compiled.kernel``). This measures that on one rule, ``offending.breach``, at `general_offenders`
3,000 community + 1,000 released, after 40 weeks, and prints microseconds per call of:
- the numpy rule (a copy below of ``offending.breach`` before its port, in the same expressions and order);
- the rule as shipped: the draw and the parameters read in Python, the arithmetic in ``offending.breach_people``;
- the shipped kernel alone (``offending.breach_people`` with the same arguments).
The script first checks that the numpy copy and the shipped rule flag the same people from the same draws
(exit 1 if not, meaning ``breach`` changed and this copy must follow it).
Usage: python benchmarks/compiled_rule.py [--calls 1000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np


def numpy_breach(world, params, stream, week: int) -> None:
    """``offending.breach`` as numpy expressions over the supervised people (the rule before its port)."""
    from sim.rules.offending import SUPPORTS

    cohort, policy, compliance = world.cohort, params.policy, params.compliance
    uniform = stream.random(cohort.size)
    present = world.present
    on_licence = present.on_licence.nonzero()[0]
    supervised = present.people[on_licence]
    if supervised.size == 0:
        return
    family_bond = cohort.family_bond[supervised]
    settled = cohort.employed[supervised] | cohort.housed[supervised]
    protective = (settled + family_bond + cohort.trust_government[supervised]) / len(SUPPORTS)
    propensity = (1 - params.effects.compliance_support * protective) * (1 - policy.compliance_boost)
    propensity *= (
        compliance.propensity_base + compliance.propensity_needs * cohort.needs[supervised]
        + compliance.propensity_commitment * cohort.commitment[supervised]
    )
    mentored = present.offered("mentoring")[on_licence] * policy.service_match
    propensity *= compliance.accountability_base - compliance.family_accountability * family_bond
    propensity *= 1 - params.ngo_effects.accountability * mentored
    per_condition = np.clip(params.supervision.breach_rate * propensity, 0, 1)
    chance = 1 - (1 - per_condition) ** policy.conditions
    cohort.breaching[supervised[uniform[supervised] < chance]] = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000, help="calls timed in each of 5 rounds")
    args = parser.parse_args()
    import numba

    from sim import ReintegrationModel
    from sim.rules import offending

    model = ReintegrationModel("general_offenders", rng=1, population__community=3000, population__released=1000, weeks=156)
    for _ in range(40):
        model.step()
    world, params, cohort = model.world, model.params, model.cohort
    rules = {"numpy rule (before the port)": numpy_breach, "as shipped (compiled kernel)": offending.breach}
    before = cohort.breaching.copy()

    def fresh_stream():
        return np.random.default_rng(5)

    flagged = []
    for rule in (*rules.values(), lambda *given: offending.breach_people(*offending.breach_arguments(world, params, fresh_stream().random(cohort.size)))):
        rule(world, params, fresh_stream(), model.week)
        flagged.append(cohort.breaching.copy())
        cohort.breaching[:] = before
    if not all(np.array_equal(flags, flagged[0]) for flags in flagged):
        print("compiled_rule.py: the numpy copy no longer flags the same people as offending.breach; update it", file=sys.stderr)
        sys.exit(1)

    arguments = offending.breach_arguments(world, params, fresh_stream().random(cohort.size))
    cohort.breaching[:] = before

    def best_of(call) -> float:
        """Fastest of 5 rounds, process CPU time per call (the rounds of each side alternate)."""
        rounds = []
        for _ in range(5):
            start = time.process_time()
            for _ in range(args.calls):
                call()
            rounds.append((time.process_time() - start) / args.calls)
            cohort.breaching[:] = before
        return min(rounds)

    stream = fresh_stream()
    timings = {name: [] for name in (*rules, "shipped kernel alone")}
    for _ in range(3):
        for name, rule in rules.items():
            timings[name].append(best_of(lambda rule=rule: rule(world, params, stream, model.week)))
        timings["shipped kernel alone"].append(best_of(lambda: offending.breach_people(*arguments)))
    supervised = np.count_nonzero(world.present.on_licence)
    print(f"offending.breach, general_offenders 3,000 + 1,000 at week {model.week}, {supervised:,} on licence in the"
          f" community; the numpy copy and the shipped rule flag the same people (numba {numba.__version__})")
    reference = statistics.median(timings["numpy rule (before the port)"])
    for name, seconds in timings.items():
        median = statistics.median(seconds)
        print(f"  {median * 1e6:7.1f} us a call  ({median / reference:4.2f} of numpy)  {name}")


if __name__ == "__main__":
    main()
