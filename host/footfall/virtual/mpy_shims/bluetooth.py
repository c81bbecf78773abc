# A MicroPython module named `bluetooth` that shadows the built-in (put this folder first on MICROPYPATH).
#
# It implements MicroPython's raw `bluetooth` API (docs.micropython.org/en/latest/library/bluetooth.html)
# as the ESP32 (NimBLE) port behaves, forwarding every radio operation over a local TCP socket to the
# CPython bridge `footfall.virtual.radio.VirtualRadio`, which hosts a bumble peripheral for this process.
#
# Contract with the launcher (footfall.virtual.shoe):
#   FOOTFALL_RADIO=host:port      where the VirtualRadio listens (required; BLE().active(True) connects)
#   FOOTFALL_RADIO_MAC=c0ffee000001  optional fixed 6-byte address (hex); else the radio assigns one
# When the radio's socket closes (the host process ended, however) the shim kills its own process, so no
# orphaned virtual shoe is left behind.
#
# Faithful details (the firmware must cope with them as on a real ESP32):
# - IRQs are delivered with micropython.schedule(), like real ports do: a helper thread waits for the socket
#   and schedules a pump that reads and handles everything on the main thread (see _Link for why);
# - gatts_notify/gatts_indicate raise OSError(ENOMEM) when the controller's buffers are full (NimBLE's
#   mbuf pool) and OSError(ENOTCONN) for a connection that is gone; notifications are truncated to MTU-3;
# - a characteristic's value buffer is 20 bytes unless gatts_set_buffer() resizes it: longer writes from
#   the central are truncated (append mode accumulates up to the size, gatts_read() then empties it);
#   gatts_write() from the firmware grows it;
# - gatts_notify/gatts_indicate send whether or not the central subscribed (as the docs say);
#   gatts_write(handle, value, send_update=True) notifies (or indicates) only the centrals that enabled it in
#   the characteristic's CCCD (NimBLE's ble_gatts_chr_updated). Each takes a buffer like gatts_notify, but
#   with none free the update is dropped silently (NimBLE reports nothing; gatts_write returns normally);
#   the radio counts such drops (LinkStats.updates_dropped). CCCD writes come from the radio ("cccd"
#   messages) and are kept per connection until it closes; the firmware's IRQ handler never hears of them,
#   as MicroPython raises no event for a CCCD write.
# Wire format to the bridge: one JSON object per line, bytes as hex.
import binascii
import errno
import json
import micropython
import os
import select
import socket
import sys
import time
import _thread

FLAG_BROADCAST = 0x0001
FLAG_READ = 0x0002
FLAG_WRITE_NO_RESPONSE = 0x0004
FLAG_WRITE = 0x0008
FLAG_NOTIFY = 0x0010
FLAG_INDICATE = 0x0020
FLAG_AUTHENTICATED_SIGNED_WRITE = 0x0040
FLAG_AUX_WRITE = 0x0100
FLAG_READ_ENCRYPTED = 0x0200
FLAG_READ_AUTHENTICATED = 0x0400
FLAG_READ_AUTHORIZED = 0x0800
FLAG_WRITE_ENCRYPTED = 0x1000
FLAG_WRITE_AUTHENTICATED = 0x2000
FLAG_WRITE_AUTHORIZED = 0x4000

_IRQ_CENTRAL_CONNECT = 1
_IRQ_CENTRAL_DISCONNECT = 2
_IRQ_GATTS_WRITE = 3
_DEFAULT_BUF = 20
_RPC_TIMEOUT_MS = 5000


def _hex(b):
    return binascii.hexlify(b).decode() if b is not None else None


def _unhex(s):
    return binascii.unhexlify(s) if s is not None else None


