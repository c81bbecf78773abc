# BLE peripheral on MicroPython's raw `bluetooth` module (docs.micropython.org/en/latest/library/bluetooth.html):
# the footfall service (data notify, control write, status read/notify), Running Speed and Cadence,
# Battery and Device Information. Runs unchanged on the ESP32-S3 (NimBLE) and on the virtual radio's shim.
#
# The IRQ handler only records what happened; tasks do the work. A notification that fails with
# OSError(ENOMEM) (controller buffers full) is retried by Device.pump with backoff — never dropped.
# Data flows to a connection only after the host's first control command on it has been handled; the host
# makes it after subscribing (notifications sent before would be lost: MicroPython reports no CCCD writes),
# and when it is a resend, the cursor is rewound before any newer frame goes out, so order is kept.
#
# Up to _MAX_CENTRALS centrals at once (MicroPython's ESP32 build allows 4: CONFIG_BT_NIMBLE_MAX_CONNECTIONS
# in ports/esp32/boards/sdkconfig.ble), so a watch and the footfall host can both be connected. Each one that
# subscribed gets the RSC measurement. The data goes to the host: the central whose valid command (other than status or
# identify) claimed the sensor, until it disconnects. Another central meanwhile is a guest: status and identify
# are answered to it alone, anything else is refused with result 6 (held), so a second footfall host in range
# (a group run, a clinic) cannot take or stop the session. A host that drops while the sensor streams has it kept
# for config.RESERVE_S: meanwhile only a central with its address may claim it (its reconnect), any other is a guest;
# its clean stop, the stream's end or the time running out frees it (docs/protocol.md "One host at a time").
# While any central is connected the IMU samples for the on-device cadence (Device.footpod), so a watch alone gets
# cadence too; after the last central left, unless it was the host, for config.RECONNECT_GRACE_S more, so a watch back
# after a dropout reads the cadence at once.
#
# RSC Measurement and Battery Level go out with gatts_write(..., send_update=True): NimBLE notifies only the
# centrals that enabled notifications in the CCCD (gatts_notify would send to any, subscribed or not). Such an
# update cannot report ENOMEM (NimBLE drops it silently when its buffers are full), so the update is not poured
# into a full pool: when the data pump met ENOMEM since the last update, the pump is held _CLEAR_MS first.
#
# ATT MTU: a notification carries at most MTU - 3 bytes, and NimBLE cuts a longer one and still reports success,
# so nothing here could notice a cut frame. The MTU of each connection is learnt from _IRQ_MTU_EXCHANGED (23, the
# ATT default, until then). Data frames are sized for the host's MTU (frame.samples_for_mtu: 19 samples at 241 and
# above, 14 at an iPhone's 185): when it claims the sensor and whenever its MTU changes afterwards. While no host
# holds the sensor, frames are no larger than _OUTAGE_MTU fits (14 samples), so a host back after a dropout on a
# link of 185 or more gets every frame it missed from the ring whole, even when it comes back with a smaller MTU
# than it left with (the ring then spans 14/19 of its time at 19 samples a frame). A frame the host's link cannot
# carry whole (made for an earlier host with a larger MTU, reached by a resend) is skipped and reported in a
# frames-dropped event, never cut. A central whose MTU is below frame.MIN_MTU (48: a status frame, which carries the
# scales, must fit) cannot claim the sensor: its claiming command is refused with result 4 (busy), answered to it
# alone, and the host learns the MTU from that answer cut to MTU - 3 bytes (docs/protocol.md "ATT MTU"). A stop is
# never refused, nor a command from a central gone meanwhile (its MTU is no longer known: a stop is what it sends
# last).
#
# A write beyond the _MAX_COMMANDS queued is refused 'busy' to the central that wrote it: the host in its stream,
# any other central straight back (never into the host's stream). One that cannot be answered (beyond that
# queue too, its central gone, or no buffer for the answer) is counted in `unanswered`.

import struct
import time
from binascii import unhexlify

import bluetooth
from micropython import const

import config
import frame
import rsc
from control import PENDING
from device import BUSY, DOWN, SENT, TOO_BIG

