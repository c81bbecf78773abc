"""hardware/: the wiring agrees with firmware/boards.py, and every generated table and picture is up to date."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "hardware" / "tools"


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_footfall_fw_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The generator scripts import each other by plain name (they run as `python hardware/tools/regen.py`).
if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))
import power_budget as power  # noqa: E402  (names unlike any firmware module: tests share one process)
import regen  # noqa: E402
import wiring_diagram as wiring  # noqa: E402

BOARDS = load(REPO / "firmware" / "boards.py").BOARDS


def test_every_firmware_board_has_wiring_and_no_more() -> None:
    assert set(wiring.load()) == set(BOARDS)


@pytest.mark.parametrize("board", sorted(BOARDS))
def test_wiring_pins_match_the_firmware_profile(board: str) -> None:
    wired = wiring.load()[board]
    pins = wiring.profile_pins(wired)
    assert set(pins) == set(wiring.PROFILE_SIGNALS), "every profile pin needs a wiring row, even if unconnected"
    for signal, gpio in pins.items():
        assert BOARDS[board][signal] == gpio, f"{board}.{signal}: wiring says {gpio}, boards.py says {BOARDS[board][signal]}"
    assert int(wired["imu_addr"], 16) == BOARDS[board]["imu_addr"]
    assert wired["imu"] == BOARDS[board]["imu"]


def test_wiring_rows_name_known_parts() -> None:
    for board in wiring.load().values():
        for row in board["connections"]:
            for end in (row["from"], row["to"]):
                if end:
                    assert end.split(" ", 1)[0] in board["parts"], end


def test_generated_files_are_up_to_date() -> None:
    stale = [str(p) for p, text in regen.outputs().items() if not p.exists() or p.read_text() != text]
    assert not stale, f"run .venv/bin/python hardware/tools/regen.py: stale {stale}"


def test_the_svg_draws_every_wire_of_the_reference_build() -> None:
    board = wiring.load()["xiao_esp32s3"]
    svg = (REPO / "hardware" / "wiring.svg").read_text()
    wired = [r for r in board["connections"] if r["from"] and r["to"]]
    assert svg.count("<polyline") == len(wired)
    for row in wired:
        assert f">{row['from'].split(' ', 1)[1]}</text>" in svg and f">{row['to'].split(' ', 1)[1]}</text>" in svg


def _polylines(svg: str) -> list[list[tuple[float, float]]]:
    return [[tuple(float(v) for v in p.split(",")) for p in m[1].split()]  # type: ignore[misc]
            for m in re.finditer(r'<polyline points="([^"]+)"', svg)]


def test_every_wire_of_the_svg_ends_on_a_pin_dot() -> None:
    """The switch-to-cell wire used to run to the right edges of the boxes, where there are no pins."""
    svg = wiring.svg(wiring.load()["xiao_esp32s3"])
    dots = {(float(m[1]), float(m[2])) for m in re.finditer(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="3.5"', svg)}
    for line in _polylines(svg):
        assert line[0] in dots and line[-1] in dots, line


def test_svg_crossings_are_bridged_and_branches_have_junction_dots() -> None:
    """A plain crossing of two lines is ambiguous: where a vertical run crosses another wire it bridges it (a
    white gap under it), and where wires leave a shared run there is a junction dot."""
    board = wiring.load()["xiao_esp32s3"]
    svg = wiring.svg(board)
    lines = _polylines(svg)
    halos = {(float(m[1]), float(m[2]) + 6) for m in re.finditer(r'<line x1="([\d.]+)" y1="([\d.]+)"[^>]*stroke="white"', svg)}
    junctions = {(float(m[1]), float(m[2])) for m in re.finditer(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="4"', svg)}
    crossings = 0
    for i, a in enumerate(lines):
        for (x, y0), (x1, y1) in zip(a, a[1:]):
            if x != x1:
                continue
            for j, b in enumerate(lines):
                for (h0, y), (h1, y_) in zip(b, b[1:]):
                    if j != i and y == y_ and min(h0, h1) < x < max(h0, h1) and min(y0, y1) < y < max(y0, y1):
                        crossings += 1
                        assert (x, y) in halos, f"wire {i} crosses wire {j} at {(x, y)} without a bridge"
    assert crossings > 0
    rows = [r for r in board["connections"] if r["from"] and r["to"]]
    shared = [r["from"] for r in rows if sum(s["from"] == r["from"] for s in rows) > 1]
    assert len(junctions) >= len(set(shared))  # at least one branch dot per pin with several wires
    for jx, jy in junctions:
        assert any((jx, jy) == line[1] for line in lines)


def test_the_adc_pin_has_its_capacitor() -> None:
    """100 nF from D0 to GND: the divider's 50 kOhm source alone cannot feed the ADC's sampling capacitor."""
    rows = wiring.load()["xiao_esp32s3"]["connections"]
    cap = {r["from"]: r["to"] for r in rows if r["to"] and r["to"].startswith("C1 ")}
    adc = next(r["from"] for r in rows if r["signal"] == "vbat_adc")
    assert cap.get(adc) and cap.get("U1 GND") and cap[adc] != cap["U1 GND"]
    assert "100 nF" in wiring.load()["xiao_esp32s3"]["parts"]["C1"]


def test_readme_battery_figures_are_the_scripts() -> None:
    table = power.load()
    readme = (REPO / "hardware" / "README.md").read_text()
    for sc in power.scenarios(table):
        assert f"{sc.current_mA:.2f} mA" in readme
    for link in table["radio"]["links"]:
        xiao = next(s for s in power.scenarios(table) if s.board == "xiao_esp32s3" and s.name == f"streaming 833 Hz, {link}")
        life = power.battery_life_h(250, xiao.current_mA, table["usable_capacity_fraction"])
        row = re.search(rf"^\| streaming 833 Hz, {link} \|.*$", readme, re.M)
        assert row, f"no battery row for 833 Hz, {link}"
        caps = table["boards"]["xiao_esp32s3"]["cells_mAh"]
        assert row.group(0).split("|")[3 + caps.index(250)].strip() == f"{life:.1f} h"
        print(f"XIAO + LSM6DSO32, 833 Hz over BLE, {link}: {xiao.current_mA:.1f} mA -> {life:.1f} h on 250 mAh")


def test_battery_life_is_capacity_over_current() -> None:
    assert power.battery_life_h(250, 50, 0.8) == pytest.approx(4.0)
    radio = power.load()["radio"]
    for link in radio["links"]:
        slow, fast = power.radio_duty(radio, {"rate_hz": 416}, link), power.radio_duty(radio, {"rate_hz": 833}, link)
        assert 0 < slow < fast < 0.5 and power.radio_duty(radio, {}) == 0
    # one frame: 19 samples (docs/protocol.md) at 833 Hz is 43.8 frames/s; with 66.7 empty events/s of 0.4 ms
    events = 1000 / radio["connection_interval_ms"] * radio["event_overhead_ms"]
    assert power.radio_duty(radio, {"rate_hz": 833}, "no DLE") == pytest.approx((833 / 19 * 7.0 + events) / 1000)
    assert power.radio_duty(radio, {"advertising_interval_ms": 100}) == pytest.approx(1.5 / 100)


def test_the_radio_model_is_not_the_optimistic_one() -> None:
    """The budget used to assume DLE (2.3 ms a frame), which MicroPython cannot request, the original ESP32's
    radio current for the S3, 1 s advertising although the firmware advertises every 100 ms until it goes idle,
    and an M5 idle row without its IMU. Each of those is now explicit."""
    table = power.load()
    links = table["radio"]["links"]
    assert links["no DLE"]["frame_airtime_ms"] >= 6.5 and links["with DLE"]["frame_airtime_ms"] < 3
    s3 = table["components"][table["boards"]["xiao_esp32s3"]["radio"]]
    assert s3["mA"] >= 140 and "ESP32-S3 Series Datasheet" in s3["basis"] and "+9 dBm" in s3["basis"]
    for board, spec in table["boards"].items():
        intervals = sorted(sc["radio"]["advertising_interval_ms"] for sc in spec["scenarios"].values()
                           if "advertising_interval_ms" in sc.get("radio", {}))
        assert intervals == [100.0, 1000.0], board  # firmware/ble.py: _ADV_FAST_US, _ADV_SLOW_US
        for name, sc in spec["scenarios"].items():
            if "advertising_interval_ms" in sc.get("radio", {}) and board == "m5stickc_plus2":
                assert "mpu6886_sleep" in sc["parts"], name  # the IMU is on the board: asleep, but counted
    by = {(s.board, s.name): s.current_mA for s in power.scenarios(table)}
    assert by["xiao_esp32s3", "streaming 833 Hz, no DLE"] > by["xiao_esp32s3", "streaming 833 Hz, with DLE"] + 20


def test_streaming_costs_more_than_idling_and_only_switching_off_stops_the_drain() -> None:
    """The sleep command keeps the CPU awake (firmware/README.md), so the budget has no "asleep" row that would
    promise weeks for it: it said 0.14 mA and 65 days for what draws 32 mA. Since firmware 0.6 the sensor powers
    off after 30 min unused: the XIAO's deep-sleep row counts the chip, the IMU that watches for a move and the
    board's regulator and divider, not the chip alone."""
    table = power.load()
    by = {(s.board, s.name): s.current_mA for s in power.scenarios(table)}
    idle = "idle (10 min without a connection), advertising every 1 s"
    for link in table["radio"]["links"]:
        assert by["xiao_esp32s3", f"streaming 833 Hz, {link}"] > by["xiao_esp32s3", f"streaming 416 Hz, {link}"] \
            > by["xiao_esp32s3", "on, advertising every 100 ms"] > by["xiao_esp32s3", idle] > 30.0
    assert by["xiao_esp32s3", "switched off"] == 0.0
    asleep = [(board, name) for board, name in by if "sleep" in name]
    assert asleep == [("xiao_esp32s3", "powered off after 30 min unused: deep sleep until a move (IMU watching)")]
    parts = table["boards"]["xiao_esp32s3"]["scenarios"][asleep[0][1]]["parts"]
    assert parts == ["esp32s3_deep_sleep", "lsm6dso32_wake_up", "xiao_board_asleep"]
    assert 0.03 < by[asleep[0]] < 1.0


