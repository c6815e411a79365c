"""`sim report DIR`: one self-contained HTML file from a run, compare or sweep folder; bad input exits 2."""

from __future__ import annotations

import json
import re
import shutil

import numpy as np
import pandas as pd
import pytest

import sim
from sim.cli import main
from sim.scenarios import load_scenario

SMALL = {"population.community": 400, "population.released": 60, "weeks": 40}
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
IMAGE = re.compile(r'<img [^>]*src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    result = sim.run(["baseline", "ngo_surge"], replicates=2, seed=3, overrides=SMALL)
    return result.save(tmp_path_factory.mktemp("run") / "out")


def sweep_folder(path):
    """A fabricated sweep folder with the runs dataset and manifest `sim sweep` writes, and one failed run."""
    factors = ["stigma.baseline", "supervision.strictness", "ngo.capacity"]
    grid = pd.MultiIndex.from_product([[0.2, 0.8], [0.2, 0.9], [0.0, 1.0], range(2)], names=[*factors, "replicate"])
    runs = grid.to_frame(index=False)
    runs = runs.assign(point=runs.index // 2, seed=np.arange(len(runs)), status="ok", error=None, seconds=0.2,
                       reoffended_156w=0.3 + 0.2 * runs["stigma.baseline"], final_community_stigma=runs["stigma.baseline"])
    runs.loc[3, ["status", "error", "reoffended_156w"]] = ["failed", "RuntimeError: boom", np.nan]
    (path / "runs").mkdir(parents=True)
    runs.to_parquet(path / "runs" / "part-00000.parquet", index=False)
    manifest = {"experiment": {"name": "fabricated", "spec": {"design": {"kind": "grid", "factors": {
        "stigma.baseline": [0.2, 0.8], "supervision.strictness": [0.2, 0.9], "ngo.capacity": [0.0, 1.0]}}},
        "base_scenario": load_scenario("general_offenders").model_dump(mode="json")}, "sessions": []}
    (path / "manifest.json").write_text(json.dumps(manifest))
    return path


def check_self_contained(path, images: int) -> str:
    text = path.read_text()
    assert not EXTERNAL.search(text), "the report must not fetch anything"
    assert "<script" not in text and "<link" not in text
    found = IMAGE.findall(text)
    assert len(found) >= images
    assert all(len(data) > 1000 for data in found)
    assert path.stat().st_size < 2_000_000
    return text


def test_report_of_a_run_folder_is_one_offline_file(run_folder, capsys):
    assert main(["report", str(run_folder)]) == 0
    report = run_folder / "report.html"
    assert "MB" in capsys.readouterr().out
    text = check_self_contained(report, images=3)
    assert "Headline outcomes" in text and "ngo_surge" in text
    # the scenario differences: ngo_surge against baseline, only the keys that differ
    differences = text[text.index("Scenario differences"):text.index("Manifest")]
    assert "ngo.capacity" in differences and "population.released" not in differences
    assert "python_version" in text  # the manifest


def test_report_of_a_compare_folder_has_the_comparison(run_folder, tmp_path):
    compare = tmp_path / "compare"
    shutil.copytree(run_folder, compare, ignore=shutil.ignore_patterns("report.html"))
    table = pd.DataFrame({"scenario": ["baseline", "ngo_surge"], "reference": "baseline", "metric": "reoffended",
                          "week": 40, "mean": [0.1, 0.08], "paired_p": [np.nan, 0.0123]})
    table.to_csv(compare / "comparison.csv", index=False)
    out = tmp_path / "elsewhere" / "compare.html"
    assert main(["report", str(compare), "--out", str(out)]) == 0
    text = check_self_contained(out, images=3)
    assert "<h2>Comparison</h2>" in text and "0.0123" in text
    assert not (compare / "report.html").exists()


def test_report_of_a_sweep_folder_has_heat_maps_and_failures(tmp_path):
    folder = sweep_folder(tmp_path / "sweep")
    assert main(["report", str(folder)]) == 0
    text = check_self_contained(folder / "report.html", images=2)
    assert "16 runs, 15 succeeded" in text and "RuntimeError: boom" in text
    assert "supervision.strictness" in text and "general_offenders" in text


@pytest.mark.parametrize("setup", ["missing", "empty", "not a result"])
def test_bad_folder_exits_2_and_writes_nothing(tmp_path, capsys, setup):
    folder = tmp_path / "folder"
    if setup != "missing":
        folder.mkdir()
    if setup == "not a result":
        (folder / "manifest.json").write_text("{}")
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and str(folder) in err and "Traceback" not in err
    assert not (folder / "report.html").exists()


def test_out_that_is_a_folder_exits_2(run_folder, tmp_path, capsys):
    assert main(["report", str(run_folder), "--out", str(tmp_path)]) == 2
    assert "--out" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
