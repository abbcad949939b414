"""The EU emblem, drawn as inline SVG (no file, no network): the public summary page and the
meeting pack's cover both show it beside the funding statement."""

from __future__ import annotations

import math


def eu_flag_svg(size_attr: str) -> str:
    """12 gold five-pointed stars in a circle on blue (3:2).

    Args:
        size_attr: the SVG's size attribute(s), e.g. ``'height="48"'`` on a page or
            ``'style="height:34mm"'`` in print.
    """
    w, h, ring, r_out = 810, 540, 180, 30
    r_in = r_out * math.sin(math.radians(18)) / math.sin(math.radians(54))
    stars = []
    for k in range(12):
        cx = w / 2 + ring * math.sin(math.radians(30 * k))
        cy = h / 2 - ring * math.cos(math.radians(30 * k))
        pts = " ".join(
            f"{cx + (r_out if i % 2 == 0 else r_in) * math.sin(math.radians(36 * i)):.1f},"
            f"{cy - (r_out if i % 2 == 0 else r_in) * math.cos(math.radians(36 * i)):.1f}"
            for i in range(10)
        )
        stars.append(f'<polygon points="{pts}"/>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" {size_attr} '
        f'role="img" aria-label="EU"><rect width="{w}" height="{h}" fill="#003399"/>'
        f'<g fill="#FFCC00">{"".join(stars)}</g></svg>'
    )
