"""The printable clip: OpenSCAD renders every variant to a closed mesh of a size that fits the parts."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

SCAD = Path(__file__).resolve().parents[2] / "hardware" / "enclosure" / "clip.scad"
OPENSCAD = shutil.which("openscad")
pytestmark = pytest.mark.skipif(OPENSCAD is None, reason="openscad not installed (apt-get install openscad)")


def render_echo(tmp_path: Path, **params: str) -> tuple[np.ndarray, dict[str, object]]:
    """Triangles (n, 3, 3) of the ASCII STL OpenSCAD writes for `params` (values are OpenSCAD literals), and the
    values the model echoes (`echo(name = value)`, one per line) about where its openings are."""
    out = tmp_path / ("_".join(f"{k}{v}" for k, v in params.items()).replace('"', "") + ".stl")
    defines = [arg for k, v in params.items() for arg in ("-D", f"{k}={v}")]
    proc = subprocess.run([str(OPENSCAD), "-o", str(out), *defines, str(SCAD)], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    vertices = [[float(v) for v in line.split()[1:4]] for line in out.read_text().splitlines()
                if line.strip().startswith("vertex")]
    echoed = {m[1]: json.loads(m[2]) for m in re.finditer(r"^ECHO: (\w+) = (.*)$", proc.stderr.decode(), re.M)}
    return np.array(vertices).reshape(-1, 3, 3), echoed


def render(tmp_path: Path, **params: str) -> np.ndarray:
    return render_echo(tmp_path, **params)[0]


_RAY = np.array([0.0123, 0.0317, 1.0]) / np.linalg.norm([0.0123, 0.0317, 1.0])  # skewed: misses edges


def solid(triangles: np.ndarray, *points: tuple[float, float, float]) -> list[bool]:
    """Whether each point lies inside the closed mesh (odd number of crossings of a ray from it)."""
    v0, e1, e2 = triangles[:, 0], triangles[:, 1] - triangles[:, 0], triangles[:, 2] - triangles[:, 0]
    h = np.cross(_RAY, e2)
    a = np.einsum("ij,ij->i", e1, h)
    ok = np.abs(a) > 1e-12
    f = np.where(ok, 1.0 / np.where(ok, a, 1.0), 0.0)
    result = []
    for p in points:
        s = np.asarray(p, float) - v0
        u = f * np.einsum("ij,ij->i", s, h)
        q = np.cross(s, e1)
        v = f * (q @ _RAY)
        t = f * np.einsum("ij,ij->i", e2, q)
        hits = ok & (u >= 0) & (v >= 0) & (u + v <= 1) & (t > 1e-9)
        result.append(bool(hits.sum() % 2))
    return result


def grid(lo: tuple[float, float, float], hi: tuple[float, float, float], n: int = 4) -> list[tuple[float, ...]]:
    """n^3 points filling the box lo..hi (inclusive): the box is air if none of them is solid."""
    axes = [np.linspace(a, b, n) for a, b in zip(lo, hi, strict=True)]
    return [tuple(p) for p in np.array(np.meshgrid(*axes)).reshape(3, -1).T]


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
    {"clip": '"lace"', "lace_pitch": "15"},
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


def test_solid_tells_inside_from_outside(tmp_path: Path) -> None:
    """The point test the checks below rely on: inside the floor is solid, the box's cavity and the world are not."""
    tri, echo = render_echo(tmp_path)
    outer_l, outer_w, _ = echo["outer"]
    assert solid(tri, (outer_l / 2, outer_w / 2, 0.8), (outer_l / 2, outer_w / 2, 5.0), (outer_l / 2, -3.0, 0.8)) \
        == [True, False, False]


