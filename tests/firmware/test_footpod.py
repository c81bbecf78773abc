"""A watch paired as a footpod: the IMU samples for the RSC service while any central is connected, without
a footfall session, and a session started beside it takes the sampler over with every sample kept.

The device's part under CPython on the chip model; the whole path under MicroPython on the virtual radio, with
the watch a second central that never writes a footfall command (footfall.virtual.watch)."""

from __future__ import annotations

import asyncio
import struct

import numpy as np
import pytest
from fw_rig import Rig, frames_of, make_device, runner_counts
from power import check_idle
from test_ble_resilience import PACING, Capture, check_every_sample, command, connect, shoe, stop_and_settle

import config
import frame as F
from footfall.protocol import frames as ff
from footfall.virtual.radio import VirtualRadio, on_radio
from footfall.virtual.radio_peripheral import parse_adv
from footfall.virtual.watch import VirtualWatch

CADENCE_SPM = 166.0


def drive(dev, rig: Rig, seconds: float, step_s: float = 0.05) -> None:
    for _ in range(int(seconds / step_s)):
        rig.clock.advance_s(step_s)
        dev.sampler.drain()


def events(frames: list[bytes], code: int) -> list[int]:
    """Sample indices of the events with `code`."""
    return [struct.unpack_from("<I", f, 5)[0] for f in frames if f[1] == F.TYPE_EVENT and f[4] == code]


def data_of(frames: list[bytes]) -> tuple[list[int], np.ndarray]:
    firsts, blocks = [], []
    for f in frames:
        if f[1] == F.TYPE_DATA:
            _, _, _, first, n, _ = struct.unpack_from(F.DATA_HEADER_FMT, f)
            firsts.append(first)
            blocks.append(np.frombuffer(f[10 : 10 + 12 * n], "<i2").reshape(n, 6))
    return firsts, np.concatenate(blocks) if blocks else np.zeros((0, 6))


def test_footpod_sampling_gives_cadence_without_frames_and_a_session_takes_it_over() -> None:
    rig = Rig(counts=runner_counts(CADENCE_SPM, 20.0, 416))
    dev = make_device(rig, nslots=256)
    dev.footpod(True)
    drive(dev, rig, 6.0)
    assert data_of(frames_of(dev))[0] == [], "footpod sampling made frames"
    assert abs(dev.steps.cadence_spm() - CADENCE_SPM) <= 4, dev.steps.cadence_spm()
    dev.start()
    drive(dev, rig, 1.0)
    dev.stop()
    session = frames_of(dev)
    (start,), (stop,) = events(session, F.EVENT_STARTED), events(session, F.EVENT_STOPPED)
    firsts, samples = data_of(session)
    print(f"footpod: {start} samples before the session, session {start}..{stop}; cadence {dev.steps.cadence_spm()}")
    assert start >= 6 * 416 - 64 and firsts[0] == start and len(samples) == stop - start
    assert np.array_equal(samples, rig.expected(start, len(samples)))  # continuous and bit-exact
    assert dev.sampler.running and abs(dev.steps.cadence_spm() - CADENCE_SPM) <= 4  # the watch reads on
    drive(dev, rig, 1.0)
    assert data_of(frames_of(dev))[0] == [] and dev.sampler.sample_count >= stop + 400
    dev.footpod(False)  # the last central went away
    assert not dev.sampler.running and rig.model.rate_hz == 0


def test_footpod_sampling_follows_a_new_rate_and_sleep_ends_it_only_with_no_central_left() -> None:
    rig = Rig()
    dev = make_device(rig)
    dev.footpod(True)
    drive(dev, rig, 0.5)
    new = dev.settings.copy()
    new.rate_hz = 833
    dev.apply(new)
    assert dev.sampler.running and dev.sampler.quiet and round(rig.model.rate_hz) == 833
    dev.sleep()  # a central is still connected (a watch): it keeps its cadence
    assert dev.sampler.running and dev.sampler.quiet and round(rig.model.rate_hz) == 833 and dev.idle
    dev.footpod(False)  # the last central went away
    assert not dev.sampler.running and rig.model.rate_hz == 0
    dev.sleep()  # asleep with nobody connected: the IMU stays off
    assert not dev.sampler.running and rig.model.rate_hz == 0 and dev.idle
    assert data_of(frames_of(dev))[0] == []


