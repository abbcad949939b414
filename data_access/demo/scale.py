"""Synthetic cities for benchmarks at up to 100 times the demo's size (``lgnet2 demo --scale``):
copies of the 16 real cities, with their facts and neighbourhoods, under codes that are never
ISTAT codes and names that say "Sintetica".
"""

from __future__ import annotations

from data_access.reference_load import load_city_facts, load_neighbourhoods

MAX_COPIES = 99
_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def synthetic_code(n: int, real_code: str) -> str:
    """The code of copy ``n`` (0-based) of a real city: a letter (never a digit, so never an
    ISTAT code) and a copy mark, then the real code's last four digits (unique among the 16):
    ``X0....``-``X9....`` for the first ten copies (as before), then ``XA....``... ``Z....``."""
    prefix = "XYZ"[n // len(_DIGITS)] + _DIGITS[n % len(_DIGITS)]
    return f"{prefix}{real_code[2:]}"


def synthetic_cities(copies: int) -> tuple[list[dict], list[dict]]:
    """Extra, clearly synthetic cities (codes from :func:`synthetic_code`, names "Sintetica NN
    ...", at most ``MAX_COPIES``) and their neighbourhoods, for benchmarks at up to 100 times
    the size. Each copies one real city's facts and neighbourhoods."""
    real = load_city_facts()
    hoods = load_neighbourhoods()
    cities: list[dict] = []
    extra_hoods: list[dict] = []
    for n in range(copies):
        for c in real:
            code = synthetic_code(n, str(c["code"]))
            cities.append(dict(c, code=code, name=f"Sintetica {n + 1:02d} {c['name']}"))
            extra_hoods += [dict(h, city_code=code) for h in hoods if h["city_code"] == c["code"]]
    return cities, extra_hoods
