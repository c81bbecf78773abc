# Frame encoder of the footfall wire protocol, version 1 (docs/protocol.md is the contract).
#
# Pure: no hardware, no allocation at import beyond constants and one CRC table, so it runs unchanged under
# MicroPython (ESP32-S3, unix port) and CPython. tests/vectors/*.json pin the bytes for both VMs and the host
# decoder (host/footfall/protocol/frames.py mirrors every constant below).
#
# Errors: a bad argument raises ValueError. parse_command raises ValueError(result_code, message) so the
# control task can answer with the right cmd_result without string matching.

import struct

try:
    from micropython import const
except ImportError:  # CPython: const is the identity

    def const(x):
        return x


VERSION = const(1)
TYPE_DATA = const(0x01)
TYPE_STATUS = const(0x02)
TYPE_EVENT = const(0x03)

MAX_FRAME_BYTES = const(244)  # one BLE notification at ATT MTU 247, the largest the firmware asks for
DATA_HEADER_BYTES = const(10)
SAMPLE_BYTES = const(12)
MAX_SAMPLES = const(19)  # 10 + 12 * 19 = 238 <= 244
STATUS_BYTES = const(45)
EVENT_BYTES = const(13)
NOTIFY_HEADER_BYTES = const(3)  # an ATT notification carries at most ATT_MTU - 3 bytes; the stack cuts the rest
MIN_MTU = const(48)  # STATUS_BYTES + 3: below it the status frames (the stream's scales) cannot go out whole

FLAG_NO_GYRO = const(0x01)

IMU_VIRTUAL = const(0)
IMU_LSM6DSOX = const(1)
IMU_LSM6DSO32 = const(2)
IMU_MPU6886 = const(3)
IMU_IMPORTED = const(255)

STATE_STREAMING = const(0x01)
STATE_USB = const(0x02)
STATE_IDLE = const(0x04)
STATE_CALIBRATED = const(0x08)

EVENT_STARTED = const(1)
EVENT_STOPPED = const(2)
EVENT_FIFO_OVERRUN = const(3)
EVENT_FRAMES_DROPPED = const(4)
EVENT_RESEND_DONE = const(5)
EVENT_TIME_SYNC = const(6)
EVENT_IMU_ERROR = const(7)

CMD_START = const(0x01)
CMD_STOP = const(0x02)
CMD_SET_RATE = const(0x03)
CMD_SET_RANGES = const(0x04)
CMD_SET_SIDE = const(0x05)
CMD_IDENTIFY = const(0x06)
CMD_RESEND = const(0x07)
CMD_TIME_SYNC = const(0x08)
CMD_CALIBRATE = const(0x09)
CMD_SLEEP = const(0x0A)
CMD_SELECT_LINK = const(0x0B)
CMD_STATUS = const(0x0C)
CMD_SET_PACE = const(0x0D)  # u16: the RSC speed's factor in 1/1000 (500..2000), for a watch's pace

RESULT_OK = const(0)
RESULT_BAD_LENGTH = const(1)
RESULT_BAD_VALUE = const(2)
RESULT_UNKNOWN_OPCODE = const(3)
RESULT_BUSY = const(4)
RESULT_NOT_BUFFERED = const(5)
RESULT_HELD = const(6)  # another BLE central holds the sensor: only status and identify are answered

ACC_RANGES_G = (2, 4, 8, 16, 32)
GYR_RANGES_DPS = (125, 250, 500, 1000, 2000, 4000)
MAX_RATE_HZ = const(6664)
PACE_MIN_PERMILLE = const(500)  # the RSC speed's factor: half to twice the cadence-based estimate
PACE_MAX_PERMILLE = const(2000)

# struct layouts, offsets as in docs/protocol.md
DATA_HEADER_FMT = "<BBHIBB"
STATUS_FMT = "<BBHHBHffBBBBBBHIIBHHBBBI"
EVENT_FMT = "<BBHBII"

# argument layout of each command after [opcode][cmd_id]
COMMAND_ARGS = {
    CMD_START: "",
    CMD_STOP: "",
    CMD_SET_RATE: "<H",
    CMD_SET_RANGES: "<BH",
    CMD_SET_SIDE: "<B",
    CMD_IDENTIFY: "",
    CMD_RESEND: "<H",
    CMD_TIME_SYNC: "<I",
    CMD_CALIBRATE: "",
    CMD_SLEEP: "",
    CMD_SELECT_LINK: "<B",
    CMD_STATUS: "",
    CMD_SET_PACE: "<H",
}

_SIDES = b"LR?"


def _check(ok, what):
    if not ok:
        raise ValueError(what)


def _check_u(value, bits, name):
    _check(0 <= value < (1 << bits), name + " out of range")


def side_byte(side):
    """'L', 'R' or '?' (str, bytes or int) -> its ASCII code."""
    code = side if isinstance(side, int) else ord(side)
    _check(code in _SIDES, "side must be L, R or ?")
    return code


