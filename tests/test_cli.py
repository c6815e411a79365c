"""The command line as a user meets it: outputs, reproducibility, exit codes and clean failures."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.counts import LEAST

SMALL = ["--set", "population.community=300", "--set", "population.released=40", "--weeks", "30"]


def sim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "first"
    done = sim("run", "baseline", "high_stigma", "--replicates", "2", *SMALL, "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


def test_run_writes_every_file_with_its_columns(run_dir):
    curves = pd.read_parquet(run_dir / "curves.parquet")
    assert {"scenario", "replicate", "weeks_since_release", "reoffended", "recalled", "returned"} <= set(curves.columns)
    assert set(curves["scenario"]) == {"baseline", "high_stigma"} and set(curves["replicate"]) == {0, 1}
    series = pd.read_parquet(run_dir / "timeseries.parquet")
    assert {"scenario", "replicate", "week", "community_stigma", "experienced_stigma", "employment_rate", "ngo_enrolled",
            "ngo_waitlist", "ngo_willingness", "in_custody"} <= set(series.columns)
    summary = pd.read_csv(run_dir / "summary.csv")
    assert {"scenario", "metric", "week", "mean", "ci_low", "ci_high"} <= set(summary.columns)
    assert (summary["ci_low"] <= summary["mean"] + 1e-12).all() and (summary["mean"] <= summary["ci_high"] + 1e-12).all()
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert {"mesa_version", "numpy_version", "scipy_version", "networkx_version", "python_version", "package_version",
            "git_commit", "scenarios", "seeds", "command",
            "started", "finished"} <= set(manifest)
    assert [s["name"] for s in manifest["scenarios"]] == ["baseline", "high_stigma"]
    assert len(manifest["seeds"]["baseline"]) == 2
    assert {p.name for p in (run_dir / "figures").glob("*.png")} >= {"recidivism_recall.png", "stigma.png"}


def test_same_command_and_seed_give_identical_results(run_dir, tmp_path):
    again = tmp_path / "again"
    done = sim("run", "baseline", "high_stigma", "--replicates", "2", *SMALL, "--out", str(again))
    assert done.returncode == 0, done.stderr
    for name in ("curves.parquet", "timeseries.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(run_dir / name), pd.read_parquet(again / name))


def test_validate_accepts_every_shipped_scenario():
    names = sim("scenarios", "--names").stdout.split()
    assert len(names) >= 11 and names[0] == "baseline"
    done = sim("validate", *names)
    assert done.returncode == 0, done.stderr


BAD_FILES = {
    "malformed.yaml": ("stigma: [0.5\n", "malformed"),
    "unknown.yaml": ("stigma:\n  baseline: 0.5\n  basline: 0.4\n", "stigma.basline"),
    "range.yaml": ("supervision:\n  strictness: 1.5\n", "supervision.strictness"),
    "type.yaml": ("weeks: many\n", "weeks"),
    "parent.yaml": ("extends: no_such_parent\n", "extends"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_scenario_file_is_one_clear_message_exit_2_and_nothing_written(tmp_path, name):
    text, expected = BAD_FILES[name]
    path = tmp_path / name
    path.write_text(text)
    out = tmp_path / "out"
    done = sim("run", str(path), "--out", str(out))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr  # one message, nothing after it
    assert name in lines[0] and expected in lines[0].lower(), lines[0]  # names the file and what is wrong in it
    assert not out.exists()
    assert not list(tmp_path.glob(".out.partial-*"))


@pytest.mark.parametrize("args, expected", [
    (["--set", "supervision.strictness=2"], "supervision.strictness"),
    (["--set", "nonsense"], "--set"),
    (["--set", "ngo.capacityy=1"], "ngo.capacityy"),
    (["--replicates", "0"], "replicates"),
    (["--replicates", "200000"], "--max-runs 200000"),  # sized and refused before a run starts
    (["baseline"], "distinct names"),  # `sim run baseline baseline`: two runs labelled alike would merge
])
def test_bad_command_line_values_exit_2(tmp_path, args, expected):
    done = sim("run", "baseline", *args, "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and expected in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_two_scenarios_of_one_name_are_refused_with_the_advice_to_name_a_copy(tmp_path, capsys):
    """A copy of baseline.yaml (`extends: baseline`, no `name:`) compared with baseline was refused with 'scenarios
    must have distinct names (got baseline, baseline)': the '(got ...)' made the message count as saying what was
    expected, so the advice to give the copy its own `name:` was left off."""
    from sim.cli import main

    copy = tmp_path / "baseline.yaml"
    copy.write_text("extends: baseline\n")
    out = tmp_path / "out"
    assert main(["compare", "baseline", str(copy), "-r", "2", "--out", str(out)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: scenarios: scenarios must have distinct names: more than one is named baseline (baseline and {copy}) "
        "(expected scenarios with different names (give a copy its own `name:`))")
    assert not out.exists()


@pytest.mark.parametrize("argv", [
    ["run", "experiments/stigma_supervision_ngo.yaml"],
    ["compare", "baseline", "stigma_supervision_ngo"],
    ["robustness", "baseline", "stigma_supervision_ngo"],
    ["optimise", "stigma_supervision_ngo", "--budget", "1e6"],
    ["calibrate", "stigma_supervision_ngo", "--target", "sim/data/bjs_2005_30states_monthly.csv", "--match",
     "arrest=reoffended"],
])
def test_an_experiment_given_for_a_scenario_is_named_one_with_the_command_that_runs_it(tmp_path, capsys, monkeypatch,
                                                                                       argv):
    """`sim run experiments/stigma_supervision_ngo.yaml` listed each of the experiment's keys (scenario, replicates,
    overrides, design) as an unknown scenario key, and a shipped experiment's name was an unknown scenario."""
    from sim.cli import main

    monkeypatch.chdir(Path(__file__).parents[1])  # the paths as a reader types them in the checkout

    out = tmp_path / "out"
    assert main([*argv, "--out", str(out)]) == 2
    given = next(word for word in argv[1:] if "stigma_supervision_ngo" in word)
    assert capsys.readouterr().err.strip() == (
        f"error: {given}: is an experiment file, not a scenario (expected a scenario; an experiment runs with "
        f"`sim sweep {given}`)")
    assert not out.exists()


