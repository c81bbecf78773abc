"""Firmware installation without a board: file selection, mpy-cross, and the real mpremote against a pty board."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import serial

from footfall import flash
from footfall.cli import main
from footfall.protocol.frames import CMD_STATUS, encode_command
from footfall.protocol.framing import frame_packet
from footfall.virtual.mpy import micropython_path, mpy_env

REPO = Path(__file__).resolve().parents[2]
BOARDS_PY = REPO / "firmware" / "boards.py"


def make_firmware(root: Path) -> Path:
    """A small firmware tree shaped like firmware/: main, boot, a module, a package, and things to skip."""
    (root / "imu").mkdir(parents=True)
    (root / "__pycache__").mkdir()
    (root / "tests").mkdir()
    (root / "main.py").write_text("import frame\nfrom imu import chip\nRESULT = frame.double(chip.WHO)\n")
    (root / "boot.py").write_text("BOOTED = True\n")
    (root / "frame.py").write_text("def double(x):\n    return 2 * x\n")
    (root / "imu" / "__init__.py").write_text("")
    (root / "imu" / "chip.py").write_text("WHO = 0x6C\n")
    (root / "__pycache__" / "frame.cpython-311.py").write_text("junk\n")
    (root / "tests" / "helper.py").write_text("junk\n")
    (root / "test_frame.py").write_text("junk\n")
    (root / "boards.py").write_text(BOARDS_PY.read_text())
    return root


@pytest.fixture
def fw(tmp_path: Path) -> Path:
    return make_firmware(tmp_path / "firmware")


def test_select_files_globs_modules_and_keeps_main_and_boot_as_source(fw: Path) -> None:
    files = {f.target: f for f in flash.select_files(fw)}
    assert set(files) == {"main.py", "boot.py", "frame.mpy", "imu/__init__.mpy", "imu/chip.mpy", "boards.mpy"}
    assert not files["main.py"].compiled and not files["boot.py"].compiled
    assert files["imu/chip.mpy"].compiled and files["imu/chip.mpy"].source == fw / "imu" / "chip.py"


def test_select_files_picks_up_a_new_module(fw: Path) -> None:
    (fw / "imu" / "mpu6886.py").write_text("X = 1\n")
    assert "imu/mpu6886.mpy" in {f.target for f in flash.select_files(fw)}


def test_select_files_without_main_is_an_error(fw: Path) -> None:
    (fw / "main.py").unlink()
    with pytest.raises(flash.FlashError, match="no main.py"):
        flash.select_files(fw)


def test_compiled_files_are_mpy_that_micropython_runs(fw: Path, tmp_path: Path) -> None:
    out = tmp_path / "staged"
    staged, commands = flash.stage(flash.select_files(fw), out)
    assert len(commands) == 4 and all("-march=xtensawin" in c for c in commands)
    for f in staged:
        if f.target.endswith(".mpy"):
            assert f.local.read_bytes()[:2] == b"M\x06", f.target  # .mpy format version 6
    board_dir = tmp_path / "as_on_board"
    for f in staged:
        (board_dir / f.target).parent.mkdir(parents=True, exist_ok=True)
        (board_dir / f.target).write_bytes(f.local.read_bytes())
    # Only .mpy (no .py) for the modules: the import below proves the compiled files load and run.
    proc = subprocess.run([micropython_path(), "-c", "import main; print(main.RESULT)"], cwd=board_dir,
                          env=mpy_env([board_dir]), capture_output=True, timeout=30)
    assert proc.stdout.strip() == str(2 * 0x6C).encode(), proc.stderr


def test_settings_file_comes_from_the_firmware_config(fw: Path) -> None:
    assert flash.settings_file(fw) == flash.DEFAULT_SETTINGS_FILE
    (fw / "config.py").write_text('SETTINGS_PATH = "prefs.json"\n')
    assert flash.settings_file(fw) == "prefs.json"


def test_a_syntax_error_names_the_file(fw: Path, tmp_path: Path) -> None:
    (fw / "frame.py").write_text("def broken(:\n")
    with pytest.raises(flash.FlashError, match="frame.py"):
        flash.stage(flash.select_files(fw), tmp_path)


def test_unknown_board_lists_the_known_ones(fw: Path) -> None:
    with pytest.raises(flash.InputError, match="xiao_esp32s3"):
        flash.board_profile(fw, "arduino_uno")


def test_mpremote_command_is_one_session_with_explicit_targets() -> None:
    files = [flash.StagedFile(Path("/s/frame.mpy"), "frame.mpy"), flash.StagedFile(Path("/f/main.py"), "main.py"),
             flash.StagedFile(Path("/s/imu/chip.mpy"), "imu/chip.mpy")]
    prelude = flash.prelude_code([f.target for f in files], "xiao_esp32s3")
    cmd = flash.mpremote_command("mpremote", "/dev/ttyACM0", files, prelude)
    assert cmd[:5] == ["mpremote", "connect", "/dev/ttyACM0", "exec", prelude]
    assert cmd[5:] == ["fs", "cp", "/s/frame.mpy", ":frame.mpy", "+", "fs", "cp", "/f/main.py", ":main.py", "+",
                       "fs", "cp", "/s/imu/chip.mpy", ":imu/chip.mpy", "+", "reset"]
    assert "['imu']" in cmd[4] and "'frame.py'" in cmd[4] and "'main.mpy'" in cmd[4]
    assert "s['board'] = 'xiao_esp32s3'" in prelude
    assert flash.mpremote_command("mpremote", "COM5", files, prelude, reset=False)[-1] == ":imu/chip.mpy"


def test_dry_run_prints_the_commands_and_copies_nothing(fw: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["firmware", "install", "--port", "/dev/ttyNONE", "--board", "m5stickc_plus2",
                 "--firmware-dir", str(fw), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "board m5stickc_plus2: 6 files (4 compiled" in out
    assert "mpremote connect /dev/ttyNONE exec" in out and ":main.py + reset" in out
    kept = Path(out.rsplit("compiled files kept in ", 1)[1].split(" (delete")[0])
    try:
        # first the escape that stops a running footfall, then the mpremote session (several lines: the prelude)
        mpremote = out.split("footfall firmware repl --port /dev/ttyNONE\n", 1)[1].split("\ncompiled files", 1)[0]
        argv = shlex.split(mpremote)
        assert argv[0].endswith("mpremote") and argv[1:3] == ["connect", "/dev/ttyNONE"]
        copied = [Path(a) for a in argv if a.endswith((".py", ".mpy")) and not a.startswith(":")]
        assert len(copied) == 6 and all(p.is_file() for p in copied), "the printed commands can be run by hand"
        assert sum(p.is_relative_to(kept) for p in copied) == 4  # the compiled ones, kept where it says
    finally:
        shutil.rmtree(kept)


def test_install_with_a_build_dir_keeps_the_compiled_files_there(fw: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    build = tmp_path / "build"
    assert main(["firmware", "install", "--port", "/dev/ttyNONE", "--firmware-dir", str(fw), "--dry-run",
                 "--build-dir", str(build)]) == 0
    assert f"compiled files kept in {build}" in capsys.readouterr().out
    assert sorted(p.relative_to(build).as_posix() for p in build.rglob("*.mpy")) == [
        "boards.mpy", "frame.mpy", "imu/__init__.mpy", "imu/chip.mpy"]


def test_install_copies_the_firmware_onto_a_pty_board(fw: Path, pty_board, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    (pty_board.root / "frame.py").write_text("STALE = True\n")  # a source twin left by an older install
    (pty_board.root / "notes.txt").write_text("user file\n")
    (pty_board.root / "settings.json").write_text('{"board": "m5stickc_plus2", "side": "L", "cal": [1, 2]}')
    assert main(["firmware", "install", "--port", pty_board.port, "--firmware-dir", str(fw), "--side", "R"]) == 0
    assert "installed on" in capsys.readouterr().out
    on_board = {p.relative_to(pty_board.root).as_posix() for p in pty_board.root.rglob("*") if p.is_file()}
    assert on_board == {"main.py", "boot.py", "frame.mpy", "boards.mpy", "imu/__init__.mpy", "imu/chip.mpy",
                        "settings.json", "notes.txt"}
    assert (pty_board.root / "main.py").read_text() == (fw / "main.py").read_text()
    # the board and side are set, the other board's calibration dropped
    assert json.loads((pty_board.root / "settings.json").read_text()) == {"board": "xiao_esp32s3", "side": "R"}
    assert pty_board.process.wait(10) == 0  # `mpremote reset` ended the board's session, as a hard reset does
    proc = subprocess.run([micropython_path(), "-c", "import main; print(main.RESULT)"], cwd=pty_board.root,
                          env=mpy_env([pty_board.root]), capture_output=True, timeout=30)
    assert proc.stdout.strip() == str(2 * 0x6C).encode(), proc.stderr


def test_install_reports_an_absent_port(fw: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["firmware", "install", "--port", "/dev/footfall-no-such-port", "--firmware-dir", str(fw)]) == 2
    assert "cannot open /dev/footfall-no-such-port" in capsys.readouterr().err  # before mpremote runs


def test_the_real_firmware_compiles_and_every_module_loads_as_mpy(tmp_path: Path) -> None:
    from footfall.virtual.shoe import SHIMS_DIR

    fw = REPO / "firmware"
    if not (fw / "main.py").exists():
        pytest.skip("firmware/main.py not written yet")
    staged, _ = flash.stage(flash.select_files(fw), tmp_path / "out")
    board = tmp_path / "board"
    for f in staged:
        (board / f.target).parent.mkdir(parents=True, exist_ok=True)
        (board / f.target).write_bytes(f.local.read_bytes())
    print(f"{len(staged)} files, {sum(f.local.stat().st_size for f in staged)} bytes on the board")
    assert {f.target for f in staged} >= {"main.py", "boards.mpy", "frame.mpy"}
    assert not any(f.target.endswith(".py") for f in staged if f.target not in flash.SOURCE_ONLY)
    modules = [f.target.rsplit(".", 1)[0].replace("/", ".").removesuffix(".__init__") for f in staged]
    script = "".join(f"import {m}\n" for m in modules) + "print('loaded', len(" + repr(modules) + "))"
    proc = subprocess.run([micropython_path(), "-c", script], cwd=board, env=mpy_env([SHIMS_DIR, board]),
                          capture_output=True, timeout=60)
    assert proc.stdout.strip() == f"loaded {len(modules)}".encode(), proc.stderr.decode()


@pytest.mark.parametrize("before, after", [
    (None, {"board": "xiao_esp32s3"}),
    ('{"board": "m5stickc_plus2", "side": "L", "cal": [1, 2]}', {"board": "xiao_esp32s3", "side": "L"}),
    ('{"board": "xiao_esp32s3", "side": "R", "cal": [0, 0, 1]}',
     {"board": "xiao_esp32s3", "side": "R", "cal": [0, 0, 1]}),  # same board: the calibration stays
    ("not json", {"board": "xiao_esp32s3"}),
])
def test_prelude_sets_the_board_in_the_settings_under_micropython(tmp_path: Path, before: str | None,
                                                                  after: dict[str, object]) -> None:
    if before is not None:
        (tmp_path / "settings.json").write_text(before)
    (tmp_path / "frame.py").write_text("stale\n")
    prelude = flash.prelude_code(["frame.mpy", "imu/chip.mpy", "main.py"], "xiao_esp32s3")
    proc = subprocess.run([micropython_path(), "-c", prelude], cwd=tmp_path, capture_output=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "settings.json").read_text()) == after
    assert (tmp_path / "imu").is_dir() and not (tmp_path / "frame.py").exists()


@pytest.mark.micropython
def test_install_over_a_running_footfall_firmware(fw: Path, footfall_board, capsys: pytest.CaptureFixture[str]) -> None:
    """The board runs footfall, which turns Ctrl-C off and reads every byte itself: mpremote alone gets
    "could not enter raw repl". The install first sends the USB escape; the firmware stops, and the board's
    REPL takes the mpremote session."""
    from footfall.protocol.framing import PacketReader

    with serial.Serial(footfall_board.port, timeout=0.2) as link:  # footfall is up: it answers a status command
        link.write(frame_packet(encode_command(CMD_STATUS, 7)))
        reader, deadline = PacketReader(), time.monotonic() + 10
        while not any(len(f) > 39 and f[39] == 7 for f in reader.feed(link.read(256))):
            assert time.monotonic() < deadline, "the footfall firmware did not answer"
    assert main(["firmware", "install", "--port", footfall_board.port, "--firmware-dir", str(fw), "--side", "R"]) == 0
    out = capsys.readouterr().out
    assert f"stopped the footfall firmware running on {footfall_board.port}" in out and "installed on" in out
    assert (footfall_board.root / "main.py").read_text() == (fw / "main.py").read_text()
    assert json.loads((footfall_board.root / "settings.json").read_text()) == {"board": "xiao_esp32s3", "side": "R"}
    assert footfall_board.process.wait(10) == 0  # `mpremote reset` ended the session


@pytest.mark.micropython
def test_firmware_repl_frees_the_repl_for_mpremote_by_hand(footfall_board, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["firmware", "repl", "--port", footfall_board.port]) == 0
    assert "footfall stopped on" in capsys.readouterr().out
    proc = subprocess.run([flash.tool_path("mpremote"), "connect", footfall_board.port, "exec", "print(6 * 7)"],
                          capture_output=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == b"42", proc


def test_firmware_repl_on_a_board_at_its_repl_says_so(pty_board, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["firmware", "repl", "--port", pty_board.port, "--timeout-s", "0.3"]) == 0
    assert "no footfall firmware answered" in capsys.readouterr().out


def test_installing_the_real_firmware_runs_in_a_plain_process(tmp_path: Path) -> None:
    """`footfall firmware install` of the firmware in this repository, as a user runs it: a process without the
    tests' firmware/ on sys.path (reading config.py's settings path imported it, `from frame import ...`
    failed, and every install ended in a traceback)."""
    import sys

    proc = subprocess.run([sys.executable, "-m", "footfall", "firmware", "install", "--port", "/dev/ttyNONE",
                           "--side", "L", "--dry-run"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-1500:]
    assert "settings.json" in proc.stdout and "fs cp" in proc.stdout and ":main.py" in proc.stdout
    shutil.rmtree(proc.stdout.rsplit("compiled files kept in ", 1)[1].split(" (delete")[0], ignore_errors=True)


@pytest.fixture
def esp32_board(pty_port, tmp_path: Path):
    """A pty board that says what an M5StickC Plus2 running MicroPython's ESP32_GENERIC build says."""
    import os

    root = tmp_path / "board_fs"
    root.mkdir()
    env = dict(os.environ, FOOTFALL_BOARD_MACHINE="M5StickC-Plus2 with ESP32")
    rawrepl = Path(__file__).parent / "pty_device" / "rawrepl.py"
    proc = subprocess.Popen([micropython_path(), str(rawrepl)], stdin=pty_port.master, stdout=pty_port.master,
                            cwd=root, env=env)
    pty_port.close_master()
    yield pty_port.path, root, proc
    if proc.poll() is None:
        proc.kill()
    proc.wait(5)


