"""The pacing model alone: packets per connection event, order, credits, fades and discards."""

from __future__ import annotations

import asyncio

import pytest

from footfall.virtual.pacing import Pacer, PacingModel


async def _run_pacer(model: PacingModel, n: int, events: int, pause_conn: int | None = None,
                     credits: list[int] | None = None) -> tuple[list[tuple[int, int]], int, Pacer]:
    sent: list[tuple[int, int]] = []
    credits = credits if credits is not None else [0]
    pacer = Pacer(model, lambda k: credits.__setitem__(0, credits[0] + k))

    def packet(conn: int, i: int):  # type: ignore[no-untyped-def]
        async def send() -> None:
            sent.append((conn, i))
        return send

    for i in range(n):
        for conn in (1, 2):
            pacer.put(conn, 10, packet(conn, i))
    if pause_conn is not None:
        pacer.pause(pause_conn, True)
    for _ in range(events):
        await pacer._event()
    return sent, credits[0], pacer


def test_each_connection_sends_n_packets_per_event_in_order() -> None:
    model = PacingModel(packets_per_interval=3)
    sent, credits, pacer = asyncio.run(_run_pacer(model, n=7, events=2))
    assert [i for c, i in sent if c == 1] == [0, 1, 2, 3, 4, 5]
    assert [i for c, i in sent if c == 2] == [0, 1, 2, 3, 4, 5]
    assert credits == 12 and pacer.stats.packets_sent == 12 and pacer.stats.bytes_sent == 120


def test_a_faded_connection_waits_and_a_dropped_one_returns_its_buffers() -> None:
    credits = [0]
    sent, _, pacer = asyncio.run(_run_pacer(PacingModel(packets_per_interval=4), 5, 3, pause_conn=2, credits=credits))
    assert sent == [(1, i) for i in range(5)] and credits == [5]
    pacer.discard(2)
    assert credits == [10] and pacer.stats.packets_discarded == 5


def test_the_central_is_heard_n_packets_per_event() -> None:
    async def main() -> list[list[int]]:
        pacer = Pacer(PacingModel(packets_per_interval=2), lambda k: None)
        heard: list[int] = []
        for i in range(5):
            pacer.receive(1, lambda i=i: heard.append(i))  # type: ignore[misc]
        per_event = []
        for _ in range(3):
            await pacer._event()
            per_event.append(list(heard))
        return per_event

    assert asyncio.run(main()) == [[0, 1], [0, 1, 2, 3], [0, 1, 2, 3, 4]]


def test_the_pacer_keeps_the_connection_interval() -> None:
    model = PacingModel(connection_interval_s=0.01, packets_per_interval=1)

    async def main() -> float:
        done = asyncio.Event()
        count = [0]
        pacer = Pacer(model, lambda k: None)

        async def send() -> None:
            count[0] += 1
            if count[0] == 30:
                done.set()

        for _ in range(30):
            pacer.put(1, 1, send)
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        pacer.start()
        await asyncio.wait_for(done.wait(), 5)
        await pacer.stop()
        return loop.time() - t0

    elapsed = asyncio.run(main())
    print(f"30 packets at 1 per 10 ms took {elapsed * 1e3:.0f} ms")
    assert 0.28 <= elapsed < 0.6


def test_invalid_models_are_refused() -> None:
    with pytest.raises(ValueError):
        PacingModel(packets_per_interval=0)
    assert PacingModel().max_packets_per_s == pytest.approx(266.7, abs=0.1)


def test_a_failing_send_loses_one_packet_not_the_link() -> None:
    """bumble raising for one notification must not kill the pacer nor keep that packet's buffer."""
    async def main() -> tuple[list[int], list[int], Pacer]:
        sent, credits = [], [0]
        pacer = Pacer(PacingModel(packets_per_interval=4), lambda k: credits.__setitem__(0, credits[0] + k))

        def packet(i: int):  # type: ignore[no-untyped-def]
            async def send() -> None:
                if i == 1:
                    raise RuntimeError("connection state changed")
                sent.append(i)
            return send

        for i in range(6):
            pacer.put(1, 10, packet(i))
        pacer.start()
        await asyncio.sleep(pacer.model.connection_interval_s * 4)
        await pacer.stop()
        return sent, credits, pacer

    sent, credits, pacer = asyncio.run(main())
    assert sent == [0, 2, 3, 4, 5] and credits == [6]
    assert pacer.stats.send_errors == 1 and pacer.stats.packets_sent == 5
