"""Disclosure control: what a viewer may see of the data.

``tables`` (the disclosed table of a viewer), ``core`` and ``check`` (suppression, rounding and
the HiGHS proof), ``units`` (the protected units and totals), ``sites`` (protected shelters).
"""

from data_access.disclosure.sites import (
    COORDINATE_COLUMNS,
    disclose_protected_places,
    places_exact,
    strip_coordinates,
)
from data_access.disclosure.tables import (
    BELOW,
    FLAG_LABELS,
    FLAG_NONE,
    FLAG_PARTIAL,
    FLAG_ROUNDED,
    FLAG_SUPPRESSED,
    SECONDARY_MARK,
    TOTAL_COLUMNS,
    DisclosedTable,
    apply_disclosure,
    disclose_table,
    flag_for,
    flag_label,
    format_value,
    policy_for,
    sum_disclosed,
)

__all__ = [
    "COORDINATE_COLUMNS",
    "disclose_protected_places",
    "places_exact",
    "strip_coordinates",
    "BELOW",
    "DisclosedTable",
    "FLAG_LABELS",
    "FLAG_NONE",
    "FLAG_PARTIAL",
    "FLAG_ROUNDED",
    "FLAG_SUPPRESSED",
    "SECONDARY_MARK",
    "TOTAL_COLUMNS",
    "apply_disclosure",
    "disclose_table",
    "flag_for",
    "flag_label",
    "format_value",
    "policy_for",
    "sum_disclosed",
]
