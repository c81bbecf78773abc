"""Control commands and settings (CPython): valid ones act, anything else is an error that changes nothing."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
from fw_rig import Rig, frames_of, make_device
from footfall.virtual.imu_model_lsm6dsox import odr_hz
from hypothesis import given, settings
from hypothesis import strategies as st

import config
import frame as F
from control import PENDING, Control


def answer(dev) -> tuple[int, int]:
    status = [f for f in frames_of(dev) if f[1] == F.TYPE_STATUS][-1]
    fields = struct.unpack(F.STATUS_FMT, status)
    return fields[-3], fields[-2]  # cmd_id, cmd_result (rate_mhz comes last)


def snapshot(dev) -> tuple:
    return (dev.settings.as_dict(), dev.streaming, dev.imu.rate_hz, dev.imu.acc_range_g, dev.imu.gyr_range_dps)


USB_ONLY = (F.CMD_SET_RATE, F.CMD_SET_RANGES, F.CMD_SET_SIDE, F.CMD_SELECT_LINK)


@pytest.mark.parametrize("cmd,result", [
    (bytes([F.CMD_SET_RATE, 7]) + struct.pack("<H", 833), F.RESULT_OK),
    (bytes([F.CMD_SET_RATE, 7]) + struct.pack("<H", 417), F.RESULT_BAD_VALUE),
    (bytes([F.CMD_SET_RATE, 7]) + struct.pack("<H", 3332), F.RESULT_BAD_VALUE),  # protocol-valid, chip says no
    (bytes([F.CMD_SET_RANGES, 7, 16]) + struct.pack("<H", 2000), F.RESULT_OK),
    (bytes([F.CMD_SET_RANGES, 7, 2]) + struct.pack("<H", 2000), F.RESULT_BAD_VALUE),  # DSO32 starts at 4 g
    (bytes([F.CMD_SET_RANGES, 7, 16]) + struct.pack("<H", 4000), F.RESULT_BAD_VALUE),
    (bytes([F.CMD_SET_SIDE, 7, ord("R")]), F.RESULT_OK),
    (bytes([F.CMD_SET_SIDE, 7, ord("X")]), F.RESULT_BAD_VALUE),
    (bytes([F.CMD_SET_RATE, 7, 1]), F.RESULT_BAD_LENGTH),
    (bytes([0x7F, 7]), F.RESULT_UNKNOWN_OPCODE),
    (bytes([F.CMD_SELECT_LINK, 7, 1]), F.RESULT_OK),
    (bytes([F.CMD_SELECT_LINK, 7, 2]), F.RESULT_BAD_VALUE),
    (bytes([F.CMD_CALIBRATE, 7]), F.RESULT_BUSY),  # not streaming
    (bytes([F.CMD_STATUS, 7]), F.RESULT_OK),
    (bytes([F.CMD_SET_PACE, 7]) + struct.pack("<H", 1310), F.RESULT_OK),
    (bytes([F.CMD_SET_PACE, 7]) + struct.pack("<H", 499), F.RESULT_BAD_VALUE),
    (bytes([F.CMD_SET_PACE, 7]) + struct.pack("<H", 2001), F.RESULT_BAD_VALUE),
])
def test_commands_answer_with_their_result(rig: Rig, cmd: bytes, result: int) -> None:
    dev = make_device(rig)
    before = snapshot(dev)
    link = config.LINK_USB if cmd[0] in USB_ONLY else config.LINK_BLE  # as a host sends them (0.7.4)
    assert Control(dev).handle(cmd, link) == result
    assert answer(dev) == (7, result)
    if result != F.RESULT_OK:
        assert snapshot(dev) == before and dev.saved == []
    elif cmd[0] in (F.CMD_SET_RATE, F.CMD_SET_RANGES, F.CMD_SET_SIDE, F.CMD_SELECT_LINK, F.CMD_SET_PACE):
        assert dev.saved and dev.saved[-1] == dev.settings.as_dict()


@pytest.mark.parametrize("cmd", [bytes([F.CMD_SET_RATE, 7]) + struct.pack("<H", 833),
                                 bytes([F.CMD_SET_RANGES, 7, 16]) + struct.pack("<H", 1000),
                                 bytes([F.CMD_SET_SIDE, 7, ord("R")]), bytes([F.CMD_SELECT_LINK, 7, 1])])
def test_settings_that_change_what_the_sensor_is_are_taken_over_usb_only(rig: Rig, cmd: bytes) -> None:
    """QA19 privacy 1: any BLE central (no pairing) renamed a left sensor footfall-R for good, or changed its rate:
    later sessions stored the feet swapped. Over BLE these are answered 4 and change nothing; over USB they act."""
    dev = make_device(rig)
    before = snapshot(dev)
    assert Control(dev).handle(cmd, config.LINK_BLE) == F.RESULT_BUSY
    assert answer(dev) == (7, F.RESULT_BUSY) and snapshot(dev) == before and dev.saved == []
    assert Control(dev).handle(cmd, config.LINK_USB) == F.RESULT_OK and dev.saved[-1] == dev.settings.as_dict()


def test_the_pace_factor_scales_the_rsc_speed_and_survives_a_reboot(rig: Rig) -> None:
    """CMD_SET_PACE: the runner's factor on the cadence-based speed a watch reads, kept in the settings."""
    import rsc

    dev = make_device(rig)
    dev.steps.cadence = 158.0
    generic = struct.unpack("<BHB", dev.steps.measurement())[1]
    assert Control(dev).handle(bytes([F.CMD_SET_PACE, 3]) + struct.pack("<H", 1310), config.LINK_BLE) == F.RESULT_OK
    scaled = struct.unpack("<BHB", dev.steps.measurement())[1]
    print(f"RSC speed at 158 steps/min: {generic / 256:.2f} m/s, with the factor 1.310: {scaled / 256:.2f} m/s")
    assert generic == int(rsc.cadence_speed_mps(158) * 256) and abs(scaled / generic - 1.31) < 0.01
    rebooted = make_device(rig, **dev.saved[-1])  # what main.load_settings merges from settings.json
    assert rebooted.settings.pace_permille == 1310 and rebooted.steps.pace_permille == 1310


