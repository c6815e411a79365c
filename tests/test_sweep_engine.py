"""The sweep engine: exactly-once runs, identical numbers on every engine, resume after SIGKILL, failures recorded.

A serial sweep (workers=1 runs in-process, without Dask) is the yardstick; a 2-worker LocalCluster and a
separately started ``dask scheduler`` + ``dask worker`` must reproduce it number for number.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.errors import InputError
from sim.experiments import Sweep, load_experiment, sweep
from sim.experiments.engines import InProcess
from sim.experiments.metrics import run_metrics
from sim.experiments.tasks import call_each
from sim.runner import simulate
from sim.scenarios import apply_overrides

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny_grid.yaml"
BIN = Path(sys.executable).parent


def numbers(result: Sweep) -> pd.DataFrame:
    """Everything but the run's time and the process that made it, which differ between any two sweeps."""
    return result.runs.drop(columns=["seconds", "worker"])


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> Sweep:
    return sweep(TINY, out=tmp_path_factory.mktemp("serial") / "sweep", workers=1, batch_size=5, progress=False)


def assert_same_numbers(result: Sweep, reference: Sweep) -> None:
    pd.testing.assert_frame_equal(numbers(result), numbers(reference))
    pd.testing.assert_frame_equal(result.curves, reference.curves)


def test_every_run_once_with_its_own_seed_streamed_in_parts(serial):
    exp = load_experiment(TINY)
    runs = serial.runs
    assert len(runs) == exp.runs == 12
    assert not runs.duplicated(["point", "replicate"]).any()
    assert (runs["status"] == "ok").all() and runs["error"].isna().all()
    assert [exp.run_seed(p, r) for p, r in zip(runs["point"], runs["replicate"], strict=True)] == runs["seed"].tolist()
    assert runs[["reoffended_26w", "recalled_26w", "final_community_stigma"]].notna().all().all()
    assert runs.loc[runs["point"] == 3, "stigma.baseline"].eq(0.8).all()  # factor columns
    parts = sorted((serial.directory / "runs").glob("part-*.parquet"))
    assert len(parts) == 3  # 12 runs in batches of 5
    assert len(pd.read_parquet(serial.directory / "runs")) == 12  # readable as a plain Parquet dataset
    assert len(serial.curves) == 12 * 41  # weeks 0..40 of every run
    manifest = serial.manifest
    assert manifest["experiment"]["name"] == "tiny_grid" and len(manifest["design"]) == 4
    assert manifest["engine"]["kind"] == "in-process" and manifest["code"]["package"] == "reintegration-sim"
    # each run says which code made it (the manifest holds the versions behind the id) and where
    assert runs["code"].eq(manifest["sessions"][-1]["code_id"]).all() and runs["worker"].eq("this process").all()


def test_common_random_numbers_make_points_differ_only_where_their_factors_act(tmp_path):
    """A factor no rule reads (a unit cost) changes nothing with common random numbers, and only seed noise without."""
    outcomes = ["reoffended_26w", "recalled_26w", "final_community_stigma"]

    def swept(common: bool) -> pd.DataFrame:
        spec = {"name": "crn", "scenario": "general_offenders", "seed": 7, "replicates": 2,
                "common_random_numbers": common,
                "overrides": {"population.community": 300, "population.released": 60, "weeks": 30},
                "design": {"kind": "grid", "factors": {"costs.custody_week": [900.0, 1500.0]}}}
        runs = sweep(spec, out=tmp_path / f"crn-{common}", workers=1, progress=False).runs
        return runs.sort_values(["point", "replicate"])

    common, independent = swept(True), swept(False)
    assert common.groupby("replicate")["seed"].nunique().eq(1).all()
    for replicate, runs in common.groupby("replicate"):
        assert runs[outcomes].nunique().eq(1).all(), replicate  # identical at both costs
    assert independent["seed"].nunique() == 4
    assert independent.groupby("replicate")[outcomes].nunique().gt(1).any().any()


def test_a_run_of_a_sweep_reruns_alone_from_the_seed_in_its_row(serial):
    """docs/EXPERIMENTS.md: the `seed` column and the point's factors rerun a run alone (``simulate``), number for number."""
    exp = load_experiment(TINY)
    row = serial.runs.query("point == 2 and replicate == 1").iloc[0]
    settings = apply_overrides(exp.base, exp.changes(2), origin="test")
    single = simulate(settings, int(row["seed"]))
    again = run_metrics(single.curves, single.timeseries, exp.horizons)
    pd.testing.assert_series_equal(pd.Series(again, dtype=float), row[list(again)].astype(float), check_names=False)
    pd.testing.assert_frame_equal(single.curves.assign(point=2, replicate=1).reset_index(drop=True),
                                  serial.curves.query("point == 2 and replicate == 1").reset_index(drop=True)[
                                      list(single.curves.columns) + ["point", "replicate"]], check_dtype=False)


def test_a_resume_under_other_code_says_so_and_each_session_records_its_code(serial, tmp_path, capsys):
    """The fingerprint holds the experiment, not the code: a resume after the code changed mixes two versions in one
    folder. Each session records the code it ran, and the resume says the earlier runs came from other code."""
    import json
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(serial.directory, folder)
    assert Sweep(folder).manifest["sessions"][-1]["code"]["package"] == "reintegration-sim"
    manifest = json.loads((folder / "manifest.json").read_text())
    for session in manifest["sessions"]:
        session["code"]["git_commit"] = "0123abc"  # as if swept at another commit
    (folder / "manifest.json").write_text(json.dumps(manifest))
    sorted((folder / "runs").glob("part-*.parquet"))[0].unlink()  # some runs to make again
    capsys.readouterr()
    again = sweep(TINY, out=folder, workers=1, progress=True)
    err = capsys.readouterr().err
    assert "were made by other code (git_commit 0123abc there," in err
    assert again.manifest["sessions"][-1]["code"]["git_commit"] != "0123abc"
    again = sweep(TINY, out=folder, workers=1, progress=True)  # nothing left to run: nothing to say
    assert "other code" not in capsys.readouterr().err


def test_a_sweep_begun_before_runs_recorded_their_code_resumes_without_the_column(serial, tmp_path):
    """Parts of one folder must have one set of columns: a sweep begun by a version without the code and worker
    columns goes on writing parts without them, and reads whole."""
    import shutil

    import pyarrow.parquet as pq

    folder = tmp_path / "older"
    shutil.copytree(serial.directory, folder)
    parts = sorted((folder / "runs").glob("part-*.parquet"))
    for part in parts:
        pq.write_table(pq.read_table(part).drop_columns(["code", "worker"]), part)
    (folder / "parts.jsonl").unlink()  # that version kept no record of its parts
    parts[0].unlink()  # some runs to make again
    again = sweep(TINY, out=folder, workers=1, progress=False)
    assert len(again.runs) == 12 and "code" not in again.runs
    pd.testing.assert_frame_equal(again.runs.drop(columns="seconds"), serial.runs.drop(columns=["seconds", "code", "worker"]))


def test_an_interrupted_session_records_its_code_so_a_resume_under_other_code_says_so(serial, tmp_path, monkeypatch, capsys):
    """A sweep stopped by Ctrl-C (or killed) kept its runs but recorded no session: resumed under other code, the folder
    mixed two versions without a word and its manifest named only the resume's code."""
    from sim.experiments import engine, tasks
    from sim.provenance import versions

    real, calls = tasks.execute_run, []

    def interrupted(*args):
        calls.append(1)
        if len(calls) > 5:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(tasks, "execute_run", interrupted)
    monkeypatch.setattr(engine, "process_versions", lambda: {**versions(), "git_commit": "0123abc"})
    with pytest.raises(KeyboardInterrupt):
        sweep(TINY, out=tmp_path / "out", workers=1, batch_size=5, progress=False)
    (stopped,) = Sweep(tmp_path / "out").manifest["sessions"]
    assert stopped["finished"] is None and stopped["code"]["git_commit"] == "0123abc"
    monkeypatch.setattr(tasks, "execute_run", real)
    monkeypatch.setattr(engine, "process_versions", versions)
    capsys.readouterr()
    again = sweep(TINY, out=tmp_path / "out", workers=1, progress=True)
    assert "were made by other code (git_commit 0123abc there," in capsys.readouterr().err
    assert [s["skipped"] for s in again.manifest["sessions"]] == [0, 5] and again.manifest["sessions"][-1]["finished"]
    assert_same_numbers(again, serial)


def test_strictness_raises_recall_in_the_runs(serial):
    runs = serial.runs
    by_strictness = runs.groupby("supervision.strictness")["recalled_26w"].mean()
    assert by_strictness[1.0] > by_strictness[0.1]


