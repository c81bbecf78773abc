"""Every write the bridge delivers reaches the firmware and is answered, whatever came with it.

The `bluetooth` shim is driven here by a fake bridge speaking its line protocol (no bumble), so the timing is
exact: the MicroPython main thread is held in `time.sleep` (which runs no scheduled callbacks on the unix
port) while the bridge sends several events in a row, as happens when the firmware is busy at connect time.
The old shim took all queued events in one scheduled call and lost the rest of the batch when one handler
raised: the write behind it was never handled nor answered (the host's `start` hung for 10 s, the shoe
stayed silent). The shim now reads and handles each message on the main thread on its own.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

import pytest
from radio_harness import SHIMS

from footfall.virtual.mpy import micropython_path

pytestmark = pytest.mark.micropython

SCRIPT = r"""
import bluetooth, sys, time
ble = bluetooth.BLE()
seen = []
def irq(event, data):
    seen.append(event)
    if event == 1:  # the connect handler fails (a bug, or a corrupted event): later events must still come
        raise ValueError("handler failed")
    if event == 3:
        sys.stdout.write("WRITE %d %s\n" % (data[1], bytes(ble.gatts_read(data[1])).hex()))
ble.irq(irq)
ble.active(True)
((h,),) = ble.gatts_register_services(((bluetooth.UUID(0x180F), ((bluetooth.UUID(0x2A19), bluetooth.FLAG_WRITE),)),))
sys.stdout.write("READY %d\n" % h)
time.sleep(1.0)  # busy: the unix port runs no scheduled callback during time.sleep
for _ in range(300):
    time.sleep_ms(10)
sys.stdout.write("SEEN %s\n" % seen)
"""


class FakeBridge:
    """The VirtualRadio side of the shim's socket: answers hello/register, records everything else."""

    def __init__(self) -> None:
        self.ops: list[dict[str, Any]] = []
        self.acked = asyncio.Event()
        self.writer: asyncio.StreamWriter | None = None

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        while line := await reader.readline():
            msg = json.loads(line)
            self.ops.append(msg)
            if msg["op"] == "hello":
                self.send({"id": msg["id"], "mac": "c0ffee000001", "slots": 10})
            elif msg["op"] == "register":
                self.send({"id": msg["id"], "handles": [[3]]})
            elif msg["op"] == "ack":
                self.acked.set()

    def send(self, *msgs: dict[str, Any]) -> None:
        assert self.writer is not None
        self.writer.write(b"".join((json.dumps(m) + "\n").encode() for m in msgs))


def test_a_write_behind_a_failing_handler_is_still_handled_and_answered() -> None:
    async def main() -> tuple[list[str], list[dict[str, Any]], bool]:
        bridge = FakeBridge()
        server = await asyncio.start_server(bridge.serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        env = dict(os.environ, MICROPYPATH=f"{SHIMS}:.frozen", FOOTFALL_RADIO=f"127.0.0.1:{port}")
        proc = await asyncio.create_subprocess_exec(micropython_path(), "-c", SCRIPT, env=env,
                                                    stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        assert proc.stdout is not None
        try:
            ready = (await asyncio.wait_for(proc.stdout.readline(), 10)).decode()
            assert ready.startswith("READY 3"), ready
            # while the firmware is busy: a connect, an MTU exchange and the host's first write, in a row
            bridge.send({"ev": "irq", "e": 1, "a": [1, 0, "#" + "00" * 6]}, {"ev": "irq", "e": 21, "a": [1, 247]},
                        {"ev": "write", "c": 1, "h": 3, "v": "0101", "k": 7})
            acked = True
            try:
                await asyncio.wait_for(bridge.acked.wait(), 3.5)
            except TimeoutError:
                acked = False
            out, _ = await asyncio.wait_for(proc.communicate(), 10)
            return out.decode().splitlines(), bridge.ops, acked
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
            server.close()

    lines, ops, acked = asyncio.run(main())
    print(lines)
    assert acked, f"the write was never answered: {ops}"
    assert [op["k"] for op in ops if op["op"] == "ack"] == [7]
    assert "WRITE 3 0101" in lines, lines
    assert "SEEN [1, 21, 3]" in lines, lines
