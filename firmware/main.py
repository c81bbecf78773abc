# Entry point: build the objects for the board and start the tasks. Nothing here runs at import time
# beyond definitions; `main()` is called by the last line only when this file is run as the program.

import asyncio
import os
import sys
import time

import machine
import micropython
from machine import ADC, I2C, Pin

import config
from boards import BOARDS, DEFAULT_BOARD
from control import Control
from device import Device
from imu import find_imu
from power import Battery, Led, PowerOff, flat_off_for, switch_off_for, watch
from ring import Ring
from sampler import new_flag
from usb import REPL_ACK, LeaveForRepl, UsbLink

# An exception no task handles (a MemoryError from a fragmented heap after hours, an OSError from a radio call)
# ends every task: no data, no advertising change, no power-off, and no watchdog to reset the board (machine.WDT
# cannot be stopped, and the REPL escape and mpremote's soft resets need a board that stays up). A crash this long
# after boot resets the board, which comes back advertising; one sooner (a fault at every boot) stays at the REPL,
# where `footfall firmware install` can still reach it, instead of a reset loop.
_RESET_AFTER_CRASH_MS = 60_000
_FLAT_WINDOW_MS = 10_000  # between the readings after a flat one at a power-on: the battery watch's period


def load_settings(imu, stored):
    board = stored.get("board", DEFAULT_BOARD)
    base = config.Settings(board, imu.DEFAULT_RATE_HZ, imu.DEFAULT_ACC_RANGE_G, 2000)
    return config.merged(base, stored, imu, BOARDS)


def make_ring():
    try:
        return Ring(config.RING_FRAMES)
    except MemoryError:  # no PSRAM
        return Ring(config.RING_FRAMES_SMALL)


def make_ble(device, control, board_name):
    try:
        from ble import BleLink

        link = BleLink(device, control, new_flag(), model=board_name)
        link.start()
    except (ImportError, OSError):  # no `bluetooth` module, or no radio (unix port without the virtual one)
        return None
    device.listeners.append(link)
    return link


def board_of(name):
    """The profile of board `name`, the default board's for a name not in BOARDS."""
    return BOARDS.get(name) or BOARDS[DEFAULT_BOARD]


def build(radio=True):
    """The firmware's parts on this board; `radio` False: no BLE yet (add_radio), as main() starts on a flat
    reading."""
    stored = config.read_file()
    board_name = stored.get("board", DEFAULT_BOARD)
    board = board_of(board_name)  # type: dict
    if board["hold"] is not None:
        Pin(board["hold"], Pin.OUT, value=1)  # keep the board powered
    i2c = I2C(int(board["i2c_id"]), scl=Pin(board["scl"]), sda=Pin(board["sda"]), freq=int(board["i2c_freq"]))
    imu, imu_errno = find_imu(board["imu"], i2c, board["imu_addr"])  # not answering: come up, probe for it
    if not imu_errno:
        imu.time_clock(time.ticks_us, time.ticks_diff, time.sleep_ms)  # the MPU6886 has no trim to read: 2 s
    settings = load_settings(imu, stored)
    battery = Battery(ADC(Pin(board["vbat_adc"]), atten=ADC.ATTN_11DB), board["vbat_divider"])
    battery.update()
    device = Device(settings, imu, make_ring(), boards=BOARDS, battery=battery, imu_errno=imu_errno)
    led = Led(Pin(board["led"], Pin.OUT), board["led_active_low"])
    control = Control(device, identify=led.identify)
    if board["int1"] is not None:
        Pin(board["int1"], Pin.IN).irq(device.sampler.irq, Pin.IRQ_RISING)
    else:
        device.sampler.polled = True  # drains on a timer: a third of the FIFO at a time (Sampler.timeout_ms)
    usb = UsbLink(device, control, sys.stdin.buffer, sys.stdout.buffer)
    control.replies[config.LINK_USB] = usb.reply  # answers reach the link the command came in on
    return device, add_radio(device, control) if radio else None, usb


def add_radio(device, control):
    ble = make_ble(device, control, device.settings.board)
    if ble is None and device.settings.link == config.LINK_BLE:
        device.settings.link = config.LINK_USB  # no radio: USB is the only way out (not persisted)
    return ble


def held_at_boot(board):
    """A board's `boot_button` held at power-up: stay in the REPL. Neither board defines one (the XIAO's B
    button is GPIO0, a strapping pin: held at power-up it enters the ROM bootloader); the way back to the
    REPL is the USB escape (usb.REPL_ESCAPE, sent by `footfall firmware install` and `footfall firmware repl`)."""
    pin = board.get("boot_button")
    return pin is not None and Pin(pin, Pin.IN, Pin.PULL_UP).value() == 0


