"""Calibration recovers known parameters from a target the model made itself, resumes from its cache, refuses bad input."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.runner import simulate
from sim.scenarios import load_scenario
from sim.streams import replicate_seed

SMALL = ["population.community=400", "population.released=250", "weeks=60", "release.window_weeks=0"]  # all followed 60 weeks
TRUTH = {"offending.general.base_hazard": 0.006, "supervision.breach_rate": 0.02}
RANGES = ["offending.general.base_hazard=0.001:0.03", "supervision.breach_rate=0.002:0.05"]


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    """Four-weekly arrest and return curves of the model at TRUTH, averaged over seeds the fit never uses."""
    settings = load_scenario("general_offenders", {**dict(s.split("=") for s in SMALL), **TRUTH})
    curves = pd.concat([simulate(settings, replicate_seed(99, r)).curves for r in range(8)])
    mean = curves.groupby("weeks_since_release").mean()
    weeks = np.arange(4, 61, 4)
    path = tmp_path_factory.mktemp("target") / "synthetic.csv"
    pd.DataFrame({"week": weeks, "arrest": 100 * mean.loc[weeks, "reoffended"].to_numpy(),
                  "returned": 100 * mean.loc[weeks, "returned"].to_numpy()}).to_csv(path, index=False)
    return path


def command(target, out, *extra):
    sets = [arg for item in SMALL for arg in ("--set", item)]
    params = [arg for item in RANGES for arg in ("--params", item)]
    return ["calibrate", "general_offenders", "--target", str(target), "--match", "arrest=reoffended",
            "--match", "returned=returned", *params, *sets, "--popsize", "3", "--check-replicates", "6", "--scan-points", "5", "--out", str(out), *extra]


def test_recovers_known_parameters_within_its_interval_and_resumes(target, tmp_path, capsys):
    out = tmp_path / "fit"
    assert main(command(target, out, "--budget", "74", "--workers", "2")) == 0
    fit = pd.read_csv(out / "fit.csv").set_index("parameter")
    for key, true_value in TRUTH.items():
        row = fit.loc[key]
        assert row["low"] <= true_value <= row["high"], f"{key}: {true_value} outside {row['low']}-{row['high']}"
        assert row["low"] <= row["value"] <= row["high"]
        assert row["high"] - row["low"] < 0.5 * (row["search_high"] - row["search_low"])  # the data did narrow it
    calibrated = load_scenario(out / "calibrated.yaml")
    assert calibrated.population.released == 250 and calibrated.weeks == 60
    assert calibrated.offending.general.base_hazard == pytest.approx(fit.loc["offending.general.base_hazard", "value"], rel=1e-4)
    errors = pd.read_csv(out / "errors.csv")
    assert len(errors) == 2 * 15 and {"target", "model_mean", "model_low", "model_high", "error"} <= set(errors.columns)
    # on fresh seeds: 30 points, each with an SD of about 2-3 points (250 people, 2 replicates)
    assert errors["error"].abs().max() < 10
    assert (out / "calibration.png").stat().st_size > 10_000
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["runs"]["new"] + manifest["runs"]["cached"] <= 74 and manifest["runs"]["failed"] == 0

    assert main(command(target, out, "--budget", "74", "--workers", "1")) == 0  # rerun: everything from the cache
    again = json.loads((out / "manifest.json").read_text())
    assert again["runs"]["new"] == 0 and again["runs"]["cached"] == manifest["runs"]["new"] + manifest["runs"]["cached"]
    pd.testing.assert_frame_equal(pd.read_csv(out / "fit.csv"), fit.reset_index())


@pytest.mark.parametrize(("change", "message"), [
    ({"--target": "missing.csv"}, "no such file"),
    ({"--match": "rearrest=reoffended"}, "unknown target column 'rearrest'"),
    ({"--match": "arrest=rearrested"}, "unknown model output 'rearrested'"),
    ({"--params": "supervision.strictnes=0:1"}, "unknown key 'strictnes'"),
    ({"--params": "supervision.breach_rate=0.05:0.001"}, "LOW must be below HIGH"),
    ({"--params": "supervision.breach_rate=0:2"}, "leaves the parameter's allowed values"),
    ({"--params": "supervision.breach_rate=nan:0.1"},  # was 'LOW must be below HIGH'
     "--params supervision.breach_rate: LOW and HIGH must be finite numbers (got nan:0.1)"),
    ({"--params": "supervision.breach_rate=0:inf"}, "LOW and HIGH must be finite numbers (got 0:inf)"),
    ({"--budget": "10"}, "too small"),
    ({"--params": "supervision.breach_rate=0.006:0.009", "--set": "supervision.breach_rate=0.5"},
     "--set supervision.breach_rate: sets supervision.breach_rate, which is being fitted"),
    ({"--set": "supervision.breach_rate=0.01"}, "--set supervision.breach_rate: sets"),  # in the default set
])
def test_bad_input_is_one_clear_error_and_writes_nothing(target, tmp_path, capsys, change, message):
    out = tmp_path / "never"
    options = {"--target": str(target), "--match": "arrest=reoffended", **change}
    if change.get("--target"):
        options["--target"] = str(tmp_path / change["--target"])
    args = ["calibrate", "general_offenders", "--out", str(out), *(item for pair in options.items() for item in pair)]
    assert main(args) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_parameter_the_scenario_never_reads_is_not_fitted():
    """Fitting a parameter the model ignores would search a range that changes nothing and report it as fitted."""
    from sim.calibration.objective import parse_parameters
    from sim.errors import InputError
    from sim.scenarios import load_scenario

    general = load_scenario("general_offenders")  # no violent-extremist people: their profile is never read
    with pytest.raises(InputError, match="not read by the model in general_offenders: it is read only when"):
        parse_parameters(["offending.violent_extremist.base_hazard=0.001:0.01"], general)
    assert [p.key for p in parse_parameters(["offending.general.base_hazard=0.001:0.03"], general)] == [
        "offending.general.base_hazard"]


def test_ctrl_c_mid_generation_keeps_the_runs_already_finished(target, tmp_path, monkeypatch):
    """docs: Ctrl-C ends a calibration with its finished runs kept, so a rerun resumes from them."""
    import sim.calibration.fit as fit
    from sim.calibration.cache import RunCache
    from sim.experiments.engine import InProcess

    class StoppedAfterThree(InProcess):
        def map(self, base, tasks, horizons):
            for done, result in enumerate(super().map(base, tasks, horizons)):
                if done == 3:
                    raise KeyboardInterrupt
                yield result

    monkeypatch.setattr(fit, "open_engine", lambda workers, scheduler: StoppedAfterThree())
    out = tmp_path / "fit"
    assert main(command(target, out, "--budget", "74", "--workers", "1")) == 130
    assert RunCache(out, load_scenario("general_offenders", dict(s.split("=") for s in SMALL))).loaded == 3


def test_its_size_line_gives_the_runs_it_can_make_and_only_for_good_input(target, tmp_path, monkeypatch, capsys):
    """Whole generations fit a budget: say the runs that fit, before any run, and say nothing of a job refused."""
    import sim.calibration.fit as fit

    def stop(workers, scheduler):
        raise KeyboardInterrupt  # stop where the runs would start: the line must already be out

    monkeypatch.setattr(fit, "open_engine", stop)
    assert main(command(target, tmp_path / "fit", "--budget", "80")) == 130
    # 12 runs a generation (6 candidates x 2 replicates), 6 check runs, 2 x 5 x 2 scan runs: 4 generations fit in 80
    assert "calibrate general_offenders: at most 74 model runs (--budget 80: 4 generations" in capsys.readouterr().err
    assert main(command(tmp_path / "missing.csv", tmp_path / "never", "--budget", "80")) == 2
    err = capsys.readouterr().err
    assert "at most" not in err and "no such file" in err


def test_a_folder_given_as_target_is_called_a_folder(tmp_path, capsys):
    """A folder named like the CSV was called 'no such file', sending the user to look for a file that is there."""
    folder = tmp_path / "observed.csv"
    folder.mkdir()
    out = tmp_path / "never"
    args = ["calibrate", "general_offenders", "--target", str(folder), "--match", "arrest=reoffended", "--out", str(out)]
    assert main(args) == 2
    assert capsys.readouterr().err == f"error: {folder}: --target: is a directory (expected a CSV file of observed curves)\n"
    assert not out.exists()


def test_a_resume_with_other_scenario_settings_is_refused_naming_what_differs(tmp_path, capsys):
    """The refusal said only '(other settings)', leaving the user to guess which of their --set differed."""
    target = tmp_path / "target.csv"
    target.write_text("week,arrest\n2,5\n4,10\n")
    out = tmp_path / "fit"
    args = ["calibrate", "general_offenders", "--target", str(target), "--match", "arrest=reoffended",
            "--params", "offending.general.base_hazard=0.001:0.02", "--budget", "20", "--replicates", "1",
            "--check-replicates", "2", "--popsize", "2", "--scan-points", "2", "--workers", "1", "--out", str(out),
            "--set", "weeks=4", "--set", "population.released=30"]
    assert main([*args, "--set", "population.community=100"]) == 0
    def written():  # the folder's lock is taken (and so touched) to read the folder safely
        return {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.name != ".sim.lock"}

    before = written()
    capsys.readouterr()
    assert main([*args, "--set", "population.community=120", "--set", "stigma.baseline=0.7"]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"error: {out}: --out: holds the runs of a calibration of another scenario (population.community 100 there, "
        "120 now; stigma.baseline 0.4 there, 0.7 now) (expected a new folder, or the folder of an earlier calibration "
        "of this scenario)"]
    assert written() == before
