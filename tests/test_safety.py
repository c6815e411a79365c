"""Hostile use: one owner per results folder, size before work, checked reads, clean signals, servers that fail clearly.

Each test plays what a careless or unlucky user does (two sweeps on one folder, a design of a million
points, a truncated Parquet file, Ctrl-C on a parallel sweep, a busy port) at tiny sizes, and checks
what the user sees: the exit status, one line naming the file or option, and what is left on disk.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sim import analysis
from sim.calibration.target import read_target
from sim.cli import Terminated, main
from sim.errors import InputError
from sim.experiments import Sweep, load_experiment, sweep
from sim.experiments.engines import identify_scheduler
from sim.folder_lock import LOCK, folder_lock
from sim.output import STAGING, check_files, replace_set
from sim.own_files import RECORD
from sim.report_folders import GENERATOR

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny_grid.yaml"
SMALL = ["--set", "population.community=300", "--set", "population.released=40", "--weeks", "30"]


def as_from_a_terminal() -> None:
    """Ctrl-C as a shell's foreground job gets it: pytest-xdist workers ignore SIGINT, and children inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def sim(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sim", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, preexec_fn=as_from_a_terminal, **kwargs)


def experiment_file(tmp_path: Path, design: str, replicates: int = 1) -> Path:
    path = tmp_path / "experiment.yaml"
    path.write_text(f"name: hostile\nscenario: general_offenders\nreplicates: {replicates}\n"
                    "overrides:\n  population.community: 300\n  population.released: 60\n  weeks: 40\n"
                    f"design:\n{design}")
    return path


def grid(values: int, factors=("stigma.baseline", "supervision.strictness")) -> str:
    levels = ", ".join(f"{i / values:.6f}" for i in range(values))
    return "  kind: grid\n  factors:\n" + "".join(f"    {f}: [{levels}]\n" for f in factors)


def hold_lock(folder: Path) -> subprocess.Popen:
    """Another process holding the lock of `folder` (until it is killed)."""
    holder = subprocess.Popen([sys.executable, "-c", "import time\nfrom sim.folder_lock import folder_lock\n"
                               f"with folder_lock({str(folder)!r}):\n    print('locked', flush=True)\n    time.sleep(300)"],
                              stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert holder.stdout.readline().strip() == "locked"
    return holder


# 1. One owner per results folder ------------------------------------------------------------------------------------

def test_two_sweeps_started_at_once_record_exactly_one_set_of_runs(tmp_path):
    out = tmp_path / "sweep"
    first, second = (sim("sweep", TINY, "--out", out, "--workers", "1", "--batch", "2") for _ in range(2))
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in (first, second)]
    runs = Sweep(out).runs
    assert len(runs) == 12 and not runs.duplicated(["point", "replicate"]).any()
    curves = Sweep(out).curves
    assert not curves.duplicated(["point", "replicate", "weeks_since_release"]).any()
    statuses = sorted(code for code, _, _ in results)
    # the one that came second was refused at once (or, if it came after the end, found nothing left to run)
    assert statuses in ([0, 2], [0, 0]), results
    for code, _, err in results:
        if code == 2:
            assert "is in use by another command (pid " in err and ", sim sweep)" in err and "Traceback" not in err


def test_a_locked_folder_is_refused_at_once_and_left_untouched(tmp_path, capsys):
    out = tmp_path / "sweep"
    with folder_lock(out):
        locker = subprocess.run([sys.executable, "-m", "sim", "sweep", str(TINY), "--out", str(out), "--workers", "1"],
                                capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert locker.returncode == 2
        assert locker.stderr.strip().splitlines()[-1].startswith(f"error: {out}: --out: is in use by another command (pid {os.getpid()}, sim)")
        assert [p.name for p in out.iterdir()] == [LOCK]


def test_what_a_killed_command_left_staged_is_cleared_by_the_next_and_never_under_a_live_one(tmp_path):
    out = tmp_path / "analysis"
    killed = subprocess.run([sys.executable, "-c", "import os, signal\nfrom pathlib import Path\n"
                             "from sim.folder_lock import folder_lock\nfrom sim.output import replace_set\n"
                             f"out = Path({str(out)!r})\nwith folder_lock(out):\n"
                             "    replace_set(out, {'table.csv': lambda p: p.write_text('x'),\n"
                             "                      'report.md': lambda p: os.kill(os.getpid(), signal.SIGKILL)}, last='report.md')\n"],
                            cwd=ROOT, timeout=120)
    assert killed.returncode == -signal.SIGKILL
    staged = [p for p in out.iterdir() if p.name.startswith(STAGING)]
    assert len(staged) == 1 and (staged[0] / "table.csv").is_file()  # kill -9 left the set half staged
    with folder_lock(out):
        assert staged[0].exists()  # the lock alone deletes nothing: the folder may yet be refused as not this command's
        replace_set(out, {"table.csv": lambda p: p.write_text("y"), "report.md": lambda p: p.write_text("z")},
                    last="report.md")
        assert not staged[0].exists() and sorted(p.name for p in out.iterdir()) == sorted([LOCK, RECORD, "report.md", "table.csv"])
    holder = hold_lock(out)  # a live command holds the folder, staging a set: a refused one touches nothing of it
    try:
        (out / f"{STAGING}live").mkdir()
        (out / f"{STAGING}live" / "table.csv").write_text("x")
        with pytest.raises(InputError, match="is in use by another command"), folder_lock(out):
            pass
        assert (out / f"{STAGING}live" / "table.csv").is_file()
    finally:
        holder.kill()
        holder.wait()


def test_a_rerun_replaces_only_result_files_sim_wrote_and_nobody_changed_since(tmp_path):
    """sim optimise, calibrate, robustness and sensitivity replaced an edited best_1.yaml, calibrated.yaml or
    robustness.md, and the user's own sensitivity.csv in a sweep folder, without a word. Each file's digest is now
    recorded when it is written; a file changed since, or never written by sim, is refused before the work, and left."""
    out = tmp_path / "analysis"
    names = ("table.csv", "report.md")

    def write(text: str, stale=()) -> None:
        with folder_lock(out):
            replace_set(out, {name: lambda p, text=text: p.write_text(text) for name in names}, last="report.md",
                        stale=stale)

    out.mkdir()
    (out / "report.md").write_text("my own notes")  # the user's, before sim wrote anything here
    with pytest.raises(InputError, match="report.md: out: was not written by sim x, or by a version of sim that "
                                         "kept no record of the files it wrote; sim x would replace it"):
        check_files(out, names, command="sim x")
    (out / "report.md").unlink()
    write("first")
    check_files(out, names, command="sim x")  # as sim wrote them: replaced as before
    write("second")
    assert (out / "table.csv").read_text() == "second"
    check_files(out, names, command="sim x")
    with open(out / "table.csv", "a") as edited:
        edited.write("# my edit")
    with pytest.raises(InputError) as refused:
        check_files(out, names, command="sim x")
    assert str(refused.value) == (f"{out / 'table.csv'}: out: was changed since sim x wrote it; sim x would replace "
                                  "it (expected the file as sim wrote it, or none: move it away (or rename it) to keep "
                                  "it, then rerun)")
    (out / "extra.md").write_text("mine")  # a stale name the set no longer writes, but not sim's: left be
    write("third", stale=("extra.md",))
    assert (out / "extra.md").read_text() == "mine"


def test_a_damaged_record_of_the_files_sim_wrote_is_named_when_a_file_is_refused(tmp_path):
    """A .sim.files.json cut short made a rerun refuse sim's own sensitivity.csv as 'not written by sim sensitivity',
    naming neither the damaged record nor why; the file is still refused (nothing tells it is as sim wrote it)."""
    replace_set(tmp_path, {"table.csv": lambda path: path.write_text("a\n")}, last="table.csv")
    (tmp_path / RECORD).write_text('{"files": {"table.cs')
    with pytest.raises(InputError) as refusal:
        check_files(tmp_path, ["table.csv"], command="sim sensitivity")
    assert str(refusal.value).startswith(f"{tmp_path / 'table.csv'}: out: cannot be told for a file sim sensitivity "
                                         f"wrote, since {tmp_path / RECORD}, the record of the files sim wrote there, "
                                         "cannot be read as the JSON object sim writes (cut short, or edited?)")
    assert (tmp_path / "table.csv").read_text() == "a\n"


def test_a_resume_that_changes_the_results_says_their_report_is_of_the_earlier_ones(tmp_path, capsys):
    """A report.html left in a sweep folder still showed the runs before a resume added more, and nothing said so.
    The resume now says it at its end (the report is sim report's, not the sweep's: it is kept as it is); a resume that
    changes nothing says nothing."""
    out = tmp_path / "sweep"
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1", "--batch", "4"]) == 0
    assert main(["report", str(out)]) == 0
    report = (out / "report.html").read_bytes()
    capsys.readouterr()
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1", "--batch", "4"]) == 0
    assert "report.html" not in capsys.readouterr().err  # nothing ran: the report still tells the results
    next(iter(sorted((out / "runs").glob("part-*.parquet")))).unlink()  # a part lost: its runs are made again
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1", "--batch", "4"]) == 0
    said = [line for line in capsys.readouterr().err.splitlines() if "report.html" in line]
    assert said == [f"note: {out / 'report.html'} was written from the results before this run; run sim report {out} "
                    "again"]
    assert (out / "report.html").read_bytes() == report


@pytest.mark.parametrize("command", ["calibrate", "sweep", "robustness", "optimise"])
def test_a_folder_a_command_refuses_keeps_every_file_and_another_command_s_lock_as_they_were(tmp_path, capsys, command):
    """sim calibrate locked its folder before checking it: the lock deleted a user's hidden .results-partial-thesis/
    folder in a folder it then refused, and rewrote the lock file of another command's folder with its own name."""
    mine = tmp_path / "mine"
    (mine / ".results-partial-thesis").mkdir(parents=True)
    (mine / ".results-partial-thesis" / "chapter1.tex").write_text("work")
    (mine / "notes.txt").write_text("mine")
    other = tmp_path / "other"
    other.mkdir()
    (other / "manifest.json").write_text('{"kind": "something else"}')
    (other / LOCK).write_text("pid 10822, sim sweep\n")
    for folder in (mine, other):
        before = {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
        modified = folder.stat().st_mtime_ns
        assert main([*command_line(command, tmp_path), "--out", str(folder)]) == 2
        assert "Traceback" not in capsys.readouterr().err
        assert {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
        assert folder.stat().st_mtime_ns == modified  # no lock file made and removed either


def test_a_calibration_refuses_a_folder_in_use(tmp_path, capsys):
    target = tmp_path / "target.csv"
    target.write_text("month,arrest\n6,20\n12,35\n")
    out = tmp_path / "fit"
    holder = hold_lock(out)  # another process: this one may lock again what it already holds
    try:
        assert main(["calibrate", "general_offenders", "--target", str(target), "--match", "arrest=reoffended",
                     "--out", str(out)]) == 2
    finally:
        holder.kill()
        holder.wait()
    assert f"{out}: --out: is in use by another command (pid {holder.pid}, sim)" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == [LOCK]


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path):
    out = tmp_path / "sweep"
    holder = hold_lock(out)
    with pytest.raises(InputError, match="in use by another command"):
        sweep(TINY, out=out, workers=1, progress=False)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (out / LOCK).exists()  # the killed process left its lock file behind ...
    result = sweep(TINY, out=out, workers=1, progress=False)  # ... and the kernel released its lock
    assert len(result.runs) == 12


# 2. Size before work ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("design", "replicates", "message"), [
    (grid(1000), 1, "1,000,000 points x 1 replicate = 1,000,000 model runs, above the limit of 100,000"),
    (grid(10, ("stigma.baseline",)), 100_000, "10 points x 100,000 replicates = 1,000,000 model runs"),
    (grid(400, ("stigma.baseline", "supervision.strictness", "stigma.social_influence", "stigma.resentment",
                "stigma.media_susceptibility")), 1, "has 10,240,000,000,000 design points, more than the 1,000,000"),
    ("  kind: sobol\n  samples: 1048576\n  factors:\n    stigma.baseline: {low: 0, high: 1}\n"
     "    supervision.strictness: {low: 0, high: 1}\n", 1, "has 4,194,304 design points"),
])
def test_a_design_too_large_is_refused_with_its_count_before_anything_is_built(tmp_path, capsys, design, replicates, message):
    path = experiment_file(tmp_path, design, replicates)
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert message in err and str(path.name) in err
    assert not out.exists()


