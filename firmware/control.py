# Control commands (docs/protocol.md): validate, apply to the Device, answer with a status frame.
# Whatever arrives — short, long, unknown, out of range — gets an error result and changes nothing;
# no write can raise out of handle().
#
# Links: data goes out on the selected link (settings.link), but a command is always answered on the link
# it came in on as well, so `footfall firmware check` over USB hears a sensor whose data goes over BLE, and
# the answer to `select link` reaches the host that asked. `start` and `resend` select the link they came in on:
# the host that asks for the stream gets it, so no earlier USB session can leave a sensor mute over BLE. While a
# USB host streams (it sends a command at least every _USB_HOLD_MS: the time syncs), BLE may only ask (ble.py).
#
# The settings that are saved to flash and change what the sensor is or what its data mean (rate, ranges, side,
# link) are taken over USB only (_USB_ONLY): BLE has no pairing, so any central in range could otherwise rename a
# left sensor `footfall-R` for good, and later sessions would store the feet swapped. Over BLE they are answered
# 4 (wrong state, as a calibrate on the wrong link) and change nothing; footfall live never sends them, and
# `footfall firmware install` writes the side and board over USB (docs/protocol.md "Security and privacy").

import config
import frame

_USB_HOLD_MS = 12_000  # a USB host silent this long is gone (footfall live syncs the time every 5 s)
_USB_ONLY = (frame.CMD_SET_RATE, frame.CMD_SET_RANGES, frame.CMD_SET_SIDE, frame.CMD_SELECT_LINK)
PENDING = -1  # handle()'s result for a command answered later (calibrate: when its window is over); never on air


class Control:
    def __init__(self, device, identify=None):
        self.device = device
        self._identify = identify  # callable that blinks the LED (None: no LED)
        self.errors = 0
        self.replies = {}  # link -> callable(frame) that sends the answer straight back on that link
        self._usb_ms = None  # device_ms of the last command over USB

    def handle(self, data, link, answer=True):
        """One command from `link` (config.LINK_BLE / LINK_USB). Answers with a status frame, unless `answer` is
        False: the caller answers a guest itself (another BLE central than the host's, ble.py). PENDING: answered
        later (calibrate), in the stream and on `link` as any answer."""
        cmd_id = data[1] if len(data) > 1 else 0
        self.device.activity()  # first, so that a sleep command can leave the device idle
        if link == config.LINK_USB:
            self._usb_ms = self.device.device_ms()
        result = self._result(data, link)
        if result == PENDING:
            return result
        if result != frame.RESULT_OK:
            self.errors += 1
        if answer:
            if len(data) > 1 and data[0] == frame.CMD_STATUS and self.device.sampler.fault:
                self._fault_again(link)
            self._answer(cmd_id, result, link)
        return result

    def _result(self, data, link):
        try:
            opcode, cmd_id, args = frame.parse_command(data)
            if opcode in _USB_ONLY and link != config.LINK_USB:
                return frame.RESULT_BUSY  # see the top of this file
            return self._dispatch(opcode, cmd_id, args, link)
        except ValueError as exc:
            return exc.args[0] if exc.args and isinstance(exc.args[0], int) else frame.RESULT_BAD_VALUE
        except Exception:  # a bug must not take the shoe down: report it as a bad value
            return frame.RESULT_BAD_VALUE

    def _answer(self, cmd_id, result, link):
        """The status frame answering goes through the ring (the selected link sends it) and, when the
        command came in on another link, straight back on that link too."""
        d = self.device
        try:
            d.answer(cmd_id, result)
        except Exception:
            d.answer(0, frame.RESULT_BAD_VALUE)
        self._echo(link)

    def _echo(self, link):
        """The frame just put in the ring goes straight back on `link` too, when the data goes out on another."""
        d = self.device
        reply = self.replies.get(link)
        if reply is None or link == d.settings.link:
            return
        try:
            reply(bytes(d.ring.get(d.ring.head - 1)))  # the same bytes and seq as the ring's copy
        except Exception:
            pass  # best effort: the ring still holds the answer

    def _fault_again(self, link):
        """`status` asked while the IMU is down: event 7 with the fault again, before the answer, so a host that
        was not listening when it began (`footfall firmware check`) hears what it is (a wire, or another chip)."""
        d = self.device
        d.event(frame.EVENT_IMU_ERROR, d.sampler.fault)
        self._echo(link)

    def _dispatch(self, opcode, cmd_id, args, link):
        d = self.device
        if opcode == frame.CMD_START:
            self._select(link)
            d.start()
        elif opcode == frame.CMD_STOP:
            d.stop()
        elif opcode == frame.CMD_SET_RATE:
            return self._apply("rate_hz", args[0])
        elif opcode == frame.CMD_SET_RANGES:
            new = self._changed("acc_range_g", args[0])
            if new is None:
                return frame.RESULT_BAD_VALUE
            return self._apply("gyr_range_dps", args[1], new)
        elif opcode == frame.CMD_SET_SIDE:
            return self._apply("side", args[0])
        elif opcode == frame.CMD_IDENTIFY:
            if self._identify:
                self._identify()
        elif opcode == frame.CMD_RESEND:
            result = frame.RESULT_NOT_BUFFERED if d.resend(args[0]) else frame.RESULT_OK  # a bad seq: ValueError
            self._select(link)
            return result
        elif opcode == frame.CMD_TIME_SYNC:
            d.time_sync()
        elif opcode == frame.CMD_CALIBRATE:
            return self._calibrate(cmd_id, link)
        elif opcode == frame.CMD_SLEEP:
            d.sleep()
        elif opcode == frame.CMD_SELECT_LINK:
            return self._apply("link", args[0])
        elif opcode == frame.CMD_SET_PACE:
            return self._apply("pace_permille", args[0])
        return frame.RESULT_OK

    def _calibrate(self, cmd_id, link):
        """Start a calibration; it is answered when its window is over (Device.calibrate), in the stream: 0 saved,
        4 the sensor moved or the stream stopped meanwhile (the previous calibration stays). 4 at once when it
        cannot start: not streaming, one under way, or asked on a link the data does not go out on (a later
        answer reaches only the stream)."""
        d = self.device
        if link != d.settings.link or not d.calibrate(lambda result: self._answer(cmd_id, result, link)):
            return frame.RESULT_BUSY
        return PENDING

    def _select(self, link):
        """The host that asks for the stream (start, resend) gets it on its link; over USB in full frames (a BLE host's
        link may have made them smaller: ble.py)."""
        if link == config.LINK_USB:
            self.device.sampler.frame_samples = frame.MAX_SAMPLES
        if self.device.settings.link != link:
            self._apply("link", link)

    def usb_holds(self):
        """A USB host streams: the data goes over USB, and USB has been heard from within _USB_HOLD_MS."""
        d = self.device
        return (d.streaming and d.settings.link == config.LINK_USB and self._usb_ms is not None
                and (d.device_ms() - self._usb_ms) & 0xFFFFFFFF < _USB_HOLD_MS)

    def _changed(self, key, value, base=None):
        """A copy of the settings with key=value, or None when the value is not valid on this IMU."""
        try:
            config.check_value(key, value, self.device.imu, self.device.boards)
        except ValueError:
            return None
        new = (base or self.device.settings).copy()
        setattr(new, key, value)
        return new

    def _apply(self, key, value, base=None):
        new = self._changed(key, value, base)
        if new is None:
            return frame.RESULT_BAD_VALUE
        self.device.apply(new)
        return frame.RESULT_OK
