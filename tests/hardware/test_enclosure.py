"""The printable clip: OpenSCAD renders every variant to a closed mesh of a size that fits the parts."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

SCAD = Path(__file__).resolve().parents[2] / "hardware" / "enclosure" / "clip.scad"
OPENSCAD = shutil.which("openscad")
pytestmark = pytest.mark.skipif(OPENSCAD is None, reason="openscad not installed (apt-get install openscad)")


def render(tmp_path: Path, **params: str) -> np.ndarray:
    """Triangles (n, 3, 3) of the ASCII STL OpenSCAD writes for `params` (values are OpenSCAD literals)."""
    out = tmp_path / ("_".join(f"{k}{v}" for k, v in params.items()).replace('"', "") + ".stl")
    defines = [arg for k, v in params.items() for arg in ("-D", f"{k}={v}")]
    proc = subprocess.run([str(OPENSCAD), "-o", str(out), *defines, str(SCAD)], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    vertices = [[float(v) for v in line.split()[1:4]] for line in out.read_text().splitlines()
                if line.strip().startswith("vertex")]
    return np.array(vertices).reshape(-1, 3, 3)


def open_edges(triangles: np.ndarray) -> int:
    """Undirected edges not shared by exactly two triangles (0 for a closed, manifold mesh)."""
    keys = np.round(triangles, 4)
    edges: Counter[tuple[tuple[float, ...], tuple[float, ...]]] = Counter()
    for tri in keys:
        pts = [tuple(p) for p in tri]
        for a, b in ((0, 1), (1, 2), (2, 0)):
            edges[tuple(sorted((pts[a], pts[b])))] += 1  # type: ignore[arg-type]
    return sum(1 for n in edges.values() if n != 2)


def signed_volume_mm3(triangles: np.ndarray) -> float:
    a, b, c = triangles[:, 0], triangles[:, 1], triangles[:, 2]
    return float(np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6.0)


VARIANTS = [
    {"clip": '"lace"'},
    {"clip": '"heel"'},
    {"part": '"lid"'},
    {"board": '"m5stickc_plus2"'},
]


@pytest.mark.parametrize("params", VARIANTS, ids=lambda p: "-".join(v.strip('"') for v in p.values()))
def test_every_variant_renders_to_a_closed_mesh_of_plausible_size(tmp_path: Path, params: dict[str, str]) -> None:
    tri = render(tmp_path, **params)
    size = tri.reshape(-1, 3).max(axis=0) - tri.reshape(-1, 3).min(axis=0)
    volume = signed_volume_mm3(tri)
    print(f"{params}: {len(tri)} triangles, {size.round(1)} mm, {volume / 1000:.1f} cm^3")
    assert open_edges(tri) == 0
    assert volume > 0  # outward-facing normals
    assert 25 < size[0] < 90 and 15 < size[1] < 40 and 1.5 < size[2] < 30  # a shoe clip, not a brick


def test_the_box_grows_with_the_cell_it_must_hold(tmp_path: Path) -> None:
    small = render(tmp_path, cell_w="20", cell_h="5")
    big = render(tmp_path, cell_w="30", cell_h="8")
    extent = lambda t: t.reshape(-1, 3).max(axis=0) - t.reshape(-1, 3).min(axis=0)  # noqa: E731
    assert np.allclose(extent(big)[1:] - extent(small)[1:], [10, 3], atol=0.05)


def test_a_cell_that_leaves_no_room_for_the_switch_is_refused(tmp_path: Path) -> None:
    """The switch slot used to sit in the side wall, in the cell's layer, where the 30 mm cell had to go (the
    cell spans the box's width): as drawn, the two could not both fit. It is now in the heel-end wall, beside
    the cell's end, and a cell too long to leave the switch body room stops the render."""
    render(tmp_path, cell_l="30")
    out = tmp_path / "long.stl"
    proc = subprocess.run([str(OPENSCAD), "-o", str(out), "-D", "cell_l=46", str(SCAD)], capture_output=True,
                          timeout=120)
    assert b"no room left for the switch" in proc.stderr