def test_rerun_into_the_same_folder_skips_finished_runs(serial):
    again = sweep(TINY, out=serial.directory, workers=1, progress=False)
    assert again.manifest["sessions"][-1]["runs"] == 0 and again.manifest["sessions"][-1]["skipped"] == 12
    assert_same_numbers(again, serial)


def test_another_file_of_the_same_settings_resumes_under_the_folder_s_own_name_and_says_so(tmp_path, capsys):
    """A copy of the experiment file with another name and description resumed into the folder and silently
    rewrote its manifest's name, description and source, while its ranking.md kept the first name. It now says so
    before the runs, and the folder keeps the name, description and source it was started with."""
    out = tmp_path / "sweep"
    sweep(TINY, out=out, workers=1, progress=False)
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(re.sub(r"(?m)^description: .*$", "description: A completely different question.",
                              re.sub(r"(?m)^name: .*$", "name: renamed", TINY.read_text())))
    capsys.readouterr()
    again = sweep(renamed, out=out, workers=1, progress=False)
    assert capsys.readouterr().err.strip().splitlines() == [
        f"note: {out} was started by experiment 'tiny_grid' from {load_experiment(TINY).source}; resuming it as 'renamed' from {renamed}, "
        "described otherwise: the settings are the same, so its runs are kept, and it keeps the name 'tiny_grid' and "
        "the description it was started with"]
    recorded = again.manifest["experiment"]
    assert (recorded["name"], recorded["spec"]["name"]) == ("tiny_grid", "tiny_grid")
    assert recorded["source"] == load_experiment(TINY).source
    assert recorded["spec"]["description"] == load_experiment(TINY).description
    assert again.manifest["sessions"][-1]["runs"] == 0
    sweep(TINY.resolve(), out=out, workers=1, progress=False)  # the folder's own file, however named: nothing to say
    assert capsys.readouterr().err == ""


def test_a_different_experiment_is_refused_and_nothing_changes(serial, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(TINY.read_text().replace("seed: 7", "seed: 8"))
    before = sorted(p.name for p in (serial.directory / "runs").iterdir())
    # the same file with another seed: said to be this experiment with other settings, not 'another experiment'
    with pytest.raises(InputError, match="holds a sweep of '[^']+' with other settings: seed 7 there, 8 now"):
        sweep(other, out=serial.directory, workers=1, progress=False)
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(re.sub(r"(?m)^name: .*$", "name: renamed", other.read_text()))
    with pytest.raises(InputError, match="holds runs of another experiment .*: seed 7 there, 8 now"):
        sweep(renamed, out=serial.directory, workers=1, progress=False)
    assert sorted(p.name for p in (serial.directory / "runs").iterdir()) == before
    with pytest.raises(InputError, match="already holds a sweep"):
        sweep(TINY, out=serial.directory, workers=1, resume=False, progress=False)


def test_another_experiment_is_refused_naming_its_design_kind_factors_and_values(serial, tmp_path):
    """A Morris experiment swept into a grid's folder was refused naming only its seed and common random numbers, and
    'design.samples None there, 4 now': not the kind or the factors, which set it apart most, and a None nobody wrote.
    A grid with one other value was 'another design table (factors, values or samples)', naming none."""
    morris = {"name": "tiny_morris", "scenario": "general_offenders", "seed": 7, "replicates": 3,
              "overrides": {"population.community": 300, "population.released": 60, "weeks": 40},
              "design": {"kind": "morris", "samples": 2, "factors": {"stigma.baseline": {"low": 0.2, "high": 0.8},
                                                                    "ngo.capacity": {"low": 0.0, "high": 1.0}}}}
    with pytest.raises(InputError) as refused:
        sweep(morris, out=serial.directory, workers=1, progress=False)
    message = str(refused.value)
    assert "holds runs of another experiment ('tiny_grid' from " in message
    assert ": design.kind grid there, morris now; design.factors.supervision.strictness there, not now; " \
           "design.factors.ngo.capacity now, not there (expected" in message, message
    assert "None" not in message
    other = tmp_path / "other.yaml"
    other.write_text(TINY.read_text().replace("[0.1, 1.0]", "[0.1, 0.9]"))
    with pytest.raises(InputError, match=re.escape(
            "with other settings: design.factors.supervision.strictness [0.1, 1] there, [0.1, 0.9] now (expected")):
        sweep(other, out=serial.directory, workers=1, progress=False)


def test_a_design_difference_is_said_in_the_files_words():
    """Ranges as written in the file; a value a hand-edited manifest lacks is '(unset)', not Python's None."""
    from sim.experiments.sweep_folder import design_changed

    lhs = {"kind": "lhs", "samples": 8, "factors": {"stigma.baseline": {"low": 0.2, "high": 0.8}}}
    edited = {**lhs, "samples": None, "factors": {"stigma.baseline": {"low": 0.1, "high": 0.8}}}
    assert design_changed(edited, lhs) == ["design.factors.stigma.baseline {low: 0.1, high: 0.8} there, "
                                           "{low: 0.2, high: 0.8} now", "design.samples (unset) there, 8 now"]
    assert design_changed({"no": "design"}, lhs) == [] and design_changed(lhs, lhs) == []


def test_a_resume_with_other_options_names_what_differs(serial, capsys):
    """The same file with another --set or --replicates is refused naming them, not as some other experiment."""
    runs = sorted(p.name for p in (serial.directory / "runs").iterdir())
    assert main(["sweep", str(TINY), "--out", str(serial.directory), "--workers", "1", "--replicates", "2",
                 "--set", "population.released=61"]) == 2
    err = capsys.readouterr().err
    assert "replicates 3 there, 2 now; population.released 60 there, 61 now" in err, err
    assert sorted(p.name for p in (serial.directory / "runs").iterdir()) == runs


def test_a_folder_seeded_the_earlier_way_is_not_resumed_and_says_why(serial, tmp_path, capsys):
    """A sweep written before run seeds were derived as now (no `seeding` in its manifest, another fingerprint)
    holds other numbers: a resume would mix two ways of seeding in one folder, so it is refused, saying so."""
    out = tmp_path / "old"
    shutil.copytree(serial.directory, out)
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["experiment"]["seeding"]
    manifest["experiment"]["fingerprint"] = "0" * 16  # what the earlier version's fingerprint of it would differ by
    (out / "manifest.json").write_text(json.dumps(manifest))
    runs = sorted(p.name for p in (out / "runs").iterdir())
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err
    assert "run seeds derived the way 1 there (an earlier version of sim), way 2 now" in err, err
    assert sorted(p.name for p in (out / "runs").iterdir()) == runs


def test_a_set_value_is_recorded_as_read_and_a_folder_recording_its_text_still_resumes(tmp_path, capsys):
    """The manifest recorded `--set population.released=50` as the text '50' beside the file's typed values, so a script
    rebuilding the experiment from it got a string. It records the number the runs used. A folder an earlier version
    wrote, holding the text, is the same experiment (its fingerprint is of the scenario as read) and resumes."""
    import json

    out = tmp_path / "sweep"
    command = ["sweep", str(TINY), "--out", str(out), "--workers", "1", "--replicates", "1",
               "--set", "population.released=50", "--set", "supervision.caseload=30"]
    assert main(command) == 0
    manifest = json.loads((out / "manifest.json").read_text())
    overrides = manifest["experiment"]["spec"]["overrides"]
    assert overrides == {"population.community": 300, "population.released": 50, "weeks": 40, "supervision.caseload": 30}
    assert all(type(value) is int for value in overrides.values())
    # as the version before wrote it, which also took 3e1 for an integer key (now refused: write 30)
    manifest["experiment"]["spec"]["overrides"] |= {"population.released": "50", "supervision.caseload": "3e1"}
    (out / "manifest.json").write_text(json.dumps(manifest))
    capsys.readouterr()
    assert main(command) == 0, capsys.readouterr().err
    assert "(0 to run, 4 already done)" in capsys.readouterr().err
    resumed = json.loads((out / "manifest.json").read_text())
    assert resumed["experiment"]["spec"]["overrides"]["population.released"] == 50
    assert [session["runs"] for session in resumed["sessions"]] == [4, 0]


def test_more_replicates_grows_a_folder_of_the_same_experiment_running_only_the_new_ones(serial, tmp_path):
    """sim robustness's nominal comparison, rerun on more replicates: with `more_replicates` a folder of this
    experiment on fewer grows, its runs kept and the new replicates run on the seeds they would have in a new folder;
    without it, or for fewer replicates, or another experiment, it is refused as before."""
    import shutil

    from sim.experiments import load_experiment

    out = tmp_path / "sweep"
    shutil.copytree(serial.directory, out)
    more = load_experiment(TINY, replicates=4)
    with pytest.raises(InputError, match="replicates 3 there, 4 now"):
        sweep(more, out=out, workers=1, progress=False)
    grown = sweep(more, out=out, workers=1, progress=False, more_replicates=True)
    assert grown.manifest["sessions"][-1]["runs"] == 4 and grown.manifest["sessions"][-1]["skipped"] == 12
    assert grown.manifest["experiment"]["replicates"] == 4
    fresh = sweep(more, out=tmp_path / "fresh", workers=1, progress=False)
    pd.testing.assert_frame_equal(numbers(grown).drop(columns="code"), numbers(fresh).drop(columns="code"))
    with pytest.raises(InputError, match="replicates 4 there, 3 now"):  # a sweep never drops runs
        sweep(TINY, out=out, workers=1, progress=False, more_replicates=True)
    other = load_experiment(TINY, replicates=5, seed=8)
    with pytest.raises(InputError, match="seed 7 there, 8 now"):
        sweep(other, out=out, workers=1, progress=False, more_replicates=True)


def test_a_folder_that_is_not_a_sweep_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["sweep", str(TINY), "--out", str(tmp_path), "--workers", "1"]) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_the_folder_of_another_command_is_refused_as_such(tmp_path, capsys):
    (tmp_path / "manifest.json").write_text('{"scenarios": ["baseline"]}')  # what `sim run` writes, in short
    assert main(["sweep", str(TINY), "--out", str(tmp_path), "--workers", "1"]) == 2
    assert "holds results of another kind" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]