def encode_data_into(buf, seq, first_index, payload, flags=0):
    """Write a data frame into the preallocated `buf` (>= 238 bytes); returns its length.

    `payload` holds n samples already packed as 6 x int16 little-endian (12 n bytes), which is how the
    sampler keeps them, so nothing is allocated per frame.
    """
    size = len(payload)
    n = size // SAMPLE_BYTES
    _check(size == n * SAMPLE_BYTES and 1 <= n <= MAX_SAMPLES, "payload must hold 1..19 whole samples")
    _check_u(seq, 16, "seq")
    _check_u(first_index, 32, "first_index")
    _check(flags in (0, FLAG_NO_GYRO), "flags")
    struct.pack_into(DATA_HEADER_FMT, buf, 0, VERSION, TYPE_DATA, seq, first_index, n, flags)
    buf[DATA_HEADER_BYTES : DATA_HEADER_BYTES + size] = payload
    return DATA_HEADER_BYTES + size


def samples_for_mtu(mtu):
    """Samples per data frame that fit one notification at ATT MTU `mtu`: 19 at 241 and above, 14 at 185
    (an iPhone's), 2 at MIN_MTU; at least 1 (below 25 no data frame fits: see MIN_MTU)."""
    fit = (mtu - NOTIFY_HEADER_BYTES - DATA_HEADER_BYTES) // SAMPLE_BYTES
    return max(1, min(MAX_SAMPLES, fit))


def pack_samples(samples):
    """Sequence of (ax, ay, az, gx, gy, gz) int16 counts -> the 12 n byte payload of a data frame."""
    out = bytearray(SAMPLE_BYTES * len(samples))
    for i, s in enumerate(samples):
        _check(len(s) == 6, "a sample has 6 values")
        for v in s:
            _check(-32768 <= v <= 32767, "sample value outside int16")
        struct.pack_into("<hhhhhh", out, i * SAMPLE_BYTES, s[0], s[1], s[2], s[3], s[4], s[5])
    return out


def encode_data(seq, first_index, samples, flags=0):
    """Data frame as bytes. `samples`: packed payload (bytes-like) or a sequence of 6-int samples."""
    if not isinstance(samples, (bytes, bytearray, memoryview)):
        samples = pack_samples(samples)
    buf = bytearray(DATA_HEADER_BYTES + len(samples))
    encode_data_into(buf, seq, first_index, samples, flags)
    return bytes(buf)


def encode_status(
    seq,
    rate_hz,
    acc_range_g,
    gyr_range_dps,
    acc_mps2_per_count,
    gyr_radps_per_count,
    imu,
    side,
    fw_version=(0, 0, 0),
    battery_pct=255,
    battery_mv=0,
    device_time_ms=0,
    sample_index=0,
    state=0,
    fifo_overruns=0,
    frames_dropped=0,
    buffer_fill_pct=0,
    cmd_id=0,
    cmd_result=0,
    rate_mhz=0,
):
    """Status frame (45 bytes): identifies the stream and carries the count -> SI scales."""
    _check_u(seq, 16, "seq")
    _check(1 <= rate_hz <= 0xFFFF, "rate_hz out of range")
    _check_u(acc_range_g, 8, "acc_range_g")
    _check_u(gyr_range_dps, 16, "gyr_range_dps")
    _check(acc_mps2_per_count > 0 and gyr_radps_per_count > 0, "scales must be positive")
    _check_u(imu, 8, "imu")
    _check(len(fw_version) == 3, "fw_version is (major, minor, patch)")
    for part in fw_version:
        _check_u(part, 8, "fw_version")
    _check(0 <= battery_pct <= 100 or battery_pct == 255, "battery_pct is 0..100 or 255")
    _check_u(battery_mv, 16, "battery_mv")
    _check_u(device_time_ms, 32, "device_time_ms")
    _check_u(sample_index, 32, "sample_index")
    _check(0 <= state <= 0x0F, "state has bits 0..3 only")
    _check_u(fifo_overruns, 16, "fifo_overruns")
    _check_u(frames_dropped, 16, "frames_dropped")
    _check(0 <= buffer_fill_pct <= 100, "buffer_fill_pct is 0..100")
    _check_u(cmd_id, 8, "cmd_id")
    _check(0 <= cmd_result <= RESULT_HELD, "cmd_result")
    _check_u(rate_mhz, 32, "rate_mhz")
    return struct.pack(
        STATUS_FMT, VERSION, TYPE_STATUS, seq, rate_hz, acc_range_g, gyr_range_dps,
        acc_mps2_per_count, gyr_radps_per_count,
        imu, side_byte(side), fw_version[0], fw_version[1], fw_version[2], battery_pct, battery_mv,
        device_time_ms, sample_index, state, fifo_overruns, frames_dropped, buffer_fill_pct, cmd_id, cmd_result,
        rate_mhz,
    )


