"""The least value of each count option that must be more than 1, in one place.

The command line checks them as it parses (``sim.commands.common.at_least``) and the library functions
check them again for callers from Python (``sim.errors.require_at_least``); both read this table. Plain
data, so that building the parser loads nothing heavy. Counts that only need to be positive use 1.
"""

LEAST = {
    "calibrate": {
        "--check-replicates": 2,  # the optimum's noise and band need a spread
        "--popsize": 2,  # differential evolution mixes at least two candidates
        "--scan-points": 2,  # a profile needs two values to show a slope
    },
    "optimise": {
        "--trials": 2,  # a search compares mixes
        "--replicates": 2,  # each mix's interval needs two
        "--confirm-replicates": 2,  # each confirmed mix's interval needs two
    },
    "patterns": {"--replicates": 2},  # a t-interval needs two
    "robustness": {
        "--draws": 2,  # a Latin hypercube over the assumptions needs two draws to vary them
        "--nominal-replicates": 2,  # the nominal difference's interval needs two
    },
}
