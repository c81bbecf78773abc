"""The virtual shoe: the unchanged firmware running in the MicroPython unix port, with shim hardware.

`MICROPYPATH` = `virtual/mpy_shims` (machine, bluetooth) + `virtual` (the IMU models) + `firmware/`.
The IMU model plays int16 counts (ax, ay, az, gx, gy, gz) from `samples` (an (n, 6) array-like, or a file
of little-endian int16 records) in a loop. The firmware's USB serial link is its stdin/stdout, connected
to the master side of a pty; `serial_port` is the slave path for pyserial. With `radio_env` (from
`footfall.virtual.radio.VirtualRadio.env`, i.e. ``FOOTFALL_RADIO=host:port``) its `bluetooth` shim joins
the virtual radio; without it the firmware has no BLE and selects USB.

The process runs in its own process group and is killed (group-wide) in `stop()` / on leaving `with`.

    with VirtualShoe(ShoeConfig(side="L", rate_hz=833), samples=counts) as shoe:
        port = serial.Serial(shoe.serial_port)
"""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from footfall.atomic import DISK_FULL
from footfall.errors import InputError, SourceError
from footfall.virtual.mpy import firmware_dir, micropython_path, mpy_env

VIRTUAL_DIR = Path(__file__).resolve().parent
SHIMS_DIR = VIRTUAL_DIR / "mpy_shims"
# What each IMU's firmware driver offers (firmware/imu/*.py RATES_HZ, DEFAULT_RATE_HZ, DEFAULT_ACC_RANGE_G):
# a rate it does not offer is a setting the firmware ignores, and it samples at its default instead.
IMU_RATES_HZ = {"lsm6dso32": (104, 208, 416, 833, 1666), "lsm6dsox": (104, 208, 416, 833, 1666),
                "mpu6886": (100, 125, 200, 250, 500, 1000)}
IMU_DEFAULTS = {"lsm6dso32": (416, 32), "lsm6dsox": (416, 16), "mpu6886": (500, 16)}  # (Hz, accelerometer g)


@functools.cache
def board_wiring() -> dict[str, tuple[str, int, int | None]]:
    """Each board profile's IMU, its I2C address and its interrupt pin: the firmware's own table
    (firmware/boards.py), so a profile added there is a virtual board too."""
    from footfall.flash import load_boards

    return {name: (str(b["imu"]), int(b["imu_addr"]), b["int1"]) for name, b in load_boards(firmware_dir()).items()}


def board_imu(board: str) -> str:
    """The IMU a board profile carries; an unknown board is refused, naming those there are."""
    if board not in board_wiring():
        raise InputError(f"unknown board {board!r}", hint="one of: " + ", ".join(board_wiring()))
    return board_wiring()[board][0]


