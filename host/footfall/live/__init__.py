"""A live session: sources -> recording (lossless) -> decode -> align -> analyse -> view and cues."""
