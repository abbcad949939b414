"""Download payloads: PNG of a chart, CSV and XLSX of a table (pure: bytes out, no streamlit).

Every payload built on demo data carries the demo mark: the PNG in an annotation on the image,
the CSV as its first line (``# DATI DIMOSTRATIVI / demo data ...``), the XLSX as a first sheet
("Nota" / "Note") that also names the source, the data cut-off and the licence. Text cells are
neutralised against formula injection before they are written (``data_access.sanitize``).

PNG rendering uses Kaleido 1.x, which drives a headless Chromium (Debian's ``/usr/bin/chromium``
here). One Kaleido server is started per process on first use and reused, so later images take
a fraction of a second instead of a browser start.
"""

from __future__ import annotations

import copy
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import fmt_date, translate
from data_access.sanitize import neutralise_frame

DEMO_ANNOTATION = "lg_demo_mark"  # ``name`` of the annotation, so it is added only once
PNG_WIDTH, PNG_HEIGHT, PNG_SCALE = 1200, 675, 2
_kaleido_lock = threading.Lock()
_kaleido_started = False


@dataclass(frozen=True)
class Provenance:
    """What every download says about itself."""

    lang: str = "it"
    demo: bool = False
    cutoff: str | None = None  # ISO date of the data cut-off
    title: str = ""
    notes: Sequence[str] = field(default_factory=tuple)

    def lines(self) -> list[str]:
        """Human lines for the CSV header / XLSX note sheet (demo mark first when relevant)."""
        out: list[str] = []
        if self.demo:
            out.append(
                f"{translate(self.lang, 'demo.mark')} — {translate(self.lang, 'demo.banner')}"
            )
        if self.title:
            out.append(self.title)
        out.append(translate(self.lang, "downloads.source"))
        if self.cutoff:
            out.append(translate(self.lang, "data.cutoff", date=fmt_date(self.cutoff, self.lang)))
        out.append(translate(self.lang, "downloads.licence"))
        out.extend(self.notes)
        return out


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and headers cannot run as spreadsheet formulas.

    The rule is ``data_access.sanitize.neutralise_frame`` (shared with ``lgnet2 export``).
    """
    return neutralise_frame(frame)


# ---------------------------------------------------------------------------------- tables
def csv_bytes(frame: pd.DataFrame, prov: Provenance) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheet programs read accents right).

    When ``prov.demo`` the first line is ``# <demo mark> ...``; read it back with
    ``pd.read_csv(..., comment="#")`` or ``skiprows=1``.
    """
    body = neutralise(frame).to_csv(index=False, lineterminator="\n")
    head = ""
    if prov.demo:
        head = "# " + prov.lines()[0].replace("\n", " ") + "\n"
    return ("\ufeff" + head + str(body)).encode("utf-8")


#: Excel's locale tag per language, so typed numbers show "1.234,5" in Italian wherever opened.
_XLSX_LOCALE = {"it": "[$-410]", "en": "[$-809]"}


def number_format(values: pd.Series, lang: str, percent: bool = False) -> str:
    """The XLSX number format of a numeric column: thousands separator, decimals only when the
    column has fractions, percent for shares; tagged with the language's locale."""
    finite = values.dropna().astype(float)
    whole = bool(len(finite)) and bool((finite == finite.round()).all())
    if percent:
        code = "0.0%"
    else:
        code = "#,##0" if whole or not len(finite) else "#,##0.0#"
    return _XLSX_LOCALE.get(lang, "") + code