def test_readme_tells_the_builder_what_the_review_found_missing() -> None:
    """The BOM lists the XIAO's antenna and the ADC capacitor, the build has an assembly order, the DSOX
    alternative names its board profile, and the IMU's orientation does not rely on a silkscreen arrow."""
    readme = (REPO / "hardware" / "README.md").read_text()
    bom = readme[readme.index("## Bill of materials"):readme.index("### MicroPython for each board")]
    cutoff_mv = int(re.search(r"^CUTOFF_MV = (\d+)", (REPO / "firmware" / "power.py").read_text(), re.M)[1])  # type: ignore[index]
    off = f"switches the sensor off below {cutoff_mv / 1000:.2f} V"  # the firmware's own cut-off, as the BOM says
    for must in ("U.FL", "| C1 | ceramic capacitor 100 nF", "Kapton", "glue", off, "protection circuit", "~1 C"):
        assert must in bom, must
    assert "footfall firmware install --board xiao_esp32s3_lsm6dsox" in readme and "twice its size" in readme
    assert "xiao_esp32s3_lsm6dsox" in wiring.load()
    steps = re.findall(r"^(\d+)\. ", readme[readme.index("### Assembly order"):readme.index("## Mounting and axes")], re.M)
    assert steps == [str(i) for i in range(1, len(steps) + 1)] and len(steps) >= 6
    assert "x arrow on its silkscreen" not in readme and "pin-1 dot" in readme
    dso32_guide = next(line for line in readme.splitlines() if line.startswith("- Adafruit LSM6DSO32 breakout"))
    assert "adafruit.com/product/4692" in dso32_guide.split(". The LSM6DSOX")[0]


