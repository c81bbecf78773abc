"""`footfall firmware install|check|repl`: put the firmware on a board over USB, then ask it how it is.

install: compiles firmware/ with mpy-cross, stops a footfall firmware already running (the USB escape,
footfall.flash.stop_firmware) and copies the files plus the board profile with mpremote (see
footfall.flash). check: sends a framed `status` command on the USB serial port and prints the status frame
that answers (docs/protocol.md: COBS + CRC-16 framing, status frame type 0x02); the firmware answers a
command on the link it came in on, so this works whichever link carries the data, and changes nothing.
repl: only the USB escape, to use mpremote by hand.
"""

from __future__ import annotations

import argparse
import shlex
import tempfile
import time
from pathlib import Path
from typing import Any

from footfall.errors import FootfallError, SourceError
from footfall.cli.common import rate_text, seconds

STATUS_CMD_ID = 0xC5  # any 1..255; the answer echoes it, which tells our answer from periodic status frames
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
                                       "for mpremote (a reset starts the firmware again)")
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
        flash.execute(plan)
    except FootfallError as exc:
        if not stopped and not exc.hint:
            exc.hint = OLD_FIRMWARE_HINT
        raise
    print(f"installed on {args.port}; next: footfall firmware check --port {args.port}")
    return 0


def _print_commands(plan: Any, work: Path) -> None:
    """What --dry-run shows: commands that can be run by hand, since the compiled files stay in `work`."""
    for cmd in plan.compile_commands:
        print("  " + shlex.join(cmd))
    print(shlex.join(["footfall", "firmware", "repl", "--port", plan.port]))
    print(shlex.join(plan.mpremote_command))
    print(f"compiled files kept in {work} (delete it when done)")


def _repl(args: argparse.Namespace) -> int:
    from footfall import flash

    if flash.stop_firmware(args.port, args.timeout_s):
        print(f"footfall stopped on {args.port}: its MicroPython REPL is free (mpremote connect {args.port} repl); "
              "a reset starts footfall again")
    else:
        print(f"no footfall firmware answered on {args.port} within {args.timeout_s:g} s: the board is probably "
              "at its REPL already (footfall older than 0.3 cannot be stopped over USB)")
    return 0


def _check(args: argparse.Namespace) -> int:
    status = read_status(args.port, args.timeout_s)
    for line in describe_status(status):
        print(line)
    return 0


def read_status(port: str, timeout_s: float) -> Any:
    """Ask for a status frame on `port` and return the first one that arrives (ours or a periodic one)."""
    import serial

    from footfall.protocol import decode as protocol, framing

    try:
        link = serial.serial_for_url(port, baudrate=115200, timeout=0.1)
    except (serial.SerialException, OSError) as exc:
        raise SourceError(f"cannot open {port}: {exc}", hint="is the sensor plugged in and the port free?") from exc
    with link:
        link.write(framing.frame_packet(protocol.encode_command(protocol.CMD_STATUS, STATUS_CMD_ID)))
        return _wait_for_status(link, timeout_s, port)


def _wait_for_status(link: Any, timeout_s: float, port: str) -> Any:
    """The status frame answering our command; else, at the deadline, the last one the sensor sent by itself."""
    from footfall.protocol import decode as protocol, framing

    reader = framing.PacketReader()
    latest = None
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in reader.feed(link.read(256)):
            if len(frame) > 1 and frame[1] == protocol.TYPE_STATUS:
                latest = protocol.StatusFrame.from_bytes(frame)
                if latest.cmd_id == STATUS_CMD_ID:
                    return latest
    if latest is None:
        raise SourceError(f"no status frame from {port} within {timeout_s:g} s",
                          hint="is the footfall firmware installed and running? (footfall firmware install; "
                               "0.2 and older answer over USB only while USB carries the data)")
    print(f"note: the sensor sent status frames but did not answer the status command within {timeout_s:g} s")
    return latest


def _imu_text(code: int) -> str:
    """The IMU model; 0 is a virtual shoe, or a board whose IMU stopped answering (event imu_error)."""
    from footfall.protocol import decode as protocol

    if code == protocol.IMU_VIRTUAL:
        return "virtual, or on a board: the IMU is not answering on I2C (event imu_error; check the wiring)"
    return protocol.IMU_NAMES.get(code, f"code {code}")


def describe_status(status: Any) -> list[str]:
    """Human-readable lines, with units, for a StatusFrame."""
    from footfall.protocol import decode as protocol

    states = [name for bit, name in ((protocol.STATE_STREAMING, "streaming"), (protocol.STATE_IDLE, "idle"),
                                     (protocol.STATE_CALIBRATED, "calibrated"))
              if status.state & bit]
    link = "USB serial" if status.state & protocol.STATE_USB else "BLE"
    battery = "unknown" if status.battery_pct == 255 else f"{status.battery_pct} % ({status.battery_mv} mV)"
    return [
        f"imu          {_imu_text(status.imu)}",
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
