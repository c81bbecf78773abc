"""The other ways in: USB serial over a pty (the real firmware in MicroPython on the far end), `footfall
scan` over the virtual radio, and a host killed with SIGKILL mid-session."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

from footfall.errors import FootfallError
from footfall.protocol.encode import SiStream
from footfall.protocol.frames import CMD_START, encode_command
from footfall.live.scan import scan
from footfall.live.session import LiveParams, LiveSession
from footfall.recording.file import open_recording, write_si_recording
from footfall.sources.serial import SerialSource
from footfall.sources.virtual import RigParams, VirtualRig, to_counts
from footfall.virtual.runner import preset, simulate
from footfall.virtual.shoe import ShoeConfig, VirtualShoe
from footfall.virtual.watch import VirtualWatch

from .helpers import two_feet


@pytest.mark.micropython
def test_serial_source_over_a_pty(tmp_path: Path) -> None:
    foot = simulate(preset("midfoot", duration_s=30.0, feet="L", acc_range_g=32.0)).feet["L"]
    config = ShoeConfig(side="L", rate_hz=416, acc_range_g=32, link=1)
    with VirtualShoe(config, samples=to_counts(foot.acc_mps2, foot.gyr_radps)) as shoe:
        async def main() -> object:
            session = LiveSession([SerialSource(f"serial:{shoe.serial_port}", shoe.serial_port)],
                                  tmp_path / "usb.ffr", LiveParams(duration_s=16.0))
            return await session.run()
        result = asyncio.run(asyncio.wait_for(main(), 60))
    report = result.reports["L"]  # type: ignore[attr-defined]
    print(f"serial: {report.summary()}; {len(result.steps)} steps")  # type: ignore[attr-defined]
    assert report.samples >= 14 * 416 and report.missing_samples == 0 and report.corrupt == 0
    assert len(result.steps) >= 10  # type: ignore[attr-defined]
    assert {s.pattern.value for s in result.steps[-5:]} <= {"midfoot", "rearfoot"}  # type: ignore[attr-defined]


@pytest.mark.micropython
def test_scan_finds_both_virtual_shoes_and_the_one_in_use() -> None:
    async def main() -> list:
        async with VirtualRig(["L", "R"], RigParams(duration_s=5.0)) as rig:
            other_host = VirtualWatch()  # another computer's session streams from the left shoe
            await other_host.connect(rig.radio, "footfall-L", address="F0:0D:00:00:00:02")
            assert (await other_host.command(encode_command(CMD_START, 1))).cmd_result == 0
            return await scan(3.0, True, rig.radio.scanner_backend, rig.radio.client_backend)
    found = asyncio.run(asyncio.wait_for(main(), 60))
    print(found)
    assert [(f.name, f.side, f.streaming) for f in found] == [("footfall-L", "L", True), ("footfall-R", "R", False)]
    assert all(f.rssi_dbm is not None and f.battery_pct is not None and f.firmware for f in found)
    assert [f.serial for f in found] == [f.address for f in found]  # the radio's address, as the OS may hide it


def test_kill_9_mid_session_keeps_what_arrived(tmp_path: Path) -> None:
    run = two_feet(30.0)
    streams = [SiStream(s, s, int(f.rate_hz), f.acc_mps2, f.gyr_radps) for s, f in run.feet.items()]
    source = write_si_recording(tmp_path / "source.ffr", streams, {})
    out = tmp_path / "live.ffr"
    proc = subprocess.Popen([sys.executable, "-m", "footfall", "live", f"replay:{source}", "--speed", "1",
                             "--record", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    src = open_recording(source)
    _wait_for_frames(out, {sensor: len(src.frames(sensor)) * 4 // 30 for sensor in ("L", "R")}, proc)
    proc.kill()  # SIGKILL on POSIX; TerminateProcess on Windows (no signal.SIGKILL there)
    proc.wait(10)
    got = open_recording(out)
    for sensor in ("L", "R"):
        sent = [f.data for f in src.frames(sensor)]
        kept = [f.data for f in got.frames(sensor)]
        print(f"{sensor}: {len(kept)} of {len(sent)} frames kept; file tail: {got.report.tail}")
        assert kept == sent[: len(kept)]  # everything recorded is exactly what arrived, in order
        assert len(kept) >= len(sent) * 3.0 / 30.0  # killed once 4 s of each foot were on disk: none lost
    assert not got.report.clean_close


def _wait_for_frames(path: Path, frames_n: dict[str, int], proc: subprocess.Popen[bytes],
                     timeout_s: float = 90.0) -> None:
    """Until the recording at `path` holds `frames_n` frames of each sensor (not a fixed sleep: a loaded runner may
    take seconds to start the host), failing if the host exits or `timeout_s` passes."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"footfall live exited early: {proc.stderr.read().decode() if proc.stderr else ''}"
        try:
            rec = open_recording(path)
            if all(len(rec.frames(sensor)) >= n for sensor, n in frames_n.items()):
                return
        except (FootfallError, OSError):
            pass  # not created yet, or its header not written yet
        time.sleep(0.2)
    pytest.fail(f"{path} did not hold {frames_n} frames within {timeout_s:.0f} s")


def test_a_shoe_that_fails_to_start_stops_the_one_started_and_the_radio(monkeypatch: pytest.MonkeyPatch) -> None:
    """The right shoe's firmware failing to start left the left one running and the radio serving (a leak)."""
    import footfall.virtual.shoe as shoe_module

    started: list[FakeShoe] = []

    class FakeShoe:
        cleaned = False

        def cleanup(self) -> None:
            self.cleaned = True

    def start(side: str, **_: object) -> FakeShoe:
        if side == "R":
            raise RuntimeError("the unix port exited")
        started.append(FakeShoe())
        return started[-1]

    monkeypatch.setattr(shoe_module, "start_virtual_shoe", start)
    rig = VirtualRig(["L", "R"], RigParams(duration_s=1.0))

    async def enter() -> None:
        async with rig:
            pass

    with pytest.raises(RuntimeError, match="unix port exited"):
        asyncio.run(enter())
    assert [s.cleaned for s in started] == [True]
    assert not rig.radio._server.is_serving()  # the radio closed too
