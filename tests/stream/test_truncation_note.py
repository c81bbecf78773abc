"""Frames all cut to one length name the BLE link's ATT MTU that cut them (QA 18, F1): the decoder's
truncation_note, instead of a count of "corrupt" frames with no reason."""

from __future__ import annotations

import pytest

from footfall.protocol.decode import StreamDecoder, mtu_note

from .streams import stream


def cut(frames: list[bytes], mtu: int) -> list[bytes]:
    """What a link of this ATT MTU delivers of each notification (the sensor's stack cuts the rest unseen)."""
    return [f[: mtu - 3] for f in frames]


def decoder_of(frames: list[bytes]) -> StreamDecoder:
    decoder = StreamDecoder(sensor="L")
    decoder.feed_many(frames, [float(i) for i in range(len(frames))])
    return decoder


def test_data_frames_cut_at_185_name_mtu_185_and_the_firmware_update() -> None:
    decoder = decoder_of(cut(stream(40), 185))  # firmware before 0.7: 238-byte frames on an iPhone-class link
    assert decoder.report.truncated == 40 and decoder.report.samples == 0
    note = decoder.truncation_note()
    assert note is not None and note.startswith("every cut frame is 182 bytes: link ATT MTU 185 ")
    assert "14 samples a frame" in note and "update it" in note


def test_status_frames_cut_at_23_say_the_sensor_will_not_stream() -> None:
    note = decoder_of(cut(stream(0), 23)).truncation_note()
    assert note is not None and "ATT MTU 23 is below the 48" in note and "will not stream" in note


@pytest.mark.parametrize("frames", [stream(40), stream(3)[:-1] + [stream(3)[-1][:100]] + [stream(5)[-1][:120]]],
                         ids=["whole", "two lengths"])
def test_no_note_without_one_common_cut(frames: list[bytes]) -> None:
    assert decoder_of(frames).truncation_note() is None


def test_mtu_note_counts_the_samples_a_frame_carries() -> None:
    assert "2 samples a frame" in mtu_note(48) and "will not stream" in mtu_note(47)