_IRQ_CENTRAL_CONNECT = const(1)
_IRQ_CENTRAL_DISCONNECT = const(2)
_IRQ_GATTS_WRITE = const(3)
_IRQ_MTU_EXCHANGED = const(21)  # data: (conn_handle, mtu), after an exchange either side started
_ATT_MTU_DEFAULT = const(23)  # until an exchange (Bluetooth Core, ATT)
_IO_NO_INPUT_OUTPUT = const(3)  # IO capability: no keyboard, no display (Just Works, no PIN)

_FLAG_READ = const(0x0002)
_FLAG_WRITE_NO_RESPONSE = const(0x0004)
_FLAG_WRITE = const(0x0008)
_FLAG_NOTIFY = const(0x0010)
_ENOMEM = const(12)
_CLEAR_MS = const(60)  # the data pump held this long before an update after ENOMEM: the buffers drain meanwhile

_ADV_FAST_US = const(25_000)  # without a connection, for the first _ADV_FAST_MS: RSCP 5.1.1 asks 20-30 ms
_ADV_FAST_MS = const(30_000)
_ADV_US = const(100_000)  # then (RSCP: 1-2.5 s): a host reconnecting mid-run finds the shoe within ~0.1 s
_ADV_SLOW_US = const(1_000_000)  # beside a connection, and once idle
_MTU = const(247)  # asked for: the smallest MTU that carries a full data frame (238 + 3) is 241
_OUTAGE_MTU = const(185)  # frames made while no host holds the sensor fit this (an iPhone's; macOS and Android give more)
_APPEARANCE_ON_SHOE = const(0x0442)  # Running Walking Sensor: On-Shoe
_MAX_COMMANDS = const(16)
_MAX_CENTRALS = const(3)  # the footfall host, a watch and a phone
_ASKING = (frame.CMD_STATUS, frame.CMD_IDENTIFY)  # what a guest central may send
# carried out (a resend from as far back as it could; a calibration under way, answered when its window is over)
_DONE = (frame.RESULT_OK, frame.RESULT_NOT_BUFFERED, PENDING)

_BASE = "-3c6d-4b8e-9a5b-1f2e3d4c5b6a"
FOOTFALL_UUID = bluetooth.UUID("f00f0000" + _BASE)
# little-endian as on air, computed here rather than with bytes(UUID)
_FOOTFALL_UUID_LE = bytes(reversed(unhexlify(("f00f0000" + _BASE).replace("-", ""))))
_FOOTFALL = (
    FOOTFALL_UUID,
    (
        (bluetooth.UUID("f00f0001" + _BASE), _FLAG_NOTIFY),
        (bluetooth.UUID("f00f0002" + _BASE), _FLAG_WRITE | _FLAG_WRITE_NO_RESPONSE),
        (bluetooth.UUID("f00f0003" + _BASE), _FLAG_READ | _FLAG_NOTIFY),
    ),
)
_RSC = (
    bluetooth.UUID(0x1814),
    (
        (bluetooth.UUID(0x2A53), _FLAG_NOTIFY),
        (bluetooth.UUID(0x2A54), _FLAG_READ),
        (bluetooth.UUID(0x2A5D), _FLAG_READ),
    ),
)
_BATTERY = (bluetooth.UUID(0x180F), ((bluetooth.UUID(0x2A19), _FLAG_READ | _FLAG_NOTIFY),))
_DEVICE_INFO = (
    bluetooth.UUID(0x180A),
    (
        (bluetooth.UUID(0x2A29), _FLAG_READ),  # manufacturer name
        (bluetooth.UUID(0x2A24), _FLAG_READ),  # model number
        (bluetooth.UUID(0x2A25), _FLAG_READ),  # serial number: the radio's address (macOS hides addresses)
        (bluetooth.UUID(0x2A26), _FLAG_READ),  # firmware revision
    ),
)


def _field(kind, value):
    return struct.pack("BB", len(value) + 1, kind) + value


def adv_payload():
    """Flags, appearance, the RSC service (so a watch scanning passively lists it as a footpod) and the
    footfall service UUID (128-bit, little-endian as on air): 29 of the 31 bytes. The 16-bit list is incomplete
    (AD type 0x02): Battery 0x180F and Device Information 0x180A are served too, but left out for room; the
    128-bit list is complete (0x07): footfall's is the only 128-bit service."""
    return (_field(0x01, b"\x06") + _field(0x19, struct.pack("<H", _APPEARANCE_ON_SHOE))
            + _field(0x02, struct.pack("<H", 0x1814)) + _field(0x07, _FOOTFALL_UUID_LE))


