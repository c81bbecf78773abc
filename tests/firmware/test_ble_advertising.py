"""The advertising payload the firmware builds (firmware/ble.py adv_payload), byte for byte under MicroPython:
flags, appearance, an *incomplete* 16-bit service list (Battery and Device Information are served but not
advertised, Core Supplement Part A 1.1) holding RSC 0x1814, and the footfall 128-bit UUID, within 31 bytes."""

from __future__ import annotations

import uuid

import pytest

from footfall.virtual.mpy import FIRMWARE_DIR as FIRMWARE
from footfall.virtual.mpy import run_micropython
from footfall.virtual.radio_peripheral import parse_adv
from footfall.virtual.shoe import SHIMS_DIR

pytestmark = pytest.mark.micropython

SCRIPT = r"""
import ble
print("ADV", ble.adv_payload().hex())
print("RESP", ble.resp_payload(ble.device_name("L")).hex())
"""

AD_FLAGS, AD_INCOMPLETE_16, AD_COMPLETE_16, AD_COMPLETE_128, AD_APPEARANCE = 0x01, 0x02, 0x03, 0x07, 0x19


def test_advertising_payload() -> None:
    proc = run_micropython(SCRIPT, [SHIMS_DIR, FIRMWARE], timeout_s=30)
    out = proc.stdout.decode() + proc.stderr.decode()
    lines = dict(line.split(" ", 1) for line in out.splitlines() if line[:4] in ("ADV ", "RESP"))
    adv, resp = bytes.fromhex(lines["ADV"]), bytes.fromhex(lines["RESP"])
    ads = parse_adv(adv)
    print(f"advertising data {len(adv)} bytes: {[(hex(t), p.hex()) for t, p in ads]}")
    assert len(adv) <= 31 and len(resp) <= 31
    assert sum(2 + len(p) for _, p in ads) == len(adv)  # every byte is in a well-formed AD structure
    fields = dict(ads)
    assert len(fields) == len(ads)  # no AD type twice
    assert fields[AD_FLAGS] == b"\x06"  # LE General Discoverable, BR/EDR not supported
    assert fields[AD_APPEARANCE] == (0x0442).to_bytes(2, "little")  # Running Walking Sensor: On-Shoe
    assert fields[AD_INCOMPLETE_16] == (0x1814).to_bytes(2, "little")  # RSC, for passive scanners
    assert AD_COMPLETE_16 not in fields  # Battery 0x180F and Device Information 0x180A are served too
    footfall = uuid.UUID("f00f0000-3c6d-4b8e-9a5b-1f2e3d4c5b6a").bytes[::-1]  # little-endian on air
    assert fields[AD_COMPLETE_128] == footfall  # the only 128-bit service: that list is complete
    assert parse_adv(resp) == [(0x09, b"footfall-L")]
