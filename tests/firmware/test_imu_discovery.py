"""Finding the IMU at power-up (firmware/imu find_imu, regs.py) against register-level chip models on a bus:
the alternate address, and a chip that answers but is not the profile's (QA17 #3). A wrong chip used to raise
the same errno 19 as a missing ACK, so the host said "check the wiring" to a builder who had bought an LSM6DS3."""

from __future__ import annotations

import struct

import config
import frame as F
import pytest
from control import Control

from footfall.virtual.imu_model import ModelBus, SampleSource
from footfall.virtual.imu_model_lsm6dsox import LSM6DSOXModel
from footfall.virtual.imu_model_mpu6886 import MPU6886Model
from fw_rig import FakeClock, Rig, make_device


def model(kind: str, clock: FakeClock, who_am_i: int | None = None):
    source = SampleSource(data=bytes(range(12)) * 8)
    if kind == "mpu6886":
        return MPU6886Model(source, clock_ns=clock.ns, **({} if who_am_i is None else {"who_am_i": who_am_i}))
    return LSM6DSOXModel(source, clock_ns=clock.ns, **({} if who_am_i is None else {"who_am_i": who_am_i}))


def fields(value: int) -> tuple[int, int, int, int]:
    """(errno, WHO_AM_I, address, IMU code) of event 7's value, as docs/protocol.md lays them out."""
    return value & 0xFF, (value >> 8) & 0xFF, (value >> 16) & 0xFF, value >> 24


@pytest.mark.parametrize("kind,addr,alt", [("lsm6dso32", 0x6A, 0x6B), ("lsm6dsox", 0x6A, 0x6B),
                                           ("mpu6886", 0x68, 0x69)])
def test_a_chip_strapped_to_the_alternate_address_is_found_there(kind: str, addr: int, alt: int) -> None:
    from imu import find_imu

    clock = FakeClock()
    bus = ModelBus({alt: model(kind, clock)})
    imu, errno = find_imu(kind, bus, addr)
    assert errno == 0 and imu.addr == alt
    imu.start(16)
    clock.advance_s(0.1)
    n, overrun = imu.drain(bytearray(imu.max_batch * 12))
    assert n > 10 and not overrun  # it reads the FIFO at the address it was found at


def test_the_profiles_address_comes_first() -> None:
    from imu import find_imu

    clock = FakeClock()
    bus = ModelBus({0x6A: model("lsm6dso32", clock), 0x6B: model("lsm6dso32", clock)})
    assert find_imu("lsm6dso32", bus, 0x6A)[0].addr == 0x6A


@pytest.mark.parametrize("kind,addr,who,code,name", [("lsm6dso32", 0x6A, 0x69, 2, "LSM6DSO32"),
                                                     ("lsm6dsox", 0x6A, 0x6A, 1, "LSM6DSOX"),
                                                     ("mpu6886", 0x68, 0x68, 3, "MPU6886")])
def test_a_wrong_chip_is_not_a_missing_ack(kind: str, addr: int, who: int, code: int, name: str) -> None:
    from imu import find_imu, make_imu

    bus = ModelBus({addr: model(kind, FakeClock(), who_am_i=who)})
    imu, value = find_imu(kind, bus, addr)
    assert fields(value) == (6, who, addr, code)  # ENXIO, what it said, where, and which chip was expected
    assert imu.name == name  # the profile's chip (the DSO32 was called "LSM6DSOX")
    with pytest.raises(OSError) as raised:
        make_imu(kind, bus, addr)
    assert raised.value.args[0] == value
    assert raised.value.args[1] == f"a chip answers at 0x{addr:02X} but says WHO_AM_I 0x{who:02X}: not an {name}"


def test_no_chip_anywhere_is_still_the_bus_error() -> None:
    from imu import find_imu

    assert find_imu("lsm6dso32", ModelBus({}), 0x6A)[1] == 19


def test_a_wrong_chip_at_one_address_tells_more_than_silence_at_the_other() -> None:
    from imu import find_imu

    for at in (0x6A, 0x6B):
        bus = ModelBus({at: model("lsm6dso32", FakeClock(), who_am_i=0x69)})
        assert fields(find_imu("lsm6dso32", bus, 0x6A)[1]) == (6, 0x69, at, 2)


def test_the_device_reports_the_wrong_chip_and_repeats_it_before_a_status_answer() -> None:
    rig = Rig("lsm6dso32")
    rig.model.who_am_i = rig.model.regs[0x0F] = 0x69  # an LSM6DS3 breakout
    dev = make_device(rig)
    frames = []

    def take() -> list[bytes]:
        dev.cursor.skip_lost()
        while (f := dev.cursor.peek()) is not None:
            frames.append(bytes(f))
            dev.cursor.advance()
        return frames

    status = struct.unpack(F.STATUS_FMT, dev.status_frame())
    assert status[8] == 0  # imu 0: not the LSM6DSO32 the profile names
    first = [f for f in take() if f[1] == F.TYPE_EVENT]
    assert [struct.unpack_from(F.EVENT_FMT, f)[5] for f in first] == [0x02_6A_69_06]
    answers: list[bytes] = []
    control = Control(dev)
    control.replies[config.LINK_USB] = answers.append  # the data goes out on BLE; the check asks over USB
    assert control.handle(F.encode_command(F.CMD_STATUS, 9), config.LINK_USB) == F.RESULT_OK
    assert [f[1] for f in answers] == [F.TYPE_EVENT, F.TYPE_STATUS]  # the event first, then the answer
    assert struct.unpack_from(F.EVENT_FMT, answers[0])[5] == 0x02_6A_69_06
    assert control.handle(F.encode_command(F.CMD_IDENTIFY, 10), config.LINK_USB) == F.RESULT_OK
    assert [f[1] for f in answers[2:]] == [F.TYPE_STATUS]  # only `status` repeats it


def test_a_status_answer_carries_no_event_while_the_imu_answers(rig: Rig) -> None:
    dev = make_device(rig)
    answers: list[bytes] = []
    control = Control(dev)
    control.replies[config.LINK_USB] = answers.append
    control.handle(F.encode_command(F.CMD_STATUS, 9), config.LINK_USB)
    assert [f[1] for f in answers] == [F.TYPE_STATUS]
