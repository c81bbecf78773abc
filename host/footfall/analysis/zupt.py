"""Zero-velocity-aided strapdown integration of one stride, from one foot-flat rest to the next.

The foot is at rest (zero velocity, known tilt from gravity) at both ends of the window, so the stride can be
integrated on its own, in closed form, with no filter state carried between strides:

1. orientation: the gyroscope increments (rotation vectors of the mean rate over each sample interval) are
   chained by a two-level prefix product (vectorised across blocks of samples instead of a per-sample Python
   loop) of unit quaternions, the same rotations as 3x3 matrices at a third of the arithmetic, then levelled
   by the gravity measured at the first rest (yaw is unobservable: 0);
2. tilt: at the second rest gravity is measured again and the disagreement is reported (`end_tilt_deg`) but
   not imposed, because in running the foot still accelerates at mid-stance (see integrate_strides);
3. velocity: world-frame acceleration minus gravity, trapezoid-integrated; the velocity left at the second
   rest is removed linearly in time (linear de-drift, Peruzzi et al. 2011; Rampp et al. 2015);
4. position: trapezoid integral of the de-drifted velocity.

Many windows can be integrated in one pass (integrate_strides), which shares numpy's per-call overhead: the
pipeline measures all strides found in one detection pass together (~60-130 us per stride on 65536-sample
blocks). The matrix forms (rotation_matrices, prefix_product, orientation) are kept as the reference.

This is the "integrate between zero-velocity updates" scheme of Foxlin (2005) with the per-stride linear drift
removal used by Peruzzi et al. (2011), Rampp et al. (2015) and Hannink et al. (2017); the zero-velocity
instants themselves come from the pipeline's stance detection (cf. Skog et al. 2010).

References: Foxlin E. (2005) Pedestrian tracking with shoe-mounted inertial sensors. IEEE CG&A 25(6):38-46.
Skog I. et al. (2010) Zero-velocity detection - an algorithm evaluation. IEEE TBME 57(11):2657-2666.
Peruzzi A., Della Croce U., Cereatti A. (2011) Estimation of stride length in level walking using an inertial
measurement unit attached to the foot. J Biomech 44(10):1991-1994.
Rampp A. et al. (2015) Inertial sensor-based stride parameter calculation from gait sequences in geriatric
patients. IEEE TBME 62(4):1089-1097.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from footfall.samples import STANDARD_GRAVITY_MPS2, FloatArray


@dataclass(frozen=True)
class Trajectory:
    """The integrated stride in a world frame: z up, x/y horizontal with yaw 0 at the first rest."""

    pos_m: FloatArray  # (n, 3), zero at the first rest
    vel_mps: FloatArray  # (n, 3), de-drifted: zero at both rests
    acc_mps2: FloatArray  # (n, 3), world-frame acceleration without gravity
    toe_axis: FloatArray  # (n, 3), the foot's x axis in the world frame
    toe_elevation_deg: FloatArray  # (n,), elevation of the foot's x (toe) axis, levelled at the closing rest
    end_velocity_mps: float  # velocity left at the second rest before de-drift (a ZUPT quality figure)
    end_tilt_deg: float  # predicted vs measured gravity at the second rest (gyro drift + foot acceleration)
    heading_change_rad: float  # yaw of the toe axis from the first rest to the second (+ = left turn)


def _cross(a: FloatArray, b: FloatArray) -> FloatArray:
    """Cross product of (..., 3) arrays (np.cross carries a large per-call overhead at these sizes)."""
    return np.stack(
        (
            a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1],
            a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2],
            a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0],
        ),
        axis=-1,
    )


def rotation_matrices(rotvec: FloatArray) -> FloatArray:
    """Rodrigues: rotation matrices (n, 3, 3) of rotation vectors (n, 3) in rad."""
    angle = np.sqrt((rotvec * rotvec).sum(axis=1))
    safe = np.maximum(angle, 1e-12)
    s = np.where(angle > 1e-12, np.sin(angle) / safe, 1.0)  # sin(a)/a
    c = np.where(angle > 1e-12, (1.0 - np.cos(angle)) / (safe * safe), 0.5)  # (1-cos a)/a^2
    x, y, z = rotvec.T
    m = np.empty((len(rotvec), 3, 3))
    m[:, 0, 0] = 1.0 - c * (y * y + z * z)
    m[:, 1, 1] = 1.0 - c * (x * x + z * z)
    m[:, 2, 2] = 1.0 - c * (x * x + y * y)
    m[:, 0, 1] = c * x * y - s * z
    m[:, 1, 0] = c * x * y + s * z
    m[:, 0, 2] = c * x * z + s * y
    m[:, 2, 0] = c * x * z - s * y
    m[:, 1, 2] = c * y * z - s * x
    m[:, 2, 1] = c * y * z + s * x
    return m


_BLOCK = 16  # samples per block of the two-level scan: 5 full-length passes instead of log2(n)


def _scan(m: FloatArray) -> FloatArray:
    """Inclusive prefix matrix product along axis 1 (Hillis-Steele: log2(len) batched matmuls)."""
    k = 1
    while k < m.shape[1]:
        # the right-hand side is evaluated completely before the assignment, so no copy is needed
        m[:, k:] = m[:, :-k] @ m[:, k:]
        k *= 2
    return m


def prefix_product(m: FloatArray) -> FloatArray:
    """P_i = M_0 @ M_1 @ ... @ M_i for (n, 3, 3) matrices, as a two-level scan: within blocks of _BLOCK
    (all blocks at once), over the block totals, then each block pre-multiplied by the blocks before it.
    """
    n = len(m)
    nb = -(-n // _BLOCK)
    x = np.empty((nb * _BLOCK, 3, 3))
    x[:n] = m
    x[n:] = np.eye(3)
    x = _scan(x.reshape(nb, _BLOCK, 3, 3))
    before = np.empty((1, nb, 3, 3))
    before[0, 0] = np.eye(3)
    before[0, 1:] = x[:-1, -1]
    before = _scan(before)[0]
    return (before[:, None] @ x).reshape(nb * _BLOCK, 3, 3)[:n]


def orientation(gyr_radps: FloatArray, rate_hz: float, r0: FloatArray | None = None) -> FloatArray:
    """Body-to-world rotation matrices (n, 3, 3) for every sample, starting at r0 (identity when None); each
    sample interval rotates by the mean rate of its two ends."""
    inc = rotation_matrices((0.5 / rate_hz) * (gyr_radps[1:] + gyr_radps[:-1]))
    rot = np.empty((len(gyr_radps), 3, 3))
    rot[0] = np.eye(3) if r0 is None else r0
    rot[1:] = prefix_product(inc) if r0 is None else r0 @ prefix_product(inc)
    return rot


@dataclass(frozen=True)
class Trajectories:
    """Several windows integrated at once, concatenated: window k is rows start[k]..end[k] (inclusive)."""

    start: np.ndarray  # (K,) int
    end: np.ndarray  # (K,) int
    pos_m: FloatArray  # (N, 3) each window from zero at its first rest
    vel_mps: FloatArray  # (N, 3)
    acc_mps2: FloatArray  # (N, 3)
    toe_axis: FloatArray  # (N, 3)
    toe_elevation_deg: FloatArray  # (N,)
    end_velocity_mps: FloatArray  # (K,)
    end_tilt_deg: FloatArray  # (K,)
    heading_change_rad: FloatArray  # (K,)

    def window(self, k: int) -> Trajectory:
        sl = slice(int(self.start[k]), int(self.end[k]) + 1)
        return Trajectory(self.pos_m[sl], self.vel_mps[sl], self.acc_mps2[sl], self.toe_axis[sl],
                          self.toe_elevation_deg[sl], float(self.end_velocity_mps[k]), float(self.end_tilt_deg[k]),
                          float(self.heading_change_rad[k]))  # fmt: skip


def tilt_matrices(up: FloatArray) -> FloatArray:
    """Body-to-world rotations (K, 3, 3) with zero yaw whose world z is along each `up` (K, 3) (the specific
    force at rest, body frame): rows are the world axes in body coordinates, world x being the body x axis
    made horizontal."""
    z = up / np.sqrt((up * up).sum(axis=1, keepdims=True))
    x = -z[:, :1] * z
    x[:, 0] += 1.0
    bad = (x * x).sum(axis=1) < 1e-6  # toe straight up or down: use the body y axis instead
    if bad.any():
        x[bad] = -z[bad, 1:2] * z[bad]
        x[bad, 1] += 1.0
    x /= np.sqrt((x * x).sum(axis=1, keepdims=True))
    return np.stack((x, _cross(z, x), z), axis=1)


# --- the batched path: quaternions in (4, N) rows (w, x, y, z), vectors in (3, N) rows. Each operation is then
# a handful of ufuncs over contiguous rows, several times cheaper than stacked 3x3 matrix products.
_QBLOCK = 16  # columns per block of the two-level quaternion scan (sequential inside, parallel across)


def quat_mul(p: FloatArray, q: FloatArray) -> FloatArray:
    """Hamilton product p * q of (4, ...) quaternions (R(p * q) = R(p) @ R(q)), broadcasting."""
    pw, px, py, pz = p
    qw, qx, qy, qz = q
    return np.stack((pw * qw - px * qx - py * qy - pz * qz, pw * qx + px * qw + py * qz - pz * qy,
                     pw * qy - px * qz + py * qw + pz * qx, pw * qz + px * qy - py * qx + pz * qw))  # fmt: skip


def quat_increments(rotvec: FloatArray) -> FloatArray:
    """Unit quaternions (4, ...) of rotation vectors (3, ...) in rad (the same rotations as rotation_matrices).

    Per-sample increments are small (|a| < 0.1 rad even at 2000 deg/s and 416 Hz), where the Taylor series of
    cos(a/2) and sin(a/2)/a to the a^8 term are exact to double precision and cost a fraction of np.sin/np.cos;
    larger angles (low rates) take the exact functions."""
    h2 = 0.25 * (rotvec[0] * rotvec[0] + rotvec[1] * rotvec[1] + rotvec[2] * rotvec[2])  # (a/2)^2
    q = np.empty((4,) + rotvec.shape[1:])
    q[0] = 1.0 - h2 * (1 / 2 - h2 * (1 / 24 - h2 * (1 / 720 - h2 * (1 / 40320))))
    s = 0.5 - h2 * (1 / 12 - h2 * (1 / 240 - h2 * (1 / 10080 - h2 * (1 / 725760))))  # sin(a/2)/a
    big = h2 > 0.01  # a/2 > 0.1 rad: the series is no longer exact to rounding
    if big.any():
        half = np.sqrt(h2[big])
        q[0][big] = np.cos(half)
        s[big] = 0.5 * np.sin(half) / half
    np.multiply(rotvec, s, out=q[1:])
    return q


def quat_prefix(q: FloatArray) -> FloatArray:
    """P_i = q_0 * q_1 * ... * q_i along the last axis of (4, ..., M) quaternions: a sequential scan inside
    blocks of _QBLOCK columns (all blocks and rows at once), a Hillis-Steele scan over the block totals, then
    each block pre-multiplied. The grouping of the products depends only on the column, so a row gives
    bit-identical results whatever else is scanned with it and however long the rows are padded."""
    m = q.shape[-1]
    nb = max(1, -(-m // _QBLOCK))
    x = np.zeros(q.shape[:-1] + (nb * _QBLOCK,))
    x[0] = 1.0
    x[..., :m] = q
    x = np.moveaxis(x.reshape(q.shape[:-1] + (nb, _QBLOCK)), -1, 1).copy()  # (4, block position, ..., block)
    for j in range(1, _QBLOCK):
        x[:, j] = quat_mul(x[:, j - 1], x[:, j])
    before = np.zeros(q.shape[:-1] + (nb,))
    before[0] = 1.0
    before[..., 1:] = x[:, -1, ..., :-1]
    k = 1
    while k < nb:
        before[..., k:] = quat_mul(before[..., :-k], before[..., k:])  # the right side is complete first
        k *= 2
    out = quat_mul(before[:, None], x)  # (4, block position, ..., block)
    return np.moveaxis(out, 1, -1).reshape(q.shape[:-1] + (nb * _QBLOCK,))[..., :m]


def quat_matrix(q: FloatArray) -> FloatArray:
    """Rotation matrices of unit quaternions (4, ...) as (3, 3, ...) rows."""
    w, x, y, z = q
    xx, yy, zz, xy, xz, yz, wx, wy, wz = x * x, y * y, z * z, x * y, x * z, y * z, w * x, w * y, w * z
    m = np.empty((3, 3) + q.shape[1:])
    for (i, j), v in zip(((0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1), (2, 2)),
                         (0.5 - yy - zz, xy - wz, xz + wy, xy + wz, 0.5 - xx - zz, yz - wx, xz - wy, yz + wx,
                          0.5 - xx - yy)):  # fmt: skip
        np.multiply(v, 2.0, out=m[i, j])
    return m


def matrix_quat(m: FloatArray) -> FloatArray:
    """Unit quaternions (4, K) of rotation matrices (K, 3, 3) (Shepperd's method: the largest of the four
    candidate components is computed from the diagonal, the others from the off-diagonal terms)."""
    tr = np.stack((m[:, 0, 0] + m[:, 1, 1] + m[:, 2, 2], m[:, 0, 0], m[:, 1, 1], m[:, 2, 2]))
    cand = np.stack((1.0 + tr[0], 1.0 + 2 * tr[1] - tr[0], 1.0 + 2 * tr[2] - tr[0], 1.0 + 2 * tr[3] - tr[0]))
    d21, d02, d10 = m[:, 2, 1] - m[:, 1, 2], m[:, 0, 2] - m[:, 2, 0], m[:, 1, 0] - m[:, 0, 1]
    s01, s02, s12 = m[:, 0, 1] + m[:, 1, 0], m[:, 0, 2] + m[:, 2, 0], m[:, 1, 2] + m[:, 2, 1]
    rows = np.stack((
        np.stack((cand[0], d21, d02, d10)), np.stack((d21, cand[1], s01, s02)),
        np.stack((d02, s01, cand[2], s12)), np.stack((d10, s02, s12, cand[3])),
    ))  # fmt: skip  # row i: 4 q_i q (times 4 q_i^2 / q_i, i.e. 4 q_i * q)
    best = np.argmax(cand, axis=0)
    k = np.arange(m.shape[0])
    q = rows[best, :, k].T
    return q / np.sqrt((q * q).sum(axis=0))


def integrate_strides(
    acc_mps2: FloatArray, gyr_radps: FloatArray, start: np.ndarray, end: np.ndarray, rate_hz: float,
    rest_n: int, sensor_height_m: float = 0.0,
) -> Trajectories:  # fmt: skip
    """Integrate K windows, each from a foot-flat rest (row start[k]) to the next (row end[k]), concatenated
    in `acc_mps2`/`gyr_radps` (N, 3) with end[k] + 1 == start[k + 1]; see the module docstring.

    One set of numpy calls serves all K windows, so batching the strides of a block costs little more than one,
    and each window's results are bit-identical to integrating it alone (every window is laid out from
    column 0 of a padded (K, L) grid; nothing is summed across windows).
    `rest_n` samples at each end are averaged for the gravity direction at the rests; the averaging is done
    in the integrated frame, so the foot's roll-over during those samples does not blur the direction.
    `sensor_height_m` is the sensor's height above the sole: at a running or walking "rest" the foot still
    rolls (0.3-1 rad/s), so the sensor moves at omega x r about the sole instead of standing still (pyshoe:
    Vicon shows 0.05-0.1 m/s there, which made strides 1-2.6 % short with a plain zero-velocity update).
    """
    start, end = np.asarray(start), np.asarray(end)
    rows = np.minimum(start[:, None] + np.arange((end - start).max() + 1), end[:, None])  # (K, L), last row repeated
    grid = integrate_grid(acc_mps2.T[:, rows], gyr_radps.T[:, rows], end - start + 1, rate_hz, rest_n,
                          sensor_height_m)  # fmt: skip
    return grid.concatenated(start, end)


@dataclass(frozen=True)
class Grid:
    """integrate_grid's result: window k in row k, columns 0..n[k]-1 (the rest is padding)."""

    n: np.ndarray  # (K,) samples per window
    pos_m: FloatArray  # (3, K, L)
    vel_mps: FloatArray  # (3, K, L)
    acc_mps2: FloatArray  # (3, K, L)
    quat: FloatArray  # (4, K, L) levelled orientation (world from foot)
    up_end: FloatArray  # (3, K) gravity direction at the closing rest
    end_velocity_mps: FloatArray  # (K,)
    end_tilt_deg: FloatArray  # (K,)
    heading_change_rad: FloatArray  # (K,)

    def at(self, field: FloatArray, col: np.ndarray) -> FloatArray:
        """`field` (..., K, L) at column col[k] of each window: (..., K)."""
        return field[..., np.arange(len(col)), col]

    def toe(self, col: np.ndarray | None = None) -> FloatArray:
        """The foot's x (toe) axis in the world frame, (3, K, L), or (3, K) at column col[k] of each window."""
        return _toe(self.quat if col is None else self.at(self.quat, col))

    def lift(self, col: np.ndarray | None = None) -> FloatArray:
        """Sine of the toe's elevation against the closing rest's gravity, (K, L) or (K,) at col[k]."""
        toe, up = self.toe(col), self.up_end if col is not None else self.up_end[:, :, None]
        return toe[0] * up[0] + toe[1] * up[1] + toe[2] * up[2]

    def concatenated(self, start: np.ndarray, end: np.ndarray) -> Trajectories:
        valid = np.arange(self.pos_m.shape[2]) < self.n[:, None]
        pos, vel, acc, toe = (f[:, valid].T for f in (self.pos_m, self.vel_mps, self.acc_mps2, self.toe()))
        elevation = np.degrees(np.arcsin(np.clip(self.lift()[valid], -1.0, 1.0)))
        return Trajectories(start, end, pos, vel, acc, toe, elevation, self.end_velocity_mps, self.end_tilt_deg,
                            self.heading_change_rad)  # fmt: skip


