"""Library use: what goes wrong is a FootfallError with a clear line, never a bare KeyError, TypeError or
AttributeError (QA16 #10, #7, #6 for iter_blocks)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from footfall.protocol.encode import SiStream
from footfall.errors import InputError, RecordingError
from footfall.recording.file import open_recording, write_si_recording
from footfall.recording.stream import iter_blocks
from footfall.report.export import read_steps
from footfall.samples import SampleBlock

ACC = np.tile([0.0, 0.0, 9.81], (10, 1))
GYR = np.zeros((10, 3))


@pytest.fixture(scope="module")
def rec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = np.random.default_rng(3)
    stream = SiStream("L", "L", 208.0, rng.normal(0, 1, (1000, 3)), rng.normal(0, 1, (1000, 3)))
    return write_si_recording(tmp_path_factory.mktemp("rec") / "r.ffr", [stream], {})


def test_an_unknown_sensor_is_a_recording_error(rec: Path) -> None:
    """Before: `.blocks("X")` and `.decoder("X")` raised KeyError: 'X' (`.frames("X")` already said it)."""
    r = open_recording(rec)
    for call in (r.blocks, r.decoder, r.frames):
        with pytest.raises(RecordingError, match="no sensor 'X'.*sensors: L"):
            call("X")


@pytest.mark.parametrize("n", [0, -1, 2.5, True])
def test_max_block_samples_below_one_is_refused(rec: Path, n: object) -> None:
    with pytest.raises(InputError, match="max_block_samples"):
        iter_blocks(rec, max_block_samples=n)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="max_block_samples"):
        open_recording(rec).blocks("L", n)  # type: ignore[arg-type]


@pytest.mark.parametrize("steps", [[1], ["x"], "x", None, [{"ic_time_s": 1.0}], 5])
def test_malformed_step_records_are_input_errors(tmp_path: Path, steps: object) -> None:
    """Before: {"steps": [1]} raised TypeError; "steps": "x" iterated its characters."""
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"format": "footfall-steps", "version": 1, "steps": steps}))
    with pytest.raises(InputError, match="step"):
        read_steps(path)


def test_a_step_field_of_the_wrong_kind_is_an_input_error(tmp_path: Path) -> None:
    from footfall.analysis.step import Pattern, Step
    from footfall.report.export import FIELDS, write_json

    step = Step(**{f: 0.0 for f in FIELDS} | {"sensor": "L", "side": "L", "index": 1,  # type: ignore[arg-type]
                                             "pattern": Pattern.REARFOOT, "activity": "running", "flags": ()})
    for field, bad in (("index", None), ("contact_time_ms", "abc"), ("pattern", "sideways"), ("index", [1])):
        path = write_json([step], tmp_path / f"{field}{bad}.json")
        doc = json.loads(path.read_text())
        doc["steps"][0][field] = bad
        path.write_text(json.dumps(doc))
        with pytest.raises(InputError, match=field):
            read_steps(path)
    (tmp_path / "meta.json").write_text(json.dumps({"format": "footfall-steps", "meta": 5, "steps": []}))
    with pytest.raises(InputError, match="meta"):
        read_steps(tmp_path / "meta.json")


def test_sample_block_takes_lists() -> None:
    """Before: AttributeError: 'list' object has no attribute 'shape'."""
    block = SampleBlock("L", "L", 100.0, 0, ACC.tolist(), GYR.tolist())  # type: ignore[arg-type]
    assert isinstance(block.acc_mps2, np.ndarray) and block.n == 10
    assert SampleBlock("L", "L", 100.0, 0, ACC, GYR).acc_mps2 is ACC  # an array is not copied
    with pytest.raises(InputError, match=r"must both be \(n, 3\)"):
        SampleBlock("L", "L", 100.0, 0, [[1.0, 2.0]], [[1.0, 2.0]])  # type: ignore[arg-type]


@pytest.mark.parametrize(("change", "says"), [
    ({"side": "left"}, "side 'left'"), ({"side": "X"}, "side 'X'"),
    ({"first_index": "10"}, "first_index '10'"), ({"first_index": 1.5}, "first_index 1.5"),
    ({"rate_hz": "100"}, "rate_hz '100'"), ({"rate_hz": 0.0}, "rate_hz 0.0"),
    ({"rate_hz": float("nan")}, "rate_hz nan"),
    ({"rate_hz": -5.0}, "rate_hz -5.0"), ({"rate_hz": float("inf")}, "rate_hz inf"),
])  # fmt: skip
def test_sample_block_refuses_what_the_analyser_would_misread(change: dict[str, object], says: str) -> None:
    fields: dict[str, object] = {"sensor": "L", "side": "L", "rate_hz": 100.0, "first_index": 0, "acc_mps2": ACC,
                                 "gyr_radps": GYR} | change
    with pytest.raises(InputError, match=says):
        SampleBlock(**fields)  # type: ignore[arg-type]


def test_sample_block_takes_numpy_scalars_and_negative_indices() -> None:
    """A negative first_index is a sensor that started before a session's time 0 (shifted onto its time base)."""
    block = SampleBlock("L", "?", np.float64(100.0), np.int64(5), ACC, GYR)  # type: ignore[arg-type]
    assert block.end_index == 15
    assert SampleBlock("L", "L", 100.0, -8, ACC, GYR).shifted(3.0).first_index == -5


def test_si_stream_blames_the_field_that_is_wrong() -> None:
    """Before: side "left" gave "rate_hz=204.8 must be 1..65535 Hz and side L, R or ?", blaming a good rate."""
    with pytest.raises(InputError, match="side 'left'") as exc:
        SiStream("L", "left", 204.8, ACC, GYR)
    assert "rate" not in str(exc.value)
    with pytest.raises(InputError, match="rate_hz=0.5") as exc:
        SiStream("L", "L", 0.5, ACC, GYR)
    assert "side" not in str(exc.value)


def test_a_recording_with_a_side_of_another_program_still_reads(tmp_path: Path) -> None:
    """SampleBlock now refuses side "left": a recording whose sensor record says so reads as side "?"."""
    from footfall.protocol.encode import device_frames
    from footfall.recording.writer import RecordingWriter

    rng = np.random.default_rng(4)
    stream = SiStream("L", "?", 208.0, rng.normal(0, 1, (500, 3)), rng.normal(0, 1, (500, 3)))
    with RecordingWriter(tmp_path / "left.ffr", {}) as writer:
        writer.add_sensor("L", "left")
        for t, frame in device_frames(stream):
            writer.write_frame("L", frame, t)
    assert open_recording(tmp_path / "left.ffr").sensors["L"].side == "?"
    assert {b.side for b in iter_blocks(tmp_path / "left.ffr")} == {"?"}
