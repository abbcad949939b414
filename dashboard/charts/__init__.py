"""Pure chart builders: data frames in, plotly figures out (``core``; ``benchmark`` for the
benchmarking page). No streamlit.
"""

from dashboard.charts.core import (
    completeness_heatmap,
    sorted_bars,
    spending_bars,
    status_matrix,
    trajectory,
    wp_progress_bars,
)
from dashboard.charts.series import small_multiples

__all__ = [
    "completeness_heatmap",
    "small_multiples",
    "sorted_bars",
    "spending_bars",
    "status_matrix",
    "trajectory",
    "wp_progress_bars",
]
