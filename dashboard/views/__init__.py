"""What a page shows, computed from the frames it is given: pure, typed, no Streamlit.

One module per page that needs it (``overview``, ``benchmark``, ``work_package``). A page opens
with ``shell.context()``, reads the cached frames (``dashboard.cache``/``computed``), hands them
to these functions through ``memo`` (so a rerun does not compute them again), and draws. The
numbers themselves come from ``data_access.metrics``; here they are selected, joined and put into
words, so that the unit tests can check what a page says without running it.
"""
