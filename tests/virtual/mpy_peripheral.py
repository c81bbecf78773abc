# A small MicroPython peripheral for the virtual radio's own tests (not the firmware): it advertises
# NAME, has a notify characteristic (frames: u32 counter + u64 send time in ns + padding), a write
# characteristic (commands below) and a read characteristic. Written against the raw `bluetooth` API as
# MicroPython's ble_simple_peripheral.py example is, and paced the way the firmware must be: on ENOMEM it
# keeps the frame and retries at the next tick.
# Commands: b"G" + u32 count + u16 period_us + u8 size: send `count` frames, one every period_us
#           b"D": disconnect, b"M": exchange MTU, b"I": indicate once, b"Q": quit,
#           b"S": stay 200 ms in the IRQ handler (a slow handler delays the write response).
import bluetooth
import os
import struct
import time
from micropython import const

_IRQ_CENTRAL_CONNECT = const(1)
_IRQ_CENTRAL_DISCONNECT = const(2)
_IRQ_GATTS_WRITE = const(3)
_IRQ_GATTS_INDICATE_DONE = const(20)
_IRQ_MTU_EXCHANGED = const(21)
_SVC = bluetooth.UUID("f00f0000-3c6d-4b8e-9a5b-1f2e3d4c5b6a")
_DATA = (bluetooth.UUID("f00f0001-3c6d-4b8e-9a5b-1f2e3d4c5b6a"), bluetooth.FLAG_NOTIFY | bluetooth.FLAG_INDICATE)
_CTRL = (bluetooth.UUID("f00f0002-3c6d-4b8e-9a5b-1f2e3d4c5b6a"), bluetooth.FLAG_WRITE | bluetooth.FLAG_WRITE_NO_RESPONSE)
_STAT = (bluetooth.UUID("f00f0003-3c6d-4b8e-9a5b-1f2e3d4c5b6a"), bluetooth.FLAG_READ)
_BAT = (bluetooth.UUID(0x180F), ((bluetooth.UUID(0x2A19), bluetooth.FLAG_READ | bluetooth.FLAG_NOTIFY),))
NAME = os.getenv("PERIPHERAL_NAME") or "footfall-T"


def adv_payload(uuid128):
    return bytes((2, 0x01, 0x06, 17, 0x07)) + uuid128  # flags + 128-bit service UUID: 21 of 31 bytes


def resp_payload(name):
    name = name.encode()
    return bytes((len(name) + 1, 0x09)) + name


class Peripheral:
    def __init__(self):
        self.ble = bluetooth.BLE()
        self.ble.active(True)
        self.ble.config(gap_name=NAME, mtu=247)
        self.ble.irq(self.irq)
        ((self.h_data, self.h_ctrl, self.h_stat), (self.h_bat,)) = self.ble.gatts_register_services(
            ((_SVC, (_DATA, _CTRL, _STAT)), _BAT))
        self.ble.gatts_set_buffer(self.h_ctrl, 32)
        self.ble.gatts_write(self.h_stat, b"status-ok")
        self.ble.gatts_write(self.h_bat, b"\x57")
        self.conn = None
        self.plan = None
        self.running = True
        self.log = []
        self.advertise()

    def advertise(self):
        uuid128 = bytes(reversed(bytes.fromhex("f00f00003c6d4b8e9a5b1f2e3d4c5b6a")))
        self.ble.gap_advertise(20000, adv_payload(uuid128), resp_data=resp_payload(NAME))

    def irq(self, event, data):
        if event == _IRQ_CENTRAL_CONNECT:
            self.conn = data[0]
            print("connect", data[0], data[1], bytes(data[2]).hex())
        elif event == _IRQ_CENTRAL_DISCONNECT:
            self.conn = None
            print("disconnect", data[0])
            self.advertise()
        elif event == _IRQ_GATTS_WRITE:
            self.command(self.ble.gatts_read(data[1]))
        elif event == _IRQ_MTU_EXCHANGED:
            print("mtu", data[1])
        elif event == _IRQ_GATTS_INDICATE_DONE:
            print("indicated", data[2])

    def command(self, cmd):
        if cmd[:1] == b"G":
            count, period_us, size = struct.unpack("<IHB", cmd[1:8])
            self.plan = [0, count, period_us, size, time.ticks_us(), 0]
        elif cmd == b"D" and self.conn is not None:
            self.ble.gap_disconnect(self.conn)
        elif cmd == b"M" and self.conn is not None:
            self.ble.gattc_exchange_mtu(self.conn)
        elif cmd == b"I" and self.conn is not None:
            self.ble.gatts_indicate(self.conn, self.h_data, b"indication")
        elif cmd == b"Q":
            self.running = False
        elif cmd == b"S":
            time.sleep_ms(200)
        else:
            print("cmd", bytes(cmd).hex())

    def pump(self):
        plan = self.plan
        if plan is None or self.conn is None:
            return
        n, count, period_us, size, t0, enomem = plan
        due = min(count, time.ticks_diff(time.ticks_us(), t0) // period_us + 1)
        while n < due:
            frame = struct.pack("<IQ", n, time.time_ns()) + bytes(size - 12)
            try:
                self.ble.gatts_notify(self.conn, self.h_data, frame)
            except OSError as e:
                if e.errno != 12:
                    raise
                plan[5] += 1
                break
            n += 1
        plan[0] = n
        if n >= count:
            print("done", n, plan[5])
            self.plan = None


p = Peripheral()
while p.running:
    p.pump()
    time.sleep_ms(1)
print("bye")
