"""CSV import/export: round trip within the stated precision, units, axes, columns, and bad input."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from footfall.cli.common import parse_columns
from footfall.csvfile.convert import ImportOptions, export_csv, import_csv, parse_axes, sample_clock
from footfall.protocol.encode import SiStream, scales
from footfall.errors import InputError
from footfall.protocol.frames import IMU_IMPORTED
from footfall.recording.file import open_recording, write_si_recording

RATE = 200
HEADER = "time_s,acc_x,acc_y,acc_z,gyr_x,gyr_y,gyr_z"


def foot_signals(n: int = 2000, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gravity on z plus running-like swings: plausible in magnitude, arbitrary in shape."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / RATE
    acc = np.column_stack([20 * np.sin(2 * np.pi * 1.4 * t), 3 * np.sin(9 * t), 9.81 + 25 * np.cos(2 * np.pi * 1.4 * t)])
    gyr = np.column_stack([2 * np.sin(3 * t), 8 * np.sin(2 * np.pi * 1.4 * t), np.cos(5 * t)])
    return t, acc + rng.normal(0, 0.3, acc.shape), gyr + rng.normal(0, 0.05, gyr.shape)


def write(path: Path, header: str, *columns: np.ndarray) -> Path:
    np.savetxt(path, np.column_stack(columns), delimiter=",", header=header, comments="", fmt="%.9f")
    return path


def read_export(path: Path) -> dict[str, np.ndarray]:
    names = path.read_text().splitlines()[0].split(",")
    table = np.genfromtxt(path, delimiter=",", skip_header=1, usecols=range(2, len(names)), ndmin=2)  # empty: NaN
    return {n: table[:, k] for k, n in enumerate(names[2:])}


def test_import_export_round_trip(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals()
    keep = np.r_[0:700, 760:2000]  # a gap of 60 samples must survive as a gap
    src = write(tmp_path / "in.csv", HEADER, t[keep], acc[keep], gyr[keep])
    result = import_csv(src, tmp_path / "in.ffr", ImportOptions(side="L"))
    (stream,) = result.streams
    assert (stream.rate_hz, stream.side, stream.imu, stream.has_gyro) == (RATE, "L", IMU_IMPORTED, True)
    rec = open_recording(tmp_path / "in.ffr")
    assert rec.meta["imported_from"] == "in.csv"
    export_csv(rec, tmp_path / "out.csv")
    out = read_export(tmp_path / "out.csv")
    acc_mps2_per_count, gyr_radps_per_count = scales(IMU_IMPORTED, stream.acc_range_g, stream.gyr_range_dps)
    err_t = np.abs(out["time_s"] - t[keep]).max()
    err_acc = np.abs(np.column_stack([out[f"acc_{a}_mps2"] for a in "xyz"]) - acc[keep]).max()
    err_gyr = np.abs(np.column_stack([out[f"gyr_{a}_radps"] for a in "xyz"]) - gyr[keep]).max()
    print(f"round trip at +-{stream.acc_range_g} g/+-{stream.gyr_range_dps} dps: time {err_t:.1e} s, "
          f"acc {err_acc:.5f} m/s2 (bound {acc_mps2_per_count / 2:.5f}), "
          f"gyr {err_gyr:.6f} rad/s (bound {gyr_radps_per_count / 2:.6f})")
    assert err_t < 1e-6
    assert err_acc <= acc_mps2_per_count / 2 + 1e-6 and err_gyr <= gyr_radps_per_count / 2 + 1e-6
    assert np.array_equal(out["sample_index"], np.rint(t[keep] * RATE))
    assert open_recording(tmp_path / "in.ffr").report.streams[stream.sensor].missing_samples == 60


def test_export_import_export_of_two_sensors_is_stable(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals()
    write(tmp_path / "l.csv", HEADER, t, acc, gyr)
    import_csv(tmp_path / "l.csv", tmp_path / "l.ffr", ImportOptions(side="L"))
    export_csv(open_recording(tmp_path / "l.ffr"), tmp_path / "l_out.csv")
    lines = (tmp_path / "l_out.csv").read_text().splitlines()
    both = lines + [ln.replace("L,L,", "R,R,", 1) for ln in lines[1:]]
    (tmp_path / "both.csv").write_text("\n".join(both) + "\n")
    result = import_csv(tmp_path / "both.csv", tmp_path / "both.ffr")
    assert [(s.sensor, s.side) for s in result.streams] == [("L", "L"), ("R", "R")]
    export_csv(open_recording(tmp_path / "both.ffr"), tmp_path / "both_out.csv")
    assert (tmp_path / "both_out.csv").read_text().splitlines()[: len(lines)] == lines  # a fixed point


def test_units_in_g_and_deg_per_s(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals()
    src = write(tmp_path / "g.csv", HEADER, t, acc / 9.80665, np.degrees(gyr))
    with pytest.raises(InputError, match="looks like it is in g") as info:
        import_csv(src, tmp_path / "x.ffr", ImportOptions(gyr_unit="deg/s"))
    assert "--acc-unit g" in str(info.value)
    with pytest.raises(InputError, match="look like deg/s"):
        import_csv(src, tmp_path / "x.ffr", ImportOptions(acc_unit="g"))
    (stream,) = import_csv(src, tmp_path / "g.ffr", ImportOptions(acc_unit="g", gyr_unit="deg/s")).streams
    assert np.allclose(stream.acc_mps2, acc) and np.allclose(stream.gyr_radps, gyr)
    assert not (tmp_path / "x.ffr").exists()


def test_si_data_claimed_as_g_is_refused(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals()
    src = write(tmp_path / "si.csv", HEADER, t, acc, gyr)
    with pytest.raises(InputError, match="looks like it is in m/s2"):
        import_csv(src, tmp_path / "x.ffr", ImportOptions(acc_unit="g"))
    import_csv(src, tmp_path / "ok.ffr", ImportOptions(acc_unit="g", check_units=False))


def test_unit_suffixes_and_column_mapping(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals()
    src = write(tmp_path / "s.csv", "t,ax_raw,ay_raw,az_raw,gyr_x_dps,gyr_y_dps,gyr_z_dps", t, acc / 9.80665,
                np.degrees(gyr))
    cols = {"time_s": "t", "acc_x": "ax_raw", "acc_y": "ay_raw", "acc_z": "az_raw"}
    (stream,) = import_csv(src, tmp_path / "s.ffr", ImportOptions(acc_unit="g", columns=cols)).streams
    assert np.allclose(stream.gyr_radps, gyr)
    with pytest.raises(InputError, match="contradicts the header"):
        import_csv(src, tmp_path / "x.ffr", ImportOptions(acc_unit="g", gyr_unit="rad/s", columns=cols))


@pytest.mark.parametrize("header", ["Time,AccX,AccY,AccZ,GyroX,GyroY,GyroZ", "t,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps",
                                    "time,Acc_X,Acc_Y,Acc_Z,Gyr_X,Gyr_Y,Gyr_Z"])
def test_usual_column_spellings_are_found_without_a_map(tmp_path: Path, header: str) -> None:
    t, acc, gyr = foot_signals()
    in_g = "_g" in header
    src = write(tmp_path / "s.csv", header, t, acc / 9.80665 if in_g else acc, np.degrees(gyr) if in_g else gyr)
    (stream,) = import_csv(src, tmp_path / "s.ffr", ImportOptions()).streams
    assert np.allclose(stream.acc_mps2, acc, atol=0.01) and np.allclose(stream.gyr_radps, gyr, atol=0.01)
    assert stream.rate_hz == RATE


def test_comment_lines_and_a_preamble_before_the_header(tmp_path: Path) -> None:
    """A leading '# exported by ...' line used to be read as the header's row; a device preamble (Xsens:
    'Acquisition frequency: 100 Hz', tab-separated columns) comes before the header too."""
    t, acc, gyr = foot_signals(400)
    body = write(tmp_path / "b.csv", HEADER, t, acc, gyr).read_text()
    (tmp_path / "c.csv").write_text("# exported by another app\n# units: SI\n" + body)
    (stream,) = import_csv(tmp_path / "c.csv", tmp_path / "c.ffr").streams
    assert len(stream.acc_mps2) == 400 and np.allclose(stream.acc_mps2, acc, atol=0.01)
    rows = "\n".join("\t".join(f"{v:.6f}" for v in (k, *a, *g)) for k, (a, g) in enumerate(zip(acc, gyr)))
    (tmp_path / "x.txt").write_text("Acquisition frequency: 200 Hz\nPacketCounter\tAcc_X\tAcc_Y\tAcc_Z\tGyr_X\tGyr_Y\tGyr_Z\n" + rows + "\n")
    (stream,) = import_csv(tmp_path / "x.txt", tmp_path / "x.ffr", ImportOptions(rate_hz=RATE)).streams
    assert len(stream.acc_mps2) == 400 and np.allclose(stream.gyr_radps, gyr, atol=0.01)


def test_a_european_spreadsheet_with_decimal_commas(tmp_path: Path) -> None:
    """Excel in a German or French locale saves ';'-separated rows with decimal commas (9,81): they were
    refused as "not a number". A junk cell is still named with its line."""
    t, acc, gyr = foot_signals(400)
    rows = [";".join(f"{v:.6f}".replace(".", ",") for v in (ti, *a, *g)) for ti, a, g in zip(t, acc, gyr)]
    (tmp_path / "eu.csv").write_text(HEADER.replace(",", ";") + "\n" + "\n".join(rows) + "\n")
    (stream,) = import_csv(tmp_path / "eu.csv", tmp_path / "eu.ffr").streams
    assert stream.rate_hz == RATE and np.allclose(stream.acc_mps2, acc, atol=0.01)
    rows[7] = rows[7].replace(rows[7].split(";")[2], "n/a")
    (tmp_path / "bad.csv").write_text(HEADER.replace(",", ";") + "\n" + "\n".join(rows) + "\n")
    with pytest.raises(InputError, match="line 9: column acc_y holds 'n/a'"):
        import_csv(tmp_path / "bad.csv", tmp_path / "bad.ffr")


def test_axes_map(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals()
    # a sensor mounted upside down and turned: file x = foot y, file y = foot x, file z = -foot z
    src = write(tmp_path / "a.csv", HEADER, t, acc[:, [1, 0, 2]] * [1, 1, -1], gyr[:, [1, 0, 2]] * [1, 1, -1])
    (stream,) = import_csv(src, tmp_path / "a.ffr", ImportOptions(axes="y,x,-z")).streams
    assert np.allclose(stream.acc_mps2, acc) and np.allclose(stream.gyr_radps, gyr)
    for bad in ("x,y", "x,x,z", "x,y,-z", "a,b,c"):
        with pytest.raises(InputError, match="--axes"):
            parse_axes(bad)


def test_acc_only_file_and_rate_option(tmp_path: Path) -> None:
    t, acc, _ = foot_signals()
    src = write(tmp_path / "acc.csv", "acc_x,acc_y,acc_z", acc)
    with pytest.raises(InputError, match="no time_s column"):
        import_csv(src, tmp_path / "x.ffr")
    (stream,) = import_csv(src, tmp_path / "acc.ffr", ImportOptions(rate_hz=RATE, side="R")).streams
    assert not stream.has_gyro and stream.sensor == "R"
    export_csv(open_recording(tmp_path / "acc.ffr"), tmp_path / "acc_out.csv")
    out = read_export(tmp_path / "acc_out.csv")
    assert np.isnan(out["gyr_x_radps"]).all() and np.allclose(out["time_s"], t)
    assert (tmp_path / "acc_out.csv").read_text().splitlines()[1].endswith(",,,")  # not measured: empty cells
    (back,) = import_csv(tmp_path / "acc_out.csv", tmp_path / "acc_back.ffr").streams  # and they import back
    assert not back.has_gyro and back.rate_hz == RATE


@pytest.mark.parametrize(("content", "message"), [
    ("time,x,y,z\n0,1,2,3\n", "no column acc_x"),
    ("time_s,acc_x,acc_y,acc_z,gyr_x\n0,0,0,9.8,1\n", "no column gyr_y"),
    ("time_s,acc_x,acc_y,acc_z\n0,0,0,9.8\n0.01,zero,0,9.8\n", "numbers"),
    ("time_s,acc_x,acc_y,acc_z\n", "no data rows"),
    ("", "is empty"),
    ("time_s,acc_x,acc_y,acc_z\n0,0,0,9.8\n0,0,0,9.8\n", "increase strictly"),
    ("time_s,acc_x,acc_y,acc_z\n0,0,0,9.8\n0.01,0,0,9.8\n0.011,0,0,9.8\n", "too irregular"),
])
def test_bad_csv(tmp_path: Path, content: str, message: str) -> None:
    src = tmp_path / "bad.csv"
    src.write_text(content)
    with pytest.raises(InputError, match=message):
        import_csv(src, tmp_path / "bad.ffr")
    assert not (tmp_path / "bad.ffr").exists()


def test_a_rate_that_is_not_whole_hertz_keeps_its_times(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals(500)
    src = write(tmp_path / "r.csv", HEADER, t * RATE / 102.4, acc, gyr)  # 102.4 Hz, as NilsPod and Xsens have it
    result = import_csv(src, tmp_path / "r.ffr")
    assert result.streams[0].rate_hz == 102.4 and not result.notes
    rec = open_recording(tmp_path / "r.ffr")
    assert math.isclose(rec.sensors["imported"].info["rate_hz"], 102.4)
    export_csv(rec, tmp_path / "out.csv")
    assert np.abs(read_export(tmp_path / "out.csv")["time_s"] - t * RATE / 102.4).max() < 1e-6


def test_times_with_few_decimals_still_give_the_integer_rate(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals(3000)
    t416 = np.round(np.arange(3000) / 416, 6)  # a foreign export printing microseconds
    src = tmp_path / "us.csv"
    np.savetxt(src, np.column_stack([t416, acc, gyr]), delimiter=",", header=HEADER, comments="", fmt="%.6f")
    (stream,) = import_csv(src, tmp_path / "us.ffr").streams
    assert stream.rate_hz == 416 and np.array_equal(np.asarray(stream.sample_index), np.arange(3000))


def test_nan_and_inf_rows_are_left_out_as_gaps_not_zeros(tmp_path: Path) -> None:
    """A NaN used to be stored as 0 m/s2 (an invented sample) and one inf pushed the file to +-32 g."""
    t, acc, gyr = foot_signals()
    acc_bad, gyr_bad = acc.copy(), gyr.copy()
    acc_bad[100:110, 0] = np.nan
    acc_bad[500, 2] = np.inf
    gyr_bad[900, 1] = np.nan
    write(tmp_path / "clean.csv", HEADER, t, acc, gyr)
    (clean,) = import_csv(tmp_path / "clean.csv", tmp_path / "clean.ffr").streams
    src = write(tmp_path / "nan.csv", HEADER, t, acc_bad, gyr_bad)
    result = import_csv(src, tmp_path / "nan.ffr")
    (stream,) = result.streams
    keep = np.setdiff1d(np.arange(2000), np.r_[100:110, 500, 900])
    assert np.array_equal(np.asarray(stream.sample_index), keep) and np.allclose(stream.acc_mps2, acc[keep], atol=1e-8)
    assert stream.acc_range_g == clean.acc_range_g
    assert result.notes == ["imported: left out 12 of 2000 rows whose acceleration or gyro is NaN or infinite "
                            "(lines 102-111, 502, 902): the recording has gaps there"]  # the header is line 1
    rec = open_recording(tmp_path / "nan.ffr")
    assert rec.report.streams["imported"].missing_samples == 12
    (block, *_) = rec.blocks("imported")
    assert np.abs(block.acc_mps2).max(axis=1).min() > 1  # no row of zeros
    export_csv(rec, tmp_path / "out.csv")
    assert np.array_equal(read_export(tmp_path / "out.csv")["sample_index"], keep)


def test_every_other_row_nan_halves_the_samples_and_says_so(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals()
    acc[1::2, 0] = np.nan
    result = import_csv(write(tmp_path / "alt.csv", HEADER, t, acc, gyr), tmp_path / "alt.ffr")
    assert np.array_equal(np.asarray(result.streams[0].sample_index), np.arange(0, 2000, 2))
    assert "left out 1000 of 2000 rows" in result.notes[0] and "lines 3, 5, 7 and 997 more ranges" in result.notes[0]


def test_gyro_columns_all_nan_are_an_accelerometer_only_sensor(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals()
    result = import_csv(write(tmp_path / "a.csv", HEADER, t, acc, np.full_like(gyr, np.nan)), tmp_path / "a.ffr")
    assert not result.streams[0].has_gyro and len(result.streams[0].acc_mps2) == 2000 and not result.notes


@pytest.mark.parametrize(("rows_nan", "message"), [
    (slice(None), "acceleration columns hold no numbers"),
    (slice(0, 1900), "1900 of 2000 rows have NaN or infinite values"),
])
def test_a_file_of_nearly_all_nan_is_refused(tmp_path: Path, rows_nan: slice, message: str) -> None:
    t, acc, gyr = foot_signals()
    acc[rows_nan] = np.nan
    with pytest.raises(InputError, match=message) as info:
        import_csv(write(tmp_path / "n.csv", HEADER, t, acc, gyr), tmp_path / "n.ffr")
    assert "looks like it is in" not in str(info.value)
    assert not (tmp_path / "n.ffr").exists()


def test_a_byte_order_mark_before_the_header(tmp_path: Path) -> None:
    """Excel's "CSV UTF-8" starts with a BOM, which stuck to the first column: "no time_s column"."""
    t, acc, gyr = foot_signals(400)
    text = write(tmp_path / "b.csv", HEADER, t, acc, gyr).read_text()
    (tmp_path / "bom.csv").write_text(text, encoding="utf-8-sig")
    (stream,) = import_csv(tmp_path / "bom.csv", tmp_path / "bom.ffr").streams
    assert stream.rate_hz == RATE and len(stream.acc_mps2) == 400
    lines = text.splitlines()
    (tmp_path / "bom_labels.csv").write_text("\n".join(["sensor," + lines[0]] + ["L," + ln for ln in lines[1:]]),
                                             encoding="utf-8-sig")
    assert [s.sensor for s in import_csv(tmp_path / "bom_labels.csv", tmp_path / "l.ffr").streams] == ["L"]