def test_the_lace_channels_take_a_flat_running_lace(tmp_path: Path) -> None:
    """The loops had a 4.0 x 2.4 mm channel; flat running laces are 7-10 mm wide. Each channel is now at least
    11 x 3 mm (lace_gap_w x lace_gap_h), open along the whole width, under a bridge."""
    tri, echo = render_echo(tmp_path, clip='"lace"')
    _, outer_w, _ = echo["outer"]
    z0, z1 = echo["lace_z"]
    assert len(echo["lace_channels"]) == 2 and z1 - z0 >= 3.0
    for x0, x1 in echo["lace_channels"]:
        assert x1 - x0 >= 11.0
        assert not any(solid(tri, *grid((x0 + 0.05, -0.5, z0 + 0.05), (x1 - 0.05, outer_w + 0.5, z1 - 0.05))))
        assert all(solid(tri, ((x0 + x1) / 2, outer_w / 2, z0 - 0.5), (x0 - 0.5, outer_w / 2, (z0 + z1) / 2)))


def test_lace_pitch_moves_the_loops_to_neighbouring_lace_crossings(tmp_path: Path) -> None:
    """The loops sit at the box's ends, 28.4 mm apart: more than the pitch of two neighbouring lace crossings
    (12-18 mm), so the guide says to thread the first and the third. lace_pitch places them closer, and a pitch
    at which the channels would run into each other stops the render."""
    default = render_echo(tmp_path)[1]["lace_channels"]
    centres = [(x0 + x1) / 2 for x0, x1 in default]
    assert centres[1] - centres[0] == pytest.approx(28.4, abs=0.05)
    tri, echo = render_echo(tmp_path, lace_pitch="15")
    (a0, a1), (b0, b1) = echo["lace_channels"]
    outer_l, outer_w, _ = echo["outer"]
    assert (b0 + b1) / 2 - (a0 + a1) / 2 == pytest.approx(15) and (a0 + b1) / 2 == pytest.approx(outer_l / 2)
    z0, z1 = echo["lace_z"]
    for x0, x1 in echo["lace_channels"]:
        assert not any(solid(tri, *grid((x0 + 0.05, -0.5, z0 + 0.05), (x1 - 0.05, outer_w + 0.5, z1 - 0.05))))
    assert solid(tri, ((a1 + b0) / 2, outer_w / 2, (z0 + z1) / 2)) == [True]  # the post between them
    proc = subprocess.run([str(OPENSCAD), "-o", str(tmp_path / "x.stl"), "-D", "lace_pitch=9", str(SCAD)],
                          capture_output=True, timeout=120)
    assert b"lace_pitch too small" in proc.stderr


def test_the_heel_clip_straps_on_outside_the_shoe(tmp_path: Path) -> None:
    """The heel clip was a U over the top edge of the heel counter, with a rigid 24 mm tongue inside the shoe
    against the runner's heel, gripping the padded collar. Now it is one loop under the floor for a hook-and-loop
    strap round the outside of the counter: nothing of it reaches past the box's footprint or further below the
    floor than the loop, and the channel takes the strap it is set to."""
    tri, echo = render_echo(tmp_path, clip='"heel"', strap_w="25", strap_t="3")
    (x0, x1), (z0, z1) = echo["heel_strap_x"], echo["heel_strap_z"]
    outer_l, outer_w, outer_h = echo["outer"]
    assert x1 - x0 >= 25.5 and z1 - z0 >= 3.2
    assert not any(solid(tri, *grid((x0 + 0.05, -0.5, z0 + 0.05), (x1 - 0.05, outer_w + 0.5, z1 - 0.05))))
    assert all(solid(tri, ((x0 + x1) / 2, outer_w / 2, z0 - 0.5), (x0 - 0.5, outer_w / 2, (z0 + z1) / 2)))
    points = tri.reshape(-1, 3)
    lo, hi = points.min(axis=0), points.max(axis=0)
    assert lo[0] >= -1e-6 and lo[1] >= -1e-6 and hi[0] <= outer_l + 1e-6 and hi[1] <= outer_w + 1e-6
    assert lo[2] == pytest.approx(z0 - 1.6, abs=0.01) and hi[2] == pytest.approx(outer_h)  # the loop's bridge only


