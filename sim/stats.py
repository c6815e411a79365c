"""The statistics every result is read with: means and paired differences over replicates with their 95% t
intervals (cut at what the quantity can be), when a difference is clear of 0, Wilson's interval of a share of draws
and Fieller's of a ratio of paired means.

The replicate is the unit: people within a run share one community, one NGO sector and one history, so each
replicate gives one value (or, on common random numbers, one paired difference). Kept in one place, in the core,
so that ``sim compare``, ``sim robustness``, ``sim optimise``, the costs, the reports and ``sim.analysis`` compute
an interval and decide what it shows one way; the words around them are theirs.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def interval(values: pd.Series, *, floor: float | None = None, ceiling: float | None = None
             ) -> tuple[float, float, float]:
    """Mean and 95% t-interval across replicates; one replicate has no interval (NaN bounds).

    `floor` and `ceiling` clamp the interval for quantities that cannot leave a range (shares: 0 and 1;
    counts: 0); differences leave them unset.
    """
    values = pd.Series(values, dtype=float).dropna()
    n = len(values)
    if n == 0:
        return (np.nan, np.nan, np.nan)
    mean = float(values.mean())
    if n == 1:
        return (mean, np.nan, np.nan)
    half = float(t_half_width(values.std(ddof=1), n))
    low, high = mean - half, mean + half
    return (mean, low if floor is None else max(low, floor), high if ceiling is None else min(high, ceiling))


def t_half_width(sd, n):
    """Half-width of the 95% t-interval of a mean of `n` values whose standard deviation is `sd` (numbers or
    arrays alike; NaN where `n` is below 2). The one t-interval of means across replicates: ``interval`` for one
    quantity, ``sim.figures.band`` for a curve, ``paired_difference`` for paired differences."""
    n = np.asarray(n, dtype=float)
    return t_quantile(n - 1) * sd / np.sqrt(n)


def t_quantile(dof):
    """The t quantile every 95% interval here multiplies its standard error by, on `dof` degrees of freedom (whole
    for ``t_half_width``, fractional for ``welch_difference``), so that the two cannot come to differ."""
    from scipy import stats  # loaded on first use: the command line sizes jobs without scipy

    return stats.t.ppf(0.975, dof)


def zero_width(low: float, high: float) -> bool:
    """An interval of width 0: every replicate gave the same value (``interval`` of constant values)."""
    return low == high


SAME = 1e-12  # differences closer than this (relative to their size) are one number written with rounding


def within_rounding(gap, size) -> bool:
    """Whether `gap` (a spread of numbers, or a difference of two) is rounding in numbers of about `size`: at most
    SAME of their size, or SAME itself below a size of 1. Comparisons, sensitivity indices, robustness findings and
    optimise's ranks read values alike to rounding as one value by this."""
    return bool(gap <= SAME * max(1.0, abs(size)))


def paired_difference(reference: pd.Series, other: pd.Series, *, floor: float | None = None,
                      ceiling: float | None = None) -> tuple[float, float, float, float]:
    """Mean difference (other - reference) over replicates present in both: 95% paired t interval and p.

    With fewer than two pairs there is no interval and no p (NaN). Differences that are the same number in every
    replicate, 0 included (a handful of events, the same few people, or none in either scenario), give a t-test
    nothing to stand on: no interval and no p, rather than a certainty the replicates cannot show. (A zero-width
    interval with p = 1 was shown for rare events in settings that differ, as if they were known to be equal.)

    `floor` and `ceiling` are the range of the quantity compared (a share: 0 and 1; a count: 0), as for
    ``interval``: `other` cannot leave it, so its difference from the reference's mean cannot either, and the
    interval is cut there. On two or three replicates (t = 12.7, 4.3) a t interval easily runs past it: such a
    cut interval (``cut_short``) says little, and the words beside it say so (``CUT``).
    """
    pairs = pd.concat([reference.rename("a"), other.rename("b")], axis=1).dropna()
    if pairs.empty:
        return (np.nan, np.nan, np.nan, np.nan)
    differences = (pairs["b"] - pairs["a"]).to_numpy(dtype=float)
    diff, n = float(differences.mean()), len(differences)
    if n == 1:
        return (diff, np.nan, np.nan, np.nan)
    if within_rounding(np.ptp(differences), diff):  # the same in every replicate, to rounding
        return (0.0 if within_rounding(abs(diff), 0.0) else diff, np.nan, np.nan, np.nan)
    from scipy import stats  # loaded on first use: the command line sizes jobs without scipy

    spread = float(differences.std(ddof=1))
    error = spread / np.sqrt(n)
    half = float(t_half_width(spread, n))
    p = float(2 * stats.t.sf(abs(diff) / error, n - 1))
    low, high = within_range(diff, half, float(pairs["a"].mean()), floor=floor, ceiling=ceiling)
    return (diff, low, high, p)


