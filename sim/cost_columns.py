"""The cost columns a run's weekly timeseries carries, by name.

Named here, in the core, so that the units of every metric (``sim.units.UNITS``) can list them without loading
the pricing (``sim.costs``), which sits on top with the comparisons it writes sentences for.
"""

COMPONENTS = ("cost_custody", "cost_recalls", "cost_courts", "cost_probation", "cost_ngo", "cost_levers")
COST_COLUMNS = (*COMPONENTS, "cost_week", "cost_cumulative")
