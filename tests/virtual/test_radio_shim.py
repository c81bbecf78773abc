"""The MicroPython `bluetooth` shim behaves as the raw API documents (and as NimBLE on the ESP32 does)."""

from __future__ import annotations

import asyncio
import json
import os

import pytest
from radio_harness import SHIMS

from footfall.virtual.mpy import micropython_path
from footfall.virtual.radio import VirtualRadio

pytestmark = pytest.mark.micropython

SCRIPT = r"""
import bluetooth, errno, json
out = {}
def err(f):
    try:
        f()
        return None
    except OSError as e:
        return e.errno
u = bluetooth.UUID
out["uuid"] = [u(0x1814) == u("1814"), u("F00F0000-3C6D-4B8E-9A5B-1F2E3D4C5B6A") == u("f00f0000-3c6d-4b8e-9a5b-1f2e3d4c5b6a"),
               u(b"\x14\x18") == u(0x1814), repr(u(0x2A53)), str(u("f00f0000-3c6d-4b8e-9a5b-1f2e3d4c5b6a"))]
out["flags"] = [bluetooth.FLAG_READ, bluetooth.FLAG_WRITE_NO_RESPONSE, bluetooth.FLAG_WRITE, bluetooth.FLAG_NOTIFY,
                bluetooth.FLAG_INDICATE]
ble = bluetooth.BLE()
out["singleton"] = ble is bluetooth.BLE()
out["inactive"] = [ble.active(), err(lambda: ble.gap_advertise(100000, b""))]
out["active"] = ble.active(True)
ble.config(gap_name="shim-test", mtu=247)
t, mac = ble.config("mac")
out["config"] = [ble.config("gap_name"), ble.config("mtu"), t, len(mac)]
((h1, h2, h3),) = ble.gatts_register_services(((u(0x180F), ((u(0x2A19), bluetooth.FLAG_READ | bluetooth.FLAG_NOTIFY),
    (u(0x2A1A), bluetooth.FLAG_WRITE, ((u(0x2901), bluetooth.FLAG_READ),)))),))
out["handles"] = [h1 < h2 < h3, ble.gatts_read(h1)]
ble.gatts_write(h1, b"x" * 40)
out["grow"] = len(ble.gatts_read(h1))
out["errors"] = [err(lambda: ble.gatts_notify(5, h1, b"a")), err(lambda: ble.gatts_read(999)),
                 ble.gap_disconnect(5), err(lambda: ble.gattc_exchange_mtu(5)), err(lambda: ble.gap_advertise(1, b"x" * 32))]
ble._apply_write(h2, b"y" * 30)
a = len(ble.gatts_read(h2))
ble.gatts_set_buffer(h2, 8, True)
ble._apply_write(h2, b"")
ble._apply_write(h2, b"abc")
ble._apply_write(h2, b"defghij")
out["buffers"] = [a, bytes(ble.gatts_read(h2)).decode(), bytes(ble.gatts_read(h2)).decode()]
ble.active(False)
out["off"] = ble.active()
out["again"] = [ble.active(True), ble.config("mac")[1] == mac]
print(json.dumps(out))
"""


def test_shim_follows_the_raw_bluetooth_api() -> None:
    async def main() -> dict[str, object]:
        async with VirtualRadio() as radio:
            env = dict(os.environ, **radio.env, MICROPYPATH=f"{SHIMS}:.frozen")
            proc = await asyncio.create_subprocess_exec(micropython_path(), "-c", SCRIPT, env=env,
                                                        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
            out, err = await asyncio.wait_for(proc.communicate(), 20)
            assert proc.returncode == 0, err.decode()
            return dict(json.loads(out.decode().strip().splitlines()[-1]))

    r = asyncio.run(main())
    assert r["uuid"] == [True, True, True, "UUID(0x2a53)", "f00f0000-3c6d-4b8e-9a5b-1f2e3d4c5b6a"]
    assert r["flags"] == [0x02, 0x04, 0x08, 0x10, 0x20]
    assert r["singleton"] is True
    assert r["inactive"] == [False, 1]  # EPERM before active(True)
    assert r["active"] is True
    assert r["config"] == ["shim-test", 247, 1, 6]
    assert r["handles"] == [True, ""]
    assert r["grow"] == 40  # a local gatts_write grows the buffer
    assert r["errors"] == [107, 22, False, 107, 5]  # ENOTCONN, EINVAL, not connected, ENOTCONN, EIO
    assert r["buffers"] == [20, "abcdefgh", ""]  # truncated to the 20-byte default; append mode, read empties
    assert r["off"] is False
    assert r["again"] == [True, True]  # the same radio and address after active(False) / active(True)


def test_shim_without_a_radio_raises_oserror() -> None:
    script = "import bluetooth\ntry:\n    bluetooth.BLE().active(True)\nexcept OSError as e:\n    print('oserror', e.errno)\n"
    env = {k: v for k, v in os.environ.items() if k != "FOOTFALL_RADIO"}
    env["MICROPYPATH"] = f"{SHIMS}:.frozen"
    import subprocess

    done = subprocess.run([micropython_path(), "-c", script], env=env, capture_output=True, timeout=20, check=False)
    assert done.stdout.decode().split() == ["oserror", "19"]  # ENODEV: the firmware falls back to USB
