"""The virtual runner: realistic shoe-mounted 6-axis IMU signals with exact truth, from foot kinematics.

simulate(params) plans the contacts (runner_timeline), builds a C2 foot trajectory with analytic
derivatives (runner_kinematics), and turns it into what an IMU on the laces would report:
specific force = R^T (a + g) and angular rate in the foot frame (x toe, y left, z up; +9.81 on z at rest),
an impact transient at each initial contact, the mounting rotation, anti-alias filtering of a 4x oversampled
signal and decimation to rate_hz, white noise, gyro bias and clipping at the sensor's range.
See docs/virtual-runner.md.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.signal import firwin, upfirdn

from footfall.analysis.stride import StrideParams
from footfall.errors import InputError
from footfall.finite import null_nan
from footfall.samples import STANDARD_GRAVITY_MPS2
from footfall.virtual.runner_kinematics import Swing, build_swings, foot_state, stance_state
from footfall.virtual.runner_params import PRESETS, RunnerParams, default_contact_time_s, preset
from footfall.virtual.runner_timeline import Contacts, build_contacts, plan_steps, segments
from footfall.virtual.runner_truth import Truth, strike_pattern, truth_from_contacts, write_truth_json

__all__ = ["RunnerParams", "SimulatedRun", "FootRun", "Truth", "simulate", "write_run", "preset", "PRESETS",
           "default_contact_time_s", "strike_pattern", "write_truth", "describe", "check_params", "max_duration_s"]

F64 = NDArray[np.float64]
OVERSAMPLE = 4
HALF_TAPS = 48  # 2 * HALF_TAPS must be a multiple of OVERSAMPLE
CHUNK = 1 << 16  # output samples per chunk: bounded memory for any duration
IMPACT_DIR = np.array([-0.3, 0.12, 0.95]) / np.linalg.norm([-0.3, 0.12, 0.95])  # braking and upward, foot frame
IMPACT_GYR_RADPS_PER_MPS2 = 0.012
IMPACT_DECAY_S = 0.005
IMPACT_WINDOW_S = 0.08
IMPACT_HZ = 15.0  # nominal ringing frequency (each contact varies around it)
# The whole run is held in memory: a peak of ~0.4 GB per simulated hour of two feet at 416 Hz (measured: 0.52 GB
# for 1 h, 0.93 GB for 2 h, writing included; ~0.12 GB of it the interpreter), and the steps and truth alone
# take ~55 MB per hour at any rate (0.67 GB for 10 h at 25 Hz). So at most 3 h, and as many samples at higher rates.
MAX_DURATION_S = 3 * 3600.0
MAX_SAMPLES_PER_FOOT = int(MAX_DURATION_S * 416)


@dataclass(frozen=True)
class FootRun:
    side: str
    rate_hz: float
    acc_mps2: F64  # (n, 3) sensor frame
    gyr_radps: F64  # (n, 3) sensor frame
    truth: Truth

    @property
    def time_s(self) -> F64:
        return np.arange(self.acc_mps2.shape[0]) / self.rate_hz


@dataclass(frozen=True)
class SimulatedRun:
    params: RunnerParams
    feet: dict[str, FootRun]


def max_duration_s(rate_hz: float) -> float:
    """The longest run `simulate` generates at `rate_hz`, so that its memory stays bounded (see MAX_DURATION_S)."""
    return min(MAX_DURATION_S, MAX_SAMPLES_PER_FOOT / rate_hz)


def check_params(p: RunnerParams) -> None:
    """What RunnerParams allows but `simulate` cannot do: a run too long to hold in memory."""
    longest_s = math.floor(max_duration_s(p.rate_hz))  # whole seconds, so the limit said is one that is taken
    if p.duration_s > longest_s:
        raise InputError(f"duration_s={p.duration_s:g} is more than the {longest_s} s the "
                         f"simulator holds in memory at rate_hz={p.rate_hz:g}",
                         hint="footfall.analysis.bench.write_recording writes longer runs piece by piece")


def simulate(params: RunnerParams) -> SimulatedRun:
    """Generate the signals and truth of every foot in `params.sides` (reproducible from params.seed)."""
    check_params(params)
    rng = np.random.default_rng(params.seed)
    steps = plan_steps(params, rng)
    segs = segments(params)
    feet = {}
    for side in params.sides:
        foot_rng = np.random.default_rng([params.seed, ord(side)])
        contacts = build_contacts(params, side, steps[side], foot_rng)
        swings = build_swings(contacts, params.sensor_offset_m)
        acc, gyr = _foot_signals(params, contacts, swings, foot_rng)
        feet[side] = FootRun(side, params.rate_hz, acc, gyr, truth_from_contacts(
            side, contacts, landing_velocity(contacts, params.sensor_offset_m), segs, params.duration_s))
    return SimulatedRun(params, feet)


def landing_velocity(c: Contacts, sensor_m: tuple[float, float]) -> tuple[F64, F64]:
    """The sensor point's forward velocity at each IC, and its mean forward deceleration over the analyser's
    braking window after IC (StrideParams.braking_window_s; shorter only if the contact is)."""
    k = np.arange(c.n)
    window_s = np.minimum(StrideParams().braking_window_s, c.to_s - c.ic_s)
    v_ic = stance_state(c, k, np.zeros(c.n), sensor_m).vel[:, 0]
    v_after = stance_state(c, k, window_s, sensor_m).vel[:, 0]
    return v_ic, (v_ic - v_after) / window_s


def _foot_signals(p: RunnerParams, c: Contacts, sw: Swing, rng: np.random.Generator) -> tuple[F64, F64]:
    n = int(round(p.duration_s * p.rate_hz))
    taps = firwin(2 * HALF_TAPS + 1, 0.42 * p.rate_hz, fs=p.rate_hz * OVERSAMPLE)
    mount = mount_matrix(p.mount_pitch_deg, p.mount_roll_deg, p.mount_yaw_deg)
    acc, gyr = np.empty((n, 3)), np.empty((n, 3))
    for a in range(0, n, CHUNK):
        b = min(a + CHUNK, n)
        m = np.arange(a * OVERSAMPLE - HALF_TAPS, (b - 1) * OVERSAMPLE + HALF_TAPS + 1)
        f, w = foot_frame_signals(c, sw, m / (p.rate_hz * OVERSAMPLE), p.sensor_offset_m)
        skip = 2 * HALF_TAPS // OVERSAMPLE
        acc[a:b] = upfirdn(taps, f, 1, OVERSAMPLE, axis=0)[skip: skip + b - a] @ mount
        gyr[a:b] = upfirdn(taps, w, 1, OVERSAMPLE, axis=0)[skip: skip + b - a] @ mount
    acc += p.acc_noise_mps2 * rng.standard_normal((n, 3))
    gyr += np.asarray(p.gyro_bias_radps) + p.gyr_noise_radps * rng.standard_normal((n, 3))
    acc_lim = p.acc_range_g * STANDARD_GRAVITY_MPS2
    gyr_lim = np.radians(p.gyr_range_dps)
    return np.clip(acc, -acc_lim, acc_lim), np.clip(gyr, -gyr_lim, gyr_lim)


def foot_frame_signals(c: Contacts, sw: Swing, t: F64, sensor_m: tuple[float, float]) -> tuple[F64, F64]:
    """Noise-free specific force (m/s^2) and angular rate (rad/s) in the foot frame at times t."""
    st, k = foot_state(c, sw, t, sensor_m)
    a = st.acc + np.array([0.0, 0.0, STANDARD_GRAVITY_MPS2])
    cp, sp, cr, sr = np.cos(st.pitch), np.sin(st.pitch), np.cos(st.roll), np.sin(st.roll)
    # f = Rx(roll)^T Rpitch^T a, where Rpitch turns x toward z by +pitch (toe up)
    u0, u1, u2 = cp * a[:, 0] + sp * a[:, 2], a[:, 1], -sp * a[:, 0] + cp * a[:, 2]
    f = np.stack([u0, cr * u1 + sr * u2, -sr * u1 + cr * u2], axis=1)
    w = np.stack([st.droll, -st.dpitch * cr, st.dpitch * sr], axis=1)
    _add_impacts(c, k, t, f, w)
    return f, w


def _add_impacts(c: Contacts, k: NDArray[np.intp], t: F64, f: F64, w: F64) -> None:
    """Add the impact transient after each IC to the foot-frame signals (in place)."""
    tau = t - c.ic_s[k]
    near = (tau >= 0.0) & (tau < IMPACT_WINDOW_S) & (t < c.to_s[k])
    kn = k[near]
    amp = c.impact_mps2[kn] * impact_shape(tau[near], c.impact_hz[kn])
    f[near] += amp[:, None] * IMPACT_DIR
    w[near] += (IMPACT_GYR_RADPS_PER_MPS2 * amp)[:, None] * np.array([0.3, 1.0, 0.2])


def impact_shape(t: F64, freq_hz: F64) -> F64:
    """Damped oscillation with a smooth onset, first (upward) peak about 1: the 2nd derivative of
    t^3 e^(-t/T) cos(wt).

    Being the second derivative of a displacement that starts and ends at rest, it changes neither the
    velocity nor the position of the foot: it is the shoe and tissue ringing, not the foot's motion.
    """
    return _ringing(t, freq_hz) / _RINGING_PEAK


def _ringing(t: F64, freq_hz: F64) -> F64:
    om = 2.0 * np.pi * freq_hz
    tt = t / IMPACT_DECAY_S
    e = np.exp(-tt)
    u, du, ddu = tt**3 * e, (3.0 * tt**2 - tt**3) * e, (6.0 * tt - 6.0 * tt**2 + tt**3) * e
    om_t = om * IMPACT_DECAY_S  # derivatives taken in units of the decay time
    acc = ddu * np.cos(om * t) - 2.0 * du * om_t * np.sin(om * t) - u * om_t**2 * np.cos(om * t)
    return np.asarray(acc, dtype=np.float64)


_T_FIRST_LOBE = np.linspace(0.0, 0.01, 2001)
_RINGING_PEAK = float(_ringing(_T_FIRST_LOBE, np.full_like(_T_FIRST_LOBE, IMPACT_HZ)).max())


def mount_matrix(pitch_deg: float, roll_deg: float, yaw_deg: float) -> F64:
    """Columns are the sensor axes in the foot frame: Rz(yaw) Ry(-pitch) Rx(roll) (pitch + tilts x up).

    A foot-frame row vector v becomes the sensor-frame reading v @ M (that is M^T v).
    """
    p, r, y = np.radians([pitch_deg, roll_deg, yaw_deg])
    rz = np.array([[np.cos(y), -np.sin(y), 0], [np.sin(y), np.cos(y), 0], [0, 0, 1]])
    ry = np.array([[np.cos(p), 0, -np.sin(p)], [0, 1, 0], [np.sin(p), 0, np.cos(p)]])
    rx = np.array([[1, 0, 0], [0, np.cos(r), -np.sin(r)], [0, np.sin(r), np.cos(r)]])
    return np.asarray(rz @ ry @ rx, dtype=np.float64)


def write_truth(run: SimulatedRun, path: str | Path) -> None:
    """The truth file (JSON): parameters, activity segments and every contact of every foot."""
    write_truth_json(path, asdict(run.params), [f.truth for f in run.feet.values()])


def describe(p: RunnerParams) -> str:
    """One line naming the simulated runner, for recording metadata and the CLI: the gaits it plays (its
    schedule's walking, and running when running fills the rest of the run)."""
    gaits = []
    if any(activity == "walking" for activity, _ in p.schedule):
        gaits.append(f"walking {p.walk_cadence_spm:g} steps/min, {p.walk_speed_mps:g} m/s, "
                     f"strike {p.walk_strike_angle_deg:+g} deg")
    if sum(seconds for _, seconds in p.schedule) < p.duration_s:
        gaits.append(f"{'running ' if gaits else ''}{p.cadence_spm:g} steps/min, {p.speed_mps:g} m/s, strike "
                     f"{p.strike_angle_deg:+g} deg ({strike_pattern(p.strike_angle_deg)}), overstride {p.overstride:g}")
    return f"virtual runner: {'; '.join(gaits) or 'standing'}, seed {p.seed}"


def write_run(run: SimulatedRun, path_ffr: str | Path, truth_json: str | Path | None = None) -> Path:
    """Write the run as a recording through the device frame encoder (counts at the sensor's ranges, as a
    real shoe would send them) and, when asked, the truth file."""
    from footfall.recording.file import SiStream, write_si_recording

    p = run.params
    if p.rate_hz != int(p.rate_hz):
        raise InputError(f"rate_hz={p.rate_hz} must be a whole number of Hz to be recorded")
    streams = [SiStream(sensor=f.side, side=f.side, rate_hz=int(p.rate_hz), acc_mps2=f.acc_mps2,
                        gyr_radps=f.gyr_radps, acc_range_g=int(p.acc_range_g), gyr_range_dps=int(p.gyr_range_dps))
               for f in run.feet.values()]
    meta = {"source": "virtual", "runner": describe(p), "virtual_runner": null_nan(asdict(p)),
            "notes": "synthetic run from footfall.virtual.runner; truth in the matching truth file"}
    out = write_si_recording(path_ffr, streams, meta)
    if truth_json is not None:
        write_truth(run, truth_json)
    return out
