"""Zero-velocity-aided strapdown integration of one stride, from one foot-flat rest to the next.

The foot is at rest (zero velocity, known tilt from gravity) at both ends of the window, so the stride can be
integrated on its own, in closed form, with no filter state carried between strides:

1. orientation: the gyroscope increments (rotation vectors of the mean rate over each sample interval) are
   chained into rotation matrices by a two-level parallel prefix product (a few batched matrix products
   instead of a per-sample Python loop), levelled by the gravity measured at the first rest (yaw is
   unobservable: 0);
2. tilt: at the second rest gravity is measured again and the disagreement is reported (`end_tilt_deg`) but
   not imposed, because in running the foot still accelerates at mid-stance (see integrate_strides);
3. velocity: world-frame acceleration minus gravity, trapezoid-integrated; the velocity left at the second
   rest is removed linearly in time (linear de-drift, Peruzzi et al. 2011; Rampp et al. 2015);
4. position: trapezoid integral of the de-drifted velocity.

Many windows can be integrated in one pass (integrate_strides), which shares numpy's per-call overhead.

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
_QBLOCK = 32  # columns per block of the two-level quaternion scan (sequential inside, parallel across)


def quat_mul(p: FloatArray, q: FloatArray) -> FloatArray:
    """Hamilton product p * q of (4, ...) quaternions (R(p * q) = R(p) @ R(q)), broadcasting."""
    pw, px, py, pz = p
    qw, qx, qy, qz = q
    return np.stack((pw * qw - px * qx - py * qy - pz * qz, pw * qx + px * qw + py * qz - pz * qy,
                     pw * qy - px * qz + py * qw + pz * qx, pw * qz + px * qy - py * qx + pz * qw))  # fmt: skip


def quat_increments(rotvec: FloatArray) -> FloatArray:
    """Unit quaternions (4, M) of rotation vectors (3, M) in rad (the same rotations as rotation_matrices)."""
    angle = np.sqrt(rotvec[0] * rotvec[0] + rotvec[1] * rotvec[1] + rotvec[2] * rotvec[2])
    half = 0.5 * angle
    s = np.divide(np.sin(half), angle, out=np.full_like(angle, 0.5), where=angle > 1e-12)  # sin(a/2)/a
    q = np.empty((4, rotvec.shape[1]))
    q[0] = np.cos(half)
    np.multiply(rotvec, s, out=q[1:])
    return q


def quat_prefix(q: FloatArray) -> FloatArray:
    """P_i = q_0 * q_1 * ... * q_i for (4, M) quaternions: a sequential scan inside blocks of _QBLOCK columns
    (all blocks at once), a Hillis-Steele scan over the block totals, then each block pre-multiplied."""
    m = q.shape[1]
    nb = max(1, -(-m // _QBLOCK))
    x = np.zeros((4, nb * _QBLOCK))
    x[0] = 1.0
    x[:, :m] = q
    x = np.ascontiguousarray(x.reshape(4, nb, _QBLOCK).transpose(0, 2, 1))  # (4, block position, block)
    for j in range(1, _QBLOCK):
        x[:, j] = quat_mul(x[:, j - 1], x[:, j])
    before = np.zeros((4, nb))
    before[0] = 1.0
    before[:, 1:] = x[:, -1, :-1]
    k = 1
    while k < nb:
        before[:, k:] = quat_mul(before[:, :-k], before[:, k:])  # the right side is complete before assigning
        k *= 2
    return quat_mul(before[:, None, :], x).transpose(0, 2, 1).reshape(4, nb * _QBLOCK)[:, :m]


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


def _restart_cumsum(step: FloatArray, start: np.ndarray, counts: np.ndarray) -> FloatArray:
    """(3, N) running sums of (3, N-1) increments, restarting at zero at each window start (the increments
    across window joins must already be zero)."""
    out = np.zeros((3, step.shape[1] + 1))
    np.cumsum(step, axis=1, out=out[:, 1:])
    if len(start) > 1:
        out -= np.repeat(out[:, start], counts, axis=1)
    return out


def integrate_strides(
    acc_mps2: FloatArray, gyr_radps: FloatArray, start: np.ndarray, end: np.ndarray, rate_hz: float,
    rest_n: int, sensor_height_m: float = 0.0,
) -> Trajectories:  # fmt: skip
    """Integrate K windows, each from a foot-flat rest (row start[k]) to the next (row end[k]), concatenated
    in `acc_mps2`/`gyr_radps` (N, 3) with end[k] + 1 == start[k + 1]; see the module docstring.

    One set of numpy calls serves all K windows, so batching the strides of a block costs little more than one.
    `rest_n` samples at each end are averaged for the gravity direction at the rests; the averaging is done
    in the integrated frame, so the foot's roll-over during those samples does not blur the direction.
    `sensor_height_m` is the sensor's height above the sole: at a running or walking "rest" the foot still
    rolls (0.3-1 rad/s), so the sensor moves at omega x r about the sole instead of standing still (pyshoe:
    Vicon shows 0.05-0.1 m/s there, which made strides 1-2.6 % short with a plain zero-velocity update).

    Orientation is carried as quaternions (the same rotations as `orientation`, to float rounding); it is not
    re-based per window: each window is levelled by its own first rest, and every output is invariant to the
    (unobservable) yaw this leaves.
    """
    acc, gyr = np.ascontiguousarray(acc_mps2.T), np.ascontiguousarray(gyr_radps.T)
    return integrate_strides_t(acc, gyr, np.asarray(start), np.asarray(end), rate_hz, rest_n, sensor_height_m)


def integrate_strides_t(
    acc: FloatArray, gyr: FloatArray, start: np.ndarray, end: np.ndarray, rate_hz: float, rest_n: int,
    sensor_height_m: float = 0.0,
) -> Trajectories:  # fmt: skip
    """integrate_strides on transposed (3, N) acc/gyr rows (what a caller that gathers the rows can give
    for free); the Trajectories hold (N, 3) views as there."""
    counts = end - start + 1
    rotvec = (0.5 / rate_hz) * (gyr[:, 1:] + gyr[:, :-1])
    rotvec[:, start[1:] - 1] = 0.0  # no rotation carried across a join
    quat = np.empty((4, acc.shape[1]))
    quat[:, 0] = (1.0, 0.0, 0.0, 0.0)
    quat[:, 1:] = quat_prefix(quat_increments(rotvec))
    first, last = _rest_rows(start, end, rest_n)
    r_first = quat_matrix(quat[:, first])  # (3, 3, K, rest_n)
    up0 = np.einsum("ijkr,jkr->ki", r_first, acc[:, first])
    level = matrix_quat(tilt_matrices(up0))
    quat = quat_mul(level if len(start) == 1 else np.repeat(level, counts, axis=1), quat)  # levelled frames
    rot = quat_matrix(quat)  # (3, 3, N)
    acc_world = rot[:, 0] * acc[0] + rot[:, 1] * acc[1] + rot[:, 2] * acc[2]
    toe = rot[:, 0]
    # The tilt seen at the closing rest is only reported, not imposed: at running mid-stance the foot still
    # accelerates by 1-3 m/s^2, which would tilt "gravity" by 5-15 deg, far more than a MEMS gyro drifts in
    # one stride (pyshoe jogging: imposing it linearly in time made stride lengths 8 % short instead of 2 %).
    up_end = acc_world[:, last].sum(axis=2)
    up_end /= np.sqrt((up_end * up_end).sum(axis=0))
    end_tilt = np.degrees(np.arccos(np.clip(up_end[2], -1.0, 1.0)))
    acc_world[2] -= STANDARD_GRAVITY_MPS2
    v0 = _rest_velocity(rot[:, :, first[:, rest_n // 2]], gyr[:, first], sensor_height_m)
    v1 = _rest_velocity(rot[:, :, last[:, rest_n // 2]], gyr[:, last], sensor_height_m)
    half_dt = 0.5 / rate_hz
    step = (acc_world[:, 1:] + acc_world[:, :-1]) * half_dt
    step[:, start[1:] - 1] = 0.0
    vel = _restart_cumsum(step, start, counts) + np.repeat(v0, counts, axis=1)
    end_vel = vel[:, end] - v1
    ramp = (np.arange(len(toe[0])) - np.repeat(start, counts)) / np.repeat(np.maximum(end - start, 1), counts)
    vel -= ramp * np.repeat(end_vel, counts, axis=1)  # linear de-drift: the rest velocities at both ends
    step = (vel[:, 1:] + vel[:, :-1]) * half_dt
    step[:, start[1:] - 1] = 0.0
    pos = _restart_cumsum(step, start, counts)
    # the toe's elevation is measured against the closing rest's own gravity: the strike angle then rests only
    # on the short integration from IC to that rest, not on the whole stride nor on the opening rest
    up = np.repeat(up_end, counts, axis=1)
    lift = toe[0] * up[0] + toe[1] * up[1] + toe[2] * up[2]
    elevation = np.degrees(np.arcsin(np.clip(lift, -1.0, 1.0)))
    turn = np.arctan2(toe[1, end], toe[0, end]) - np.arctan2(toe[1, start], toe[0, start])
    turn = (turn + np.pi) % (2 * np.pi) - np.pi
    speed_left = np.sqrt((end_vel * end_vel).sum(axis=0))
    return Trajectories(start, end, pos.T, vel.T, acc_world.T, toe.T, elevation, speed_left, end_tilt, turn)


def _rest_rows(start: np.ndarray, end: np.ndarray, rest_n: int) -> tuple[np.ndarray, np.ndarray]:
    k = np.arange(rest_n)
    return start[:, None] + k, end[:, None] - k


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
