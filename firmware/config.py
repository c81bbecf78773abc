# Settings of the shoe: defaults, validation and persistence as a small JSON file in flash.
#
# Pure (no hardware): runs under CPython and MicroPython. A file that is missing, corrupt or holds an
# out-of-range value is ignored key by key, so a bad write can never stop the shoe from booting.

import json

from frame import PACE_MAX_PERMILLE, PACE_MIN_PERMILLE

try:
    import os
except ImportError:  # pragma: no cover
    import uos as os  # type: ignore

FW_VERSION = (0, 7, 5)  # 0.2: rate_mhz; 0.3: answers on the asking link, USB escape; 0.4: footpod, set pace;
# 0.4.1: one host at a time (result 6, held); 0.5: RSC and battery only to subscribers, RSC 0 once sampling stops,
# calibrate only when still (answered after its window), a guest's answers only to the guest;
# 0.5.1: Serial Number (the radio's address), 25 ms advertising for the first 30 s without a connection;
# 0.6: powers off after OFF_AFTER_MIN unused (XIAO: deep sleep until the IMU feels a move; M5: hold pin released);
# 0.6.1: footpod sampling goes on RECONNECT_GRACE_S after a watch left, walking/running status with hysteresis,
# pairing explicitly off (no bonding, no I/O); 0.6.2: the USB escape survives one reset (REPL_ONCE_PATH), a
# WHO_AM_I mismatch is its own errno (6 with the value read: event 7), the IMU found at its alternate address,
# a board without an interrupt line drains a third of its FIFO at a time, new settings answer a pending calibrate
# as cancelled (result 4) before they apply; 0.7: data frames sized for the BLE host's ATT MTU (_IRQ_MTU_EXCHANGED),
# a claim on a link below MTU 48 answered 4, a frame too big for the host's link reported dropped, never cut;
# 0.7.1: a stop is never refused for the MTU (a host gone meanwhile), frames follow the host's MTU after its claim
# and fit MTU 185 while no host holds the sensor, full frames again over USB, `status` remembered per central;
# 0.7.2: a BLE host that held on through a USB session gets frames sized for its MTU again when it takes the stream
# 0.7.3: frames fit MTU 185 whenever no BLE host holds the sensor (a start from a central gone meanwhile, USB handing
# the stream to BLE), a crash resets the board, a flat cell switches it off, settings written only when they change,
# the on-device cadence in integers (a tenth of the garbage), an IMU that cannot wake the board leaves it to the timer
# 0.7.4: a BLE host that drops mid-stream has the sensor kept for its address for RESERVE_S; set rate, set ranges,
# set side and select link over USB only (answered 4 over BLE); 0.7.5: one flat reading switches off only a board
# its timer woke (after a power-on or reset two more, 10 s apart, radio and IMU off, USB listening), an early
# crash leaves the IMU and radio off at the REPL, an M5 kept on by USB is switched off once per flat spell
SETTINGS_PATH = "settings.json"  # relative: "/" on the board, the virtual shoe's temp dir on the unix port
# the USB escape's flag (main.leave_for_repl writes it, main.py deletes it first thing at boot and then stays at the
# REPL): closing the serial port resets some ESP32 boards (DTR/RTS), which would start the firmware again and
# shut mpremote out; `footfall firmware install` deletes it when no reset came
REPL_ONCE_PATH = "repl_once"

LINK_BLE = 0
LINK_USB = 1