def test_the_switch_lever_has_a_window_and_the_body_a_pocket_with_clearance(tmp_path: Path) -> None:
    """The switch went through a slot exactly its body's size (8.7 mm in 8.7 mm: printed holes come out small),
    held by a drop of glue. Now its lever comes out through a window (lever + travel + clearance) too small for
    the body, which sits in a pocket behind the wall, body + clearance wide, between two ribs."""
    tri, echo = render_echo(tmp_path)
    _, outer_w, _ = echo["outer"]
    wall = echo["lid"][0]
    zc, win_w, win_h = echo["switch_window"]
    _, pocket_w, pocket_h, rib_d = echo["switch_pocket"]
    yc = outer_w / 2
    assert 2.0 + 2.0 + 0.3 <= win_w < 8.7 and 1.5 + 0.3 <= win_h < 3.7  # lever + travel fit, the body does not
    assert 8.7 + 0.3 <= pocket_w <= 8.7 + 1.0 and 3.7 + 0.3 <= pocket_h <= 3.7 + 1.0
    window = grid((-0.5, yc - win_w / 2 + 0.05, zc - win_h / 2 + 0.05), (wall + 0.5, yc + win_w / 2 - 0.05, zc + win_h / 2 - 0.05))
    pocket = grid((wall + 0.05, yc - pocket_w / 2 + 0.05, zc - pocket_h / 2 + 0.05),
                  (wall + rib_d - 0.05, yc + pocket_w / 2 - 0.05, zc + pocket_h / 2 - 0.05))
    assert not any(solid(tri, *window, *pocket))
    # the wall in front of the body beside the window, and a rib each side of the pocket
    assert all(solid(tri, (wall / 2, yc + (win_w + pocket_w) / 4, zc), (wall / 2, yc, zc + (win_h + pocket_h) / 4),
                     (wall + rib_d / 2, yc - pocket_w / 2 - 0.4, zc), (wall + rib_d / 2, yc + pocket_w / 2 + 0.4, zc)))
    looser = render_echo(tmp_path, switch_clear="0.4")[1]["switch_pocket"]
    assert looser[1] == pytest.approx(8.7 + 0.8)


def test_the_usb_c_opening_has_a_counterbore_for_the_cable_overmold(tmp_path: Path) -> None:
    """A 12 x 6.5 mm overmold could not reach the socket through the 10 x 4.2 mm slot in a 1.8 mm wall. An outside
    counterbore of at least 12.5 x 6.8 mm leaves 0.5-1 mm of wall in front of the socket, and the opening rises
    with the board's standoff (foam tape and the wires on the BAT pads lift the board)."""
    tri, echo = render_echo(tmp_path)
    outer_l, outer_w, _ = echo["outer"]
    wall = echo["lid"][0]
    zc, slot_w, slot_h = echo["usb"]
    cb_w, cb_h, depth = echo["usb_cb"]
    assert cb_w >= 12.5 and cb_h >= 6.8 and 0.5 <= wall - depth <= 1.0
    yc = outer_w / 2
    counterbore = grid((outer_l - depth + 0.05, yc - cb_w / 2 + 0.1, zc - cb_h / 2 + 0.1),
                       (outer_l + 0.5, yc + cb_w / 2 - 0.1, zc + cb_h / 2 - 0.1))
    slot = grid((outer_l - wall - 0.5, yc - slot_w / 2 + 0.1, zc - slot_h / 2 + 0.1),
                (outer_l - depth + 0.1, yc + slot_w / 2 - 0.1, zc + slot_h / 2 - 0.1))
    assert not any(solid(tri, *counterbore, *slot))
    # the wall left beside the slot, behind the counterbore, and outside the counterbore
    assert all(solid(tri, (outer_l - depth - 0.3, yc + slot_w / 2 + 1.0, zc), (outer_l - 0.3, yc + cb_w / 2 + 1.0, zc)))
    high = render_echo(tmp_path, board_standoff="3.0")[1]
    assert high["usb"][0] == pytest.approx(zc + 1.5)


