# USB serial link: the same frames as BLE, each sent as COBS(frame || crc16) || 0x00 (docs/protocol.md),
# and commands received the same way. On the board the streams are sys.stdin/sys.stdout of the USB CDC
# REPL port (micropython.kbd_intr(-1) keeps 0x03 bytes from interrupting); on the unix port stdin/stdout,
# which the virtual shoe connects to a pty.
#
# The way back to the REPL: with Ctrl-C off, mpremote cannot interrupt the firmware. The packet REPL_ESCAPE
# (0x00 REPL_ESCAPE 0x00 on the wire) makes receive() raise LeaveForRepl, and main.py then stops and leaves
# the board at its REPL. It can never be a command: it is longer than any command packet, and as COBS it is
# invalid (its first byte, 0x23, announces a block longer than the packet).

import asyncio

import config
import frame
from clock import asleep_ms
from device import BUSY, SENT

_MAX_PACKET = 300  # longer than any command: garbage, skipped up to the next 0x00
_READ = 64  # bytes read at a time; the answers to the commands in them go out before the next read
# answers waiting to go out while USB is not the selected link: as many as one read can complete (the shortest
# packet is 5 bytes: a 1-byte command, its CRC, COBS's byte, the 0x00), so none is ever dropped
_MAX_REPLIES = 1 + (_READ - 1) // 5

REPL_ESCAPE = b"#footfall:stop-for-repl"
REPL_ACK = b"footfall stopped: MicroPython REPL"


class LeaveForRepl(Exception):
    """The host sent REPL_ESCAPE: stop the firmware and leave the board at its REPL."""


class UsbLink:
    LINK = config.LINK_USB

    def __init__(self, device, control, stream_in, stream_out):
        self._device = device
        self.control = control
        self._in = stream_in
        self._out = stream_out
        self._packet = None  # memoryview of the packet being written, None when idle
        self._sent = 0
        self._is_reply = False  # the packet being written is an answer, not a frame of the ring
        self._replies = []
        self._rx = bytearray()
        self.bad_packets = 0
        self.unanswered = 0  # answers that found the reply queue full (none: _MAX_REPLIES)

    def ready(self):
        return True  # a pty or CDC port buffers what the host has not read yet

    def try_send(self, data):
        """Write (the rest of) one framed packet; BUSY when the port took only part of it."""
        if self._packet is not None and self._is_reply and self._write() == BUSY:
            return BUSY  # an answer is half written: finish it before the ring's next frame
        if self._packet is None:
            self._begin(data, False)
        return self._write()

    def reply(self, data):
        """Answer a command on USB while another link is selected (Control.replies); receive() sends it."""
        if len(self._replies) < _MAX_REPLIES:
            self._replies.append(data)
        else:
            self.unanswered += 1

    def say(self, text):
        """Plain bytes outside the framing (the REPL escape's acknowledgement); best effort."""
        try:
            self._out.write(text)
        except OSError:
            pass

    def _begin(self, data, is_reply):
        self._packet = memoryview(frame.serial_packet(data))
        self._sent = 0
        self._is_reply = is_reply

    def _write(self):
        packet = self._packet
        if packet is None:
            return SENT
        try:
            n = self._out.write(packet[self._sent :])
        except OSError:  # EAGAIN on a non-blocking port
            n = 0
        self._sent += n or 0
        if self._sent < len(packet):
            return BUSY
        self._packet = None
        return SENT

    async def _send_replies(self):
        while self._replies:
            if self._packet is None:
                self._begin(self._replies.pop(0), True)
            if self._write() == BUSY:  # a frame of the ring left half written is finished first
                await asleep_ms(2)

    async def receive(self):
        """Read commands forever; each complete packet goes to control.handle."""
        reader = asyncio.StreamReader(self._in)
        while True:
            chunk = await reader.read(_READ)
            if chunk:
                self.feed(chunk)
                await self._send_replies()

    def feed(self, chunk):
        for b in chunk:
            if b != 0:
                if len(self._rx) < _MAX_PACKET:
                    self._rx.append(b)
                continue
            packet = bytes(self._rx)
            self._rx = bytearray()
            if packet:
                self._packet_in(packet)

    def _packet_in(self, packet):
        if packet == REPL_ESCAPE:
            raise LeaveForRepl()
        try:
            body = frame.parse_serial_packet(packet)
        except (ValueError, IndexError):
            self.bad_packets += 1
            return
        self.control.handle(body, config.LINK_USB)