def rsc(dev) -> tuple[int, float, int]:
    """The RSC Measurement a watch would get now: (flags, speed m/s, cadence steps/min)."""
    flags, speed, cadence = struct.unpack("<BHB", dev.steps.measurement())
    return flags, speed / 256, cadence


def running_footpod(kind: str = "lsm6dso32") -> tuple:
    rig = Rig(kind, counts=runner_counts(CADENCE_SPM, 20.0, 416 if kind != "mpu6886" else 500))
    dev = make_device(rig, nslots=256)
    dev.footpod(True)
    drive(dev, rig, 6.0)
    assert abs(rsc(dev)[2] - CADENCE_SPM) <= 4 and rsc(dev)[1] > 2, rsc(dev)
    return rig, dev


def test_a_sleep_beside_a_watch_keeps_its_cadence_coming() -> None:
    """CMD_SLEEP from the host while a watch stays connected: the session ends, the watch reads on (it got the
    last cadence, 2.7 m/s and 166 steps/min, every second from a stopped IMU before)."""
    rig, dev = running_footpod()
    dev.start()
    drive(dev, rig, 1.0)
    dev.sleep()
    drive(dev, rig, 3.0)
    before = dev.sampler.sample_count
    drive(dev, rig, 1.0)
    assert dev.idle and not dev.streaming and dev.sampler.running
    assert dev.sampler.sample_count - before >= 400  # still sampling for the watch
    assert abs(rsc(dev)[2] - CADENCE_SPM) <= 4, rsc(dev)


def test_the_rsc_measurement_reads_zero_once_sampling_stops() -> None:
    rig, dev = running_footpod()
    print("footpod running:", rsc(dev))
    dev.footpod(False)  # the last central left (or the IMU was stopped): no stale speed and cadence
    assert rsc(dev) == (0, 0.0, 0)
    rig, dev = running_footpod()
    dev.start()  # a session without a watch: its stop stops the IMU
    dev.footpod(False)
    drive(dev, rig, 1.0)
    assert rsc(dev)[2] > 0
    dev.stop()
    assert not dev.sampler.running and rsc(dev) == (0, 0.0, 0)


def run_quietly(dev, rig: Rig, seconds: float) -> None:
    """`seconds` of footpod sampling, the watch task's checks (idle, the grace's end) every 10 s as on the board."""
    for _ in range(int(seconds / 10)):
        drive(dev, rig, 10.0)
        check_idle(dev, False)
    drive(dev, rig, seconds % 10)
    check_idle(dev, False)


def test_a_watch_back_after_a_dropout_reads_the_cadence_at_once_and_the_grace_then_ends_sampling() -> None:
    """A watch (a central that never claimed the sensor) loses the link: the IMU samples on and the detector keeps
    its window for config.RECONNECT_GRACE_S, so the watch back 1 s later reads 166, not 0 for ~5 s (firmware 0.6.1).
    The grace then stops the IMU; the idle clock still counts from the last connection or command."""
    rig, dev = running_footpod()
    dev.footpod(False, grace=True)  # the watch's link dropped
    run_quietly(dev, rig, 1.0)
    dev.footpod(True)  # back
    print("back after 1 s:", rsc(dev))
    assert dev.sampler.running and abs(rsc(dev)[2] - CADENCE_SPM) <= 4, rsc(dev)
    dev.footpod(False, grace=True)  # gone for good
    run_quietly(dev, rig, config.RECONNECT_GRACE_S - 5)
    assert dev.sampler.running and abs(rsc(dev)[2] - CADENCE_SPM) <= 4, rsc(dev)
    run_quietly(dev, rig, 10.0)
    assert not dev.sampler.running and rig.model.rate_hz == 0 and rsc(dev) == (0, 0.0, 0)
    assert not dev.idle  # 1 min 42 s since power-on; idle only after IDLE_AFTER_MIN, as before
    assert data_of(frames_of(dev))[0] == []


def test_the_host_leaving_last_or_the_sensor_going_idle_ends_the_sampling_at_once() -> None:
    rig, dev = running_footpod()
    dev.footpod(False)  # the footfall host left last (ble.py: no grace; it streams, it does not read RSC)
    assert not dev.sampler.running and rsc(dev) == (0, 0.0, 0)
    rig, dev = running_footpod()
    dev.settings.idle_after_min = 1
    dev.footpod(False, grace=True)
    run_quietly(dev, rig, 50.0)  # 56 s since power-on
    assert dev.sampler.running and not dev.idle
    run_quietly(dev, rig, 10.0)  # idle (1 min of quiet) before the grace is over: the IMU stops with it
    assert dev.idle and not dev.sampler.running and rig.model.rate_hz == 0


