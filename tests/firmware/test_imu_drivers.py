"""IMU drivers against the register-level chip models (CPython, hand-moved clock)."""

from __future__ import annotations

import numpy as np
import pytest

from fw_rig import Rig


def drain_all(imu, out: bytearray) -> tuple[np.ndarray, bool]:
    got = []
    overrun = False
    while True:
        n, ovr = imu.drain(out)
        overrun |= ovr
        if n == 0:
            break
        got.append(np.frombuffer(bytes(out[: 12 * n]), dtype="<i2").reshape(n, 6))
    return (np.concatenate(got) if got else np.zeros((0, 6), "<i2")), overrun


@pytest.mark.parametrize("kind,rate_hz", [("lsm6dso32", 104), ("lsm6dso32", 416), ("lsm6dso32", 833),
                                          ("lsm6dsox", 1666), ("mpu6886", 500), ("mpu6886", 1000)])
def test_fifo_drain_is_bit_exact_and_complete(kind: str, rate_hz: int) -> None:
    rig = Rig(kind)
    imu = rig.imu()
    imu.configure(rate_hz, imu.ACC_RANGES_G[-1], 2000)
    imu.start(38)
    out = bytearray(imu.max_batch * 12)
    got = []
    for _ in range(40):  # 40 drains of 30 ms each, well inside the FIFO depth
        rig.clock.advance_s(0.03)
        samples, overrun = drain_all(imu, out)
        assert not overrun
        got.append(samples)
    imu.stop()
    samples = np.concatenate(got)
    true_rate_hz = imu.rate_mhz / 1000 or rate_hz  # the rate the driver says its chip runs at (ST: 416 is 416.7)
    assert len(samples) == rig.model.produced == int(1.2 * true_rate_hz)
    assert np.array_equal(samples, rig.expected(0, len(samples)))


@pytest.mark.parametrize("freq_fine", [0, 19, -33, 127, -128])
def test_st_driver_reports_the_rate_its_chip_really_samples_at(freq_fine: int) -> None:
    # A part whose oscillator runs 5 % fast (ISM330DHCX at "104 Hz" measured at 109.5 Hz) would make every
    # time, cadence and integral 5 % off; the factory trim says by how much (ST AN5272, ODR_actual).
    rig = Rig("lsm6dso32", freq_fine=freq_fine)
    imu = rig.imu()
    for rate_hz in imu.RATES_HZ:
        imu.configure(rate_hz, imu.ACC_RANGES_G[-1], 2000)
        before = rig.model.produced
        imu.start(32)
        rig.clock.advance_s(2.0)
        imu.stop()
        assert (rig.model.produced - before) / 2.0 == pytest.approx(imu.rate_mhz / 1000, abs=1 / 2.0)  # one sample in 2 s
        divider = {104: 64, 208: 32, 416: 16, 833: 8, 1666: 4}[rate_hz]  # of the 6667 Hz base
        assert imu.rate_mhz == pytest.approx(6667e3 / divider * (1 + 0.0015 * freq_fine), abs=1)
    assert Rig("mpu6886").imu().rate_mhz == 0  # no trim to read: the host keeps the nominal rate


def test_lsm6dso32_registers_follow_rate_and_ranges(rig: Rig) -> None:
    imu = rig.imu()
    imu.configure(833, 32, 2000)
    imu.start(38)
    regs = rig.model.regs
    assert regs[0x10] == (7 << 4) | (1 << 2)  # CTRL1_XL: 833 Hz, FS_XL=01 -> +-32 g on the DSO32
    assert regs[0x11] == (7 << 4) | (3 << 2)  # CTRL2_G: 833 Hz, +-2000 dps
    assert regs[0x09] == 0x77  # FIFO_CTRL3: both batch data rates 833 Hz
    assert regs[0x0A] == 6 and regs[0x0D] == 0x08  # continuous mode; FIFO threshold on INT1
    assert rig.model.watermark_words() == 76
    assert imu.acc_mps2_per_count == pytest.approx(0.976e-3 * 9.80665, rel=1e-3)  # DS12946: 0.976 mg/LSB at +-32 g
    assert imu.gyr_radps_per_count == pytest.approx(70e-3 * np.pi / 180)  # 70 mdps/LSB


