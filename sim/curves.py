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


def holds_extremists(shares) -> bool:
    """Whether a compared cohort holds violent-extremist people: one of `shares`, each scenario's
    ``population.violent_extremist_share`` as its settings hold it or a folder's manifest records it, above 0 (a record
    that is no number holds none). Only they commit terrorism offences, so a general cohort's terrorism curve is 0 by
    construction, not a finding."""
    return any(isinstance(share, int | float) and share > 0 for share in shares)


def curves_of(scenarios) -> tuple[str, ...]:
    """The curves a comparison of `scenarios` reads: all, but the terrorism offence where no cohort holds
    violent-extremist people (``holds_extremists``), where it said '0.0% vs 0.0%' and 'no difference in terrorism
    offences in any replicate' as if that were a finding."""
    held = holds_extremists(scenario.population.violent_extremist_share for scenario in scenarios)
    return CURVES if held else tuple(c for c in CURVES if c != TERRORISM_CURVE)


YEAR = 52  # summaries are read at every whole year (52-week multiple) a run reaches
