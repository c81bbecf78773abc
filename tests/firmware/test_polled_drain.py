"""QA17 #7: a board without an interrupt line (the M5StickC Plus2's MPU6886, 73 samples of FIFO in stop-when-full
mode) drains on a timer only. Measured here on the register-level model: how long the event loop may stall after
the timer fires (a garbage collection, radio work) before the FIFO overflows, at each rate; and that the sampler
collects the garbage right after a drain, when the whole FIFO is free."""

from __future__ import annotations

import pytest
from sampler import Sampler

from fw_rig import Rig


def polled_sampler(rig: Rig, rate_hz: int) -> Sampler:
    imu = rig.imu()
    imu.configure(rate_hz, 16, 2000)
    sampler = Sampler(imu, lambda *a: None, min(38, imu.FIFO_SAMPLES // 3),
                      ticks=lambda: rig.clock.t_ns // 1_000_000)
    sampler.polled = True
    return sampler


def longest_stall_ms(rate_hz: int, wait_ms: int) -> int:
    """The longest stall (ms) after each `wait_ms` that the model's FIFO survives for 2 s (no overrun)."""
    ok = 0
    for stall_ms in range(0, 200):
        rig = Rig("mpu6886")
        sampler = polled_sampler(rig, rate_hz)
        lost: list[int] = []
        sampler._on_overrun = lambda index, n: lost.append(n)
        sampler.start()
        for _ in range(int(2000 / (wait_ms + stall_ms)) + 1):
            rig.clock.advance_s((wait_ms + stall_ms) / 1000)
            sampler.drain()
        if lost:
            return ok
        ok = stall_ms
    return ok


@pytest.mark.parametrize("rate_hz", [500, 1000])
def test_a_polled_board_survives_a_stall_of_two_thirds_of_its_fifo(rate_hz: int) -> None:
    rig = Rig("mpu6886")
    sampler = polled_sampler(rig, rate_hz)
    fifo_ms = sampler.imu.FIFO_SAMPLES * 1000 / rate_hz  # 73 ms at 1000 Hz, 146 ms at 500 Hz
    new_ms = sampler.timeout_ms()
    sampler.polled = False
    old_ms = sampler.timeout_ms()  # the watermark's time and 20 ms: what it waited before
    assert new_ms == int(fifo_ms / 3)
    new_stall, old_stall = longest_stall_ms(rate_hz, new_ms), longest_stall_ms(rate_hz, old_ms)
    print(f"{rate_hz} Hz: FIFO {fifo_ms:.0f} ms; wait {old_ms} ms -> stall up to {old_stall} ms, "
          f"wait {new_ms} ms -> up to {new_stall} ms")
    assert new_stall >= 2 * fifo_ms / 3 - 3  # two thirds of the FIFO, to the model's sample and the ms steps
    assert new_stall > old_stall


def test_boards_with_an_interrupt_keep_the_watermark_timeout(rig: Rig) -> None:
    imu = rig.imu()
    sampler = Sampler(imu, lambda *a: None, 38)
    assert sampler.timeout_ms() == 38 * 1000 // 416 + 20  # a fallback only: INT1 wakes it


def test_the_garbage_is_collected_right_after_a_drain_every_five_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    import sampler as sampler_module

    rig = Rig("mpu6886")
    sampler = polled_sampler(rig, 1000)
    collected: list[tuple[int, int]] = []  # (ms, samples in the FIFO then)

    def collect() -> None:
        collected.append((rig.clock.t_ns // 1_000_000, sampler.imu.fifo_samples()))

    monkeypatch.setattr(sampler_module.gc, "collect", collect)
    sampler.start()
    for _ in range(int(12_000 / sampler.timeout_ms())):
        rig.clock.advance_s(sampler.timeout_ms() / 1000)
        sampler.drain()
        sampler.collect()
    assert [round(t / 1000) for t, _ in collected] == [5, 10]  # not at every drain: 41 a second
    assert [waiting for _, waiting in collected] == [0, 0]  # with the whole FIFO free


def test_a_polled_sampler_sleeps_a_third_of_the_fifo_between_drains(monkeypatch: pytest.MonkeyPatch) -> None:
    """No interrupt to wait for: a plain sleep (asyncio's timed wait made ~1.4 kB of garbage at each of the
    41 wake-ups a second), then a drain, then maybe a collection."""
    import asyncio

    import sampler as sampler_module

    rig = Rig("mpu6886")
    sampler = polled_sampler(rig, 1000)
    slept: list[int] = []

    class Done(Exception):
        pass

    async def asleep_ms(ms: int) -> None:
        slept.append(ms)
        rig.clock.advance_s(ms / 1000)
        if len(slept) == 250:
            raise Done

    async def no_timed_wait(flag: object, timeout_ms: int) -> bool:
        raise AssertionError("a timed wait while polling")

    monkeypatch.setattr(sampler_module, "asleep_ms", asleep_ms)
    monkeypatch.setattr(sampler_module, "wait_flag", no_timed_wait)
    sampler.start()
    with pytest.raises(Done):
        asyncio.run(sampler.run())
    assert set(slept) == {24} and sampler.sample_count == pytest.approx(249 * 24, abs=2)  # the 250th: no drain