def _life_250_h(table: dict[str, Any], name: str) -> float:
    by = {(s.board, s.name): s.current_mA for s in power.scenarios(table)}
    return float(power.battery_life_h(250, by["xiao_esp32s3", name], table["usable_capacity_fraction"]))


def test_the_user_guide_quotes_the_budgets_streaming_hours_as_a_model() -> None:
    """The guide promised "about five hours of streaming" on 250 mAh where the budget it links said 3.6 h at 416 Hz
    (no DLE, the case to plan with) and 2.6 h at 833 Hz. It now quotes those figures, as a model's, and the
    marathon promise for the watch footpod is gone."""
    table = power.load()
    guide = (REPO / "docs" / "user-guide.md").read_text()
    section = guide[guide.index("## 2. Build and flash"):guide.index("## 3. After the run")]
    intro = " ".join(section[:section.index("1. **Build**")].split())
    slow, fast = (_life_250_h(table, f"streaming {r} Hz, no DLE") for r in (416, 833))
    assert f"{slow:.1f} h of streaming at 416 Hz" in intro and f"({fast:.1f} h at 833 Hz)" in intro
    assert "five hours" not in guide and "model" in intro and "measured" in intro
    assert "enough for most marathons" not in guide
    s3_streaming = power.measured_over_model(table)[0]
    assert 1.5 <= s3_streaming <= 2.5 and "about twice as high" in intro  # "about twice" is what the table says