@dataclass(frozen=True)
class ShoeConfig:
    """What the virtual shoe is: board, stored settings, chip override and battery."""

    board: str = "xiao_esp32s3"
    side: str = "L"
    rate_hz: int | None = None  # None: the IMU's default
    acc_range_g: int | None = None
    link: int | None = None  # 0 BLE, 1 USB; None: the firmware's default
    imu: str | None = None  # override the board's chip: "lsm6dsox", "lsm6dso32", "mpu6886", "none"
    vbat_mv: int = 3900
    heap_mb: float = 16.0  # MicroPython heap; below ~0.5 MB the firmware falls back to its small ring buffer (no PSRAM)
    epoch_ns: int | None = None  # time.time_ns() of the samples' sample 0, shared by a rig's shoes (in step)
    freq_fine: int = 0  # the ST chip's factory trim: its rate is off the typical by freq_fine x 0.15 %
    clock_error_frac: float = 0.0  # the MPU6886's internal clock: this fraction off its nominal rate
    extra_settings: Mapping[str, Any] = field(default_factory=dict)

    def settings(self) -> dict[str, Any]:
        out: dict[str, Any] = {"board": self.board, "side": self.side, **self.extra_settings}
        for key in ("rate_hz", "acc_range_g", "link"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


def chip_rate_hz(config: ShoeConfig, nominal_hz: int) -> float:
    """The rate the shoe's chip really samples at when set to `nominal_hz`: an ST part's is set by its trim
    (imu_model_lsm6dsox.true_rate_hz), the MPU6886's by its clock error."""
    from footfall.virtual.imu_model_lsm6dsox import true_rate_hz

    kind = config.imu or board_imu(config.board)
    if kind == "mpu6886":
        return nominal_hz * (1 + config.clock_error_frac)
    return true_rate_hz(nominal_hz, config.freq_fine)




def write_samples(path: Path, samples: Any) -> None:
    """(n, 6) int16 counts (array-like) -> the model's file of little-endian int16 records."""
    import numpy as np

    arr = np.asarray(samples)
    if arr.ndim != 2 or arr.shape[1] != 6 or len(arr) == 0:
        raise SourceError("samples must be an (n, 6) array of int16 counts")
    try:
        path.write_bytes(arr.astype("<i2").tobytes())  # not tofile: a full disk gives its errno, not a byte count
    except OSError as exc:
        if exc.errno in DISK_FULL:
            raise SourceError(f"no space for the virtual shoe's samples in {path.parent}",
                              hint="free some space there, or set TMPDIR to a folder with room") from None
        raise SourceError(f"cannot write the virtual shoe's samples to {path}: {exc.strerror}") from None


class VirtualShoe:
    def __init__(self, config: ShoeConfig = ShoeConfig(), samples: Any = None,
                 sample_file: Path | None = None, radio_env: Mapping[str, str] | None = None) -> None:
        self.config = config
        self._samples = samples
        self._sample_file = sample_file
        self._radio_env = dict(radio_env or {})
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self._master = -1
        self._slave = -1
        self.serial_port = ""

    @property
    def workdir(self) -> Path:
        if self._tmp is None:
            raise SourceError("the virtual shoe is not running")
        return Path(self._tmp.name)

    def env(self) -> dict[str, str]:
        board_imu(self.config.board)  # an unknown board is refused before the firmware starts
        kind, addr, int_pin = board_wiring()[self.config.board]
        env = mpy_env([SHIMS_DIR, VIRTUAL_DIR, firmware_dir()])
        env.update({
            "FOOTFALL_IMU": self.config.imu or kind,
            "FOOTFALL_IMU_ADDR": str(addr),
            "FOOTFALL_INT_PIN": str(int_pin),
            "FOOTFALL_VBAT_MV": str(self.config.vbat_mv),
            "FOOTFALL_TRACE": str(self.workdir / "imu_trace.txt"),
            "FOOTFALL_IMU_EPOCH_NS": "" if self.config.epoch_ns is None else str(self.config.epoch_ns),
            "FOOTFALL_IMU_FREQ_FINE": str(self.config.freq_fine),
            "FOOTFALL_IMU_CLOCK_ERROR": repr(self.config.clock_error_frac),
        })
        source = self._source_path()
        if source is not None:
            env["FOOTFALL_IMU_SOURCE"] = str(source)
        env.pop("FOOTFALL_RADIO", None)
        env.update(self._radio_env)
        return env

    def _source_path(self) -> Path | None:
        if self._sample_file is not None:
            return self._sample_file
        if self._samples is None:
            return None
        path = self.workdir / "samples.i16"
        if not path.exists():
            write_samples(path, self._samples)
        return path

    def start(self) -> VirtualShoe:
        micropython = micropython_path()  # first: a FootfallError naming the fallback where it cannot run (Windows)
        import pty  # POSIX only (termios): imported here so that this module imports on Windows too
        import tty

        self._tmp = tempfile.TemporaryDirectory(prefix="footfall-shoe-")
        (self.workdir / "settings.json").write_text(json.dumps(self.config.settings()))
        self._master, self._slave = pty.openpty()
        tty.setraw(self._slave)  # binary-clean, no echo, until pyserial opens it (raw as well)
        os.set_blocking(self._master, False)  # the firmware backs off instead of blocking on a full pty
        self.serial_port = os.ttyname(self._slave)
        with open(self.workdir / "stderr.txt", "wb") as err:
            self.proc = subprocess.Popen(
                [micropython, "-X", f"heapsize={int(self.config.heap_mb * 1024)}K", str(firmware_dir() / "main.py")],
                stdin=self._master, stdout=self._master, stderr=err,
                cwd=self.workdir, env=self.env(), start_new_session=True,  # own process group: killed as one
            )
        return self

    def trace(self, wait_s: float = 0.0) -> tuple[int, int]:
        """(samples the IMU model produced, samples its FIFO lost) as of the IMU's last stop; `wait_s`: wait
        that long for a stop after sampling (over BLE the IMU runs on for the RSC service until the last
        central has gone, which the firmware hears a moment after the central)."""
        path = self.workdir / "imu_trace.txt"
        deadline = time.monotonic() + wait_s
        while True:
            text = path.read_text().split() if path.exists() else []  # [] also while the shim writes it
            if len(text) == 2 and (int(text[0]) > 0 or time.monotonic() >= deadline):
                return int(text[0]), int(text[1])
            if time.monotonic() >= deadline + 5.0:
                raise SourceError(f"the virtual shoe recorded no IMU stop in {path}")
            time.sleep(0.05)

    def stderr(self) -> str:
        """What the process wrote to stderr (this unix port prints tracebacks on stdout, i.e. the pty)."""
        path = self.workdir / "stderr.txt"
        return path.read_text(errors="replace") if path.exists() else ""

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        try:
            if proc is not None:
                _kill_group(proc)
        finally:
            for fd in (self._master, self._slave):
                if fd >= 0:
                    os.close(fd)
            self._master = self._slave = -1

    def cleanup(self) -> None:
        self.stop()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> VirtualShoe:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.cleanup()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=2)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=2)
    except ProcessLookupError:
        proc.wait(timeout=2)


def start_virtual_shoe(side: str = "L", env: Mapping[str, str] | None = None, samples: Any = None,
                       config: ShoeConfig | None = None) -> VirtualShoe:
    """Start one shoe (the caller stops it): with `env` from the virtual radio it advertises `footfall-<side>`."""
    cfg = config or ShoeConfig(side=side)
    return VirtualShoe(cfg, samples=samples, radio_env=env).start()


def wait_until(predicate: Any, timeout_s: float, what: str, poll_s: float = 0.01) -> None:
    """Poll `predicate()` until true; SourceError naming `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise SourceError(f"virtual shoe: timed out waiting for {what}")
        time.sleep(poll_s)


__all__: Sequence[str] = ["ShoeConfig", "VirtualShoe", "start_virtual_shoe", "write_samples", "wait_until"]
