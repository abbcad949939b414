"""Streamlit's own widget strings in the page's language (issue 11, point 11).

Streamlit writes some words itself, in English, with no parameter to change them: the file
uploader ("Upload", "Limit 10MB per file"), the empty-selection placeholder, the "Help for ..."
label of the help icons, the table toolbar, the sidebar buttons. Where Streamlit has a parameter
(``placeholder`` of a selectbox) the app sets it; for the rest the router adds one fixed script
(no data in it, only the two locale files' words) that rewrites those strings in the page and
keeps doing so as Streamlit redraws. On English pages it writes the English words back, so a
language switch leaves no Italian behind.
"""

from __future__ import annotations

import json
import re

import streamlit as st

from dashboard.i18n import translate

#: Streamlit's English string -> the locale key of the app's word for it.
STRINGS: dict[str, str] = {
    "Choose an option": "widgets.choose",
    "Choose options": "widgets.choose_many",
    "Upload": "widgets.upload",
    "Browse files": "widgets.browse",
    "Drag and drop file here": "widgets.drop",
    "Drag and drop files here": "widgets.drop",
    "Fullscreen": "widgets.fullscreen",
    "Close fullscreen": "widgets.close_fullscreen",
    "Search": "widgets.search",
    "Download as CSV": "widgets.download_csv",
    "Show/hide columns": "widgets.columns",
    "Open": "widgets.open",
    "Close": "widgets.close",
    "Sidebar": "widgets.sidebar",
    "Collapse sidebar": "widgets.collapse_sidebar",
    "Expand sidebar": "widgets.expand_sidebar",
    "Clear all": "widgets.clear_all",
    "Clear": "widgets.clear",
    "Remove file": "widgets.remove_file",
    "file upload": "widgets.file_upload",
}
#: Patterns: Streamlit's English with one part kept ($1), and the locale key of the app's words.
PATTERNS: dict[str, str] = {
    r"^Help for (.+)$": "widgets.help_for",
    r"^Limit (\S+) per file(.*)$": "widgets.limit",
    r"^(\S+) per file(.*)$": "widgets.per_file",
    # A text field's hint, with its character count when it has one ("• 31/300").
    r"^Press Enter to apply()(.*)$": "widgets.press_enter",
}

_SCRIPT = """
<script>
(() => {
  const cfg = %s;
  window.__lgWidgetStrings = cfg;
  if (window.__lgWidgetObserver) { window.__lgWidgetApply && window.__lgWidgetApply(document.body); return; }
  const ATTRS = ["placeholder", "aria-label", "title"];
  const tr = (s) => {
    const c = window.__lgWidgetStrings; if (!s || !c) return null;
    const t = s.trim(); if (c.exact[t] !== undefined) return s.replace(t, c.exact[t]);
    for (const [re, out] of c.patterns) { const m = t.match(new RegExp(re)); if (m) return out.replace("$1", m[1]).replace("$2", m[2] || ""); }
    return null;
  };
  const apply = (root) => {
    if (!root) return;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let n; while ((n = walker.nextNode())) { const v = tr(n.nodeValue); if (v !== null && v !== n.nodeValue) n.nodeValue = v; }
    const els = root.querySelectorAll ? root.querySelectorAll("[placeholder],[aria-label],[title]") : [];
    for (const e of [root, ...els]) {
      if (!e.getAttribute) continue;
      for (const a of ATTRS) { const v = e.getAttribute(a); const w = tr(v); if (w !== null && w !== v) e.setAttribute(a, w); }
    }
  };
  window.__lgWidgetApply = apply;
  apply(document.body);
  window.__lgWidgetObserver = new MutationObserver((muts) => {
    for (const m of muts) {
      if (m.type === "characterData") { const v = tr(m.target.nodeValue); if (v !== null && v !== m.target.nodeValue) m.target.nodeValue = v; }
      else if (m.type === "attributes") { apply(m.target); }
      else for (const a of m.addedNodes) { if (a.nodeType === 3) { const v = tr(a.nodeValue); if (v !== null && v !== a.nodeValue) a.nodeValue = v; } else apply(a); }
    }
  });
  window.__lgWidgetObserver.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRS});
})();
</script>
"""


def config(lang: str) -> dict[str, object]:
    """The replacements for ``lang``: English -> Italian on Italian pages; on English pages the
    Italian words back to Streamlit's English (after a switch from Italian)."""
    exact: dict[str, str] = {}
    patterns: list[tuple[str, str]] = []
    for english, key in STRINGS.items():
        italian = translate("it", key)
        if lang == "it":
            exact[english] = italian
        elif italian != english:
            exact[italian] = english
    for pattern, key in PATTERNS.items():
        if lang == "it":
            patterns.append((pattern, translate("it", key, value="$1", rest="$2")))
        else:
            it = re.escape(translate("it", key, value="\x00", rest="\x01"))
            back = "^" + it.replace("\x00", "(.+?)").replace("\x01", "(.*)") + "$"
            patterns.append((back, translate("en", key, value="$1", rest="$2")))
    return {"exact": exact, "patterns": patterns}


def render(lang: str) -> None:
    """Add the script to the page (the router calls it on every run, in the sidebar)."""
    st.sidebar.html(_SCRIPT % json.dumps(config(lang)), unsafe_allow_javascript=True)


def placeholder(lang: str) -> str:
    """The text of an empty selectbox, for ``placeholder=`` (Streamlit's own is English)."""
    return translate(lang, "widgets.choose")


__all__ = ["PATTERNS", "STRINGS", "config", "placeholder", "render"]