def within_range(diff: float, half: float, base: float, *, floor: float | None = None,
                 ceiling: float | None = None) -> tuple[float, float]:
    """The interval `diff` +- `half` of a difference from a reference whose mean is `base`, cut where the other
    side would leave its quantity's range (`floor`, `ceiling`; unset: not cut): the one cut of ``paired_difference``
    and of ``welch_difference``."""
    low = diff - half if floor is None else max(diff - half, floor - base)
    high = diff + half if ceiling is None else min(diff + half, ceiling - base)
    return low, high


def welch_difference(a: pd.Series, b: pd.Series, *, floor: float | None = None, ceiling: float | None = None
                     ) -> tuple[float, float, float]:
    """Difference of means (a - b) of two independent samples with a Welch 95% interval, cut where `a` would leave
    its range (`floor`, `ceiling`, as ``paired_difference`` cuts): on two replicates a t of 12.7 easily runs past it.

    Read by ``paired_difference``'s rule where there is no spread: two samples each the same number in every
    replicate (to rounding) give no interval, not one of width 0, which would claim a certainty the replicates
    cannot show; nor do fewer than two values on either side."""
    a, b = pd.Series(a, dtype=float).dropna(), pd.Series(b, dtype=float).dropna()
    diff = float(a.mean() - b.mean())
    if len(a) < 2 or len(b) < 2:
        return (diff, np.nan, np.nan)
    if within_rounding(np.ptp(a), a.mean()) and within_rounding(np.ptp(b), b.mean()):  # the same in every replicate
        return (0.0 if within_rounding(abs(diff), 0.0) else diff, np.nan, np.nan)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = float(t_quantile(dof) * np.sqrt(va + vb))
    return (diff, *within_range(diff, half, float(b.mean()), floor=floor, ceiling=ceiling))


IDENTICAL_PAIRS = 6
"""The fewest replicates over which a paired difference the same non-zero number in each (so without an interval)
is clear of 0. Outcomes are counts of people, so two seeds may give one difference (one person in 400) by chance. n
identical non-zero differences all share one sign; with no true difference each sign is a coin toss, so a two-sided
sign test gives p = 2^(1-n): 0.031 from n = 6, 0.0625 at 5. Fewer are too few to tell from chance."""


def clear_of_zero(difference: float, low: float, high: float, pairs: int) -> bool:
    """Whether a paired difference (``paired_difference``: `difference`, its 95% interval `low` to `high`) over `pairs`
    replicates is clear of 0: its interval excludes 0, or it has no interval because it was the same non-zero number
    in each of ``IDENTICAL_PAIRS`` or more replicates (a sign test). The same in fewer (``too_few_alike``), or one
    replicate, tells nothing. The one rule by which ``sim compare``'s In short, groups and cost, ``sim robustness``'s
    nominal differences and ``sim optimise``'s verdicts (a winner ahead of its runner-up or of the scenario as it
    stands, a mix as good for less) are read, so that no two reports call one difference clear and unclear."""
    if low != low:
        return pairs >= IDENTICAL_PAIRS and alike(difference, low)
    return bool(low > 0 or high < 0)