@pytest.mark.micropython
def test_a_watch_reconnecting_after_a_short_dropout_gets_the_cadence_in_its_first_notification() -> None:
    """Over the virtual radio (after /tmp/qa15_watch/reconnect.py): before 0.6.1 the watch back after a 1 s
    dropout got [0, 0, 0, 0, 166], ~5 s of standing still on a treadmill each time the link dropped."""

    async def body(radio: VirtualRadio) -> None:
        async with shoe(radio, runner_counts(CADENCE_SPM, 60.0, 416), rate_hz=416, acc_range_g=16):
            watch = VirtualWatch()
            await watch.connect(radio, "footfall-L")
            assert abs(await watch.cadence_near(CADENCE_SPM, 25.0) - CADENCE_SPM) <= 4
            await asyncio.sleep(1.0)
            await watch.disconnect()
            await asyncio.sleep(1.0)  # a brief dropout
            back = VirtualWatch()
            await back.connect(radio, "footfall-L")
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 15.0
            while len(back.measurements) < 3 and loop.time() < deadline:
                await asyncio.sleep(0.25)
            await back.disconnect()
            cadences = [m[2] for m in back.measurements]
            print(f"back after a 1 s dropout: cadences {cadences}")
            assert len(cadences) >= 3 and all(abs(c - CADENCE_SPM) <= 4 for c in cadences), cadences

    on_radio(body, PACING, timeout_s=60)


@pytest.mark.parametrize("kind", ["lsm6dso32", "mpu6886"])
def test_the_rsc_measurement_reads_zero_while_the_imu_is_down(kind: str) -> None:
    rig, dev = running_footpod(kind)
    model = rig.bus.models.pop(rig.addr)  # the IMU stops answering on I2C
    drive(dev, rig, 0.2)
    assert dev.sampler.fault and rsc(dev) == (0, 0.0, 0), rsc(dev)
    rig.bus.models[rig.addr] = model  # back: the cadence returns once the window has filled again
    for _ in range(160):
        rig.clock.advance_s(0.05)
        if dev.sampler.fault:
            dev.sampler.recover()
        else:
            dev.sampler.drain()
    assert not dev.sampler.fault and abs(rsc(dev)[2] - CADENCE_SPM) <= 4, rsc(dev)


@pytest.mark.micropython
def test_a_watch_alone_gets_cadence_and_keeps_it_beside_a_session() -> None:
    samples = runner_counts(CADENCE_SPM, 30.0, 416)

    async def body(radio: VirtualRadio) -> None:
        async with shoe(radio, samples, rate_hz=416, acc_range_g=16):
            await asyncio.sleep(0.5)
            ads = parse_adv(radio.peripheral("footfall-L").adv_data)
            assert (0x02, b"\x14\x18") in ads  # RSC in the advertising PDU itself, for passive scanners
            watch = VirtualWatch()
            await watch.connect(radio, "footfall-L")
            alone = await watch.cadence_near(CADENCE_SPM, 25.0)
            capture = Capture()
            host = await connect(radio, capture)  # the shoe advertises beside the watch's connection
            await command(host, ff.CMD_START, 1)
            during = len(watch.measurements)
            await asyncio.sleep(2.0)
            await stop_and_settle(host, capture, 2)
            during = len(watch.measurements) - during
            await host.disconnect()
            after = len(watch.measurements)
            await asyncio.sleep(2.5)
            after_host = [m[2] for m in watch.measurements[after:]]
            await watch.disconnect()
            print(f"watch alone: {alone} steps/min (runner {CADENCE_SPM:.0f}); {during} RSC notifications during the "
                  f"session; after the host left: {after_host}; {watch.data_notifications} data frames to the watch")
            assert abs(alone - CADENCE_SPM) <= 4
            assert during >= 1 and after_host and all(abs(c - CADENCE_SPM) <= 4 for c in after_host)
            assert watch.data_notifications == 0  # the session's data went to the host only
            check_every_sample(capture, samples, None, None)  # the watch left last: the IMU samples on (its grace)

    on_radio(body, PACING, timeout_s=60)
