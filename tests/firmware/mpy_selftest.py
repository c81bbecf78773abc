# The firmware's pure modules exercised under the real MicroPython unix port (run by test_micropython.py
# with MICROPYPATH = host/footfall/virtual + firmware). Prints "ok <name>" per check, then "ALL OK".
# Mirrors the CPython tests in this folder with the same chip models and a hand-moved clock.

import struct

import config
import frame as F
import rsc
from control import Control
from device import Device
from imu import make_imu
from imu_model import FakeClock, ModelBus, SampleSource
from imu_model_lsm6dsox import LSM6DSOXModel
from imu_model_mpu6886 import MPU6886Model
from ring import Ring

N = 997  # a prime number of distinct samples, so a wrong index shows up


def counts(i):
    return [((i * 7919 + k * 104729) % 65536) - 32768 for k in range(6)]


SOURCE = b"".join(struct.pack("<hhhhhh", *counts(i)) for i in range(N))


def rig(kind="lsm6dso32", data=SOURCE):
    clock = FakeClock()
    if kind == "mpu6886":
        model, addr = MPU6886Model(SampleSource(data=data), clock_ns=clock.ns), 0x68
    else:
        model, addr = LSM6DSOXModel(SampleSource(data=data), clock_ns=clock.ns), 0x6A
    return clock, model, make_imu(kind, ModelBus({addr: model}), addr)


