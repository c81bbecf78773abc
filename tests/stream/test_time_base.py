"""One time base for a recording's sensors (footfall.recording.time_base): a live session's note, or the arrival times of a
recording written without one, and the same clock in `footfall analyse` (ic_time_s) and `footfall export`
(time_s)."""

from __future__ import annotations

import csv
import heapq
import io
import json
import math
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from footfall.analysis.session import analyse_file
from footfall.protocol.encode import SiStream, device_frames
from footfall.recording.file import RecordingWriter, read_time_base
from footfall.utc import iso_utc_s
from footfall.virtual.runner import RunnerParams, simulate

RATE_HZ = 416
BOOT_S = 50.0  # the right shoe was switched on this long before the left one


@pytest.fixture(scope="module")
def feet() -> dict[str, SiStream]:
    run = simulate(RunnerParams(duration_s=20.0, seed=11, rate_hz=RATE_HZ))
    return {s: SiStream(s, s, RATE_HZ, f.acc_mps2, f.gyr_radps) for s, f in run.feet.items()}


def write(path: Path, streams: dict[str, SiStream], boot_s: dict[str, float], arrival: str = "real",
          late_s: dict[str, float] | None = None, epoch_s: float = 0.0) -> Path:
    """A recording as a program other than footfall live might write it: no time_base note; each sensor's
    counter started `boot_s` before the recording (its sample index that much ahead) and its first frame came
    `late_s` after the others' (its first samples left out); arrival times in seconds from `epoch_s`, in ms, or
    all 0."""
    scale = {"real": 1.0, "ms": 1000.0, "none": 0.0}[arrival]
    with RecordingWriter(path, {}) as writer:
        tagged = []
        for s, stream in streams.items():
            writer.add_sensor(s, s, rate_hz=RATE_HZ)
            ahead, skip = round(boot_s.get(s, 0.0) * RATE_HZ), round((late_s or {}).get(s, 0.0) * RATE_HZ)
            moved = SiStream(s, s, RATE_HZ, stream.acc_mps2[skip:], stream.gyr_radps[skip:],
                             sample_index=np.arange(skip, len(stream.acc_mps2)) + ahead)
            tagged.append([(t, s, f) for t, f in device_frames(moved, -ahead / RATE_HZ)])
        for t, s, frame in heapq.merge(*tagged, key=lambda item: item[0]):
            writer.write_frame(s, frame, (epoch_s + t) * scale)
    return path


def first_ics(path: Path) -> dict[str, float]:
    steps = analyse_file(str(path)).steps
    return {s: next(step.ic_time_s for step in steps if step.sensor == s) for s in ("L", "R")}


