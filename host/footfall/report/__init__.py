"""Reports: a self-contained HTML page per session (report/html.py, figures in report/plots.py), built from the
history database (report/build.py), and per-step CSV/JSON export (report/export.py)."""
