"""Pure chart builders: data frames in, plotly figures out (``core``: the base figure and the
trajectory; ``matrix``: status and completeness heatmaps; ``bars``; ``series``; ``benchmark``
for the benchmarking page). No streamlit.
"""

from dashboard.charts.bars import sorted_bars, spending_bars, wp_progress_bars
from dashboard.charts.core import trajectory
from dashboard.charts.matrix import completeness_heatmap, status_matrix
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