def test_the_lid_snaps_onto_the_box_with_a_press_fit(tmp_path: Path) -> None:
    """The lid used to sit on a plain lip with 0.4 mm of play on each side, held by nothing. Now the lip has
    0.1-0.2 mm clearance to the walls and a ridge on each long side that clicks into a groove in the wall."""
    body, echo = render_echo(tmp_path)
    lid = render(tmp_path, part='"lid"')
    outer_l, outer_w, outer_h = echo["outer"]
    wall, _, lid_t, lip_h = echo["lid"]
    gap = echo["lid_gap"]
    snap_z, r, snap_l = echo["snap"]
    assert 0.1 <= gap <= 0.2 and r > gap  # the ridge reaches into the wall: it has to snap
    xm, beside = outer_l / 2, outer_l / 2 - snap_l / 2 - 2.0
    zl = lid_t + lip_h / 2  # the ridge's height on the lid as printed (lip up)
    for y_face, out in ((wall + gap, -1), (outer_w - wall - gap, 1)):
        # the lip's face is `gap` inside the wall, with the ridge standing out of it in the middle only
        assert solid(lid, (beside, y_face - out * 0.05, zl), (beside, y_face + out * 0.05, zl), (xm, y_face + out * (r - 0.1), zl)) \
            == [True, False, True]
        y_wall = y_face + out * gap  # the wall's inner face
        assert solid(body, (xm, y_wall + out * (r - gap - 0.1), snap_z), (beside - 2, y_wall + out * 0.2, snap_z),
                     (xm, y_wall + out * (r + 0.2), snap_z), (xm, y_wall + out * 0.2, snap_z + r + gap + 0.2)) \
            == [False, True, True, True]  # groove, plain wall beside it, wall behind and above it
    assert snap_z == pytest.approx(outer_h - lip_h / 2)


def test_the_antenna_has_a_pocket_in_the_lid_away_from_the_cell(tmp_path: Path) -> None:
    """The XIAO ESP32S3 has only a U.FL socket: its external antenna lies in a pocket in the outside of the lid,
    over the heel end where the cell is not, with a hole for its lead."""
    lid, echo = render_echo(tmp_path, part='"lid"')
    x0, y0, w, length, depth = echo["antenna"]
    hx, hy, hole = echo["antenna_hole"]
    assert x0 + w <= echo["cell_x0"] - 1.0 and w >= 8 and length >= 15
    lid_t = echo["lid"][2]
    pocket = [p for p in grid((x0 + 0.05, y0 + 0.05, -0.5), (x0 + w - 0.05, y0 + length - 0.05, depth - 0.05), 5)]
    assert not any(solid(lid, *pocket, *grid((hx - hole / 3, hy - hole / 3, 0), (hx + hole / 3, hy + hole / 3, lid_t), 3)))
    assert all(solid(lid, (x0 + w / 2, y0 + length - 2.0, depth + 0.2), (x0 + w + 0.5, y0 + length / 2, 0.3)))
    # an M5StickC has its own antenna: no pocket
    m5_lid, m5 = render_echo(tmp_path, part='"lid"', board='"m5stickc_plus2"')
    assert m5["antenna"] == [] and solid(m5_lid, (x0 + w / 2, y0 + length / 2, 0.4)) == [True]


def test_the_m5stickc_can_be_switched_on_and_seen_blinking(tmp_path: Path) -> None:
    """The M5StickC Plus2's power button (on its side) needs a way in, and its red LED (identify blink, at the
    top end) a window."""
    tri, echo = render_echo(tmp_path, board='"m5stickc_plus2"')
    _, outer_w, _ = echo["outer"]
    wall = echo["lid"][0]
    bx, bl, bz, bh, side = echo["m5_button"]
    y_in = -0.5 if side < 0 else outer_w - wall - 0.1
    assert bl >= 10 and bh >= 5
    assert not any(solid(tri, *grid((bx + 0.1, y_in, bz - bh / 2 + 0.1), (bx + bl - 0.1, y_in + wall + 0.6, bz + bh / 2 - 0.1))))
    lz, lw, lh = echo["m5_led"]
    assert not any(solid(tri, *grid((-0.5, outer_w / 2 - lw / 2 + 0.1, lz - lh / 2 + 0.1), (wall + 0.1, outer_w / 2 + lw / 2 - 0.1, lz + lh / 2 - 0.1))))
    xiao = render(tmp_path)
    assert solid(xiao, (bx + bl / 2, 0.9, bz)) == [True]  # the reference build's wall has no button slot
