"""Run every design point x replicate of an experiment file on Dask workers, streaming results to Parquet.

Rerunning into the same folder continues where an earlier (even killed) sweep stopped: finished runs
are skipped, and the numbers are the same as those of one uninterrupted sweep. A run that raises is
recorded as failed and the sweep goes on; the exit status is then 1. A run lost to the infrastructure (its worker
died, or could not start it) is recorded as lost, and rerunning into the folder runs it again. See docs/EXPERIMENTS.md.
"""

from __future__ import annotations

from sim.commands.common import add_folder_options, add_seed_option, overrides, positive_int
from sim.errors import InputError
from sim.experiments.experiment import load_experiment
from sim.job_size import counted, duration

NAME = "sweep"
HELP = "run an experiment's design on Dask workers (resumable)"
ORDER = 50


def add_engine_options(parser) -> None:
    parser.add_argument("experiment", metavar="EXPERIMENT", help="experiment YAML file (or the name of a shipped one)")
    add_folder_options(parser, "sweep", runs="a design of more than N runs", figures=False)
    parser.add_argument("--resume", action="store_true",
                        help="insist on continuing an earlier sweep in DIR (rerunning into DIR resumes anyway)")
    parser.add_argument("--replicates", "-r", type=positive_int, default=None, metavar="N",
                        help="replicates per design point (default: the experiment file's)")
    add_seed_option(parser, "root seed (default: the experiment file's)")
    parser.add_argument("--samples", type=positive_int, default=None, metavar="N",
                        help="the design's sample size (default: the experiment file's design.samples; Sobol': a power "
                             "of 2, giving N x (factors + 2) points; Morris: N x (factors + 1); not for a grid)")
    parser.add_argument("--batch", type=positive_int, default=20, metavar="N", help="runs per Parquet part (default 20)")


def experiment_of(args):
    """The experiment file with the command line's --set, --replicates, --seed and --samples applied. A scenario given in
    its place (`sim sweep baseline`, a scenario's file) is said to be one, where its keys were listed as unknown
    experiment keys or its name as a missing experiment."""
    try:
        return load_experiment(args.experiment, overrides=overrides(args), replicates=args.replicates, seed=args.seed,
                               max_runs=args.max_runs, samples=args.samples)
    except InputError as error:
        if is_scenario(args.experiment):
            raise InputError("is a scenario, not an experiment file", file=str(args.experiment),
                             expected=f"an experiment file (a scenario runs with `sim run {args.experiment}`; an "
                                      "experiment names one as its `scenario:` and varies it by a `design:`)") from None
        raise error


def say_short_followup(experiment) -> None:
    """Before the runs, the note that some shares will rest on the people released first (``short_followup``)."""
    from sim.experiments.estimate import short_followup

    if note := short_followup(experiment):
        print(note)


def is_scenario(source: str) -> bool:
    """Whether `source` loads as a scenario without an error: a shipped name, or a valid scenario file."""
    from sim.scenarios import load_scenario

    try:
        load_scenario(source)
    except InputError:
        return False
    return True


def configure(parser) -> None:
    add_engine_options(parser)


def execute(args) -> int:
    experiment = experiment_of(args)  # sized and refused if too large before the engine is loaded
    say_short_followup(experiment)
    from sim.experiments.engine import sweep
    from sim.experiments.when_stopped import saying_state

    result = sweep(experiment, out=args.out, workers=args.workers, scheduler=args.scheduler, resume=True,
                   batch_size=args.batch, require_existing=args.resume)
    with saying_state(result.directory, experiment):  # stopped while it reports, the folder is as the sweep left it
        return report(result, experiment)


def report(result, experiment) -> int:
    """Print what the sweep holds; the last lines say how many runs failed or were lost. 1 if any were."""
    runs = result.runs  # read once for the lines below (``not_ok``)
    session = result.manifest["sessions"][-1]
    print(f"{experiment.name}: {counted(len(experiment.design), 'point')} x {counted(experiment.replicates, 'replicate')} "
          f"= {experiment.runs:,} runs; {session['runs']:,} run now ({session['engine']['kind']}), "
          f"{session['skipped']:,} already done, in {duration(session['wall_seconds'], fine=True)}")
    problems = not_ok(result, runs)
    for line in problems:
        print(line)
    if problems:
        return 1
    print(f"wrote {result.directory}: {len(runs)} runs, 0 failed")
    return 0


def not_ok(result, runs) -> list[str]:
    """One line for runs that failed in the model, one for runs lost to the infrastructure (none when all are ok), of
    `runs`, the sweep's run rows (``result.runs``, read once by the caller)."""
    from sim.experiments.store import failed_of, lost_of

    total, where = len(runs), result.directory / "runs"
    lines = []
    if failed := len(failed_of(runs)):
        lines.append(f"{failed} of {total} runs failed (status 'failed', with error and seed, in {where}): an error in "
                     "the model, which the same seed repeats, so a resume keeps them")
    if lost := len(lost_of(runs)):
        lines.append(f"{lost} of {total} runs lost to the infrastructure (status 'lost': a worker died or could not start "
                     f"them; error in {where}): rerun the command into {result.directory} to run them again")
    return lines
