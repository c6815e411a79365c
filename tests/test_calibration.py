"""Calibration recovers known parameters from a target the model made itself, resumes from its cache, refuses bad input."""

from __future__ import annotations

import json
from pathlib import Path

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
    # the values fitted are marked so (sim robustness holds them), each with its target; a --set value is not
    assert set(calibrated.fitted) >= set(TRUTH) and "population.released" not in calibrated.fitted
    assert calibrated.fit_of("offending.general.base_hazard") == (f"fitted in calibrated.yaml to {target.name}, arrest vs "
                                                                  "reoffended, returned vs returned, by sim calibrate")
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


def test_the_same_fit_in_a_new_folder_gives_the_same_numbers(target, tmp_path):
    """Same seed, no cache to read: the search's candidates, the best fit, its interval and errors are drawn again alike."""
    for name in ("first", "again"):
        assert main(command(target, tmp_path / name, "--budget", "40", "--workers", "1", "--seed", "3")) == 0
    for name in ("fit.csv", "candidates.csv", "errors.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "again" / name), pd.read_csv(tmp_path / "first" / name))


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
    # a malformed pair shows the form with an example, as `--set` does: '(got ...)' left the example of `expected` off
    ({"--match": "arrest"}, "--match: expected COLUMN=OUTPUT, e.g. arrest=reoffended (got 'arrest')"),
    ({"--params": "supervision.breach_rate"},
     "--params: expected KEY=LOW:HIGH, e.g. supervision.breach_rate=0.001:0.05 (got 'supervision.breach_rate')"),
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


def test_ctrl_c_mid_generation_keeps_the_runs_already_finished_and_says_how_many(target, tmp_path, monkeypatch, capsys):
    """docs: Ctrl-C ends a calibration with its finished runs kept, so a rerun resumes from them. It said only 'a sweep
    or calibration keeps its finished runs', where a stopped sweep says how many runs its folder holds and to rerun
    the same command."""
    import sim.calibration.fit as fit
    from sim.calibration.cache import RunCache
    from sim.experiments.engines import InProcess

    class StoppedAfterThree(InProcess):
        def map(self, base, tasks, horizons):
            for done, result in enumerate(super().map(base, tasks, horizons), start=1):  # the first, timed alone
                if done == 3:
                    raise KeyboardInterrupt
                yield result

    monkeypatch.setattr(fit, "open_engine", lambda workers, scheduler: StoppedAfterThree())
    out = tmp_path / "fit"
    assert main(command(target, out, "--budget", "74", "--workers", "1")) == 130
    assert RunCache(out, load_scenario("general_offenders", dict(s.split("=") for s in SMALL))).loaded == 3
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"interrupted: {out} keeps 3 finished runs in its cache (nothing half-written): rerun the same command to "
        "re-use them and go on")
    monkeypatch.setattr(fit, "open_engine", stop_before_the_runs)
    assert main(command(target, tmp_path / "new", "--budget", "74")) == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"interrupted: no run had finished, so {tmp_path / 'new'} caches none (nothing half-written): rerun the same "
        "command to start again")


def test_its_size_line_gives_the_runs_it_can_make_and_only_for_good_input(target, tmp_path, monkeypatch, capsys):
    """Whole generations fit a budget: say the runs that fit, before any run, and say nothing of a job refused."""
    import sim.calibration.fit as fit

    def stop(workers, scheduler):
        raise KeyboardInterrupt  # stop where the runs would start: the line must already be out

    monkeypatch.setattr(fit, "open_engine", stop)
    assert main(command(target, tmp_path / "fit", "--budget", "80")) == 130
    # 12 runs a generation (6 candidates x 2 replicates), 6 check runs, 2 x 5 x 2 scan runs: 4 generations fit in 80
    assert "calibrate general_offenders: at most 74 model runs (--budget 80: 4 generations" in capsys.readouterr().err
    assert main(command(target, tmp_path / "one", "--budget", "40")) == 130  # 12 + 6 + 20 runs: one generation
    assert "at most 38 model runs (--budget 40: 1 generation, 6 check runs" in capsys.readouterr().err
    assert main(command(tmp_path / "missing.csv", tmp_path / "never", "--budget", "80")) == 2
    err = capsys.readouterr().err
    assert "at most" not in err and "no such file" in err


def test_a_resume_with_other_scenario_settings_names_what_differs(target, tmp_path, capsys):
    """A folder holds runs of one scenario's settings: a rerun with another --set is refused naming the setting."""
    from sim.calibration.cache import RunCache

    out = tmp_path / "fit"
    RunCache(out, load_scenario("general_offenders", dict(s.split("=") for s in SMALL)))  # as a first run leaves it
    changed = [arg if arg != "population.released=250" else "population.released=300" for arg in command(target, out)]
    assert main([*changed, "--budget", "74"]) == 2
    err = capsys.readouterr().err
    assert "holds the runs of a calibration with other scenario settings: population.released 250 there, 300 now" in err
    assert "Traceback" not in err and sorted(p.name for p in (out / "cache").iterdir()) == ["scenario.json"]


