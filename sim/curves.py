"""The first-event curves by name: the events-table column each is read from, what it is called in
sentences, and the year summaries are read at.

Plain data, kept apart from ``sim.outcomes`` (which computes the curves with pandas) so that the command
line can read and size an experiment file without loading pandas.
"""

CURVES = ("reoffended", "recalled", "returned", "terrorism_offence")
# The events-table column each curve is read from; ``any_offence`` is accepted as another name for ``reoffended``.
FIRST_EVENT = {"reoffended": "first_offence", "recalled": "first_recall", "returned": "first_return",
               "terrorism_offence": "first_terrorism_offence"}
# A competing event: an earlier one ends the time at risk. A return to custody for a new offence or charge
# before any recall for breach ends the time at risk of a first recall (a recall for breach is a return too,
# in the same week, and counts as the event).
# The same holds for a first technical violation (``violated``, read by the validation patterns).
COMPETING = {"recalled": "first_return", "violated": "first_return"}
ALIASES = {"any_offence": "reoffended"}
# What each curve is called in sentences (comparisons, robustness findings, reports).
CURVE_WORDS = {"reoffended": "new offence of any kind", "recalled": "recall for breach", "returned": "return to custody",
               "terrorism_offence": "terrorism offence"}
TERRORISM_CURVE = "terrorism_offence"


EXTREMIST_SHARE = "population.violent_extremist_share"
GENERAL_TERRORISM = ("offending.general.terrorism_share", "offending.general.terrorism_commitment",
                     "offending.general.terrorism_engagement")
"""The general offenders' chances that a new offence is terrorism: 0 in the shipped scenarios, plausibly up to 0.01-0.02
(``sim robustness`` draws them), and above 0 a general cohort can commit terrorism offences."""


def holds_extremists(shares) -> bool:
    """Whether a compared cohort holds violent-extremist people: one of `shares`, each scenario's
    ``population.violent_extremist_share`` as its settings hold it or a folder's manifest records it, above 0 (a record
    that is no number holds none). No independent test of the model is of such people (the report says so)."""
    return any(_number(share) > 0 for share in shares)


def terrorism_settings(scenario) -> dict:
    """The settings that decide whether `scenario`'s cohort can commit terrorism offences (``commits_terrorism``), by
    their dotted keys."""
    general = scenario.offending.general
    return {EXTREMIST_SHARE: scenario.population.violent_extremist_share,
            **{key: getattr(general, key.rpartition(".")[2]) for key in GENERAL_TERRORISM}}


def commits_terrorism(cohorts) -> bool:
    """Whether a compared cohort can commit terrorism offences: one of `cohorts` (each a mapping of
    ``terrorism_settings``' keys to values, as a scenario holds them or a folder's manifest records them; a record that
    is no number counts as 0) holds violent-extremist people, or holds general offenders (share below 1) whose chance
    that a new offence is terrorism is above 0. Else its terrorism curve is 0 by construction, not a finding, and a
    price per terrorism offence averted cannot be estimated."""
    for cohort in cohorts:
        extremists = _number(cohort.get(EXTREMIST_SHARE))
        if extremists > 0 or (extremists < 1 and any(_number(cohort.get(key)) > 0 for key in GENERAL_TERRORISM)):
            return True
    return False


def _number(value) -> float:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else 0


def curves_of(scenarios) -> tuple[str, ...]:
    """The curves a comparison of `scenarios` reads: all, but the terrorism offence where no cohort can commit one
    (``commits_terrorism``), where it said '0.0% vs 0.0%' and 'no difference in terrorism offences in any replicate' as
    if that were a finding."""
    possible = commits_terrorism(terrorism_settings(scenario) for scenario in scenarios)
    return CURVES if possible else tuple(c for c in CURVES if c != TERRORISM_CURVE)


YEAR = 52  # summaries are read at every whole year (52-week multiple) a run reaches