def test_install_refuses_a_profile_for_another_chip_and_copies_nothing(fw: Path, esp32_board,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """QA17 #3: the XIAO profile (the default) on an original ESP32 puts SCL on a flash pin; the install said
    nothing and the board failed at boot."""
    port, root, _ = esp32_board
    (root / "settings.json").write_text('{"board": "m5stickc_plus2", "side": "L"}')
    assert main(["firmware", "install", "--port", port, "--firmware-dir", str(fw)]) == 2
    err = capsys.readouterr().err
    assert "this board is an ESP32, not an ESP32-S3 as profile xiao_esp32s3 needs; nothing was copied" in err
    assert "use --board m5stickc_plus2" in err
    assert sorted(p.name for p in root.iterdir()) == ["settings.json"]  # checked before the prelude changed anything
    assert json.loads((root / "settings.json").read_text()) == {"board": "m5stickc_plus2", "side": "L"}


def test_install_of_the_right_profile_on_that_chip_goes_ahead(fw: Path, esp32_board) -> None:
    port, root, proc = esp32_board
    assert main(["firmware", "install", "--port", port, "--firmware-dir", str(fw), "--board", "m5stickc_plus2"]) == 0
    assert (root / "main.py").is_file() and json.loads((root / "settings.json").read_text()) == {"board": "m5stickc_plus2"}
    assert proc.wait(10) == 0


@pytest.mark.parametrize("machine,refused", [("Seeed XIAO ESP32S3 with ESP32S3", False),
                                             ("Generic ESP32S3 module with Octal-SPIRAM with ESP32S3", False),
                                             ("Generic ESP32 module with ESP32", True),
                                             ("Raspberry Pi Pico with RP2040", True),
                                             ("linux [GCC 14.2.1] version", False)])  # names no chip: let through
def test_the_chip_check_reads_micropythons_machine_string(tmp_path: Path, machine: str, refused: bool) -> None:
    fake_os = ("import os as _real\nclass _U:\n    machine = %r\nclass _Os:\n    def uname(self):\n        return _U()\n"
               "    def __getattr__(self, n):\n        return getattr(_real, n)\nos = _Os()\n" % machine)
    check = flash.mcu_check_code("ESP32S3")
    proc = subprocess.run([micropython_path(), "-c", fake_os + check], cwd=tmp_path, capture_output=True, timeout=30)
    assert (proc.returncode != 0) == refused, proc.stderr
    if refused:
        assert flash.WRONG_MCU_MARK + machine.rsplit(" with ", 1)[1] in (proc.stdout + proc.stderr).decode()


def test_a_profile_without_a_chip_name_checks_nothing() -> None:
    assert flash.mcu_check_code(None) == "" and "os.uname" not in flash.prelude_code(["main.py"], "x")


def test_wrong_chip_message_for_a_chip_no_profile_uses() -> None:
    boards = {"xiao_esp32s3": {"mcu": "ESP32S3"}, "m5stickc_plus2": {"mcu": "ESP32"}}
    exc = flash.wrong_mcu_error("ESP32C3", "m5stickc_plus2", boards)
    assert str(exc).startswith("this board is an ESP32-C3, not an ESP32 as profile m5stickc_plus2 needs")
    assert "no footfall board profile uses this chip" in (exc.hint or "")


@pytest.mark.parametrize("command", [["firmware", "install", "--firmware-dir", "{fw}"], ["firmware", "check"],
                                     ["firmware", "repl"]])
def test_permission_denied_on_the_port_names_the_dialout_group(fw: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str],
                                                               command: list[str]) -> None:
    """QA17 #9: EACCES (a Linux user not in dialout) was answered with "is the board plugged in?"."""
    def denied(port: str, **_: object) -> None:
        raise serial.SerialException(13, f"could not open port {port}: [Errno 13] Permission denied: '{port}'")

    monkeypatch.setattr(serial, "serial_for_url", denied)
    assert main([a.replace("{fw}", str(fw)) for a in command] + ["--port", "/dev/ttyACM0"]) == 2
    err = capsys.readouterr().err
    assert "Permission denied" in err and "sudo usermod -aG dialout $USER" in err and "plugged in" not in err


