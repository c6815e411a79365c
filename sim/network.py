"""The social network: a community graph plus the ties of released people, as sparse matrices.

Node ids are laid out in blocks: community members first, then released people, families, NGOs and
probation officers. The same edges feed the sparse matrices the weekly rules multiply with and,
when someone asks for it, Mesa's ``Network`` space (for agents and visualisation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import networkx as nx
import numpy as np
import scipy.sparse as sparse

from sim.compiled import kernel
from sim.network_file import FILE_KINDS, community_graph_edges
from sim.scenarios.settings import Network as NetworkSettings

TIE_ENDS = 2  # a tie joins two people: a mean degree of d is d / 2 ties a person, and a tie is a pair of nodes
GRAPH_SEEDS = 2**31  # networkx's Barabási–Albert graph is seeded with a draw below this (a new range: new networks)
SIDE_BY_SIDE = 2  # rows ``averages_into`` adds at once (its loop is written for two, ``first`` and ``second``)


@dataclass(frozen=True)
class Layout:
    """Where each agent type's node ids start, and how many there are."""

    community: int
    released: int
    families: int
    ngos: int
    officers: int

    def block(self, name: str) -> np.ndarray:
        order = ["community", "released", "families", "ngos", "officers"]
        start = sum(getattr(self, n) for n in order[: order.index(name)])
        return np.arange(start, start + getattr(self, name))

    @property
    def total(self) -> int:
        return self.community + self.released + self.families + self.ngos + self.officers


