"""qa19 privacy #10 and #7: the HTML report carries a Content-Security-Policy (it loads nothing and runs nothing,
so an escaping slip stays harmless, and a client opening it fetches nothing), and the history keeps a recording's
file name, not the folders it was added from (which named other clients, a date of birth, a login)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from footfall.report.html import CSP, CSP_META
from footfall.store import Store

Run = Callable[..., tuple[int, str, str]]
SLIPPED = '<img src="http://127.0.0.1:9/beacon.png"><script>document.title = "RAN";</script>'


@pytest.fixture
def report(ff: Run, tmp_path: Path) -> str:
    """The report of a simulated run stored from deep inside a folder named after a client."""
    folder = tmp_path / "clients" / "Eve Smith"
    folder.mkdir(parents=True)
    rec = folder / "eve_dob_1990.ffr"
    assert ff("simulate", "-o", str(rec), "--duration", "40s", "--seed", "1")[0] == 0
    ff("runner", "add", "Eve")
    assert ff("history", "add", str(rec), "--runner", "Eve")[0] == 0
    ff("history", "mark", "1", "baseline", "1", "10")
    assert ff("report", "1", "-o", str(tmp_path / "r.html"))[0] == 0
    return (tmp_path / "r.html").read_text(encoding="utf-8")


def test_the_report_has_a_policy_first_in_its_head_and_no_outside_reference(report: str) -> None:
    head = report.split("</head>")[0]
    assert CSP == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    assert head.count(CSP_META) == 1 and head.index(CSP_META) < head.index("<style>")
    references = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', report)
    assert references and all(r.startswith(("#", "data:image/")) for r in references), set(references) - {"#"}
    assert not re.search(r"@import|@font-face|url\((?!#)|<script|<link|<iframe", report, re.I)


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.skip("chromium not installed (.ci/run installs it)")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}"]
    return subprocess.run([exe, *flags, *args], capture_output=True, text=True, timeout=120,
                          env={"HOME": str(profile), "PATH": "/usr/bin:/bin"})


def test_the_page_looks_the_same_under_its_policy_and_runs_nothing_slipped_in(report: str, tmp_path: Path) -> None:
    """Inline styles, inline SVG and its data: images all still render (the same pixels as without the policy);
    a script and an outside image slipped into the page are not run, not fetched."""
    pages = {"with": report, "without": report.replace(CSP_META, "")}
    shots = {}
    for name, text in pages.items():
        (tmp_path / f"{name}.html").write_text(text, encoding="utf-8")
        _chromium(["--window-size=1000,4000", f"--screenshot={tmp_path / name}.png",
                   (tmp_path / f"{name}.html").as_uri()], tmp_path / f"p-{name}")
        shots[name] = (tmp_path / f"{name}.png").read_bytes()
    assert len(shots["with"]) > 10_000 and shots["with"] == shots["without"]
    slipped = tmp_path / "slipped.html"
    slipped.write_text(report.replace("</main>", SLIPPED + "</main>"), encoding="utf-8")
    dom = _chromium(["--dump-dom", slipped.as_uri()], tmp_path / "p-slipped").stdout
    assert "<title>" in dom and "<title>RAN</title>" not in dom
    (tmp_path / "ran.html").write_text(report.replace(CSP_META, "").replace("</main>", SLIPPED + "</main>"))
    ran = _chromium(["--dump-dom", (tmp_path / "ran.html").as_uri()], tmp_path / "p-ran").stdout
    assert "<title>RAN</title>" in ran  # (the probe works: without the policy the slipped script runs)


def test_the_history_keeps_the_recordings_name_not_its_folders(ff: Run, report: str, db: Path, tmp_path: Path) -> None:
    with Store(db) as store:
        assert store.session(1).source == "eve_dob_1990.ffr"
    listed = ff("history", "list")[1]
    assert "eve_dob_1990.ffr" in listed and "Eve Smith" not in listed and str(tmp_path) not in listed
    ff("history", "export", "1", "-o", str(tmp_path / "s.json"))
    assert json.loads((tmp_path / "s.json").read_text())["meta"]["source"] == "eve_dob_1990.ffr"
    ff("runner", "export", "Eve", "-o", str(tmp_path / "c.json"))
    assert "Eve Smith" not in (tmp_path / "c.json").read_text() and "source: eve_dob_1990.ffr" in report


def test_the_same_recording_from_another_folder_is_still_refused(ff: Run, report: str, tmp_path: Path) -> None:
    """Duplicates go by content (sha256), so the shorter source loses nothing."""
    copy = tmp_path / "elsewhere.ffr"
    shutil.copy(tmp_path / "clients" / "Eve Smith" / "eve_dob_1990.ffr", copy)
    code, _, err = ff("history", "add", str(copy), "--runner", "Eve")
    assert code == 2 and "is already session 1" in err


def test_a_file_name_with_control_characters_is_kept_as_plain_text(ff: Run, db: Path, tmp_path: Path) -> None:
    """(A file name may hold any byte but / on Linux: kept escaped, so the session still moves with `runner import`.)"""
    rec = tmp_path / ("\x1b[2J" + "r" * 240 + ".ffr")  # 248 bytes: a name's limit is 255
    assert ff("simulate", "-o", str(rec), "--duration", "20s", "--seed", "3")[0] == 0
    ff("runner", "add", "Eve")
    assert ff("history", "add", str(rec), "--runner", "Eve")[0] == 0
    with Store(db) as store:
        assert store.session(1).source == "\\x1b[2J" + "r" * 240 + ".ffr"  # its name, escaped, not its folders
    assert ff("runner", "export", "Eve", "-o", str(tmp_path / "c.json"))[0] == 0
    assert ff("runner", "import", str(tmp_path / "c.json"), "--as", "Eve 2")[0] == 0