def test_st_driver_waits_for_its_software_reset_to_finish(rig: Rig) -> None:
    """SW_RESET clears itself once the chip is reset; writes before that are lost (the model drops them), so a
    driver that did not wait would leave block data update off and the FIFO unprogrammed."""
    rig.model.reset_reads = 3
    imu = rig.imu()
    imu.start(38)
    assert rig.model.regs[0x12] == 0x44 and rig.model.regs[0x0A] == 6  # CTRL3_C: BDU + IF_INC; continuous FIFO


def test_watermark_interrupt_rises_at_threshold(rig: Rig) -> None:
    imu = rig.imu()
    imu.configure(416, 16, 2000)
    imu.start(38)
    rig.clock.advance_s(37 / 416)
    assert not rig.model.int1()
    rig.clock.advance_s(1.5 / 416)
    assert rig.model.int1()
    drain_all(imu, bytearray(imu.max_batch * 12))
    assert not rig.model.int1()


@pytest.mark.parametrize("kind", ["lsm6dso32", "mpu6886"])
def test_bad_settings_raise_value_error(kind: str) -> None:
    imu = Rig(kind).imu()
    for args in [(417, 16, 2000), (416 if kind == "mpu6886" else 500, 16, 2000), (imu.RATES_HZ[0], 3, 2000),
                 (imu.RATES_HZ[0], 16, 2001)]:
        with pytest.raises(ValueError):
            imu.configure(*args)


@pytest.mark.parametrize("kind", ["lsm6dso32", "mpu6886"])
def test_absent_chip_raises_oserror(kind: str) -> None:
    rig = Rig(kind)
    from imu import make_imu

    rig.bus.models.clear()
    with pytest.raises(OSError):
        make_imu(kind, rig.bus, rig.addr)
    rig.model.who_am_i = 0x42  # something else answers at the address
    rig.model.reset()
    rig.bus.models[rig.addr] = rig.model
    with pytest.raises(OSError):
        make_imu(kind, rig.bus, rig.addr)


@pytest.mark.parametrize("kind", ["lsm6dso32", "mpu6886"])
def test_overrun_is_flagged_and_later_samples_stay_exact(kind: str) -> None:
    rig = Rig(kind)
    imu = rig.imu()
    imu.start(38)
    out = bytearray(imu.max_batch * 12)
    rig.clock.advance_s(2.0)  # the firmware stalls for 2 s: the FIFO overflows
    samples, overrun = drain_all(imu, out)
    assert overrun and rig.model.lost > 0
    assert len(samples) + rig.model.lost == rig.model.produced
    start = rig.model.lost if imu.LOSES_OLDEST else 0  # continuous mode keeps the newest, stop mode the oldest
    assert np.array_equal(samples, rig.expected(start, len(samples)))
    before = rig.model.produced
    rig.clock.advance_s(0.05)
    samples, overrun = drain_all(imu, out)
    assert not overrun
    assert np.array_equal(samples, rig.expected(before, len(samples)))


@pytest.mark.parametrize("kind,acc_g,gyr_dps", [("lsm6dso32", 32, 2000), ("lsm6dso32", 16, 1000),
                                                ("lsm6dsox", 8, 250), ("mpu6886", 16, 2000)])
def test_scales_agree_with_the_host_encoder(kind: str, acc_g: int, gyr_dps: int) -> None:
    from footfall.protocol.encode import scales

    imu = Rig(kind).imu()
    imu.configure(imu.RATES_HZ[0], acc_g, gyr_dps)
    acc, gyr = scales(imu.IMU_ID, acc_g, gyr_dps)
    assert imu.acc_mps2_per_count == pytest.approx(acc, rel=1e-6)
    assert imu.gyr_radps_per_count == pytest.approx(gyr, rel=1e-6)