def device(kind="lsm6dso32", nslots=256, data=SOURCE):
    clock, model, imu = rig(kind, data)
    s = config.Settings("xiao_esp32s3", imu.DEFAULT_RATE_HZ, imu.DEFAULT_ACC_RANGE_G, 2000)
    saved = []
    dev = Device(s, imu, Ring(nslots), boards={"xiao_esp32s3": {}}, save=saved.append,
                 ticks=lambda: clock.t_ns // 1000000)
    return clock, model, dev, saved


def frames(dev):
    out = []
    while True:
        f = dev.cursor.peek()
        if f is None:
            return out
        out.append(bytes(f))
        dev.cursor.advance()


def check_data(fs, expect_total):
    index = 0
    for f in fs:
        if f[1] != F.TYPE_DATA:
            continue
        _, _, _, first, n, _ = struct.unpack_from(F.DATA_HEADER_FMT, f)
        assert first == index, (first, index)
        for k in range(n):
            assert f[10 + 12 * k : 22 + 12 * k] == SOURCE[12 * ((index + k) % N) : 12 * ((index + k) % N) + 12]
        index += n
    assert index == expect_total, (index, expect_total)


def test_stream(kind, rate_hz):
    clock, model, dev, _ = device(kind)
    dev.settings.rate_hz = rate_hz
    dev.imu.configure(rate_hz, dev.imu.DEFAULT_ACC_RANGE_G, 2000)
    dev.start()
    for _ in range(30):
        clock.advance_s(0.04)
        dev.sampler.drain()
    dev.stop()
    fs = frames(dev)
    seqs = [f[2] | f[3] << 8 for f in fs]
    assert seqs == list(range(len(fs)))
    assert model.produced == int(1.2 * (dev.imu.rate_mhz / 1000 or rate_hz)) and model.lost == 0
    check_data(fs, model.produced)
    print("ok stream", kind, rate_hz, model.produced)


def test_overrun():
    clock, model, dev, _ = device()
    dev.start()
    clock.advance_s(0.1)
    dev.sampler.drain()
    clock.advance_s(2.0)
    dev.sampler.drain()
    dev.stop()
    evs = [struct.unpack(F.EVENT_FMT, f) for f in frames(dev) if f[1] == F.TYPE_EVENT]
    ovr = [e for e in evs if e[3] == F.EVENT_FIFO_OVERRUN]
    assert len(ovr) == 1 and abs(ovr[0][5] - model.lost) <= 2, (ovr, model.lost)
    print("ok overrun", model.lost, ovr[0][5])


def test_imu_fault():
    # an I2C error in the sampler is caught, reported and retried; the chip comes back with a gap (not samples)
    clock, model, dev, _ = device()
    ctl = Control(dev)
    dev.start()
    clock.advance_s(0.1)
    dev.sampler.drain()
    bus = dev.imu._i2c
    bus.models.pop(0x6A)
    clock.advance_s(0.1)
    assert dev.sampler.drain() == -1 and dev.sampler.fault == 19
    assert ctl.handle(bytes([F.CMD_STATUS, 3]), config.LINK_USB) == F.RESULT_OK
    assert not dev.sampler.recover()
    bus.models[0x6A] = model
    clock.advance_s(0.05)
    assert dev.sampler.recover() and not dev.sampler.fault
    clock.advance_s(0.1)
    dev.sampler.drain()
    dev.stop()
    evs = [struct.unpack(F.EVENT_FMT, f) for f in frames(dev) if f[1] == F.TYPE_EVENT]
    # 19 when it failed, again before the answer to `status` (for a host that was not listening), 0 when back
    assert [e[5] for e in evs if e[3] == F.EVENT_IMU_ERROR] == [19, 19, 0], evs
    print("ok imu fault")


def test_absent():
    for kind, addr in (("lsm6dso32", 0x6A), ("mpu6886", 0x68)):
        try:
            make_imu(kind, ModelBus({}), addr)
        except OSError:
            continue
        raise AssertionError("no OSError for an absent " + kind)
    print("ok absent")


def test_find_imu():
    # the alternate address, and a chip that answers as another chip: its own errno with what it said
    from imu import find_imu

    clock = FakeClock()
    imu, errno = find_imu("mpu6886", ModelBus({0x69: MPU6886Model(SampleSource(data=SOURCE), clock_ns=clock.ns)}), 0x68)
    assert errno == 0 and imu.addr == 0x69, (errno, imu.addr)
    wrong = LSM6DSOXModel(SampleSource(data=SOURCE), clock_ns=clock.ns, who_am_i=0x69)
    imu, errno = find_imu("lsm6dso32", ModelBus({0x6A: wrong}), 0x6A)
    assert errno == 0x026A6906 and imu.name == "LSM6DSO32", hex(errno)
    try:
        make_imu("lsm6dso32", ModelBus({0x6A: wrong}), 0x6A)
    except OSError as exc:
        assert exc.args == (0x026A6906, "a chip answers at 0x6A but says WHO_AM_I 0x69: not an LSM6DSO32"), exc.args
    print("ok find imu")


def test_control():
    clock, model, dev, saved = device()
    ctl = Control(dev)
    before = dev.settings.as_dict()
    bad = [b"", b"\x01", b"\x03\x01\xa1\x01", b"\x03\x01\x01", b"\x04\x01\x03\xd0\x07", b"\x05\x01X",
           b"\x0b\x01\x05", b"\x7f\x01", b"\x03\x00\xa0\x01", bytes(range(40)), b"\x07\x01\x00"]
    for cmd in bad:
        assert ctl.handle(cmd, config.LINK_USB) != F.RESULT_OK, cmd
    assert dev.settings.as_dict() == before and saved == []
    assert ctl.handle(b"\x03\x05" + struct.pack("<H", 833), config.LINK_USB) == F.RESULT_OK
    assert dev.settings.rate_hz == 833 and len(saved) == 1
    st = struct.unpack(F.STATUS_FMT, [f for f in frames(dev) if f[1] == F.TYPE_STATUS][-1])
    assert st[3] == 833 and st[-3:-1] == (5, 0)
    print("ok control")


def test_calibrate():
    # held still (a count or two of noise): saved and answered 0 when the window is over; moving (SOURCE spans the
    # whole range): answered 4, nothing saved (calib.py)
    still = b"".join(struct.pack("<hhhhhh", 100 + i % 3, -50, 1024 - i % 2, 12, -8 + i % 2, 5) for i in range(N))
    for data, want in ((still, F.RESULT_OK), (SOURCE, F.RESULT_BUSY)):
        clock, model, dev, saved = device(data=data)
        ctl = Control(dev)
        ctl.handle(b"\x01\x01", config.LINK_BLE)
        answers = []
        assert dev.calibrate(answers.append)
        for _ in range(20):
            clock.advance_s(0.05)
            dev.sampler.drain()
        assert answers == [want], answers
        assert (dev.settings.cal is not None) == (want == F.RESULT_OK) and len(saved) == (want == F.RESULT_OK)
    assert dev.settings.cal is None and not dev.state_bits() & F.STATE_CALIBRATED
    print("ok calibrate")


def test_ring():
    r = Ring(8)
    for i in range(20):
        r.append(bytes([1, 3, i & 0xFF, 0]))
    from ring import Cursor

    c = Cursor(r)
    assert c.rewind(15) == 0 and c.pos == 15
    assert c.rewind(2) == 10 and c.pos == r.oldest == 12
    print("ok ring")


def test_rsc():
    det = rsc.StepDetector(416, 32)
    buf = bytearray(12 * 416 * 20)
    per_g = 1024
    stride = int(416 * 120 / 170)
    for i in range(416 * 20):
        struct.pack_into("<hhh", buf, 12 * i, 0, 0, per_g)
    for i in range(100, 416 * 20, stride):
        for k in range(6):
            struct.pack_into("<hhh", buf, 12 * (i + k), 6 * per_g, 0, per_g)
    det.feed(buf, 416 * 20)
    got = det.cadence_spm()
    assert abs(got - 170) <= 2, got
    print("ok rsc", got)


def test_config():
    _, _, imu = rig()
    base = config.Settings("xiao_esp32s3", 416, 32, 2000)
    s = config.merged(base, {"rate_hz": 833, "acc_range_g": 3, "side": "R", "link": True, "cal": [1]}, imu)
    assert (s.rate_hz, s.acc_range_g, s.side, s.link, s.cal) == (833, 32, "R", 0, None)
    print("ok config")


test_stream("lsm6dso32", 416)
test_stream("lsm6dso32", 833)
test_stream("mpu6886", 500)
test_overrun()
test_imu_fault()
test_absent()
test_find_imu()
test_control()
test_calibrate()
test_ring()
test_rsc()
test_config()
print("ALL OK")
