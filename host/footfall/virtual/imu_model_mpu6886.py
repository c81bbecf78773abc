"""Register-level model of the MPU6886 (TDK DS-000193) for the virtual shoe.

Modelled: WHO_AM_I (0x19), PWR_MGMT_1 (reset, sleep), SMPLRT_DIV + CONFIG (1 kHz / (1 + div) with the DLPF
on, FIFO_MODE), ACCEL/GYRO_CONFIG, FIFO_EN (accel + gyro -> 14-byte packets with temperature, big endian),
USER_CTRL (FIFO enable / reset), INT_STATUS (FIFO_OFLOW_INT, cleared on read), FIFO_COUNTH/L, FIFO_R_W.
FIFO_MODE=1 refuses new packets when full (the newest are lost); FIFO_MODE=0 drops the oldest packet.
"""

try:
    from typing import Any
except ImportError:  # MicroPython: annotations are not evaluated
    pass

try:
    from footfall.virtual.imu_model import ClockedModel, WordFifo, now_ns
except ImportError:  # MicroPython
    from imu_model import ClockedModel, WordFifo, now_ns  # type: ignore[no-redef]

SMPLRT_DIV = 0x19
CONFIG = 0x1A
INT_STATUS = 0x3A
FIFO_EN = 0x23
USER_CTRL = 0x6A
PWR_MGMT_1 = 0x6B
FIFO_COUNTH = 0x72
FIFO_COUNTL = 0x73
FIFO_R_W = 0x74
WHO_AM_I = 0x75
PACKET = 14
FIFO_BYTES = 1024
_TEMP_25C = b"\x00\x00"


class MPU6886Model(ClockedModel):
    def __init__(self, source: Any = None, clock_ns: Any = now_ns, who_am_i: int = 0x19,
                 clock_error_frac: float = 0.0) -> None:
        super().__init__(source, clock_ns)
        self.who_am_i = who_am_i
        self.clock_error_frac = clock_error_frac  # the internal 1 kHz clock is this fraction off (no register says)
        self.fifo = WordFifo(FIFO_BYTES // PACKET, PACKET)
        self.regs = bytearray(128)
        self._oflow = False
        self._packet = bytearray(PACKET)
        self.reset()

    def reset(self) -> None:
        self.run_at(0)
        for i in range(len(self.regs)):
            self.regs[i] = 0
        self.regs[WHO_AM_I] = self.who_am_i
        self.regs[PWR_MGMT_1] = 0x40  # asleep after reset
        self.fifo.clear()
        self._oflow = False

    def _rate(self) -> float:
        awake = not self.regs[PWR_MGMT_1] & 0x40
        enabled = self.regs[USER_CTRL] & 0x40 and self.regs[FIFO_EN] & 0x18 == 0x18
        if not (awake and enabled):
            return 0
        return 1000 * (1 + self.clock_error_frac) / (1 + self.regs[SMPLRT_DIV])

    def produce(self, sample: bytes) -> None:
        p = self._packet
        for k in range(3):  # little-endian source -> big-endian registers
            p[2 * k] = sample[2 * k + 1]
            p[2 * k + 1] = sample[2 * k]
            p[8 + 2 * k] = sample[6 + 2 * k + 1]
            p[8 + 2 * k + 1] = sample[6 + 2 * k]
        p[6:8] = _TEMP_25C
        if self.fifo.push(p, not self.regs[CONFIG] & 0x40):
            self.lost += 1
            self._oflow = True

    def int1(self) -> bool:
        return False  # not wired on the M5StickC Plus2: the firmware drains on a timer

    def read_into(self, reg: int, buf: Any) -> Any:
        self.catch_up()
        if reg == FIFO_R_W:
            whole = len(buf) // PACKET
            for k in range(whole):
                self.fifo.pop_into(buf, k * PACKET)
            for i in range(whole * PACKET, len(buf)):
                buf[i] = 0
            return buf
        for i in range(len(buf)):
            buf[i] = self._read_reg(reg + i)
        return buf

    def _read_reg(self, reg: int) -> int:
        count = self.fifo.count * PACKET
        if reg == FIFO_COUNTH:
            return (count >> 8) & 0x1F
        if reg == FIFO_COUNTL:
            return count & 0xFF
        if reg == INT_STATUS:
            value = 0x10 if self._oflow else 0
            self._oflow = False
            return value
        return self.regs[reg] if reg < len(self.regs) else 0

    def _write_reg(self, reg: int, value: int) -> None:
        if reg == PWR_MGMT_1 and value & 0x80:
            self.reset()
            return
        if reg in (WHO_AM_I, FIFO_COUNTH, FIFO_COUNTL, FIFO_R_W, INT_STATUS) or reg >= len(self.regs):
            return
        if reg == USER_CTRL and value & 0x04:
            self.fifo.clear()
            value &= ~0x04
        self.regs[reg] = value
        self.run_at(self._rate())
