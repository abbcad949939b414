#!/usr/bin/env bash
# The README's screenshots (docs/screenshots/*.png), made again from scratch:
#   scripts/screenshots.sh            (after scripts/setup.sh; needs Chromium, like the browser tests)
# A fresh demo database (so every picture carries the DATI DIMOSTRATIVI mark), one
# `lgnet2 snapshot` per view, then each PNG is cut to its first screens and reduced to a
# 256-colour palette (Pillow, installed with Streamlit) so that each stays well under 300 KB.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=docs/screenshots
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
DB="sqlite:///$TMP/demo.sqlite"
mkdir -p "$OUT"

.venv/bin/lgnet2 demo --db "$DB" >/dev/null

shot() {  # shot NAME lgnet2-snapshot-options...
  local name=$1
  shift
  .venv/bin/lgnet2 snapshot --db "$DB" --out "$TMP/$name.png" "$@" >/dev/null
  echo "$name"
}
shot overview-public-it --page overview --lang it --width 1280
shot summary-public-en --page public_summary --lang en --width 1280
shot territorial-map-city-it --page territorial_map --role city:037006 --lang it --width 1280
shot benchmark-steering-en --page benchmark --role steering --lang en --width 1280
shot overview-phone-it --page overview --lang it --width 390

# Cut (desktop: the first 1,700 px; phone: the first 2,400 px) and quantise.
.venv/bin/python - "$TMP" "$OUT" <<'PY'
import sys
from pathlib import Path

from PIL import Image

src, out = Path(sys.argv[1]), Path(sys.argv[2])
for png in sorted(src.glob("*.png")):
    image = Image.open(png).convert("RGB")
    limit = 2400 if image.width < 600 else 1700
    image = image.crop((0, 0, image.width, min(image.height, limit)))
    small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    target = out / png.name
    small.save(target, optimize=True)
    print(f"{target}: {image.width}x{image.height}, {target.stat().st_size // 1024} KB")
PY
