"""Register-level model of the LSM6DSOX / LSM6DSO32 (ST DS12814 / DS12946) for the virtual shoe.

Modelled: WHO_AM_I, INTERNAL_FREQ_FINE (the factory trim, which sets the rate the chip really samples at),
CTRL1_XL/CTRL2_G (ODR, full scale), CTRL3_C (SW_RESET, auto-increment), FIFO_CTRL1..4 (watermark, batch data
rates, bypass/continuous mode), INT1_CTRL (FIFO threshold on INT1), FIFO_STATUS1/2 (level, watermark, overrun,
full), FIFO_DATA_OUT_TAG + 6 data bytes with the sensor tag and TAG_CNT, read in bursts that roll over at 0x7E
back to 0x78. In continuous mode a full FIFO overwrites its oldest word: FIFO_OVR_IA (bit 6) is then high until a
word is read out, FIFO_OVR_LATCHED (bit 3) until FIFO_STATUS2 is read (DS12814, FIFO_STATUS2: "latched FIFO
overrun status ... reset when this register is read"). Data are the source's counts as they are.

The wake-up (motion) interrupt, what the firmware arms before deep sleep: with TAP_CFG2 INTERRUPTS_ENABLE set
the accelerometer runs at its own ODR whatever the FIFO does (bypass mode keeps nothing). Each sample's slope,
(a[n] - a[n-1]) / 2 per axis (ST's slope filter, AN5272; the HPF that TAP_CFG0 SLOPE_FDS selects instead is
modelled by the same slope), is compared with WAKE_UP_THS WK_THS x FS_XL / 2^6 (2^8 with WAKE_UP_DUR
WAKE_THS_W), i.e. WK_THS x 512 (128) counts at any full scale. An axis over it for more than WAKE_DUR samples
sets WAKE_UP_SRC WU_IA and its X/Y/Z_WU bit; with TAP_CFG0 LIR the event is latched until WAKE_UP_SRC is read,
without it the bits follow the current sample. INT1 carries it when MD1_CFG INT1_WU is set. The slope filter
starts from zero, so the first sample after power-up may raise an event (the driver clears it before relying
on INT1).
"""

import math
import struct

try:
    from typing import Any
except ImportError:  # MicroPython: annotations are not evaluated
    pass

try:
    from footfall.virtual.imu_model import ClockedModel, WordFifo, now_ns
except ImportError:  # MicroPython: the virtual shoe puts this folder on MICROPYPATH
    from imu_model import ClockedModel, WordFifo, now_ns  # type: ignore[no-redef]

WHO_AM_I = 0x0F
FIFO_CTRL1 = 0x07
FIFO_CTRL2 = 0x08
FIFO_CTRL3 = 0x09
FIFO_CTRL4 = 0x0A
INT1_CTRL = 0x0D
CTRL1_XL = 0x10
CTRL2_G = 0x11
CTRL3_C = 0x12
FIFO_STATUS1 = 0x3A
FIFO_STATUS2 = 0x3B
FIFO_DATA_OUT_TAG = 0x78
INTERNAL_FREQ_FINE = 0x63
WAKE_UP_SRC = 0x1B
CTRL6_C = 0x15
TAP_CFG0 = 0x56
TAP_CFG2 = 0x58
WAKE_UP_THS = 0x5B
WAKE_UP_DUR = 0x5C
MD1_CFG = 0x5E
INTERRUPTS_ENABLE = 0x80  # TAP_CFG2
LIR = 0x01  # TAP_CFG0: latched interrupts
INT1_WU = 0x20  # MD1_CFG
WU_IA = 0x08  # WAKE_UP_SRC; X_WU 0x04, Y_WU 0x02, Z_WU 0x01
TAG_GYRO = 0x01
TAG_ACC = 0x02
FIFO_WORDS = 512  # ST STEVAL-BCN002V1B user manual 2.3.1.4: 512 words of 7 bytes (firmware/imu/lsm6dsox.py)


