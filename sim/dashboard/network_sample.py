"""A readable sample of the network: the released people and the community members around their homes.

At 5,000 members a full drawing is a grey smudge, and a spring layout every frame is far too slow. The
sample keeps every released person (up to ``max_released``) and the ``max_community`` members with the
most released neighbours, lays it out once with a fixed seed, and caches the layout by the sample's
edges, so each frame only recolours the nodes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from sim.agents.states import Status

LAYOUT_SEED = 7
GRAVITY = 0.5  # pull towards the centre, so separate neighbourhoods do not drift to the edges
_layouts: dict[str, np.ndarray] = {}  # edge digest -> positions; a handful of presets at most
_LAYOUT_CACHE_SIZE = 16


@dataclass(frozen=True)
class NetworkSample:
    """Sampled node indices (into the community and cohort arrays), their ties and fixed positions."""

    community: np.ndarray  # indices into model.community arrays
    released: np.ndarray  # indices into model.cohort arrays: first those placed among neighbours
    edges: np.ndarray  # (E, 2) positions in the concatenated node list [community..., released...]
    positions: np.ndarray  # (N, 2) in the same order; the grid of the rest of the cohort has y < 0

    @property
    def size(self) -> int:
        return self.community.size + self.released.size

    def stigma(self, model) -> np.ndarray:
        return model.community.stigma[self.community]

    def status(self, model) -> np.ndarray:
        return model.cohort.status[self.released].astype(int)


def sample_network(model, max_community: int = 300, max_released: int = 400) -> NetworkSample:
    """The sample for ``model``'s network; deterministic, so the same world gives the same picture.

    Whole neighbourhoods are taken around the homes of released people spread evenly through the cohort
    until ``max_community`` members are in; those people are laid out among their neighbours, the rest
    of the cohort (up to ``max_released``) on a tidy grid below, so every status stays visible.
    """
    contact = model.contact_matrix.tocsc()  # community x released: 1 where a person lives near a member
    cohort_size = contact.shape[1]
    chosen: list[int] = []
    members: set[int] = set()
    for person in np.linspace(0, cohort_size - 1, cohort_size).round().astype(np.int64)[_spread(cohort_size)]:
        around = contact.indices[contact.indptr[person] : contact.indptr[person + 1]]
        if len(members) + around.size > max_community and chosen:
            break
        chosen.append(int(person))
        members.update(around.tolist())
    community = np.array(sorted(members), dtype=np.int64)
    placed = np.array(sorted(chosen), dtype=np.int64)
    rest = np.setdiff1d(np.arange(cohort_size), placed)
    room = max(0, max_released - placed.size)
    if rest.size > room:
        rest = rest[np.linspace(0, rest.size - 1, room).round().astype(np.int64)] if room else rest[:0]
    released = np.concatenate([placed, rest])

    within = model.community.influence[community][:, community].tocoo()
    local = contact[community][:, placed].tocsr().tocoo()
    pairs = np.concatenate([
        np.stack([within.row, within.col], axis=1),
        np.stack([local.row, community.size + local.col], axis=1),
    ]).astype(np.int64)
    pairs = np.sort(pairs, axis=1)
    edges = np.unique(pairs[pairs[:, 0] != pairs[:, 1]], axis=0).reshape(-1, 2)
    network = layout(community.size + placed.size, edges)
    return NetworkSample(community, released, edges, np.concatenate([network, _grid(rest.size)]))


def _spread(size: int) -> np.ndarray:
    """An order over 0..size-1 that visits the cohort evenly (bit-reversal style), so a prefix is a fair spread."""
    order = np.arange(size)
    key = np.array([int(f"{i:032b}"[::-1], 2) for i in range(size)])
    return order[np.argsort(key, kind="stable")]


def _grid(count: int) -> np.ndarray:
    """Positions of the people not drawn among neighbours: rows below the network picture."""
    if count == 0:
        return np.empty((0, 2))
    columns = int(np.ceil(np.sqrt(count * 4)))
    index = np.arange(count)
    return np.stack([(index % columns + 0.5) / columns, -0.08 - 0.06 * (index // columns)], axis=1)


def layout(nodes: int, edges: np.ndarray, iterations: int = 50) -> np.ndarray:
    """Fruchterman-Reingold positions in the unit square from a fixed seed, computed once per distinct sample.

    Vectorised in float32 rather than ``networkx.spring_layout``, whose sparse path (500+ nodes) loops
    in Python and takes many seconds for the sample of a default-sized world.
    """
    key = hashlib.sha1(np.int64(nodes).tobytes() + np.ascontiguousarray(edges).tobytes()).hexdigest()
    if key not in _layouts:
        if len(_layouts) >= _LAYOUT_CACHE_SIZE:
            _layouts.pop(next(iter(_layouts)))
        _layouts[key] = fruchterman_reingold(nodes, edges, iterations)
    return _layouts[key]


def fruchterman_reingold(nodes: int, edges: np.ndarray, iterations: int) -> np.ndarray:
    rng = np.random.default_rng(LAYOUT_SEED)
    pos = rng.random((nodes, 2), dtype=np.float32)
    adjacency = np.zeros((nodes, nodes), dtype=np.float32)
    adjacency[edges[:, 0], edges[:, 1]] = adjacency[edges[:, 1], edges[:, 0]] = 1.0
    k = np.float32(2.0 * np.sqrt(1.0 / max(nodes, 1)))  # ideal distance between tied nodes
    temperature = 0.1
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.maximum(np.sqrt((delta**2).sum(axis=-1)), 0.01)
        # repulsion k^2/d between all pairs, attraction d^2/k along ties
        strength = k * k / distance**2 - adjacency * distance / k
        move = np.einsum("ijk,ij->ik", delta, strength) - GRAVITY * nodes * k * (pos - pos.mean(axis=0))
        length = np.maximum(np.sqrt((move**2).sum(axis=1)), 0.01)
        pos += move * (np.minimum(length, temperature) / length)[:, None]
        temperature -= 0.1 / (iterations + 1)
    pos -= pos.min(axis=0)
    return (pos / np.maximum(pos.max(axis=0), 1e-9)).astype(float)


# Told apart by colour-blind viewers and on a washed-out projector (every pair at least 20 CIEDE2000 apart, under a
# deuteranopia or protanopia simulation and a raised black level too): recalled and back in prison differ in lightness
# as well as hue; orange beside vermilion, as before, read as one colour on a projector.
STATUS_COLOURS: dict[Status, str] = {
    Status.IN_PRISON: "#dddddd",  # light grey
    Status.ON_LICENCE: "#56b4e9",  # sky blue
    Status.LICENCE_ENDED: "#117733",  # green
    Status.RECALLED: "#e69f00",  # orange
    Status.RETURNED: "#332288",  # indigo
}
STATUS_LABELS: dict[Status, str] = {
    Status.IN_PRISON: "not yet released",
    Status.ON_LICENCE: "on licence",
    Status.LICENCE_ENDED: "licence ended",
    Status.RECALLED: "recalled (in custody now)",  # the curves and numbers count everyone ever recalled: RECALLED_EVER
    Status.RETURNED: "back in prison (new offence)",
}