def test_failed_runs_are_recorded_and_the_sweep_goes_on(tmp_path, monkeypatch, capsys):
    import sim.experiments.tasks as tasks

    real = tasks.simulate

    def fragile(settings, seed):
        if settings.stigma.baseline == 0.8 and settings.supervision.strictness == 0.1:  # point 2
            raise RuntimeError("model blew up")
        return real(settings, seed)

    monkeypatch.setattr(tasks, "simulate", fragile)
    out = tmp_path / "sweep"
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1", "--batch", "4"]) == 1
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("3 of 12 runs failed")
    runs = Sweep(out).runs
    failed = runs[runs["status"] == "failed"]
    assert failed["point"].tolist() == [2, 2, 2]
    assert failed["error"].str.contains("RuntimeError: model blew up").all()
    assert failed["seed"].tolist() == [load_experiment(TINY).run_seed(2, r) for r in range(3)]
    assert failed["reoffended_26w"].isna().all() and (runs["status"] == "ok").sum() == 9


def killed_worker(task) -> Exception:
    from types import SimpleNamespace

    from distributed.scheduler import KilledWorker

    return KilledWorker(task=f"execute_run-{task.point}-{task.replicate}",
                        last_worker=SimpleNamespace(address="tcp://127.0.0.1:1"), allowed_failures=3)


class LosingEngine(InProcess):
    """The in-process engine, but for the runs in `lose`, which come back as a cluster returns a run whose every
    worker died (``KilledWorker``)."""

    def __init__(self, lose: set[tuple[int, int]]) -> None:
        self.lose = lose

    def map(self, base, tasks, horizons):
        from sim.experiments.tasks import execute_run, lost_row

        for task in tasks:
            if (task.point, task.replicate) in self.lose:
                yield lost_row(task, killed_worker(task)), None
            else:
                yield execute_run(base, task, horizons)


def test_runs_lost_to_the_infrastructure_run_again_on_resume_while_model_failures_stay(serial, tmp_path, monkeypatch,
                                                                                      capsys):
    """A run whose worker died was recorded 'failed' and counted as done, so no resume ever ran it again, though
    nothing was wrong with it. Now it is 'lost', the command says so, and a resume runs it (and only it) again."""
    import sim.experiments.engine as engine
    import sim.experiments.tasks as tasks

    real = tasks.simulate

    def fragile(settings, seed):
        if settings.stigma.baseline == 0.8 and settings.supervision.strictness == 0.1:  # point 2: the model's error
            raise RuntimeError("model blew up")
        return real(settings, seed)

    lose = {(1, 0), (1, 1), (1, 2), (3, 0)}  # with --batch 3: one part wholly lost, one part lost in part
    monkeypatch.setattr(tasks, "simulate", fragile)
    monkeypatch.setattr(engine, "open_engine", lambda *_: LosingEngine(lose))
    out = tmp_path / "sweep"
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1", "--batch", "3"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-2].startswith("3 of 12 runs failed") and "a resume keeps them" in lines[-2]
    assert lines[-1].startswith("4 of 12 runs lost to the infrastructure") and "run them again" in lines[-1]
    first = Sweep(out)
    assert set(map(tuple, first.lost[["point", "replicate"]].values.tolist())) == lose
    assert first.lost["error"].str.startswith("KilledWorker").all() and first.failed["point"].eq(2).all()
    assert main(["report", str(out)]) == 0
    assert "4 of them were lost to the infrastructure" in (out / "report.html").read_text()

    monkeypatch.setattr(engine, "open_engine", lambda *_: InProcess())  # the cluster is healthy again
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1", "--batch", "3"]) == 1
    captured = capsys.readouterr()
    assert ("12 runs (4 to run, 4 of them lost to the infrastructure in an earlier session (status 'lost': a worker "
            "died, could not start them or was stopped) and run again, 8 already done)") in captured.err
    assert captured.out.strip().splitlines()[-1].startswith("3 of 12 runs failed")  # and none lost
    resumed = Sweep(out)
    session = resumed.manifest["sessions"][-1]
    assert (session["runs"], session["skipped"], session["lost_rerun"]) == (4, 8, 4)
    runs = resumed.runs
    assert len(runs) == 12 and not runs.duplicated(["point", "replicate"]).any()
    assert runs.loc[runs["point"] == 2, "status"].eq("failed").all() and resumed.lost.empty
    healthy = runs["point"] != 2
    pd.testing.assert_frame_equal(numbers(resumed)[healthy].reset_index(drop=True),
                                  numbers(serial)[healthy].reset_index(drop=True))
    pd.testing.assert_frame_equal(resumed.curves, serial.curves[serial.curves["point"] != 2].reset_index(drop=True))


def test_a_resume_over_a_deleted_part_and_lost_runs_runs_exactly_those_again(serial, tmp_path, monkeypatch, capsys):
    """A resume reads which runs are done once, before it sets aside the parts unlike their record and deletes the rows
    of lost runs: with both in one folder, it runs exactly the runs of the part gone and the lost ones again, each
    once, to the numbers of one uninterrupted sweep."""
    import sim.experiments.engine as engine

    lose = {(1, 0), (1, 1), (1, 2), (3, 0)}  # with --batch 3: one part wholly lost, one part lost in part
    monkeypatch.setattr(engine, "open_engine", lambda *_: LosingEngine(lose))
    out = tmp_path / "sweep"
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1", "--batch", "3"]) == 1
    gone = next(part for part in (out / "runs").glob("part-*.parquet")
                if pd.read_parquet(part, columns=["point"])["point"].eq(0).all())
    gone.unlink()  # recorded, then deleted: its 3 runs count as not done
    capsys.readouterr()
    monkeypatch.setattr(engine, "open_engine", lambda *_: InProcess())
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1", "--batch", "3"]) == 0
    err = capsys.readouterr().err
    assert f"note: {gone}: is missing, though parts.jsonl records it as written" in err
    assert "12 runs (7 to run, 4 of them lost to the infrastructure" in err and "5 already done)" in err
    resumed = Sweep(out)
    session = resumed.manifest["sessions"][-1]
    assert (session["runs"], session["skipped"], session["lost_rerun"]) == (7, 5, 4)
    pd.testing.assert_frame_equal(numbers(resumed), numbers(serial))
    pd.testing.assert_frame_equal(resumed.curves, serial.curves)