def test_the_battery_tables_say_they_are_a_model_and_show_what_others_measured() -> None:
    """The hours were quoted as expectations with no whole-board measurement behind them; public measurements of
    ESP32/ESP32-S3 boards with BLE on (Arduino/ESP-IDF with Bluedroid) are well above the model. The generated
    tables now carry the model's status, with the measured-over-model range computed, flag the small cells, and
    list the public measurements beside the model's figure for the same state."""
    table = power.load()
    readme = (REPO / "hardware" / "README.md").read_text()
    battery = regen.sections()["battery"]
    ratios = power.measured_over_model(table)
    assert f"{min(ratios):.1f}-{max(ratios):.1f} times" in battery and min(ratios) > 1.0
    assert battery.count("(model estimate)") == len(table["boards"])
    for cap in table["small_cells"]["mAh"]:
        assert f"| {cap} mAh † |" in battery
    assert "between radio events" in battery and "Bluedroid" in readme
    public = regen.sections()["public"]
    for row in table["public_measurements"]["rows"]:
        assert f"| {row['mA']:g} mA |" in public and row["source"] in public
    assert public in readme and "This is a model, not a measurement" in readme


def test_the_xiao_regulator_is_called_a_buck_converter() -> None:
    """The XIAO ESP32S3's 3.3 V regulator is an SGM6029 buck (Seeed forum), not an LDO."""
    board = power.load()["components"]["xiao_board"]
    assert "buck converter" in board["what"] and "LDO" not in board["basis"].replace("not an LDO", "")


def test_the_docs_say_what_a_flat_sensor_reads_and_how_to_run_the_board_check() -> None:
    """The axes picture said only "gravity is -z"; a builder checking a flat sensor sees +1 g on z. The picture, the
    README and the guide now say so, and the guide explains the on-board check. The heel clip's orientation is
    drawn and stated, and nothing of it goes inside the shoe."""
    svg = (REPO / "hardware" / "axes.svg").read_text()
    assert "reads +1 g on z (gravity points -z)" in svg and "USB end down" in svg
    readme = (REPO / "hardware" / "README.md").read_text()
    guide = (REPO / "docs" / "user-guide.md").read_text()
    assert "(0, 0, +1) g" in readme and "switch end up, USB-C end down" in readme
    assert "mpremote connect /dev/ttyACM0 run firmware/board_check.py" in guide and "0, 0, +1 g" in guide
    assert "not on the soft collar" in readme and readme.count("tongue") == 1  # only in "Earlier versions had ..."
    mounting = readme[readme.index("## Mounting and axes"):readme.index("**Axis convention**")]
    assert "inside the shoe" in mounting and "hook over" not in mounting
    assert "TPU" not in readme and "USB-C silicone dust plug" in readme and "not waterproof" in readme


def test_the_watch_footpod_hours_are_the_models_and_the_public_figure_beside_them() -> None:
    """Paired with a watch alone: the idle current, the IMU sampling and one notification a second. The docs
    quote that model figure (about 6 h on 250 mAh) and what the public S3 advertising measurement would give
    (about 2 h), and no longer call it enough for a marathon."""
    table = power.load()
    parts, radio = table["components"], table["radio"]
    by = {(s.board, s.name): s.current_mA for s in power.scenarios(table)}
    watch_mA = (by["xiao_esp32s3", "idle (10 min without a connection), advertising every 1 s"]
                + parts["lsm6dso32_416"]["mA"] + parts["radio_s3"]["mA"] * radio["links"]["no DLE"]["frame_airtime_ms"] / 1000)
    usable = table["usable_capacity_fraction"]
    model_h = power.battery_life_h(250, watch_mA, usable)
    public_h = power.battery_life_h(250, table["public_measurements"]["rows"][1]["mA"], usable)  # S3 advertising
    assert round(model_h) == 6 and round(public_h) == 2
    for doc in ("hardware/README.md", "docs/user-guide.md", "firmware/README.md"):
        text = " ".join((REPO / doc).read_text().split())
        assert "about 6 h" in text and "2 h" in text and "6.5 h" not in text, doc
