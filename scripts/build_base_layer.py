"""Rebuild the bundled base layer (``geo/data/*.geojson``) from the reference boundary files.

    .venv/bin/python scripts/build_base_layer.py [../shared/reference/geo]

Source: ISTAT administrative boundaries (June 2023, CC-BY 3.0) as published by openpolis
(geojson-italy, CC-BY 4.0). Each layer is written once per zoom level in ``geo.base_layer.LEVELS``,
simplified to half a screen pixel at that zoom (``geo.simplify.tolerance_for_zoom``); regions are
simplified as a coverage so that neighbours keep a common border. Output is deterministic
(sorted features, rounded coordinates, sorted keys), so re-running it changes no byte.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.base_layer import DATA_DIR, LEVELS, layer_path  # noqa: E402
from geo.simplify import simplify_coverage, tolerance_for_zoom  # noqa: E402

SOURCES = {
    "regions": ("italy_regions.geojson", "reg_istat_code", "reg_name"),
    "municipalities": ("lgnet16_municipalities.geojson", "com_istat_code", "name"),
}


def decimals_for(zoom: int) -> int:
    """Coordinate decimals that keep a tenth of the tolerance (never finer than 1e-5 degree)."""
    return 4 if zoom <= 11 else 5


def build(source_dir: Path) -> list[Path]:
    written = []
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    for layer, (filename, code_key, name_key) in SOURCES.items():
        raw = json.loads((source_dir / filename).read_text(encoding="utf-8"))
        feats = sorted(raw["features"], key=lambda f: str(f["properties"][code_key]))
        geoms = [shape(f["geometry"]) for f in feats]
        for zoom in LEVELS[layer]:
            simplified = [
                # Rounding may make a ring touch itself; buffer(0) repairs that in place.
                g if g.is_valid else g.buffer(0)
                for g in simplify_coverage(geoms, tolerance_for_zoom(zoom), decimals_for(zoom))
            ]
            assert all(g.is_valid and not g.is_empty for g in simplified), (layer, zoom)
            out = {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {
                            "code": str(f["properties"][code_key]),
                            "name": f["properties"][name_key],
                        },
                        "geometry": mapping(g),
                    }
                    for f, g in zip(feats, simplified, strict=True)
                ],
            }
            path = layer_path(layer, zoom)
            path.write_text(
                json.dumps(out, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
                encoding="utf-8",
            )
            written.append(path)
    return written


if __name__ == "__main__":
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent.parent / "shared/reference/geo"
    for p in build(src):
        print(f"{p.relative_to(ROOT)}  {p.stat().st_size / 1024:.0f} KB")