def community_edges(settings: NetworkSettings, size: int, rng: np.random.Generator) -> np.ndarray:
    """Undirected community ties as an (E, 2) array of node pairs, no self-loops, no duplicates.

    Generated from `rng` by ``settings.kind``, or read from ``settings.file`` (``sim.network_file``).
    """
    if settings.kind in FILE_KINDS:
        return community_graph_edges(settings.file, settings.kind, size)
    degree = min(settings.mean_degree, size - 1)
    if settings.kind == "watts_strogatz":
        half = max(1, degree // TIE_ENDS)
        source = np.repeat(np.arange(size), half)
        target = (source + np.tile(np.arange(1, half + 1), size)) % size
        rewire = rng.random(source.size) < settings.rewiring
        target = np.where(rewire, rng.integers(0, size, source.size), target)  # one draw per tie, rewired or not
    elif settings.kind == "barabasi_albert":
        attach = max(1, min(degree // TIE_ENDS, size - 1))
        graph = nx.barabasi_albert_graph(size, attach, seed=int(rng.integers(GRAPH_SEEDS)))
        pairs = np.array(graph.edges(), dtype=np.int64).reshape(-1, TIE_ENDS)
        source, target = pairs[:, 0], pairs[:, 1]
    else:  # neighbourhoods: a stochastic block model drawn pair by pair
        blocks = min(settings.neighbourhoods, size)
        block_of = np.sort(rng.integers(0, blocks, size))
        starts = np.searchsorted(block_of, np.arange(blocks))
        sizes = np.bincount(block_of, minlength=blocks)
        source = np.repeat(np.arange(size), max(1, degree // TIE_ENDS))
        inside = rng.random(source.size) < settings.within_neighbourhood_share
        own = block_of[source]
        target = rng.integers(0, size, source.size)
        offset = (rng.random(source.size) * sizes[own]).astype(np.int64)
        target[inside] = (starts[own] + offset)[inside]
    low, high = np.minimum(source, target), np.maximum(source, target)
    keep = low != high
    pair = np.sort(low[keep].astype(np.int64) * size + high[keep])  # one integer per pair sorts fast
    pair = pair[np.concatenate(([True], pair[1:] != pair[:-1]))]  # duplicates are neighbours once sorted
    return np.stack([pair // size, pair % size], axis=1)


def row_normalised(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """A 0/1 adjacency with each non-empty row summing to one (a DeGroot averaging matrix), as CSR."""
    matrix = sparse.csr_matrix((np.ones(rows.size), (rows, cols)), shape=shape)
    matrix.data[:] = 1.0  # duplicate pairs count once
    degree = np.diff(matrix.indptr)
    matrix.data /= np.repeat(degree, degree)
    return matrix


def alone_hear_themselves(influence: sparse.csr_matrix) -> sparse.csr_matrix:
    """The averaging matrix with a tie to oneself for each member who has no tie (a generated ``neighbourhoods``
    graph of low mean degree can leave a few): ``W s`` is then their own attitude, which averaging leaves as it
    is, instead of the 0 an empty row gives, which would pull them towards no stigma at all."""
    alone = np.flatnonzero(np.diff(influence.indptr) == 0)
    if alone.size == 0:
        return influence
    return (influence + sparse.csr_matrix((np.ones(alone.size), (alone, alone)), shape=influence.shape)).tocsr()


class SparseRows(NamedTuple):
    """A CSR matrix as ``row_product`` takes it: its three arrays (numba takes no scipy matrix)."""

    indptr: np.ndarray
    indices: np.ndarray
    weights: np.ndarray  # the matrix's ``data``


def rows_of(matrix: sparse.csr_matrix) -> SparseRows:
    """``matrix``'s arrays, named."""
    return SparseRows(indptr=matrix.indptr, indices=matrix.indices, weights=matrix.data)


@kernel
def row_product(rows, x, row):
    """Row ``row`` of the product of a CSR matrix (``rows``, its ``SparseRows``) with ``x``, added in index order from
    0 as scipy's ``@`` adds.

    The positions are unsigned: numba checks a signed index for wraparound at every access, which costs as much as
    the product itself.
    """
    indptr, indices, weights = rows.indptr, rows.indices, rows.weights
    total = 0.0
    for tie in range(np.uint64(indptr[row]), np.uint64(indptr[row + 1])):
        total += weights[tie] * x[np.uint64(indices[tie])]
    return total


class AveragingRows(NamedTuple):
    """A DeGroot averaging matrix as ``averages_into`` takes it: its CSR positions, unsigned, and one weight per row,
    which every tie of the row carries (one over the row's ties). A product then reads four bytes per tie rather than
    twelve, and numba indexes with an unsigned position without checking it for a negative one."""

    indptr: np.ndarray
    indices: np.ndarray
    weight: np.ndarray  # of each row's ties (0 for a row without any)


def averaging_rows(matrix: sparse.csr_matrix) -> AveragingRows:
    """``matrix``'s positions and the weight its ties carry in each row, once for the run (the matrix never changes).

    Refuses a matrix with a row whose ties weigh differently: ``averages_into`` would then not give ``matrix @ x``.
    """
    degree = np.diff(matrix.indptr)
    weight = np.zeros(matrix.shape[0])
    tied = degree > 0
    weight[tied] = matrix.data[matrix.indptr[:-1][tied]]
    if not np.array_equal(np.repeat(weight, degree), matrix.data):
        raise ValueError("an averaging matrix's ties must weigh the same within each row")
    return AveragingRows(indptr=unsigned(matrix.indptr), indices=unsigned(matrix.indices), weight=weight)


def unsigned(positions: np.ndarray) -> np.ndarray:
    """Non-negative integer positions viewed as unsigned integers of the same size (no copy)."""
    return positions.view(np.dtype(f"u{positions.itemsize}"))


@kernel
def averages_into(rows, x, out):
    """``matrix @ x`` written into ``out`` for an ``AveragingRows`` matrix: each row's weight times each ``x`` of its
    ties, added in index order from 0, as ``row_product`` and scipy's ``@`` add (to the bit: the weight is the one
    the tie carries).

    The weekly rules multiply the same averaging matrices every week (the community's W, the released people's
    neighbourhoods); at a few thousand people scipy's per-call overhead costs as much as the product. Two rows are
    added side by side: each row's sum is a chain of additions, each waiting for the one before it, and two
    independent chains keep the processor's adder busy where one leaves it waiting. With one weight read per row
    rather than per tie, this takes about 70% of the time of a ``row_product`` a row (100,000 members, ten ties each).
    """
    indptr, indices, weight = rows.indptr, rows.indices, rows.weight
    paired = out.size - out.size % SIDE_BY_SIDE
    for first in range(0, paired, SIDE_BY_SIDE):
        second = first + 1
        at, other, other_end = indptr[first], indptr[second], indptr[second + 1]
        first_weight, second_weight = weight[first], weight[second]
        first_total = second_total = 0.0
        both = min(other - at, other_end - other)  # ties of each row added side by side
        for tie in range(both):
            first_total += first_weight * x[indices[at + tie]]
            second_total += second_weight * x[indices[other + tie]]
        for tie in range(at + both, other):
            first_total += first_weight * x[indices[tie]]
        for tie in range(other + both, other_end):
            second_total += second_weight * x[indices[tie]]
        out[first], out[second] = first_total, second_total
    for row in range(paired, out.size):
        out[row] = row_average(rows, x, row)


@kernel
def row_average(rows, x, row):
    """Row ``row`` of ``averages_into``'s product alone (the last row of an odd number)."""
    indptr, indices, weight = rows.indptr, rows.indices, rows.weight
    total = 0.0
    for tie in range(indptr[row], indptr[row + 1]):
        total += weight[row] * x[indices[tie]]
    return total


def home_neighbourhoods(influence: sparse.csr_matrix, count: int, ties: int, rng: np.random.Generator) -> np.ndarray:
    """For each released person, `ties` community members around a random home: the home and its neighbours.

    Neighbours are chosen without replacement (the smallest of a random key per neighbour, all homes at
    once); where a home has too few neighbours the rest are drawn at random from the whole community, and
    drawn again from the members not yet chosen where they fell on the home or one of its ties
    (``distinct_ties``), so that each person meets `ties` different members, as the contact rules count them.
    """
    size = influence.shape[0]
    homes = rng.integers(0, size, count)
    indptr, indices = influence.indptr, influence.indices
    degree = indptr[homes + 1] - indptr[homes]
    start = np.repeat(np.cumsum(degree) - degree, degree)
    owner = np.repeat(np.arange(count), degree)
    rank = np.arange(owner.size) - start  # position among the owner's neighbours
    candidates = indices[np.repeat(indptr[homes], degree) + rank]
    order = np.lexsort((rng.random(owner.size), owner))  # shuffles within each owner, keeps owners grouped
    chosen = np.empty((count, ties), dtype=np.int64)
    chosen[:, 0] = homes
    pick = rank < ties - 1
    chosen[owner[pick], 1 + rank[pick]] = candidates[order][pick]
    missing = np.arange(1, ties)[None, :] > degree[:, None]
    chosen[:, 1:][missing] = rng.integers(0, size, (count, ties - 1))[missing]  # one draw per place, missing or not
    return distinct_ties(chosen, missing, size, rng)


def distinct_ties(chosen: np.ndarray, missing: np.ndarray, size: int, rng: np.random.Generator) -> np.ndarray:
    """``chosen`` with the drawn places (``missing``, beside the home) of each row that repeats a member drawn again
    from the members not otherwise in the row.

    Only rows with a repeat draw again, so a network whose homes all have enough neighbours (every shipped
    scenario's) uses the stream as before; a repeat would give that member two ties to the person, counted twice
    in the weekly contact, and the person fewer members to average over than `network.released_neighbours` says.
    Only rows with a drawn place are sorted to find a repeat: the others hold a home and distinct neighbours of it (the
    graph has no self-loops), which cannot repeat, and have no place to draw again.
    """
    drawing = np.flatnonzero(missing.any(axis=1))
    ordered = np.sort(chosen[drawing], axis=1)
    for row in drawing[(ordered[:, 1:] == ordered[:, :-1]).any(axis=1)]:
        drawn = np.flatnonzero(missing[row]) + 1
        kept = np.delete(chosen[row], drawn)
        chosen[row, drawn] = rng.choice(np.setdiff1d(np.arange(size), kept), drawn.size, replace=False)
    return chosen


def mesa_graph(layout: Layout, edges: list[np.ndarray]) -> nx.Graph:
    """The networkx graph Mesa's Network space is built on: every agent a node, every tie an edge."""
    graph = nx.Graph()
    graph.add_nodes_from(range(layout.total))
    for block in edges:
        graph.add_edges_from(block.tolist())
    return graph
