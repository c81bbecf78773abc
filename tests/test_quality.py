"""House rules checked on every run: the host package type-checks, no module grows past ~500 lines, and no
modules import each other in a cycle."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAX_LINES = 500


def test_host_package_is_mypy_clean() -> None:
    proc = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"], cwd=REPO, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_no_source_file_is_too_long() -> None:
    long = [(str(p.relative_to(REPO)), n) for p in [*REPO.glob("host/**/*.py"), *REPO.glob("firmware/**/*.py")]
            if (n := len(p.read_text().splitlines())) > MAX_LINES]
    assert not long, long


def test_ci_runs_the_readme_test_command() -> None:
    readme = [line for line in (REPO / "README.md").read_text().splitlines() if line.startswith("python3 -m venv")]
    assert len(readme) >= 2 and "pytest" in readme[1]
    ci = (REPO / ".ci" / "run").read_text().splitlines()
    assert readme[1] in ci  # the README's second command, exactly as CI runs it


def _imports(path: Path) -> set[str]:
    """The footfall modules `path` imports anywhere in it (lazy, function-level imports included; not those
    under `if TYPE_CHECKING:`, which never run)."""
    import ast

    tree = ast.parse(path.read_text())
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and ast.unparse(node.test) ==
                   "TYPE_CHECKING" for stmt in node.body for n in ast.walk(stmt)}  # names for annotations only
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("footfall"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("footfall"))
    return found


def test_no_import_cycles() -> None:
    """Modules import downstream of the data flow only, lazily or not: a cycle hidden by a function-level import
    is still a cycle (cli.common -> live.run -> cli.analyse -> cli.common was one)."""
    package = REPO / "host"
    modules = {".".join(p.relative_to(package).with_suffix("").parts).removesuffix(".__init__"): p
               for p in package.glob("footfall/**/*.py") if "mpy_shims" not in p.parts}
    graph = {name: {m for m in _imports(path) if m in modules and m != name}
             for name, path in modules.items()}
    cycles = []
    for start in graph:  # depth-first search from each module back to itself
        stack, seen = [(start, [start])], set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    cycles.append(" -> ".join([*trail, start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
    assert not cycles, sorted(set(cycles))[:10]
