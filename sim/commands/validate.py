"""Check scenario and experiment files without running them: every error of every file, each with its line."""

from __future__ import annotations

from sim.commands.common import add_set_option, overrides
from sim.scenarios import load_scenario
from sim.scenarios.fields import fmt, key_path, value_at

NAME = "validate"
HELP = "check scenario and experiment files without running"
ORDER = 20


def configure(parser) -> None:
    parser.add_argument("scenarios", nargs="+", metavar="FILE",
                        help="shipped scenario name, or path to a scenario or experiment YAML file")
    add_set_option(parser)


def execute(args) -> int:
    """Every file is checked, so that all can be fixed in one go; any error fails the command (exit 2)."""
    from sim.errors import InputError, together

    changes = overrides(args)
    problems: list[InputError] = []
    for source in args.scenarios:
        try:
            said, fitted = checked(source, changes)
            print(f"ok  {source}  ({said})")
            for line in fitted:
                print(f"    {line}")
        except InputError as error:
            problems.append(error)
    if problems:
        raise together(problems)  # every error of every file, one a line, file by file as given
    return 0


def checked(source: str, changes: dict) -> tuple[str, list[str]]:
    """Load a scenario, or an experiment file as ``sim sweep`` would (its base scenario and every design point
    checked), raising every error it holds; what was loaded, in a few words, and the values marked fitted that every
    run holds (``fitted_lines``)."""
    from sim.errors import InputError
    from sim.experiments.experiment import is_experiment_file, load_experiment
    from sim.job_size import counted
    from sim.scenarios.safe_yaml import NO_SUCH_FILE

    if is_experiment_file(source):
        experiment = load_experiment(source, overrides=changes)
        return (f"experiment {experiment.name} on {experiment.base.name}: {counted(len(experiment.design), 'point')} x "
                f"{counted(experiment.replicates, 'replicate')} = {counted(experiment.runs, 'run')}"), \
            fitted_lines(experiment.base, varied=set(experiment.factors))
    try:
        scenario = load_scenario(source, changes)
    except InputError as error:  # the scenario loader's words named a scenario file only: this command takes both
        if error.message.startswith("unknown scenario '"):  # a name: a shipped experiment's is one too
            raise unknown_name(source) from None
        if not error.message.startswith(NO_SUCH_FILE):
            raise
        raise InputError(f"{NO_SUCH_FILE}; expected an existing YAML scenario or experiment file", file=error.file,
                         expected="a shipped scenario's name, or an existing YAML scenario or experiment file") from None
    return f"{scenario.name}: {scenario.population.released} released, {scenario.weeks} weeks", fitted_lines(scenario)


def unknown_name(source: str):
    """A name that is neither a shipped scenario's nor a shipped experiment's, with the closest of either: the scenario
    loader's words offered scenarios only, so `sim validate stigma_supervison_ngo` was not pointed to the experiment."""
    from sim.errors import InputError, did_you_mean
    from sim.experiments.experiment import shipped_experiments
    from sim.scenarios import shipped_names

    scenarios, experiments = shipped_names(), shipped_experiments()
    hint = did_you_mean(source, [*scenarios, *experiments])
    known = f"one of the scenarios {', '.join(scenarios)}, the experiments {', '.join(experiments)}, or a path to a YAML file"
    return InputError(f"unknown scenario or experiment '{source}'{hint}: expected {known}", expected=known)


def fitted_lines(scenario, varied: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """A scenario's values marked fitted, each with its value and where it comes from ('release.imprisonment_share =
    0.11: fitted in general_offenders.yaml to ...'), but for those an experiment varies as factors: the others stay at
    the fit in every run of a sweep or sensitivity analysis, which an experiment's check left unsaid."""
    return [f"{key} = {fmt(value_at(scenario, key_path(key)))}: {scenario.fit_of(key)}" for key in scenario.fitted
            if key not in varied]