RING_FRAMES = 2048  # ~ 93 s at 416 Hz, 47 s at 833 Hz; 240 B a slot -> 480 KiB (PSRAM on the ESP32-S3)
RING_FRAMES_SMALL = 256  # fallback when the heap is small (no PSRAM): ~ 11.7 s at 416 Hz
WATERMARK_SAMPLES = 38  # FIFO watermark: two full frames per wake-up (91 ms at 416 Hz, 46 ms at 833 Hz)
STATUS_PERIOD_MS = 5000  # a status frame every few seconds while streaming
IDLE_AFTER_MIN = 10  # no connection and no command for this long -> stop streaming, advertise slowly
OFF_AFTER_MIN = 30  # no connection and no command for this long (idle by then) -> power off (power.PowerOff)
OFF_AFTER_WAKE_MIN = 3  # after a move woke it from deep sleep, with no connection or command since
RECONNECT_GRACE_S = 90  # the footpod samples on this long after the last central (a watch) left (Device.footpod)
# a BLE host that dropped while the sensor streamed has it kept for its address this long (ble.py): footfall live
# reconnects for up to 60 s (host ReconnectPolicy.give_up_s), and its last attempt still needs to connect and claim
RESERVE_S = RECONNECT_GRACE_S
CAL_SAMPLES = 208  # samples averaged by `calibrate` (0.5 s at 416 Hz)

_KEYS = ("board", "rate_hz", "acc_range_g", "gyr_range_dps", "side", "link", "idle_after_min", "cal",
         "pace_permille")


class Settings:
    """What the user can change and what survives a reboot. `caps` = the IMU driver's supported values."""

    def __init__(self, board, rate_hz, acc_range_g, gyr_range_dps, side="?", link=LINK_BLE,
                 idle_after_min=IDLE_AFTER_MIN, cal=None, pace_permille=1000):
        self.board = board
        self.rate_hz = rate_hz
        self.acc_range_g = acc_range_g
        self.gyr_range_dps = gyr_range_dps
        self.side = side
        self.link = link
        self.idle_after_min = idle_after_min
        self.cal = cal  # None or [ax, ay, az, gx, gy, gz] mean counts held still
        self.pace_permille = pace_permille  # the RSC speed's factor in 1/1000, learnt by the host (rsc.py)

    def as_dict(self):
        return {k: getattr(self, k) for k in _KEYS}

    def copy(self):
        return Settings(**self.as_dict())


def check_value(key, value, caps, boards=None):
    """ValueError unless `value` is valid for `key` on an IMU with capabilities `caps`."""
    if key == "board":
        ok = isinstance(value, str) and (boards is None or value in boards)
    elif key == "rate_hz":
        ok = value in caps.RATES_HZ
    elif key == "acc_range_g":
        ok = value in caps.ACC_RANGES_G
    elif key == "gyr_range_dps":
        ok = value in caps.GYR_RANGES_DPS
    elif key == "side":
        ok = value in ("L", "R", "?")
    elif key == "link":
        ok = value in (LINK_BLE, LINK_USB)
    elif key == "idle_after_min":
        ok = isinstance(value, int) and 1 <= value <= 1440
    elif key == "pace_permille":
        ok = isinstance(value, int) and PACE_MIN_PERMILLE <= value <= PACE_MAX_PERMILLE
    elif key == "cal":
        ok = value is None or (isinstance(value, list) and len(value) == 6
                               and all(isinstance(v, int) and -32768 <= v <= 32767 for v in value))
    else:
        ok = False
    if not ok or isinstance(value, bool):
        raise ValueError("bad setting " + key)


def merged(base, data, caps, boards=None):
    """A copy of `base` with each valid key of the dict `data` applied; invalid keys are skipped."""
    out = base.copy()
    if not isinstance(data, dict):
        return out
    for key in _KEYS:
        if key in data:
            try:
                check_value(key, data[key], caps, boards)
                setattr(out, key, data[key])
            except (ValueError, TypeError):
                pass
    return out


def read_file(path=SETTINGS_PATH):
    """The settings dict stored at `path`, or {} when it is missing or not JSON."""
    try:
        with open(path) as f:
            data = json.load(f)
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save(settings, path=SETTINGS_PATH):
    """Write atomically (temp file + rename) so a power cut leaves the old file or the new one."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(settings.as_dict(), f)
    os.rename(tmp, path)
