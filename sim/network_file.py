"""A community graph read from a file (``network.kind: edgelist`` or ``graphml``), checked like any input.

The file's nodes become the community members, numbered in the order they first appear in the file;
ties are undirected, a tie given twice (or in both directions) counts once and a tie from a node to
itself is dropped. Every member must have a tie and the graph must have exactly
``population.community`` nodes, so that nobody is silently left out or made up.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import numpy as np

from sim.errors import InputError, interruption
from sim.file_digests import digest_of

FILE_KINDS = ("edgelist", "graphml")
KEY = "network.file"
EXPECTED = {
    "edgelist": "a text file with one tie per line: two node ids separated by whitespace ('#' starts a comment)",
    "graphml": "a GraphML file (networkx.read_graphml)",
}
SHOWN_NODES = 3  # node ids named in an error message


def community_graph_edges(path: str | None, kind: str, size: int, relative_to: str = "the scenario file") -> np.ndarray:
    """The file's ties as an (E, 2) array of member pairs (low, high), sorted, no self-loops, no duplicates.
    `relative_to` is what a relative path was read against (a scenario file, an experiment file, the working
    directory for --set), for the message about a missing file."""
    if not path:
        raise InputError(f"network.kind is {kind}, so a graph file is needed", key=KEY,
                         expected=f"a path to {EXPECTED[kind]}, relative to {relative_to}")
    file = Path(path)
    try:
        stat = file.stat()
    except OSError:
        raise InputError(f"no such file: {path}", key=KEY,
                         expected=f"an existing file, {EXPECTED[kind]}, relative to {relative_to}") from None
    if not file.is_file():
        raise InputError(f"{path} is not a file", key=KEY, expected=EXPECTED[kind])
    return _edges(str(file.resolve()), kind, size, stat.st_mtime_ns, stat.st_size).copy()


@functools.lru_cache(maxsize=4)
def _edges(path: str, kind: str, size: int, modified: int, length: int) -> np.ndarray:
    """Read and check once per file version (replicates reuse it; the loader's check warms it)."""
    graph = read_graph(path, kind)
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    nodes = graph.number_of_nodes()
    if graph.number_of_edges() == 0:
        raise InputError(f"{path} holds no ties between two different nodes (expected {EXPECTED[kind]})",
                         key=KEY, expected=EXPECTED[kind])
    if nodes != size:
        raise InputError(
            f"{path} has {nodes} nodes but population.community is {size}: each community member is one node "
            f"of the graph, so set population.community: {nodes}", key=KEY,
            expected=f"a graph with population.community ({size}) nodes",
        )
    isolated = [str(node) for node in nx.isolates(graph)]
    if isolated:
        shown = ", ".join(isolated[:SHOWN_NODES]) + (f" and {len(isolated) - SHOWN_NODES} more" if len(isolated) > SHOWN_NODES else "")
        raise InputError(f"{path}: node(s) {shown} have no tie to another node; every community member needs one",
                         key=KEY)
    member = {node: i for i, node in enumerate(graph.nodes)}
    pairs = np.array([(member[u], member[v]) for u, v in graph.edges()], dtype=np.int64).reshape(-1, 2)
    pairs.sort(axis=1)
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    pairs.setflags(write=False)
    return pairs


def file_digests(paths: Iterable[str | None]) -> dict[str, str]:
    """The SHA-256 of each network file among `paths` (those set and existing), by path: what a command's runs read as
    they build their worlds, one run after another (``check_unchanged``)."""
    return {str(path): digest_of(Path(path)) for path in sorted({str(p) for p in paths if p}) if Path(path).is_file()}


def check_unchanged(began: dict[str, str], discarded: str) -> None:
    """Refuse a network file that is not what `began` (``file_digests``, taken when the runs began) holds: each run
    reads it, so one rewired while a command ran gave its later runs the new network, recorded as the first's, without
    a word. `discarded` says what becomes of the runs made."""
    now = file_digests(began)
    for path, digest in began.items():
        if now.get(path) != digest:
            raise InputError(f"changed while the runs read it (it is not the file they began with): {discarded}",
                             file=path, key=KEY, expected="the file left as it is while sim reads it: put it back as "
                             "it was and rerun (a sweep resumes), or rerun on the new file into a new folder")


def read_edgelist(path: str) -> nx.Graph:
    """One tie per line, two node ids; ``#`` starts a comment. A line with any other number of fields is an
    error naming its line (networkx would skip a single id and cut off the rest of a longer line)."""
    graph = nx.Graph()
    with open(path, encoding="utf-8") as file:
        for number, text in enumerate(file, 1):
            fields = text.split("#", 1)[0].split()
            if not fields:
                continue
            if len(fields) != 2:
                raise InputError(f"{path}:{number}: expected two node ids on the line (got {len(fields)} fields: "
                                 f"{' '.join(fields)[:60]!r})", key=KEY, expected=EXPECTED["edgelist"])
            graph.add_edge(*fields)
    return graph


def read_graph(path: str, kind: str) -> nx.Graph:
    """The file as an undirected simple graph, or an InputError saying why it cannot be read."""
    try:
        if kind == "edgelist":
            graph = read_edgelist(path)
        else:
            graph = nx.read_graphml(path)
    except InputError:  # a line of the file that is not a tie: already says where
        raise
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{path} could not be read as {kind}: {exc}", key=KEY, expected=EXPECTED[kind]) from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}", key=KEY, expected=EXPECTED[kind]) from None
    except Exception as exc:  # noqa: BLE001 - networkx and the XML parser raise many kinds; all mean a bad file
        if (stop := interruption(exc)) is not None:  # a Ctrl-C inside the parser's callback
            raise stop from None
        raise InputError(f"{path} could not be read as {kind}: {exc}", key=KEY, expected=EXPECTED[kind]) from None
    return nx.Graph(graph.to_undirected(as_view=True)) if graph.is_directed() or graph.is_multigraph() else graph
