"""The mounting picture (hardware/axes.svg): where the clips go and the sensor axes x toe, y left, z up."""

from __future__ import annotations

_ARROW = ('<defs><marker id="head" markerWidth="12" markerHeight="10" refX="10" refY="5" orient="auto" markerUnits="userSpaceOnUse">'
          '<path d="M0,0 L12,5 L0,10 z" fill="#444"/></marker></defs>')
_COLORS = {"x": "#d62728", "y": "#2ca02c", "z": "#1f77b4"}


def _arrow(x0: float, y0: float, dx: float, dy: float, axis: str, label: str) -> str:
    c = _COLORS[axis]
    return (f'<line x1="{x0}" y1="{y0}" x2="{x0 + dx}" y2="{y0 + dy}" stroke="{c}" stroke-width="3" '
            f'marker-end="url(#head)"/><text x="{x0 + dx * 1.18 - 6}" y="{y0 + dy * 1.18 + 5}" fill="{c}" '
            f'font-weight="bold">{label}</text>')


def _out_of_page(x: float, y: float, axis: str, label: str, into: bool) -> str:
    c = _COLORS[axis]
    mark = (f'<line x1="{x - 6}" y1="{y - 6}" x2="{x + 6}" y2="{y + 6}" stroke="{c}" stroke-width="2"/>'
            f'<line x1="{x - 6}" y1="{y + 6}" x2="{x + 6}" y2="{y - 6}" stroke="{c}" stroke-width="2"/>'
            if into else f'<circle cx="{x}" cy="{y}" r="3" fill="{c}"/>')
    return (f'<circle cx="{x}" cy="{y}" r="10" fill="white" stroke="{c}" stroke-width="2"/>{mark}'
            f'<text x="{x + 12}" y="{y + 26}" fill="{c}" font-weight="bold">{label}</text>')


def _top_view() -> list[str]:
    shoe = ("M 60,150 C 60,105 110,95 170,100 C 250,105 300,80 380,85 C 440,90 470,120 470,150 "
            "C 470,180 440,205 380,210 C 300,215 250,195 170,200 C 110,205 60,195 60,150 z")
    return [
        '<text x="40" y="40" font-size="15" font-weight="bold">Top view (left shoe, toe to the right)</text>',
        f'<path d="{shoe}" fill="#eee" stroke="#555" stroke-width="2"/>',
        '<rect x="255" y="130" width="50" height="36" rx="5" fill="#ffd27f" stroke="#a86b00" stroke-width="2"/>',
        '<text x="240" y="250" fill="#a86b00">lace clip (on the top laces)</text>',
        '<rect x="62" y="132" width="24" height="32" rx="4" fill="none" stroke="#a86b00" stroke-width="2" '
        'stroke-dasharray="5,3"/>',
        '<text x="40" y="250" fill="#a86b00">heel clip (dashed)</text>',
        _arrow(280, 148, 80, 0, "x", "x toe"),
        _arrow(280, 148, 0, -70, "y", "y left"),
        _out_of_page(280, 148, "z", "z up (toward you)", into=False),
    ]


def _side_view() -> list[str]:
    shoe = ("M 560,220 L 560,150 C 560,130 580,120 610,122 C 660,125 700,110 760,118 C 820,126 850,170 "
            "890,190 C 905,200 905,220 890,222 z")
    return [
        '<text x="540" y="40" font-size="15" font-weight="bold">Side view (seen from the right)</text>',
        '<g transform="translate(0,40)">',
        f'<path d="{shoe}" fill="#eee" stroke="#555" stroke-width="2"/>',
        '<rect x="540" y="222" width="370" height="10" fill="#888"/>',
        '<text x="560" y="250">sole on the ground, sensor level: the accelerometer</text>',
        '<text x="560" y="266">reads +1 g on z (gravity points -z)</text>',
        '<rect x="695" y="98" width="48" height="18" rx="4" fill="#ffd27f" stroke="#a86b00" stroke-width="2" '
        'transform="rotate(-8 719 107)"/>',
        _arrow(719, 107, 80, 0, "x", "x"),
        _arrow(719, 107, 0, -60, "z", "z"),
        _out_of_page(719, 107, "y", "y (into the page)", into=True),
        *_heel_clip(),
        '</g>',
    ]


def _heel_clip() -> list[str]:
    """The heel clip stands upright on the back of the heel counter, USB-C end down, lid facing back: x points
    down, z backward, so y (right-handed) points to the runner's right, out of this page."""
    return [
        '<rect x="544" y="150" width="14" height="50" rx="3" fill="none" stroke="#a86b00" stroke-width="2" '
        'stroke-dasharray="5,3"/>',
        _arrow(551, 163, 0, 28, "x", "x"),
        _arrow(551, 163, -28, 0, "z", "z"),
        '<text x="574" y="178" fill="#a86b00" font-size="12">heel clip (dashed): upright on the counter,</text>',
        '<text x="574" y="193" fill="#a86b00" font-size="12">switch end up, USB end down; y out of the page</text>',
    ]


def svg() -> str:
    body = [_ARROW, '<rect width="100%" height="100%" fill="white"/>', *_top_view(), *_side_view(),
            '<text x="40" y="355">Right-handed: x toward the toe, y to the runner\'s left, z up, with the shoe '
            'flat on the ground. The host aligns any mounting from gravity and the swing.</text>']
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="940" height="370" viewBox="0 0 940 370" '
            'font-family="sans-serif" font-size="13">\n' + "\n".join(body) + "\n</svg>\n")
