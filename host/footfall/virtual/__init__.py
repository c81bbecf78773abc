"""Stand-ins for the hardware: the virtual runner (signals with known truth) and the virtual shoe (the real
firmware in the MicroPython unix port, fake IMU registers, virtual BLE radio)."""