class UUID:
    """A 16-bit (int or 2 bytes) or 128-bit (str or 16 bytes, little-endian) Bluetooth UUID."""

    def __init__(self, value):
        if isinstance(value, UUID):
            self._s = value._s
        elif isinstance(value, int):
            if not 0 <= value <= 0xFFFFFFFF:
                raise ValueError("invalid UUID")
            self._s = "%04x" % value if value <= 0xFFFF else "%08x" % value
        elif isinstance(value, str):
            h = value.replace("-", "").lower()
            if len(h) not in (4, 8, 32):
                raise ValueError("invalid UUID")
            int(h, 16)
            self._s = h if len(h) != 32 else "-".join((h[:8], h[8:12], h[12:16], h[16:20], h[20:]))
        elif isinstance(value, (bytes, bytearray, memoryview)):
            b = bytes(reversed(bytes(value)))
            if len(b) not in (2, 4, 16):
                raise ValueError("invalid UUID")
            self._s = UUID(binascii.hexlify(b).decode())._s
        else:
            raise TypeError("invalid UUID")

    def __eq__(self, other):
        return isinstance(other, UUID) and other._s == self._s

    def __hash__(self):
        return hash(self._s)

    def __str__(self):
        return self._s if "-" in self._s else "0x" + self._s

    def __repr__(self):
        return "UUID(%s)" % (("'%s'" % self._s) if "-" in self._s else "0x" + self._s)


def _radio_gone():
    # The radio is the simulation's world: without it (the host ended, even by kill -9) the virtual shoe
    # would run on as an orphan, so it powers off. `sh`'s parent is this MicroPython process.
    sys.stderr.write("bluetooth shim: the virtual radio went away; the virtual shoe powers off\n")
    os.system("kill -9 $PPID")


class _Link:
    """The socket to the bridge. Everything it carries is read and handled on the main thread.

    The unix port runs threads without a GIL (sys.implementation._thread == 'unsafe'), so a second thread
    that reads, parses and queues messages races the main thread on shared objects and on the heap (a
    collection it triggers scans the main thread's stack once, then lets it run on while marking). So
    the helper thread only waits until the socket is readable and schedules `_pump`, like a real port's
    IRQ; it allocates nothing and touches no shared object but the `pumping` flag, which only it sets
    and only the pump clears (then the level-triggered poll sees any data that came meanwhile)."""

    def __init__(self, ble):
        where = os.getenv("FOOTFALL_RADIO")
        if not where:
            raise OSError(errno.ENODEV, "FOOTFALL_RADIO=host:port is not set (no virtual radio)")
        host, port = where.rsplit(":", 1)
        addr = socket.getaddrinfo(host, int(port))[0][-1]
        self.sock = socket.socket()
        self.sock.connect(addr)
        self.sock.setsockopt(6, 1, 1)  # IPPROTO_TCP, TCP_NODELAY: no Nagle delay on small lines
        self.ble = ble
        self.replies = {}
        self.next_id = 1
        self.buf = b""
        self.reading = False
        self.pumping = False
        self.poller = select.poll()  # the main thread's
        self.poller.register(self.sock, select.POLLIN)
        self._wait_poller = select.poll()  # the helper thread's, made here so that it allocates nothing
        self._wait_poller.register(self.sock, select.POLLIN)
        self._pump_cb = self._pump
        _thread.start_new_thread(self._waiter, ())

    def send(self, msg):
        self.sock.write(json.dumps(msg) + "\n")

    def call(self, msg):
        rid = self.next_id
        self.next_id += 1
        msg["id"] = rid
        self.send(msg)
        t0 = time.ticks_ms()
        while rid not in self.replies:
            if time.ticks_diff(time.ticks_ms(), t0) > _RPC_TIMEOUT_MS:
                raise OSError(errno.ETIMEDOUT)
            self.poller.poll(1)
            self.read()
        reply = self.replies.pop(rid)
        if "error" in reply:
            raise OSError(errno.EIO, reply["error"])
        return reply

    def _waiter(self):
        poller, pump = self._wait_poller, self._pump_cb
        while True:
            while self.pumping:
                time.sleep_ms(1)
            for _ in poller.ipoll(-1):
                pass
            self.pumping = True
            while True:
                try:
                    micropython.schedule(pump, None)
                    break
                except RuntimeError:  # schedule queue full: the main thread is busy, try again shortly
                    time.sleep_ms(1)

    def _pump(self, _):
        try:
            self.read()
        finally:
            self.pumping = False

    def read(self):
        """Handle every complete line the bridge has sent (main thread only; not re-entered)."""
        if self.reading:
            return
        self.reading = True
        try:
            while self.poller.poll(0):
                try:
                    data = self.sock.recv(4096)
                except OSError:  # reset: the radio is gone as surely as on a clean close
                    data = b""
                if not data:
                    self.ble._lost()
                    _radio_gone()
                    return
                self.buf += data
                self._lines()
        finally:
            self.reading = False

    def _lines(self):
        while True:
            i = self.buf.find(b"\n")
            if i < 0:
                return
            line, self.buf = self.buf[:i], self.buf[i + 1:]
            try:
                self._route(json.loads(line))
            except Exception as exc:  # one bad message or handler must not cost the ones after it
                sys.print_exception(exc, sys.stderr)

    def _route(self, msg):
        if "id" in msg:
            self.replies[msg["id"]] = msg
        elif msg["ev"] == "credit":
            self.ble._credit(msg["n"])
        elif msg["ev"] == "write":
            self.ble._write_irq(msg)
        elif msg["ev"] == "cccd":
            self.ble._cccd(msg["c"], msg["h"], msg["f"])
        else:
            self.ble._event_irq(msg["e"], msg["a"])


