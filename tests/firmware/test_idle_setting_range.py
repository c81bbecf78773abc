"""idle_after_min is 1-1440 minutes: a settings file (or a command) with 0 would make the sensor idle at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fw_rig import Rig

import config


@pytest.mark.parametrize(("value", "valid"), [(0, False), (-1, False), (1, True), (1440, True), (1441, False)])
def test_check_value_bounds(rig: Rig, value: int, valid: bool) -> None:
    if valid:
        config.check_value("idle_after_min", value, rig.imu())
    else:
        with pytest.raises(ValueError, match="idle_after_min"):
            config.check_value("idle_after_min", value, rig.imu())


def test_a_settings_file_with_0_keeps_the_default(tmp_path: Path, rig: Rig) -> None:
    base = config.Settings("xiao_esp32s3", 416, 32, 2000)
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"idle_after_min": 0, "side": "R"}))
    s = config.merged(base, config.read_file(str(path)), rig.imu())
    assert s.side == "R" and s.idle_after_min == base.idle_after_min >= 1  # the other keys still apply
