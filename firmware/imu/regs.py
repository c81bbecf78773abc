# What every register-mapped IMU driver shares: the bus it was given, one-byte register access with a
# buffer allocated once, and the WHO_AM_I check (OSError ENODEV when the chip does not answer as expected).


class RegisterDevice:
    def __init__(self, i2c, addr):
        self._i2c = i2c
        self._addr = addr
        self._b1 = bytearray(1)

    def _read(self, reg):
        self._i2c.readfrom_mem_into(self._addr, reg, self._b1)
        return self._b1[0]

    def _write(self, reg, value):
        self._b1[0] = value
        self._i2c.writeto_mem(self._addr, reg, self._b1)

    def _expect(self, reg, value, name, check=True):
        """Name the chip's WHO_AM_I; `check`: ask it now (else the first probe() will)."""
        self._who = (reg, value, name)
        if check:
            self.probe()

    def probe(self):
        """Check the chip still answers as itself (OSError when it does not): the sampler's retry after a fault."""
        reg, value, name = self._who
        if self._read(reg) != value:
            raise OSError(19, name + " not found")  # ENODEV