def alike(difference: float, low: float) -> bool:
    """A paired difference without an interval (`low` NaN) that is a number other than 0: with two or more replicates,
    the same in each (``paired_difference``)."""
    return low != low and difference == difference and difference != 0


def too_few_alike(difference: float, low: float, pairs: int) -> bool:
    """A paired difference without an interval because it is the same non-zero number in each of 2 to
    ``IDENTICAL_PAIRS`` - 1 replicates: not clear of 0 (``clear_of_zero``), for a reason a reader is owed
    (``sim.experiments.comparison.too_few_said``) rather than 'within noise' or 'one replicate'."""
    return 2 <= pairs < IDENTICAL_PAIRS and alike(difference, low)


CUT = "cut at the possible range, too few replicates to say much"
"""The words beside an interval ``cut_short`` finds cut (``interval``, ``paired_difference``)."""


def cut_said(value: float, low: float, high: float, joiner: str = ", ", words: str = CUT) -> str:
    """`words` after `joiner` when the interval `low` to `high` of `value` was cut (``cut_short``), else nothing: what
    every sentence, cell and table that gives such an interval adds to it."""
    return f"{joiner}{words}" if cut_short(value, low, high) else ""


def cut_short(value: float, low: float, high: float) -> bool:
    """Whether an interval was cut at the range its quantity can take (a share below 0% or above 100%, a count
    below 0): a t interval is centred on its value, so one that is not ran past what is possible, as it does when
    too few replicates give a t of 4 or 12. Read from the three numbers alone, so a table written earlier tells too."""
    if low != low or high != high or value != value:
        return False
    return abs((high - value) - (value - low)) > 1e-9 * max(1.0, abs(high - low))


def wilson(successes: int, trials: int) -> tuple[float, float]:
    """The 95% Wilson interval of a share of draws, `successes` of `trials` (NaN, NaN of none): what so many draws
    allow, so that 32 of 32 reads 89 to 100%, never a certain 100% (scipy's ``binomtest``)."""
    if not trials:
        return math.nan, math.nan
    from scipy.stats import binomtest  # with scipy, loaded only when a share of draws is described

    interval = binomtest(int(successes), int(trials)).proportion_ci(0.95, method="wilson")
    return float(interval.low), float(interval.high)


def fieller(numerator: np.ndarray, denominator: np.ndarray, level: float = 0.95) -> tuple[float, float, float, bool]:
    """Ratio of means of paired samples and Fieller's interval: (ratio, low, high, estimable).

    Pairs with a missing value in either are left out. Not estimable (NaN bounds) when fewer than two
    pairs, or when the denominator's own t interval includes 0: the set of ratios the data allow is then unbounded.
    """
    x, y = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    paired = ~(np.isnan(x) | np.isnan(y))
    x, y = x[paired], y[paired]
    n = len(x)
    mx, my = (float(x.mean()), float(y.mean())) if n else (np.nan, np.nan)
    ratio = mx / my if my else np.nan
    if n < 2:
        return (ratio, np.nan, np.nan, False)
    from scipy import stats  # loaded on first use: the command line sizes jobs without scipy

    t2 = float(stats.t.ppf(0.5 + level / 2, n - 1)) ** 2
    cov = np.cov(x, y, ddof=1) / n
    vxx, vxy, vyy = cov[0, 0], cov[0, 1], cov[1, 1]
    a = my * my - t2 * vyy
    if a <= 0:
        return (ratio, np.nan, np.nan, False)
    b = mx * my - t2 * vxy
    c = mx * mx - t2 * vxx
    root = np.sqrt(max(b * b - a * c, 0.0))
    return (ratio, (b - root) / a, (b + root) / a, True)
