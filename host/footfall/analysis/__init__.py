"""One streaming gait analyser shared by live and replay: orientation -> contacts -> strike -> stride."""
