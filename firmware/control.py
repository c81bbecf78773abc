# Control commands (docs/protocol.md): validate, apply to the Device, answer with a status frame.
# Whatever arrives — short, long, unknown, out of range — gets an error result and changes nothing;
# no write can raise out of handle().

import config
import frame


class Control:
    def __init__(self, device, identify=None):
        self.device = device
        self._identify = identify  # callable that blinks the LED (None: no LED)
        self.errors = 0

    def handle(self, data, link):
        """One command from `link` (config.LINK_BLE / LINK_USB). Always answers with a status frame."""
        cmd_id = data[1] if len(data) > 1 else 0
        self.device.activity()  # first, so that a sleep command can leave the device idle
        try:
            opcode, cmd_id, args = frame.parse_command(data)
            result = self._dispatch(opcode, args)
        except ValueError as exc:
            code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else frame.RESULT_BAD_VALUE
            result = code
        except Exception:  # a bug must not take the shoe down: report it as a bad value
            result = frame.RESULT_BAD_VALUE
        if result != frame.RESULT_OK:
            self.errors += 1
        try:
            self.device.answer(cmd_id, result)
        except Exception:
            self.device.answer(0, frame.RESULT_BAD_VALUE)
        return result

    def _dispatch(self, opcode, args):
        d = self.device
        if opcode == frame.CMD_START:
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
            return frame.RESULT_NOT_BUFFERED if d.resend(args[0]) else frame.RESULT_OK
        elif opcode == frame.CMD_TIME_SYNC:
            d.time_sync()
        elif opcode == frame.CMD_CALIBRATE:
            return frame.RESULT_OK if d.calibrate() else frame.RESULT_BUSY
        elif opcode == frame.CMD_SLEEP:
            d.sleep()
        elif opcode == frame.CMD_SELECT_LINK:
            return self._apply("link", args[0])
        return frame.RESULT_OK

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
