# Board profiles: which pins and which IMU each supported board uses.
# hardware/README.md documents the same wiring; tests/hardware checks that the two agree.
# Plain dicts (no hardware objects) so this imports anywhere, CPython included.

BOARDS = {
    # Seeed XIAO ESP32-S3 + LSM6DSO32 breakout on I2C (reference build).
    "xiao_esp32s3": {
        "mcu": "ESP32S3",  # as MicroPython names the chip (os.uname().machine "... with ESP32S3"): install checks it
        "imu": "lsm6dso32",
        "i2c_id": 0,
        "sda": 5,  # D4
        "scl": 6,  # D5
        "i2c_freq": 400000,
        "imu_addr": 0x6A,
        "int1": 3,  # D2, LSM6DSO32 INT1 (FIFO watermark; the wake-up from deep sleep: GPIO3 is an RTC GPIO)
        "led": 21,  # user LED, active low
        "led_active_low": True,
        "vbat_adc": 1,  # D0/A0 through a 2 x 100k divider from BAT+
        "vbat_divider": 2.0,
        "hold": None,
    },
    # M5StickC Plus2 (ready-made alternative): internal MPU6886, no interrupt line wired, so a timer drains
    # the FIFO.
    "m5stickc_plus2": {
        "mcu": "ESP32",  # ESP32-PICO-V3-02, the original ESP32
        "imu": "mpu6886",
        "i2c_id": 0,
        "sda": 21,
        "scl": 22,
        "i2c_freq": 400000,
        "imu_addr": 0x68,
        "int1": None,
        "led": 19,
        "led_active_low": False,
        "vbat_adc": 38,
        "vbat_divider": 2.0,
        "hold": 4,  # power-hold pin: must be driven high at boot or the board switches off (power.release_hold)
    },
}

# The same XIAO build with an LSM6DSOX breakout instead (hardware/README.md's alternative). Both chips answer
# WHO_AM_I 0x6C, so only the profile can tell them apart: the LSM6DSO32's full scale codes mean twice the range
# (4..32 g against 2..16 g), and a DSOX driven as a DSO32 reads every acceleration twice too large.
BOARDS["xiao_esp32s3_lsm6dsox"] = dict(BOARDS["xiao_esp32s3"], imu="lsm6dsox")

DEFAULT_BOARD = "xiao_esp32s3"
