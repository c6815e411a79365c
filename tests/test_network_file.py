"""network.kind: edgelist / graphml: the community's ties read from a file, checked like any scenario input."""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from sim.cli import main
from sim.errors import InputError
from sim.model import ReintegrationModel
from sim.runner import run
from sim.scenarios import load_scenario

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "edgelist_community.yaml"


def scenario_file(folder: Path, kind: str, file: str, community: int, **extra: str) -> Path:
    lines = ["extends: baseline", "population:", f"  community: {community}", "  released: 20", "weeks: 30",
             "network:", f"  kind: {kind}", f"  file: {file}", *(f"{k}: {v}" for k, v in extra.items())]
    path = folder / "scenario.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def community_ties(model: ReintegrationModel) -> set[tuple[int, int]]:
    return {tuple(pair) for pair in model.world.edges[0].tolist()}


def test_the_example_edgelist_becomes_the_community_ties():
    model = ReintegrationModel(EXAMPLE, rng=1)
    graph = nx.read_edgelist(DATA / "community_300.edgelist", nodetype=str)
    member = {node: i for i, node in enumerate(graph.nodes)}  # members in order of first appearance
    assert member["p000"] == 0 and model.community.size == 300
    assert community_ties(model) == {tuple(sorted((member[u], member[v]))) for u, v in graph.edges()}
    degree = np.diff(model.community.influence.indptr)
    assert (degree == [graph.degree(node) for node in graph.nodes]).all()


def test_same_seed_same_results_on_a_file_network():
    first, second = (run(EXAMPLE, replicates=1, seed=4).events for _ in range(2))
    assert first.equals(second)


def test_the_path_is_relative_to_the_scenario_file_not_the_working_directory(tmp_path, monkeypatch):
    folder = tmp_path / "study"
    folder.mkdir()
    shutil.copy(DATA / "community_300.edgelist", folder / "ties.txt")
    path = scenario_file(folder, "edgelist", "ties.txt", 300)
    monkeypatch.chdir(tmp_path)
    assert Path(load_scenario(path).network.file) == (folder / "ties.txt").resolve()
    assert load_scenario("study/scenario.yaml").network.file == load_scenario(path).network.file


def test_graphml_self_loops_duplicates_and_directions_count_once(tmp_path):
    graph = nx.MultiDiGraph()
    ring = [(f"n{i}", f"n{(i + 1) % 12}") for i in range(12)]
    graph.add_edges_from([*ring, *ring, *((v, u) for u, v in ring), ("n3", "n3")])
    nx.write_graphml(graph, tmp_path / "ring.graphml")
    model = ReintegrationModel(scenario_file(tmp_path, "graphml", "ring.graphml", 12), rng=2)
    assert community_ties(model) == {tuple(sorted((i, (i + 1) % 12))) for i in range(12)}


def test_edgelist_duplicates_and_self_loops_are_dropped(tmp_path):
    (tmp_path / "ties.txt").write_text("# ring\n" + "".join(f"a{i} a{(i + 1) % 10}\n" for i in range(10))
                                       + "a1 a0\na0 a1\na5 a5\n")
    model = ReintegrationModel(scenario_file(tmp_path, "edgelist", "ties.txt", 10), rng=2)
    assert len(community_ties(model)) == 10 and all(u != v for u, v in community_ties(model))


def test_the_generated_network_is_untouched_by_the_file_kinds():
    """A generated kind draws its ties from the seed (same seed, same ties; another seed, others), never the file's."""
    settings = load_scenario("baseline", {"population.community": 300, "population.released": 40, "weeks": 20})
    assert settings.network.file is None
    generated = community_ties(ReintegrationModel(settings, rng=9))
    assert generated == community_ties(ReintegrationModel(settings, rng=9))
    assert generated != community_ties(ReintegrationModel(settings, rng=10))
    assert generated != community_ties(ReintegrationModel(EXAMPLE, rng=9))  # the example file: 300 members too


BAD = [  # id, kind, file contents (None: no file written), file key, community, fragment of the message
    ("missing", "edgelist", None, "nothere.txt", 300, "no such file"),
    ("no-file-key", "graphml", None, None, 300, "so a graph file is needed"),
    ("folder", "edgelist", None, ".", 300, "is not a file"),
    ("comma-separated", "edgelist", "a,b\nb,c\n", "ties.csv", 300, "ties.csv:1: expected two node ids"),
    ("one-id-line", "edgelist", "# ties\n0 1\n\n2\n", "ties.txt", 300, "ties.txt:4: expected two node ids"),
    ("five-field-line", "edgelist", "0 1\n1 2 3 4 5\n", "ties.txt", 300, "ties.txt:2: expected two node ids"),
    ("binary", "edgelist", b"\xff\xfe\x00\x81 \x9f\n\x80 \x81\n", "ties.bin", 300, "could not be read as edgelist"),
    ("broken-graphml", "graphml", "<graphml><graph", "ties.graphml", 300, "could not be read as graphml"),
    ("not-graphml", "graphml", "a b\nb c\n", "ties.graphml", 300, "could not be read as graphml"),
    ("too-few-nodes", "edgelist", "".join(f"{i} {i + 1}\n" for i in range(49)), "ties.txt", 300,
     "has 50 nodes but population.community is 300"),
    ("too-many-nodes", "edgelist", "".join(f"{i} {i + 1}\n" for i in range(349)), "ties.txt", 300,
     "has 350 nodes but population.community is 300"),
    ("only-self-loops", "edgelist", "".join(f"{i} {i}\n" for i in range(10)), "ties.txt", 10, "holds no ties"),
    ("isolated", "edgelist", "".join(f"{i} {(i + 1) % 9}\n" for i in range(9)) + "9 9\n", "ties.txt", 10,
     "node(s) 9 have no tie"),
]


@pytest.mark.parametrize(("kind", "content", "name", "community", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_graph_file_exits_2_naming_the_file_and_key_and_writes_nothing(tmp_path, capsys, kind, content, name,
                                                                           community, message):
    if content is not None:
        target = tmp_path / name
        target.write_bytes(content) if isinstance(content, bytes) else target.write_text(content)
    path = scenario_file(tmp_path, kind, name, community) if name else scenario_file(tmp_path, kind, "x", community)
    if name is None:
        path.write_text(path.read_text().replace("  file: x\n", ""))
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "scenario.yaml" in err and "network.file" in err and message in err, err
    assert "Traceback" not in err and not out.exists()


def test_a_file_with_a_generated_kind_is_an_error(tmp_path):
    path = tmp_path / "scenario.yaml"
    path.write_text("network:\n  kind: barabasi_albert\n  file: ties.txt\n")
    with pytest.raises(InputError, match="read only when network.kind is edgelist or graphml") as caught:
        load_scenario(path)
    assert caught.value.key == "network.file" and caught.value.line == 3


def test_set_network_file_is_relative_to_the_working_directory(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(DATA.parent)
    settings = load_scenario("baseline", {"population.community": "300", "network.kind": "edgelist",
                                          "network.file": "data/community_300.edgelist"})
    assert Path(settings.network.file) == (DATA / "community_300.edgelist").resolve()
    assert main(["run", "baseline", "--set", "network.kind=edgelist", "--set", "network.file=data/none.txt",
                 "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "--set: network.file: no such file" in err and not (tmp_path / "out").exists()
    assert "relative to the working directory" in err and "scenario file" not in err  # what the path was read against