def test_other_open_errors_keep_the_cable_hint() -> None:
    assert "plugged in and the port free" in flash.open_port_hint(OSError(2, "No such file or directory"), "board")


@pytest.mark.parametrize("stopped,hint", [(True, "run `footfall firmware repl --port /dev/ttyX` and install again"),
                                          (False, "footfall 0.2 or older cannot be stopped over USB")])
def test_no_raw_repl_after_the_escape_says_how_to_recover(fw: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str], stopped: bool,
                                                          hint: str) -> None:
    """QA17 #2: a board that reset when the port closed was back in footfall, and mpremote said only "could not
    enter raw repl"; the guide now has a way out, and the error points at it."""
    def mpremote_fails(cmd: list[str]) -> subprocess.CompletedProcess[bytes]:
        if "mpremote" not in Path(cmd[0]).name:
            return subprocess.run(cmd, capture_output=True, check=False)  # mpy-cross runs for real
        return subprocess.CompletedProcess(cmd, 1, b"", b"mpremote: could not enter raw repl\n")

    monkeypatch.setattr(flash, "stop_firmware", lambda port, timeout_s=3.0: stopped)
    monkeypatch.setattr(flash, "_run", mpremote_fails)
    assert main(["firmware", "install", "--port", "/dev/ttyX", "--firmware-dir", str(fw)]) == 2
    err = capsys.readouterr().err
    assert "could not enter raw repl" in err and hint in err
