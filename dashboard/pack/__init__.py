"""The steering committee's meeting pack (issue 15): ``lgnet2 pack`` and the download buttons.

Roles: ``data`` (the numbers, once per role and month), ``content`` / ``content_pages`` (the
sections in one language), ``figures`` and ``maps`` (the pages' Plotly builders sized for
paper), ``html`` + ``templates/`` (Jinja2), ``pdf`` (Chromium print), ``slides`` (PPTX).
No streamlit here: the buttons call :func:`build_pack` with a progress callback.
"""

from dashboard.pack.build import FORMATS, build_pack, build_sections, count_units

__all__ = ["FORMATS", "build_pack", "build_sections", "count_units"]
