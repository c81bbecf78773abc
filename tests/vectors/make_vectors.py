"""Regenerate tests/vectors/*.json from the tables of docs/protocol.md.

The bytes are laid out field by field with int.to_bytes at the documented offsets, deliberately not with
firmware/frame.py or footfall.protocol.decode, so the vectors check both encoders instead of echoing them.
Run: .venv/bin/python tests/vectors/make_vectors.py (then review the diff: the vectors are the contract).
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

HERE = Path(__file__).parent


def u(value: int, size: int) -> bytes:
    return value.to_bytes(size, "little")


def i16(value: int) -> bytes:
    return value.to_bytes(2, "little", signed=True)


def f32(value: float) -> tuple[bytes, float]:
    raw = struct.pack("<f", value)
    return raw, struct.unpack("<f", raw)[0]  # the value the wire actually carries


def data_vector(name: str, seq: int, first_index: int, samples: list[list[int]], flags: int = 0) -> dict:
    raw = bytes([1, 1]) + u(seq, 2) + u(first_index, 4) + bytes([len(samples), flags])
    raw += b"".join(i16(v) for s in samples for v in s)
    fields = {"seq": seq, "first_index": first_index, "flags": flags, "samples": samples}
    return {"name": name, "type": "data", "fields": fields, "hex": raw.hex()}


def status_vector(name: str, **f: object) -> dict:
    acc_raw, acc = f32(f["acc_mps2_per_count"])  # type: ignore[arg-type]
    gyr_raw, gyr = f32(f["gyr_radps_per_count"])  # type: ignore[arg-type]
    f["acc_mps2_per_count"], f["gyr_radps_per_count"] = acc, gyr
    g = f.__getitem__
    raw = (bytes([1, 2]) + u(g("seq"), 2) + u(g("rate_hz"), 2) + u(g("acc_range_g"), 1) + u(g("gyr_range_dps"), 2)
           + acc_raw + gyr_raw + u(g("imu"), 1) + g("side").encode() + bytes(g("fw_version"))
           + u(g("battery_pct"), 1) + u(g("battery_mv"), 2) + u(g("device_time_ms"), 4) + u(g("sample_index"), 4)
           + u(g("state"), 1) + u(g("fifo_overruns"), 2) + u(g("frames_dropped"), 2) + u(g("buffer_fill_pct"), 1)
           + u(g("cmd_id"), 1) + u(g("cmd_result"), 1) + u(g("rate_mhz"), 4))
    assert len(raw) == 45
    return {"name": name, "type": "status", "fields": f, "hex": raw.hex()}


def event_vector(name: str, seq: int, code: int, sample_index: int, value: int) -> dict:
    raw = bytes([1, 3]) + u(seq, 2) + bytes([code]) + u(sample_index, 4) + u(value, 4)
    fields = {"seq": seq, "code": code, "sample_index": sample_index, "value": value}
    return {"name": name, "type": "event", "fields": fields, "hex": raw.hex()}


def frames() -> list[dict]:
    full = [[(i * 1000 + k * 111) % 65536 - 32768 for k in range(6)] for i in range(19)]
    full[0] = [-32768, 32767, 0, -1, 1, 256]
    return [
        data_vector("one sample at rest, +1 g on z at 16 g range", 0, 0, [[0, 0, 2048, 0, 0, 0]]),
        data_vector("full frame of 19 samples, int16 extremes", 1234, 100000, full),
        data_vector("accelerometer only (no gyro flag)", 7, 42, [[10, -20, 2049, 0, 0, 0]] * 3, flags=1),
        data_vector("counters about to wrap", 65535, 4294967290, [[1, 2, 3, 4, 5, 6]] * 5),
        status_vector("LSM6DSO32 left, streaming", seq=3, rate_hz=416, acc_range_g=16, gyr_range_dps=2000,
                      acc_mps2_per_count=0.000488 * 9.80665, gyr_radps_per_count=0.070 * 3.141592653589793 / 180,
                      imu=2, side="L",
                      fw_version=[0, 2, 0], battery_pct=87, battery_mv=3987, device_time_ms=123456,
                      sample_index=51234, state=0x09, fifo_overruns=0, frames_dropped=2, buffer_fill_pct=5,
                      cmd_id=17, cmd_result=0, rate_mhz=422937),
        status_vector("MPU6886 right, idle, battery unknown, answering a bad command", seq=65535, rate_hz=100,
                      acc_range_g=8, gyr_range_dps=1000, acc_mps2_per_count=8 * 9.80665 / 32768,
                      gyr_radps_per_count=1000 / 32768 * 3.141592653589793 / 180, imu=3, side="R", fw_version=[1, 2, 3],
                      battery_pct=255, battery_mv=0, device_time_ms=4294967295, sample_index=0, state=0x04,
                      fifo_overruns=65535, frames_dropped=0, buffer_fill_pct=100, cmd_id=255, cmd_result=2,
                      rate_mhz=0),
        event_vector("started", 10, 1, 0, 0),
        event_vector("stopped", 11, 2, 4160, 0),
        event_vector("FIFO overrun, 37 samples lost", 12, 3, 99999, 37),
        event_vector("frames dropped on the device", 13, 4, 100000, 5),
        event_vector("resend finished", 14, 5, 100019, 12),
        event_vector("time sync", 65535, 6, 4294967295, 4294967295),
    ]


def bad_frames() -> list[dict]:
    good = bytes.fromhex(data_vector("", 1, 2, [[1, 2, 3, 4, 5, 6]] * 2)["hex"])
    event = bytes.fromhex(event_vector("", 1, 1, 0, 0)["hex"])
    return [
        {"name": "empty", "hex": "", "error": "truncated"},
        {"name": "header only", "hex": good[:4].hex(), "error": "truncated"},
        {"name": "data frame missing its last byte", "hex": good[:-1].hex(), "error": "truncated"},
        {"name": "data frame with a trailing byte", "hex": (good + b"\x00").hex(), "error": "corrupt"},
        {"name": "sample count 0", "hex": (good[:8] + b"\x00" + good[9:10]).hex(), "error": "corrupt"},
        {"name": "sample count 20", "hex": (good[:8] + b"\x14" + good[9:]).hex(), "error": "corrupt"},
        {"name": "reserved flag bit", "hex": (good[:9] + b"\x02" + good[10:]).hex(), "error": "corrupt"},
        {"name": "version 2", "hex": (b"\x02" + good[1:]).hex(), "error": "version"},
        {"name": "version 0", "hex": (b"\x00" + good[1:]).hex(), "error": "version"},
        {"name": "unknown frame type", "hex": (good[:1] + b"\x09" + good[2:]).hex(), "error": "corrupt"},
        {"name": "unknown event code", "hex": (event[:4] + b"\x08" + event[5:]).hex(), "error": "corrupt"},
        {"name": "short event", "hex": event[:12].hex(), "error": "truncated"},
    ]


def commands() -> dict:
    valid = [
        ("start", 0x01, 1, []), ("stop", 0x02, 2, []), ("set rate 416 Hz", 0x03, 3, [416]),
        ("set ranges 32 g / 2000 dps", 0x04, 4, [32, 2000]), ("set side L", 0x05, 5, ["L"]),
        ("identify", 0x06, 6, []), ("resend from seq 65000", 0x07, 7, [65000]),
        ("time sync", 0x08, 8, [4000000000]), ("calibrate", 0x09, 9, []), ("sleep", 0x0A, 10, []),
        ("select USB", 0x0B, 11, [1]), ("status", 0x0C, 255, []),
    ]
    layouts = {0x03: "<H", 0x04: "<BH", 0x05: "<B", 0x07: "<H", 0x08: "<I", 0x0B: "<B"}
    out = []
    for name, op, cid, args in valid:
        values = [ord(a) if isinstance(a, str) else a for a in args]
        raw = bytes([op, cid]) + (struct.pack(layouts[op], *values) if op in layouts else b"")
        out.append({"name": name, "opcode": op, "cmd_id": cid, "args": args, "hex": raw.hex()})
    invalid = [
        ("empty", "", 1), ("opcode only", "01", 1), ("unknown opcode", "7f01", 3), ("start with argument", "010100", 1),
        ("set rate missing a byte", "030aa0", 1), ("set rate 0 Hz", "030b0000", 2), ("set ranges 3 g", "040c03d007", 2),
        ("set ranges 300 dps", "040c102c01", 2), ("set side X", "050d58", 2), ("select link 2", "0b0e02", 2),
        ("cmd_id 0", "0100", 2),
    ]
    bad = [{"name": n, "hex": h, "result": r} for n, h, r in invalid]
    return {"valid": out, "invalid": bad}


def crc16(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1) & 0xFFFF
    return crc


def cobs(data: bytes) -> bytes:
    """COBS as in Cheshire & Baker: a full block (code 0xFF) at the very end gets no empty block after it."""
    out, block = bytearray(), bytearray()
    for k, byte in enumerate(data):
        if byte == 0:
            out += bytes([len(block) + 1]) + block
            block = bytearray()
            continue
        block.append(byte)
        if len(block) == 254:
            out += b"\xff" + block
            block = bytearray()
            if k == len(data) - 1:
                return bytes(out)
    return bytes(out + bytes([len(block) + 1]) + block)


def serial() -> list[dict]:
    payloads = {
        "a short event": bytes.fromhex(event_vector("", 1, 1, 0, 0)["hex"]),
        "full data frame": bytes.fromhex(frames()[1]["hex"]),
        "all zero": bytes(20),
        "254 non-zero bytes": bytes(range(1, 255)),
        "300 non-zero bytes": bytes((i % 255) + 1 for i in range(300)),
    }
    out = []
    for name, p in payloads.items():
        c = crc16(p)
        out.append({"name": name, "payload": p.hex(), "crc16": c, "packet": (cobs(p + u(c, 2)) + b"\x00").hex()})
    return out


def bad_serial() -> list[dict]:
    """Packets whose COBS and length are fine but whose CRC does not match: only the CRC check can refuse them."""
    good = bytes.fromhex(event_vector("", 1, 1, 0, 0)["hex"])
    raw = good + u(crc16(good), 2)
    cases = {"one payload bit flipped": (3, 0x01), "top payload bit flipped": (0, 0x80),
             "CRC low byte flipped": (len(raw) - 2, 0x10), "CRC high byte flipped": (len(raw) - 1, 0x01)}
    out = []
    for name, (pos, bit) in cases.items():
        bad = bytearray(raw)
        bad[pos] ^= bit
        out.append({"name": name, "packet": (cobs(bytes(bad)) + b"\x00").hex(), "error": "CRC mismatch"})
    return out


def main() -> None:
    assert crc16(b"123456789") == 0x29B1  # the CRC-16/CCITT-FALSE check value
    files = {"frames.json": frames(), "bad_frames.json": bad_frames(), "commands.json": commands(),
             "serial.json": serial(), "bad_serial.json": bad_serial()}
    for name, content in files.items():
        (HERE / name).write_text(json.dumps(content, indent=1) + "\n")


if __name__ == "__main__":
    main()
