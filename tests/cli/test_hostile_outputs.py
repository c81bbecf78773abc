"""QA17 hostile #1: every file the CLI writes is written whole or not at all. A write that fails midway (a full
disk) keeps the old file that --force was asked to replace, leaves no cut file under the real name and no
temporary beside it, and says "disk full" in one line."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from footfall import atomic
from footfall.atomic import atomic_output
from footfall.coaching.scripted import Gait, planned_run
from footfall.errors import InputError
from footfall.protocol.encode import SiStream
from footfall.recording.file import write_si_recording
from footfall.report.export import write_json
from footfall.virtual.runner import RunnerParams, simulate

Run = Callable[..., tuple[int, str, str]]
OLD = "the old file, which must survive\n"


def _recording(path: Path, seconds: float = 20.0) -> Path:
    run = simulate(RunnerParams(duration_s=seconds, seed=3, rate_hz=416))
    streams = [SiStream(s, s, int(f.rate_hz), f.acc_mps2, f.gyr_radps, acc_range_g=32) for s, f in run.feet.items()]
    return write_si_recording(path, streams, {"source": "test"})


def _full_midway(path: Path, half: str) -> None:
    """A writer that gets half its text out, then finds the disk full."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(half)
        f.flush()
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_writer_failing_midway_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    out.write_text(OLD)
    with pytest.raises(InputError, match=r"disk full: nothing written, .*a\.json unchanged"), atomic_output(out) as tmp:
        _full_midway(tmp, "{\"cut")
    assert out.read_text() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]  # no temporary left behind


def test_a_new_file_that_fails_is_not_created(tmp_path: Path) -> None:
    out = tmp_path / "new.csv"
    with pytest.raises(InputError, match="new.csv not created"), atomic_output(out) as tmp:
        _full_midway(tmp, "a,b\n1,")
    assert list(tmp_path.iterdir()) == []


def test_other_errors_say_what_failed_and_any_error_leaves_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    with pytest.raises(InputError, match="cannot write .*Input/output error; nothing written"), \
            atomic_output(out) as tmp:
        tmp.write_text("<html>")
        raise OSError(errno.EIO, "Input/output error")
    with pytest.raises(ZeroDivisionError), atomic_output(out) as tmp:
        tmp.write_text("<html>")
        raise ZeroDivisionError
    assert list(tmp_path.iterdir()) == []


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    out.write_text(OLD)
    out.chmod(0o640)
    with atomic_output(out) as tmp:
        tmp.write_text("new\n")
    assert out.read_text() == "new\n" and out.stat().st_mode & 0o777 == 0o640


@pytest.fixture
def history(ff: Run, tmp_path: Path) -> Run:
    run = write_json(planned_run([(120, Gait())]), tmp_path / "run.json", {"start_utc": "2026-11-03T10:00:00Z"})
    ff("runner", "add", "Ann")
    ff("history", "add", str(run), "--runner", "Ann")
    return ff


WRITERS = [
    ("analyse", "a.json", ["analyse", "{rec}", "--json", "{out}"]),
    ("analyse", "a.csv", ["analyse", "{rec}", "--csv", "{out}"]),
    ("report", "r.html", ["report", "1", "-o", "{out}"]),
    ("history export", "s.csv", ["history", "export", "1", "-o", "{out}"]),
    ("history export", "s.json", ["history", "export", "1", "-o", "{out}"]),
    ("history export", "s.fit", ["history", "export", "1", "-o", "{out}"]),
    ("runner export", "c.json", ["runner", "export", "Ann", "-o", "{out}"]),
    ("export", "e.csv", ["export", "{rec}", "--csv", "{out}"]),
]


@pytest.mark.parametrize(("command", "name", "argv"), WRITERS, ids=[w[1] + ":" + w[0] for w in WRITERS])
def test_every_cli_writer_keeps_the_old_file_on_a_full_disk(history: Run, tmp_path: Path, command: str, name: str,
                                                            argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    rec = _recording(tmp_path / "run.ffr") if command in ("analyse", "export") else tmp_path / "none.ffr"
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / name
    out.write_text(OLD)

    def full(path: Path) -> None:  # the whole text went out; flushing it to the disk finds the disk full
        assert path.stat().st_size > 0 and path.parent == folder
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_sync", full)
    code, _, err = history(*[a.format(rec=rec, out=out) for a in argv], "--force")
    assert code == 2 and f"disk full: nothing written, {out} unchanged" in err
    assert out.read_text() == OLD
    assert [p.name for p in folder.iterdir()] == [name]


def test_a_real_file_size_limit_cuts_nothing(tmp_path: Path) -> None:
    """As QA17 ran it (`ulimit -f 20`): the analysis JSON does not fit; the old one stays whole."""
    resource = pytest.importorskip("resource", reason="no file-size limit (setrlimit) on Windows")
    rec = _recording(tmp_path / "run.ffr")
    out = tmp_path / "precious.json"
    out.write_text(OLD)
    home = tmp_path / "home"  # apart from the output's folder: matplotlib (report.console imports it) caches there
    home.mkdir()
    env = {**os.environ, "HOME": str(home)}

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (20 * 1024, resource.RLIM_INFINITY))

    proc = subprocess.run([sys.executable, "-m", "footfall", "analyse", str(rec), "--json", str(out), "--force"],
                          capture_output=True, text=True, preexec_fn=limit, env=env, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert "disk full: nothing written" in proc.stderr and out.read_text() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "precious.json", "run.ffr"]


def test_a_device_is_written_in_place_and_a_link_stays_a_link(tmp_path: Path) -> None:
    """`--json /dev/stdout --force` writes to the device (a temporary renamed onto /dev/stdout would replace the
    device's own name), and a link keeps pointing at its file, which gets the new text."""
    import stat

    with atomic_output(Path(os.devnull)) as tmp:
        assert tmp == Path(os.devnull)
        tmp.write_text("gone")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    target = tmp_path / "real.json"
    target.write_text(OLD)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    write = atomic.write_text_atomic(link, "new")
    assert write == link and link.is_symlink() and target.read_text() == "new"
