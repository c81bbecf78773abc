# A MicroPython board's raw REPL, run by the MicroPython unix port with a pty as its console.
# mpremote talks to a board through this protocol (ctrl-A raw mode, ctrl-D soft reset/execute, raw-paste
# windows); the unix port's own REPL lacks it, so this script speaks it and executes what arrives with the
# real MicroPython `exec`, in the current directory as the board's filesystem. machine.reset() (the
# last step of `mpremote reset`) ends the script, as a reset ends a session on a board.
#
# With a path argument the device first runs that file as `__main__`, as a board runs main.py at power-up,
# and speaks the REPL only once it returns: `rawrepl.py firmware/main.py` is a board running footfall.
# Its console may be non-blocking (the firmware's USB link wants that), so reads wait with poll.
import os as _os
import select
import sys

_IN = sys.stdin.buffer
_OUT = sys.stdout.buffer
_WINDOW = 128
_BANNER = b"raw REPL; CTRL-B to exit\r\n"


def out(data):
    data = memoryview(data)
    while data:
        try:
            n = _OUT.write(data)
        except OSError:  # EAGAIN: the host has not read yet
            n = 0
        data = data[n or 0 :]
        if data:
            _wait(select.POLLOUT)
    try:
        _OUT.flush()
    except (AttributeError, OSError):
        pass


def _wait(event):
    poll = select.poll()
    poll.register(_IN if event == select.POLLIN else _OUT, event)
    poll.poll()


def read1():
    while True:
        ch = _IN.read(1)
        if ch:
            return ch
        if ch is not None:  # b"": the host closed the port for good
            raise SystemExit
        _wait(select.POLLIN)  # None: nothing yet on a non-blocking console


class _Reset(Exception):
    pass


class _Machine:
    def reset(self):
        raise _Reset


class _Uname:
    def __init__(self, machine):
        self.machine = machine


class _BoardOs:
    """`os` as an ESP32 board has it: os.uname().machine names the board and chip (FOOTFALL_BOARD_MACHINE,
    e.g. "M5StickC-Plus2 with ESP32"); the unix port has no os.uname."""

    def __init__(self, machine):
        self._uname = _Uname(machine)

    def uname(self):
        return self._uname

    def __getattr__(self, name):
        return getattr(_os, name)


def fresh_globals():
    sys.modules["machine"] = _Machine()
    board_machine = _os.getenv("FOOTFALL_BOARD_MACHINE")
    if board_machine:
        sys.modules["os"] = _BoardOs(board_machine)
    return {"__name__": "__main__"}


def run(code, g):
    """Execute one block as the raw REPL does: stdout, 0x04, error text, 0x04."""
    err = None
    try:
        exec(code, g)
    except _Reset:
        out(b"\x04\x04")
        raise SystemExit
    except BaseException as e:  # the board reports every error to the host, so must this
        err = e
    out(b"\x04")
    if err is not None:
        sys.print_exception(err, sys.stdout)
    out(b"\x04")


def raw_paste():
    out(b"R\x01" + bytes([_WINDOW & 0xFF, _WINDOW >> 8]) + b"\x01")
    buf = bytearray()
    left = _WINDOW
    while True:
        ch = read1()
        if ch == b"\x04":
            out(b"\x04")
            return bytes(buf)
        buf += ch
        left -= 1
        if left == 0:
            left = _WINDOW
            out(b"\x01")


def main():
    g = fresh_globals()
    raw = False
    buf = bytearray()
    while True:
        ch = read1()
        if ch == b"\x01":
            raw = True
            buf = bytearray()
            out(b"\r\n" + _BANNER + b">")
        elif ch == b"\x02":
            raw = False
            out(b"\r\nMicroPython (pty device)\r\n>>> ")
        elif ch == b"\x03":
            buf = bytearray()
        elif not raw:
            continue
        elif ch == b"\x05":
            if read1() == b"A" and read1() == b"\x01":
                run(raw_paste(), g)
                out(b">")
        elif ch == b"\x04":
            if not buf:
                g = fresh_globals()
                out(b"OK\r\nMPY: soft reboot\r\n" + _BANNER + b">")
            else:
                out(b"OK")
                run(bytes(buf), g)
                buf = bytearray()
                out(b">")
        else:
            buf += ch


def boot(argv):
    if len(argv) > 1:
        with open(argv[1]) as f:
            code = f.read()
        exec(code, {"__name__": "__main__"})


boot(sys.argv)
main()
