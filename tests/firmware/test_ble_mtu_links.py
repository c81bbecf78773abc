"""firmware/ble.py 0.7.1 under MicroPython with a fake `BLE` object (the raw API's IRQ calls made by hand, as
test_ble_centrals and test_ble_refused do): a stop from a host gone meanwhile is handled, `status` is remembered per
central, and the host's data frames follow its ATT MTU after the claim and shrink to fit MTU 185 while it is away."""

from __future__ import annotations

import ast

import pytest
import test_ble_centrals as centrals
import test_ble_refused as refused

import frame as F
from footfall.virtual.mpy import FIRMWARE_DIR as FIRMWARE
from footfall.virtual.mpy import run_micropython
from footfall.virtual.shoe import SHIMS_DIR

pytestmark = pytest.mark.micropython


def _run(head: str, body: str) -> dict[str, object]:
    """The fake BLE of `head` (a test's script up to its main) and `body`; its printed KEY value lines."""
    proc = run_micropython(head.split("async def main():")[0] + body, [SHIMS_DIR, FIRMWARE], timeout_s=30)
    out = proc.stdout.decode() + proc.stderr.decode()
    print(out)
    return {key: ast.literal_eval(rest) for key, _, rest in (line.partition(" ") for line in out.splitlines())
            if key.isupper() and rest[:1] in "([{"}


# gatts_notify on a central that has left raises ENOTCONN, as NimBLE does; status_frame for the direct answers
_GONE_HEAD = refused.SCRIPT.replace(
    "    def gatts_read(self, handle):",
    "    def gatts_notify(self, conn, handle, data):\n        raise OSError(128)\n    def gatts_read(self, handle):",
).replace("    def activity(self):", "    def status_frame(self, cmd_id=0, result=0):\n        return bytes(45)\n"
          "    def activity(self):")

_STOP_BODY = r'''
async def main():
    for mtu in (247, 23):  # a host that claimed; a central too small to claim, whose stop is still handled
        ble, device = FakeBle(), Device()
        link = BleLink(device, Control(device), asyncio.ThreadSafeFlag(), ble=ble)
        link.h_control = 7
        link._connected = lambda conn: None
        link.advertise = lambda: None
        link._irq(1, (1, 0, b"\0" * 6))
        link._irq(21, (1, mtu))
        task = asyncio.create_task(link.run())
        ble.value = bytes((frame.CMD_START, 1)); link._irq(3, (1, 7))
        await asyncio.sleep_ms(20)
        ble.value = bytes((frame.CMD_STOP, 2)); link._irq(3, (1, 7))  # stop written ...
        link._irq(2, (1, 0, b"\0" * 6))  # ... and the central leaves before the task handles it
        await asyncio.sleep_ms(20)
        task.cancel()
        print("HANDLED_%d" % mtu, device.answers)

asyncio.run(main())
'''


def test_a_stop_from_a_host_gone_meanwhile_is_handled() -> None:
    """0.7.0 refused it for the MTU (the disconnect had forgotten the link's MTU) and the shoe sampled on."""
    got = _run(_GONE_HEAD, _STOP_BODY)
    assert got["HANDLED_247"] == [(1, F.RESULT_OK), (2, F.RESULT_OK)]
    assert got["HANDLED_23"] == [(2, F.RESULT_OK)]  # its start was refused (answered to it alone), its stop not


# a ring that counts its answers, so the cursor's position names which answer a stream begins after
_TOLD_HEAD = centrals.SCRIPT.replace("""class Ring:  # the last answer pushed, as Control leaves it: [version, type, cmd_id, result]
    head = 1""", """class Ring:
    head = 0""").replace("""        if answer:
            self.device.ring.last""", """        if answer:
            self.device.ring.head += 1
            self.device.ring.last""")

_TOLD_BODY = r'''
async def main():
    for order in ((1,), (1, 2), (2, 1)):
        ble, device = FakeBle(), Device()
        device.cursor = Cursor()
        link = BleLink(device, Control(device), asyncio.ThreadSafeFlag(), ble=ble)
        link.h_control, link.h_rsc, link.h_data, link.h_status = 7, 11, 3, 5
        task = asyncio.create_task(link.run())
        for conn in (1, 2):
            link._irq(1, (conn, 0, b"\0" * 6)); link._irq(21, (conn, 247)); await settle(link)
        for conn in order:
            await write(link, ble, conn, bytes((frame.CMD_STATUS, 9)))
        await write(link, ble, 1, bytes((frame.CMD_START, 10)))
        print("BEGINS_%s" % "_".join(map(str, order)), (link.conn, device.cursor.pos, order.index(1) + 1))
        task.cancel()

asyncio.run(main())
'''


def test_status_is_remembered_for_each_central() -> None:
    """Central 1's stream begins after its own last answer, whoever asked after it (0.7.0 remembered the last asker
    only: with a phone asking too, central 1 got its answer again, the 0.6.2 duplicate)."""
    got = _run(_TOLD_HEAD, _TOLD_BODY)
    for key in ("BEGINS_1", "BEGINS_1_2", "BEGINS_2_1"):
        host, pos, after = got[key]  # type: ignore[misc]
        assert (host, pos) == (1, after), (key, got[key])


_FIT_BODY = r'''
async def main():
    ble, device = FakeBle(), Device()
    device.sampler = Sampler()
    link = BleLink(device, Control(device), asyncio.ThreadSafeFlag(), ble=ble)
    link.h_control, link.h_rsc, link.h_data, link.h_status = 7, 11, 3, 5
    task = asyncio.create_task(link.run())
    link._irq(1, (1, 0, b"\0" * 6)); await settle(link)
    conn, _, answers = await write(link, ble, 1, bytes((frame.CMD_START, 1)))
    print("BEFORE_EXCHANGE", (conn, answers))  # MTU 23: not a host
    link._irq(21, (1, 247)); await settle(link)
    await write(link, ble, 1, bytes((frame.CMD_START, 2)))
    sizes = [(link.conn, device.sampler.frame_samples)]
    link._irq(21, (1, 185)); await settle(link)  # the host's MTU fell after its claim
    sizes.append(device.sampler.frame_samples)
    link._irq(21, (1, 247)); await settle(link)
    sizes.append(device.sampler.frame_samples)
    link._irq(2, (1, 0, b"\0" * 6)); await settle(link)  # the host left: the outage's frames fit 185
    sizes.append(device.sampler.frame_samples)
    link._irq(1, (2, 0, b"\0" * 6)); link._irq(21, (2, 185)); await settle(link)  # a guest's MTU: not the host's
    sizes.append(device.sampler.frame_samples)
    print("SIZES", sizes)
    link._irq(1, (3, 0, b"\0" * 6)); link._irq(21, (3, 247)); await settle(link)
    await write(link, ble, 3, bytes((frame.CMD_START, 3)))
    device.sampler.frame_samples = 19
    link.mtus[3] = 185  # an MTU the pump meets before run() does: the frame is skipped, the next ones fit
    print("UNFIT", (link.try_send(bytes(238)), device.sampler.frame_samples, link.try_send(bytes(178))))
    task.cancel()

asyncio.run(main())
'''


def test_the_hosts_frames_follow_its_mtu() -> None:
    from device import SENT, TOO_BIG

    got = _run(centrals.SCRIPT, _FIT_BODY)
    assert got["BEFORE_EXCHANGE"] == (None, [(1, 1, F.RESULT_BUSY)])  # refused at 23, to it alone: it claims later
    assert got["SIZES"] == [(1, F.samples_for_mtu(247)), 14, 19, 14, 14]
    assert got["UNFIT"] == (TOO_BIG, 14, SENT)