def stop_before_the_runs(workers, scheduler):
    raise KeyboardInterrupt  # where the runs would start: input not refused by then is accepted


def test_a_target_that_is_not_0_at_release_is_refused_naming_the_cell(tmp_path, monkeypatch, capsys):
    """Month 0 is the day of release: a value there means the months are off by one, and was silently dropped."""
    import sim.calibration.fit as fit

    monkeypatch.setattr(fit, "open_engine", stop_before_the_runs)
    path = tmp_path / "counted_from_0.csv"
    path.write_text("month,arrest\n0,8.0\n1,12.2\n2,16.7\n")
    out = tmp_path / "never"
    assert main(["calibrate", "general_offenders", "--target", str(path), "--match", "arrest=reoffended",
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:2: arrest: is 8.0 at month 0, the day of release, where every first-event curve is 0" in err
    assert "Traceback" not in err and not out.exists()


def test_a_target_in_shares_rather_than_percentages_is_warned_of_before_the_runs(tmp_path, monkeypatch, capsys):
    """analysis.bjs_target() gives shares (0-1); written to a CSV they would be fitted as percentages a hundred times too low."""
    import sim.calibration.fit as fit

    monkeypatch.setattr(fit, "open_engine", stop_before_the_runs)
    shares = tmp_path / "shares.csv"
    shares.write_text("week,arrest\n0,0\n4,0.08\n8,0.122\n")
    args = ["calibrate", "general_offenders", "--match", "arrest=reoffended", "--set", "weeks=20",
            "--params", "offending.general.base_hazard=0.01:0.03", "--out"]
    assert main([*args, str(tmp_path / "a"), "--target", str(shares)]) == 130
    assert (f"warning: {shares}: every value is at most 1, read as percentages (1 = 1% of the cohort); if they are "
            "shares of the cohort (0-1), multiply them by 100") in capsys.readouterr().err
    percent = tmp_path / "percent.csv"
    percent.write_text("week,arrest\n0,0\n4,8\n8,12.2\n")
    assert main([*args, str(tmp_path / "b"), "--target", str(percent)]) == 130
    assert "warning" not in capsys.readouterr().err


def test_the_fitted_scenario_and_its_report_say_which_data_which_seed_and_what_the_check_is(tmp_path, capsys):
    """Provenance: calibrated.yaml, manifest.json and `sim report` name the target's sha256 and the root seed, say
    that the fresh-seed check re-uses the fitted points (nothing held out) and whether the search converged."""
    import hashlib

    target = tmp_path / "mine.csv"
    target.write_text("week,arrest\n0,0\n4,8\n8,13\n")
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    out = tmp_path / "fit"
    assert main(["calibrate", "general_offenders", "--target", str(target), "--match", "arrest=reoffended",
                 "--params", "offending.general.base_hazard=0.01:0.03", "--set", "population.community=300",
                 "--set", "population.released=60", "--set", "weeks=10", "--popsize", "2", "--replicates", "1",
                 "--check-replicates", "2", "--scan-points", "2", "--budget", "9", "--seed", "7", "--workers", "1",
                 "--out", str(out)]) == 0
    header = (out / "calibrated.yaml").read_text()
    assert f"sha256 {digest[:16]}, root seed 7." in header and "nothing was held out of the fit" in header
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["target_sha256"] == digest and manifest["target_file"] == str(target.resolve())
    assert main(["report", str(out)]) == 0
    text = (out / "report.html").read_text()
    assert f"Fitted to mine.csv (sha256 {digest[:16]}) with root seed 7." in text  # by its name: no machine path
    assert str(tmp_path) not in text
    assert "The search stopped at its budget after 1 generation, before differential evolution converged" in text
    assert "nothing of the target was held out of the fit" in text


def test_the_calibration_notebook_and_its_doc_describe_the_fit_it_makes():
    """docs/NOTEBOOKS.md gives the runs notebook 05's fit makes, and both describe its intervals as fit.py makes them
    (under the 97.5th percentile of the replicate noise, not 'twice the replicate noise')."""
    import inspect
    from pathlib import Path

    import nbformat

    from sim.calibration.fit import calibrate, plan

    root = Path(__file__).resolve().parent.parent
    notebook = nbformat.read(root / "notebooks" / "05_calibration.ipynb", as_version=4)
    values: dict = {}
    exec(next(c.source for c in notebook.cells if "parameters" in c.metadata.get("tags", [])), values)  # noqa: S102
    call = next(c.source for c in notebook.cells if "calibrate(" in c.source and c.cell_type == "code")
    assert "replicates=1, check_replicates=3, popsize=3," in call and "scan_points" not in call
    scan = inspect.signature(calibrate).parameters["scan_points"].default
    _, most = plan(values["FIT_BUDGET"], len(values["FIT_PARAMS"]), 1, 3, 3, scan)
    row = next(line for line in (root / "docs" / "NOTEBOOKS.md").read_text().splitlines() if "`05_calibration`" in line)
    assert f"at most {most} runs of {values['FIT_SIZE']['population.released']} people" in row
    text = "\n".join(c.source for c in notebook.cells)
    for described in (row, text):
        assert "twice the" not in described and "97.5" in described


def test_finished_runs_are_on_disk_during_a_generation_so_a_kill_9_loses_few(target, tmp_path, monkeypatch):
    """kill -9 runs no cleanup: the runs of an unfinished generation must already be written, not kept until its end."""
    import sim.calibration.fit as fit
    from sim.experiments.engines import InProcess

    on_disk = []

    class KilledAfterThree(InProcess):
        def map(self, base, tasks, horizons):
            for done, result in enumerate(super().map(base, tasks, horizons)):
                if done == 3:
                    on_disk.append(sorted((tmp_path / "fit" / "cache").glob("part-*.parquet")))
                    raise SystemExit(137)  # as far as the files on disk go, what kill -9 leaves
                yield result

    monkeypatch.setattr(fit, "open_engine", lambda workers, scheduler: KilledAfterThree())
    monkeypatch.setattr(fit, "FLUSH_SECONDS", 0.0, raising=False)  # a generation that has run longer than the flush interval
    with pytest.raises(SystemExit):
        main(command(target, tmp_path / "fit", "--budget", "74", "--workers", "1"))
    assert len(on_disk[0]) >= 1, "no run of the unfinished generation was on disk"


def _tiny_calibration(tmp_path, column: str, curve: str):
    """`sim calibrate` of general_offenders' base hazard to a two-point target in `column`, matched to `curve`, at
    the smallest size: the folder it wrote."""
    out = tmp_path / "fit"
    assert main(_tiny_arguments(tmp_path, column, curve, out)) == 0
    return out


def _tiny_arguments(tmp_path, column: str, curve: str, out) -> list[str]:
    """The command line of ``_tiny_calibration`` into `out`."""
    target = tmp_path / "mine.csv"
    target.write_text(f"week,{column}\n4,8\n8,13\n")
    return ["calibrate", "general_offenders", "--target", str(target), "--match", f"{column}={curve}",
            "--params", "offending.general.base_hazard=0.01:0.03", "--set", "population.community=300",
            "--set", "population.released=60", "--set", "weeks=10", "--popsize", "2", "--replicates", "1",
            "--check-replicates", "2", "--scan-points", "2", "--budget", "9", "--workers", "1", "--out", str(out)]


def test_intervals_of_no_width_are_not_shown_as_exact_values(tmp_path, monkeypatch, capsys):
    """When the fresh-seed noise estimate lies below the search's best score the threshold is 0 and an interval holds
    only the candidates that tied with the best (often the value alone): the command and the report must say that
    this is no precision, with or without ties (a tiny cohort's discrete curves tie often)."""
    import sim.calibration.fit as fit

    monkeypatch.setattr(fit, "replicate_noise", lambda *args, **kwargs: (0.0, 0.0))  # noise below any score
    out = _tiny_calibration(tmp_path, "arrest", "reoffended")
    assert "note: the intervals hold only candidates that scored exactly the best, which does not make the values " \
           "exact" in capsys.readouterr().out
    assert main(["report", str(out)]) == 0
    assert "The intervals hold only candidates that scored exactly the best, which does not make the values exact" in \
        (out / "report.html").read_text()


def test_a_search_range_beyond_the_documented_plausible_range_is_warned_of_before_the_runs(target, tmp_path, monkeypatch,
                                                                                          capsys):
    import sim.calibration.fit as fit

    monkeypatch.setattr(fit, "open_engine", stop_before_the_runs)
    args = ["calibrate", "general_offenders", "--target", str(target), "--match", "arrest=reoffended",
            "--set", "weeks=60", "--params", "offending.general.base_hazard=0.001:0.03"]
    assert main([*args, "--params", "reintegration.needs_capability=0:1", "--out", str(tmp_path / "a")]) == 130
    assert ("warning: --params reintegration.needs_capability: range 0:1 reaches beyond the parameter's plausible range "
            "0.25 to 0.75 (docs/PARAMETERS.md)") in capsys.readouterr().err
    assert main([*args, "--params", "reintegration.needs_capability=0.3:0.7", "--out", str(tmp_path / "b")]) == 130
    assert "warning" not in capsys.readouterr().err


def test_popsize_help_says_how_many_candidates_a_generation_holds(capsys):
    """--help said 'candidates per generation per parameter', but one parameter at --popsize 2 gives 5 (scipy's
    floor): the help and the budget's count must tell the same rule."""
    from sim.calibration.fit import MIN_POPULATION, plan
    from sim.errors import InputError

    with pytest.raises(SystemExit):
        main(["calibrate", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert f"K x the number of parameters, but at least {MIN_POPULATION}" in said
    with pytest.raises(InputError, match=f"one generation of {MIN_POPULATION} candidates x 1 replicates"):
        plan(1, 1, 1, 2, 2, 2)  # one parameter at --popsize 2
    with pytest.raises(InputError, match="one generation of 9 candidates x 1 replicates"):
        plan(1, 3, 1, 2, 3, 2)  # three at --popsize 3


def test_the_target_format_is_documented_where_the_help_says(capsys):
    from pathlib import Path

    with pytest.raises(SystemExit):
        main(["calibrate", "--help"])
    assert "(format: docs/EXPERIMENTS.md, Calibrate)" in " ".join(capsys.readouterr().out.split())
    text = (Path(__file__).resolve().parent.parent / "docs" / "EXPERIMENTS.md").read_text()
    section = text.split("## Calibrate\n", 1)[1].split("\n## ", 1)[0]
    for rule in ("cumulative percentages of the cohort", "`month` or `week`", "time 0 is the day of release",
                 "naming the settings that differ", "not how the model does on data held",
                 "`--holdout-from MONTH` (a week for a target by week) fits only the target's points before MONTH"):
        assert rule in " ".join(section.split())


def test_a_fit_whose_candidates_all_score_alike_says_it_says_nothing(tmp_path, capsys):
    """general_offenders never commits a terrorism offence: fitted to it, every candidate scores the same, and the
    result must not read as a fit (nor as intervals of ties with the best, which they are not)."""
    out = _tiny_calibration(tmp_path, "attacks", "terrorism_offence")
    printed = capsys.readouterr().out
    assert "note: all 7 candidates scored 13.00 points alike: the parameters searched do not move the matched curves" in printed
    assert "scored exactly the best" not in printed
    assert main(["report", str(out)]) == 0
    assert "Every candidate scored alike: the parameters searched do not move the matched curves" in (
        out / "report.html").read_text()


def small_calibration(tmp_path: Path, *extra: str) -> tuple[list[str], Path]:
    """A calibration of a few seconds to a two-point target of the user's, and its folder."""
    target = tmp_path / "mine.csv"
    target.write_text("week,arrest\n4,8\n8,13\n")
    out = tmp_path / "fit"
    return ["calibrate", "general_offenders", "--target", str(target), "--match", "arrest=reoffended",
            "--set", "population.community=300", "--set", "population.released=60", "--set", "weeks=10",
            "--popsize", "2", "--replicates", "1", "--check-replicates", "2", "--scan-points", "2", "--budget", "9",
            *extra, "--workers", "1", "--out", str(out)], out


def test_a_rerun_asked_otherwise_says_what_differs_and_that_the_results_are_replaced(tmp_path, monkeypatch, capsys):
    """A rerun with another target, ranges or seed re-uses the cached runs (documented) and replaces the results:
    it says so, naming what differs, before the runs."""
    import sim.calibration.fit as fit

    args, out = small_calibration(tmp_path)
    assert main([*args, "--params", "offending.general.base_hazard=0.01:0.03"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(fit, "open_engine", stop_before_the_runs)
    assert main([*args, "--params", "offending.general.base_hazard=0.01:0.03"]) == 130
    assert "asked otherwise" not in capsys.readouterr().err  # the same calibration: a plain resume
    assert main([*args, "--params", "offending.general.base_hazard=0.01:0.02", "--seed", "5"]) == 130
    assert (f"note: {out} holds the results of a calibration asked otherwise (--params offending.general.base_hazard "
            f"0.01:0.03 there, 0.01:0.02 now; --seed {load_scenario('general_offenders').seed} there, 5 now): its cached runs are re-used, and its "
            "results are replaced when this one ends") in capsys.readouterr().err


def test_a_rerun_refuses_to_replace_an_edited_calibrated_yaml(tmp_path, capsys):
    """A rerun replaced calibrated.yaml (the scenario users are told to run) after the user edited it, exit 0 and no
    word: it is now refused before the runs, naming the file, and left as it is."""
    args, out = small_calibration(tmp_path, "--params", "offending.general.base_hazard=0.01:0.03")
    assert main(args) == 0
    assert main(args) == 0  # untouched: replaced as before
    with open(out / "calibrated.yaml", "a") as edited:
        edited.write("# mine\n")
    capsys.readouterr()
    assert main(args) == 2
    (said,) = capsys.readouterr().err.strip().splitlines()
    assert said.startswith(f"error: {out / 'calibrated.yaml'}: --out: was changed since sim calibrate wrote it")
    assert (out / "calibrated.yaml").read_text().endswith("# mine\n")


def test_its_manifest_records_each_set_value_as_read(tmp_path):
    """manifest.json recorded `--set stigma.baseline=5e-1` as the text '5e-1' (sim sweep's manifest records 0.5), so a
    script rebuilding the fit from it got a string, not the number the runs used."""
    args, out = small_calibration(tmp_path, "--params", "offending.general.base_hazard=0.01:0.03",
                                  "--set", "stigma.baseline=5e-1")
    assert main(args) == 0
    overrides = json.loads((out / "manifest.json").read_text())["settings"]["overrides"]
    assert overrides == {"population.community": 300, "population.released": 60, "weeks": 10, "stigma.baseline": 0.5}
    assert [type(value) for value in overrides.values()] == [int, int, int, float]


def test_a_folder_given_as_target_is_called_a_folder(tmp_path, capsys):
    """A folder named like the CSV was called 'no such file', sending the user to look for a file that is there."""
    folder = tmp_path / "observed.csv"
    folder.mkdir()
    out = tmp_path / "never"
    args = ["calibrate", "general_offenders", "--target", str(folder), "--match", "arrest=reoffended", "--out", str(out)]
    assert main(args) == 2
    assert capsys.readouterr().err == f"error: {folder}: --target: is a directory (expected a CSV file of observed curves)\n"
    assert not out.exists()


def test_a_resume_under_other_code_says_its_cached_runs_were_made_by_it(tmp_path, capsys):
    """The run cache is keyed by scenario, parameter values and seed, not code: a resume after the model changed
    re-uses runs of the old code, so it says so, as a resumed sweep does."""
    import json

    out = _tiny_calibration(tmp_path, "arrest", "reoffended")
    marker = out / "cache" / "scenario.json"
    record = json.loads(marker.read_text())
    assert record["code"]["package"] == "reintegration-sim"
    capsys.readouterr()
    assert _tiny_calibration(tmp_path, "arrest", "reoffended") == out  # the same calibration, resumed
    assert "other code" not in capsys.readouterr().err  # the same code: a plain resume
    marker.write_text(json.dumps({**record, "code": {**record["code"], "git_commit": "0123abc"}}) + "\n")
    _tiny_calibration(tmp_path, "arrest", "reoffended")
    assert f"note: the runs cached in {out} were made by other code (git_commit 0123abc there," in capsys.readouterr().err


def test_a_run_cache_record_this_user_cannot_read_is_refused_naming_it(tmp_path, capsys, monkeypatch):
    """cache/scenario.json made unreadable (chmod 000, a folder of another user's) ended a resume in 'internal error:
    PermissionError', exit 1; it is refused as every other file of a results folder that cannot be read, exit 2,
    and the folder is left as it was."""
    from pathlib import Path

    out = _tiny_calibration(tmp_path, "arrest", "reoffended")
    marker = out / "cache" / "scenario.json"
    before = sorted(str(path.relative_to(out)) for path in out.rglob("*"))
    read_text = Path.read_text

    def denied(path, *args, **kwargs):
        if path == marker:
            raise PermissionError(13, "Permission denied", str(path))
        return read_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", denied)
    capsys.readouterr()
    assert main(_tiny_arguments(tmp_path, "arrest", "reoffended", out)) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {marker}: --out: cannot be read as JSON (") and "Permission denied" in err
    assert "internal error" not in err and err.count("\n") == 1
    assert sorted(str(path.relative_to(out)) for path in out.rglob("*")) == before


TINY = ["--match", "arrest=reoffended", "--params", "offending.general.base_hazard=0.01:0.03",
        "--set", "population.community=300", "--set", "population.released=60", "--set", "weeks=10", "--popsize", "2",
        "--replicates", "1", "--check-replicates", "2", "--scan-points", "2", "--budget", "9", "--workers", "1"]


def _weekly_target(path, week_6: float, week_8: float):
    path.write_text(f"week,arrest\n2,4\n4,8\n6,{week_6:g}\n8,{week_8:g}\n")
    return path


def test_held_out_months_are_not_fitted_but_their_error_is_reported_beside_the_fitted(tmp_path, capsys):
    """--holdout-from 6: the objective sees weeks 2 and 4 only, so targets that differ from week 6 on make the same
    search and the same fit, and only the held-out error differs; every output names that error as held out."""
    import html

    fits = {}
    for name, late in (("close", (11, 13)), ("far", (30, 40))):
        target = _weekly_target(tmp_path / f"{name}.csv", *late)
        out = tmp_path / name
        assert main(["calibrate", "general_offenders", "--target", str(target), *TINY, "--holdout-from", "6",
                     "--out", str(out)]) == 0
        fits[name] = (out, capsys.readouterr().out)
    (close, printed), (far, _) = fits["close"], fits["far"]
    candidates = {name: pd.read_csv(out / "candidates.csv") for name, (out, _) in fits.items()}
    same = ["offending.general.base_hazard", "score", "stage"]
    pd.testing.assert_frame_equal(candidates["close"][same], candidates["far"][same])  # the same search, the same scores
    pd.testing.assert_frame_equal(pd.read_csv(close / "fit.csv"), pd.read_csv(far / "fit.csv"))
    assert (candidates["far"]["held_out_score"] > candidates["close"]["held_out_score"] + 10).all()
    manifests = {name: json.loads((out / "manifest.json").read_text()) for name, (out, _) in fits.items()}
    held = {name: m["holdout"] for name, m in manifests.items()}
    assert held["close"]["best_score_in_sample"] == held["far"]["best_score_in_sample"] == manifests["far"]["best_score"]
    assert held["far"]["best_score_held_out"] > held["close"]["best_score_held_out"] + 10
    assert held["far"]["check_max_abs_error_held_out"] > held["close"]["check_max_abs_error_held_out"] + 10
    assert held["far"]["check_max_abs_error_in_sample"] == manifests["far"]["check_max_abs_error"]  # fitted points only
    assert (held["far"]["from"], held["far"]["unit"], held["far"]["fitted_points"], held["far"]["held_out_points"]) == (
        6, "week", 2, 2)
    assert held["far"]["within_limit_held_out_score_low"] <= held["far"]["best_score_held_out"] <= \
        held["far"]["within_limit_held_out_score_high"]
    errors = pd.read_csv(far / "errors.csv")
    assert errors["held_out"].tolist() == [False, False, True, True]
    assert manifests["far"]["check_max_abs_error"] == pytest.approx(errors.loc[:1, "error"].abs().max())

    close_held = held["close"]
    assert (f"held out of the fit (week 6 on, 2 target points): {close_held['best_score_held_out']:.2f} points on the "
            f"fit's seeds, {close_held['check_max_abs_error_held_out']:.2f} on fresh seeds") in printed
    header = (close / "calibrated.yaml").read_text().split("\nname:")[0]
    assert "nothing was held out" not in header
    assert (f"held out of the fit\n# (week 6 on), the out-of-sample check: {close_held['best_score_held_out']:.2f} on "
            "the fit's seeds") in header
    assert main(["report", str(close)]) == 0
    text = " ".join(html.unescape((close / "report.html").read_text()).split())
    assert "nothing of the target was held out" not in text
    assert "Held out of the fit: the target's 2 points from week 6 on (the 2 before it were fitted)." in text
    assert "this is the out-of-sample check" in text


BOTH_SIDES = "(expected a week after the first target week, 2, and at most the last, 8)"


@pytest.mark.parametrize(("holdout", "message"), [
    ("2", f"week 2 is at or before the target's first week (2): no point would be left to fit {BOTH_SIDES}"),
    ("1.5", f"week 1.5 is at or before the target's first week (2): no point would be left to fit {BOTH_SIDES}"),
    ("8.5", f"week 8.5 is after the target's last week (8): no point would be held out {BOTH_SIDES}"),
    ("nan", f"must be a number (got nan) {BOTH_SIDES}"),
])
def test_a_holdout_that_leaves_nothing_to_fit_or_nothing_held_out_is_refused_before_any_run(tmp_path, monkeypatch,
                                                                                             capsys, holdout, message):
    import sim.calibration.fit as fit

    monkeypatch.setattr(fit, "open_engine", stop_before_the_runs)
    target = _weekly_target(tmp_path / "mine.csv", 11, 13)
    out = tmp_path / "never"
    assert main(["calibrate", "general_offenders", "--target", str(target), *TINY, "--holdout-from", holdout,
                 "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"error: {target}: --holdout-from: {message}\n" in err
    assert "Traceback" not in err and "at most 9 model runs" not in err and not out.exists()


@pytest.mark.parametrize(("there", "now", "named"), [
    (6.0, 8.0, "--holdout-from 6 there, 8 now"),
    (6.0, None, "--holdout-from 6 there, (none) now"),
    (None, 6.0, "--holdout-from (none) there, 6 now"),
])
def test_a_resume_holding_out_another_part_of_the_target_is_refused(tmp_path, monkeypatch, capsys, there, now, named):
    """A folder is the record of one out-of-sample check: a rerun holding out another part (or none) would replace the
    held-out error already seen, so it is refused as a rerun with other scenario settings is; the same holdout resumes."""
    import sim.calibration.fit as fit
    from sim.calibration.cache import RunCache

    monkeypatch.setattr(fit, "open_engine", stop_before_the_runs)
    target = _weekly_target(tmp_path / "mine.csv", 11, 13)
    out = tmp_path / "fit"
    settings = load_scenario("general_offenders", {"population.community": 300, "population.released": 60, "weeks": 10})
    RunCache(out, settings, there)  # as a first run leaves it
    args = ["calibrate", "general_offenders", "--target", str(target), *TINY, "--out", str(out)]
    holdout = lambda value: [] if value is None else ["--holdout-from", f"{value:g}"]  # noqa: E731
    assert main([*args, *holdout(now)]) == 2
    err = capsys.readouterr().err
    assert f"error: {out}: --out: holds the runs of a calibration with other settings: {named} (expected the same " \
           "scenario, --set values and --holdout-from as the runs there, or a new folder)" in err
    assert "Traceback" not in err and sorted(p.name for p in (out / "cache").iterdir()) == ["scenario.json"]
    assert main([*args, *holdout(there)]) == 130  # the same holdout: accepted, up to where the runs would start


def test_a_curve_the_holdout_leaves_wholly_on_one_side_is_noted_before_the_runs(tmp_path, monkeypatch, capsys):
    """Two matched curves, one of them sparse: a holdout can leave one curve unfitted, or with nothing held out; the
    overall check passes, so say which curve, or the user reads a fit of both curves that is not one."""
    import sim.calibration.fit as fit

    monkeypatch.setattr(fit, "open_engine", stop_before_the_runs)
    target = tmp_path / "sparse.csv"
    target.write_text("week,arrest,returned\n2,4,\n4,8,\n6,11,3\n8,13,4\n")
    args = ["calibrate", "general_offenders", "--target", str(target), *TINY, "--match", "returned=returned"]
    assert main([*args, "--holdout-from", "6", "--out", str(tmp_path / "a")]) == 130
    assert "note: --holdout-from 6: returned has no point before week 6, so it is not fitted, only held out" in \
        capsys.readouterr().err
    assert main([*args, "--holdout-from", "8", "--out", str(tmp_path / "b")]) == 130
    assert "note: --holdout-from" not in capsys.readouterr().err  # both curves fitted up to week 6, held out at 8
    target.write_text("week,arrest,returned\n2,4,1\n4,8,2\n6,11,\n8,13,\n")
    assert main([*args, "--holdout-from", "6", "--out", str(tmp_path / "c")]) == 130
    assert "note: --holdout-from 6: returned has no point from week 6 on, so nothing of it is held out" in \
        capsys.readouterr().err


def test_the_terminal_says_which_end_of_an_interval_is_open_and_a_value_fitted_at_its_search_bound():
    """'(open: the scan did not reach the threshold)' said neither which end nor that the fitted value sat at the end of
    its search range, where a better value may lie beyond it."""
    from types import SimpleNamespace

    from sim.commands.calibrate import interval_notes

    row = SimpleNamespace(value=0.05, open_low=True, open_high=False, search_low=0.05, search_high=0.4)
    assert interval_notes(row) == (" (open below: the fit stays within the limit to the scan's end; fitted at the lower "
                                   "end of its search range (0.05): widen the range)")
    assert interval_notes(SimpleNamespace(value=0.2, open_low=False, open_high=False, search_low=0.05,
                                          search_high=0.4)) == ""


@pytest.mark.slow
def test_the_documented_bjs_calibration_fits_inside_its_ranges_around_the_shipped_levels(tmp_path, capsys):
    """docs/VALIDATION.md's command, run as written, fitted offending.general.base_hazard at the upper end of its range
    (0.021) and said to widen it. Its best fit must lie inside every range, and the shipped levels inside the
    intervals fit.csv gives, as the doc says (about 25 s)."""
    import shlex
    from pathlib import Path

    from sim.patterns import CALIBRATION_COMMAND, DOCS
    from sim.scenarios.fields import value_at

    assert CALIBRATION_COMMAND in DOCS.read_text()
    words = shlex.split(CALIBRATION_COMMAND)
    words[words.index("--out") + 1] = str(tmp_path / "fit")
    root = Path(__file__).resolve().parents[1]
    words[words.index("--target") + 1] = str(root / words[words.index("--target") + 1])
    assert main(words[1:]) == 0
    said = capsys.readouterr()
    assert "end of its search range" not in said.out + said.err
    fit = pd.read_csv(tmp_path / "fit" / "fit.csv").set_index("parameter")
    shipped = load_scenario("general_offenders")
    for key, row in fit.iterrows():
        assert row.search_low < row.value < row.search_high, key
        assert row.low <= value_at(shipped, tuple(key.split("."))) <= row.high, key


@pytest.mark.parametrize("name", ["CALIBRATION_SET", "EXTREMIST_CALIBRATION_SET"])
def test_the_default_search_ranges_lie_within_the_plausible_ranges(name):
    """A calibration with the documented defaults warned of its own search ('reaches beyond the plausible range') once
    the recall, return and extremist-profile parameters had plausible ranges narrower than the defaults: the defaults
    search where the parameters are plausible, and a wider search is asked for with --params."""
    from sim.calibration import sets
    from sim.scenarios.fields import plausible_range, resolve_key

    for key, (low, high) in getattr(sets, name).items():
        plausible = plausible_range(resolve_key(key)[1])
        assert plausible[0] <= low < high <= plausible[1], (key, (low, high), plausible)


def test_a_cached_part_cut_short_or_replaced_is_set_aside_and_its_runs_made_again(tmp_path, capsys):
    """The run cache's parts were trusted as read: a part cut at the end of a row, or replaced by another, gave its runs
    shorter curves, or other runs, without a word. Each part is recorded (``parts.jsonl``, as a sweep's parts): a rerun
    sets a part unlike its record aside, says so, and makes its runs again; a part a kill left unrecorded is read."""
    import pyarrow.parquet as pq

    from sim.calibration.cache import RunCache, run_key
    from sim.curves import CURVES

    out = tmp_path / "fit"
    settings = load_scenario("general_offenders", {"population.community": 300, "population.released": 60, "weeks": 10})
    curve = pd.DataFrame({"weeks_since_release": range(10), **{name: np.linspace(0, 0.5, 10) for name in CURVES}})
    cache = RunCache(out, settings)
    for seed in (1, 2):
        cache.add(run_key({"supervision.breach_rate": 0.02}, seed), curve)
        cache.flush()
    first, second = sorted((out / "cache").glob("part-*.parquet"))  # parts named in one second sort by their suffix
    recorded = [json.loads(line) for line in (out / "parts.jsonl").read_text().splitlines()]
    assert sorted(entry["part"] for entry in recorded) == [f"cache/{first.name}", f"cache/{second.name}"]
    assert RunCache(out, settings).loaded == 2 and not capsys.readouterr().err
    (cut,) = set(pq.read_table(first, columns=["key"])["key"].to_pylist())
    pq.write_table(pq.read_table(first).slice(0, 4), first)  # cut at the end of a row: valid Parquet
    again = RunCache(out, settings)
    assert again.loaded == 1 and cut not in again  # made again
    assert capsys.readouterr().err == (
        f"note: {first}: holds 4 rows where the calibration wrote 10 (cut short, or replaced by another file?): its runs "
        f"count as not done and run again (the part is moved to {out / 'set_aside'})\n")
    assert (out / "set_aside" / "cache" / first.name).is_file() and not first.exists()
    assert [json.loads(line)["part"] for line in (out / "parts.jsonl").read_text().splitlines()] == [f"cache/{second.name}"]
    (out / "parts.jsonl").write_text("")  # as a kill between a part's rename and its line leaves it
    assert RunCache(out, settings).loaded == 1 and f"cache/{second.name}" in (out / "parts.jsonl").read_text()


def test_the_fit_figure_is_the_same_whatever_theme_an_earlier_figure_or_a_notebook_set(tmp_path):
    """calibration.png takes no theme of its own: drawn after a notebook's seaborn 'talk' (``sim.analysis``'s) it had
    that theme's larger text, and its two-line title ran past the figure's edges. Now the same picture either way,
    and the notebook's theme is left in force."""
    from conftest import pictures_in_themes

    from sim.calibration import calibrate
    from sim.calibration.report import draw

    target = _weekly_target(tmp_path / "target.csv", 11, 13)
    result = calibrate("general_offenders", target=str(target), matches=["arrest=reoffended"],
                       params=["offending.general.base_hazard=0.01:0.03"], budget=9, replicates=1, check_replicates=2,
                       popsize=2, scan_points=2, seed=1, workers=1, progress=False, out=tmp_path / "fit",
                       overrides={"population.community": 300, "population.released": 60, "weeks": 10})
    pictures = pictures_in_themes(lambda buffer: draw(result, buffer))
    assert pictures[0] == pictures[1]


def test_it_says_how_long_its_runs_will_take_at_most_before_the_bulk_of_them(tmp_path, capsys):
    """sim calibrate said its size in runs ('at most 9 model runs') but, unlike sim sweep, no time: its first run is
    now timed alone, as a sweep's is, and the command says how long the others will take at most before they start
    (the search may stop sooner, or find runs in its cache). The timed run is an ordinary run: the numbers are those
    of a silent calibration. A rerun that makes no run says nothing of time."""
    from sim.calibration.fit import calibrate
    from sim.calibration.report import write_calibration

    args, out = small_calibration(tmp_path, "--params", "offending.general.base_hazard=0.01:0.03")
    assert main(args) == 0
    err = capsys.readouterr().err.splitlines()
    size = next(i for i, line in enumerate(err) if line.startswith("calibrate general_offenders: at most 9 model runs"))
    (said,) = [line for line in err if line.startswith("estimate:")]
    assert err.index(said) in (size + 1, size + 2)  # after the size line (and the first run's progress line)
    assert "for at most 8 more runs (about " in said and "on 1 worker (this process)" in said, said
    assert "a rough guide" in said and "from timing its first run here in this process" in said
    assert main(args) == 0  # every run from the cache
    assert "estimate:" not in capsys.readouterr().err
    silent = tmp_path / "silent"
    calibrate("general_offenders", target=tmp_path / "mine.csv", matches=["arrest=reoffended"], out=silent,
              params=["offending.general.base_hazard=0.01:0.03"], budget=9, replicates=1, check_replicates=2, popsize=2,
              scan_points=2, overrides={"population.community": "300", "population.released": "60", "weeks": "10"},
              workers=1, progress=False, then=lambda found: write_calibration(found, silent))
    for name in ("candidates.csv", "fit.csv", "errors.csv"):
        assert (silent / name).read_bytes() == (out / name).read_bytes(), name


def test_a_calibration_whose_runs_the_disk_cannot_hold_is_refused_after_its_first_run(tmp_path, capsys, monkeypatch):
    """A calibration caches every run: a disk too small for them was learnt part way, or when its results were
    written. Its first run, measured as its cache holds it, tells how much each takes; more than the free space of
    --out's file system is refused then, exit 2, naming --out, the estimate and the free space, before that run or any
    other is stored, and the folder resumes once there is room."""
    from sim import headroom

    monkeypatch.setattr(headroom, "free_disk", lambda path: 2**10)  # 1 kB free
    args, out = small_calibration(tmp_path, "--params", "offending.general.base_hazard=0.01:0.03")
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"error: {out}: --out: would write about ") and " a run as Parquet), more than the 1 kB " \
        "free on its file system" in err[-1] and "a smaller --budget" in err[-1], err[-1]
    assert "estimate:" not in "\n".join(err) and not list(out.glob("cache/part-*.parquet"))
    assert not (out / "manifest.json").exists()
    monkeypatch.setattr(headroom, "free_disk", lambda path: 2**40)
    assert main(args) == 0
    assert json.loads((out / "manifest.json").read_text())["runs"]["new"] == 9
