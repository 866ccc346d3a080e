"""Node positions for large graphs, computed in Python so the browser needs no physics.

networkx's own force layouts need SciPy above 500 nodes (absent here) or are quadratic
(``forceatlas2_layout``: 57 s for 5,000 nodes), so this is a small Fruchterman-Reingold
in NumPy whose repulsion is estimated from a random sample of nodes each step: linear in
nodes and edges, about 1.5 s for 5,000 nodes. Up to 200 nodes the sample is every node,
so the repulsion is exact.
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import numpy as np

SPACING_PX = 70.0  # typical distance to the nearest node on screen
SAMPLE = 200  # nodes sampled for repulsion in each step
GAP = 120.0  # pixels between packed components (room for a label)


def layout_positions(
    graph: nx.Graph[Hashable], *, seed: int = 7, iterations: int = 60
) -> dict[Hashable, tuple[float, float]]:
    """Positions in pixels, deterministic for a given graph and seed.

    Each connected component is laid out on its own and the components are packed in
    rows, biggest first, so isolated nodes sit beside the picture instead of being
    pushed to its edges (which would make "fit to screen" shrink everything else).
    """
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(map(str, c))))
    boxes = [_component_pixels(graph.subgraph(c), seed=seed, iterations=iterations) for c in components]
    return _pack(boxes)


def _component_pixels(
    graph: nx.Graph[Hashable], *, seed: int, iterations: int
) -> dict[Hashable, tuple[float, float]]:
    nodes = sorted(graph.nodes, key=str)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    edges = np.array(
        [(index[u], index[v]) for u, v in graph.edges() if u != v], dtype=np.int64
    ).reshape(-1, 2)
    pos = _sampled_fruchterman_reingold(len(nodes), edges, seed=seed, iterations=iterations)
    pos = _to_pixels(pos, edges, n=len(nodes))
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for i, node in enumerate(nodes)}


def _pack(boxes: list[dict[Hashable, tuple[float, float]]]) -> dict[Hashable, tuple[float, float]]:
    """Place component layouts left to right in rows about as wide as the biggest one."""
    placed: dict[Hashable, tuple[float, float]] = {}
    if not boxes:
        return placed
    bounds = [_bounds(box) for box in boxes]
    area = sum((x1 - x0 + GAP) * (y1 - y0 + GAP) for x0, y0, x1, y1 in bounds)
    row_width = max(float(np.sqrt(area) * 1.5), bounds[0][2] - bounds[0][0])
    x = y = row_height = 0.0
    for box, (x0, y0, x1, y1) in zip(boxes, bounds, strict=True):
        if x > 0 and x + (x1 - x0) > row_width:
            x, y, row_height = 0.0, y + row_height + GAP, 0.0
        for node, (px, py) in box.items():
            placed[node] = (round(px - x0 + x, 1), round(py - y0 + y, 1))
        x += x1 - x0 + GAP
        row_height = max(row_height, y1 - y0)
    return placed


def _bounds(box: dict[Hashable, tuple[float, float]]) -> tuple[float, float, float, float]:
    xs = [p[0] for p in box.values()]
    ys = [p[1] for p in box.values()]
    return min(xs), min(ys), max(xs), max(ys)


def _sampled_fruchterman_reingold(
    n: int, edges: np.ndarray, *, seed: int, iterations: int
) -> np.ndarray:
    """Force-directed positions in the unit square; repulsion from a node sample."""
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)) - 0.5
    k = 1.0 / np.sqrt(n)  # ideal distance between nodes
    gravity = 0.05 * k
    temperature = 0.1
    for step in range(iterations):
        disp = _repulsion(pos, rng, k) + _attraction(pos, edges, k) - gravity * n**0.5 * pos
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature = 0.1 * (1.0 - (step + 1) / (iterations + 1)) + 0.002
    return pos


def _repulsion(pos: np.ndarray, rng: np.random.Generator, k: float) -> np.ndarray:
    """k² / d pushes from a random sample, scaled up to stand for all nodes."""
    n = len(pos)
    size = min(n, SAMPLE)
    sample = rng.choice(n, size=size, replace=False)
    delta = pos[:, None, :] - pos[None, sample, :]
    dist2 = np.maximum(np.einsum("ijk,ijk->ij", delta, delta), 1e-6)
    force: np.ndarray = np.einsum("ijk,ij->ik", delta, k * k / dist2)
    return force * (n / size)


def _attraction(pos: np.ndarray, edges: np.ndarray, k: float) -> np.ndarray:
    """d² / k pulls along every edge."""
    disp = np.zeros_like(pos)
    if len(edges) == 0:
        return disp
    delta = pos[edges[:, 0]] - pos[edges[:, 1]]
    dist = np.linalg.norm(delta, axis=1)
    pull = delta * (dist / k)[:, None]
    np.add.at(disp, edges[:, 0], -pull)
    np.add.at(disp, edges[:, 1], pull)
    return disp


def _to_pixels(pos: np.ndarray, edges: np.ndarray, *, n: int) -> np.ndarray:
    """Scale so that nodes sit about SPACING_PX from their nearest neighbour.

    Nearest-neighbour distance rather than edge length: with hubs, spokes are long and
    scaling by them packs the rest of the picture into an unreadable ball.
    """
    rng = np.random.default_rng(0)
    sample = pos[rng.choice(n, size=min(n, 400), replace=False)]
    dist = np.linalg.norm(sample[:, None, :] - pos[None, :, :], axis=2)
    dist[dist == 0] = np.inf  # the node itself (and exact duplicates)
    nearest = float(np.median(dist.min(axis=1)))
    if not np.isfinite(nearest) or nearest <= 0:
        nearest = 1.0 / np.sqrt(n)
    return np.round(pos * (SPACING_PX / nearest), 1)