@pytest.mark.parametrize("clock_error_frac", [0.0, 0.012, -0.023])
def test_mpu6886_times_its_clock_against_the_board_s(clock_error_frac: float) -> None:
    # No register says how far the MPU6886's clock is off: the driver counts its samples for 2 s at boot.
    rig = Rig("mpu6886", clock_error_frac=clock_error_frac)
    imu = rig.imu()
    assert imu.rate_mhz == 0  # not timed yet: the host would take the nominal rate
    imu.time_clock(lambda: rig.clock.t_ns // 1000, lambda a, b: a - b, lambda ms: rig.clock.advance_s(ms / 1000))
    for rate_hz in (500, 1000, 100):
        imu.configure(rate_hz, 16, 2000)
        print(f"clock {clock_error_frac:+.1%}: {rate_hz} Hz measured as {imu.rate_mhz / 1000:.3f} Hz")
        assert imu.rate_mhz == pytest.approx(rate_hz * (1 + clock_error_frac) * 1000, rel=2e-4)
        before = rig.model.produced
        imu.start(16)
        for _ in range(100):  # 2 s, drained as the sampler does
            rig.clock.advance_s(0.02)
            imu.drain(bytearray(imu.max_batch * 12))
        imu.stop()
        assert (rig.model.produced - before) / 2.0 == pytest.approx(imu.rate_mhz / 1000, abs=1)


def test_mpu6886_left_untimed_when_its_fifo_overflows() -> None:
    rig = Rig("mpu6886", clock_error_frac=0.01)
    imu = rig.imu()
    imu.time_clock(lambda: rig.clock.t_ns // 1000, lambda a, b: a - b, lambda ms: rig.clock.advance_s(0.3))  # late
    assert imu.rate_mhz == 0


def test_the_mpu6886_sleeps_when_stopped_and_wakes_on_start() -> None:
    """PWR_MGMT_1 bit 6 (SLEEP): ~3 mA of gyro and accelerometer off between sessions and footpod sampling. The
    FIFO's last packets stay readable (the sampler drains them after stop)."""
    rig = Rig("mpu6886")
    imu = rig.imu()
    pwr = rig.model.regs[0x6B]
    assert pwr & 0x40  # asleep from reset until the first start
    imu.start(20)
    rig.clock.advance_s(0.1)
    assert not rig.model.regs[0x6B] & 0x40 and rig.model.rate_hz > 0
    imu.stop()
    assert rig.model.regs[0x6B] == 0x40 and rig.model.rate_hz == 0  # asleep: no more samples
    out = bytearray(imu.max_batch * 12)
    samples, _ = drain_all(imu, out)
    assert len(samples) == rig.model.produced == 50  # what it made before sleeping is still read out
    produced = rig.model.produced
    rig.clock.advance_s(1.0)
    rig.model.catch_up()
    assert rig.model.produced == produced  # nothing sampled while asleep
    imu.start(20)
    rig.clock.advance_s(0.1)
    rig.model.catch_up()
    assert not rig.model.regs[0x6B] & 0x40 and rig.model.produced == produced + 50


def test_a_dsox_board_profile_scales_the_dsox_range() -> None:
    """Both ST chips answer WHO_AM_I 0x6C; the profile says which one is fitted. FS_XL code 01 is 16 g on the
    LSM6DSOX and 32 g on the LSM6DSO32: a DSOX driven by the DSO32 profile read every acceleration twice too large."""
    from boards import BOARDS
    from imu import make_imu

    dsox_fs_g = {0: 2, 1: 16, 2: 4, 3: 8}  # DS12814 CTRL1_XL FS[1:0]
    for board, factor in (("xiao_esp32s3_lsm6dsox", 1.0), ("xiao_esp32s3", 2.0)):
        rig = Rig("lsm6dsox")  # a DSOX breakout on the XIAO
        profile = BOARDS[board]
        imu = make_imu(profile["imu"], rig.bus, profile["imu_addr"])
        imu.configure(imu.DEFAULT_RATE_HZ, imu.DEFAULT_ACC_RANGE_G, 2000)
        imu.start(38)
        chip_g = dsox_fs_g[(rig.model.regs[0x10] >> 2) & 3]  # the range the chip really measures at
        said_g = imu.acc_mps2_per_count * 32768 / 9.80665  # the range the status frame's scale implies
        print(f"{board}: chip at +-{chip_g} g, scale for +-{said_g:.0f} g, IMU id {imu.IMU_ID}")
        assert said_g == pytest.approx(factor * chip_g)
        if factor == 1.0:
            assert (imu.IMU_ID, imu.acc_range_g, chip_g) == (1, 16, 16)