def _toe(q: FloatArray) -> FloatArray:
    """First column of R(q) (the image of the body x axis)."""
    w, x, y, z = q
    return 2.0 * np.stack((0.5 - y * y - z * z, x * y + w * z, x * z - w * y))


def quat_rotate(q: FloatArray, v: FloatArray) -> FloatArray:
    """R(q) v for unit quaternions (4, ...) and vectors (3, ...): v + w t + u x t with t = 2 u x v (about half
    the arithmetic of building the matrices first)."""
    w, x, y, z = q
    tx, ty, tz = 2.0 * (y * v[2] - z * v[1]), 2.0 * (z * v[0] - x * v[2]), 2.0 * (x * v[1] - y * v[0])
    return np.stack((v[0] + w * tx + (y * tz - z * ty), v[1] + w * ty + (z * tx - x * tz),
                     v[2] + w * tz + (x * ty - y * tx)))  # fmt: skip


def integrate_grid(acc: FloatArray, gyr: FloatArray, n: np.ndarray, rate_hz: float, rest_n: int,
                   sensor_height_m: float = 0.0) -> Grid:  # fmt: skip
    """integrate_strides on windows laid out as rows of (3, K, L) acc/gyr grids, window k in columns
    0..n[k]-1 (padding: any finite samples); see integrate_strides."""
    k_idx = np.arange(len(n))[:, None]
    last_col = n - 1
    first = np.broadcast_to(np.arange(rest_n), (len(n), rest_n))
    last = last_col[:, None] - np.arange(rest_n)
    quat = np.empty((4,) + acc.shape[1:])
    quat[:, :, 0] = np.array([1.0, 0.0, 0.0, 0.0])[:, None]
    quat[:, :, 1:] = quat_prefix(quat_increments((0.5 / rate_hz) * (gyr[:, :, 1:] + gyr[:, :, :-1])))
    r_first = quat_matrix(quat[:, :, :rest_n])  # (3, 3, K, rest_n)
    a_first = acc[:, :, :rest_n]
    up0 = (r_first[:, 0] * a_first[0] + r_first[:, 1] * a_first[1] + r_first[:, 2] * a_first[2]).sum(axis=2)
    level = matrix_quat(tilt_matrices(np.ascontiguousarray(up0.T)))
    quat = quat_mul(level[:, :, None], quat)  # (4, K, L): the levelled frames
    acc_world = quat_rotate(quat, acc)
    # The tilt seen at the closing rest is only reported, not imposed: at running mid-stance the foot still
    # accelerates by 1-3 m/s^2, which would tilt "gravity" by 5-15 deg, far more than a MEMS gyro drifts in
    # one stride (pyshoe jogging: imposing it linearly in time made stride lengths 8 % short instead of 2 %).
    up_end = acc_world[:, k_idx, last].sum(axis=2)  # (3, K)
    up_end /= np.sqrt(up_end[0] * up_end[0] + up_end[1] * up_end[1] + up_end[2] * up_end[2])
    end_tilt = np.degrees(np.arccos(np.clip(up_end[2], -1.0, 1.0)))
    acc_world[2] -= STANDARD_GRAVITY_MPS2
    mid = quat_matrix(quat[:, k_idx, np.stack((first[:, rest_n // 2], last[:, rest_n // 2]), axis=1)])  # (3, 3, K, 2)
    v0 = _rest_velocity(mid[..., 0], gyr[:, k_idx, first], sensor_height_m)
    v1 = _rest_velocity(mid[..., 1], gyr[:, k_idx, last], sensor_height_m)
    half_dt = 0.5 / rate_hz
    vel = np.zeros_like(acc_world)
    np.cumsum((acc_world[:, :, 1:] + acc_world[:, :, :-1]) * half_dt, axis=2, out=vel[:, :, 1:])
    vel += v0[:, :, None]
    end_vel = vel[:, k_idx[:, 0], last_col] - v1
    ramp = np.arange(acc.shape[2]) / np.maximum(last_col, 1)[:, None]
    vel -= ramp * end_vel[:, :, None]  # linear de-drift: the rest velocities at both ends
    pos = np.zeros_like(vel)
    np.cumsum((vel[:, :, 1:] + vel[:, :, :-1]) * half_dt, axis=2, out=pos[:, :, 1:])
    # the toe's elevation is measured against the closing rest's own gravity (Grid.lift): the strike angle then
    # rests only on the short integration from IC to that rest, not on the whole stride nor on the opening rest
    toe_end, toe_start = _toe(quat[:, k_idx[:, 0], last_col]), _toe(quat[:, :, 0])
    turn = np.arctan2(toe_end[1], toe_end[0]) - np.arctan2(toe_start[1], toe_start[0])
    turn = (turn + np.pi) % (2 * np.pi) - np.pi
    speed_left = np.sqrt(end_vel[0] * end_vel[0] + end_vel[1] * end_vel[1] + end_vel[2] * end_vel[2])
    return Grid(n, pos, vel, acc_world, quat, up_end, speed_left, end_tilt, turn)


def _rest_velocity(rot_mid: FloatArray, gyr: FloatArray, height_m: float) -> FloatArray:
    """World velocity (3, K) of the sensor at rests where the foot still rolls: omega x r with r = (0, 0, h)
    from a pivot on the sole below the sensor, omega averaged over the rest samples (3, K, rest_n);
    `rot_mid` (3, 3, K) is the levelled orientation in the middle of each rest."""
    w = gyr.sum(axis=2) * (height_m / gyr.shape[2])
    return rot_mid[:, 0] * w[1] - rot_mid[:, 1] * w[0]  # rot @ (w_y, -w_x, 0) h


def integrate_stride(
    acc_mps2: FloatArray, gyr_radps: FloatArray, rate_hz: float, rest_n: int, sensor_height_m: float = 0.0
) -> Trajectory:
    """Integrate one window that starts and ends at foot-flat rest (integrate_strides with K = 1)."""
    n = len(acc_mps2)
    rest_n = max(1, min(rest_n, n // 4))
    k0, k1 = np.array([0]), np.array([n - 1])
    return integrate_strides(acc_mps2, gyr_radps, k0, k1, rate_hz, rest_n, sensor_height_m).window(0)
