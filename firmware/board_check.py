# On-board check for a real board (the virtual shoe cannot measure these): run with
#   footfall firmware repl --port PORT        (a running footfall firmware holds the REPL: this frees it)
#   mpremote run firmware/board_check.py      (after copying firmware/ to the board)
# It finds the IMU (at the profile's address, else at the alternate one: it says which answered, or that a chip
# answers as another chip), checks WHO_AM_I through the driver, samples 2 s from the FIFO and reports the achieved
# rate, any overrun, the still-held gravity magnitude and the battery voltage; on a board without an interrupt
# line (the M5StickC Plus2), how long a garbage collection takes against the FIFO's room (firmware/README.md).
# The board is the one in the board's settings.json (`footfall firmware install --board` writes it; the XIAO
# when there is none), sampled at its IMU's default rate (416 Hz on the ST chips, 500 Hz on the MPU6886).
# Touches nothing at import beyond this board's pins when run.

import gc
import os
import struct
import time

from machine import ADC, I2C, Pin

import config
from boards import BOARDS, DEFAULT_BOARD
from imu import alternate_addr, find_imu
from imu.regs import is_wrong_chip
from ring import Ring


def stored_board():
    """The board named in settings.json, as main.build reads it; the default board when none (or an unknown one)."""
    name = config.read_file().get("board", DEFAULT_BOARD)
    return name if name in BOARDS else DEFAULT_BOARD


def found_imu(board, i2c):
    """The profile's IMU at its address or the alternate one, saying where it answered; None (and why) when
    it does not answer as itself at either."""
    addr = board["imu_addr"]
    imu, code = find_imu(board["imu"], i2c, addr)
    if not code:
        where = "" if imu.addr == addr else " (not at 0x%02X, the profile's address: its SA0/AD0 pin is high)" % addr
        print("IMU %s answers at 0x%02X%s" % (imu.name, imu.addr, where))
        return imu
    if is_wrong_chip(code):
        print("a chip answers at 0x%02X but says WHO_AM_I 0x%02X: not an %s (wrong chip, or wrong --board)"
              % ((code >> 16) & 0xFF, (code >> 8) & 0xFF, imu.name))
    else:
        print("no %s answers at 0x%02X or 0x%02X (errno %d): check the wiring and the power to the chip"
              % (imu.name, addr, alternate_addr(addr), code))
    return None


def check(board_name=None, rate_hz=None, seconds=2):
    """`board_name` None: the stored one; `rate_hz` None: the IMU's default rate."""
    try:
        os.remove(config.REPL_ONCE_PATH)  # the escape's flag did its job (we are at the REPL): a reset starts footfall
    except OSError:
        pass
    board_name = board_name or stored_board()
    board = BOARDS[board_name]  # type: dict
    print("board", board_name, "IMU", board["imu"])
    if board["hold"] is not None:
        Pin(board["hold"], Pin.OUT, value=1)
    i2c = I2C(int(board["i2c_id"]), scl=Pin(board["scl"]), sda=Pin(board["sda"]), freq=int(board["i2c_freq"]))
    print("I2C scan:", [hex(a) for a in i2c.scan()])
    imu = found_imu(board, i2c)
    if imu is None:
        return
    imu.time_clock(time.ticks_us, time.ticks_diff, time.sleep_ms)  # as main.build does (the MPU6886: 2 s)
    rate_hz = rate_hz or imu.DEFAULT_RATE_HZ
    imu.configure(rate_hz, imu.DEFAULT_ACC_RANGE_G, 2000)
    buf = bytearray(imu.max_batch * 12)
    imu.start(config.WATERMARK_SAMPLES)
    t0 = time.ticks_ms()
    total = 0
    overruns = 0
    acc = [0, 0, 0]
    while time.ticks_diff(time.ticks_ms(), t0) < seconds * 1000:
        n, ovr = imu.drain(buf)
        overruns += ovr
        for i in range(n):
            ax, ay, az = struct.unpack_from("<hhh", buf, 12 * i)
            acc[0] += ax
            acc[1] += ay
            acc[2] += az
        total += n
        time.sleep_ms(20)
    imu.stop()
    imu.reset_fifo()
    g = [a / max(1, total) * imu.acc_mps2_per_count / 9.80665 for a in acc]
    said = "%.3f Hz" % (imu.rate_mhz / 1000) if imu.rate_mhz else "nothing"
    print("rate %.1f Hz over %d s (set %d, the firmware's own figure %s), overruns %d"
          % (total / seconds, seconds, rate_hz, said, overruns))
    print("mean acc (g) %.3f %.3f %.3f, |g| %.3f" % (g[0], g[1], g[2], (g[0] ** 2 + g[1] ** 2 + g[2] ** 2) ** 0.5))
    adc = ADC(Pin(board["vbat_adc"]), atten=ADC.ATTN_11DB)
    print("battery %d mV" % (adc.read_uv() * board["vbat_divider"] // 1000))
    if board["int1"] is None:
        gc_pause(imu)


def gc_pause(imu):
    """A board without an interrupt line drains every third of its FIFO: a garbage collection longer than the
    other two thirds overflows it. Time one with the firmware's ring buffer allocated, against that margin."""
    try:
        ring = Ring(config.RING_FRAMES)
    except MemoryError:
        ring = Ring(config.RING_FRAMES_SMALL)
    t = time.ticks_us()
    gc.collect()
    pause_ms = time.ticks_diff(time.ticks_us(), t) / 1000
    margins = ", ".join("%d ms at %d Hz" % (imu.FIFO_SAMPLES * 2000 // (3 * r), r) for r in imu.RATES_HZ[-2:])
    print("garbage collection %.1f ms with a ring of %d frames (room: %s)" % (pause_ms, ring.nslots, margins))


if __name__ == "__main__":
    check()