def export_rows(path: Path) -> list[dict[str, str]]:
    out = subprocess.run([sys.executable, "-m", "footfall", "export", str(path), "--csv", "-"],
                         capture_output=True, text=True, check=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def test_sensors_switched_on_at_different_times_are_lined_up_by_their_arrival_times(
        feet: dict[str, SiStream], tmp_path: Path) -> None:
    same = write(tmp_path / "same.ffr", feet, {})
    apart = write(tmp_path / "apart.ffr", feet, {"R": BOOT_S})
    base = read_time_base(apart)
    print(f"derived time base: {base}")
    assert base.derived and base.offsets_samples == {"L": 0.0, "R": -BOOT_S * RATE_HZ}
    assert read_time_base(same).offsets_samples == {"L": 0.0, "R": 0.0}  # a shared clock: nothing moves
    a, b = analyse_file(str(same)).steps, analyse_file(str(apart)).steps
    assert [(s.sensor, s.ic_time_s, s.flight_time_ms) for s in a] == [(s.sensor, s.ic_time_s, s.flight_time_ms)
                                                                      for s in b]
    assert np.isfinite([s.flight_time_ms for s in b]).sum() > 20  # before: R 50 s away, no flight time at all


def test_unusable_arrival_times_move_nothing(feet: dict[str, SiStream], tmp_path: Path) -> None:
    path = write(tmp_path / "zeros.ffr", feet, {"R": BOOT_S}, arrival="none")
    assert read_time_base(path).offsets_samples == {}


def test_export_time_is_the_analysis_time(feet: dict[str, SiStream], tmp_path: Path) -> None:
    apart = write(tmp_path / "apart.ffr", feet, {"R": BOOT_S})
    rows = export_rows(apart)
    first = {s: next(r for r in rows if r["sensor"] == s) for s in ("L", "R")}
    assert first["R"]["sample_index"] == str(round(BOOT_S * RATE_HZ))  # the sensor's own counter
    assert float(first["L"]["time_s"]) == float(first["R"]["time_s"]) == 0.0  # but one clock


def test_a_live_note_sets_export_time_and_start_utc(feet: dict[str, SiStream], tmp_path: Path) -> None:
    origin_s = time.time() + 2.0  # the host's wall clock at session time 0: just after the file was created
    noted = tmp_path / "noted.ffr"
    with RecordingWriter(noted, {}) as writer:
        writer.note({"time_base": {"offsets_samples": {"L": 0.0, "R": 10.3}, "origin_host_s": origin_s}})
        for s, stream in feet.items():
            writer.add_sensor(s, s, rate_hz=RATE_HZ)
            for t, frame in device_frames(stream):
                writer.write_frame(s, frame, origin_s + t)
    rows = export_rows(noted)
    r100 = next(r for r in rows if r["sensor"] == "R" and r["sample_index"] == "100")
    assert math.isclose(float(r100["time_s"]), (100 + 10.3) / RATE_HZ, abs_tol=1e-9)
    out = tmp_path / "a.json"
    subprocess.run([sys.executable, "-m", "footfall", "analyse", str(noted), "--json", str(out)], check=True,
                   capture_output=True)
    assert json.loads(out.read_text())["start_utc"] == iso_utc_s(origin_s)  # time 0, to the millisecond


def test_arrival_times_in_ms_move_nothing_and_say_so(feet: dict[str, SiStream], tmp_path: Path) -> None:
    """A re-check found arrival times in milliseconds (8 "seconds" of window = one frame) moving R by 200 s,
    and epoch milliseconds crashing analyse (a year 55840 start)."""
    for name, epoch_s in (("ms.ffr", 0.0), ("epoch_ms.ffr", 1.7e9)):
        path = write(tmp_path / name, feet, {"R": 0.2}, arrival="ms", epoch_s=epoch_s)
        base = read_time_base(path)
        analysed = analyse_file(str(path))
        print(name, base.offsets_samples, analysed.start_utc)
        assert base.offsets_samples == {} and base.note and "one clock" in base.note
        assert any(base.note in w for r in analysed.reports.values() for w in r.warnings)
        assert analysed.start_utc == analysed.meta["created_utc"]


def test_no_sample_before_time_0(feet: dict[str, SiStream], tmp_path: Path) -> None:
    """R's first frame came 0.45 s before L's, but L's counter is the one nearer its power-on: L's clock was
    kept and R's first contacts fell at negative times (and export -> import then moved R on its own)."""
    path = write(tmp_path / "early_r.ffr", feet, {"L": -0.45, "R": BOOT_S}, late_s={"L": 0.45})  # L on at its start
    steps = analyse_file(str(path)).steps
    rows = export_rows(path)
    print(read_time_base(path), min(s.ic_time_s for s in steps), min(float(r["time_s"]) for r in rows))
    assert min(s.ic_time_s for s in steps) >= 0 and min(float(r["time_s"]) for r in rows) == 0.0


def test_a_replay_keeps_its_file_s_start_not_the_original_s(feet: dict[str, SiStream], tmp_path: Path) -> None:
    """Arrival times of a run three years old (a replay re-recorded keeps the original's): start_utc is the file's,
    so `history add` of its step file still finds the live session it was made beside."""
    path = write(tmp_path / "old.ffr", feet, {}, epoch_s=1.6e9)
    analysed = analyse_file(str(path))
    assert analysed.time_base.origin_utc_s is not None and analysed.start_utc == analysed.meta["created_utc"]


def _noted(path: Path, feet: dict[str, SiStream], offsets: dict[str, float], epoch_s: float = 0.0) -> Path:
    with RecordingWriter(path, {}) as writer:
        writer.note({"time_base": {"offsets_samples": offsets}})
        for s, stream in feet.items():
            writer.add_sensor(s, s, rate_hz=RATE_HZ)
            for t, frame in device_frames(stream, epoch_s):
                writer.write_frame(s, frame, t)
    return path


def test_export_import_export_keeps_time_to_a_fraction_of_a_sample(feet: dict[str, SiStream], tmp_path: Path) -> None:
    """A live recording's R sits 10.3 samples after L: the import rounded that to 10 (1.19 ms on the demo's R,
    flight time 106.8 -> 107.5 ms); it now keeps the fraction as the imported recording's time base."""
    from footfall.csvfile.convert import export_csv, import_csv
    from footfall.recording.file import open_recording

    src = _noted(tmp_path / "live.ffr", feet, {"L": 0.0, "R": 10.3})
    export_csv(open_recording(src), tmp_path / "a.csv")
    import_csv(tmp_path / "a.csv", tmp_path / "back.ffr")
    export_csv(open_recording(tmp_path / "back.ffr"), tmp_path / "b.csv")
    a, b = (list(csv.DictReader((tmp_path / f).open())) for f in ("a.csv", "b.csv"))
    worst = max(abs(float(x["time_s"]) - float(y["time_s"])) for x, y in zip(a, b))
    print(f"{len(a)} rows, worst time_s difference {worst * 1e6:.3f} us")
    assert len(a) == len(b) and worst < 1e-6
    steps = [[(s.sensor, round(s.ic_time_s, 6)) for s in analyse_file(str(f)).steps] for f in (src, tmp_path / "back.ffr")]
    assert steps[0] == steps[1]


def test_unix_time_stamps_keep_two_sensors_together(feet: dict[str, SiStream], tmp_path: Path) -> None:
    """A two-sensor CSV stamped in Unix time: each sensor was moved to start at 0 on its own (flight time 0)."""
    from footfall.csvfile.convert import export_csv, import_csv
    from footfall.recording.file import open_recording

    src = write(tmp_path / "src.ffr", feet, {}, late_s={"R": 0.3})
    export_csv(open_recording(src), tmp_path / "a.csv")
    rows = list(csv.DictReader((tmp_path / "a.csv").open()))
    with (tmp_path / "unix.csv").open("w") as f:
        f.write("sensor,side,time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z\n")
        for r in rows:
            values = [r[k] for k in ("acc_x_mps2", "acc_y_mps2", "acc_z_mps2", "gyr_x_radps", "gyr_y_radps", "gyr_z_radps")]
            f.write(",".join([r["sensor"], r["side"], f"{1.7e9 + float(r['time_s']):.6f}", *values]) + "\n")
    import_csv(tmp_path / "unix.csv", tmp_path / "unix.ffr")
    flights = [s.flight_time_ms for s in analyse_file(str(tmp_path / "unix.ffr")).steps]
    reference = [s.flight_time_ms for s in analyse_file(str(src)).steps]
    print(f"flight time median {np.nanmedian(flights):.1f} ms (the source's {np.nanmedian(reference):.1f})")
    assert abs(np.nanmedian(flights) - np.nanmedian(reference)) < 1.0


def test_a_note_written_after_the_first_megabytes_counts(feet: dict[str, SiStream], tmp_path: Path) -> None:
    """A live session notes each sensor's offset once it settles: a right shoe that joined 12 minutes in has its
    offset in a note after the first 4 MB, which analyse did not read (flight time 0 where live showed 108 ms)."""
    from footfall.recording.file import TIME_BASE_SCAN_BYTES

    frames = list(device_frames(feet["L"]))
    path = tmp_path / "late.ffr"
    with RecordingWriter(path, {}) as writer:
        writer.add_sensor("L", "L", rate_hz=RATE_HZ)
        writer.note({"time_base": {"offsets_samples": {"L": 0.0}, "origin_host_s": 100.0}})
        written, k = 0, 0
        while written < TIME_BASE_SCAN_BYTES + (1 << 20):
            t, frame = frames[k % len(frames)]
            writer.write_frame("L", frame, t + 20.0 * (k // len(frames)))
            written, k = written + len(frame) + 18, k + 1
        writer.note({"time_base": {"offsets_samples": {"L": 0.0, "R": -299520.0}, "origin_host_s": 100.0}})
    assert read_time_base(path).offsets_samples == {"L": 0.0, "R": -299520.0}


def test_note_headers_are_found_across_chunk_boundaries() -> None:
    """The later-note scan reads the file in chunks (flat memory on a 10-hour file): every offset of the header
    bytes is found, a match split across two chunks included, as one search over the whole file finds them."""
    import io

    from footfall.recording.file import _positions

    rng = np.random.default_rng(3)
    pattern = b"\xf5\xfa\x04\x00"
    data = bytearray(rng.integers(0, 256, 5000, dtype=np.uint8).tobytes())
    for at in (0, 97, 98, 99, 100, 1234, 4996):  # 97-100: straddling a 100-byte chunk boundary
        data[at:at + 4] = pattern
    whole, pos = [], bytes(data).find(pattern)
    while pos >= 0:
        whole.append(pos)
        pos = bytes(data).find(pattern, pos + 1)
    for chunk in (1, 3, 100, 4096, 1 << 20):
        assert _positions(io.BytesIO(bytes(data)), pattern, chunk) == whole
