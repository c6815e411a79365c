"""What compiling one weekly rule with numba would buy: the breach rule as it is, against the same arithmetic compiled.

The model's rules are numpy expressions over whole populations. At a few thousand people each numpy
call costs about as much as its arithmetic, so the obvious way to go faster is to compile each rule's
arithmetic (numba's ``njit`` fuses array expressions into loops). This measures that on one rule,
``offending.breach`` (about 6% of a week), at `general_offenders` 3,000 community + 1,000 released,
after 40 weeks, and prints microseconds per call of:
- the rule as shipped;
- the rule with its arithmetic in a compiled kernel (the draw and the lookups of who is supervised stay
  in Python, as they must for the rule to stay a function of the world, the parameters and its stream);
- the compiled kernel alone.
The kernel below is a copy of the rule's arithmetic, written the same way: the script first checks that
all three flag the same people (exit 1 if not, meaning ``breach`` changed and this copy must follow).
numba is not a dependency of the project: ``pip install numba`` first (exit 2 without it).
Usage: python benchmarks/compiled_rule.py [--calls 1000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np


def breach_arithmetic(supervised, employed, housed, family_bond, trust, needs, commitment, mentored, uniform, breaching,
                      support, boost, base, per_need, per_commitment, accountability, family_accountability,
                      ngo_accountability, breach_rate, conditions, supports):
    """``offending.breach`` from the supervised people's rows on, in the same expressions and order."""
    settled = employed[supervised] | housed[supervised]
    protective = (settled + family_bond[supervised] + trust[supervised]) / supports
    propensity = (1 - support * protective) * (1 - boost)
    propensity *= base + per_need * needs[supervised] + per_commitment * commitment[supervised]
    propensity *= accountability - family_accountability * family_bond[supervised]
    propensity *= 1 - ngo_accountability * mentored
    per_condition = np.minimum(np.maximum(breach_rate * propensity, 0), 1)
    chance = 1 - (1 - per_condition) ** conditions
    breaching[supervised] |= uniform[supervised] < chance


def with_kernel(kernel):
    """The breach rule with its arithmetic done by ``kernel``: the draw and the lookups stay as in the rule."""
    from sim.rules.offending import SUPPORTS

    def breach(world, params, stream, week: int) -> None:
        cohort, policy, compliance = world.cohort, params.policy, params.compliance
        uniform = stream.random(cohort.size)
        supervised = world.present.people[world.present.on_licence]
        if supervised.size == 0:
            return
        mentored = world.present.offered("mentoring")[world.present.on_licence] * policy.service_match
        kernel(supervised, cohort.employed, cohort.housed, cohort.family_bond, cohort.trust_government, cohort.needs,
               cohort.commitment, mentored, uniform, cohort.breaching, params.effects.compliance_support,
               policy.compliance_boost, compliance.propensity_base, compliance.propensity_needs,
               compliance.propensity_commitment, compliance.accountability_base, compliance.family_accountability,
               params.ngo_effects.accountability, params.supervision.breach_rate, policy.conditions, len(SUPPORTS))

    return breach


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000, help="calls timed in each of 5 rounds")
    args = parser.parse_args()
    try:
        import numba
    except ImportError:
        print("compiled_rule.py: numba is not installed (pip install numba); it is not a dependency of the project",
              file=sys.stderr)
        sys.exit(2)
    from sim import ReintegrationModel
    from sim.rules import offending

    model = ReintegrationModel("general_offenders", rng=1, population__community=3000, population__released=1000, weeks=156)
    for _ in range(40):
        model.step()
    world, params, cohort = model.world, model.params, model.cohort
    compiled = numba.njit(cache=False, error_model="numpy")(breach_arithmetic)
    rules = {"as shipped (numpy)": offending.breach, "arithmetic compiled": with_kernel(compiled)}
    before = cohort.breaching.copy()

    def fresh_stream():
        return np.random.default_rng(5)

    flagged = []
    for rule in (offending.breach, with_kernel(breach_arithmetic), rules["arithmetic compiled"]):
        rule(world, params, fresh_stream(), model.week)
        flagged.append(cohort.breaching.copy())
        cohort.breaching[:] = before
    if not all(np.array_equal(flags, flagged[0]) for flags in flagged):
        print("compiled_rule.py: the copy no longer flags the same people as offending.breach; update it", file=sys.stderr)
        sys.exit(1)

    supervised = world.present.people[world.present.on_licence]
    arguments = []
    with_kernel(lambda *given: arguments.extend(given))(world, params, fresh_stream(), model.week)
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
    timings = {name: [] for name in (*rules, "compiled kernel alone")}
    for _ in range(3):
        for name, rule in rules.items():
            timings[name].append(best_of(lambda rule=rule: rule(world, params, stream, model.week)))
        timings["compiled kernel alone"].append(best_of(lambda: compiled(*arguments)))
    print(f"offending.breach, general_offenders 3,000 + 1,000 at week {model.week}, {supervised.size:,} on licence in the"
          f" community; all three flag the same people (numba {numba.__version__})")
    shipped = statistics.median(timings["as shipped (numpy)"])
    for name, seconds in timings.items():
        median = statistics.median(seconds)
        print(f"  {median * 1e6:7.1f} us a call  ({median / shipped:4.2f} of as shipped)  {name}")


if __name__ == "__main__":
    main()