def resp_payload(name):
    """Scan response: the complete name."""
    return _field(0x09, name.encode())


def serial_number(mac):
    """Serial Number (0x2A25): the radio's address as text, AA:BB:CC:DD:EE:FF."""
    return ":".join("%02X" % b for b in mac).encode()


def no_pairing(ble):
    """Pairing made explicit: no bonding, no I/O (so no PIN). Nothing needs encryption, so a collector that just
    connects and subscribes never pairs; one that asks gets an unbonded Just Works pairing, and no keys to lose
    (every wake from deep sleep is a fresh boot). A port built without pairing support refuses the keys."""
    try:
        ble.config(bond=False, io=_IO_NO_INPUT_OUTPUT)
    except (ValueError, OSError, TypeError):
        pass


def device_name(side):
    return "footfall-" + side


class BleLink:
    LINK = config.LINK_BLE

    def __init__(self, device, control, wake, model="footfall", ble=None):
        self._device = device
        self._control = control
        self._ble = ble or bluetooth.BLE()
        self.conns = []  # every connected central
        self.mtus = {}  # conn -> its ATT MTU
        self._addrs = {}  # conn -> its address type and address (7 bytes)
        self._left = None  # the address of the host that left, until run() reserves the sensor for it
        self._kept = None  # (address, device_ms): the sensor kept for a host that dropped mid-stream (_kept_from)
        self._told = {}  # conn -> ring position after the answer echoed to it, while no host holds the sensor
        self._mtu_changed = False  # an MTU exchange since run() last looked: the host's frames may need a new size
        self.conn = None  # the host: the central whose command claimed the sensor, where the data goes
        self.host_ready = False  # its command has been handled (so it has subscribed)
        self.notify_busy = 0  # ENOMEM retries, for the status figures
        self.held = False  # the data pump waits: an RSC / battery update goes first (notify_rsc)
        self._level = 100  # Battery Level: the last valid reading (100 before any)
        self._level_sent = -1  # what the last update notified
        self._commands = []
        self._refused = []  # (conn, cmd_id) of commands that came while _MAX_COMMANDS were pending
        self.unanswered = 0  # writes that could not be answered (see the top of this file)
        self._events = []  # (kind, data) recorded by the IRQ handler, handled by run()
        self._wake = wake  # ThreadSafeFlag set by the IRQ handler, waited on by run()
        self.h_data = self.h_control = self.h_status = self.h_rsc = self.h_battery = 0
        self._model = model
        self._name = device_name(device.settings.side)
        self._alone_since = None  # ticks_ms since when no central is connected (None: one is, or idle)
        self._interval = 0  # the advertising interval in use, µs (0: none yet)

    # --- setup ---------------------------------------------------------------------------------------
    def start(self):
        """Activate the radio, register the services and advertise."""
        ble = self._ble
        ble.active(True)
        ble.config(gap_name=self._name, mtu=_MTU)
        no_pairing(ble)
        ble.irq(self._irq)
        handles = ble.gatts_register_services((_FOOTFALL, _RSC, _BATTERY, _DEVICE_INFO))
        self.h_data, self.h_control, self.h_status = handles[0]
        self.h_rsc, h_feature, h_location = handles[1]
        self.h_battery = handles[2][0]
        h_mfr, h_model, h_serial, h_fw = handles[3]
        ble.gatts_set_buffer(self.h_control, 64)
        ble.gatts_set_buffer(self.h_status, frame.STATUS_BYTES)
        ble.gatts_write(self.h_status, self._device.status_frame())
        ble.gatts_write(h_feature, rsc.feature())
        ble.gatts_write(h_location, bytes((rsc.SENSOR_LOCATION_TOP_OF_SHOE,)))
        ble.gatts_write(self.h_battery, bytes((self.battery_level(),)))
        ble.gatts_write(h_mfr, b"footfall project")
        ble.gatts_write(h_model, self._model.encode())
        ble.gatts_write(h_serial, serial_number(ble.config("mac")[1]))
        ble.gatts_write(h_fw, ("%d.%d.%d" % config.FW_VERSION).encode())
        self.advertise()

    def battery_level(self):
        """Battery Level (0x2A19): 0..100 %, every other value reserved, so no "unknown": an ADC that reads nothing
        (pct 255) gives the last valid reading, and 100 before any (a sensor without a battery to measure, e.g. on
        USB power, is not one about to go flat)."""
        bat = self._device.battery
        if bat is not None and bat.pct <= 100:
            self._level = bat.pct
        return self._level

    def advertise(self):
        """Advertise while a central can still connect: slowly beside a connection or once idle; else fast, and
        at first (the first _ADV_FAST_MS without a connection) faster still, as the RSC profile asks."""
        if len(self.conns) >= _MAX_CENTRALS:
            return
        if self._device.idle or self.conns:
            self._alone_since, interval = None, _ADV_SLOW_US
        else:
            now = time.ticks_ms()
            self._alone_since = now if self._alone_since is None else self._alone_since
            interval = _ADV_FAST_US if time.ticks_diff(now, self._alone_since) < _ADV_FAST_MS else _ADV_US
        self._ble.gap_advertise(interval, adv_data=adv_payload(), resp_data=resp_payload(self._name))
        self._interval = interval

    async def slow_down(self):
        """Leave the first fast advertising when its time is up."""
        import asyncio

        while True:
            await asyncio.sleep_ms(1000)
            alone = self._alone_since
            if self._interval == _ADV_FAST_US and time.ticks_diff(time.ticks_ms(), alone) >= _ADV_FAST_MS:
                self.advertise()

    # --- IRQ (scheduled context on the ESP32: keep it short) -------------------------------------------
    def _irq(self, event, data):
        # Any other event gets None: with pairing compiled in, _IRQ_GET_SECRET then finds no key and
        # _IRQ_SET_SECRET stores none, on purpose (no_pairing: nothing is bonded)
        if event == _IRQ_CENTRAL_CONNECT:
            self.conns.append(data[0])
            self.mtus[data[0]] = _ATT_MTU_DEFAULT
            self._addrs[data[0]] = bytes((data[1],)) + bytes(data[2])  # data[2] is the stack's buffer: copied
            self._events.append((event, data[0]))
        elif event == _IRQ_MTU_EXCHANGED:
            if data[0] in self.mtus:
                self.mtus[data[0]] = data[1]
                self._mtu_changed = True  # the frame size follows in run(), not here: the sampler may be mid-cut
        elif event == _IRQ_CENTRAL_DISCONNECT:
            if data[0] in self.conns:
                self.conns.remove(data[0])
            self.mtus.pop(data[0], None)
            self._told.pop(data[0], None)
            addr = self._addrs.pop(data[0], None)
            was_host = data[0] == self.conn
            if was_host:
                self.conn, self._left = None, addr
                self.host_ready = False
            self._events.append((event, None if was_host else data[0]))
        elif event == _IRQ_GATTS_WRITE:
            conn, handle = data[0], data[1]
            if handle == self.h_control:
                command = self._ble.gatts_read(handle)
                if len(self._commands) < _MAX_COMMANDS:  # with the writer's address: it may be gone by run()
                    self._commands.append((conn, bytes(command), self._addrs.get(conn)))
                elif len(self._refused) < _MAX_COMMANDS:  # never silently: answered 'busy' by run()
                    self._refused.append((conn, command[1] if len(command) > 1 else 0))
                else:
                    self.unanswered += 1
        self._wake.set()

    # --- tasks -----------------------------------------------------------------------------------------
    async def run(self):
        """Handle connects, disconnects and control writes recorded by the IRQ handler."""
        while True:
            await self._wake.wait()
            while self._events:
                event, conn = self._events.pop(0)  # conn None: the host left
                if event == _IRQ_CENTRAL_CONNECT:
                    self._connected(conn)
                elif conn is None:
                    self._keep()
                    self._fit_host()  # the host left: frames until it is back fit a smaller link too
                self.advertise()
                self._device.footpod(bool(self.conns), grace=conn is not None)
                self._device.wake.set()
            if self._mtu_changed:
                self._mtu_changed = False
                self._fit_host()
            while self._commands:
                self._command(*self._commands.pop(0))
                self._device.wake.set()
            while self._refused:  # after the queue they came behind, whose commands may have claimed the sensor
                self._refuse(*self._refused.pop(0))

    def _command(self, conn, command, addr=None):
        """One central's command (also from one gone meanwhile: a stop), `addr` its address. The host is the
        central whose valid command claimed the sensor; while it is connected, or the sensor is kept for it after a
        drop, any other central is a guest that may only ask."""
        if (self.conn is not None and conn != self.conn) or self._control.usb_holds() or self._kept_from(addr):
            self._guest(conn, command)  # a cable wins: the sensor is in that host's hands
            return
        if self.conn is None and self._too_small(conn, command):
            self._reply(conn, command[1] if len(command) > 1 else 0, frame.RESULT_BUSY)  # see the top of this file
            return
        result = self._control.handle(command, config.LINK_BLE)
        if self.conn is None and conn in self.conns and result in _DONE and command[0] not in _ASKING:
            self._claimed(conn, command[0] != frame.CMD_RESEND)
        self._fit_host()  # a start from a central gone meanwhile streams for no host: outage-sized frames
        if conn == self.conn:
            self.host_ready = True  # only now: a resend must rewind the cursor before anything newer goes out
        if result != PENDING:  # a calibration is answered when its window is over, in the stream
            self._echo(conn)

    def _keep(self):
        """The host left: while the sensor streams, kept for its address (its reconnect) for config.RESERVE_S."""
        left, self._left = self._left, None
        self._kept = (left, self._device.device_ms()) if left is not None and self._device.streaming else None

    def _kept_from(self, addr):
        """The sensor is kept for another central's address. A clean stop (streaming ended: only the host that
        left could send it meanwhile) or the end of config.RESERVE_S frees it."""
        kept = self._kept
        if kept is not None and (not self._device.streaming
                                 or (self._device.device_ms() - kept[1]) & 0xFFFFFFFF >= config.RESERVE_S * 1000):
            self._kept = kept = None
        return kept is not None and addr != kept[0]

    def _too_small(self, conn, command):
        """A claim from a central still connected whose link cannot carry a status frame (never a stop)."""
        return (conn in self.conns and command and command[0] not in _ASKING and command[0] != frame.CMD_STOP
                and self._mtu(conn) < frame.MIN_MTU)

    def _echo(self, conn):
        """The answer just put in the ring, straight back to `conn` when the ring does not reach it. A central that
        asks before any host holds the sensor (status, then start) has had the ring up to this answer: _claimed
        starts its stream after it, so no frame reaches it twice or out of order."""
        if conn != self.conn or self._device.settings.link != config.LINK_BLE:
            ring = self._device.ring
            self._send(conn, bytes(ring.get(ring.head - 1)))  # the same bytes and seq as the ring's
            if self.conn is None and self._device.settings.link == config.LINK_BLE:
                self._told[conn] = ring.head

    def _claimed(self, conn, skip_told):
        """`conn` is the host now: the data and its answer go there, in frames that fit its link. Not after a
        resend: that names where its stream begins."""
        self.conn, self._kept = conn, None
        self._fit(frame.samples_for_mtu(self._mtu(conn)))
        told = self._told.get(conn)
        self._told.clear()  # a guest's answers from now on are echoed outside the ring's order
        cursor = self._device.cursor
        if skip_told and told is not None and cursor.pos < told:
            cursor.pos = told  # it has the frames up to its last answer (and none older was wanted by it)

    def _fit_host(self):
        """Frames for BLE fit the host's MTU (an exchange that came late, or again); while no host holds the sensor
        (it left, a start came from a central gone meanwhile, USB handed the stream to BLE) they fit _OUTAGE_MTU, so
        a host back on a link of 185 or more gets them whole (see the top of this file). USB's are left alone."""
        if self._device.settings.link != config.LINK_BLE:
            return
        if self.conn is not None:
            self._fit(frame.samples_for_mtu(self._mtu(self.conn)))
        else:
            self._fit(min(self._device.sampler.frame_samples, frame.samples_for_mtu(_OUTAGE_MTU)))

    def _fit(self, samples):
        """Data frames of `samples` from now on (the sampler splits what it holds when they shrink)."""
        self._device.sampler.frame_samples = samples

    def _guest(self, conn, command):
        """Status and identify are answered to a guest alone, outside the ring; the rest is refused (held), so a
        second host in range cannot take, stop or reconfigure a session (docs/protocol.md)."""
        cmd_id = command[1] if len(command) > 1 else 0
        if command and command[0] in _ASKING:
            result = self._control.handle(command, config.LINK_BLE, answer=False)
        else:
            result = frame.RESULT_HELD
        self._reply(conn, cmd_id, result)

    def _refuse(self, conn, cmd_id):
        """A write that came while the queue was full: 'busy' to the central that wrote it. The host's own is answered
        as its commands are (_command: in the stream); any other central's straight back alone, so the host's stream
        and recording never carry another central's refusal."""
        if conn not in self.conns:
            self.unanswered += 1  # gone meanwhile: nobody to tell
        elif conn == self.conn and not self._control.usb_holds():
            self._device.answer(cmd_id, frame.RESULT_BUSY)
            self._echo(conn)
        else:
            self._reply(conn, cmd_id, result=frame.RESULT_BUSY)

    def _reply(self, conn, cmd_id, result):
        """An answer to one central alone, outside the ring: notified, not stored as the status characteristic's
        value, which stays the stream's latest status frame (what the host and `footfall scan` read)."""
        if self._send(conn, self._device.status_frame(cmd_id, result), store=False) != SENT:
            self.unanswered += 1

    def _connected(self, conn):
        self._device.activity()
        if conn not in self.conns:
            return  # gone again already
        try:
            self._ble.gattc_exchange_mtu(conn)
        except OSError:
            pass  # the central may be exchanging already: _IRQ_MTU_EXCHANGED reports the result either way
        self._ble.gatts_write(self.h_battery, bytes((self.battery_level(),)))  # what a watch reads on connect
        self._ble.gatts_write(self.h_status, self._device.status_frame())  # what `footfall scan` reads: in use?
        self._device.status()

    def _mtu(self, conn):
        return self.mtus.get(conn, _ATT_MTU_DEFAULT)

    def ready(self):
        return self.conn is not None and self.host_ready

    def try_send(self, data):
        """Notify one frame to the host: status frames on the status characteristic, the rest on data."""
        if self.held:
            return BUSY  # an RSC update waits for free buffers; the pump retries the same frame
        mtu = self._mtu(self.conn)
        if len(data) > mtu - frame.NOTIFY_HEADER_BYTES:
            # NimBLE would cut it and report success; frames made from now on fit (an MTU that fell after the claim)
            self._fit(min(self._device.sampler.frame_samples, frame.samples_for_mtu(mtu)))
            return TOO_BIG
        return self._send(self.conn, data)

    def _send(self, conn, data, store=True):
        if conn is None:
            return DOWN
        is_status = data[1] == frame.TYPE_STATUS
        handle = self.h_status if is_status else self.h_data
        try:
            if is_status and store:
                self._ble.gatts_write(self.h_status, data)
            self._ble.gatts_notify(conn, handle, data)
        except OSError as exc:
            if exc.args and exc.args[0] == _ENOMEM:
                self.notify_busy += 1
                return BUSY
            return DOWN  # the connection went away under us; the frame stays in the ring
        return SENT

    async def notify_rsc(self, period_ms=1000):
        """RSC Measurement and battery level once a second while a central is connected, to the centrals that
        subscribed. When the data pump met ENOMEM since the last update, the buffers may be full and NimBLE would
        drop the update unseen: the pump is held _CLEAR_MS first (the controller frees its buffers at the next
        connection events), so a watch still gets ~1 Hz beside a saturated stream."""
        import asyncio

        busy = self.notify_busy
        while True:
            await asyncio.sleep_ms(period_ms)
            if not self.conns:
                continue
            if self.notify_busy != busy:
                self.held = True
                await asyncio.sleep_ms(_CLEAR_MS)
            try:
                self._update()
            finally:
                self.held = False
                self._device.wake.set()
            busy = self.notify_busy

    def _update(self):
        """The RSC measurement (0 speed and cadence once sampling stopped) and the battery level when it changed."""
        try:
            self._ble.gatts_write(self.h_rsc, self._device.steps.measurement(), True)
            level = self.battery_level()
            if level != self._level_sent:
                self._ble.gatts_write(self.h_battery, bytes((level,)), True)
                self._level_sent = level
        except OSError:
            pass  # the radio went off (REPL escape): nothing to update

    # --- device listener -------------------------------------------------------------------------------
    def on_settings(self, device):
        self._fit_host()  # the data back on BLE after a USB session (which took full frames): the host's size again
        name = device_name(device.settings.side)
        if name != self._name:
            self._name = name
            self._ble.config(gap_name=name)
            self.advertise()

    def on_idle(self, device, idle):
        self.advertise()
