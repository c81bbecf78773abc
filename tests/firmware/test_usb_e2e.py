"""End to end over USB: the firmware in MicroPython -> pty -> pyserial -> PacketReader -> StreamDecoder.

Every sample the IMU model produced must arrive exactly once, in order, bit-exact (zero loss), and fuzzed
serial writes must leave the firmware running with its settings unchanged.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Callable, Iterator

import numpy as np
import pytest
import serial
from fw_rig import random_counts
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import frame as F
from footfall.protocol.framing import PacketReader
from footfall.protocol.decode import StreamDecoder
from footfall.virtual.shoe import ShoeConfig, VirtualShoe, chip_rate_hz
from usb import REPL_ESCAPE

pytestmark = pytest.mark.micropython


class Host:
    """The host end of the serial link: send commands, collect frames."""

    def __init__(self, port: str, shoe: VirtualShoe | None = None) -> None:
        self.serial = serial.Serial(port, timeout=0.05)
        self.shoe = shoe
        self.tail = b""  # the last bytes read, for a failure's message
        self.reader = PacketReader()
        self.frames: list[bytes] = []
        self._id = 0

    def send(self, opcode: int, *args: object) -> int:
        self._id = self._id % 255 + 1
        self.serial.write(F.serial_packet(F.encode_command(opcode, self._id, *args)))
        return self._id

    def pump(self, until: Callable[[], bool], timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while not until():
            assert time.monotonic() < deadline, f"timed out waiting for the firmware: {self.seen()}"
            chunk = self.serial.read(8192)
            self.tail = (self.tail + chunk)[-400:]
            self.frames += self.reader.feed(chunk)

    def seen(self) -> str:
        kinds = [f[1] for f in self.frames]
        answered = [f[39] for f in self.frames if f[1] == F.TYPE_STATUS]
        alive = self.shoe.alive() if self.shoe else None
        stderr = self.shoe.stderr()[-400:] if self.shoe else ""
        return (f"{len(kinds)} frames (types {sorted(set(kinds))}), status answers to ids {answered}, "
                f"{self.reader.corrupt} corrupt, {self.reader.bytes_in} bytes in, last bytes {self.tail!r}; "
                f"shoe alive {alive}, stderr {stderr!r}")

    def pump_for(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        self.pump(lambda: time.monotonic() > deadline, seconds + 1)

    def answer(self, cmd_id: int, since: int) -> tuple | None:
        for f in self.frames[since:]:
            if f[1] == F.TYPE_STATUS and f[39] == cmd_id:
                return struct.unpack(F.STATUS_FMT, f)
        return None

    def command(self, opcode: int, *args: object, timeout_s: float = 5.0) -> tuple:
        since = len(self.frames)  # ids wrap at 255: only an answer that arrives after sending counts
        cmd_id = self.send(opcode, *args)
        self.pump(lambda: self.answer(cmd_id, since) is not None, timeout_s)
        answer = self.answer(cmd_id, since)
        assert answer is not None
        return answer


@pytest.fixture
def shoe_factory() -> Iterator[Callable[..., tuple[VirtualShoe, Host]]]:
    shoes: list[VirtualShoe] = []

    def make(samples: np.ndarray, **cfg: object) -> tuple[VirtualShoe, Host]:
        shoe = VirtualShoe(ShoeConfig(**cfg), samples=samples).start()  # type: ignore[arg-type]
        shoes.append(shoe)
        return shoe, Host(shoe.serial_port, shoe)

    yield make
    for shoe in shoes:
        shoe.cleanup()


@pytest.mark.parametrize("board,rate_hz", [("xiao_esp32s3", 416), ("xiao_esp32s3", 833), ("m5stickc_plus2", 500)])
def test_every_sample_arrives_once_in_order_bit_exact(shoe_factory, board: str, rate_hz: int) -> None:
    counts = random_counts(4999, seed=rate_hz)
    clock_error_frac = 0.012 if board == "m5stickc_plus2" else 0.0  # the MPU6886's clock 1.2 % fast, timed at boot
    shoe, host = shoe_factory(counts, board=board, rate_hz=rate_hz, side="R", clock_error_frac=clock_error_frac)
    assert host.command(F.CMD_SELECT_LINK, 1)[-2] == F.RESULT_OK  # cmd_result (rate_mhz comes last)
    assert host.command(F.CMD_START)[-2] == F.RESULT_OK  # cmd_result (rate_mhz comes last)
    host.pump_for(2.5)
    stop = host.command(F.CMD_STOP)
    produced, lost = shoe.trace()
    decoder = StreamDecoder(sensor="R")
    blocks = [b for f in host.frames for b in decoder.feed(f)]
    got = np.concatenate([b.acc_mps2 for b in blocks]) / decoder.status.acc_mps2_per_count
    gyr = np.concatenate([b.gyr_radps for b in blocks]) / decoder.status.gyr_radps_per_count
    got_counts = np.rint(np.hstack([got, gyr])).astype(np.int64)
    at_boot = produced - len(got_counts)  # what the MPU6886 sampled while the firmware timed its clock
    expected = counts[(at_boot + np.arange(len(got_counts))) % len(counts)]
    same = min(len(expected), len(got_counts))
    differ = np.flatnonzero((expected[:same] != got_counts[:same]).any(axis=1))
    seen = (f"{rate_hz} Hz: model produced {produced} (lost {lost}), host decoded {len(got_counts)}, stop "
            f"answer's sample index {stop[16]}; {decoder.report.summary()}; first differing sample "
            f"{differ[0] if differ.size else None}; rate {decoder.status.sample_rate_hz:.3f} Hz")
    print(seen)
    assert lost == 0 and decoder.report.problems == 0, seen
    assert len(got_counts) == stop[16] >= int(2 * rate_hz), seen  # status sample_index agrees
    assert at_boot == 0 if clock_error_frac == 0 else 1.9 * rate_hz < at_boot < 2.6 * rate_hz, seen
    true_rate_hz = chip_rate_hz(ShoeConfig(board=board, clock_error_frac=clock_error_frac), rate_hz)
    assert decoder.status.sample_rate_hz == pytest.approx(true_rate_hz, rel=3e-3), seen  # timed or trimmed
    assert blocks[0].first_index == 0
    assert np.array_equal(got_counts, expected), seen
    seqs = [f[2] | f[3] << 8 for f in host.frames]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # no frame lost, duplicated or reordered


def test_resend_after_a_missed_stretch(shoe_factory) -> None:
    counts = random_counts(1000, seed=5)
    shoe, host = shoe_factory(counts)
    host.command(F.CMD_SELECT_LINK, 1)
    host.command(F.CMD_START)
    host.pump(lambda: sum(f[1] == F.TYPE_DATA for f in host.frames) >= 30, 5)
    resend_from = host.frames[5][2] | host.frames[5][3] << 8
    expected = list(host.frames[5:25])
    status = host.command(F.CMD_RESEND, resend_from)
    assert status[-2] == F.RESULT_OK
    host.command(F.CMD_STOP)
    frames = host.frames
    starts = [i for i, f in enumerate(frames) if f == expected[0]]
    assert len(starts) == 2 and frames[starts[1] : starts[1] + 20] == expected
    assert any(f[1] == F.TYPE_EVENT and f[4] == F.EVENT_RESEND_DONE for f in frames)


@pytest.fixture(scope="module")
def fuzz_target() -> Iterator[tuple[VirtualShoe, Host]]:
    shoe = VirtualShoe(ShoeConfig(side="L"), samples=random_counts(100)).start()
    try:
        host = Host(shoe.serial_port)
        host.command(F.CMD_SELECT_LINK, 1)
        yield shoe, host
    finally:
        shoe.cleanup()


def _settings_of(status: tuple) -> tuple:
    return status[3:6] + status[8:10] + (status[17] & ~0x0C,)  # rate, ranges, imu, side, stream/USB bits


garbage = st.one_of(
    st.binary(min_size=1, max_size=300),  # raw bytes: COBS garbage, stray zeros, overlong packets
    st.binary(max_size=20).filter(lambda b: not _valid(b)).map(F.serial_packet),  # framed non-commands
)


def _valid(data: bytes) -> bool:
    try:
        F.parse_command(data)
        return True
    except ValueError:
        return False


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(garbage, min_size=1, max_size=5))
def test_fuzzed_serial_writes_leave_firmware_running_and_unchanged(fuzz_target, writes: list[bytes]) -> None:
    assume(REPL_ESCAPE not in b"".join(writes))  # the one packet that stops it (hypothesis finds it in usb.py)
    shoe, host = fuzz_target
    before = _settings_of(host.command(F.CMD_STATUS))
    for w in writes:
        host.serial.write(w)
    host.serial.write(b"\x00")  # end whatever packet the garbage left open
    after = host.command(F.CMD_STATUS)
    assert shoe.alive(), shoe.stderr()
    assert _settings_of(after) == before
