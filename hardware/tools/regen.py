"""Regenerate everything in hardware/ that is made from a source table, or check that it is up to date.

    python hardware/tools/regen.py          # write wiring.svg, axes.svg and the README's generated sections
    python hardware/tools/regen.py --check  # exit 1 and name the stale files instead of writing

The README keeps hand-written prose; only the text between `<!-- generated:NAME -->` and
`<!-- /generated:NAME -->` is replaced.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import axes_picture as axes  # noqa: E402
import power_budget as power  # noqa: E402
import wiring_diagram as wiring  # noqa: E402

HARDWARE = Path(__file__).resolve().parents[1]
README = HARDWARE / "README.md"


def sections() -> dict[str, str]:
    table = power.load()
    return {"wiring": wiring.markdown_table(wiring.load()), "currents": power.currents_table(table),
            "radio": power.radio_table(table), "battery": power.life_table(table),
            "public": power.public_table(table)}


def fill(readme: str, generated: dict[str, str]) -> str:
    for name, body in generated.items():
        pattern = re.compile(rf"(<!-- generated:{name} -->\n).*?(<!-- /generated:{name} -->)", re.S)
        if not pattern.search(readme):
            raise SystemExit(f"README.md has no <!-- generated:{name} --> section")
        readme = pattern.sub(lambda m: m.group(1) + body + m.group(2), readme)
    return readme


def outputs() -> dict[Path, str]:
    boards = wiring.load()
    return {HARDWARE / "wiring.svg": wiring.svg(boards["xiao_esp32s3"]), HARDWARE / "axes.svg": axes.svg(),
            README: fill(README.read_text(), sections())}


def main(argv: list[str]) -> int:
    stale = [p for p, text in outputs().items() if not p.exists() or p.read_text() != text]
    if "--check" in argv:
        for p in stale:
            print(f"stale: {p.relative_to(HARDWARE.parent)} (run python hardware/tools/regen.py)")
        return 1 if stale else 0
    for p, text in outputs().items():
        p.write_text(text)
    print(f"wrote {len(stale)} changed file(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
