"""CSV import/export: round trip within the stated precision, units, axes, columns, and bad input."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from footfall.csvio import ImportOptions, export_csv, import_csv, parse_axes
from footfall.encode import scales
from footfall.errors import InputError
from footfall.protocol import IMU_IMPORTED
from footfall.recording import open_recording

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
    table = np.loadtxt(path, delimiter=",", skiprows=1, usecols=range(2, len(names)), ndmin=2)
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
    acc_scale, gyr_scale = scales(IMU_IMPORTED, stream.acc_range_g, stream.gyr_range_dps)
    err_t = np.abs(out["time_s"] - t[keep]).max()
    err_acc = np.abs(np.column_stack([out[f"acc_{a}_mps2"] for a in "xyz"]) - acc[keep]).max()
    err_gyr = np.abs(np.column_stack([out[f"gyr_{a}_radps"] for a in "xyz"]) - gyr[keep]).max()
    print(f"round trip at +-{stream.acc_range_g} g/+-{stream.gyr_range_dps} dps: time {err_t:.1e} s, "
          f"acc {err_acc:.5f} m/s2 (bound {acc_scale / 2:.5f}), gyr {err_gyr:.6f} rad/s (bound {gyr_scale / 2:.6f})")
    assert err_t < 1e-6
    assert err_acc <= acc_scale / 2 + 1e-6 and err_gyr <= gyr_scale / 2 + 1e-6
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
    assert stream.rate_hz == 416 and np.array_equal(stream.sample_index, np.arange(3000))