_running = []  # type: list  # the (device, ble) main() built: an early crash leaves them quiet at the REPL (run)


async def main():
    device, ble, usb = build(radio=False)
    _running[:] = [(device, None)]
    flat_off = flat_off_for(board_of(device.settings.board))
    woken = machine.reset_cause() == getattr(machine, "DEEPSLEEP_RESET", -1)  # by a move, or the flat cell's timer
    micropython.kbd_intr(-1)  # binary commands on USB may contain 0x03
    if device.battery.flat(1):
        try:
            if woken or await stays_flat(device, usb):
                flat_off()
        except LeaveForRepl:
            leave_for_repl(device, None, usb)
            return
    ble = add_radio(device, usb.control)
    _running[:] = [(device, ble)]
    tasks = [device.sampler.run(), device.pump(usb), usb.receive(), status_task(device)]
    if ble is not None:
        tasks += [ble.run(), device.pump(ble), ble.notify_rsc(), ble.slow_down()]
    power_off = PowerOff(device, switch_off_for(board_of(device.settings.board), device.imu), woken=woken)
    tasks.append(watch(device, device.battery, lambda: ble is not None and bool(ble.conns), power_off,
                       flat_off=flat_off))
    device.status()
    try:
        await asyncio.gather(*tasks)
    except LeaveForRepl:
        leave_for_repl(device, ble, usb)


async def stays_flat(device, usb):
    """A flat reading after a power-on or reset: the XIAO's hourly look (woken by its timer) needs no more, but a
    brownout's reboot or a board on USB whose BAT pad reads low does. Two more readings _FLAT_WINDOW_MS apart with the
    radio and the IMU off (a brownout loop needs their current), USB listening (`footfall firmware install`'s
    escape raises LeaveForRepl): True when all three read flat."""
    for _ in range(2):
        try:
            await asyncio.wait_for_ms(usb.receive(), _FLAT_WINDOW_MS)
        except asyncio.TimeoutError:
            pass
        device.battery.update()
    return device.battery.flat()


def leave_for_repl(device, ble, usb):
    """Stop sampling and the radio, let Ctrl-C interrupt again and say so on USB; main() then returns and
    the board shows its REPL. The flag file keeps it there through one reset (stay_at_repl): the host closing the
    port may reset the board before mpremote opens it."""
    try:
        with open(config.REPL_ONCE_PATH, "w") as f:
            f.write("1")
    except OSError:
        pass  # a full or read-only filesystem: the REPL still comes, only a reset loses it
    micropython.kbd_intr(3)
    quiet(device, ble)
    usb.say(b"\r\n" + REPL_ACK + b"\r\n")


def quiet(device, ble):
    """Stop sampling and the radio before the REPL (the USB escape, or an early crash: run)."""
    try:
        device.stop()
        if ble is not None:
            import bluetooth

            bluetooth.BLE().active(False)
    except Exception:  # an OSError, or a crash's own MemoryError: the REPL matters more
        pass


async def status_task(device):
    while True:
        await asyncio.sleep_ms(config.STATUS_PERIOD_MS)
        if device.streaming:
            device.status()


def stay_at_repl():
    """The USB escape's flag at boot: delete it (one reset only, so the firmware starts at the next) and stay
    at the REPL."""
    try:
        os.remove(config.REPL_ONCE_PATH)
    except OSError:
        return False
    return True


def run(entry=main, reset=machine.reset, ticks_ms=time.ticks_ms):
    """Run the firmware; after a crash (_RESET_AFTER_CRASH_MS above) say why on USB and reset, or, soon after boot,
    stay at the REPL. Returns True when it crashed."""
    started_ms = ticks_ms()
    try:
        asyncio.run(entry())
    except Exception as exc:  # whatever it is, the board must not stay mute
        micropython.kbd_intr(3)
        print("footfall crashed:")
        sys.print_exception(exc)
        if time.ticks_diff(ticks_ms(), started_ms) >= _RESET_AFTER_CRASH_MS:
            reset()
        for device, ble in _running:  # at the REPL: no sampling or advertising left on (the IMU, the radio)
            quiet(device, ble)
        return True
    finally:
        asyncio.new_event_loop()  # main() returned (REPL escape) or crashed: drop the firmware's other tasks
    return False


if __name__ == "__main__":
    if not stay_at_repl() and not held_at_boot(board_of(config.read_file().get("board", DEFAULT_BOARD))):
        run()
