"""Comparison intervals mean what they say: under an exact null, the 95% interval excludes 0 about 5% of the time.

A pool of tiny runs of one scenario with independent seeds is split at random into a "reference" and an
"other" arm of `sim compare`'s default replicates, many times over. Both arms are the same scenario, so
every difference is noise, and the paired interval of ``sim.experiments.compare`` should exclude 0 in
about 1 comparison in 20 (2-8% allows for the 200 comparisons' own binomial spread).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.commands.compare import configure
from sim.experiments.comparison import points_text
from sim.runner import simulate
from sim.scenarios import load_scenario
from sim.stats import cut_short, paired_difference
from sim.streams import replicate_seed

TINY = {"population.community": 60, "population.released": 30, "weeks": 26}
POOL, COMPARISONS = 240, 200


def default_replicates() -> int:
    import argparse

    parser = argparse.ArgumentParser()
    configure(parser)
    return parser.parse_args(["x", "y"]).replicates


@pytest.fixture(scope="module")
def pool() -> pd.DataFrame:
    settings = load_scenario("general_offenders", TINY)
    rows = [simulate(settings, replicate_seed(99, r)).curves.iloc[-1] for r in range(POOL)]
    return pd.DataFrame(rows).reset_index(drop=True)


@pytest.mark.parametrize("metric", ["returned", "reoffended"])
def test_null_comparisons_exclude_zero_about_one_time_in_twenty(pool, metric):
    replicates = default_replicates()
    rng = np.random.default_rng(7)
    excluded = 0
    for _ in range(COMPARISONS):
        picks = rng.permutation(POOL)[: 2 * replicates]
        reference = pd.Series(pool.loc[picks[:replicates], metric].to_numpy())
        other = pd.Series(pool.loc[picks[replicates:], metric].to_numpy())
        _, low, high, p = paired_difference(reference, other)
        assert (low > 0 or high < 0) == (p < 0.05)  # the interval and the p-value tell the same story
        excluded += low > 0 or high < 0
    share = excluded / COMPARISONS
    print(f"{metric}: 95% interval excludes 0 in {100 * share:.1f}% of {COMPARISONS} null comparisons "
          f"at {replicates} replicates")
    assert 0.02 <= share <= 0.08


def test_one_pair_has_no_interval():
    assert np.isnan(paired_difference(pd.Series([0.2]), pd.Series([0.3]))[1:]).all()


def test_a_difference_the_same_in_every_replicate_claims_no_certainty_it_lacks():
    same = pd.Series([0.1, 0.2, 0.3])
    # no difference in any replicate: identical runs, or rare events none of which the settings changed; a zero-width
    # interval with p = 1 claimed the two known equal, for terrorism offences among a few dozen people
    diff, low, high, p = paired_difference(same, same)
    assert diff == 0.0 and np.isnan([low, high, p]).all()
    diff, low, high, p = paired_difference(same, same - 0.007)  # -0.7 points in each of 3 replicates, to rounding
    assert diff == pytest.approx(-0.007) and np.isnan([low, high, p]).all()
    assert paired_difference(same, same + [0.020, 0.021, 0.022])[3] < 0.05  # differences that vary are tested


def test_a_difference_of_shares_on_two_replicates_stays_within_what_the_shares_allow():
    """On 2 replicates t is 12.7: the paired interval of a difference in shares ran to -92 points against a reference at
    7.5%, a share below 0% for the scenario. It is cut at what is possible, and ``cut_short`` tells it was."""
    reference, other = pd.Series([0.10, 0.05]), pd.Series([0.0, 0.09])
    diff, low, high, p = paired_difference(reference, other)
    assert low < -reference.mean()  # the t interval alone: past any share the scenario can have
    cut = paired_difference(reference, other, floor=0.0, ceiling=1.0)
    assert cut[0] == diff and cut[2] == high and cut[3] == p  # the estimate, the other end and p are as they were
    assert cut[1] == pytest.approx(-reference.mean())  # the scenario at 0%, no lower
    assert cut_short(*cut[:3]) and not cut_short(diff, low, high)
    assert not cut_short(0.0, 0.0, 0.0) and not cut_short(0.1, float("nan"), float("nan"))
    rises = paired_difference(pd.Series([0.90, 0.95]), pd.Series([1.0, 0.91]), floor=0.0, ceiling=1.0)
    assert rises[2] == pytest.approx(1 - 0.925)  # and no higher than 100%


def test_a_mean_interval_is_the_t_interval_across_replicates_clamped_to_its_range():
    from scipy import stats

    from sim.stats import interval

    values = pd.Series([0.02, 0.05, 0.01, 0.04])
    low, high = stats.t.interval(0.95, 3, loc=values.mean(), scale=stats.sem(values))
    assert interval(values) == pytest.approx((values.mean(), low, high))
    near_zero = pd.Series([0.0, 0.0, 0.05, 0.01])  # its t-interval reaches below 0
    low, high = stats.t.interval(0.95, 3, loc=near_zero.mean(), scale=stats.sem(near_zero))
    assert low < 0
    assert interval(near_zero, floor=0.0) == pytest.approx((near_zero.mean(), 0.0, high))  # a share is never below 0
    near_one = 1 - near_zero  # ... nor above 1
    assert interval(near_one, ceiling=1.0) == pytest.approx((near_one.mean(), 1 - high, 1.0))
    assert np.isnan(interval(pd.Series([0.3]))[1:]).all() and np.isnan(interval(pd.Series([np.nan]))).all()


def test_a_difference_of_rounding_noise_is_written_as_zero_without_a_minus_sign():
    # two scenarios with the same mean differ by -3.5e-19 after floating-point averaging: "0.0 points", not "-0.0"
    assert points_text(-3.469446951953614e-19) == "0.0 points" and points_text(0.0) == "0.0 points"
    assert points_text(-0.012) == "-1.2 points"


def test_a_difference_that_rounds_to_zero_has_no_sign_while_one_either_side_keeps_its_own():
    """'+0.0 points' read to a policy reader as a rise: a difference that is 0 as written has no sign, in points and
    in every unit ``Unit.text`` writes (robustness.md's differences, optimise's, comparison.md's); +0.3 and -0.3 keep
    theirs."""
    from sim.experiments.optimise_objective import objective_form
    from sim.experiments.robustness_results import difference_form
    from sim.units import UNITS

    in_optimise = objective_form("reoffended_156w")[1]
    for write in (points_text, difference_form("reoffended_156w"), lambda v: in_optimise(v, True)):
        assert write(0.0) == "0.0 points" and write(-1e-19) == "0.0 points" and write(2e-7) == "0.0 points"
        assert write(0.003) == "+0.3 points" and write(-0.003) == "-0.3 points"
    assert points_text(0.0, sign=False) == "0.0" and points_text(-0.003, sign=False) == "-0.3"
    assert UNITS["custody_weeks"].text(0.0, signed=True) == "0" and UNITS["custody_weeks"].text(3, signed=True) == "+3"


def test_a_difference_too_small_for_the_decimals_keeps_its_side_of_zero():
    """An interval's end at -0.03 points read '+0.0', as if the interval reached 0 where it stopped short of it (the
    terrorism offences of the lowest risk quarter, -0.8 to -0.03 points); '-0' person-weeks read as no change."""
    from sim.units import UNITS

    assert points_text(-0.000306, sign=False) == "-0.03" and points_text(0.0004) == "+0.04 points"
    assert UNITS["custody_weeks"].text(-0.4, signed=True) == "-0.4"
    assert UNITS["reoffended"].text(-0.0004, signed=True) == "-0.04"
    assert UNITS["custody_weeks"].text(-1503.5) == "-1,504" and UNITS["reoffended"].text(-0.012, signed=True) == "-1.2"
    assert UNITS["community_stigma"].text(-0.0002) == "0.000"  # a level, not a difference: no side to keep


@pytest.mark.parametrize("value, said", [(20000.0, "20,000"), (1500.0, "1,500"), (0.0104, "0.0104"),
                                         (0.000015, "0.000015"), (123456.7, "123,500"), (2.5, "2.5"), (0.0, "0"),
                                         (-0.0245, "-0.0245")])
def test_parameter_values_are_written_as_a_reader_writes_them_never_in_exponent_form(value, said):
    """robustness.md's table of what was drawn said 'costs.court_case | GBP per new offence | 1500 to 2e+04'."""
    from sim.money import readable

    assert readable(value) == said