@pytest.mark.parametrize("command", ["sweep", "sensitivity"])
@pytest.mark.parametrize("given", ["high_stigma", "sim/scenarios/high_stigma.yaml"])
def test_a_scenario_given_for_an_experiment_is_named_one_with_the_command_that_runs_it(tmp_path, capsys, monkeypatch,
                                                                                       command, given):
    """`sim sweep high_stigma` said 'no such experiment file', and a scenario's file had each of its sections listed
    as an unknown experiment key."""
    from sim.cli import main

    monkeypatch.chdir(Path(__file__).parents[1])

    out = tmp_path / "out"
    assert main([command, given, "--out", str(out)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: {given}: is a scenario, not an experiment file (expected an experiment file (a scenario runs with "
        f"`sim run {given}`; an experiment names one as its `scenario:` and varies it by a `design:`))")
    assert not out.exists()


def test_validate_points_a_misspelt_experiment_name_to_the_experiment(capsys):
    """`sim validate` takes shipped experiments by name too, but a misspelt one was 'unknown scenario ... expected one
    of baseline, ...': the scenarios alone, none of them close."""
    from sim.cli import main

    assert main(["validate", "stigma_supervison_ngo"]) == 2
    said = capsys.readouterr().err.strip()
    assert said.startswith("error: unknown scenario or experiment 'stigma_supervison_ngo' (did you mean "
                           "'stigma_supervision_ngo'?): expected one of the scenarios baseline, "), said
    assert "the experiments cooperation_levers_sobol, stigma_supervision_ngo, or a path to a YAML file" in said


def test_directory_and_binary_files_are_refused(tmp_path):
    binary = tmp_path / "latin1.yaml"
    binary.write_bytes(b"name: caf\xe9\n")
    for target in (tmp_path, binary):
        done = sim("validate", str(target))
        assert done.returncode == 2 and str(target.name) in done.stderr and "Traceback" not in done.stderr


def test_existing_output_folder_is_not_overwritten(tmp_path):
    out = tmp_path / "taken"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    done = sim("run", "baseline", *SMALL, "--out", str(out))
    assert done.returncode == 2 and (out / "keep.txt").read_text() == "mine"


def test_unknown_command_is_a_usage_error():
    done = sim("fly")
    assert done.returncode == 2 and "Traceback" not in done.stderr


@pytest.mark.parametrize("command, option, least",
                         [(command, option, least) for command, table in LEAST.items() for option, least in table.items()])
def test_a_count_below_its_least_is_a_usage_error_naming_the_option(command, option, least, capsys):
    """Each count the library refuses below its least value (sim.counts.LEAST) the parser refuses first."""
    from sim.cli import main

    code = main([command, option, str(least - 1)])
    error = capsys.readouterr().err
    assert code == 2 and f"argument {option}" in error and f"at least {least} (got {least - 1})" in error


# --- the analyst's conveniences: version, suggestions, every error, events, small sweeps -----------------


def test_version_prints_the_installed_version():
    from importlib.metadata import version

    done = sim("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"sim {version('reintegration-sim')}"


def test_a_misspelt_scenario_name_gets_a_suggestion(tmp_path):
    done = sim("run", "baselin", "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "did you mean 'baseline'?" in done.stderr and "Traceback" not in done.stderr


def test_every_error_in_a_file_is_shown_each_on_its_line(tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text("supervision:\n  strictness: 1.5\n  caseload: 0\nstigma:\n  baseline: -1\n")
    done = sim("validate", str(path))
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 3, done.stderr
    assert all(line.startswith("error: ") for line in lines)
    assert [re.search(r"two\.yaml:(\d+): ([\w.]+)", line).groups() for line in lines] == [
        ("2", "supervision.strictness"), ("3", "supervision.caseload"), ("5", "stigma.baseline")]
    assert "more error" not in done.stderr


def test_an_event_after_the_horizon_is_an_error_naming_its_line(tmp_path):
    path = tmp_path / "late.yaml"
    path.write_text("name: late\nweeks: 20\nevents:\n  - kind: media_shock\n    week: 30\n    label: too late\n")
    done = sim("validate", str(path))
    assert done.returncode == 2 and "late.yaml:5: events[0].week" in done.stderr and "'too late' never fires" in done.stderr


def test_shortening_the_run_past_an_event_warns_once_and_runs(tmp_path):
    done = sim("run", "attack_backlash", *SMALL, "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 2 and all("never fires" in w and "shortened by --weeks" in w for w in warnings)
    assert "attack_backlash.yaml:" in warnings[0] and "Warning" not in done.stderr


@pytest.mark.parametrize("shortened", [["--weeks", "10"], ["--set", "weeks=10"]])
def test_an_event_after_the_files_own_horizon_stays_an_error_when_the_run_is_shortened(tmp_path, shortened):
    """Week 30 of a 20-week file was an error for `sim validate` but only a warning, blamed on --weeks, for a run of
    10 weeks: the file is wrong whatever the horizon, and nothing is run or written."""
    path = tmp_path / "late.yaml"
    path.write_text("name: late\nweeks: 20\nevents:\n  - kind: media_shock\n    week: 30\n    label: too late\n")
    done = sim("run", str(path), *shortened, "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and not (tmp_path / "out").exists()
    assert done.stderr.strip() == (f"error: {path}:5: events[0].week: week 30 is after the scenario's own last week (20), "
                                   "so 'too late' would never fire (expected a week from 1 to 20 (the scenario's weeks))")


@pytest.mark.parametrize("command", [["run", "baseline"], ["compare", "baseline", "ngo_surge"]])
@pytest.mark.parametrize("value", ["abc", "0", "5"])
def test_the_horizon_given_twice_is_refused_not_the_set_value_left_unread(tmp_path, capsys, command, value):
    """`sim run baseline --weeks 3 --set weeks=abc` ran 3 weeks: --weeks replaced the --set value before it was
    checked, so a bad value passed unread (and a good one was silently overruled)."""
    from sim.cli import main

    out = tmp_path / "out"
    assert main([*command, "-r", "1", "--weeks", "3", "--set", f"weeks={value}", "--out", str(out)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: --weeks 3 and --set weeks={value} both set the horizon (expected the horizon given once, as --weeks W "
        "or as --set weeks=W)")
    assert not out.exists()


def test_sweep_takes_set_replicates_and_seed_to_try_a_small_version(tmp_path):
    out = tmp_path / "small"
    done = sim("sweep", "stigma_supervision_ngo", "--set", "population.community=200", "--set", "population.released=20",
               "--set", "weeks=8", "--replicates", "1", "--seed", "7", "--workers", "1", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "27 points x 1 replicate = 27 runs" in done.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["experiment"]["seed"] == 7 and manifest["experiment"]["base_scenario"]["weeks"] == 8
    assert manifest["experiment"]["base_scenario"]["population"]["community"] == 200


@pytest.mark.parametrize("args, expected", [
    (["--set", "supervision.strictness=2"], "--set: supervision.strictness: must be between 0 and 1"),
    (["--set", "seed=3"], "--set: seed: is not a parameter that an experiment can set"),
    (["--replicates", "0"], "expected an integer of at least 1"),
])
@pytest.mark.parametrize("command", ["sweep", "sensitivity"])
def test_sweep_and_sensitivity_refuse_bad_command_line_values(tmp_path, command, args, expected):
    experiment = "stigma_supervision_ngo" if command == "sweep" else "cooperation_levers_sobol"
    done = sim(command, experiment, *args, "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and expected in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()


def test_run_and_compare_say_how_big_the_job_is_before_the_first_run(capsys):
    from sim.runner import run

    run(["baseline", "high_stigma"], replicates=2, overrides={"population.community": 100, "population.released": 20},
        weeks=3, progress=True)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "2 scenarios x 2 replicates = 4 runs (100 community + 20 released, 3 weeks)"
    assert lines[1].strip() == "baseline: replicate 1/2"
    assert [line.split(" (")[0].strip() for line in lines[2:5]] == [
        "baseline: replicate 2/2", "high_stigma: replicate 1/2", "high_stigma: replicate 2/2"]
    assert "to go" not in lines[2] and lines[3].endswith(" to go)") and lines[4].endswith(" to go)")


def test_a_job_of_one_run_is_announced_as_one_run(capsys):
    """`sim run X -r 1` announced '1 scenario x 1 replicate = 1 runs': the count of runs agrees with its noun too."""
    from sim.runner import run

    run("baseline", replicates=1, overrides={"population.community": 100, "population.released": 20}, weeks=3,
        progress=True)
    assert capsys.readouterr().err.splitlines()[0] == (
        "1 scenario x 1 replicate = 1 run (100 community + 20 released, 3 weeks)")


def test_runs_one_after_another_say_their_time_to_go_as_each_starts():
    """The words of ``sim.pace.Pace``'s time to go (the first run, which also loads the compiled rules, not timed)."""
    from sim.pace import Pace
    from sim.runner import to_go

    pace = Pace(50)
    pace.finished(30.0, 10)
    assert to_go(pace) == ""
    pace.finished(32.0, 10)
    assert to_go(pace) == " (about 6 s to go)"  # 0.2 s a unit x (20 + 10)
    pace.finished(38.0, 20)
    assert to_go(pace) == " (about 2.7 s to go)"


def test_command_line_values_name_the_option_the_user_typed(tmp_path):
    done = sim("run", "baseline", "--weeks", "2000", "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "--weeks: weeks:" in done.stderr and "Traceback" not in done.stderr
    done = sim("validate", "baseline", "--set", "extends=high_stigma")  # would be ignored: the parent is already merged
    assert done.returncode == 2 and "extends" in done.stderr and "Traceback" not in done.stderr
    done = sim("validate", "baseline", "--set", "population.community=1000")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "o").exists()


def test_validate_checks_every_file_and_names_each_error(tmp_path):
    (tmp_path / "one.yaml").write_text("name: one\nstigma:\n  baseline: 7\n  prior_spread: 9\n")
    (tmp_path / "two.yaml").write_text("name: two\nsupervision:\n  strictnes: 0.5\n")
    done = sim("validate", str(tmp_path / "one.yaml"), "baseline", str(tmp_path / "two.yaml"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "one.yaml:3: stigma.baseline" in done.stderr and "two.yaml:3: supervision.strictnes" in done.stderr
    assert done.stdout.startswith("ok  baseline")
    lines = done.stderr.strip().splitlines()  # every error of every file, counted right
    assert f"({len(lines) - 1} more below)" in lines[0] and len(lines) == 3


def test_validate_of_a_missing_file_expects_either_kind_of_file_it_takes(tmp_path):
    """sim validate takes scenario and experiment files alike; a missing one was 'expected an existing YAML scenario
    file', as if an experiment file could not be given."""
    done = sim("validate", str(tmp_path / "experiments" / "x.yaml"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (f"error: {tmp_path / 'experiments' / 'x.yaml'}: no such file; expected an existing "
                                   "YAML scenario or experiment file")


def _commands_taking_set(tmp_path: Path) -> dict[str, list[str]]:
    """Each command with --set, with what else it needs to get as far as reading its --set (output into tmp_path/out)."""
    target = tmp_path / "target.csv"
    target.write_text("month,rearrest\n1,10\n")
    out = str(tmp_path / "out")
    return {
        "run": ["run", "baseline", "--out", out],
        "compare": ["compare", "baseline", "high_stigma", "--out", out],
        "validate": ["validate", "baseline"],
        "sweep": ["sweep", "experiments/stigma_supervision_ngo.yaml", "--out", out],
        "sensitivity": ["sensitivity", "experiments/cooperation_levers_sobol.yaml", "--out", out],
        "calibrate": ["calibrate", "baseline", "--target", str(target), "--match", "rearrest=reoffended", "--out", out],
        "robustness": ["robustness", "baseline", "high_stigma", "--out", out],
        "optimise": ["optimise", "baseline", "--budget", "1000", "--out", out],
        "patterns": ["patterns", "--quick", "--out", out],
    }


@pytest.mark.parametrize("command", ["run", "compare", "validate", "sweep", "sensitivity", "calibrate", "robustness",
                                     "optimise", "patterns"])
def test_a_key_set_twice_is_refused_naming_both_values(command, tmp_path, capsys, monkeypatch):
    """--set a=1 --set a=2 silently ran with 2; like a duplicate key in a file, it is refused before any work."""
    from sim.cli import main

    monkeypatch.chdir(Path(__file__).parents[1])
    args = _commands_taking_set(tmp_path)[command]
    code = main([*args, "--set", "stigma.baseline=0.3", "--set", "stigma.baseline=0.4"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == "", captured
    assert captured.err.strip().splitlines() == [
        "error: --set: stigma.baseline: given twice (stigma.baseline=0.3, then stigma.baseline=0.4): the last would "
        "silently replace the first (expected each key once)"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["optimise", "baseline", "--budget", "lots"],
     "argument --budget: expected an amount of money, a positive number such as 250000 (got 'lots')"),
    (["dashboard", "--port", "80a"], "argument --port: expected a port number from 1 to 65535 (got '80a')"),
])
def test_a_number_option_given_text_says_what_it_expected(args, message, tmp_path, capsys):
    """argparse's own 'invalid float value: ...' named no expectation, unlike every other option."""
    from sim.cli import main

    code = main([*args, "--out", str(tmp_path / "out")] if args[0] == "optimise" else args)
    captured = capsys.readouterr()
    assert code == 2 and captured.out == "" and captured.err.strip().splitlines() == [f"error: sim {args[0]}: {message}"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("assignment", "message"), [
    ("events=[]", "events: is a list: --set gives one key one plain value (expected events written in a scenario file)"),
    ("stigma={baseline: 0.3}", "stigma: is a section of keys: --set gives one key one value (expected one key of the "
                               "section at a time, e.g. --set stigma.baseline=...)"),
])
def test_set_of_a_list_or_section_says_how_to_set_it(assignment, message, capsys):
    """These read 'events: expected a list (got '[]')', refusing a list for not being a list."""
    from sim.cli import main

    assert main(["validate", "baseline", "--set", assignment]) == 2
    assert capsys.readouterr().err.splitlines() == [f"error: --set: {message}"]


def test_patterns_refuses_more_runs_than_max_runs_before_starting(tmp_path, capsys):
    """sim patterns --replicates 99999999 announced 1,099,999,989 runs and started them: it alone had no --max-runs."""
    from sim.cli import main

    out = tmp_path / "out"
    assert main(["patterns", "--quick", "--replicates", "99999999", "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.splitlines() == [
        "error: --replicates: 9 arms x 99,999,999 replicates = 899,999,991 model runs, above the limit of 100,000 "
        "(expected --replicates 2 to 11111 (at most 99,999 runs), or --max-runs 899999991 to lift the limit)"]
    assert main(["patterns", "--quick", "--max-runs", "44", "--out", str(out)]) == 2  # 9 arms x 5 = 45
    assert "above the limit of 44" in capsys.readouterr().err and not out.exists()


def test_patterns_write_docs_without_a_docs_folder_is_refused_before_any_run(tmp_path, capsys, monkeypatch):
    """An installed package has no docs/ beside it: --write-docs ran the full validation, minutes, and then failed
    with 'internal error: FileNotFoundError'."""
    import sim.patterns
    from sim.cli import main

    docs = tmp_path / "site-packages" / "docs"
    monkeypatch.setattr(sim.patterns, "DOCS", docs / "VALIDATION.md")
    out = tmp_path / "out"
    code = main(["patterns", "--write-docs", "--max-runs", "1", "--out", str(out)])  # --max-runs: never a full run here
    captured = capsys.readouterr()
    assert code == 2 and captured.out == "" and captured.err.splitlines() == [
        f"error: --write-docs: replaces VALIDATION.md and img/validation_*.png in {docs}, but {docs} is not a folder "
        "(expected a source checkout of reintegration-sim (with its docs/img/ folder), or no --write-docs)"]
    assert not out.exists() and not docs.exists()


@pytest.mark.parametrize("command", ["sweep", "sensitivity", "calibrate", "robustness", "optimise", "patterns"])
def test_more_workers_than_the_machine_can_start_is_refused_before_any_work(command, tmp_path, capsys, monkeypatch):
    """--workers 100000 started a local cluster that never finished starting, and held Ctrl-C and SIGTERM until
    it did: the command hung for good."""
    import os

    from sim.cli import main

    monkeypatch.chdir(Path(__file__).parents[1])
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    args = _commands_taking_set(tmp_path)[command]
    code = main([*args, "--workers", "100000"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == "", captured
    assert captured.err.splitlines() == ["error: --workers: 100,000 local worker processes on 2 cores: expected at most "
                                         "16 (8 per core), or --scheduler for a cluster's workers"]
    assert not (tmp_path / "out").exists()


def test_a_share_nobody_is_left_to_measure_is_said_to_be_so_not_printed_as_nan(tmp_path):
    """When everyone reoffends within weeks, no replicate has anyone at risk of recall at the last horizon: `sim run`
    printed "nan%" there, and the report's headline table too; a comparison's Kaplan-Meier figure printed scipy's
    warning that its interval is undefined once everyone has had the event."""
    everyone = ["--set", "weeks=52", "--set", "population.community=300", "--set", "population.released=20",
                "--set", "offending.violent_extremist.base_hazard=1"]
    done = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-m", "sim", "run", "baseline", "-r", "2",
                           *everyone, "--out", str(tmp_path / "run")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "nan" not in done.stdout
    assert "recalled          at  52 weeks: n/a (no replicate has anyone left at risk this long after release)" in done.stdout
    assert sim("report", str(tmp_path / "run")).returncode == 0
    report = (tmp_path / "run" / "report.html").read_text()
    assert "nan%" not in report and "n/a (no replicate has anyone left at risk this long after release)" in report
    done = sim("compare", "baseline", "high_stigma", "-r", "1", *everyone, "--out", str(tmp_path / "cmp"))
    assert done.returncode == 0 and "warning" not in done.stderr, done.stderr


def test_a_run_too_short_for_anyone_to_be_followed_says_so_and_warns_of_nothing(tmp_path):
    """A one-week run printed no headline at all, and pandas' warning that `bool | str` will raise in pandas 4."""
    done = subprocess.run([sys.executable, "-W", "error", "-m", "sim", "run", "baseline", "--set", "weeks=1",
                           "--set", "population.community=300", "--set", "population.released=20", "-r", "2",
                           "--no-figures", "--out", str(tmp_path / "run")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "nobody was followed a whole week after release: no share to show (run more weeks)" in done.stdout


def test_a_reader_that_stops_reading_does_not_stop_the_work(tmp_path):
    """`sim run ... 2>&1 | head -1` closed the pipe at the second progress line: the command died of it half-way and
    exited 0 with no results. Now what it says is dropped once nobody reads it, and the results are written."""
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "sim", "run", "baseline", "-r", "2", "--weeks", "10", "--set",
                                "population.community=300", "--no-figures", "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path)
    assert process.stdout.readline().startswith("1 scenario x 2 replicates")
    process.stdout.close()  # the reader leaves, as `head -1` does
    assert process.wait(timeout=300) == 0
    assert len(pd.read_csv(out / "summary.csv")) and (out / "manifest.json").is_file()


@pytest.mark.parametrize("full", ["stdout", "stderr"])
def test_a_stream_that_cannot_be_written_ends_the_command_with_one_line_and_exit_2_its_results_written(tmp_path, full):
    """`sim run ... > /dev/full` wrote its results, then ended in an internal error, exit 1. What it says is dropped
    once its stream cannot be written; the results are written, and it ends with exit 2 and one line on stderr (if
    stderr is the full one, none)."""
    out = tmp_path / "out"
    with open("/dev/full", "w") as device:
        done = subprocess.run([sys.executable, "-m", "sim", "run", "baseline", "-r", "1", "--weeks", "10", "--set",
                               "population.community=300", "--no-figures", "--out", str(out)], text=True, timeout=300,
                              cwd=tmp_path, **{full: device, "stdout" if full == "stderr" else "stderr": subprocess.PIPE})
    assert done.returncode == 2
    if full == "stdout":
        assert done.stderr.strip().splitlines()[-1] == (
            "error: standard output could not be written (No space left on device): what the command said there is "
            "lost; the files it writes are not affected")
        assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    else:
        assert "wrote " in done.stdout
    assert len(pd.read_csv(out / "summary.csv")) and (out / "manifest.json").is_file()


NOT_DECIMAL = [  # how PyYAML (YAML 1.1) read each before it was refused: a different model, run without a word
    ("0500", "'0500' has a leading zero, which YAML 1.1 reads as octal: 320", ", e.g. 500"),  # printf %04d: 320 people
    ("8:20", "'8:20' is a number in base 60 in YAML 1.1 (500) and text in YAML 1.2", ""),
    ("0x1F", "'0x1F' is written in hexadecimal", ", e.g. 31"),
    ("0o17", "'0o17' is written in octal", ", e.g. 15"),  # text in YAML 1.1, 15 in YAML 1.2
    ("1_000", "'1_000' has digit separators, which YAML 1.1 drops and YAML 1.2 reads as text", ", e.g. 1000"),
]
DECIMAL = "a decimal number without leading zeros or digit separators"


def community_written(where: str, value: str, tmp_path: Path, out: Path) -> tuple[list[str], str, Path]:
    """`population.community: VALUE` written `where` (a scenario file, an experiment file, or --set of sim run, sweep or
    validate): the command that reads it, how its refusal names the place, and the scenario file."""
    scenario, experiment = tmp_path / "mine.yaml", tmp_path / "exp.yaml"
    scenario.write_text(f"extends: general_offenders\npopulation:\n  community: {value}\n")
    experiment.write_text(Path("experiments/stigma_supervision_ngo.yaml").read_text()
                          .replace("population.community: 3000", f"population.community: {value}"))
    args, where_said = {
        "scenario file": (["validate", str(scenario)], f"{scenario}:3: population.community"),
        "experiment file": (["validate", str(experiment)], f"{experiment}:12: overrides.population.community"),
        "--set run": (["run", "general_offenders", "--set", f"population.community={value}", "-r", "1", "--out", str(out)],
                      "--set: population.community"),
        "--set sweep": (["sweep", "stigma_supervision_ngo", "--set", f"population.community={value}", "--workers", "1",
                         "--out", str(out)], "--set: population.community"),
        "--set validate": (["validate", "baseline", "--set", f"population.community={value}"], "--set: population.community"),
    }[where]
    return args, where_said, scenario


@pytest.mark.parametrize(("value", "said", "example"), NOT_DECIMAL, ids=[case[0] for case in NOT_DECIMAL])
@pytest.mark.parametrize("where", ["scenario file", "experiment file", "--set run", "--set sweep", "--set validate"])
def test_a_number_not_written_in_plain_decimal_is_refused_where_it_was_written(where, value, said, example, tmp_path,
                                                                               capsys, monkeypatch):
    """`population.community: 0500` (or --set population.community=0500) ran 320 people: YAML 1.1 reads a leading zero
    as octal, and `8:20` in base 60. Each is refused on one line naming the file, line and key, exit 2, nothing written;
    sim validate refuses it too."""
    from sim.cli import main

    monkeypatch.chdir(Path(__file__).parents[1])
    out = tmp_path / "out"
    args, where_said, scenario = community_written(where, value, tmp_path, out)
    hint = ", or in quotes if it is text" if where.endswith("file") else ""
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == [f"error: {where_said}: {said} (expected {DECIMAL}{example}{hint})"]
    assert not out.exists()
    if where == "scenario file":  # also when a file run names it
        assert main(["run", str(scenario), "-r", "1", "--out", str(out)]) == 2 and not out.exists()
        assert f"{scenario}:3: population.community: {said}" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["1e3", "1000.0"])
@pytest.mark.parametrize("where", ["scenario file", "experiment file", "--set run", "--set sweep", "--set validate"])
def test_an_integer_key_refuses_a_number_with_a_point_or_exponent_wherever_it_is_written(where, value, tmp_path, capsys,
                                                                                        monkeypatch):
    """`--set population.community=1e3` ran 1000 people while `community: 1e3` in a scenario file was refused: one
    rule decides for both, an integer key takes an integer as written, refused on one line with the integer meant."""
    from sim.cli import main

    monkeypatch.chdir(Path(__file__).parents[1])
    out = tmp_path / "out"
    args, where_said, _ = community_written(where, value, tmp_path, out)
    assert main(args) == 2
    (said,) = capsys.readouterr().err.strip().splitlines()
    assert said == (f"error: {where_said}: expected an integer (got 1000.0): write 1000, without a decimal point or "
                    "exponent")
    assert not out.exists()


@pytest.mark.parametrize(("written", "read"), [("500", 500), ("-3", -3), ("+5", 5), ("0", 0), ("0.25", 0.25), (".5", 0.5),
                                               ("5.", 5.0), ("1e-4", 1e-4), ("2.5E+3", 2500.0), ("'0500'", "0500"),
                                               ("007 agents", "007 agents"), ("8:20 am", "8:20 am")])
def test_plain_decimal_numbers_and_text_read_as_written(written, read):
    """The rule refuses only values YAML would read as a number not written in plain decimal: a quoted value, or text
    that merely begins with digits, stays text."""
    from sim.scenarios.safe_yaml import parse_yaml

    value = parse_yaml(f"key: {written}\n")[0]["key"]
    assert value == read and type(value) is type(read)


@pytest.mark.parametrize("command", ["run", "compare"])
def test_results_too_big_for_the_disk_free_are_refused_after_the_first_replicate(tmp_path, capsys, monkeypatch, command):
    """sim run/compare write their results only at the end: a job whose files the disk of --out could not hold learnt
    it after all its runs. The first replicate's tables, measured as Parquet, tell; more than the free space of
    --out's file system is refused then, naming --out, the estimate and the free space, with nothing written."""
    from sim import headroom
    from sim.cli import main

    asked = []
    monkeypatch.setattr(headroom, "free_disk", lambda path: asked.append(path) or 2**20)  # 1 MB free
    out = tmp_path / "not" / "yet" / "out"
    scenarios = ["baseline"] if command == "run" else ["baseline", "high_stigma"]
    assert main([command, *scenarios, "-r", "300", "--weeks", "5", "--set", "population.community=300", "--no-figures",
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"error: {out}: --out: would write about ")
    assert "more than the 1 MB free on its file system" in err[-1] and "replicate 2/300" not in "\n".join(err)
    assert asked == [out] and not (tmp_path / "not").exists()
    monkeypatch.setattr(headroom, "free_disk", lambda path: 2**40)
    assert main([command, *scenarios, "-r", "2", "--weeks", "5", "--set", "population.community=300", "--no-figures",
                 "--out", str(out)]) == 0


def test_free_disk_is_that_of_the_nearest_existing_folder_of_a_new_out(tmp_path):
    import shutil

    from sim.headroom import free_disk

    assert abs(free_disk(tmp_path / "a" / "b") - shutil.disk_usage(tmp_path).free) < 2**26


def test_a_run_too_big_for_the_memory_free_is_refused_after_its_first_replicate(tmp_path, capsys, monkeypatch):
    """`sim run ... -r 5000` of 200,000 released started with no word of memory and ended hours later in a
    MemoryError, exit 1: a run keeps every replicate until it writes them. The first replicate tells how much one
    holds; more than the memory free is refused then, on one line, before the others run."""
    from sim import headroom
    from sim.cli import main

    monkeypatch.setattr(headroom, "available_memory", lambda: 50 * 2**20)  # 50 MB free
    out = tmp_path / "out"
    assert main(["run", "baseline", "-r", "400", "--weeks", "5", "--set", "population.community=300", "--no-figures",
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: --replicates: would hold about ")
    assert "more than the 50 MB this machine has free" in err[-1] and "replicate 2/400" not in "\n".join(err)
    assert not out.exists()
    monkeypatch.setattr(headroom, "available_memory", lambda: 2**40)
    assert main(["run", "baseline", "-r", "2", "--weeks", "5", "--set", "population.community=300", "--no-figures",
                 "--out", str(out)]) == 0


def test_run_prints_terrorism_offences_only_for_a_cohort_holding_violent_extremist_people(tmp_path, capsys):
    """A general cohort commits no terrorism offence by construction: `sim run` prints no 0.0% terrorism row for it,
    beside the row of a scenario whose cohort holds violent-extremist people (``sim.curves.commits_terrorism``)."""
    from sim.cli import main

    small = ["--set", "population.community=300", "--set", "population.released=40", "--weeks", "60"]  # shares at 52 weeks
    assert main(["run", "general_offenders", "baseline", *small, "--no-figures", "--out", str(tmp_path / "run")]) == 0
    printed = [line.split()[:2] for line in capsys.readouterr().out.splitlines() if " at " in line]
    assert ["baseline", "terrorism_offence"] in printed
    assert ["general_offenders", "reoffended"] in printed and ["general_offenders", "terrorism_offence"] not in printed
