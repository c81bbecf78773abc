"""hardware/README.md after firmware 0.6.2 (impl17_firmware's notes for the hardware docs): the serial port on each
system (step 2), what to do when an install cannot enter the raw REPL (step 3, the same advice as the CLI's hint,
firmware/README.md and the user guide), and the M5StickC Plus2's 1000 Hz battery rows marked with the rate's known
limit, a note the power-budget generator prints from power_budget.json."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "hardware" / "tools"
if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))
import power_budget as power  # noqa: E402
import regen  # noqa: E402

from footfall.cli.firmware import NO_RAW_REPL_HINT  # noqa: E402


def _flat(text: str) -> str:
    return " ".join(text.split())


def _step(readme: str, n: int) -> str:
    guide = readme[readme.index("## User guide: from parts to `footfall live`"):]
    return _flat(guide[guide.index(f"\n{n}. **"):guide.index(f"\n{n + 1}. **")])


def test_step_2_says_how_to_find_and_open_the_serial_port_on_each_system() -> None:
    step = _step((REPO / "hardware" / "README.md").read_text(), 2)
    assert step.startswith("2. **Put MicroPython on the board**")  # what the CLI's hints call "step 2"
    for must in ("`dialout` group", "log out and in again", "`ls /dev/cu.*`", "Device Manager", "`COMn`",
                 "`--port COM5`", "CH9102", "older Windows"):
        assert must in step, must


def test_step_3_gives_the_clis_raw_repl_advice_and_the_one_reset_the_repl_survives() -> None:
    readme = (REPO / "hardware" / "README.md").read_text()
    step = _step(readme, 3)
    advice = NO_RAW_REPL_HINT.format(port="/dev/ttyACM0").split(" (hardware/README.md")[0]
    assert "cannot enter the raw REPL" in step and advice in step, advice
    assert "keeps its REPL through one reset" in step and "install deletes that flag" in step
    for doc in ("firmware/README.md", "docs/user-guide.md"):  # the same two steps there
        text = _flat((REPO / doc).read_text())
        assert "install again; if that fails too, erase the flash and put MicroPython on again" in text, doc


def test_the_m5s_1000_hz_rows_carry_the_rates_known_limit() -> None:
    battery = regen.sections()["battery"]
    m5 = battery[battery.index("**M5StickC Plus2"):]
    rows = [line for line in m5.splitlines() if line.startswith("| streaming 1000 Hz")]
    assert len(rows) == 2 and all(row.split("|")[1].rstrip().endswith("‡") for row in rows), rows
    note = _flat(next(line for line in m5.splitlines() if line.startswith("‡ ")))
    assert "500 Hz (the default)" in note and "`board_check.py`" in note and "below ~45 ms" in note
    firmware_readme = _flat((REPO / "firmware" / "README.md").read_text())
    assert "below ~45 ms, use 500 Hz (the default) on the M5StickC Plus2" in firmware_readme  # the same figure
    assert not any(line.startswith("| streaming 500 Hz") and "‡" in line for line in m5.splitlines())
    assert battery in (REPO / "hardware" / "README.md").read_text()


def test_a_scenario_note_marks_its_rows_and_prints_under_its_own_board() -> None:
    table = copy.deepcopy(power.load())
    for spec in table["boards"].values():
        for sc in spec["scenarios"].values():
            sc.pop("note", None)
    assert "‡" not in power.life_table(table)
    table["boards"]["xiao_esp32s3"]["scenarios"]["streaming 833 Hz"]["note"] = "check the central's interval"
    table["boards"]["xiao_esp32s3"]["scenarios"]["switched off"]["note"] = "the cell still self-discharges"
    text = power.life_table(table)
    xiao = text[:text.index("**M5StickC Plus2")]
    assert xiao.count("| streaming 833 Hz, no DLE ‡ |") == 1 and "| switched off § |" in xiao
    assert "\n‡ check the central's interval.\n" in xiao and "\n§ the cell still self-discharges.\n" in xiao
    assert "‡" not in text[text.index("**M5StickC Plus2"):]
    names = {s.name for s in power.scenarios(table)}  # the public table and tests look rows up by their plain name
    assert "streaming 833 Hz, no DLE" in names