def test_max_runs_sets_the_limit_and_the_sweep_states_its_size_first(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1", "--max-runs", "11"]) == 2
    assert "12 model runs, above the limit of 11" in capsys.readouterr().err and not out.exists()
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1", "--max-runs", "12"]) == 0
    assert capsys.readouterr().err.splitlines()[0] == "sweep tiny_grid: 4 points x 3 replicates = 12 runs (12 to run, 0 already done)"


BJS = ROOT / "sim" / "data" / "bjs_2005_30states_monthly.csv"


@pytest.mark.parametrize(("command", "expected"), [
    (["sensitivity", "cooperation_levers_sobol", "--max-runs", "100"], "--samples 2 to 8, a power of 2 (at most 96 runs)"),
    (["sensitivity", "cooperation_levers_sobol", "--samples", "4", "--max-runs", "10"],
     "--max-runs of at least 24 (the smallest job, --samples 2, is 24 runs, so no number of samples fits within 10)"),
    (["sweep", str(TINY), "--max-runs", "5"], "--replicates 1 (4 runs)"),
    (["robustness", "baseline", "ngo_surge", "--draws", "64", "--max-runs", "50"], "--draws 2 to 7 (at most 48 runs)"),
    (["robustness", "baseline", "ngo_surge", "--max-runs", "20"],
     "--max-runs of at least 28 (the smallest job, --draws 2, is 28 runs, so no number of draws fits within 20)"),
    (["optimise", "baseline", "--budget", "18000000", "--max-runs", "100"], "--trials 2 to 17 (at most 100 runs)"),
    (["calibrate", "general_offenders", "--target", str(BJS), "--match", "arrest=reoffended", "--budget", "120",
      "--max-runs", "100"],
     "--max-runs of at least 118 (the smallest job, --budget 118, is 118 runs, so no budget fits within 100)"),
    (["compare", "baseline", "ngo_surge", "-r", "10", "--max-runs", "5"], "--replicates 1 to 2 (at most 4 runs)")])
def test_every_max_runs_refusal_offers_a_job_that_fits(tmp_path, capsys, command, expected):
    """Only sim patterns said which job fits within --max-runs; the others said 'expected fewer runs', which a
    Sobol' design (whose samples must be a power of 2) or a robustness analysis (whose nominal comparison is fixed)
    left the reader to work out. Each offers the values of the option that sizes it, or the least limit."""
    out = tmp_path / "out"
    assert main([*command, "--out", str(out)]) == 2
    (said,) = capsys.readouterr().err.splitlines()
    assert f"(expected {expected}, or --max-runs " in said and not out.exists()


@pytest.mark.parametrize("options", [[], ["--replicates", "2000"], ["--set", "weeks=10"]])
def test_a_design_is_sized_and_refused_without_loading_the_model(tmp_path, options):
    """Refusing at once means refusing before Mesa, Dask, pandas and scipy load (they take seconds on a busy laptop),
    also when the command line changes the replicates or a value (the size is checked on what will run)."""
    path = experiment_file(tmp_path, grid(1000 if options != ["--replicates", "2000"] else 10))
    probe = ("import sys\nfrom sim.cli import main\ncode = main(['sweep', sys.argv[1], '--out', sys.argv[2], *sys.argv[3:]])\n"
             "print(code, sorted(m for m in ('mesa', 'distributed', 'pandas', 'scipy.stats', 'SALib', 'sim.model') "
             "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe, str(path), str(tmp_path / "out"), *options], capture_output=True,
                          text=True, cwd=ROOT, check=True)
    assert done.stdout.split() == ["2", "[]"]
    runs = "200,000" if options == ["--replicates", "2000"] else "1,000,000"
    assert f"{runs} model runs" in done.stderr and not (tmp_path / "out").exists()
    assert f"{path.name}:" in done.stderr.split(": design")[0]  # the file, with the line of its design


def test_the_experiments_api_names_stay_functions_once_their_modules_are_loaded():
    import sim.experiments.comparison
    import sim.experiments.sensitivity_analysis  # noqa: F401
    from sim.experiments import compare, sensitivity

    assert callable(compare) and callable(sensitivity)


def test_a_calibration_budget_is_an_upper_bound_on_model_runs(tmp_path, capsys):
    target = tmp_path / "target.csv"
    target.write_text("month,arrest\n6,20\n12,35\n")
    out = tmp_path / "fit"
    command = ["calibrate", "general_offenders", "--target", str(target), "--match", "arrest=reoffended",
               "--params", "offending.general.base_hazard=0.001:0.03", "--set", "population.community=300",
               "--set", "population.released=60", "--set", "weeks=60", "--replicates", "1", "--popsize", "2",
               "--check-replicates", "2", "--scan-points", "2", "--workers", "1", "--out", str(out)]
    assert main([*command, "--budget", "6"]) == 2  # scipy runs generations of 5 candidates at least: 5 + 2 + 2
    assert "a budget of 6 runs is too small" in capsys.readouterr().err and not out.exists()
    assert main([*command, "--budget", "9"]) == 0
    runs = pd.read_json(out / "manifest.json", typ="series")["runs"]
    assert runs["new"] + runs["cached"] <= 9


# 3. Every file read is checked ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def run_folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run") / "run"
    assert main(["run", "baseline", *SMALL, "--no-figures", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sweep") / "sweep"
    sweep(TINY, out=out, workers=1, batch_size=4, progress=False)
    return out


@pytest.mark.parametrize("command", [["run", "baseline", *SMALL, "-r", "2", "--no-figures"],
                                     ["compare", "baseline", "ngo_surge", *SMALL, "-r", "2", "--no-figures"],
                                     ["patterns", "--quick", "--replicates", "2", "--workers", "1"]])
def test_a_second_command_into_a_folder_being_written_is_refused_before_its_runs(command, tmp_path, capsys):
    """sim run, compare and patterns write --out only once their runs are done: a second command into the same --out
    ran every run and was refused only then ('was written by another command while this one ran'). The first holds
    .NAME.writing beside it for its whole life, so the second is refused at once, naming who writes the folder; with
    the first gone, its lock file (as a kill -9 leaves it) is taken over and removed at the end."""
    import fcntl

    out = tmp_path / "results" / "mine"
    out.parent.mkdir()
    lock = out.parent / ".mine.writing"
    with open(lock, "w") as first:  # the first command, still running
        first.write("pid 4242, sim run\n")
        first.flush()
        fcntl.flock(first, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert main([*command, "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert err == (f"error: {out}: --out: is being written by another command (pid 4242, sim run) (expected one "
                       "command at a time per folder: wait for it to finish, or choose another folder)\n")
    assert not out.exists() and lock.read_text() == "pid 4242, sim run\n"
    if command[0] == "patterns":
        return  # the rest is the same code for every command, and patterns' runs take the longest
    assert main([*command, "--out", str(out)]) == 0  # the first gone: its lock file taken over
    assert (out / "manifest.json").is_file() and sorted(p.name for p in out.parent.iterdir()) == ["mine"]


@pytest.mark.parametrize("command", ["sweep", "sensitivity", "calibrate", "optimise", "robustness", "report"])
def test_a_command_of_another_kind_into_a_folder_a_run_is_writing_is_refused_at_once(command, tmp_path, capsys):
    """`sim sweep --out X` while `sim run --out X` ran made X a sweep's folder, and the run, all its runs done, was
    refused at its end ('already exists ... holds the results of sim sweep'); `sim report X` of the empty folder a run
    fills said 'is not a result folder'. Both are refused now, naming the command writing X, and X is left as it was."""
    import fcntl

    out = tmp_path / "mine"
    out.mkdir()  # a folder the user prepared, which the run fills at its end
    with open(tmp_path / ".mine.writing", "w") as first:  # the run, still running
        first.write("pid 4242, sim run\n")
        first.flush()
        fcntl.flock(first, fcntl.LOCK_EX | fcntl.LOCK_NB)
        argv = ["report", str(out)] if command == "report" else [*command_line(command, tmp_path), "--workers", "1",
                                                                  "--out", str(out)]
        assert main(argv) == 2
        err = capsys.readouterr().err
    (line,) = [line for line in err.strip().splitlines() if line.startswith("error:")]  # after the design's lines
    assert line.startswith(f"error: {out}: ") and "by another command (pid 4242, sim run)" in line, err
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("place", ["out", "scenario", "report"])
def test_a_name_too_long_for_the_file_system_is_refused_naming_it(place, tmp_path, capsys):
    """A folder or file name of more than 255 bytes (ENAMETOOLONG), given as --out, a scenario file or a folder to
    report, ended in 'internal error: OSError', exit 1; it is the user's path, refused with exit 2 and nothing made."""
    long = tmp_path / ("a" * 300)
    args = {"out": ["run", "baseline", *SMALL, "--out", str(long / "mine")],
            "scenario": ["run", f"{long}.yaml", *SMALL, "--out", str(tmp_path / "mine")],
            "report": ["report", str(long)]}[place]
    assert main(args) == 2
    assert capsys.readouterr().err.startswith(f"error: {long}")
    assert not any(tmp_path.iterdir())


def test_a_run_refused_for_its_input_leaves_no_folder_it_made_on_the_way(tmp_path, capsys):
    """The lock beside a new --out needs its parent folder: folders made for it are removed again when the command is
    refused, as they were when nothing was made before the checks."""
    out = tmp_path / "a" / "b" / "mine"
    assert main(["run", "baseline", "--set", "population.community=nope", "--out", str(out)]) == 2
    assert "population.community: expected an integer" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize(("stop", "code"), [(KeyboardInterrupt, 130), (Terminated, 143)])  # Ctrl-C, SIGTERM
def test_a_replace_stopped_once_the_earlier_folder_is_set_aside_puts_it_back(run_folder, tmp_path, monkeypatch,
                                                                              capsys, stop, code):
    """A SIGTERM after --replace set the earlier folder aside (.DIR.replaced-*) and before the new one was in place
    left --out missing and the earlier results only under the hidden name. The earlier folder is now put back."""
    import sim.output as output

    out = tmp_path / "run"
    shutil.copytree(run_folder, out)
    before = snapshot(out)
    checked = output.check_replaceable

    def stopped(directory):
        if directory.parent.name.startswith(".run.replaced-"):
            raise stop
        checked(directory)

    monkeypatch.setattr(output, "check_replaceable", stopped)
    assert main(["run", "baseline", *SMALL, "--no-figures", "--replace", "--out", str(out)]) == code
    assert snapshot(out) == before and sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_the_next_command_into_a_folder_says_what_a_killed_one_left_beside_it(run_folder, tmp_path, capsys):
    """A SIGKILL in a --replace leaves the earlier results under .DIR.replaced-*/DIR, and one while writing leaves
    .DIR.partial-*: a later command into DIR succeeded and said nothing of either. It now says both, once."""
    from sim.output import check_destination

    out = tmp_path / "run"
    shutil.copytree(run_folder, tmp_path / ".run.replaced-x1" / "run")
    (tmp_path / ".run.partial-y2").mkdir()
    (tmp_path / ".runs.partial-z3").mkdir()  # another folder's
    check_destination(out)
    said = capsys.readouterr().err.strip().splitlines()
    assert said == [f"note: {tmp_path / '.run.partial-y2'} holds what a command writing {out} left half-written when it "
                    f"was killed (or is writing now): delete it once no command writes {out}",
                    f"note: {tmp_path / '.run.replaced-x1' / 'run'} holds earlier results of {out} that a --replace "
                    "stopped before its end set aside: move them back, or delete them"]
    check_destination(out)  # as a command checks again before it writes: said once
    assert capsys.readouterr().err == ""
    assert (tmp_path / ".run.partial-y2").is_dir() and (tmp_path / ".run.replaced-x1" / "run").is_dir()


@pytest.mark.parametrize("command", ["run", "compare"])
def test_an_earlier_run_s_folder_is_refused_naming_replace_the_option_that_replaces_it(run_folder, tmp_path, capsys,
                                                                                       command):
    """`sim run --out` an earlier run's folder said only 'remove it or choose another name', though `--replace` is
    the option made for it (README: running `make demo` again). A folder of another command's results, which
    --replace never replaces, is not pointed to it."""
    scenarios = ["baseline"] if command == "run" else ["baseline", "high_stigma"]
    before = snapshot(run_folder)
    assert main([command, *scenarios, *SMALL, "--out", str(run_folder)]) == 2
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line.startswith(f"error: {run_folder}: --out: ") and "it holds the results of sim run" in line, line
    assert "or --replace to replace the earlier results" in line, line
    assert snapshot(run_folder) == before
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine")
    assert main([command, *scenarios, *SMALL, "--out", str(theirs)]) == 2
    assert "--replace" not in capsys.readouterr().err


def test_the_report_of_a_stopped_analysis_says_how_many_finished_runs_a_rerun_starts_from(sweep_folder, tmp_path,
                                                                                        capsys):
    """sim report of a stopped robustness analysis said only that it was stopped; a sweep's reader is told how many
    runs it holds. It counts them as a resume does, in every sweep of the folder."""
    folder = tmp_path / "stopped"
    shutil.copytree(sweep_folder, folder / "sweeps" / "baseline" / "draws")
    (folder / "robustness.json").write_text('{"fingerprint": "f"}')  # stopped before robustness.md
    assert main(["report", str(folder)]) == 2
    (said,) = capsys.readouterr().err.strip().splitlines()
    assert "holds part of what sim robustness writes, not its results" in said
    assert "it keeps 12 finished runs (expected" in said


@pytest.mark.parametrize(("command", "deleted"), [("run", "summary.csv"), ("run", "timeseries.parquet"),
                                                  ("compare", "summary.csv"), ("compare", "comparison.csv")])
def test_a_run_folder_missing_a_table_it_was_written_with_is_named_not_reported_without_it(tmp_path, capsys, command,
                                                                                         deleted):
    """Without summary.csv a report left out its headline and every section, and a comparison without comparison.csv
    was reported as a run, both with exit 0 and no word: the manifest lists what the folder was written with."""
    folder = tmp_path / "folder"
    scenarios = ["baseline", "ngo_surge"] if command == "compare" else ["baseline"]
    assert main([command, *scenarios, *SMALL, "-r", "2", "--out", str(folder)]) == 0
    (folder / "figures" / "stigma.png").unlink()  # figures are drawn again by the report: not missed
    assert main(["report", str(folder), "--out", str(tmp_path / "whole.html")]) == 0
    (folder / deleted).unlink()
    capsys.readouterr()
    assert main(["report", str(folder), "--out", str(tmp_path / "report.html")]) == 2
    (said,) = capsys.readouterr().err.strip().splitlines()
    assert said.startswith(f"error: {folder}: holds part of what sim {command} writes, not its results: {deleted} is "
                           "missing (damaged, or stopped early?)")
    assert not (tmp_path / "report.html").exists()
    with pytest.raises(InputError, match=f"{deleted} is missing"):
        analysis.load(folder)


def test_a_run_too_short_for_anyone_to_be_followed_a_week_is_reported_saying_so(tmp_path, capsys):
    """A run of one week in which nobody was followed a whole week after release: the report stopped with an internal
    error (an IndexError in the headline), though `sim run` had written the folder without complaint."""
    folder = tmp_path / "short"
    assert main(["run", "baseline", "--set", "population.community=200", "--set", "population.released=30",
                 "--weeks", "1", "-r", "2", "--no-figures", "--out", str(folder)]) == 0
    summary = pd.read_csv(folder / "summary.csv")
    assert not (summary["clock"] == "weeks_since_release").any()
    assert main(["report", str(folder), "--out", str(tmp_path / "report.html")]) == 0
    assert "Nobody in this run was followed for a whole week after release" in (tmp_path / "report.html").read_text()
    with pytest.raises(InputError, match="nobody in the run was followed a whole week after release"):
        analysis.headline(summary)


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:300])


DAMAGE = {
    "corrupt curves": ("curves.parquet", lambda p: p.write_bytes(b"not a parquet file"), "cannot be read as Parquet"),
    "truncated curves": ("curves.parquet", _truncate, "cannot be read as Parquet"),
    "curves without columns": ("curves.parquet", lambda p: pd.DataFrame({"x": [1]}).to_parquet(p), "lacks the columns scenario"),
    "broken summary": ("summary.csv", lambda p: p.write_text('scenario,metric\n"open quote,1\n'), "summary.csv"),
    "summary without columns": ("summary.csv", lambda p: p.write_text("a,b\n1,2\n"), "lacks the columns scenario"),
    # passed load, then the headline failed with int()'s ValueError
    "summary with text for weeks": ("summary.csv", lambda p: pd.read_csv(p).assign(week="one year").to_csv(p, index=False),
                                    "holds text in its week column, where sim writes numbers"),
    "summary with only its header": ("summary.csv", lambda p: p.write_text(p.read_text().splitlines()[0] + "\n"),
                                     "holds a header but no rows"),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_a_damaged_run_folder_is_named_on_read(run_folder, tmp_path, capsys, case):
    name, damage, message = DAMAGE[case]
    folder = tmp_path / "copy"
    shutil.copytree(run_folder, folder)
    damage(folder / name)
    with pytest.raises(InputError) as caught:
        analysis.load(folder)
    assert str(caught.value).startswith(str(folder / name)) and message in str(caught.value)
    assert main(["report", str(folder), "--out", str(tmp_path / "report.html")]) == 2
    err = capsys.readouterr().err
    assert str(folder / name) in err and "expected" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "report.html").exists()


def test_a_truncated_sweep_part_is_named_by_report_and_by_resume(sweep_folder, tmp_path, capsys):
    """Without the sweep's record of its parts (a folder of an older version) a resume cannot tell the part its own:
    it refuses it, as the report does (with the record, it runs its runs again: test_a_part_cut_at_a_row_boundary_...)."""
    folder = tmp_path / "copy"
    shutil.copytree(sweep_folder, folder)
    (folder / "parts.jsonl").unlink()
    part = sorted((folder / "runs").glob("part-*.parquet"))[0]
    _truncate(part)
    assert main(["report", str(folder), "--out", str(tmp_path / "report.html")]) == 2
    assert f"error: {part}: cannot be read as Parquet" in capsys.readouterr().err
    before = sorted(p.name for p in folder.rglob("*"))
    assert main(["sweep", str(TINY), "--out", str(folder), "--workers", "1"]) == 2
    assert f"error: {part}: cannot be read as Parquet" in capsys.readouterr().err
    assert sorted(p.name for p in folder.rglob("*")) == before


def _cut_to(part: Path, rows: int) -> None:
    """Rewrite a part with its first `rows` rows: a whole Parquet file, cut at the end of a row."""
    pq.write_table(pq.read_table(part).slice(0, rows), part)


def test_a_part_cut_at_a_row_boundary_is_refused_by_the_report_and_rerun_by_a_resume(sweep_folder, tmp_path, capsys):
    """A part cut to fewer whole rows reads without an error: the report showed the runs left as the sweep's, and a
    resume reran only the runs missing, beside the curves of the cut ones still in their curves part. The sweep records
    each part's rows and SHA-256 (parts.jsonl): the report refuses the part, naming the rows written and found, and a
    resume sets it aside and runs its runs again."""
    folder = tmp_path / "copy"
    shutil.copytree(sweep_folder, folder)
    part = sorted((folder / "runs").glob("part-*.parquet"))[0]
    _cut_to(part, 2)
    said = f"{part}: holds 2 rows where the sweep wrote 4 (cut short, or replaced by another file?)"
    with pytest.raises(InputError, match="holds 2 rows where the sweep wrote 4"):
        analysis.load(folder)  # the notebooks' loader
    assert main(["report", str(folder), "--out", str(tmp_path / "report.html")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: {said}: expected the part as the sweep wrote it (rerun the sweep into its folder: it runs that part's "
        "runs again)"]
    assert not (tmp_path / "report.html").exists()
    assert main(["sweep", str(TINY), "--out", str(folder), "--workers", "1", "--batch", "4"]) == 0
    err = capsys.readouterr().err
    assert f"note: {said}: its runs count as not done and run again (the part is moved to {folder / 'set_aside'})" in err
    assert "12 runs (4 to run, 8 already done)" in err
    assert (folder / "set_aside" / "runs" / part.name).is_file() and (folder / "set_aside" / "curves" / part.name).is_file()
    resumed, whole = Sweep(folder), Sweep(sweep_folder)
    numbers = ["point", "replicate", "seed", "status", "reoffended_26w"]
    pd.testing.assert_frame_equal(resumed.runs[numbers], whole.runs[numbers])
    pd.testing.assert_frame_equal(resumed.curves, whole.curves)  # each run's curves once
    assert main(["report", str(folder), "--out", str(tmp_path / "report.html")]) == 0


def test_a_part_this_user_cannot_read_is_refused_by_a_resume_not_set_aside(sweep_folder, tmp_path, capsys, monkeypatch):
    """A part made unreadable (chmod 000, a folder copied from another user) was taken for damaged: a resume moved it
    to set_aside/ and ran its runs again, for want of a chmod. It is refused before any run, naming the part, and the
    folder is left as it was."""
    folder = tmp_path / "copy"
    shutil.copytree(sweep_folder, folder)
    part = sorted((folder / "runs").glob("part-*.parquet"))[0]
    read_metadata = pq.read_metadata

    def denied(path, *args, **kwargs):  # what pyarrow raises for a file this user may not open
        if Path(path) == part:
            raise PermissionError(13, "Permission denied", str(path))
        return read_metadata(path, *args, **kwargs)

    monkeypatch.setattr(pq, "read_metadata", denied)
    before = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    assert main(["sweep", str(TINY), "--out", str(folder), "--workers", "1", "--batch", "4"]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [f"error: {part}: cannot be read by this user (Permission denied): expected a part this "
                                "user can read (give them read permission; the sweep wrote it and sets aside only a "
                                "part unlike what it wrote)"]
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == before


def test_a_part_replaced_by_another_whole_part_is_refused_for_its_content(sweep_folder, tmp_path, capsys):
    folder = tmp_path / "copy"
    shutil.copytree(sweep_folder, folder)
    first, second = sorted((folder / "runs").glob("part-*.parquet"))[:2]
    shutil.copyfile(second, first)  # as many rows, other runs: the rows alone do not tell
    assert main(["report", str(folder), "--out", str(tmp_path / "report.html")]) == 2
    assert capsys.readouterr().err.startswith(f"error: {first}: is not the file the sweep wrote: its SHA-256 differs")


def test_a_sweep_folder_without_the_part_record_loads_and_resumes(sweep_folder, tmp_path, capsys):
    """A folder swept before parts.jsonl existed reads as it did (its parts unchecked); a resume records its parts as
    it finds them, so that from then on a part cut short is found."""
    folder = tmp_path / "copy"
    shutil.copytree(sweep_folder, folder)
    (folder / "parts.jsonl").unlink()
    first = sorted((folder / "runs").glob("part-*.parquet"))[0]
    _cut_to(first, 3)  # unchecked: read as it is
    with pytest.warns(analysis.IncompleteWarning, match="it holds 11 runs of the 12"):
        assert len(analysis.load(folder).runs) == 11
    assert main(["sweep", str(TINY), "--out", str(folder), "--workers", "1", "--batch", "4"]) == 0
    assert "(1 to run, 11 already done)" in capsys.readouterr().err
    recorded = [json.loads(line) for line in (folder / "parts.jsonl").read_text().splitlines()]
    parts = sorted(p.relative_to(folder).as_posix() for name in ("runs", "curves") for p in (folder / name).glob("part-*"))
    assert sorted(entry["part"] for entry in recorded) == parts and len(Sweep(folder).runs) == 12
    _cut_to(sorted((folder / "runs").glob("part-*.parquet"))[-1], 0)
    assert main(["report", str(folder), "--out", str(tmp_path / "report.html")]) == 2


def test_a_part_record_cut_off_by_a_kill_is_read_without_its_last_line(sweep_folder, tmp_path):
    """A kill in the append of a part's line leaves a line without its newline. It is dropped (its part, renamed in
    before, is then one without a line, which a resume records as it finds it), and the next line starts on a line of
    its own."""
    from sim.experiments import part_log

    folder = tmp_path / "copy"
    shutil.copytree(sweep_folder, folder)
    whole = part_log.read(folder)
    with open(folder / "parts.jsonl", "a") as log:
        log.write('{"part": "runs/part-never.parquet", "ro')
    assert part_log.read(folder) == whole and len(Sweep(folder).runs) == 12
    part_log.rewrite(folder, ("runs", "curves"))
    assert part_log.read(folder) == whole and (folder / "parts.jsonl").read_text().endswith("}\n")
    (folder / "parts.jsonl").write_text("not json\n" + (folder / "parts.jsonl").read_text())
    with pytest.raises(InputError, match=r"parts.jsonl: holds a line that is not a part's record \(line 1\)"):
        assert Sweep(folder).runs is None


def test_a_dataset_read_parses_the_part_record_once(sweep_folder, monkeypatch):
    """A read of a dataset parsed parts.jsonl for the records of its parts and again for the runs parts missing, as did
    the check a resume makes (``damaged_parts``): each reads it once (``part_log.entries``)."""
    from sim.experiments import store

    folder = sweep_folder
    reads: list[str] = []
    original = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda path, *args, **kwargs: (
        reads.append(path.name) if path.name == "parts.jsonl" else None) or original(path, *args, **kwargs))
    for read in (lambda: store.read_dataset(folder / "runs"), lambda: store.read_dataset(folder / "curves"),
                 lambda: store.damaged_parts(folder)):
        reads.clear()
        read()
        assert reads == ["parts.jsonl"]


def test_a_resume_hashes_each_part_once(sweep_folder, tmp_path, monkeypatch):
    """A resume checked every part against its record in each of its steps (the parts set aside, the runs done, those
    lost, the folder prepared, the runs done again), hashing each part six or seven times before its first run; it
    hashes each once (``sim.file_digests.hashed_once``), and still finds a part unlike its record."""
    import sim.file_digests

    folder = tmp_path / "copy"
    shutil.copytree(sweep_folder, folder)
    hashed: list[str] = []
    original = sim.file_digests.sha256_of
    monkeypatch.setattr(sim.file_digests, "sha256_of", lambda path: hashed.append(Path(path).name) or original(path))
    sweep(TINY, out=folder, workers=1, progress=False)
    parts = sorted(p.name for name in ("runs", "curves") for p in (folder / name).glob("part-*.parquet"))
    assert sorted(hashed) == parts  # a runs part and its curves part share a name: each hashed once
    hashed.clear()
    assert len(Sweep(folder).runs) == 12 and len(hashed) == 3  # a command outside it hashes as before
    _cut_to(sorted((folder / "runs").glob("part-*.parquet"))[0], 2)
    sweep(TINY, out=folder, workers=1, progress=False)
    assert len(list((folder / "set_aside" / "runs").glob("part-*.parquet"))) == 1 and len(Sweep(folder).runs) == 12


def test_a_recorded_runs_part_that_was_deleted_is_refused_by_the_report_and_rerun_by_a_resume(sweep_folder, tmp_path,
                                                                                               capsys):
    """A runs part deleted (or lost in a copy) since the sweep recorded it: a report and the notebooks' loader read the
    runs left as the whole sweep, and a resume ran them again without a word. The store records a part once it is in
    place (``part_log.write_part``), so a recorded part that is absent was deleted: the report refuses it, and a resume
    says so and runs its runs again (its curves part set aside)."""
    folder = tmp_path / "copy"
    shutil.copytree(sweep_folder, folder)
    part = sorted((folder / "runs").glob("part-*.parquet"))[0]
    part.unlink()
    said = f"{part}: is missing, though parts.jsonl records it as written (deleted, or lost in a copy?)"
    with pytest.raises(InputError, match="is missing, though parts.jsonl records it"):
        analysis.load(folder)
    assert main(["report", str(folder), "--out", str(tmp_path / "report.html")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: {said}: expected the part as the sweep wrote it (rerun the sweep into its folder: it runs that part's "
        "runs again)"]
    assert main(["sweep", str(TINY), "--out", str(folder), "--workers", "1", "--batch", "4"]) == 0
    err = capsys.readouterr().err
    assert f"note: {said}: its runs count as not done and run again\n" in err
    assert "12 runs (4 to run, 8 already done)" in err
    assert (folder / "set_aside" / "curves" / part.name).is_file()
    numbers = ["point", "replicate", "seed", "status", "reoffended_26w"]
    pd.testing.assert_frame_equal(Sweep(folder).runs[numbers], Sweep(sweep_folder).runs[numbers])
    pd.testing.assert_frame_equal(Sweep(folder).curves, Sweep(sweep_folder).curves)
    assert main(["report", str(folder), "--out", str(tmp_path / "report.html")]) == 0


def test_a_part_a_kill_left_between_its_rename_and_its_line_is_kept_and_an_older_line_is_no_deletion(
        sweep_folder, tmp_path, capsys):
    """kill -9 between a part's rename and its line leaves a whole part without a line: it is read, and a resume
    records it as it finds it and runs none of its runs again. A line of a version that appended it before the rename
    (without ``in_place``) whose part is absent may be of a part a kill stopped: it is not taken for a deletion."""
    folder = tmp_path / "copy"
    shutil.copytree(sweep_folder, folder)
    lines = (folder / "parts.jsonl").read_text().splitlines(keepends=True)
    last = json.loads(lines[-1])
    assert last["part"].startswith("runs/") and last["in_place"] is True
    older = json.dumps({"part": "runs/part-never.parquet", "rows": 4, "sha256": "0" * 64}) + "\n"
    (folder / "parts.jsonl").write_text("".join(lines[:-1]) + older)
    assert len(Sweep(folder).runs) == 12
    assert main(["sweep", str(TINY), "--out", str(folder), "--workers", "1", "--batch", "4"]) == 0
    assert "12 runs (0 to run, 12 already done)" in capsys.readouterr().err
    recorded = [json.loads(line) for line in (folder / "parts.jsonl").read_text().splitlines()]
    assert last in recorded and not any(entry["part"] == "runs/part-never.parquet" for entry in recorded)
    assert not (folder / "set_aside").exists()


def test_a_sweep_part_without_the_key_columns_is_named_for_them(sweep_folder, tmp_path, capsys):
    folder = tmp_path / "copy"
    shutil.copytree(sweep_folder, folder)
    (folder / "parts.jsonl").unlink()  # with it, a resume sets the parts aside and reruns them
    for part in (folder / "runs").glob("part-*.parquet"):
        pd.DataFrame({"x": [1]}).to_parquet(part)
    part = sorted((folder / "runs").glob("part-*.parquet"))[0]
    assert main(["sweep", str(TINY), "--out", str(folder), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {part}: lacks the columns point, replicate") and "FieldRef" not in err


def test_a_stray_part_with_other_columns_is_named_not_merged(sweep_folder, tmp_path, capsys):
    """A part from elsewhere would add rows with empty metrics: resume and report name it instead."""
    folder = tmp_path / "copy"
    shutil.copytree(sweep_folder, folder)
    stray = folder / "runs" / "part-zz.parquet"
    pd.DataFrame({"point": [99], "replicate": [0], "x": [1.0]}).to_parquet(stray)
    for command in (["sweep", str(TINY), "--out", str(folder), "--workers", "1", "--resume"], ["report", str(folder)]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {stray}: has other columns than the other parts of runs/")
    assert not (folder / "report.html").exists()


def _point_as_text(part: Path) -> None:
    table = pq.read_table(part)
    at = table.schema.get_field_index("point")
    pq.write_table(table.set_column(at, "point", pa.array([str(v) for v in table.column("point").to_pylist()])), part)


@pytest.mark.parametrize("which", ["every part", "one part"])
def test_a_part_with_its_key_as_text_is_named_not_rerun(sweep_folder, tmp_path, capsys, which):
    """A key read as text matches no design point: resume would rerun every run and the analysis find none. (In a
    folder with the record of its parts, a resume sets such a part aside as unlike its record, and reruns its runs.)"""
    folder = tmp_path / "copy"
    shutil.copytree(sweep_folder, folder)
    (folder / "parts.jsonl").unlink()
    parts = sorted((folder / "runs").glob("part-*.parquet"))
    for part in parts if which == "every part" else parts[:1]:
        _point_as_text(part)
    said = "holds point as string, not int64"
    before = sorted(p.name for p in folder.rglob("*"))
    for command in (["sweep", str(TINY), "--out", str(folder), "--workers", "1"], ["report", str(folder)]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {parts[0]}: {said}") and "internal error" not in err
    assert sorted(p.name for p in folder.rglob("*")) == before


def test_a_part_with_another_column_type_than_the_others_is_named(sweep_folder, tmp_path, capsys):
    folder = tmp_path / "copy"
    shutil.copytree(sweep_folder, folder)
    parts = sorted((folder / "runs").glob("part-*.parquet"))
    assert len(parts) >= 3  # a majority of parts shows the sweep's own schema
    table = pq.read_table(parts[0])
    at = table.schema.get_field_index("seconds")
    pq.write_table(table.set_column(at, "seconds", pa.array([str(v) for v in table.column("seconds").to_pylist()])), parts[0])
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {parts[0]}: holds seconds as string, unlike the other parts of runs/ (double)")


def _sessions(value):
    def damage(folder: Path) -> None:
        manifest = json.loads((folder / "manifest.json").read_text())
        (folder / "manifest.json").write_text(json.dumps(manifest | {"sessions": value}))
    return damage


def _file_for(name: str):
    def damage(folder: Path) -> None:
        shutil.rmtree(folder / name)
        (folder / name).write_text("")
    return damage


RESUME_DAMAGE = {
    "truncated manifest": ("manifest.json", lambda f: _truncate(f / "manifest.json"), "cannot be read as JSON"),
    "manifest holding a list": ("manifest.json", lambda f: (f / "manifest.json").write_text("[1, 2]"),
                                "holds a JSON list, not an object"),
    "sessions null": ("manifest.json", _sessions(None), "holds 'sessions' that are not a list"),
    "sessions a string": ("manifest.json", _sessions("abc"), "holds 'sessions' that are not a list"),
    "runs a file": ("runs", _file_for("runs"), "is a file, not a folder"),
    "curves a file": ("curves", _file_for("curves"), "is a file, not a folder"),
}


@pytest.mark.parametrize("case", list(RESUME_DAMAGE))
def test_a_damaged_sweep_folder_is_named_by_resume_and_left_as_it_was(sweep_folder, tmp_path, capsys, case):
    name, damage, said = RESUME_DAMAGE[case]
    folder = tmp_path / "copy"
    shutil.copytree(sweep_folder, folder)
    damage(folder)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name != LOCK}
    assert main(["sweep", str(TINY), "--out", str(folder), "--workers", "1", "--resume"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {folder / name}: --out: {said}") and len(err.strip().splitlines()) == 1
    assert "internal error" not in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name != LOCK} == before


def folder_without_its_record(kind: str, run_folder: Path, sweep_folder: Path, into: Path) -> str:
    """A folder of `kind`'s results whose record (manifest.json...) was deleted; the record's name."""
    if kind in ("run", "sweep"):
        shutil.copytree(run_folder if kind == "run" else sweep_folder, into)
        (into / "manifest.json").unlink()
        return "manifest.json"
    if kind == "robustness":  # its draws' sweeps, without the robustness.json that says what was drawn
        shutil.copytree(sweep_folder, into / "sweeps" / "baseline" / "draws")
        return "robustness.json"
    (into / "cache").mkdir(parents=True)  # a calibration's cached runs, without the scenario they were run on
    shutil.copy(next((sweep_folder / "curves").glob("part-*.parquet")), into / "cache" / "part-1.parquet")
    return "cache/scenario.json"


@pytest.mark.parametrize(("kind", "command"), [("sweep", "report"), ("sweep", "sweep"), ("sweep", "sensitivity"),
                                               ("sweep", "load"), ("run", "report"), ("robustness", "report"),
                                               ("robustness", "robustness"), ("calibrate", "report"),
                                               ("calibrate", "calibrate")])
def test_a_results_folder_whose_manifest_was_deleted_is_refused_naming_it_and_what_to_do(
        run_folder, sweep_folder, tmp_path, capsys, kind, command):
    """`sim report` of a sweep whose manifest.json was deleted said only 'is not a result folder', and a resume 'is not
    empty and holds no sweep': neither named the file that was missing nor what to do. Every reader says it alike."""
    folder = tmp_path / "results"
    record = folder_without_its_record(kind, run_folder, sweep_folder, folder)
    before = snapshot(folder)
    if command == "load":
        with pytest.raises(InputError) as refusal:
            analysis.load(folder)
        err = f"error: {refusal.value}"
    else:
        argv = ["report", str(folder)] if command == "report" else [*command_line(command, tmp_path), "--workers", "1",
                                                                    "--out", str(folder)]
        assert main(argv) == 2
        err = capsys.readouterr().err
    (line,) = err.strip().splitlines()
    assert line.startswith(f"error: {folder / record}: ") and f"is missing, though {folder} holds results of sim" in line
    assert f"put back from a copy or backup of {folder}, or {folder} moved away" in line, line
    assert snapshot(folder) == before


@pytest.mark.parametrize(("text", "message"), [
    ("month,arrest\n6,20\n12,15\n", ":3: arrest: falls from 20 at month 6 to 15 at month 12: expected a cumulative"),
    ("month,arrest\n6,20\n6,25\n12,30\n", ":3: month: month 6 appears twice (lines 2 and 3)"),
    ("month,arrest,arrest\n6,20,20\n12,30,30\n", ":1: arrest: column 'arrest' appears twice in the header"),
    ("month,arrest\n6,20\n12,30,99\n", ":3: has 3 fields but the header has 2"),
])
def test_a_bad_calibration_target_is_named_with_its_line(tmp_path, text, message):
    path = tmp_path / "target.csv"
    path.write_text(text)
    with pytest.raises(InputError) as caught:
        read_target(path)
    assert str(caught.value).startswith(f"{path}{message}")


# 4. Writers never touch what they did not make -------------------------------------------------------------------

def test_report_refuses_to_write_into_a_results_folder_or_over_a_foreign_file(run_folder, tmp_path, capsys):
    summary = (run_folder / "summary.csv").read_bytes()
    assert main(["report", str(run_folder), "--out", str(run_folder / "summary.csv")]) == 2
    assert "lies inside the results folder" in capsys.readouterr().err
    assert (run_folder / "summary.csv").read_bytes() == summary
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    assert main(["report", str(run_folder), "--out", str(notes)]) == 2
    assert "is not a report written by sim report" in capsys.readouterr().err and notes.read_text() == "mine"
    mine = tmp_path / "report.html"
    assert main(["report", str(run_folder), "--out", str(mine)]) == 0
    assert main(["report", str(run_folder), "--out", str(mine)]) == 0  # its own earlier report may be replaced


@pytest.mark.parametrize("link", ["symbolic", "hard"])
def test_a_lock_file_linked_to_another_file_is_refused_and_that_file_left_as_it_was(tmp_path, capsys, link):
    """A folder whose .sim.lock was a link to another file (it counts as empty) had that file truncated and overwritten
    with 'pid N, sim sweep' by the sweep that locked it. Now the command stops with one line naming the lock file."""
    thesis = tmp_path / "thesis.tex"
    thesis.write_text("three years of work\n")
    out = tmp_path / "sweep"
    out.mkdir()
    (out / LOCK).symlink_to(thesis) if link == "symbolic" else os.link(thesis, out / LOCK)
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1"]) == 2
    captured = capsys.readouterr()
    (said,) = captured.err.strip().splitlines()
    assert said.startswith(f"error: {out / LOCK}: --out: is a ") and "not the lock file sim writes" in said
    assert thesis.read_text() == "three years of work\n" and sorted(p.name for p in out.iterdir()) == [LOCK]


@pytest.mark.parametrize("command", ["sweep", "robustness"])
def test_an_out_linked_to_a_missing_folder_is_named_as_such(tmp_path, capsys, command):
    """A resumable command's --out that was a link to a folder that does not exist was refused as 'cannot be written
    (File exists)', which says nothing of the link. Now the line names the link and where it points."""
    out = tmp_path / "out"
    out.symlink_to(tmp_path / "unmounted" / "scratch")
    argv = ([command, str(TINY), "--workers", "1"] if command == "sweep" else
            [command, "baseline", "ngo_surge", "--draws", "2", "-r", "1", *SMALL, "--workers", "1"])
    assert main([*argv, "--out", str(out)]) == 2
    (said,) = capsys.readouterr().err.strip().splitlines()
    assert said.startswith(f"error: {out}: --out: is a symbolic link (to {tmp_path / 'unmounted' / 'scratch'}), "
                           "which leads to nothing")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"] and out.is_symlink()


def test_a_calibration_into_a_folder_of_someone_elses_writes_nothing_there(tmp_path, capsys):
    """sim calibrate locked its --out before looking at it: refused as a folder that holds no calibration, the folder
    kept the .sim.lock it had been given. Now it is left exactly as it was."""
    target = tmp_path / "target.csv"
    target.write_text("month,arrest\n6,20\n12,35\n")
    mine = tmp_path / "my papers"
    mine.mkdir()
    (mine / "draft.md").write_text("mine")
    assert main(["calibrate", "general_offenders", "--target", str(target), "--match", "arrest=reoffended",
                 "--out", str(mine)]) == 2
    (said,) = capsys.readouterr().err.strip().splitlines()
    assert said.startswith(f"error: {mine}: --out: is not empty and holds no calibration")
    assert [p.name for p in mine.iterdir()] == ["draft.md"] and (mine / "draft.md").read_text() == "mine"


def test_a_resume_beside_a_link_left_under_a_temporary_name_writes_only_its_own_files(sweep_folder, tmp_path, capsys):
    """A file was first written to the fixed name .NAME.tmp beside it: a link there sent a resumed sweep's manifest
    into the file it pointed to, overwriting it. Now the temporary name is new each time."""
    thesis = tmp_path / "thesis.tex"
    thesis.write_text("three years of work\n")
    folder = tmp_path / "sweep"
    shutil.copytree(sweep_folder, folder)
    (folder / ".manifest.json.tmp").symlink_to(thesis)
    assert main(["sweep", str(TINY), "--out", str(folder), "--workers", "1"]) == 0
    assert thesis.read_text() == "three years of work\n"
    assert not (folder / "manifest.json").is_symlink() and len(Sweep(folder).manifest["sessions"]) == 2


def test_two_commands_writing_one_file_at_once_each_rename_a_whole_file(tmp_path):
    """Two writers of one file shared its temporary name: the second overwrote the first's half-written file and
    renamed it away, and the first then failed (FileNotFoundError, exit 1). Now each renames a whole file of its own."""
    from sim.output import replace_file

    target = tmp_path / "report.html"

    def ours(temporary: Path) -> None:
        temporary.write_text("ours, whole\n")
        replace_file(target, lambda theirs: theirs.write_text("theirs, whole\n"))  # the other finishes meanwhile

    replace_file(target, ours)
    assert target.read_text() == "ours, whole\n" and [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_calibration_resumed_with_a_folder_in_the_way_of_a_result_is_refused_before_any_run(tmp_path, capsys):
    """A folder where sim calibrate writes a result file (errors.csv, ...) was found only after every run: 'internal
    error: IsADirectoryError', exit 1, with half of the earlier results replaced. Now it is refused before any run."""
    target = tmp_path / "target.csv"
    target.write_text("week,arrest\n4,1\n8,2\n12,3\n")
    out = tmp_path / "fit"
    argv = ["calibrate", "general_offenders", "--target", str(target), "--match", "arrest=reoffended", "--params",
            "supervision.breach_rate=0.002:0.05", "--popsize", "2", "--scan-points", "2", "--check-replicates", "2",
            "--replicates", "1", "--set", "population.community=300", "--set", "population.released=60",
            "--set", "weeks=30", "--workers", "1", "--out", str(out)]
    assert main([*argv, "--budget", "9"]) == 0
    (out / "errors.csv").unlink()
    (out / "errors.csv").mkdir()
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert main([*argv, "--budget", "12"]) == 2
    (said,) = capsys.readouterr().err.strip().splitlines()
    assert said.startswith(f"error: {out / 'errors.csv'}: is in the way: sim calibrate writes a file of this name here")
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_calibration_stopped_while_its_results_are_renamed_is_not_read_as_a_whole_set(tmp_path, capsys, monkeypatch):
    """sim calibrate renamed its six result files into place one by one beside the earlier manifest: Ctrl-C between two
    renames left a new calibrated.yaml beside the earlier fit.csv, errors.csv and manifest.json, which sim report showed
    as one calibration. Now the earlier manifest goes first and the new one comes last: the folder is refused as
    stopped early until a rerun (re-using the cached runs) writes the set whole."""
    target = tmp_path / "target.csv"
    target.write_text("week,arrest\n4,1\n8,2\n12,3\n")
    out = tmp_path / "fit"
    argv = ["calibrate", "general_offenders", "--target", str(target), "--match", "arrest=reoffended", "--params",
            "supervision.breach_rate=0.002:0.05", "--popsize", "2", "--scan-points", "2", "--check-replicates", "2",
            "--replicates", "1", "--budget", "9", "--set", "population.community=300", "--set", "population.released=60",
            "--set", "weeks=30", "--workers", "1", "--out", str(out)]
    assert main(argv) == 0
    earlier = (out / "calibrated.yaml").read_text()
    renamed, rename = [], os.replace

    def stopped_after_two(source, destination):
        if Path(destination).parent == out and Path(source).parent.name.startswith(".results-partial-"):
            if len(renamed) == 2:
                raise KeyboardInterrupt
            renamed.append(Path(destination).name)
        rename(source, destination)

    monkeypatch.setattr(os, "replace", stopped_after_two)
    assert main([*argv, "--seed", "5"]) == 130
    monkeypatch.setattr(os, "replace", rename)
    assert "calibrated.yaml" in renamed and (out / "calibrated.yaml").read_text() != earlier  # half the new set is in
    capsys.readouterr()
    assert main(["report", str(out)]) == 2
    (said,) = capsys.readouterr().err.strip().splitlines()
    assert said.startswith(f"error: {out}: holds part of what sim calibrate writes, not its results")
    assert main([*argv, "--seed", "5"]) == 0 and main(["report", str(out)]) == 0


def test_an_unwritable_out_is_refused_before_simulating(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["run", "baseline", *SMALL, "--out", str(blocker / "out")]) == 2
    captured = capsys.readouterr()
    assert "--out: cannot be written" in captured.err and "replicate" not in captured.err  # no run started
    assert blocker.read_text() == "x"


@pytest.mark.parametrize("command", ["run", "compare", "patterns"])
def test_an_out_that_is_a_file_is_called_a_file_and_left_as_it_was(tmp_path, capsys, command):
    """It was called 'already exists and is not an empty folder', as if the user had given a folder."""
    out = tmp_path / "notes.txt"
    out.write_text("keep me")
    argv = {"run": ["run", "baseline", *SMALL], "compare": ["compare", "baseline", "ngo_surge", *SMALL],
            "patterns": ["patterns", "--quick"]}[command]
    assert main([*argv, "--out", str(out)]) == 2
    (said,) = capsys.readouterr().err.strip().splitlines()
    assert said == f"error: {out}: --out: is a file, not a folder (expected a new folder (remove it or choose another name))"
    assert out.read_text() == "keep me"


@pytest.mark.parametrize("command", ["run", "compare"])
@pytest.mark.parametrize("points_to", ["an empty folder", "nothing"])
def test_an_out_that_is_a_symbolic_link_is_refused_before_simulating(tmp_path, capsys, command, points_to):
    """--out a link to an empty folder (or to nothing) ran every replicate, then failed to rename the results into
    place and blamed 'another command' that had written the folder. Now it is refused first, naming the link."""
    elsewhere = tmp_path / "scratch"
    if points_to == "an empty folder":
        elsewhere.mkdir()
    out = tmp_path / "out"
    out.symlink_to(elsewhere)
    scenarios = ["baseline", "ngo_surge"] if command == "compare" else ["baseline"]
    assert main([command, *scenarios, *SMALL, "-r", "1", "--no-figures", "--out", str(out)]) == 2
    captured = capsys.readouterr()
    (said,) = captured.err.strip().splitlines()
    assert said.startswith(f"error: {out}: --out: is a symbolic link (to {elsewhere})") and "replicate" not in captured.err
    assert out.is_symlink() and sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["out", *(["scratch"] if elsewhere.exists() else [])])
    assert not elsewhere.exists() or not any(elsewhere.iterdir())


def test_a_run_folder_honours_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        assert main(["run", "baseline", *SMALL, "--no-figures", "--out", str(tmp_path / "out")]) == 0
    finally:
        os.umask(old)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o755


def test_an_empty_out_folder_the_user_prepared_is_kept_with_its_permissions_and_filled(tmp_path):
    """An existing empty --out was removed and the new folder renamed onto it: a folder made private to a group
    (chmod 2770) came back world-readable, and a mount point (a Docker volume) failed after all the work (EBUSY). The
    folder itself (its inode: a mount point is never removed nor renamed onto) now stays, and its files go into it."""
    out = tmp_path / "prepared"
    out.mkdir()
    out.chmod(0o2750)
    before = out.stat()
    assert main(["run", "baseline", *SMALL, "--out", str(out)]) == 0
    after = out.stat()
    assert (after.st_ino, after.st_mode, after.st_gid) == (before.st_ino, before.st_mode, before.st_gid)
    assert (out / "figures").stat().st_mode & 0o2000  # made inside it: its setgid (and so its group) is inherited
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prepared"]
    listed = json.loads((out / "manifest.json").read_text())["files"]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == listed


def test_a_run_stopped_while_it_fills_an_empty_out_folder_leaves_it_empty(tmp_path, monkeypatch):
    out = tmp_path / "prepared"
    out.mkdir()
    renamed, rename = [], os.rename

    def stopped(source, destination):
        if Path(destination).parent == out:
            if len(renamed) == 2:
                raise KeyboardInterrupt
            renamed.append(destination)
        rename(source, destination)

    monkeypatch.setattr(os, "rename", stopped)
    assert main(["run", "baseline", *SMALL, "--no-figures", "--out", str(out)]) == 130
    assert len(renamed) == 2 and out.is_dir() and not any(out.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prepared"]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones included) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("command", ["run", "compare"])
def test_replace_puts_a_new_run_in_the_place_of_an_earlier_one_and_leaves_nothing_beside_it(run_folder, tmp_path,
                                                                                          capsys, command):
    """What `make demo` does the second time: the earlier run's folder (here a `sim run`'s) gives way to the new one."""
    out = tmp_path / "out"
    shutil.copytree(run_folder, out)
    scenarios = ["baseline", "ngo_surge"] if command == "compare" else ["baseline", "high_stigma"]
    assert main([command, *scenarios, *SMALL, "-r", "1", "--no-figures", "--out", str(out), "--replace"]) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert [s["name"] for s in manifest["scenarios"]] == scenarios
    assert sorted(manifest["files"]) == sorted(snapshot(out)) and (command == "compare") == ("comparison.csv" in manifest["files"])
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # neither the earlier folder set aside nor a staging one


OTHERS = {
    "a file of the user's": lambda out: (out / "my_notes.txt").write_text("keep me"),
    "a report written into it": lambda out: (out / "report.html").write_text("<!DOCTYPE html>"),
    "a report sim report wrote": lambda out: (out / "report.html").write_text(f"<!DOCTYPE html>\n<html><head>{GENERATOR}"),
    "a folder of the user's": lambda out: (out / "figures" / "mine").mkdir(parents=True),
    "a hidden file": lambda out: (out / ".notes").write_text("keep me"),
}


@pytest.mark.parametrize("case", list(OTHERS))
def test_replace_refuses_a_run_folder_holding_anything_else_before_any_run_and_deletes_nothing(run_folder, tmp_path,
                                                                                             capsys, case):
    """`make demo` deleted results/demo whenever its manifest named the demo, with whatever a user had put there (a
    report, notes): --replace replaces only the files the earlier run's manifest lists, and refuses anything more."""
    out = tmp_path / "out"
    shutil.copytree(run_folder, out)
    OTHERS[case](out)
    before = snapshot(out)
    assert main(["run", "baseline", *SMALL, "-r", "1", "--no-figures", "--out", str(out), "--replace"]) == 2
    captured = capsys.readouterr()
    (said,) = captured.err.strip().splitlines()
    assert said.startswith(f"error: {out}: --replace: holds what the earlier run did not write (") and "expected" in said
    # sim wrote a report, but not the run: the refusal says why it is kept (it said "what sim did not write")
    assert ("report.html was written by sim report, not by the run, and a report of the earlier results is kept"
            in said) == (case == "a report sim report wrote")
    assert "replicate" not in captured.err and captured.out == ""  # refused before the runs
    assert snapshot(out) == before and [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.parametrize("holds", ["a sweep", "files of the user's", "a run written before runs listed their files"])
def test_replace_refuses_a_folder_no_run_wrote(run_folder, sweep_folder, tmp_path, capsys, holds):
    out = tmp_path / "out"
    if holds == "a sweep":
        shutil.copytree(sweep_folder, out)
    elif holds == "files of the user's":
        out.mkdir()
        (out / "thesis.tex").write_text("keep me")
    else:
        shutil.copytree(run_folder, out)
        manifest = json.loads((out / "manifest.json").read_text())
        del manifest["files"]
        (out / "manifest.json").write_text(json.dumps(manifest))
    before = snapshot(out)
    assert main(["run", "baseline", *SMALL, "-r", "1", "--no-figures", "--out", str(out), "--replace"]) == 2
    (said,) = capsys.readouterr().err.strip().splitlines()
    assert said.startswith(f"error: {out}: --replace: ") and said.endswith(
        "--replace would delete it (expected a folder an earlier sim run or sim compare wrote, or a new folder)")
    assert {"a sweep": "was not written by sim run or sim compare (it holds the results of sim sweep)",
            "files of the user's": "was not written by sim run or sim compare:",
            "a run written before runs listed their files": "holds the results of sim run without the list of their files",
            }[holds] in said
    assert snapshot(out) == before


def test_a_file_added_to_the_earlier_folder_while_the_run_ran_is_kept(run_folder, tmp_path):
    """The folder is checked again, once set aside, after the run: what is checked is what is deleted."""
    from sim.output import atomic_directory

    out = tmp_path / "out"
    shutil.copytree(run_folder, out)
    with pytest.raises(InputError) as caught, atomic_directory(out, replace=True) as staging:
        (staging / "curves.parquet").write_text("new")
        (out / "written meanwhile.txt").write_text("keep me")
    assert caught.value.key == "--replace" and "changed while this command ran" in caught.value.message
    assert (out / "written meanwhile.txt").read_text() == "keep me" and (out / "curves.parquet").read_bytes() == (
        run_folder / "curves.parquet").read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


# 5. Signals ------------------------------------------------------------------------------------------------------

def _wait_for(stream, text: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = stream.readline()
        if text in line:
            return
    raise AssertionError(f"never saw {text!r}")


def test_sigterm_during_a_run_removes_its_partial_output(tmp_path):
    process = sim("run", "baseline", *SMALL, "--replicates", "500", "--no-figures", "--out", tmp_path / "out")
    _wait_for(process.stderr, "replicate 2/500")
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 143
    err = process.stderr.read().strip().splitlines()
    assert err[-1] == "terminated: anything half-written is removed: rerun the command to start again" and not any("Traceback" in line for line in err)
    assert list(tmp_path.iterdir()) == []


def test_sigterm_while_a_run_is_being_written_leaves_no_partial_folder(tmp_path, monkeypatch, capsys):
    import sim.output

    def terminated_while_writing(path, data):  # the manifest is the last file of a run folder
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises here

    monkeypatch.setattr(sim.output, "write_json", terminated_while_writing)
    assert main(["run", "baseline", *SMALL, "--no-figures", "--out", str(tmp_path / "out")]) == 143
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("terminated:")
    assert list(tmp_path.iterdir()) == []  # neither the folder nor a .out.partial-... beside it


def test_sigterm_after_a_command_has_finished_keeps_its_exit_status_and_says_so(tmp_path):
    """main put SIGTERM's default action back as it returned: a SIGTERM while the interpreter shut down (its exit
    handlers, here one that sends it) ended a run that had written its folder with status 143 and no word, which a
    script took for a run stopped part-way. It keeps the command's status and says so in one line."""
    probe = ("import atexit, os, signal, sys, time\n"
             "from sim.cli import main\n"  # the exit handler registered after sim's, as Dask's are
             "atexit.register(lambda: (os.kill(os.getpid(), signal.SIGTERM), time.sleep(30)))\n"
             "sys.exit(main())\n")
    out = tmp_path / "out"
    for args, code, said in ((["run", "baseline", *SMALL, "--no-figures", "--out", str(out)], 0,
                              "after the command had finished: everything it writes is written"),
                             (["run", "no_such_scenario"], 2, "after the command had ended (exit status 2)")):
        done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, cwd=ROOT,
                              timeout=300, preexec_fn=as_from_a_terminal)
        assert done.returncode == code, done.stderr
        assert done.stderr.strip().splitlines()[-1] == f"terminated while exiting, {said}"
        assert "Traceback" not in done.stderr
    assert (out / "manifest.json").is_file()


def _finished_run(probe: str, out):
    """`sim run baseline` into `out` through `probe` (a program that calls sim.cli.main), as from a terminal."""
    return subprocess.run([sys.executable, "-c", probe, "run", "baseline", *SMALL, "--no-figures", "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300, preexec_fn=as_from_a_terminal)


def test_ctrl_c_after_a_command_has_finished_keeps_its_exit_status_and_says_so(tmp_path):
    """A Ctrl-C right after `wrote DIR`, while the interpreter shut down, ended a run whose folder was whole with status
    130 and no word (Python's exit on an unhandled KeyboardInterrupt): it keeps the command's status, as SIGTERM does."""
    probe = ("import atexit, os, signal, sys, time\n"
             "from sim.cli import main\n"  # the exit handler registered after sim's, as Dask's are
             "atexit.register(lambda: (os.kill(os.getpid(), signal.SIGINT), time.sleep(30)))\n"
             "sys.exit(main())\n")
    out = tmp_path / "out"
    done = _finished_run(probe, out)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1] == ("interrupted while exiting, after the command had finished: "
                                                    "everything it writes is written")
    assert "Traceback" not in done.stderr and (out / "manifest.json").is_file()


@pytest.mark.parametrize("sent", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_the_interpreter_tears_down_its_modules_keeps_the_exit_status(tmp_path, sent):
    """Once the exit handlers have run, the interpreter puts the signals' default actions back: a Ctrl-C or SIGTERM
    while it then tore its modules down (most of a second after `sim sensitivity` said 'wrote') killed a command that
    had written everything, status 130 or 143. Here an object the teardown deletes sends it."""
    probe = ("import os, signal, sys, time\n"
             "class Late:\n"
             f"    def __del__(self):\n        os.kill(os.getpid(), {int(sent)})\n        time.sleep(0.5)\n"
             "late = Late()\n"
             "from sim.cli import main\nsys.exit(main())\n")
    out = tmp_path / "out"
    done = _finished_run(probe, out)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and (out / "manifest.json").is_file()


def test_ctrl_c_on_a_parallel_sweep_is_one_line_and_keeps_finished_runs(tmp_path):
    path = experiment_file(tmp_path, grid(2, ("stigma.baseline",)), replicates=300)
    out = tmp_path / "out"
    process = sim("sweep", path, "--out", out, "--workers", "2", "--batch", "1", start_new_session=True)
    _wait_for(process.stderr, "1/600 runs")
    os.killpg(process.pid, signal.SIGINT)  # a terminal sends Ctrl-C to the whole process group, workers included
    assert process.wait(timeout=120) == 130
    err = process.stderr.read()
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("interrupted:"), err
    kept = len(Sweep(out).runs)
    assert 0 < kept < 600  # finished runs are kept for a resume


# 6. Servers ------------------------------------------------------------------------------------------------------

def test_dashboard_refuses_a_busy_port_a_bad_host_and_a_bad_port_before_listening(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for args, message in ((["--port", str(port)], f"127.0.0.1:{port} is already in use"),
                              (["--host", "no-such-host.invalid"], "cannot resolve host 'no-such-host.invalid'"),
                              # was blamed on --port ("8.8.8.8:8799 cannot be used")
                              (["--host", "192.0.2.1"], "--host: 192.0.2.1 is not an address of this computer"),
                              (["--port", "70000"], "port must be between 1 and 65535")):
            assert main(["dashboard", *args]) == 2
            captured = capsys.readouterr()
            assert message in captured.err and "dashboard at" not in captured.out
            assert len(captured.err.strip().splitlines()) == 1


def test_dashboard_whose_port_another_server_takes_while_it_starts_says_so(monkeypatch, capsys):
    """The port is free when checked, but the server takes seconds to start: a second `sim dashboard` started
    meanwhile on the same port leaves this one's server unable to bind (its exit status 3)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    taker = socket.socket()

    def started_too_late(host, port, ready=None):
        taker.bind((host, port))
        taker.listen()
        return 3

    monkeypatch.setattr("sim.commands.dashboard.serve", started_too_late)
    with taker:
        assert main(["dashboard", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"127.0.0.1:{port} was taken by another server while this one started" in err and "--port" in err
    monkeypatch.setattr("sim.commands.dashboard.serve", lambda host, port, ready: 1)  # any other failure: its own status
    assert main(["dashboard", "--port", str(port)]) == 2
    assert "stopped with exit status 1 (see its message above)" in capsys.readouterr().err


def test_dashboard_beyond_loopback_warns_that_it_has_no_authentication(monkeypatch, capsys):
    monkeypatch.setattr("sim.commands.dashboard.serve", lambda host, port, ready: 0)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["dashboard", "--port", str(port)]) == 0
    assert "no authentication" not in capsys.readouterr().err
    assert main(["dashboard", "--host", "0.0.0.0", "--port", str(port)]) == 0
    assert "warning: the dashboard has no authentication" in capsys.readouterr().err


@pytest.mark.parametrize(("address", "message"), [
    ("", "is empty"), ("http://127.0.0.1:8786", "has scheme 'http'"), ("tcp://127.0.0.1", "has no port"),
    ("tcp://:8786", "has no host"),
])
def test_a_malformed_scheduler_is_refused_before_anything_starts(tmp_path, capsys, address, message):
    out = tmp_path / "out"
    assert main(["sweep", str(TINY), "--out", str(out), "--scheduler", address]) == 2
    err = capsys.readouterr().err
    assert f"--scheduler: '{address}' {message}" in err and "sweep tiny_grid" not in err and not out.exists()


def test_a_server_that_is_not_a_dask_scheduler_is_refused_after_the_timeout():
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        with pytest.raises(InputError, match=f"no Dask scheduler answered at tcp://127.0.0.1:{port} within 1 s"):
            identify_scheduler(f"tcp://127.0.0.1:{port}", timeout=1)


def test_a_server_speaking_another_protocol_is_named_as_such_not_as_a_memory_error():
    with socket.socket() as other:  # answers every connection with an SSH banner, as a mistyped port might
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]

        def banner():
            connection, _ = other.accept()
            with connection:
                connection.sendall(b"SSH-2.0-OpenSSH_8.9\r\n" * 100)

        answering = threading.Thread(target=banner, daemon=True)
        answering.start()
        with pytest.raises(InputError, match=f"tcp://127.0.0.1:{port} answered, but not as a Dask scheduler") as error:
            identify_scheduler(f"tcp://127.0.0.1:{port}", timeout=5)
        answering.join(5)
    assert "Memory" not in str(error.value) and "allocate" not in str(error.value)


def test_experiments_still_load_at_ordinary_sizes():
    assert load_experiment(TINY).runs == 12


# 5. Command-line values checked as they are parsed, before any folder, lock or manifest ------------------------------

BAD_TARGET = "week,arrest\n4,1\n8,2\n12,3\n"
TINY_SOBOL = ("name: tiny_sobol\nscenario: general_offenders\nreplicates: 1\n"
              "overrides:\n  population.community: 300\n  population.released: 60\n  weeks: 30\n"
              "design:\n  kind: sobol\n  samples: 4\n  factors:\n    stigma.baseline: {low: 0.1, high: 0.9}\n"
              "    supervision.strictness: {low: 0.1, high: 0.9}\n")


def command_line(command: str, tmp_path: Path) -> list[str]:
    """A small, otherwise valid command line of `command` (no --out, --seed or worker options)."""
    sets = ["--set", "population.community=300", "--set", "population.released=60"]
    if command in ("run", "compare"):
        return [command, "baseline", *(["ngo_surge"] if command == "compare" else []), *sets, "--weeks", "30", "-r", "1"]
    if command == "robustness":
        return [command, "baseline", "ngo_surge", "--draws", "4", "-r", "1", *sets, "--weeks", "30"]
    if command == "optimise":
        return [command, "baseline", "--budget", "850000", "--levers", "supervision.strictness", "--trials", "2",
                "-r", "2", "--top", "1", "--confirm-replicates", "2", *sets, "--weeks", "52"]
    if command == "calibrate":
        target = tmp_path / "target.csv"
        target.write_text(BAD_TARGET)
        return [command, "general_offenders", "--target", str(target), "--match", "arrest=reoffended", "--params",
                "supervision.breach_rate=0.002:0.05", "--popsize", "2", "--scan-points", "2", "--check-replicates", "2",
                "--budget", "60", *sets, "--set", "weeks=30"]
    if command in ("sweep", "sensitivity"):
        experiment = tmp_path / "tiny_sobol.yaml"
        experiment.write_text(TINY_SOBOL)
        return [command, str(TINY if command == "sweep" else experiment)]
    assert command == "patterns"
    return [command, "--quick"]


def refused(capsys, argv: list[str], out: Path, named: str, message: str) -> None:
    """Exit 2 with one line naming the option and what it expects, nothing printed before it, nothing written."""
    assert main([*argv, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and named in lines[0] and message in lines[0], captured.err
    assert captured.out == "" and "Traceback" not in captured.err
    assert not out.exists() and not list(out.parent.glob(f".{out.name}*"))


SEEDED = ["run", "compare", "calibrate", "optimise", "robustness", "sweep", "sensitivity"]


@pytest.mark.parametrize("value", ["-1", "4294967296"])
@pytest.mark.parametrize("command", SEEDED)
def test_a_seed_out_of_range_is_refused_naming_seed_before_anything_is_written(tmp_path, capsys, command, value):
    refused(capsys, [*command_line(command, tmp_path), "--seed", value], tmp_path / "out", "--seed",
            f"expected an integer from 0 to 4294967295 (got {value})")


def subcommand(name: str):
    from sim.cli import build_parser

    return next(a for a in build_parser()._actions if a.dest == "command").choices[name]


def test_the_largest_seed_is_accepted_by_every_command_and_its_help_gives_the_range():
    for command in SEEDED:
        action = next(a for a in subcommand(command)._actions if "--seed" in a.option_strings)
        assert action.type("4294967295") == 4294967295 and "0 to 4294967295" in action.help


def test_optimise_refuses_a_scenario_seed_too_large_for_its_sampler(tmp_path, capsys):
    argv = [*command_line("optimise", tmp_path), "--set", "seed=5000000000"]
    refused(capsys, argv, tmp_path / "out", "--seed", "the scenario's seed 5000000000 is above 4294967295")


WORKER_COMMANDS = ["sweep", "sensitivity", "calibrate", "robustness", "optimise", "patterns"]


@pytest.mark.parametrize("value", ["0", "-2"])
@pytest.mark.parametrize("command", WORKER_COMMANDS)
def test_workers_below_one_is_refused_before_anything_is_written(tmp_path, capsys, command, value):
    refused(capsys, [*command_line(command, tmp_path), "--workers", value], tmp_path / "out", "--workers",
            f"expected an integer of at least 1 (got {value})")


@pytest.mark.parametrize("workers", ["1", "2"])
@pytest.mark.parametrize("command", WORKER_COMMANDS)
def test_workers_with_a_scheduler_is_refused_not_ignored(tmp_path, capsys, command, workers):
    argv = [*command_line(command, tmp_path), "--workers", workers, "--scheduler", "tcp://127.0.0.1:1"]
    refused(capsys, argv, tmp_path / "out", "--scheduler",
            "not allowed with argument --workers (expected one of the two options, not both)")


def test_an_option_no_command_has_says_where_the_options_are_listed(capsys):
    assert main(["run", "baseline", "--bogus"]) == 2
    assert capsys.readouterr().err.strip() == (
        "error: sim run: unrecognized arguments: --bogus (expected the options `sim run --help` lists)")


@pytest.mark.parametrize(("argv", "meant"), [
    (["run", "baseline", "--wekks", "3"], "--weeks"),
    (["compare", "baseline", "ngo_surge", "--replicats=2"], "--replicates"),
    (["sweep", "stigma_supervision_ngo", "--sed", "7"], "--seed"),
])
def test_a_misspelt_option_is_refused_by_its_command_naming_the_option_meant(tmp_path, capsys, argv, meant):
    """`sim run baseline --wekks 3` said 'sim: unrecognized arguments: --wekks 3 (expected the options `sim COMMAND
    --help` lists)': neither the command whose help to read nor the option meant."""
    out = tmp_path / "never"
    assert main([*argv, "--out", str(out)]) == 2
    said = capsys.readouterr().err.strip()
    assert said.startswith(f"error: sim {argv[0]}: unrecognized arguments: ") and "Traceback" not in said, said
    assert said.endswith(f"(expected the options `sim {argv[0]} --help` lists: did you mean {meant}?)"), said
    assert not out.exists()


def test_optimise_runs_on_one_local_worker_unless_told_and_its_help_says_so(tmp_path, capsys, monkeypatch):
    import sim.experiments.optimise

    helped = " ".join(subcommand("optimise").format_help().split())
    assert "--workers N local worker processes (default: 1," in helped
    seen = []

    def record(*args, **kwargs):
        seen.append((kwargs["workers"], kwargs["scheduler"]))
        raise InputError("stop here")

    monkeypatch.setattr(sim.experiments.optimise, "optimise", record)
    argv = [*command_line("optimise", tmp_path), "--out", str(tmp_path / "out")]
    for extra in ([], ["--workers", "2"], ["--scheduler", "tcp://127.0.0.1:1"]):
        assert main([*argv, *extra]) == 2
    # without --workers the command leaves the choice to optimise(), whose default is one local worker
    assert seen == [(None, None), (2, None), (None, "tcp://127.0.0.1:1")]
    assert sim.experiments.optimise.WORKERS == 1


@pytest.mark.parametrize(("command", "option", "value", "least"), [
    ("sweep", "--batch", "0", 1), ("sweep", "--batch", "-1", 1), ("sensitivity", "--batch", "0", 1),
    ("calibrate", "--budget", "-5", 1), ("calibrate", "--replicates", "0", 1), ("calibrate", "--popsize", "1", 2),
    ("calibrate", "--check-replicates", "0", 2), ("calibrate", "--scan-points", "-1", 2),
    ("run", "--replicates", "-1", 1), ("run", "--weeks", "0", 1), ("compare", "--weeks", "-3", 1),
    ("robustness", "--draws", "1", 2), ("robustness", "--nominal-replicates", "1", 2), ("optimise", "--trials", "1", 2),
    ("optimise", "--replicates", "1", 2),
    ("optimise", "--confirm-replicates", "1", 2), ("patterns", "--replicates", "1", 2),
])
def test_integer_options_below_their_least_value_are_refused_as_parsed(tmp_path, capsys, command, option, value, least):
    refused(capsys, [*command_line(command, tmp_path), option, value], tmp_path / "out", option,
            f"expected an integer of at least {least} (got {value})")


def test_sensitivity_resume_refuses_a_folder_with_nothing_to_resume(tmp_path, capsys):
    refused(capsys, [*command_line("sensitivity", tmp_path), "--workers", "1", "--resume"], tmp_path / "out",
            "--resume", "holds no sweep to resume")


def test_the_api_checks_workers_seed_and_batch_before_creating_the_folder(tmp_path):
    import yaml

    from sim.experiments.optimise import optimise
    from sim.experiments.robustness import robustness
    from sim.experiments.sensitivity_analysis import sensitivity

    small = {"population.community": 300, "population.released": 60}
    calls = {
        "robustness seed": (lambda out: robustness(["baseline", "ngo_surge"], out=out, draws=4, replicates=1, seed=-1,
                                                   overrides=small, weeks=30, workers=1), "--seed"),
        "robustness workers": (lambda out: robustness(["baseline", "ngo_surge"], out=out, draws=4, replicates=1,
                                                      overrides=small, weeks=30, workers=0), "--workers"),
        "optimise workers": (lambda out: optimise("baseline", budget=850_000, out=out, levers="supervision.strictness",
                                                  trials=2, replicates=2, overrides=small, weeks=52, workers=0), "--workers"),
        "sweep batch": (lambda out: sweep(TINY, out=out, workers=1, batch_size=0), "--batch"),
        "sensitivity batch": (lambda out: sensitivity(yaml.safe_load(TINY_SOBOL), out=out, workers=1, batch_size=0),
                              "--batch"),
    }
    for name, (call, key) in calls.items():
        out = tmp_path / name.replace(" ", "_")
        with pytest.raises(InputError) as caught:
            call(out)
        assert caught.value.key == key and not out.exists(), name


def test_a_folder_another_command_filled_meanwhile_is_left_as_it_is(tmp_path):
    """Two runs into one new --out: the one that finishes second gets one line, and the first one's results stay."""
    from sim.errors import InputError
    from sim.output import atomic_directory

    out = tmp_path / "race"
    with pytest.raises(InputError, match="written by another command"):
        with atomic_directory(out) as staging:
            (staging / "ours.csv").write_text("ours\n")
            out.mkdir()
            (out / "theirs.csv").write_text("theirs\n")  # the other command renamed its folder into place first
    assert [p.name for p in out.iterdir()] == ["theirs.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["race"]  # our staging folder is gone


@pytest.mark.parametrize(("option", "value", "said"), [
    ("--replicates", "200000", "error: --replicates: must be between 1 and 100000 (got 200000)"),
    ("--max-runs", "abc", "error: sim sweep: argument --max-runs: expected a whole number of runs, at least 1 (got 'abc')"),
])
def test_a_sweep_option_out_of_range_or_not_a_number_says_what_is_expected_once(tmp_path, capsys, option, value, said):
    out = tmp_path / "out"
    assert main(["sweep", str(TINY), "--out", str(out), option, value]) == 2
    assert capsys.readouterr().err.strip().splitlines()[-1] == said and not out.exists()


LOCKING = ["sweep", "sensitivity", "calibrate", "optimise", "robustness"]
"""The commands that lock the folder they write (``sim.folder_lock``)."""


@pytest.mark.parametrize("command", LOCKING)
def test_an_out_linked_to_an_existing_folder_is_refused_as_run_and_compare_refuse_it(tmp_path, capsys, command):
    """sim run/compare refused a symbolic-link --out, but the commands that lock their folder wrote through one into
    the folder it pointed to (a sweep filled it with runs/, curves/, manifest.json and .sim.lock). Now every writing
    command refuses it alike, before it says or runs anything."""
    elsewhere = tmp_path / "scratch"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.symlink_to(elsewhere)
    assert main([*command_line(command, tmp_path), "--workers", "1", "--out", str(out)]) == 2
    captured = capsys.readouterr()
    (said,) = captured.err.strip().splitlines()
    assert said.startswith(f"error: {out}: --out: is a symbolic link (to {elsewhere})") and captured.out == ""
    assert out.is_symlink() and list(elsewhere.iterdir()) == []


INSIDE = {"sweep": "runs", "sensitivity": "curves", "calibrate": "cache", "optimise": "trials", "robustness": "sweeps",
          "report": "runs"}
"""A folder each command reads and writes inside its results folder."""


@pytest.mark.parametrize("command", INSIDE)
def test_a_linked_folder_inside_a_results_folder_is_refused_and_its_files_left_as_they_were(tmp_path, capsys, command):
    """A results folder whose runs/ (cache/, trials/, sweeps/...) was a link to a folder elsewhere was read and written
    through it: a resume deleted that folder's hidden files and added its parts there. Now every command that works in
    a results folder stops first, with one line naming the link, and writes nothing anywhere."""
    elsewhere = tmp_path / "another study"
    elsewhere.mkdir()
    (elsewhere / "part-1.parquet").write_bytes(b"theirs")
    (elsewhere / ".part-2.parquet.0a1b.tmp").write_bytes(b"theirs too")
    out = tmp_path / "out"
    out.mkdir()
    (out / INSIDE[command]).symlink_to(elsewhere)
    argv = ["report", str(out)] if command == "report" else [*command_line(command, tmp_path), "--workers", "1",
                                                             "--out", str(out)]
    assert main(argv) == 2
    captured = capsys.readouterr()
    (said,) = captured.err.strip().splitlines()
    assert said.startswith(f"error: {out / INSIDE[command]}: ") and captured.out == ""
    assert f"is a symbolic link (to {elsewhere}) inside {out}: sim does not read or write through a link" in said
    assert [p.name for p in out.iterdir()] == [INSIDE[command]]
    assert {p.name: p.read_bytes() for p in elsewhere.iterdir()} == {"part-1.parquet": b"theirs",
                                                                     ".part-2.parquet.0a1b.tmp": b"theirs too"}


def test_a_sweep_resumed_through_a_linked_runs_folder_leaves_that_folder_as_it_was(sweep_folder, tmp_path, capsys):
    """The resume of a sweep whose runs/ had been moved away and linked back deleted the hidden files of the folder
    the link pointed to, and would have written its new parts there. Now it is refused, and so is its report."""
    folder = tmp_path / "sweep"
    shutil.copytree(sweep_folder, folder)
    elsewhere = tmp_path / "archive" / "runs"
    elsewhere.parent.mkdir()
    shutil.move(folder / "runs", elsewhere)
    (folder / "runs").symlink_to(elsewhere)
    (elsewhere / ".notes.tmp").write_text("mine")
    before = {p.name: p.read_bytes() for p in elsewhere.iterdir()}
    assert main(["sweep", str(TINY), "--out", str(folder), "--workers", "1"]) == 2
    assert main(["report", str(folder)]) == 2
    said = capsys.readouterr().err.strip().splitlines()
    assert len(said) == 2 and all(line.startswith(f"error: {folder / 'runs'}: ") for line in said)
    assert {p.name: p.read_bytes() for p in elsewhere.iterdir()} == before and not (folder / "report.html").exists()


WRITERS = ["run", "compare", "sweep", "sensitivity", "optimise", "robustness", "calibrate", "patterns"]
"""Every command that writes a results folder (--out)."""


def full_disk(error: int = errno.ENOSPC, after: int = 0):
    """A writer that writes `after` files, then fails as a full disk (or `error`) does."""
    written = []

    def write(*args, **kwargs):
        if len(written) >= after:
            raise OSError(error, os.strerror(error))
        written.append(args)
        return original(*args, **kwargs)

    original = pq.write_table
    return write


def one_error_line(capsys, out: Path, said: str) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert lines[-1].startswith(f"error: {out}: --out: ") and said in lines[-1], captured.err
    assert "Traceback" not in captured.err and "internal error" not in captured.err
    return lines[-1]


@pytest.mark.parametrize(("error", "said"), [(errno.ENOSPC, "the disk is full"),
                                             (errno.EROFS, "the file system is read-only"),
                                             (errno.EACCES, "permission denied")])
def test_a_run_the_disk_refuses_to_write_is_one_line_naming_its_folder_and_leaves_nothing(tmp_path, monkeypatch,
                                                                                         capsys, error, said):
    """A full disk (or one gone read-only, or a refused permission) while a run's folder was written ended in
    'internal error: OSError: [Errno 28] No space left on device', exit 1. Now exit 2, naming the folder."""
    import sim.output

    def refused(path, data):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(sim.output, "write_json", refused)  # the manifest, written last: every table is staged by then
    out = tmp_path / "out"
    assert main(["run", "baseline", *SMALL, "-r", "1", "--no-figures", "--out", str(out)]) == 2
    line = one_error_line(capsys, out, f"cannot be written: {said}")
    assert "nothing half-written is left there" in line
    assert list(tmp_path.iterdir()) == []  # no folder, no staging folder beside it


def test_a_full_disk_never_damages_the_earlier_run_it_was_to_replace(run_folder, tmp_path, monkeypatch, capsys):
    import sim.output

    out = tmp_path / "out"
    shutil.copytree(run_folder, out)
    before = snapshot(out)

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sim.output, "write_json", full)
    assert main(["compare", "baseline", "ngo_surge", *SMALL, "-r", "1", "--no-figures", "--replace",
                 "--out", str(out)]) == 2
    one_error_line(capsys, out, "cannot be written: the disk is full")
    assert snapshot(out) == before and [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_sweep_the_disk_fills_under_keeps_its_finished_runs_and_resumes_to_the_same_numbers(sweep_folder, tmp_path,
                                                                                            monkeypatch, capsys):
    """The disk fills after two parts: exit 2 naming the folder (it was an internal error, exit 1), no temporary file
    or lock left, and once there is room the same command finishes it with the numbers of an uninterrupted sweep."""
    out = tmp_path / "sweep"
    monkeypatch.setattr(pq, "write_table", full_disk(after=2))
    argv = ["sweep", str(TINY), "--workers", "1", "--batch", "2", "--out", str(out)]
    assert main(argv) == 2
    line = one_error_line(capsys, out, "cannot be written: the disk is full")
    assert "what it finished is kept, and rerunning the command into it resumes" in line
    assert not list(out.rglob(".*"))  # no temporary part, no lock file
    kept = len(Sweep(out).runs)
    assert 0 < kept < 12
    monkeypatch.undo()
    assert main(argv) == 0
    assert f"({12 - kept} to run, {kept} already done)" in capsys.readouterr().err
    columns = ["point", "replicate", "seed", "status", "reoffended_26w", "final_community_stigma"]
    pd.testing.assert_frame_equal(Sweep(out).runs[columns], Sweep(sweep_folder).runs[columns])


def test_a_sweep_whose_folder_is_moved_while_it_runs_says_so_and_resumes_where_it_went(tmp_path, monkeypatch, capsys):
    """`mv DIR elsewhere` while a sweep ran ended it in 'internal error: FileNotFoundError: DIR', exit 1 (its cleanup
    listing the folder that was gone, over pyarrow's error for the part it could not write)."""
    import sim.experiments.tasks as tasks

    out, moved = tmp_path / "sweep", tmp_path / "moved"
    original = tasks.execute_run

    def run_then_move(*args, **kwargs):
        if out.is_dir() and any((out / "runs").glob("part-*.parquet")):
            out.rename(moved)  # the user tidies up while the sweep runs
        return original(*args, **kwargs)

    monkeypatch.setattr(tasks, "execute_run", run_then_move)
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1", "--batch", "4"]) == 2
    err = capsys.readouterr().err
    (line,) = [line for line in err.splitlines() if line.startswith("error:")]  # after the sweep's progress lines
    assert line.startswith(f"error: {out}: --out: was moved or deleted while this command ran"), err
    assert "internal error" not in err and "Traceback" not in err
    assert not out.exists()
    monkeypatch.undo()
    assert main(["sweep", str(TINY), "--out", str(moved), "--workers", "1"]) == 0  # resumed where it went
    assert len(Sweep(moved).runs) == 12


def test_a_network_file_rewired_while_a_sweep_runs_stops_it_keeping_only_the_runs_on_the_first(tmp_path, monkeypatch,
                                                                                                  capsys):
    """A run reads network.file as it builds its world: one rewired while a sweep ran gave its later runs the new
    network, recorded in one folder under the first one's fingerprint, without a word. The batch made since the last
    part is dropped, and the sweep stops naming the file."""
    import sim.experiments.tasks as tasks

    for name in ("edgelist_community.yaml", "community_300.edgelist"):
        shutil.copy(ROOT / "tests" / "data" / name, tmp_path / name)
    (tmp_path / "exp.yaml").write_text("name: net\nscenario: edgelist_community.yaml\nseed: 3\nreplicates: 6\n"
                                       "overrides: {population.released: 40, weeks: 20}\n"
                                       "design: {kind: grid, factors: {stigma.baseline: [0.2, 0.8]}}\n")
    graph, out = tmp_path / "community_300.edgelist", tmp_path / "sweep"
    original = tasks.execute_run

    def run_then_rewire(*args, **kwargs):
        if any((out / "runs").glob("part-*.parquet")) and not graph.read_text().endswith("# rewired\n"):
            graph.write_text(graph.read_text() + "# rewired\n")  # edited while the sweep runs
        return original(*args, **kwargs)

    monkeypatch.setattr(tasks, "execute_run", run_then_rewire)
    assert main(["sweep", str(tmp_path / "exp.yaml"), "--out", str(out), "--workers", "1", "--batch", "4"]) == 2
    err = capsys.readouterr().err
    (line,) = [line for line in err.splitlines() if line.startswith("error:")]
    assert line.startswith(f"error: {graph}: network.file: changed while the runs read it"), err
    assert "the 4 runs made since the sweep's last part was written are discarded" in line
    assert len(Sweep(out).runs) == 4  # the first part's, made before the file changed


def test_a_network_file_rewired_while_sim_run_runs_is_refused_and_nothing_written(tmp_path, monkeypatch, capsys):
    """sim run's later replicates read the rewired network and were written beside the earlier ones as one scenario."""
    import sim.runner

    for name in ("edgelist_community.yaml", "community_300.edgelist"):
        shutil.copy(ROOT / "tests" / "data" / name, tmp_path / name)
    graph, out = tmp_path / "community_300.edgelist", tmp_path / "run"
    original = sim.runner.simulate

    def simulate_then_rewire(*args, **kwargs):
        made = original(*args, **kwargs)
        if not graph.read_text().endswith("# rewired\n"):
            graph.write_text(graph.read_text() + "# rewired\n")  # edited after the first replicate
        return made

    monkeypatch.setattr(sim.runner, "simulate", simulate_then_rewire)
    assert main(["run", str(tmp_path / "edgelist_community.yaml"), "-r", "2", "--weeks", "10", "--no-figures",
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err
    (line,) = [line for line in err.splitlines() if line.startswith("error:")]
    assert line.startswith(f"error: {graph}: network.file: changed while the runs read it"), err
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == [
        "community_300.edgelist", "edgelist_community.yaml"]


def test_a_full_disk_in_a_sweep_of_an_optimisation_names_the_optimisation_s_folder(tmp_path):
    """optimise and robustness run their sweeps in folders inside their own: the user reruns the outer command."""
    outer = tmp_path / "optimisation"
    with pytest.raises(InputError) as refused, folder_lock(outer), folder_lock(outer / "trials" / "0003"):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert refused.value.file == str(outer) and "rerunning the command into it resumes" in str(refused.value)


@pytest.mark.parametrize("command", WRITERS)
@pytest.mark.parametrize("place", ["inside a file", "a file"])
def test_an_out_that_cannot_be_a_folder_is_refused_before_any_run(tmp_path, capsys, command, place):
    """Root ignores permission bits; a file where the folder or its parent should be refuses anyone."""
    blocker = tmp_path / "notes.txt"
    blocker.write_text("keep me")
    out = blocker / "out" if place == "inside a file" else blocker
    assert main([*command_line(command, tmp_path), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert lines[-1].startswith(f"error: {out}: --out: ") and "Traceback" not in captured.err
    assert ("cannot be written" if place == "inside a file" else "is a file, not a folder") in lines[-1]
    assert not any(word in captured.err + captured.out for word in ("replicate 1", "trial 0", "runs, 0 failed"))
    assert blocker.read_text() == "keep me"


@pytest.mark.parametrize("error", [errno.EACCES, errno.EROFS])
def test_a_sweep_refused_its_writes_says_so_in_one_line(tmp_path, monkeypatch, capsys, error):
    out = tmp_path / "sweep"
    monkeypatch.setattr(pq, "write_table", full_disk(error))
    assert main(["sweep", str(TINY), "--workers", "1", "--batch", "4", "--out", str(out)]) == 2
    one_error_line(capsys, out, "cannot be written: " + ("permission denied" if error == errno.EACCES else
                                                           "the file system is read-only"))


def other_command_s_folder(kind: str, run_folder: Path, sweep_folder: Path, into: Path) -> Path:
    """A folder `kind` wrote: a real run's or sweep's, or an optimisation's or robustness analysis's (their manifest
    and a table: what tells them apart)."""
    if kind in ("run", "sweep"):
        shutil.copytree(run_folder if kind == "run" else sweep_folder, into)
    else:
        into.mkdir()
        (into / f"{kind}.json").write_text(json.dumps({"fingerprint": "another analysis"}))
        (into / f"{kind}.md").write_text("# findings\n")
    return into


@pytest.mark.parametrize(("command", "kind"), [
    (command, kind) for command in WRITERS for kind in ("run", "sweep", "optimise", "robustness")
    if command != kind and not {command, kind} <= {"sweep", "sensitivity"}])  # not a folder a command may resume
def test_a_folder_another_command_wrote_is_refused_naming_what_it_holds(run_folder, sweep_folder, tmp_path, capsys,
                                                                      command, kind):
    """`sim optimise --out` a run's folder said 'is not empty and holds no optimisation', `sim run --out` a sweep's
    'already exists and is not an empty folder': now each says whose results are there, and leaves them be."""
    out = other_command_s_folder(kind, run_folder, sweep_folder, tmp_path / "theirs")
    before = snapshot(out)
    assert main([*command_line(command, tmp_path), "--out", str(out)]) == 2
    captured = capsys.readouterr()
    (line,) = [line for line in captured.err.strip().splitlines() if line.startswith("error:")]
    assert line.startswith(f"error: {out}: --out: ") and f"it holds the results of sim {kind}" in line, line
    assert snapshot(out) == before


def test_a_part_copied_in_from_another_folder_of_the_sweep_is_refused_not_counted_twice(sweep_folder, tmp_path, capsys):
    """Halves of a sweep run on two machines and merged: a part copied in under another name holds runs the folder has
    already. It read as valid and was counted twice ('wrote DIR: 16 runs' of a 12-run sweep, each repeated run weighing
    double in every mean and interval). Every reader refuses it, naming both parts, and a resume writes nothing."""
    from sim.experiments.store import read_dataset

    # a curve's rows are its weeks: read without them, they are no repeats
    assert len(read_dataset(sweep_folder / "curves", ["point", "replicate"])) == len(Sweep(sweep_folder).curves)
    folder = tmp_path / "copy"
    shutil.copytree(sweep_folder, folder)
    part = sorted((folder / "runs").glob("part-*.parquet"))[0]
    for dataset in ("runs", "curves"):
        shutil.copy(folder / dataset / part.name, folder / dataset / "part-29991231000000-0c0pied0.parquet")
    # the first run the copied part repeats: parts named in the same second sort by their random suffix, not by order
    point, replicate = pq.read_table(part, columns=["point", "replicate"]).to_pandas().iloc[0]
    said = (f"error: {folder / 'runs'}: holds run (point {point}, replicate {replicate}) more than once (both "
            f"{part.name} and part-29991231000000-0c0pied0.parquet)")
    with pytest.raises(InputError, match="more than once"):
        analysis.load(folder)
    assert main(["report", str(folder), "--out", str(tmp_path / "report.html")]) == 2
    assert capsys.readouterr().err.startswith(said)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert main(["sweep", str(TINY), "--out", str(folder), "--workers", "1"]) == 2
    assert capsys.readouterr().err.startswith(said)
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_a_recorded_curves_part_gone_missing_is_refused_not_read_as_fewer_curves(sweep_folder, tmp_path, capsys):
    """A curves part deleted (or left out of a copy) while its runs part stayed: the report and the notebooks' loader
    read the curves of 8 runs beside a runs table of 12, without a word. They refuse it; a resume reruns its runs."""
    folder = tmp_path / "copy"
    shutil.copytree(sweep_folder, folder)
    part = sorted((folder / "curves").glob("part-*.parquet"))[0]
    part.unlink()
    with pytest.raises(InputError, match="is missing, though the sweep wrote it"):
        analysis.load(folder)
    assert main(["report", str(folder), "--out", str(tmp_path / "report.html")]) == 2
    assert capsys.readouterr().err.startswith(f"error: {part}: is missing, though the sweep wrote it and its runs part is "
                                              "in runs/")
    assert main(["sweep", str(TINY), "--out", str(folder), "--workers", "1", "--batch", "4"]) == 0
    assert "12 runs (4 to run, 8 already done)" in capsys.readouterr().err
    pd.testing.assert_frame_equal(Sweep(folder).curves, Sweep(sweep_folder).curves)


@pytest.mark.parametrize("command", ["run", "compare"])
def test_a_run_into_a_folder_inside_a_sweep_is_refused_before_it_starts_and_the_sweep_still_reads(tmp_path, capsys,
                                                                                                 command):
    """`sim run --out SWEEP/runs/extra` was written: pandas' read of the sweep's runs/ (EXPERIMENTS.md's recipe) then
    failed on the run's figures, and the sweep's own commands would take the folder for theirs."""
    sweep = tmp_path / "sweep"
    (sweep / "runs").mkdir(parents=True)
    pq.write_table(pa.table({"point": [0], "replicate": [0]}), sweep / "runs" / "part-0.parquet")
    (sweep / "manifest.json").write_text("{}\n")
    out = sweep / "runs" / "extra"
    scenarios = ["baseline"] if command == "run" else ["baseline", "high_stigma"]
    assert main([command, *scenarios, "-r", "1", "--weeks", "5", "--set", "population.community=100", "--out",
                 str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"lies inside the results folder {sweep} of sim sweep" in err, err
    assert not out.exists() and len(pd.read_parquet(sweep / "runs")) == 1


@pytest.mark.parametrize("command", ["sweep", "sensitivity", "calibrate", "robustness", "optimise"])
def test_an_analysis_into_a_folder_inside_a_sweep_is_refused_before_it_starts(tmp_path, capsys, command):
    """`sim sweep --out SWEEP/runs/extra` was accepted as `sim run`'s no longer was, and the documented pandas read of
    the outer sweep's runs/ then failed on the inner sweep's manifest.json: every command that writes a folder refuses
    one inside another command's results."""
    sweep = tmp_path / "sweep"
    (sweep / "runs").mkdir(parents=True)
    pq.write_table(pa.table({"point": [0], "replicate": [0]}), sweep / "runs" / "part-0.parquet")
    (sweep / "manifest.json").write_text("{}\n")
    argv = command_line(command, tmp_path)
    if command == "calibrate":
        (tmp_path / "target.csv").write_text("month,arrest\n1,10.0\n2,15.0\n3,20.0\n")
    refused(capsys, argv, sweep / "runs" / "extra", "--out", f"lies inside the results folder {sweep} of sim sweep")
    assert len(pd.read_parquet(sweep / "runs")) == 1


@pytest.mark.parametrize("command", ["run", "sweep", "report"])
def test_an_out_whose_parent_is_a_link_into_a_results_folder_is_refused_naming_the_link(run_folder, sweep_folder,
                                                                                       tmp_path, capsys, command):
    """`sim run --out LINK/extra`, LINK leading to a sweep's runs/, wrote the run into that runs/ (which pandas then
    failed to read), while `sim report --out LINK/report.html` followed the link and refused it: every --out's folders
    are followed as the system follows them, and one leading into a results folder is refused in one wording."""
    sweep = shutil.copytree(sweep_folder, tmp_path / "sweep")
    link = tmp_path / "scratch"
    link.symlink_to(sweep / "runs")
    before = snapshot(sweep)
    argv = (["report", str(run_folder)] if command == "report" else
            ["run", "baseline", *SMALL, "--no-figures"] if command == "run" else [*command_line(command, tmp_path),
                                                                                "--workers", "1"])
    refused(capsys, argv, link / ("report.html" if command == "report" else "extra"), "--out",
            f"lies inside the results folder {sweep} of sim sweep (the link {link} leads there)")
    assert snapshot(sweep) == before


def test_an_out_beside_a_results_folder_named_through_it_is_not_refused(sweep_folder, tmp_path, capsys):
    """`--out SWEEP/runs/../../mine` names a folder beside the sweep, not in it: it was refused as inside
    'SWEEP/runs/..', a results folder only by the way it was written."""
    sweep = shutil.copytree(sweep_folder, tmp_path / "sweep")
    assert main(["run", "baseline", *SMALL, "--no-figures", "--out", str(sweep / "runs" / ".." / ".." / "mine")]) == 0
    assert (tmp_path / "mine" / "manifest.json").is_file()


def test_a_folder_under_another_project_s_manifest_json_is_not_taken_for_a_results_folder(tmp_path, capsys):
    """A web project or browser extension keeps a manifest.json of its own: a run into a folder below it is not refused
    as 'inside a results folder' (only one sim tells for its own is)."""
    project = tmp_path / "extension"
    project.mkdir()
    (project / "manifest.json").write_text('{"manifest_version": 3, "name": "not sim"}\n')
    out = project / "results" / "run"
    assert main(["run", "baseline", "-r", "1", "--weeks", "5", "--set", "population.community=100", "--out",
                 str(out), "--no-figures"]) == 0
    assert (out / "manifest.json").is_file()