def test_a_usb_host_holds_the_stream_while_it_is_heard_and_a_resend_takes_it_to_its_link(rig: Rig) -> None:
    """A cable wins: while a USB host streams and has been heard within 12 s (footfall live syncs the time every
    5 s), BLE may only ask (ble.py); a USB host silent longer, or one that stopped, holds nothing. `resend`, like
    `start`, brings the data to the link that asked; a resend refused (a seq not sent yet) changes nothing."""
    dev = make_device(rig)
    ctl = Control(dev)
    assert ctl.handle(bytes([F.CMD_START, 1]), config.LINK_USB) == F.RESULT_OK and ctl.usb_holds()
    rig.clock.advance_s(11.0)
    assert ctl.usb_holds()
    assert ctl.handle(bytes([F.CMD_STATUS, 2]), config.LINK_USB) == F.RESULT_OK  # heard again
    rig.clock.advance_s(11.0)
    assert ctl.usb_holds()
    rig.clock.advance_s(1.5)
    assert not ctl.usb_holds()  # gone: 12.5 s without a word
    ahead = (dev.ring.head + 5) & 0xFFFF
    assert ctl.handle(bytes([F.CMD_RESEND, 3]) + struct.pack("<H", ahead), config.LINK_BLE) == F.RESULT_BAD_VALUE
    assert dev.settings.link == config.LINK_USB
    assert ctl.handle(bytes([F.CMD_RESEND, 4]) + struct.pack("<H", dev.cursor.pos & 0xFFFF), config.LINK_BLE) \
        == F.RESULT_OK and dev.settings.link == config.LINK_BLE
    assert ctl.handle(bytes([F.CMD_START, 5]), config.LINK_USB) == F.RESULT_OK and ctl.usb_holds()
    assert ctl.handle(bytes([F.CMD_STOP, 6]), config.LINK_USB) == F.RESULT_OK and not ctl.usb_holds()


def test_set_rate_while_streaming_restarts_with_continuous_indices(rig: Rig) -> None:
    dev = make_device(rig)
    ctl = Control(dev)
    ctl.handle(bytes([F.CMD_START, 1]), config.LINK_USB)
    for _ in range(10):
        rig.clock.advance_s(0.05)
        dev.sampler.drain()
    ctl.handle(bytes([F.CMD_SET_RATE, 2]) + struct.pack("<H", 833), config.LINK_USB)
    assert dev.streaming and dev.imu.rate_hz == 833 and rig.model.rate_hz == odr_hz(7)  # 833 Hz is 833.4 typical
    for _ in range(10):
        rig.clock.advance_s(0.05)
        dev.sampler.drain()
    dev.stop()
    data = [struct.unpack_from(F.DATA_HEADER_FMT, f) for f in frames_of(dev) if f[1] == F.TYPE_DATA]
    index = 0
    for hdr in data:
        assert hdr[3] == index
        index += hdr[4]
    assert index == rig.model.produced


