"""Frames of the footfall wire protocol, version 1 (docs/protocol.md is the contract).

Frames are dataclasses with `from_bytes` / `__bytes__` and range checks (the bumble habit); `decode_frame`
dispatches on the frame type. The constants mirror firmware/frame.py (tests check that the two agree).
Import them from `footfall.protocol.decode`, the public face that adds the stream decoder.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from typing import Any, ClassVar, Union

import numpy as np
from numpy.typing import NDArray

from footfall.errors import ProtocolError, TruncatedFrameError, UnknownVersionError

VERSION = 1
TYPE_DATA = 0x01
TYPE_STATUS = 0x02
TYPE_EVENT = 0x03

MAX_FRAME_BYTES = 244
DATA_HEADER_BYTES = 10
SAMPLE_BYTES = 12
MAX_SAMPLES = 19
STATUS_BYTES = 45
STATUS_BYTES_BEFORE_RATE = 41  # firmware 0.1 sent no rate_mhz: such a status reads as rate_mhz 0
EVENT_BYTES = 13
FLAG_NO_GYRO = 0x01
# BLE: a notification carries at most ATT MTU - 3 bytes, and the sensor's stack cuts a longer one unseen
NOTIFY_HEADER_BYTES = 3
FULL_FRAME_MTU = DATA_HEADER_BYTES + SAMPLE_BYTES * MAX_SAMPLES + NOTIFY_HEADER_BYTES  # 241
MIN_MTU = STATUS_BYTES + NOTIFY_HEADER_BYTES  # 48: the firmware streams on no smaller link (docs/protocol.md)
MTU_SIZED_FW = (0, 7, 0)  # the first firmware that sizes its data frames for the link's MTU (older ones are cut)


def samples_for_mtu(mtu: int) -> int:
    """Samples per data frame that fit one notification at ATT MTU `mtu`, as firmware/frame.py sizes them: 19 at
    241 and above, 14 at 185, 2 at MIN_MTU, at least 1."""
    fit = (mtu - NOTIFY_HEADER_BYTES - DATA_HEADER_BYTES) // SAMPLE_BYTES
    return max(1, min(MAX_SAMPLES, fit))


IMU_VIRTUAL = 0
IMU_LSM6DSOX = 1
IMU_LSM6DSO32 = 2
IMU_MPU6886 = 3
IMU_IMPORTED = 255
IMU_NAMES = {IMU_VIRTUAL: "virtual", IMU_LSM6DSOX: "LSM6DSOX", IMU_LSM6DSO32: "LSM6DSO32",
             IMU_MPU6886: "MPU6886", IMU_IMPORTED: "imported"}

STATE_STREAMING = 0x01
STATE_USB = 0x02
STATE_IDLE = 0x04
STATE_CALIBRATED = 0x08

EVENT_STARTED = 1
EVENT_STOPPED = 2
EVENT_FIFO_OVERRUN = 3
EVENT_FRAMES_DROPPED = 4
EVENT_RESEND_DONE = 5
EVENT_TIME_SYNC = 6
EVENT_IMU_ERROR = 7
EVENT_NAMES = {EVENT_STARTED: "started", EVENT_STOPPED: "stopped", EVENT_FIFO_OVERRUN: "fifo_overrun",
               EVENT_FRAMES_DROPPED: "frames_dropped", EVENT_RESEND_DONE: "resend_done",
               EVENT_TIME_SYNC: "time_sync", EVENT_IMU_ERROR: "imu_error"}

CMD_START = 0x01
CMD_STOP = 0x02
CMD_SET_RATE = 0x03
CMD_SET_RANGES = 0x04
CMD_SET_SIDE = 0x05
CMD_IDENTIFY = 0x06
CMD_RESEND = 0x07
CMD_TIME_SYNC = 0x08
CMD_CALIBRATE = 0x09
CMD_SLEEP = 0x0A
CMD_SELECT_LINK = 0x0B
CMD_STATUS = 0x0C
CMD_SET_PACE = 0x0D  # u16: the RSC speed's factor in 1/1000 (PACE_MIN_PERMILLE..PACE_MAX_PERMILLE)
COMMAND_ARGS: dict[int, str] = {
    CMD_START: "", CMD_STOP: "", CMD_SET_RATE: "<H", CMD_SET_RANGES: "<BH", CMD_SET_SIDE: "<B",
    CMD_IDENTIFY: "", CMD_RESEND: "<H", CMD_TIME_SYNC: "<I", CMD_CALIBRATE: "", CMD_SLEEP: "",
    CMD_SELECT_LINK: "<B", CMD_STATUS: "", CMD_SET_PACE: "<H",
}

RESULT_OK = 0
RESULT_BAD_LENGTH = 1
RESULT_BAD_VALUE = 2
RESULT_UNKNOWN_OPCODE = 3
RESULT_BUSY = 4
RESULT_NOT_BUFFERED = 5
RESULT_HELD = 6  # another BLE central holds the sensor (firmware 0.4.1)

ACC_RANGES_G = (2, 4, 8, 16, 32)
GYR_RANGES_DPS = (125, 250, 500, 1000, 2000, 4000)
MAX_RATE_HZ = 6664
PACE_MIN_PERMILLE = 500  # the footpod speed factor: half to twice the cadence-based estimate
PACE_MAX_PERMILLE = 2000

DATA_HEADER = struct.Struct("<BBHIBB")
STATUS = struct.Struct("<BBHHBHffBBBBBBHIIBHHBBBI")
EVENT = struct.Struct("<BBHBII")
HEADER = struct.Struct("<BBH")  # version, type, seq: the start every frame type shares
_STATUS_SIDE_OFFSET = struct.calcsize(STATUS.format[:10])  # after version, type, ... imu: STATUS's 10th field

Int16Array = NDArray[np.int16]


def _require(ok: bool, what: str, data: bytes = b"") -> None:
    if not ok:
        raise ProtocolError(what, data=data, hint="corrupt frame")


def _require_u(value: int, bits: int, name: str) -> None:
    _require(isinstance(value, (int, np.integer)) and 0 <= value < (1 << bits), f"{name}={value!r} is not a u{bits}")


def check_header(data: bytes, frame_type: int, min_size: int) -> None:
    """Raise the right ProtocolError subclass when `data` cannot be a frame of `frame_type`."""
    if not data:
        raise TruncatedFrameError("empty frame", data=data)
    if data[0] != VERSION:
        raise UnknownVersionError(f"protocol version {data[0]} (this footfall speaks {VERSION})", data=data,
                                  hint="update footfall or the firmware so both speak the same version")
    if len(data) < min_size:
        raise TruncatedFrameError(f"frame of {len(data)} bytes, needs {min_size}", data=data)
    _require(data[1] == frame_type, f"frame type {data[1]} where {frame_type} was expected", data)


def frame_type(data: bytes) -> int | None:
    """The type byte of what may be a frame (TYPE_DATA, TYPE_STATUS, TYPE_EVENT or any other value), without
    decoding it; None when it is too short to have one."""
    return data[1] if len(data) >= 2 else None


def frame_seq(data: bytes) -> int | None:
    """The sequence number of a frame of this protocol version, without decoding the rest (a frame too damaged to
    decode still says how far the stream got); None when `data` is no such frame."""
    return HEADER.unpack_from(data)[2] if len(data) >= HEADER.size and data[0] == VERSION else None


def status_side(data: bytes) -> str | None:
    """The side byte of a status frame ("L", "R", "?", or whatever a damaged one holds), without decoding the rest,
    for a transport that learns its side before any decoder sees the frame; None when `data` is no status frame
    long enough to hold it."""
    if frame_type(data) != TYPE_STATUS or len(data) <= _STATUS_SIDE_OFFSET:
        return None
    return chr(data[_STATUS_SIDE_OFFSET])


@dataclass(frozen=True, eq=False)
class DataFrame:
    """Up to 19 six-axis samples in sensor counts (ax, ay, az, gx, gy, gz)."""

    TYPE: ClassVar[int] = TYPE_DATA
    seq: int
    first_index: int
    samples: Any  # int16 ndarray (n, 6); a sequence of 6-tuples is converted
    flags: int = 0

    def __post_init__(self) -> None:
        _require_u(self.seq, 16, "seq")
        _require_u(self.first_index, 32, "first_index")
        _require(self.flags in (0, FLAG_NO_GYRO), f"flags={self.flags!r}")
        arr = np.asarray(self.samples)
        _require(arr.ndim == 2 and arr.shape[1] == 6 and 1 <= arr.shape[0] <= MAX_SAMPLES,
                 f"samples of shape {arr.shape}, need (1..19, 6)")
        _require(arr.dtype.kind in "iu" and bool(np.all((arr >= -32768) & (arr <= 32767))), "samples outside int16")
        object.__setattr__(self, "samples", arr.astype("<i2", copy=False))

    @property
    def n(self) -> int:
        return int(self.samples.shape[0])

    @property
    def has_gyro(self) -> bool:
        return not self.flags & FLAG_NO_GYRO

    @classmethod
    def from_bytes(cls, data: bytes) -> DataFrame:
        check_header(data, TYPE_DATA, DATA_HEADER_BYTES)
        _, _, seq, first_index, n, flags = DATA_HEADER.unpack_from(data)
        _require(1 <= n <= MAX_SAMPLES, f"sample count {n} outside 1..19", data)
        size = DATA_HEADER_BYTES + SAMPLE_BYTES * n
        if len(data) < size:
            raise TruncatedFrameError(f"data frame of {len(data)} bytes, {n} samples need {size}", data=data)
        _require(len(data) == size, f"{len(data) - size} bytes after the last sample", data)
        samples = np.frombuffer(data, "<i2", 6 * n, DATA_HEADER_BYTES).reshape(n, 6)
        _require(flags in (0, FLAG_NO_GYRO), f"flags={flags!r}", data)
        frame = object.__new__(cls)  # every field is checked above: skip the (slow) generic checks
        for name, value in (("seq", seq), ("first_index", first_index), ("samples", samples), ("flags", flags)):
            object.__setattr__(frame, name, value)
        return frame

    def __bytes__(self) -> bytes:
        return DATA_HEADER.pack(VERSION, TYPE_DATA, self.seq, self.first_index, self.n, self.flags) + \
            self.samples.tobytes()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DataFrame) and bytes(self) == bytes(other)

    def __hash__(self) -> int:
        return hash(bytes(self))


@dataclass(frozen=True)
class StatusFrame:
    """Identifies the stream and carries the scales that turn counts into SI units."""

    TYPE: ClassVar[int] = TYPE_STATUS
    seq: int
    rate_hz: int
    acc_range_g: int
    gyr_range_dps: int
    acc_mps2_per_count: float  # m/s^2 per count (stored as f32)
    gyr_radps_per_count: float  # rad/s per count (stored as f32)
    imu: int
    side: str  # "L", "R" or "?"
    fw_version: tuple[int, int, int] = (0, 0, 0)
    battery_pct: int = 255
    battery_mv: int = 0
    device_time_ms: int = 0
    sample_index: int = 0
    state: int = 0
    fifo_overruns: int = 0
    frames_dropped: int = 0
    buffer_fill_pct: int = 0
    cmd_id: int = 0
    cmd_result: int = 0
    rate_mhz: int = 0  # the chip's own output data rate (its factory trim applied); 0: not known, rate_hz holds

    def __post_init__(self) -> None:
        for name, bits in (("seq", 16), ("acc_range_g", 8), ("gyr_range_dps", 16), ("imu", 8), ("battery_mv", 16),
                           ("device_time_ms", 32), ("sample_index", 32), ("fifo_overruns", 16),
                           ("frames_dropped", 16), ("cmd_id", 8), ("rate_mhz", 32)):
            _require_u(getattr(self, name), bits, name)
        _require(isinstance(self.rate_hz, int) and 1 <= self.rate_hz <= 0xFFFF, f"rate_hz={self.rate_hz!r}")
        _require(self.rate_mhz == 0 or 500 * self.rate_hz <= self.rate_mhz <= 2000 * self.rate_hz,
                 f"rate_mhz={self.rate_mhz!r} is not within a factor 2 of rate_hz={self.rate_hz}")
        for name in ("acc_mps2_per_count", "gyr_radps_per_count"):
            value = getattr(self, name)
            _require(math.isfinite(value) and 0 < value < 1e30, f"{name}={value!r} is not a positive scale")
        _require(self.side in ("L", "R", "?"), f"side={self.side!r}")
        _require(len(self.fw_version) == 3 and all(0 <= v < 256 for v in self.fw_version), "fw_version")
        object.__setattr__(self, "fw_version", tuple(int(v) for v in self.fw_version))
        _require(0 <= self.battery_pct <= 100 or self.battery_pct == 255, f"battery_pct={self.battery_pct}")
        _require(0 <= self.state <= 0x0F, f"state={self.state:#x}")
        _require(0 <= self.buffer_fill_pct <= 100, f"buffer_fill_pct={self.buffer_fill_pct}")
        _require(0 <= self.cmd_result <= RESULT_HELD, f"cmd_result={self.cmd_result}")

    @property
    def sample_rate_hz(self) -> float:
        """The rate the samples were taken at: the chip's trimmed rate when it said, else the nominal one."""
        return self.rate_mhz / 1000 if self.rate_mhz else float(self.rate_hz)

    @classmethod
    def from_bytes(cls, data: bytes) -> StatusFrame:
        check_header(data, TYPE_STATUS, STATUS_BYTES_BEFORE_RATE)
        _require(len(data) in (STATUS_BYTES, STATUS_BYTES_BEFORE_RATE),
                 f"status frame of {len(data)} bytes, not {STATUS_BYTES}", data)
        f = STATUS.unpack(data.ljust(STATUS_BYTES, b"\0"))
        _require(f[9] in b"LR?", f"side byte {f[9]:#x}", data)
        return cls(f[2], f[3], f[4], f[5], f[6], f[7], f[8], chr(f[9]), (f[10], f[11], f[12]), *f[13:])

    def __bytes__(self) -> bytes:
        return STATUS.pack(
            VERSION, TYPE_STATUS, self.seq, self.rate_hz, self.acc_range_g, self.gyr_range_dps, self.acc_mps2_per_count,
            self.gyr_radps_per_count, self.imu, ord(self.side), *self.fw_version, self.battery_pct, self.battery_mv,
            self.device_time_ms, self.sample_index, self.state, self.fifo_overruns, self.frames_dropped,
            self.buffer_fill_pct, self.cmd_id, self.cmd_result, self.rate_mhz,
        )