def test_a_folder_of_a_version_before_lost_runs_its_lost_runs_again_on_resume(serial, tmp_path, monkeypatch, capsys):
    """A version before status 'lost' recorded a run whose worker died as 'failed' with no run time (a failure in the
    model always has one), and a resume of its folder never ran it again. Now it is read as lost and run again."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    import sim.experiments.engine as engine
    import sim.experiments.tasks as tasks

    real = tasks.simulate

    def fragile(settings, seed):
        if settings.stigma.baseline == 0.8 and settings.supervision.strictness == 0.1:  # point 2: the model's error
            raise RuntimeError("model blew up")
        return real(settings, seed)

    lose = {(1, 0), (1, 1), (1, 2), (3, 0)}
    monkeypatch.setattr(tasks, "simulate", fragile)
    monkeypatch.setattr(engine, "open_engine", lambda *_: LosingEngine(lose))
    out = tmp_path / "sweep"
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1", "--batch", "3"]) == 1
    (out / "parts.jsonl").unlink()  # the older version kept no record of its parts
    for part in (out / "runs").glob("part-*.parquet"):  # as the older version wrote them
        table = pq.read_table(part)
        status = pa.array(["failed" if s == "lost" else s for s in table["status"].to_pylist()], pa.string())
        pq.write_table(table.set_column(table.schema.get_field_index("status"), "status", status), part)
    older = Sweep(out)
    assert len(older.lost) == 4 and older.failed["point"].eq(2).all() and len(older.failed) == 3
    capsys.readouterr()

    monkeypatch.setattr(engine, "open_engine", lambda *_: InProcess())
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1", "--batch", "3"]) == 1
    captured = capsys.readouterr()
    assert ("12 runs (4 to run, 4 of them lost to the infrastructure in an earlier session (status 'failed' as an "
            "older version recorded them: a worker died, could not start them or was stopped) and run again, "
            "8 already done)") in captured.err
    resumed = Sweep(out)
    runs = resumed.runs
    assert len(runs) == 12 and not runs.duplicated(["point", "replicate"]).any()
    assert runs.loc[runs["point"] == 2, "status"].eq("failed").all() and (runs.loc[runs["point"] != 2, "status"] == "ok").all()
    assert resumed.manifest["sessions"][-1]["lost_rerun"] == 4 and resumed.lost.empty


def test_a_run_an_older_version_recorded_as_failed_by_a_ctrl_c_in_compiled_code_runs_again(serial, tmp_path):
    """Before sim.errors.interruption, a Ctrl-C in numba's callback was recorded as the run's failure, which the same
    seed would never repeat: a resume now runs such a run again, and the folder ends as if never interrupted."""
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "older"
    shutil.copytree(serial.directory, folder)
    (folder / "parts.jsonl").unlink()  # that version kept no record of its parts
    part = sorted((folder / "runs").glob("part-*.parquet"))[0]
    table = pq.read_table(part)
    status, error = table["status"].to_pylist(), table["error"].to_pylist()
    status[0], error[0] = "failed", ("SystemError: CPUDispatcher(<function week_totals at 0x7f>) returned a result "
                                     "with an exception set")
    table = table.set_column(table.schema.get_field_index("status"), "status", pa.array(status, pa.string()))
    pq.write_table(table.set_column(table.schema.get_field_index("error"), "error", pa.array(error, pa.string())), part)
    curves = pq.read_table(folder / "curves" / part.name)  # a failed run has no curves
    first = (pa.compute.equal(curves["point"], table["point"][0]).to_numpy(zero_copy_only=False)
             & pa.compute.equal(curves["replicate"], table["replicate"][0]).to_numpy(zero_copy_only=False))
    pq.write_table(curves.filter(pa.array(~first)), folder / "curves" / part.name)
    assert len(Sweep(folder).lost) == 1 and Sweep(folder).failed.empty
    again = sweep(TINY, out=folder, workers=1, progress=False)
    assert again.manifest["sessions"][-1]["lost_rerun"] == 1 and (again.runs["status"] == "ok").all()
    assert_same_numbers(again, serial)


def test_the_size_line_says_how_many_lost_runs_an_older_version_recorded_as_failed():
    """A folder resumed by several versions can hold both kinds of record of a lost run: the line names each."""
    from sim.experiments.sweep_folder import again

    assert again((0, 0)) == ""
    assert again((4, 1)) == (", 4 of them lost to the infrastructure in an earlier session (status 'lost', or for 1 "
                             "of them 'failed' as an older version recorded them: a worker died, could not start them "
                             "or was stopped) and run again")


def test_a_run_whose_future_raises_on_a_cluster_is_recorded_lost(monkeypatch):
    """What a Dask future raises never comes from the model (execute_run records the model's errors in the row): its
    workers died, or could not start it. The run was recorded 'failed', as if the model had failed."""
    from distributed import LocalCluster

    from sim.experiments import engines, tasks

    monkeypatch.setattr(tasks, "execute_run", dying_run)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1",
                      dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as cluster:
        dask_engine = engines.DaskEngine(workers=None, scheduler=cluster.scheduler_address)
        try:
            rows = sorted((row for row, _ in dask_engine.map(None, [tasks.Task(p, 0, p, {}) for p in range(3)], ())),
                          key=lambda row: row["point"])
        finally:
            dask_engine.close()
    assert [row["status"] for row in rows] == ["ok", "lost", "ok"]
    assert rows[1]["error"].startswith("KilledWorker: Attempted to run task")


def test_runs_go_to_workers_in_batches_of_about_half_a_second(monkeypatch):
    """One Dask task per 0.08 s run spent a tenth of the sweep on the task's trip: runs now go in batches, one run per
    task until one is timed, then about BATCH_SECONDS of runs, but few enough at the end to spread over every worker;
    the runs of a batch whose workers died go back one per task, only the run whose own task fails is lost, and each
    run comes back once."""
    from distributed import LocalCluster

    from sim.experiments import engines, tasks

    assert [engines.runs_per_task(None, 100, 2), engines.runs_per_task(0.05, 100, 2), engines.runs_per_task(0.05, 9, 2),
            engines.runs_per_task(2.0, 100, 2)] == [1, 10, 3, 1]
    BATCHES.clear()
    monkeypatch.setattr(engines, "call_each", recorded_batch)
    monkeypatch.setattr(tasks, "execute_run", timed_stand_in)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1",
                      dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as cluster:
        dask_engine = engines.DaskEngine(workers=None, scheduler=cluster.scheduler_address)
        try:
            rows = [row for row, _ in dask_engine.map(None, [tasks.Task(p, 0, p, {}) for p in range(60)], ())]
        finally:
            dask_engine.close()
    assert sorted(row["point"] for row in rows) == list(range(60))
    sizes = sorted(BATCHES, key=lambda sized: sized[1])  # in the order submitted
    assert [size for size, _ in sizes[:5]] == [1] * 5 and max(size for size, _ in sizes) == 10
    assert all(size <= -(-(60 - first) // 4) for size, first in sizes)  # the last tasks spread over both workers
    size, first = next((size, first) for size, first in sizes if size > 1 and first <= 30 < first + size)
    assert [BATCHES.count((1, point)) for point in range(first, first + size)] == [1] * size  # each alone, once
    assert [row["point"] for row in rows if row["status"] == "lost"] == [30]


BATCHES: list[tuple[int, int]] = []
"""The size and first point of each batch ``recorded_batch`` ran (module-level: a task's function is pickled, and a
closure's list would be a copy)."""


def recorded_batch(fn, tasks):
    BATCHES.append((len(tasks), tasks[0].point))
    return call_each(fn, tasks)


def timed_stand_in(base, task, horizons):
    """A stand-in run of 0.05 s; point 30 comes back as a run whose every worker died."""
    if task.point == 30:
        raise killed_worker(task)
    return {"point": task.point, "status": "ok", "seconds": 0.05}, None


def dying_run(base, task, horizons):
    """A stand-in run; point 1 comes back as a run whose every worker died."""
    if task.point == 1:
        raise killed_worker(task)
    return {"point": task.point, "status": "ok"}, None


class WorkerKiller:
    """Sent with a run, it kills the worker process that unpacks it (anywhere but in `home`, the test's process, which
    holds the scheduler): a run that brings its worker down, like one that runs a node out of memory."""

    def __init__(self, home: int) -> None:
        self.home = home

    def __reduce__(self):
        return (unpack_killer, (self.home,))


def unpack_killer(home: int) -> WorkerKiller:
    if os.getpid() != home:
        os._exit(1)
    return WorkerKiller(home)


@pytest.mark.cluster
def test_a_run_that_kills_its_workers_is_lost_alone(tmp_path, monkeypatch):
    """A run that killed its worker on every try took the whole sweep with it: the scenario every run reads was
    scattered to the workers once, died with them, and every later run was cancelled ("lost dependencies"), 11 of 12
    runs lost on two local workers. Now that run alone is lost (KilledWorker), and a resume runs it again."""
    import dask

    from sim.experiments import engine

    real = engine.Task

    def task(point, replicate, seed, changes):
        deadly = (point, replicate) == (1, 0)
        return real(point, replicate, seed, {**changes, "killer": WorkerKiller(os.getpid())} if deadly else changes)

    out = tmp_path / "sweep"
    monkeypatch.setattr(engine, "Task", task)
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):  # two tries (two worker deaths), not four
        first = sweep(TINY, out=out, workers=2, progress=False)
    lost = first.lost
    assert [1, 0] in lost[["point", "replicate"]].values.tolist()
    # Dask also suspects a run that was running beside it on a worker that died: at most one per death here
    assert lost["error"].str.startswith("KilledWorker").all() and len(lost) <= 3 and len(first.runs) == 12
    monkeypatch.setattr(engine, "Task", real)
    resumed = sweep(TINY, out=out, workers=1, progress=False)
    assert resumed.manifest["sessions"][-1]["lost_rerun"] == len(lost) and (resumed.runs["status"] == "ok").all()


@pytest.mark.cluster
def test_a_run_that_kills_its_workers_loses_none_of_the_runs_batched_with_it(serial, tmp_path, monkeypatch):
    """A task holds a batch of runs (``runs_per_task``): when one run killed its worker on every try, every run of its
    batch was recorded lost, though only one of them did it. Now the runs of a failed batch go back one per task, and
    only the run whose own task kills its workers is lost; the others give the numbers of a sweep without it."""
    import dask

    from sim.experiments import engine, engines

    real = engine.Task

    def task(point, replicate, seed, changes):
        deadly = (point, replicate) == (1, 1)
        return real(point, replicate, seed, {**changes, "killer": WorkerKiller(os.getpid())} if deadly else changes)

    monkeypatch.setattr(engine, "Task", task)
    monkeypatch.setattr(engines, "runs_per_task", lambda *_: 3)  # 4 tasks of 3 runs: (1, 1) with (1, 0) and (1, 2)
    # one try (two worker deaths, not eight): every task a worker held fails with it, the harshest case for the others
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        result = sweep(TINY, out=tmp_path / "sweep", workers=2, progress=False)
    runs = result.runs
    deadly = (runs["point"] == 1) & (runs["replicate"] == 1)
    assert len(runs) == 12 and runs.loc[deadly, "status"].tolist() == ["lost"] and runs.loc[~deadly, "status"].eq("ok").all()
    assert runs.loc[deadly, "error"].str.startswith("KilledWorker").all() and runs.loc[deadly, "seconds"].isna().all()
    assert result.manifest["sessions"][-1]["compute_seconds"] == pytest.approx(runs["seconds"].sum(), abs=0.002)
    pd.testing.assert_frame_equal(numbers(result)[~deadly].reset_index(drop=True),
                                  numbers(serial)[~deadly].reset_index(drop=True))
    curves = serial.curves
    pd.testing.assert_frame_equal(result.curves, curves[(curves["point"] != 1) | (curves["replicate"] != 1)]
                                  .reset_index(drop=True))


def test_a_sweep_says_how_long_it_will_take_before_the_bulk_of_its_runs(serial, tmp_path, capsys):
    """The size line gave the run count only, and the first ETA came after the first run. Now the first run is timed
    here and the command says how long the others will take, before they start, as a rough estimate; the timed run
    is an ordinary run of the sweep (the numbers are those of a sweep that times nothing)."""
    out = tmp_path / "sweep"
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1"]) == 0
    err = capsys.readouterr().err.splitlines()
    size = next(i for i, line in enumerate(err) if line.startswith("sweep tiny_grid: 4 points x 3 replicates"))
    (said,) = [line for line in err if line.startswith("estimate:")]
    assert err.index(said) in (size + 1, size + 2)  # after the size line (and the first run's progress line)
    assert "for the other 11 runs (about " in said and "on 1 worker (this process)" in said
    assert "a rough guide" in said and "from timing its first run" in said
    assert_same_numbers(Sweep(out), serial)


def test_the_estimate_reads_a_runs_time_off_the_line_through_the_largest_and_smallest_run(tmp_path):
    """Design points differ in size (people x weeks): the largest and the smallest run are timed, and the runs between
    them are estimated on the straight line through the two, not all at the time of one run."""
    from sim.experiments.estimate import Estimate, timing_runs

    exp = load_experiment({"name": "sizes", "scenario": "general_offenders", "replicates": 1,
                           "overrides": {"population.released": 100, "weeks": 52},
                           "design": {"kind": "grid", "factors": {"population.community": [900, 400, 1900]}}})
    points = [0, 1, 2, 2]  # the runs still to do: one at each point, two at the largest
    assert timing_runs(exp, points) == [2, 1]  # the largest (2000 people), then the smallest (500)
    guess = Estimate.of(exp, points, {2: 4.0, 1: 1.0})  # 2000 people: 4 s, 500: 1 s, so 1000 people: 2 s
    assert (guess.runs, guess.fastest, guess.slowest, guess.compute) == (2, 2.0, 4.0, 6.0)
    said = guess.line(2, "2 local workers")
    assert said.startswith("estimate: about 3 s for the other 2 runs (2 s to 4 s each) on 2 local workers")
    assert "from timing its largest and smallest run" in said


def test_the_estimate_counts_local_workers_no_faster_than_the_cores_free():
    """2 workers on a machine already busy with other work were counted as twice as fast as one, and the estimate came
    out 2.4-5x too low. Now runs at once are at most the cores the load leaves free (at least 1), the workers asked
    for, and the runs left; a cluster's threads are assumed to have their cores free (None)."""
    from sim.experiments.estimate import side_by_side, wall_seconds

    assert side_by_side(2, 26, 4 - 0.5) == 2  # cores to spare: each worker on a core
    assert side_by_side(2, 26, 4 - 2.9) == pytest.approx(1.1)  # 1.1 cores free: 1.1 runs at once, not 2
    assert side_by_side(2, 26, 2 - 6.2) == 1  # busier than its cores: as fast as one worker, not slower
    assert side_by_side(8, 3, 16.0) == 3  # a worker with no run left saves no time
    assert side_by_side(4, 26, None) == 4  # a cluster's threads
    assert wall_seconds(12.0, 26, 2, 4 - 2.9) == pytest.approx(12.0 / 1.1)
    assert wall_seconds(12.0, 26, 2, 3.0) == 6.0


def test_the_machine_is_its_usable_cores_less_the_load_average(monkeypatch):
    """Cores this process may use (its affinity, a container's or taskset's share), else all; less the 1-minute load."""
    from sim.experiments import estimate
    from sim.experiments.estimate import Machine

    monkeypatch.setattr(estimate.os, "getloadavg", lambda: (2.9, 7.0, 7.0))
    monkeypatch.setattr(estimate.os, "cpu_count", lambda: 16)
    monkeypatch.setattr(estimate.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)
    assert Machine.now() == Machine(4, 2.9) and Machine.now().free == pytest.approx(1.1)
    monkeypatch.delattr(estimate.os, "sched_getaffinity")  # macOS, Windows: no affinity to read
    assert Machine.now().cores == 16


def test_the_estimate_line_says_what_it_assumed_when_the_cores_free_set_its_pace():
    from sim.experiments.estimate import Estimate, Machine

    guess = Estimate(compute=12.0, fastest=0.4, slowest=0.5, runs=26, timed=1)
    busy = guess.line(2, "2 local workers", machine=Machine(4, 2.9))
    assert busy.startswith("estimate: about 11 s for the other 26 runs (about 0.4 s each) on 2 local workers "
                           "(about 1.1 cores free: load average 2.9 on 4 cores); a rough guide"), busy
    swamped = guess.line(2, "2 local workers", machine=Machine(2, 6.2))
    assert "about 12 s for the other 26 runs" in swamped
    assert "on 2 local workers (no core free: load average 6.2 on 2 cores; counted as 1); a rough guide" in swamped
    idle = guess.line(2, "2 local workers", machine=Machine(4, 0.5))  # each worker on a free core: nothing to say
    assert "about 6 s for the other 26 runs (about 0.4 s each) on 2 local workers; a rough guide" in idle
    alone = guess.line(1, "1 worker (this process)", machine=Machine(2, 6.2))  # one worker gains nothing from cores
    assert "on 1 worker (this process); a rough guide" in alone


def test_a_sweep_measures_the_load_before_its_workers_start_and_says_it(tmp_path, monkeypatch, capsys):
    """The load average is read before the engine opens (the sweep's own workers are not other work) and the line on
    local workers says what it assumed of a busy machine."""
    from sim.experiments import engine as running
    from sim.experiments import estimate

    order = []
    monkeypatch.setattr(estimate.os, "getloadavg", lambda: order.append("load") or (2.9, 7.0, 7.0))
    monkeypatch.setattr(estimate.os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)

    class TwoLocalWorkers(InProcess):  # runs here, counted as a local cluster of 2
        slots, description = 2, {"kind": "dask-local", "workers": 2}

    monkeypatch.setattr(running, "open_engine", lambda *args: order.append("engine") or TwoLocalWorkers())
    assert main(["sweep", str(TINY), "--out", str(tmp_path / "sweep"), "--workers", "2"]) == 0
    (said,) = [line for line in capsys.readouterr().err.splitlines() if line.startswith("estimate:")]
    assert " for the other 11 runs (" in said
    assert " on 2 local workers (about 1.1 cores free: load average 2.9 on 4 cores); a rough guide" in said, said
    assert order == ["load", "engine"]


def test_sigkill_then_resume_loses_and_duplicates_nothing(serial, tmp_path):
    out = tmp_path / "killed"
    process = subprocess.Popen(
        [str(BIN / "sim"), "sweep", str(TINY), "--out", str(out), "--workers", "1", "--batch", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while len(list((out / "runs").glob("part-*.parquet"))) < 2:
        assert process.poll() is None, "the sweep finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    partial = Sweep(out).runs
    assert 4 <= len(partial) < 12  # killed part-way, with some parts on disk
    resumed = sweep(TINY, out=out, workers=1, progress=False)
    assert resumed.manifest["sessions"][-1]["skipped"] == len(partial)
    assert_same_numbers(resumed, serial)


def test_a_sweep_killed_between_its_two_renames_reads_only_recorded_runs(serial, tmp_path):
    """Before the resume that deletes it, a curves part whose runs part was never written is no run of the sweep."""
    import shutil

    from sim import analysis

    folder = tmp_path / "killed"
    shutil.copytree(serial.directory, folder)
    first = sorted((folder / "runs").glob("part-*.parquet"))[0]
    lost = len(pd.read_parquet(first))
    first.unlink()  # killed after the curves part of this batch was renamed into place, before its runs part
    log = folder / "parts.jsonl"  # which is recorded once renamed in: its line was never written
    log.write_text("".join(line for line in log.read_text().splitlines(keepends=True) if f"runs/{first.name}" not in line))
    recorded = set(map(tuple, Sweep(folder).runs[["point", "replicate"]].values.tolist()))
    assert len(recorded) == 12 - lost
    with pytest.warns(analysis.IncompleteWarning, match=f"holds {12 - lost} runs of the 12"):  # and says so
        loaded = analysis.load(folder)
    for curves in (Sweep(folder).curves, loaded.curves):
        assert set(map(tuple, curves[["point", "replicate"]].drop_duplicates().values.tolist())) == recorded


@pytest.mark.cluster
def test_local_cluster_with_two_workers_matches_serial(serial, tmp_path):
    result = sweep(TINY, out=tmp_path / "local", workers=2, batch_size=5, progress=False)
    assert result.manifest["engine"] == {"kind": "dask-local", "workers": 2, "threads": 2}
    assert_same_numbers(result, serial)
    assert result.runs["worker"].str.startswith("tcp://127.0.0.1:").all()  # which of the workers made each run


def test_the_estimate_of_a_sweep_on_a_cluster_is_timed_on_one_of_its_workers(tmp_path, monkeypatch, capsys):
    """With --scheduler the runs timed for the estimate ran on the machine of `sim sweep` (a laptop, say) and the
    estimate held for it, not for the cluster. Now they run on one of the cluster's workers, and the line says so:
    here a worker slower than this machine by 0.5 s a run gives an estimate of at least 0.5 s a run."""
    from distributed import LocalCluster, get_worker

    import sim.experiments.tasks as tasks

    real = tasks.simulate

    def slow_on_a_worker(settings, seed):
        try:
            get_worker()
        except ValueError:  # not on a worker: this machine, fast
            return real(settings, seed)
        time.sleep(0.5)
        return real(settings, seed)

    monkeypatch.setattr(tasks, "simulate", slow_on_a_worker)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp://", host="127.0.0.1",
                      dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as cluster:
        sweep(TINY, out=tmp_path / "out", scheduler=cluster.scheduler_address, progress=True)
    (said,) = [line for line in capsys.readouterr().err.splitlines() if line.startswith("estimate:")]
    assert "from timing its first run on one of the cluster's workers" in said and "here in this process" not in said
    assert f"on the cluster's 2 worker threads at {cluster.scheduler_address} (assuming each has a core free)" in said
    each = re.search(r"\(about ([0-9.]+) s each\)", said)
    assert each and float(each.group(1)) >= 0.5, said


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def cluster_by_hand(worker_environment: dict[str, str] | None = None):
    """A `dask scheduler` and one `dask worker` (in `worker_environment`, or this one) started by hand on 127.0.0.1,
    torn down afterwards."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    processes = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                   "--no-dashboard"], **quiet)]
    processes.append(subprocess.Popen([str(BIN / "dask"), "worker", address, "--nworkers", "1", "--nthreads", "1",
                                       "--no-dashboard", "--host", "127.0.0.1"], env=worker_environment, **quiet))
    try:
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def scheduler():
    """A `dask scheduler` and one `dask worker` started by hand on 127.0.0.1, torn down afterwards."""
    with cluster_by_hand() as address:
        yield address


@pytest.mark.cluster
def test_workers_that_cannot_import_the_package_are_refused_before_any_run(tmp_path):
    """A `dask worker` started from an environment without this package (another venv, no `pip install -e .`) left the
    scheduler when sent the sweep's first run, and `sim sweep --scheduler` then waited for ever, saying nothing. It is
    refused before any run, naming the worker, its error and how to start one, exit 2, nothing written."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "sim").mkdir(parents=True)
    (elsewhere / "sim" / "__init__.py").write_text("raise ImportError('not this package')\n")
    with cluster_by_hand({**os.environ, "PYTHONPATH": str(elsewhere)}) as address:
        out = tmp_path / "out"
        done = subprocess.run([sys.executable, "-m", "sim", "sweep", str(TINY), "--out", str(out), "--scheduler", address],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    (said,) = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert f"none of the 1 Dask workers at {address} can run this package's code" in said
    assert "ImportError" in said and "not this package" in said and "pip install -e ." in said
    assert "Traceback" not in done.stderr and not out.exists()


def test_workers_of_a_cluster_that_cannot_import_the_package_are_named(capsys):
    """Some workers of a cluster that cannot run this package leave it when sent a run, the others run the sweep: a
    note names them before any run."""
    from sim.experiments.engines import check_workers_import
    from sim.provenance import process_versions

    answers = {"tcp://10.0.0.7:4000": process_versions(), "tcp://10.0.0.8:4000": Exception("ImportError('no sim')")}
    check_workers_import(answers, "tcp://10.0.0.5:8786")
    err = capsys.readouterr().err
    assert err.startswith("note: 1 of 2 Dask workers at tcp://10.0.0.5:8786 cannot run this package's code "
                          "(tcp://10.0.0.8:4000: ImportError('no sim'))"), err
    check_workers_import({"tcp://10.0.0.7:4000": process_versions()}, "tcp://10.0.0.5:8786")
    assert capsys.readouterr().err == ""


@pytest.mark.cluster
def test_separate_scheduler_and_worker_match_serial(serial, scheduler, tmp_path):
    out = tmp_path / "remote"
    assert main(["sweep", str(TINY), "--out", str(out), "--scheduler", scheduler, "--batch", "5"]) == 0
    result = Sweep(out)
    assert result.manifest["engine"]["kind"] == "dask-scheduler"
    assert_same_numbers(result, serial)


def test_a_process_says_the_code_it_began_with_after_its_checkout_moves(monkeypatch):
    """A worker asked its code before a sweep used to ask git anew, and named a commit made after it had imported the
    package, while its runs recorded the code it began with: both now read ``process_versions``, read once."""
    from sim import provenance

    provenance._process_versions.cache_clear()
    first = provenance.process_versions()
    monkeypatch.setattr(provenance, "git_commit", lambda: "moved-on")  # the checkout changes under the process
    assert provenance.versions()["git_commit"] == "moved-on"
    assert provenance.process_versions() == first and provenance.process_code_id() == provenance.code_id(first)


def test_workers_of_a_scheduler_running_other_code_are_said_and_recorded(tmp_path, monkeypatch, capsys):
    """A `dask worker` installed from another checkout gives other numbers for the same seed (a changed rule on the
    worker changed every curve): the sweep says so before any run and its manifest records the workers' code, where
    it used to record only this machine's."""
    from distributed import LocalCluster

    from sim.experiments import engine, engines, sweep_folder
    from sim.provenance import versions

    here = {**versions(), "git_commit": "0123abc"}  # this machine's code, as the workers will not have it
    for module in (engine, engines, sweep_folder):
        monkeypatch.setattr(module, "process_versions", lambda: here)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1",
                      dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as cluster:
        result = sweep(TINY, out=tmp_path / "out", scheduler=cluster.scheduler_address, progress=False,
                       require_existing=False)
    err = capsys.readouterr().err
    assert "note: 1 of 1 Dask workers" in err and "other code" in err and "git_commit" in err and "0123abc" in err
    (other,) = result.manifest["sessions"][-1]["engine"]["worker_code"]
    assert other["code"] == versions() and len(other["workers"]) == 1
    # every run names the code and the worker that made it: those of the other code are found, not only counted
    runs = result.runs
    assert runs["code"].eq(other["code_id"]).all() and other["code_id"] != result.manifest["sessions"][-1]["code_id"]
    assert runs["worker"].eq(other["workers"][0]).all()
    assert "note: 12 of the 12 runs of this session were made by other code than this machine's" in err
    assert result.manifest["sessions"][-1]["runs_by_other_code"] == 12


CONCURRENT = {"now": 0, "most": 0}


def slow_run(base, task, horizons):
    """A stand-in run that takes 0.3 s and counts how many run at once (workers are threads of this process here)."""
    import threading

    with CONCURRENT.setdefault("lock", threading.Lock()):
        CONCURRENT["now"] += 1
        CONCURRENT["most"] = max(CONCURRENT["most"], CONCURRENT["now"])
    time.sleep(0.3)
    with CONCURRENT["lock"]:
        CONCURRENT["now"] -= 1
    return {"point": task.point}, None


def test_workers_that_join_a_running_sweep_get_runs(monkeypatch):
    """SLURM jobs start one by one and a sweep starts once the first worker is there: runs in flight were sized then
    (2 x its threads + 1) and never grew, so the workers of every later job sat idle for the whole sweep."""
    from distributed import LocalCluster

    from sim.experiments import engines, tasks

    monkeypatch.setattr(tasks, "execute_run", slow_run)
    monkeypatch.setattr(engines, "RESIZE_SECONDS", 0.0)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1",
                      dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"}) as cluster:
        dask_engine = engines.DaskEngine(workers=None, scheduler=cluster.scheduler_address)
        try:
            assert dask_engine.slots == 1
            cluster.scale(4)  # more jobs start after the sweep has
            dask_engine.client.wait_for_workers(4, timeout=30)
            todo = [tasks.Task(p, 0, p, {}) for p in range(24)]
            assert len(list(dask_engine.map(None, todo, ()))) == 24
        finally:
            dask_engine.close()
    assert CONCURRENT["most"] >= 4, f"at most {CONCURRENT['most']} runs at once on 4 workers"


def test_local_workers_run_with_a_quiet_event_loop():
    """Dask's per-worker profiler and 20 ms tick take the GIL from runs (20-30% slower): local workers turn them down."""
    from sim.experiments.engines import QUIET_WORKERS, DaskEngine

    engine = DaskEngine(workers=1, scheduler=None)
    try:
        def settings() -> tuple:
            import dask

            return (dask.config.get("distributed.worker.profile.enabled"), dask.config.get("distributed.admin.tick.interval"))

        assert list(engine.client.run(settings).values()) == [(False, QUIET_WORKERS["distributed.admin.tick.interval"])]
    finally:
        engine.close()


def test_a_local_cluster_says_nothing_of_a_busy_dashboard_port():
    """Local clusters have no dashboard; with port 8787 taken (another sweep, a `dask scheduler`) none of Dask's
    "Port 8787 is already in use. Perhaps you already have a cluster running?" may reach the user."""
    import warnings

    from sim.experiments.engines import DaskEngine

    with socket.socket() as taken, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            taken.bind(("", 8787))
            taken.listen()
        except OSError:
            pass  # already taken by someone else: just as good
        engine = DaskEngine(workers=1, scheduler=None)
        engine.close()
    assert not [w for w in caught if "already in use" in str(w.message)]


def test_worker_environment_gives_a_separate_dask_worker_the_same_settings():
    from sim.experiments.engines import QUIET_WORKERS, worker_environment

    keys = list(QUIET_WORKERS)
    code = f"import dask; print([str(dask.config.get(k)) for k in {keys!r}])"
    printed = subprocess.run([sys.executable, "-c", code], env={**os.environ, **worker_environment()},
                             capture_output=True, text=True, check=True).stdout.strip()
    assert printed == str([str(QUIET_WORKERS[key]) for key in keys])


@pytest.fixture
def ctrl_c_as_in_sim():
    """SIGINT handled as in a `sim` process started from a terminal (Python's KeyboardInterrupt), whatever the test
    worker inherited or an earlier test left (a worker that ignores it would swallow the held signal); restored after."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_while_a_local_cluster_starts_waits_until_it_is_whole(ctrl_c_as_in_sim):
    """A signal held during start-up is delivered after it, so the usual clean exit follows (no half-started
    cluster printing tracebacks at exit)."""
    from sim.experiments.engines import signals_deferred

    reached = []
    with pytest.raises(KeyboardInterrupt):
        with signals_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            reached.append("after the signal")  # still starting: not interrupted here
    assert reached == ["after the signal"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_second_ctrl_c_while_a_cluster_starts_goes_through_at_once(ctrl_c_as_in_sim):
    from sim.experiments.engines import signals_deferred

    reached = []
    with pytest.raises(KeyboardInterrupt):
        with signals_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            reached.append("held")
            os.kill(os.getpid(), signal.SIGINT)  # start-up hangs; the user presses Ctrl-C again
            reached.append("not reached")
    assert reached == ["held"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_sweep_object_of_a_folder_that_is_not_a_sweep_says_so(tmp_path):
    """`Sweep("/misspelt/path")` gave empty runs and curves without a word, and a FileNotFoundError for its manifest."""
    from sim.errors import InputError

    with pytest.raises(InputError, match="no such folder"):
        Sweep(tmp_path / "misspelt")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="is not a sweep folder"):
        Sweep(tmp_path / "empty")


def compiled_code_interrupted(stop: BaseException):
    """A run interrupted where numba's callback was: CPython raises a SystemError caused by the signal's exception."""
    def run(*args, **kwargs):
        try:
            raise stop
        except BaseException as inner:
            raise SystemError("CPUDispatcher(<function week_totals>) returned a result with an exception set") from inner
    return run


def test_a_ctrl_c_inside_compiled_code_stops_the_sweep_and_records_no_failed_run(tmp_path, monkeypatch, capsys):
    """One Ctrl-C in about nine landed in numba's callback and came out as a SystemError: the sweep recorded a finished
    run as failed for good (a resume kept it, and the sensitivity indices changed) and went on running."""
    from sim.experiments import tasks

    real, calls = tasks.simulate, []

    def simulate_then_interrupted(settings, seed):
        calls.append(seed)
        if len(calls) == 4:
            return compiled_code_interrupted(KeyboardInterrupt())()
        return real(settings, seed)

    monkeypatch.setattr(tasks, "simulate", simulate_then_interrupted)
    out = tmp_path / "sweep"
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1", "--batch", "1"]) == 130
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("interrupted: ")
    runs = Sweep(out).runs
    assert 0 < len(runs) < 12 and (runs["status"] == "ok").all()  # the runs before it, none recorded as failed
    monkeypatch.setattr(tasks, "simulate", real)
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1"]) == 0  # the resume runs the rest
    assert (Sweep(out).runs["status"] == "ok").sum() == 12


def test_a_sigterm_inside_compiled_code_ends_the_command_as_terminated(tmp_path, monkeypatch, capsys):
    from sim.cli import Terminated
    from sim.errors import interruption
    from sim.experiments import tasks

    monkeypatch.setattr(tasks, "simulate", compiled_code_interrupted(Terminated()))
    assert main(["sweep", str(TINY), "--out", str(tmp_path / "sweep"), "--workers", "1"]) == 143
    assert capsys.readouterr().err.strip().splitlines()[-1].startswith("terminated: ")
    assert Sweep(tmp_path / "sweep").runs.empty  # no run recorded, failed or not
    assert interruption(ValueError("a run's own error")) is None  # the model's errors stay the run's


def test_progress_lines_time_the_runs_after_the_first_not_the_engine_start(monkeypatch):
    """The first run's time holds the engine's start and, timed alone, no parallel work: a rate from it said
    'ETA 0m53s' beside an estimate of 4.5 s for a sweep that took 11 s. The first line gives no rate; later ones
    count from the first run's end."""
    import io

    from sim.experiments import progress as progressing

    clock = iter([0.0, 30.0, 31.0, 32.0])  # created at 0; the first run ends at 30 s, then one a second
    monkeypatch.setattr(progressing.time, "monotonic", lambda: next(clock))
    stream = io.StringIO()
    bar = progressing.Progress(4, "sweep x", stream=stream, every_seconds=0)
    for _ in range(3):
        bar.update()
    first, second, third = stream.getvalue().splitlines()
    assert first.endswith("sweep x: 1/4 runs, 0 failed")  # no rate from a run that waited for the engine
    assert second.endswith("2/4 runs, 0 failed, 60.0 runs/min, ETA 0m02s")
    assert third.endswith("3/4 runs, 0 failed, 60.0 runs/min, ETA 0m01s")


def test_the_bar_on_a_terminal_says_the_same_pace_as_the_lines(monkeypatch):
    """tqdm's own rate and ETA counted the first run too (a 30 s start promised minutes for a job of seconds): the bar
    shows ``sim.pace``'s, as the lines in a log do, with the failures."""
    import io

    from sim.experiments import progress as progressing

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    clock = iter([0.0, 30.0, 31.0, 32.0])
    monkeypatch.setattr(progressing.time, "monotonic", lambda: next(clock))
    stream = Terminal()
    bar = progressing.Progress(4, "sweep x", stream=stream, every_seconds=0)
    for failed in (False, False, True):
        bar.update(failed=failed)
    assert bar.bar.postfix == "60.0 runs/min, ETA 0m01s, failed=1"
    bar.close()
    assert "run/s" not in stream.getvalue() and "60.0 runs/min, ETA 0m01s, failed=1]" in stream.getvalue()


@pytest.mark.parametrize(("after_rows", "said"), [
    (12, "holds all 12 runs of sweep tiny_grid: it is complete"),
    (4, "holds 4 of the 12 runs of sweep tiny_grid (nothing half-written): rerun the same command to run the other 8")])
def test_a_sigterm_says_what_the_sweep_folder_holds(tmp_path, monkeypatch, capsys, after_rows, said):
    """SIGTERM the moment the part holding the last run was renamed in: the data was whole, yet the command said only
    that a sweep keeps its finished runs, as it does part-way. It says whether the folder is complete, or how many runs
    it holds and how to resume, in its one line. Landing after a batch's runs part was renamed in, before the batch was
    cleared, the signal made the flush on the way out write the batch again: each of its runs twice."""
    _terminated_after(monkeypatch, after_rows)
    out = tmp_path / "sweep"
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1", "--batch", "4"]) == 143
    assert capsys.readouterr().err.strip().splitlines()[-1] == f"terminated: {out} {said}"
    assert len(Sweep(out).runs) == after_rows


TINY_SOBOL = ("name: tiny_sobol\nscenario: general_offenders\nreplicates: 1\n"
              "overrides:\n  population.community: 300\n  population.released: 60\n  weeks: 30\n"
              "design:\n  kind: sobol\n  samples: 2\n  factors:\n    stigma.baseline: {low: 0.1, high: 0.9}\n"
              "    supervision.strictness: {low: 0.1, high: 0.9}\n")


def _terminated_after(monkeypatch, rows: int) -> None:
    """SIGTERM once the parts of the sweep being written hold `rows` runs."""
    import pyarrow.parquet as pq

    from sim.experiments.store import RunStore

    write = RunStore._write

    def terminated_once_written(store, table, path):
        write(store, table, path)
        if path.parent.name == "runs" and sum(pq.read_metadata(p).num_rows for p in path.parent.glob("part-*")) == rows:
            os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(RunStore, "_write", terminated_once_written)


def test_a_command_stopped_before_any_run_finished_says_its_folder_holds_none(tmp_path):
    """'DIR holds 0 of the 12 runs of sweep tiny_grid' was said of a folder the sweep had made and, left empty, removed
    on its way out (SIGTERM while its workers started)."""
    from sim.experiments.when_stopped import runs_state

    assert runs_state(tmp_path / "gone", 0, 12, "sweep tiny_grid") == (
        f"no run of sweep tiny_grid had finished, so {tmp_path / 'gone'} holds none (nothing half-written): rerun the "
        "same command to run its 12 runs")


def test_a_stopped_robustness_analysis_says_what_its_whole_folder_holds(tmp_path, monkeypatch, capsys):
    """Stopped as its first sweep ended, sim robustness said that sweep's line: 'DIR/sweeps/baseline/draws holds all 3
    runs of sweep baseline-draws: it is complete', of an analysis of 10 runs that had 7 to run (and, part-way through
    a sweep, 'rerun the same command to run the other 1' of that sweep's). It says what the analysis's folder holds."""
    _terminated_after(monkeypatch, 3)
    out = tmp_path / "robust"
    command = ["robustness", "baseline", "ngo_surge", "--draws", "3", "--replicates", "1", "--nominal-replicates", "2",
               "--set", "population.community=300", "--set", "population.released=60", "--weeks", "30", "--workers", "1",
               "--out", str(out)]
    assert main([*command]) == 143
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"terminated: {out} holds 3 of the 10 runs of the robustness analysis (nothing half-written): rerun the same "
        "command to run the other 7")
    monkeypatch.undo()
    assert main([*command]) == 0  # its size line, '= 10 runs' alone, read as if none had run
    assert capsys.readouterr().err.splitlines()[0].endswith("nominal x 2 replicates) = 10 runs (7 to run, 3 already done)")


def test_a_sensitivity_analysis_stopped_before_its_results_says_a_rerun_writes_them(tmp_path, monkeypatch, capsys):
    """Stopped once its runs were done, before sensitivity.csv was written, sim sensitivity said 'it is complete'."""
    from sim.experiments import sensitivity_analysis

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sensitivity_analysis, "analyse", stopped)
    path = tmp_path / "tiny_sobol.yaml"
    path.write_text(TINY_SOBOL)
    out = tmp_path / "sobol"
    assert main(["sensitivity", str(path), "--workers", "1", "--out", str(out)]) == 130
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"interrupted: {out} holds all 8 runs of sweep tiny_sobol but not its results (sensitivity.csv and ranking.md): "
        "rerun the same command to write them from its runs")


def test_a_sweep_whose_runs_follow_not_everyone_to_its_longest_shares_says_so_before_the_runs(tmp_path, capsys):
    """`--set weeks=160` on a scenario releasing over 26 weeks follows everyone only 134 weeks: reoffended_156w then
    rests for its last weeks on those released first. sim compare says so under its results; a sweep said nothing."""
    from sim.experiments.estimate import short_followup

    grid = tmp_path / "grid.yaml"
    grid.write_text("name: grid160\nscenario: baseline\nreplicates: 1\noverrides:\n  population.community: 200\n"
                    "  population.released: 40\n  weeks: 160\ndesign:\n  kind: grid\n  factors:\n"
                    "    supervision.strictness: [0.2, 0.8]\n")
    assert main(["sweep", str(grid), "--out", str(tmp_path / "out"), "--workers", "1"]) == 0
    first, second = capsys.readouterr().out.splitlines()[:2]
    assert first.startswith("note: in every point the runs follow everyone released only 134 weeks (runs of 160 weeks, "
                            "releases spread over 26), so the shares at 156 weeks since release"), first
    assert first.endswith("182 weeks follow everyone 156 weeks") and second.startswith("grid160: 2 points")
    # the shipped grid (general offenders, all released at once, 156 weeks) follows everyone: nothing to say
    assert short_followup(load_experiment("stigma_supervision_ngo")) == ""
    varying = short_followup(load_experiment(_varying_weeks(tmp_path)))  # said of the points it holds for
    assert varying.startswith("note: in 2 of 4 points the runs follow everyone released only 130 weeks"), varying


def _varying_weeks(tmp_path):
    """An experiment whose points differ in weeks: 156 (short of everyone at 156) and 182 (everyone)."""
    path = tmp_path / "weeks.yaml"
    path.write_text("name: weeks\nscenario: baseline\nreplicates: 1\ndesign:\n  kind: grid\n  factors:\n"
                    "    weeks: [156, 182]\n    supervision.strictness: [0.2, 0.8]\n")
    return path


def test_a_sweep_whose_runs_the_disk_cannot_hold_is_refused_after_its_first_run(tmp_path, capsys, monkeypatch):
    """A sweep writes its runs part by part: a disk too small for them stopped it part way, hours in. Its first run,
    measured as Parquet, tells how much each takes; more than the free space of --out's file system is refused then,
    exit 2, naming --out, the estimate and the free space, before that run or any other is stored."""
    from sim import headroom

    monkeypatch.setattr(headroom, "free_disk", lambda path: 2**10)  # 1 kB free
    out = tmp_path / "sweep"
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"error: {out}: --out: would write about ") and "free on its file system" in err[-1]
    assert not list(out.glob("runs/part-*.parquet"))
    monkeypatch.setattr(headroom, "free_disk", lambda path: 2**40)
    assert main(["sweep", str(TINY), "--out", str(out), "--workers", "1"]) == 0
    assert len(Sweep(out).runs) == 12


def test_a_cluster_of_one_worker_thread_is_said_in_the_singular():
    """The estimate line of a sweep on a scheduler with one worker said 'the cluster's 1 worker threads'."""
    from types import SimpleNamespace

    from sim.experiments.engines import engine_words

    one = SimpleNamespace(description={"kind": "dask-scheduler", "address": "tcp://10.0.0.5:8786"}, slots=1)
    assert engine_words(one).startswith("the cluster's 1 worker thread at tcp://10.0.0.5:8786 ")
    assert engine_words(SimpleNamespace(**{**vars(one), "slots": 3})).startswith("the cluster's 3 worker threads at ")