def encode_event(seq, code, sample_index, value=0):
    """Event frame (13 bytes)."""
    _check_u(seq, 16, "seq")
    _check(EVENT_STARTED <= code <= EVENT_IMU_ERROR, "unknown event code")
    _check_u(sample_index, 32, "sample_index")
    _check_u(value, 32, "value")
    return struct.pack(EVENT_FMT, VERSION, TYPE_EVENT, seq, code, sample_index, value)


def encode_command(opcode, cmd_id, *args):
    """Control command host -> device: [opcode][cmd_id][arguments]."""
    fmt = COMMAND_ARGS.get(opcode)
    _check(fmt is not None, "unknown opcode")
    _check(1 <= cmd_id <= 255, "cmd_id is 1..255")
    if opcode == CMD_SET_SIDE:
        args = (side_byte(args[0]),)
    head = bytes((opcode, cmd_id))
    return head + struct.pack(fmt, *args) if fmt else head


def _check_command_values(opcode, args):
    if opcode == CMD_SET_RATE:
        return 1 <= args[0] <= MAX_RATE_HZ
    if opcode == CMD_SET_RANGES:
        return args[0] in ACC_RANGES_G and args[1] in GYR_RANGES_DPS
    if opcode == CMD_SET_SIDE:
        return args[0] in (76, 82)  # 'L', 'R'
    if opcode == CMD_SELECT_LINK:
        return args[0] in (0, 1)
    if opcode == CMD_SET_PACE:
        return PACE_MIN_PERMILLE <= args[0] <= PACE_MAX_PERMILLE
    return True


def parse_command(data):
    """Validate a command -> (opcode, cmd_id, args). Raises ValueError(result_code, message).

    The side of CMD_SET_SIDE comes back as 'L' or 'R'; other arguments as ints.
    """
    if len(data) < 2:
        raise ValueError(RESULT_BAD_LENGTH, "command shorter than 2 bytes")
    opcode = data[0]
    cmd_id = data[1]
    fmt = COMMAND_ARGS.get(opcode)
    if fmt is None:
        raise ValueError(RESULT_UNKNOWN_OPCODE, "unknown opcode")
    if len(data) != 2 + (struct.calcsize(fmt) if fmt else 0):
        raise ValueError(RESULT_BAD_LENGTH, "wrong argument length")
    if cmd_id == 0:
        raise ValueError(RESULT_BAD_VALUE, "cmd_id 0 is reserved")
    args = struct.unpack(fmt, bytes(data[2:])) if fmt else ()
    if not _check_command_values(opcode, args):
        raise ValueError(RESULT_BAD_VALUE, "argument out of range")
    if opcode == CMD_SET_SIDE:
        args = (chr(args[0]),)
    return opcode, cmd_id, args


# --- USB serial framing: COBS(frame || crc16 LE) || 0x00 -------------------------------------------------


def _crc_table():
    table = []
    for byte in range(256):
        crc = byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
        table.append(crc & 0xFFFF)
    return table


_CRC_TABLE = _crc_table()


def crc16(data, crc=0xFFFF):
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor); check('123456789') = 0x29B1."""
    table = _CRC_TABLE
    for b in data:
        crc = ((crc << 8) & 0xFFFF) ^ table[(crc >> 8) ^ b]
    return crc


def cobs_encode(data):
    """Consistent overhead byte stuffing (Cheshire & Baker 1999): the result holds no 0x00."""
    size = len(data)
    out = bytearray(size + size // 254 + 2)
    code_at = 0
    code = 1
    o = 1
    for k in range(size):
        b = data[k]
        if b:
            out[o] = b
            o += 1
            code += 1
        if not b or code == 0xFF:
            out[code_at] = code
            code_at = o
            code = 1
            if not b or k < size - 1:  # a full block ending the data needs no empty block after it
                o += 1
    out[code_at] = code
    return bytes(out[:o])


def cobs_decode(data):
    """Inverse of cobs_encode; raises ValueError on a zero byte or a block running past the end."""
    out = bytearray()
    i = 0
    size = len(data)
    while i < size:
        code = data[i]
        if code == 0 or i + code > size:
            raise ValueError("bad COBS block")
        block = data[i + 1 : i + code]
        if 0 in block:
            raise ValueError("zero inside COBS data")
        out.extend(block)
        i += code
        if code < 0xFF and i < size:
            out.append(0)
    return bytes(out)


def serial_packet(frame):
    """One frame (or command) as sent on USB serial: COBS(frame || crc16 LE) || 0x00."""
    crc = crc16(frame)
    return cobs_encode(bytes(frame) + bytes((crc & 0xFF, crc >> 8))) + b"\x00"


def parse_serial_packet(packet):
    """Inverse of serial_packet (with or without the trailing 0x00); raises ValueError when corrupt."""
    if packet and packet[-1] == 0:
        packet = packet[:-1]
    raw = cobs_decode(packet)
    if len(raw) < 3:
        raise ValueError("packet too short")
    body = raw[:-2]
    if crc16(body) != raw[-2] | (raw[-1] << 8):
        raise ValueError("CRC mismatch")
    return body
