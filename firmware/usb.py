# USB serial link: the same frames as BLE, each sent as COBS(frame || crc16) || 0x00 (docs/protocol.md),
# and commands received the same way. On the board the streams are sys.stdin/sys.stdout of the USB CDC
# REPL port (micropython.kbd_intr(-1) keeps 0x03 bytes from interrupting); on the unix port stdin/stdout,
# which the virtual shoe connects to a pty.

import asyncio

import config
import frame
from device import BUSY, SENT

_MAX_PACKET = 300  # longer than any command: garbage, skipped up to the next 0x00


class UsbLink:
    LINK = config.LINK_USB

    def __init__(self, device, control, stream_in, stream_out):
        self._device = device
        self._control = control
        self._in = stream_in
        self._out = stream_out
        self._packet = None  # memoryview of the packet being written, None when idle
        self._sent = 0
        self._rx = bytearray()
        self.bad_packets = 0

    def ready(self):
        return True  # a pty or CDC port buffers what the host has not read yet

    def try_send(self, data):
        """Write (the rest of) one framed packet; BUSY when the port took only part of it."""
        if self._packet is None:
            self._packet = memoryview(frame.serial_packet(data))
            self._sent = 0
        try:
            n = self._out.write(self._packet[self._sent :])
        except OSError:  # EAGAIN on a non-blocking port
            n = 0
        self._sent += n or 0
        if self._sent < len(self._packet):
            return BUSY
        self._packet = None
        return SENT

    async def receive(self):
        """Read commands forever; each complete packet goes to control.handle."""
        reader = asyncio.StreamReader(self._in)
        while True:
            chunk = await reader.read(64)
            if chunk:
                self.feed(chunk)

    def feed(self, chunk):
        for b in chunk:
            if b != 0:
                if len(self._rx) < _MAX_PACKET:
                    self._rx.append(b)
                continue
            packet = bytes(self._rx)
            self._rx = bytearray()
            if not packet:
                continue
            try:
                body = frame.parse_serial_packet(packet)
            except (ValueError, IndexError):
                self.bad_packets += 1
                continue
            self._control.handle(body, config.LINK_USB)
