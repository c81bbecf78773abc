"""The battery percentage follows a LiPo discharge curve, not a straight line from 3.30 to 4.15 V."""

from __future__ import annotations

from power import lipo_pct


def test_a_resting_lipo_reads_on_its_discharge_curve() -> None:
    """3.70 V is a nearly empty cell (~11 %), 3.84 V a half-full one: the straight line read 47 % and 63 %."""
    assert lipo_pct(3700) < 15 and 45 <= lipo_pct(3840) <= 55 and lipo_pct(4200) == 100
    assert lipo_pct(3200) == 0 and lipo_pct(0) == 255 and lipo_pct(4350) == 100
    readings = [lipo_pct(mv) for mv in range(3200, 4300, 5)]
    assert readings == sorted(readings)  # never falls as the voltage rises


class NoisyAdc:
    """An ESP32 ADC on a 2:1 divider: read_uv() of a 3.80 V cell (1.90 V at the pin) with +-60 mV of noise."""

    def __init__(self, fail_every: int = 0) -> None:
        self.reads = 0
        self.fail_every = fail_every

    def read_uv(self) -> int:
        self.reads += 1
        if self.fail_every and self.reads % self.fail_every == 0:
            raise OSError(116)
        return 1_900_000 + (60_000 if self.reads % 2 else -60_000)  # alternating +-60 mV, mean 1.90 V


def test_a_battery_measurement_averages_16_reads() -> None:
    from power import Battery

    adc = NoisyAdc()
    bat = Battery(adc, 2.0)
    bat.update()
    print(f"{adc.reads} reads -> {bat.mv} mV, {bat.pct} %")
    assert adc.reads == 16 and bat.mv == 3800 and bat.pct == lipo_pct(3800)  # one read alone: 3680 or 3920 mV
    flaky = NoisyAdc(fail_every=3)  # reads that fail are left out of the mean
    Battery(flaky, 2.0).update()
    assert flaky.reads == 16


def test_an_adc_that_reads_nothing_is_unknown() -> None:
    from power import Battery

    class Dead:
        def read_uv(self) -> int:
            raise OSError(5)

    bat = Battery(Dead(), 2.0)
    assert bat.update() == 255 and bat.mv == 0