@pytest.mark.parametrize("n", [3, 100])  # 15 ms and half a second at 200 Hz
def test_a_short_file_is_not_judged_on_its_units(tmp_path: Path, n: int) -> None:
    """A few samples of a stride sit anywhere between 0 and 9 g: the median is not gravity. A short run
    excerpt in m/s2 was told to use --acc-unit m/s2."""
    t, acc, gyr = foot_signals()
    start = int(np.argmax(np.linalg.norm(acc, axis=1)))  # around an impact: about 5 g
    src = write(tmp_path / "s.csv", HEADER, t[start:start + n], acc[start:start + n], gyr[start:start + n])
    result = import_csv(src, tmp_path / "s.ffr")
    assert len(result.streams[0].acc_mps2) == n
    assert result.notes == [f"imported: units not checked: {n} rows ({n / RATE:.2g} s) are too few to judge "
                            "gravity and gait, which takes 1 s"]


def test_gravity_messages_never_suggest_the_unit_already_used(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals()
    with pytest.raises(InputError, match="do not look like acceleration") as info:
        import_csv(write(tmp_path / "x.csv", HEADER, t, acc * 50, gyr), tmp_path / "x.ffr")
    assert "--acc-unit m/s2" in str(info.value) and "use --acc-unit" not in str(info.value)
    with pytest.raises(InputError, match="do not look like rotation rates"):
        import_csv(write(tmp_path / "y.csv", HEADER, t, acc, np.degrees(gyr) * 60), tmp_path / "y.ffr",
                   ImportOptions(gyr_unit="deg/s"))


def jittered(n: int, rate_hz: float, sigma_s: float, seed: int = 1) -> np.ndarray:
    return np.arange(n) / rate_hz + np.random.default_rng(seed).normal(0, sigma_s, n)


@pytest.mark.parametrize("rate", [None, 416.0])
def test_time_stamps_with_jitter(tmp_path: Path, rate: float | None) -> None:
    """0.2 ms rms on a 2.4 ms period is an ordinary logger: it was refused as too irregular, with --rate 416
    too (a clock started between two samples). Rows are samples in row order; a hole in time_s is a gap."""
    _, acc, gyr = foot_signals(12480)
    keep = np.r_[0:5000, 5060:12480]
    t = 3.0012 + jittered(12480, 416, 0.0002)
    src = tmp_path / "j.csv"
    np.savetxt(src, np.column_stack([t, acc, gyr])[keep], delimiter=",", header=HEADER, comments="", fmt="%.6f")
    (stream,) = import_csv(src, tmp_path / "j.ffr", ImportOptions(rate_hz=rate)).streams
    assert stream.sample_index is not None and stream.rate_hz == 416
    assert np.array_equal(stream.sample_index - stream.sample_index[0], keep)
    assert open_recording(tmp_path / "j.ffr").report.streams["imported"].missing_samples == 60


def test_sample_clock_on_real_logger_habits() -> None:
    """pyshoe's logger stamps one row 0.7 period late every few thousand (the next step is then short):
    that row is no hole. Heavier Gaussian jitter up to 0.4 ms rms at 416 Hz, a clock 0.03% slow and a
    time base in Unix seconds still give every row its sample."""
    t = np.arange(3000) / 200.0
    t[1234] += 0.7 / 200
    assert np.array_equal(sample_clock(t, 3000, None)[1], np.arange(3000))
    truth = np.r_[0:5000, 5060:12540]
    t = 1.7e9 + truth / 416 * 1.0003 + np.random.default_rng(3).normal(0, 0.0004, len(truth))
    assert np.all(np.diff(t) > 0)
    rate, index = sample_clock(t, len(t), None)
    assert rate == 416 and np.array_equal(index - index[0], truth)


def test_a_rate_that_contradicts_time_s_is_refused(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals()
    src = write(tmp_path / "r.csv", HEADER, t, acc, gyr)
    with pytest.raises(InputError, match="--rate 20 Hz disagrees with time_s, whose steps give 200 Hz"):
        import_csv(src, tmp_path / "r.ffr", ImportOptions(rate_hz=20))
    (stream,) = import_csv(src, tmp_path / "r.ffr", ImportOptions(rate_hz=204.8)).streams  # a clock 2.4% off
    assert stream.rate_hz == 204.8 and np.array_equal(np.asarray(stream.sample_index), np.arange(2000))


@pytest.mark.parametrize(("gyro", "unit", "message"), [
    ("rad/s", "deg/s", "the gyro columns are in rad/s, or the gyroscope is dead"),
    ("zero", "rad/s", "the gyroscope looks dead"),
    ("constant", "rad/s", "the gyroscope looks dead"),
])
def test_a_gyro_that_hardly_turns_while_the_foot_runs_is_refused(tmp_path: Path, gyro: str, unit: str,
                                                                 message: str) -> None:
    """rad/s read as deg/s (57x too small) and a dead gyro were accepted: the analysis then reported a 9 g
    run as standing still."""
    t, acc, gyr = foot_signals()
    values = {"rad/s": gyr, "zero": np.zeros_like(gyr), "constant": np.full_like(gyr, 0.3)}[gyro]
    src = write(tmp_path / "g.csv", HEADER, t, acc, values)
    with pytest.raises(InputError, match=message) as info:
        import_csv(src, tmp_path / "g.ffr", ImportOptions(gyr_unit=unit))
    assert ("use --gyr-unit rad/s" in info.value.hint) == (gyro == "rad/s") and "drop" in info.value.hint
    import_csv(src, tmp_path / "ok.ffr", ImportOptions(gyr_unit=unit, check_units=False))


@pytest.mark.realdata
def test_the_real_gaitmap_recording_imports_and_its_gyro_in_rad_s_is_not_taken_for_deg_s(
        shared_data: Path, tmp_path: Path) -> None:
    """gaitmap's file (two sensors side by side, gyro in deg/s, 204.8 Hz, no time column): its left sensor
    is the first set of columns. Rewritten in rad/s and declared deg/s, it is refused."""
    src = shared_data / "gaitmap-walking" / "imu_sample_not_rotated.csv"
    (stream,) = import_csv(src, tmp_path / "g.ffr", ImportOptions(rate_hz=204.8, gyr_unit="deg/s")).streams
    assert len(stream.acc_mps2) == 7928 and stream.has_gyro
    # the right sensor's columns repeat the names: the first set was read silently; now a note says how to read it
    note = import_csv(src, tmp_path / "l.ffr", ImportOptions(rate_hz=204.8, gyr_unit="deg/s")).notes[0]
    assert "the first of each was read (columns 2, 3, 4, 5, 6, 7)" in note
    numbers = note.split("--columns ")[1]
    right = import_csv(src, tmp_path / "r.ffr", ImportOptions(rate_hz=204.8, gyr_unit="deg/s",
                                                              columns=parse_columns(numbers)))
    table = np.loadtxt(src, delimiter=",", skiprows=2)
    assert np.allclose(right.streams[0].acc_mps2, table[:, 7:10], atol=0.01) and not right.notes
    t = np.arange(7928) / 204.8
    rad = write(tmp_path / "rad.csv", HEADER, t, stream.acc_mps2, stream.gyr_radps)
    import_csv(rad, tmp_path / "rad.ffr")
    with pytest.raises(InputError, match="in rad/s"):
        import_csv(rad, tmp_path / "x.ffr", ImportOptions(gyr_unit="deg/s"))


def test_a_short_file_at_rest_still_shows_its_unit(tmp_path: Path) -> None:
    """At rest every row is gravity, so a few steady rows at 1.00 "m/s2" are 1 g in g, for sure."""
    src = tmp_path / "rest.csv"
    src.write_text("time_s,acc_x,acc_y,acc_z\n0,0,0,1\n0.01,0,0,1\n0.02,0,0,1.01\n")
    with pytest.raises(InputError, match="looks like it is in g"):
        import_csv(src, tmp_path / "x.ffr")
    (stream,) = import_csv(src, tmp_path / "g.ffr", ImportOptions(acc_unit="g")).streams
    assert np.allclose(stream.acc_mps2[:, 2], [9.80665, 9.80665, 9.9047], atol=0.01)


def _with_bad_line(tmp_path: Path, name: str, line: int, edit: str, preamble: str = "") -> Path:
    """A clean 2000-row file whose file line `line` (header = line 1, after `preamble`) is changed: 'text' puts
    a word in acc_y, 'short' cuts the row to 3 cells, 'nan' puts NaN in acc_y."""
    t, acc, gyr = foot_signals()
    lines = (preamble + write(tmp_path / "clean.csv", HEADER, t, acc, gyr).read_text()).splitlines()
    cells = lines[line - 1].split(",")
    if edit == "short":
        cells = cells[:3]
    else:
        cells[2] = "zero" if edit == "text" else "nan"
    lines[line - 1] = ",".join(cells)
    (tmp_path / name).write_text("\n".join(lines) + "\n")
    return tmp_path / name


@pytest.mark.parametrize("preamble", ["", "# exported by another app\n\n"])
def test_every_position_is_the_line_number_of_the_file(tmp_path: Path, preamble: str) -> None:
    """One bad cell on line 501 was "row 500, column 2" (text), "row 501 ... invalid column index 3 with 3
    columns" (a short row, numpy's words) and "data row 501" (NaN note)."""
    line = 501 + preamble.count("\n")
    with pytest.raises(InputError) as text:
        import_csv(_with_bad_line(tmp_path, "text.csv", line, "text", preamble), tmp_path / "t.ffr")
    assert str(text.value).startswith(f"text.csv, line {line}: column acc_y holds 'zero', not a number (every")
    with pytest.raises(InputError) as short:
        import_csv(_with_bad_line(tmp_path, "short.csv", line, "short", preamble), tmp_path / "s.ffr")
    assert str(short.value).startswith(f"short.csv, line {line}: 3 cells, too few for column acc_z (cell 4)")
    assert "index" not in str(short.value) and ". (" not in str(text.value) + str(short.value)
    notes = import_csv(_with_bad_line(tmp_path, "nan.csv", line, "nan", preamble), tmp_path / "n.ffr").notes
    assert f"(line {line})" in notes[0]


def test_a_short_row_in_the_sensor_column_is_said_plainly(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals(400)
    lines = write(tmp_path / "b.csv", HEADER, t, acc, gyr).read_text().splitlines()
    rows = ["sensor,side," + lines[0]] + [f"L,L,{ln}" for ln in lines[1:]]
    rows[10] = "L"
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    with pytest.raises(InputError, match=r"labels.csv, line 11: 1 cells, too few for column (side|time_s)"):
        import_csv(tmp_path / "labels.csv", tmp_path / "l.ffr")


@pytest.mark.parametrize("rate", [0.0, -200.0, float("inf"), float("nan")])
def test_a_rate_of_zero_or_not_finite_is_refused(tmp_path: Path, rate: float) -> None:
    """--rate 0 with a time_s column ended in ZeroDivisionError."""
    t, acc, gyr = foot_signals(400)
    for src in (write(tmp_path / "t.csv", HEADER, t, acc, gyr), write(tmp_path / "a.csv", "acc_x,acc_y,acc_z", acc)):
        with pytest.raises(InputError, match="--rate .* Hz must be a number above 0"):
            import_csv(src, tmp_path / "x.ffr", ImportOptions(rate_hz=rate))
    with pytest.raises(InputError, match="must be a number above 0"):
        sample_clock(t, len(t), rate)


def test_unused_columns_without_a_gyro_are_named_in_a_note(tmp_path: Path) -> None:
    """t,ax,ay,az,wx,wy,wz imported "without gyro" silently: contact time, strike angle, stride not measured."""
    t, acc, gyr = foot_signals(400)
    result = import_csv(write(tmp_path / "w.csv", "t,ax,ay,az,wx,wy,wz", t, acc, gyr), tmp_path / "w.ffr")
    assert not result.streams[0].has_gyro
    (note,) = result.notes
    assert "no gyro columns found" in note and "unused columns: wx, wy, wz" in note
    assert "--columns gyr_x=wx,gyr_y=wy,gyr_z=wz" in note
    cols = {"gyr_x": "wx", "gyr_y": "wy", "gyr_z": "wz"}
    with_gyro = import_csv(tmp_path / "w.csv", tmp_path / "g.ffr", ImportOptions(columns=cols))
    assert with_gyro.streams[0].has_gyro and not with_gyro.notes
    magnetometer = write(tmp_path / "m.csv", "t,ax,ay,az,mag_x,mag_y,mag_z", t, acc, gyr)
    assert "--columns gyr_x=COLUMN" in import_csv(magnetometer, tmp_path / "m.ffr").notes[0]
    for header, extra in (("t,ax,ay,az", ()), ("t,ax,ay,az,temp", (t,))):  # nothing that could be a gyro: no note
        src = write(tmp_path / "a.csv", header, t, acc, *extra)
        assert not import_csv(src, tmp_path / f"a{len(extra)}.ffr").notes


def test_a_column_that_looks_like_time_is_suggested(tmp_path: Path) -> None:
    t, acc, gyr = foot_signals(400)
    src = write(tmp_path / "ts.csv", "timestamp,accX,accY,accZ,gyroX,gyroY,gyroZ", t, acc, gyr)
    with pytest.raises(InputError, match=r"no time_s column \(if timestamp holds the time in seconds, add --columns "
                                         r"time_s=timestamp; else give --rate HZ\)"):
        import_csv(src, tmp_path / "x.ffr")
    (stream,) = import_csv(src, tmp_path / "ts.ffr", ImportOptions(columns={"time_s": "timestamp"})).streams
    assert stream.rate_hz == RATE
    with pytest.raises(InputError, match=r"no time_s column \(give the sample rate with --rate HZ\)"):
        import_csv(write(tmp_path / "n.csv", "ax,ay,az,gx,gy,gz", acc, gyr), tmp_path / "n.ffr")


def test_a_column_mapped_by_columns_must_exist(tmp_path: Path) -> None:
    """--columns time_s=tiem (a typo) was silently no time column: with --rate, its holes were lost."""
    t, acc, gyr = foot_signals(400)
    src = write(tmp_path / "s.csv", "time,ax,ay,az,gx,gy,gz", t, acc, gyr)
    with pytest.raises(InputError, match="--columns time_s=tiem: s.csv has no column 'tiem' .its columns are time, ax"):
        import_csv(src, tmp_path / "x.ffr", ImportOptions(rate_hz=RATE, columns={"time_s": "tiem"}))


@pytest.mark.parametrize(("factor", "unit"), [(1e3, "milliseconds"), (1e6, "microseconds")])
def test_time_stamps_in_ms_are_recognised(tmp_path: Path, factor: float, unit: str) -> None:
    """time_s in ms was "sample rate 0.41600000000119824 Hz is outside 1..65535 Hz"."""
    t, acc, gyr = foot_signals(400)
    src = write(tmp_path / "ms.csv", HEADER, t * factor, acc, gyr)
    for rate in (None, RATE):
        with pytest.raises(InputError) as info:
            import_csv(src, tmp_path / "x.ffr", ImportOptions(rate_hz=rate))
        assert str(info.value).startswith(f"time_s steps give {RATE / factor:.3g} Hz, or 200 Hz if time_s is in {unit} "
                                          f"(footfall reads time_s in seconds only: divide the column by {factor:g}")
    with pytest.raises(InputError, match=r"sample rate 2e-09 Hz is outside 1..65535 Hz"):  # rounded, in no unit
        import_csv(write(tmp_path / "slow.csv", HEADER, t * 1e11, acc, gyr), tmp_path / "y.ffr")


def test_side_and_sensor_options_must_fit_the_files_own_columns(tmp_path: Path) -> None:
    """--side L relabelled sensor R (side column R) as side L, and --sensor X was silently ignored."""
    t, acc, gyr = foot_signals(400)
    body = write(tmp_path / "b.csv", HEADER, t, acc, gyr).read_text().splitlines()
    (tmp_path / "r.csv").write_text("\n".join(["sensor,side," + body[0]] + [f"R,R,{ln}" for ln in body[1:]]) + "\n")
    with pytest.raises(InputError, match="--side L contradicts the file's side column, which says R"):
        import_csv(tmp_path / "r.csv", tmp_path / "x.ffr", ImportOptions(side="L"))
    with pytest.raises(InputError, match="--sensor X cannot apply: the file's sensor column names R"):
        import_csv(tmp_path / "r.csv", tmp_path / "x.ffr", ImportOptions(sensor="X"))
    (same,) = import_csv(tmp_path / "r.csv", tmp_path / "r.ffr", ImportOptions(side="R", sensor="R")).streams
    assert (same.sensor, same.side) == ("R", "R")
    two = ["sensor," + body[0]] + [f"A,{ln}" for ln in body[1:]] + [f"B,{ln}" for ln in body[1:]]
    (tmp_path / "two.csv").write_text("\n".join(two) + "\n")
    with pytest.raises(InputError, match="--side L cannot apply to the 2 sensors of the file's sensor column"):
        import_csv(tmp_path / "two.csv", tmp_path / "x.ffr", ImportOptions(side="L"))
    assert not (tmp_path / "x.ffr").exists()


def test_a_recording_given_to_import_is_named_as_one(tmp_path: Path) -> None:
    """`import run.ffr` said "cannot read run.ffr as text" (a byte it could not decode); other binary files
    still say that."""
    path = write_si_recording(tmp_path / "run.ffr", [SiStream("L", "L", 100.0, np.zeros((10, 3)), np.zeros((10, 3)))],
                              {})
    with pytest.raises(InputError, match=r"run.ffr is already a footfall recording, not a CSV to import"):
        import_csv(path, tmp_path / "again.ffr")
    (tmp_path / "noise.csv").write_bytes(bytes(range(128, 256)))
    with pytest.raises(InputError, match=r"cannot read .*noise.csv as text"):
        import_csv(tmp_path / "noise.csv", tmp_path / "n.ffr")