@dataclass(frozen=True)
class EventFrame:
    """Something that happened on the device at sample `sample_index` (see EVENT_NAMES)."""

    TYPE: ClassVar[int] = TYPE_EVENT
    seq: int
    code: int
    sample_index: int
    value: int = 0

    def __post_init__(self) -> None:
        _require_u(self.seq, 16, "seq")
        _require(self.code in EVENT_NAMES, f"event code {self.code!r}")
        _require_u(self.sample_index, 32, "sample_index")
        _require_u(self.value, 32, "value")

    @property
    def name(self) -> str:
        return EVENT_NAMES[self.code]

    @classmethod
    def from_bytes(cls, data: bytes) -> EventFrame:
        check_header(data, TYPE_EVENT, EVENT_BYTES)
        _require(len(data) == EVENT_BYTES, f"event frame of {len(data)} bytes, not {EVENT_BYTES}", data)
        _, _, seq, code, sample_index, value = EVENT.unpack(data)
        return cls(seq, code, sample_index, value)

    def __bytes__(self) -> bytes:
        return EVENT.pack(VERSION, TYPE_EVENT, self.seq, self.code, self.sample_index, self.value)


Frame = Union[DataFrame, StatusFrame, EventFrame]
_FRAME_TYPES: dict[int, type[DataFrame] | type[StatusFrame] | type[EventFrame]] = {
    TYPE_DATA: DataFrame, TYPE_STATUS: StatusFrame, TYPE_EVENT: EventFrame}


def decode_frame(data: bytes) -> Frame:
    """Decode one frame; raises ProtocolError (TruncatedFrameError, UnknownVersionError) when it cannot."""
    data = bytes(data)
    check_header(data, data[1] if len(data) > 1 else TYPE_DATA, 4)
    cls = _FRAME_TYPES.get(data[1])
    _require(cls is not None, f"unknown frame type {data[1]:#x}", data)
    assert cls is not None
    return cls.from_bytes(data)


def encode_command(opcode: int, cmd_id: int, *args: int | str) -> bytes:
    """Control command host -> device: [opcode][cmd_id][arguments] (see docs/protocol.md)."""
    fmt = COMMAND_ARGS.get(opcode)
    _require(fmt is not None, f"unknown opcode {opcode!r}")
    _require(1 <= cmd_id <= 255, f"cmd_id={cmd_id} is not 1..255")
    values = [ord(a) if isinstance(a, str) else a for a in args]
    try:
        return bytes((opcode, cmd_id)) + (struct.pack(fmt or "<", *values))
    except struct.error as exc:
        raise ProtocolError(f"bad arguments {args!r} for opcode {opcode:#x}: {exc}") from None