def odr_hz(odr: int, freq_fine: int = 0) -> float:
    """The rate a part with trim `freq_fine` (signed, 0.15 % steps) samples at for ODR code `odr` (1..10), as ST's
    AN5272 gives it: 6667 Hz x (1 + 0.0015 x trim) / 2^(10 - odr). The datasheet's 416 Hz is 416.7 Hz typical."""
    return 6667 * (1 + 0.0015 * freq_fine) / 2 ** (10 - odr) if 1 <= odr <= 10 else 0


def true_rate_hz(nominal_hz: float, freq_fine: int = 0) -> float:
    """The rate such a part samples at when set to the datasheet's `nominal_hz` (104, 208, 416, 833, 1666...)."""
    return odr_hz(10 - round(math.log(6667 / nominal_hz, 2)), freq_fine)


class LSM6DSOXModel(ClockedModel):
    def __init__(self, source: Any = None, clock_ns: Any = now_ns, who_am_i: int = 0x6C,
                 capacity_words: int = FIFO_WORDS, freq_fine: int = 0) -> None:
        super().__init__(source, clock_ns)
        self.who_am_i = who_am_i
        self.freq_fine = freq_fine
        self.fifo = WordFifo(capacity_words, 7)
        self.regs = bytearray(128)
        self._ovr = False  # FIFO_OVR_IA: overwriting since the last word read out
        self._ovr_latched = False  # FIFO_OVR_LATCHED: an overwrite since FIFO_STATUS2 was last read
        self._cnt = 0
        self.reset_reads = 0  # how many CTRL3_C reads show SW_RESET still set after a reset (tests set it)
        self._word = bytearray(7)
        self._slope_prev = (0, 0, 0)  # the slope filter's last input
        self._wu_run = 0  # consecutive samples over the wake-up threshold
        self._wu_src = 0  # WAKE_UP_SRC's event bits
        self.reset()
        self.resetting_reads = 0  # after SW_RESET: reads of CTRL3_C that still show it; writes meanwhile are lost

    def reset(self) -> None:
        self.run_at(0)
        for i in range(len(self.regs)):
            self.regs[i] = 0
        self.regs[WHO_AM_I] = self.who_am_i
        self.regs[INTERNAL_FREQ_FINE] = self.freq_fine & 0xFF
        self.regs[CTRL3_C] = 0x04  # IF_INC is on after reset
        self.fifo.clear()
        self._ovr = self._ovr_latched = False
        self._cnt = 0
        self._slope_prev = (0, 0, 0)
        self._wu_run = self._wu_src = 0

    # --- production ----------------------------------------------------------------------------------
    def _fifo_on(self) -> bool:
        return self.regs[FIFO_CTRL4] & 0x07 == 6 and self.regs[FIFO_CTRL3] & 0x0F != 0

    def _rate(self) -> float:
        """Samples are made while the FIFO takes them or the wake-up function watches them."""
        odr = self.regs[CTRL1_XL] >> 4
        if odr == 0 or not (self._fifo_on() or self.regs[TAP_CFG2] & INTERRUPTS_ENABLE):
            return 0
        return odr_hz(odr, self.freq_fine)

    def _retime(self) -> None:
        self.run_at(self._rate())

    def produce(self, sample: bytes) -> None:
        if self.regs[TAP_CFG2] & INTERRUPTS_ENABLE:
            self._wake_up(sample)
        if self._fifo_on():
            self._batch(sample)

    def _batch(self, sample: bytes) -> None:
        self._cnt = (self._cnt + 1) & 3
        lost = self._push(TAG_GYRO, sample[6:12])
        lost = self._push(TAG_ACC, sample[0:6]) or lost
        if lost:
            self.lost += 1
            self._ovr = self._ovr_latched = True

    def _push(self, tag: int, data: bytes) -> bool:
        self._word[0] = (tag << 3) | (self._cnt << 1)
        self._word[1:7] = data
        return self.fifo.push(self._word, True)

    def _wake_up(self, sample: bytes) -> None:
        """The wake-up function on one accelerometer sample (the module docstring has the rules)."""
        acc = struct.unpack("<hhh", sample[0:6])
        ths = (self.regs[WAKE_UP_THS] & 0x3F) * (128 if self.regs[WAKE_UP_DUR] & 0x10 else 512)
        axes = 0
        for k in range(3):
            if abs(acc[k] - self._slope_prev[k]) // 2 > ths:
                axes |= 0x04 >> k  # X_WU, Y_WU, Z_WU
        self._slope_prev = acc
        self._wu_run = self._wu_run + 1 if axes else 0
        event = WU_IA | axes if self._wu_run > (self.regs[WAKE_UP_DUR] >> 5) & 0x03 else 0
        self._wu_src = (self._wu_src | event) if self.regs[TAP_CFG0] & LIR else event

    def wake_up_int(self) -> bool:
        """The wake-up event routed to INT1 and the basic interrupts enabled."""
        routed = self.regs[MD1_CFG] & INT1_WU and self.regs[TAP_CFG2] & INTERRUPTS_ENABLE
        return bool(routed and self._wu_src & WU_IA)

    # --- register access -------------------------------------------------------------------------------
    def watermark_words(self) -> int:
        return self.regs[FIFO_CTRL1] | ((self.regs[FIFO_CTRL2] & 0x01) << 8)

    def int1(self) -> bool:
        """Level of the INT1 pin: the FIFO threshold or the wake-up event, whichever is routed to it."""
        self.catch_up()
        wtm = self.watermark_words()
        return bool(self.regs[INT1_CTRL] & 0x08) and wtm > 0 and self.fifo.count >= wtm or self.wake_up_int()

    def read_into(self, reg: int, buf: Any) -> Any:
        self.catch_up()
        if reg == FIFO_DATA_OUT_TAG:  # a burst pops whole words (the address rolls over 0x7E -> 0x78)
            words = len(buf) // 7
            if words and self.fifo.count:
                self._ovr = False  # no longer completely filled
            for k in range(words):
                self.fifo.pop_into(buf, 7 * k)
            for i in range(7 * words, len(buf)):
                buf[i] = 0
            return buf
        for i in range(len(buf)):
            buf[i] = self._read_reg(reg + i)
        return buf

    def _read_reg(self, reg: int) -> int:
        if reg == FIFO_STATUS1:
            return self.fifo.count & 0xFF
        if reg == FIFO_STATUS2:
            count = self.fifo.count
            wtm = self.watermark_words()
            value = (count >> 8) & 0x03
            value |= 0x80 if wtm and count >= wtm else 0
            value |= 0x40 if self._ovr else 0
            value |= 0x20 if count >= self.fifo.capacity else 0
            value |= 0x08 if self._ovr_latched else 0
            self._ovr_latched = False
            return value
        if reg == WAKE_UP_SRC:
            value = self._wu_src
            if self.regs[TAP_CFG0] & LIR:
                self._wu_src = 0  # a latched event is cleared by reading its source register
            return value
        if reg == CTRL3_C and self.resetting_reads > 0:
            self.resetting_reads -= 1
            return self.regs[CTRL3_C] | 0x01
        return self.regs[reg] if reg < len(self.regs) else 0

    def _write_reg(self, reg: int, value: int) -> None:
        if reg == CTRL3_C and value & 0x01:
            self.reset()
            self.resetting_reads = self.reset_reads  # a real reset takes a moment: the bit clears itself
            return
        if self.resetting_reads > 0:
            return  # the chip is still resetting
        if reg == WHO_AM_I or reg >= len(self.regs) or reg in (FIFO_STATUS1, FIFO_STATUS2, WAKE_UP_SRC):
            return
        self.regs[reg] = value
        if reg == FIFO_CTRL4 and value & 0x07 == 0:
            self.fifo.clear()  # bypass mode empties the FIFO
            self._ovr = False
        if reg in (CTRL1_XL, FIFO_CTRL3, FIFO_CTRL4, TAP_CFG2):
            self._retime()