class BLE:
    _instance = None

    def __new__(cls):
        if BLE._instance is None:
            BLE._instance = object.__new__(cls)
            BLE._instance._init()
        return BLE._instance

    def __init__(self):
        pass

    def _init(self):
        self._active = False
        self._link = None
        self._irq = None
        self._conns = set()
        self._subs = {}  # (conn, value handle) -> CCCD bits (1 notify, 2 indicate) the central wrote
        self._granted = 0  # buffer slots given by the radio (only `_credit` and `active` add to it)
        self._used = 0  # and taken by notifications (only `_send_value` adds to it)
        self._values = {}
        self._bufs = {}
        self._cfg = {"gap_name": "MPY ESP32", "mtu": 256, "rxbuf": 1024, "addr_mode": 0,
                     "bond": False, "mitm": False, "io": 3, "le_secure": False}
        self._mac = None
        self.enomem_count = 0

    # -- configuration --
    def active(self, *args):
        if args:
            on = bool(args[0])
            if on and not self._active:
                self._start()
            elif not on and self._active:
                self._link.send({"op": "active", "on": False})
                self._conns = set()
                self._subs = {}
                self._active = False
        return self._active

    def _start(self):
        if self._link is None:
            self._link = _Link(self)
        mac = os.getenv("FOOTFALL_RADIO_MAC")
        reply = self._link.call({"op": "hello", "mac": mac, "cfg": self._cfg})
        self._mac = _unhex(reply["mac"])
        self._granted, self._used = reply["slots"], 0
        self._active = True

    def _need_active(self):
        if not self._active:
            raise OSError(errno.EPERM)

    def config(self, *args, **kwargs):
        if args:
            if len(args) != 1 or kwargs:
                raise TypeError("must query one param")
            key = args[0]
            if key == "mac":
                self._need_active()
                return (1, self._mac)
            if key not in self._cfg:
                raise ValueError("unknown config param")
            return self._cfg[key]
        for key, value in kwargs.items():
            if key not in self._cfg:
                raise ValueError("unknown config param")
            self._cfg[key] = value
        if self._active:
            self._link.send({"op": "config", "cfg": self._cfg})

    def irq(self, handler):
        self._irq = handler

    # -- GAP --
    def gap_advertise(self, interval_us, adv_data=None, *, resp_data=None, connectable=True):
        self._need_active()
        for data in (adv_data, resp_data):
            if data is not None and len(data) > 31:  # legacy PDU limit: BLE_HS_EMSGSIZE, raised as EIO
                raise OSError(errno.EIO)
        self._link.send({"op": "adv", "interval_us": interval_us, "adv": _hex(adv_data),
                         "resp": _hex(resp_data), "connectable": bool(connectable)})

    def gap_disconnect(self, conn_handle):
        self._need_active()
        if conn_handle not in self._conns:
            return False
        self._link.send({"op": "disconnect", "c": conn_handle})
        return True

    def gattc_exchange_mtu(self, conn_handle):
        self._need_active()
        if conn_handle not in self._conns:
            raise OSError(errno.ENOTCONN)
        self._link.send({"op": "mtu", "c": conn_handle})

    # -- GATT server --
    def gatts_register_services(self, services):
        self._need_active()
        spec = []
        for svc_uuid, chars in services:
            spec.append([str(UUID(svc_uuid)), [self._char_spec(c) for c in chars]])
        handles = self._link.call({"op": "register", "services": spec})["handles"]
        self._values = {}
        for svc in handles:
            for h in svc:
                self._values[h] = b""
                self._bufs[h] = [_DEFAULT_BUF, False]
        return tuple(tuple(svc) for svc in handles)

    @staticmethod
    def _char_spec(char):
        descs = char[2] if len(char) > 2 else ()
        return [str(UUID(char[0])), char[1], [[str(UUID(d[0])), d[1]] for d in descs]]

    def gatts_read(self, value_handle):
        self._check_handle(value_handle)
        value = self._values[value_handle]
        if self._bufs[value_handle][1]:  # append mode: reading consumes what was buffered
            self._values[value_handle] = b""
        return value

    def gatts_write(self, value_handle, data, send_update=False):
        self._check_handle(value_handle)
        data = bytes(data)
        self._values[value_handle] = data
        buf = self._bufs[value_handle]
        buf[0] = max(buf[0], len(data))
        self._link.send({"op": "write", "h": value_handle, "v": _hex(data)})
        if send_update and self._active:
            for conn in sorted(self._conns):
                self._update(conn, value_handle, data)

    def _update(self, conn, handle, data):
        """send_update to one central: only if subscribed; without a free buffer the update is lost unseen."""
        bits = self._subs.get((conn, handle), 0)
        if not bits:
            return
        if not self._take_buffer():
            self._link.send({"op": "dropped"})
            return
        op = "notify" if bits & 1 else "indicate"
        self._link.send({"op": op, "c": conn, "h": handle, "v": _hex(data)})

    def gatts_set_buffer(self, value_handle, len, append=False):
        self._check_handle(value_handle)
        self._bufs[value_handle] = [len, bool(append)]
        self._values[value_handle] = b""  # resizing empties the buffer (as mp_bluetooth_gatts_db_resize)

    def gatts_notify(self, conn_handle, value_handle, data=None):
        self._send_value("notify", conn_handle, value_handle, data)

    def gatts_indicate(self, conn_handle, value_handle, data=None):
        self._send_value("indicate", conn_handle, value_handle, data)

    def _send_value(self, op, conn_handle, value_handle, data):
        self._need_active()
        self._check_handle(value_handle)
        if conn_handle not in self._conns:
            raise OSError(errno.ENOTCONN)
        # No lock: `_credit` runs on this same thread, scheduled, and a scheduled callback can run at any jump
        # (the `if` below included). A lock here deadlocked the shoe when a credit arrived inside it
        # (tests/virtual/test_radio.py stalled about one full-suite run in five). Two counters, each with one
        # writer, lose no update however the two interleave.
        if not self._take_buffer():
            self.enomem_count += 1
            self._link.send({"op": "enomem"})
            raise OSError(errno.ENOMEM)
        value = self._values[value_handle] if data is None else bytes(data)
        self._link.send({"op": op, "c": conn_handle, "h": value_handle, "v": _hex(value)})

    def _take_buffer(self):
        if self._granted - self._used <= 0:
            return False
        self._used += 1
        return True

    def _check_handle(self, handle):
        if handle not in self._values:
            raise OSError(errno.EINVAL)

    # -- called by the link's pump (main thread, scheduled context) --
    def _credit(self, n):
        self._granted += n

    def _lost(self):
        self._conns = set()
        self._subs = {}

    def _cccd(self, conn, handle, bits):
        if conn in self._conns:
            self._subs[(conn, handle)] = bits

    def _write_irq(self, msg):
        self._apply_write(msg["h"], _unhex(msg["v"]))
        try:
            self._call(_IRQ_GATTS_WRITE, (msg["c"], msg["h"]))
        finally:  # the ATT write response goes out once the handler has run, as with NimBLE
            self._link.send({"op": "ack", "k": msg["k"]})

    def _event_irq(self, event, args):
        # Connection state changes before the handler hears of it (as in the controller).
        if event == _IRQ_CENTRAL_CONNECT:
            self._conns.add(args[0])
        elif event == _IRQ_CENTRAL_DISCONNECT:
            self._conns.discard(args[0])
            for key in [k for k in self._subs if k[0] == args[0]]:  # a new connection starts unsubscribed
                del self._subs[key]
        self._call(event, tuple(self._irq_arg(a) for a in args))

    @staticmethod
    def _irq_arg(a):
        return memoryview(_unhex(a[1:])) if isinstance(a, str) and a.startswith("#") else a

    def _apply_write(self, handle, value):
        size, append = self._bufs.get(handle, (_DEFAULT_BUF, False))
        old = self._values.get(handle, b"") if append else b""
        self._values[handle] = (old + value)[:size]

    def _call(self, event, data):
        if self._irq is not None:
            self._irq(event, data)
