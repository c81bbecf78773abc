"""hardware/: the wiring agrees with firmware/boards.py, and every generated table and picture is up to date."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

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


def test_readme_battery_figures_are_the_scripts() -> None:
    table = power.load()
    readme = (REPO / "hardware" / "README.md").read_text()
    for sc in power.scenarios(table):
        assert f"{sc.current_mA:.2f} mA" in readme
    xiao = next(s for s in power.scenarios(table) if s.board == "xiao_esp32s3" and s.name == "streaming 833 Hz")
    life = power.battery_life_h(250, xiao.current_mA, table["usable_capacity_fraction"])
    row = re.search(r"^\| 250 mAh \|.*$", readme, re.M)
    assert row and f"{life:.1f} h" in row.group(0)
    print(f"XIAO + LSM6DSO32, 833 Hz over BLE: {xiao.current_mA:.1f} mA -> {life:.1f} h on 250 mAh")


def test_battery_life_is_capacity_over_current() -> None:
    assert power.battery_life_h(250, 50, 0.8) == pytest.approx(4.0)
    radio = power.load()["radio"]
    slow, fast = power.radio_duty(radio, {"rate_hz": 416}), power.radio_duty(radio, {"rate_hz": 833})
    assert 0 < slow < fast < 0.5 and power.radio_duty(radio, {}) == 0


def test_streaming_costs_more_than_idling_and_only_the_switch_stops_the_drain() -> None:
    """The sleep command keeps the CPU awake (firmware/README.md), so the budget has no "asleep" column that
    would promise weeks: it said 0.14 mA and 65 days for what draws 32 mA."""
    by = {(s.board, s.name): s.current_mA for s in power.scenarios(power.load())}
    assert by["xiao_esp32s3", "streaming 833 Hz"] > by["xiao_esp32s3", "streaming 416 Hz"] \
        > by["xiao_esp32s3", "idle, advertising"] > 30.0 and by["xiao_esp32s3", "switched off"] == 0.0
    assert not any("sleep" in name for _, name in by)