def test_time_sync_and_calibrate() -> None:
    from test_hostile_control import still_counts

    rig = Rig(counts=still_counts())  # calibrate needs the sensor held still (calib.py)
    dev = make_device(rig)
    ctl = Control(dev)
    rig.clock.advance_s(12.345)
    assert ctl.handle(bytes([F.CMD_TIME_SYNC, 3]) + struct.pack("<I", 999), config.LINK_BLE) == F.RESULT_OK
    ev = [struct.unpack(F.EVENT_FMT, f) for f in frames_of(dev) if f[1] == F.TYPE_EVENT][-1]
    assert ev[3] == F.EVENT_TIME_SYNC and ev[5] == 12345
    ctl.handle(bytes([F.CMD_START, 4]), config.LINK_BLE)
    assert ctl.handle(bytes([F.CMD_CALIBRATE, 5]), config.LINK_BLE) == PENDING  # answered when the window is over
    for _ in range(20):
        rig.clock.advance_s(0.05)
        dev.sampler.drain()
    expected = rig.expected(0, config.CAL_SAMPLES).mean(axis=0)
    assert dev.settings.cal is not None
    assert all(abs(a - b) <= 1 for a, b in zip(dev.settings.cal, expected))
    assert dev.state_bits() & F.STATE_CALIBRATED


non_commands = st.binary(max_size=40).filter(lambda b: not _valid(b))


def _valid(data: bytes) -> bool:
    try:
        F.parse_command(data)
        return True
    except ValueError:
        return False


@settings(max_examples=400, deadline=None)
@given(st.lists(non_commands, max_size=8))
def test_fuzzed_writes_change_nothing(writes: list[bytes]) -> None:
    rig = Rig(n=100)
    dev = make_device(rig)
    ctl = Control(dev)
    before = snapshot(dev)
    for w in writes:
        assert ctl.handle(w, config.LINK_BLE) != F.RESULT_OK
    assert snapshot(dev) == before and dev.saved == []


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(F.COMMAND_ARGS)), st.binary(max_size=6))
def test_any_opcode_with_any_arguments_never_raises(opcode: int, args: bytes) -> None:
    rig = Rig(n=100)
    dev = make_device(rig)
    result = Control(dev).handle(bytes([opcode, 9]) + args, config.LINK_BLE)
    assert result in range(6)
    assert answer(dev) == (9, result)


def test_settings_file_is_validated_key_by_key(tmp_path: Path, rig: Rig) -> None:
    imu = rig.imu()
    base = config.Settings("xiao_esp32s3", 416, 32, 2000)
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"rate_hz": 833, "acc_range_g": 3, "side": "R", "link": "usb", "cal": [1, 2],
                                "idle_after_min": True, "unknown": 1}))
    s = config.merged(base, config.read_file(str(path)), imu)
    assert (s.rate_hz, s.acc_range_g, s.side, s.link, s.cal, s.idle_after_min) == (833, 32, "R", 0, None, 10)
    path.write_text("{not json")
    assert config.read_file(str(path)) == {}
    assert config.read_file(str(tmp_path / "missing.json")) == {}
    config.save(s, str(path))
    assert config.merged(base, config.read_file(str(path)), imu).as_dict() == s.as_dict()


class Listener:
    def __init__(self) -> None:
        self.idle: list[bool] = []

    def on_idle(self, _dev: object, idle: bool) -> None:
        self.idle.append(idle)

    def on_settings(self, _dev: object) -> None:
        pass


def test_idle_after_n_minutes_stops_streaming_and_slows_advertising(rig: Rig) -> None:
    from power import check_idle

    dev = make_device(rig, idle_after_min=2)
    listener = Listener()
    dev.listeners.append(listener)
    dev.start()
    rig.clock.advance_s(60)
    assert not check_idle(dev, connected=False)
    rig.clock.advance_s(30)
    assert not check_idle(dev, connected=True)  # a connected central keeps it awake
    rig.clock.advance_s(119)
    assert not check_idle(dev, connected=False)
    rig.clock.advance_s(2)
    assert check_idle(dev, connected=False)
    assert dev.idle and not dev.streaming and listener.idle == [True]
    assert dev.state_bits() & F.STATE_IDLE and not dev.state_bits() & F.STATE_STREAMING
    Control(dev).handle(bytes([F.CMD_STATUS, 1]), config.LINK_BLE)  # any command wakes it
    assert not dev.idle and listener.idle == [True, False]


def test_sleep_command_and_battery(rig: Rig) -> None:
    from power import Battery, lipo_pct

    class Adc:
        def read_uv(self) -> int:
            return 1_950_000  # behind the 2:1 divider: 3.9 V

    dev = make_device(rig)
    dev.battery = Battery(Adc(), 2.0)
    dev.battery.update()
    Control(dev).handle(bytes([F.CMD_START, 1]), config.LINK_BLE)
    assert Control(dev).handle(bytes([F.CMD_SLEEP, 2]), config.LINK_BLE) == F.RESULT_OK
    assert dev.idle and not dev.streaming
    st = struct.unpack(F.STATUS_FMT, dev.status_frame())
    assert st[14] == 3900 and st[13] == lipo_pct(3900) and 0 < st[13] < 100
    assert lipo_pct(0) == 255 and lipo_pct(4300) == 100 and lipo_pct(3000) == 0
