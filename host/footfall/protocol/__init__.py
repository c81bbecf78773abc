"""The footfall wire protocol, version 1 (docs/protocol.md is the contract): `frames` (the frame layouts),
`framing` (USB serial packets), `decode` (one sensor's stream -> sample blocks, gaps counted), `encode` (SI
samples -> the frames a device sends) and `clock` (the sensor's sample clock against the board's)."""

from footfall.protocol.decode import StreamDecoder, StreamReport
from footfall.protocol.encode import SiStream, device_frames

__all__ = ["SiStream", "StreamDecoder", "StreamReport", "device_frames"]