def xlsx_bytes(
    frame: pd.DataFrame,
    prov: Provenance,
    sheet: str = "dati",
    percent_columns: Sequence[str] = (),
) -> bytes:
    """An XLSX workbook: a note sheet first (demo mark, source, cut-off, licence), then data.
    Numeric columns are written as number cells with the language's number format (shares in
    ``percent_columns`` as percentages); only text cells are neutralised against formulas."""
    buf = io.BytesIO()
    note_name = translate(prov.lang, "downloads.note_sheet")
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        notes = pd.DataFrame({translate(prov.lang, "downloads.note_header"): prov.lines()})
        neutralise(notes).to_excel(writer, sheet_name=note_name[:31], index=False)
        neutralise(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
        ws = writer.sheets[note_name[:31]]
        ws.column_dimensions["A"].width = 110
        data = writer.sheets[sheet[:31]]
        for j, col in enumerate(frame.columns, start=1):
            values = frame[col]
            if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
                fmt = number_format(values, prov.lang, percent=col in percent_columns)
                for (cell,) in data.iter_rows(min_row=2, min_col=j, max_col=j):
                    cell.number_format = fmt
            width = max([len(str(col))] + [len(str(v)) for v in values.head(200)])
            data.column_dimensions[data.cell(row=1, column=j).column_letter].width = min(
                60, max(10, width + 2)
            )
    return buf.getvalue()


# ---------------------------------------------------------------------------------- charts
def mark_figure(
    fig: go.Figure, prov: Provenance, *, width: int = PNG_WIDTH, height: int = PNG_HEIGHT
) -> go.Figure:
    """A copy of ``fig`` laid out for an image of ``width`` x ``height`` with its marks.

    The demo mark (when ``prov.demo``) sits in the top-right corner of the image, the data
    cut-off in the bottom-right corner, both outside the plot area so they cover no data.
    Idempotent: the annotations are named and added once.
    """
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    top, bottom = 120, 90
    margin = out.layout.margin
    out.update_layout(
        width=width,
        height=height,
        margin={"t": top, "b": bottom, "l": max(margin.l or 0, 60), "r": max(margin.r or 0, 40)},
    )
    out.update_layout(title={"y": 0.985, "yref": "container", "yanchor": "top"})
    plot_h = max(height - top - bottom, 1)
    names = {a.name for a in out.layout.annotations}
    if prov.demo and DEMO_ANNOTATION not in names:
        out.add_annotation(
            name=DEMO_ANNOTATION,
            text=f"<b>{translate(prov.lang, 'demo.mark')}</b>",
            xref="paper",
            yref="paper",
            x=1,
            y=1 + (top - 12) / plot_h,
            xanchor="right",
            yanchor="top",
            showarrow=False,
            font={"size": 14, "color": "#17324D"},
            bgcolor="#FFF3CD",
            bordercolor="#B8860B",
            borderwidth=2,
            borderpad=4,
        )
    if "lg_cutoff" not in names:
        line = translate(prov.lang, "downloads.source")
        if prov.cutoff:
            line = (
                translate(prov.lang, "data.cutoff", date=fmt_date(prov.cutoff, prov.lang))
                + " · "
                + line
            )
        out.add_annotation(
            name="lg_cutoff",
            text=line,
            xref="paper",
            yref="paper",
            x=1,
            y=-(bottom - 8) / plot_h,
            xanchor="right",
            yanchor="bottom",
            showarrow=False,
            font={"size": 11, "color": "#5C6F82"},
        )
    return out


def _start_kaleido() -> None:
    global _kaleido_started
    with _kaleido_lock:
        if _kaleido_started:
            return
        import kaleido

        kaleido.start_sync_server(silence_warnings=True)
        _kaleido_started = True


def png_bytes(
    fig: go.Figure,
    prov: Provenance,
    *,
    width: int = PNG_WIDTH,
    height: int = PNG_HEIGHT,
    scale: int = PNG_SCALE,
) -> bytes:
    """The chart as a PNG for a report page, with the demo mark and the cut-off line."""
    marked = mark_figure(fig, prov, width=width, height=height)
    if prov.title and not marked.layout.title.text:
        # On screen the page's heading names the chart; the image must name itself.
        marked.update_layout(
            title={"text": prov.title, "x": 0.01, "xanchor": "left", "font": {"size": 18}}
        )
    _start_kaleido()
    png: bytes = marked.to_image(format="png", width=width, height=height, scale=scale)
    return png


def file_name(stem: str, ext: str, prov: Provenance) -> str:
    """``stem`` plus ``_demo`` when on demo data, so a saved file says it too."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem).strip("_") or "lgnet2"
    return f"{safe}{'_demo' if prov.demo else ''}.{ext}"
