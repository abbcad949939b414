"""The observations in SDMX-CSV 2.0, and the data structure definition (DSD) that reads them.

Dimensions ``CITY`` (ISTAT code), ``INDICATOR``, ``TIME_PERIOD`` (YYYY-MM); measure
``OBS_VALUE``; attributes ``UNIT_MEASURE``, ``OBS_STATUS`` and ``CONF_STATUS`` (code ids of the
SDMX cross-domain code lists CL_OBS_STATUS 2.2 and CL_CONF_STATUS 1.3) and, on demo data,
``DEMO``. The disclosure flag of each cell becomes its status:

=============  ==========  ===========  ===============================================
flag           OBS_STATUS  CONF_STATUS  meaning
=============  ==========  ===========  ===============================================
(empty)        A           F            normal value, free for publication
arrotondato    E           F            estimated: rounded to the nearest 5
soppresso      Q           C            missing value, suppressed: confidential
=============  ==========  ===========  ===============================================

The CSV is written with pandas from the public observations (same rows, same values); the DSD
is an SDMX-ML 2.1 structure message written by the ``sdmx1`` library, so that any SDMX tool can
read the CSV with it (``sdmx.read_sdmx(csv, structure=dataflow)``).
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import pandas as pd
import sdmx
from sdmx.message import Header, StructureMessage
from sdmx.model import common
from sdmx.model import v21 as model

from data_access.disclosure import FLAG_NONE, FLAG_PARTIAL, FLAG_ROUNDED, FLAG_SUPPRESSED
from data_access.export import DEMO_MARK

AGENCY_ID = "LGNET2"
DATAFLOW_ID = "DF_LGNET2_OBS"
DSD_ID = "DSD_LGNET2_OBS"
VERSION = "1.0"
STRUCTURE_ID = f"{AGENCY_ID}:{DATAFLOW_ID}({VERSION})"
COLUMNS = [
    "STRUCTURE",
    "STRUCTURE_ID",
    "ACTION",
    "CITY",
    "INDICATOR",
    "TIME_PERIOD",
    "OBS_VALUE",
    "UNIT_MEASURE",
    "OBS_STATUS",
    "CONF_STATUS",
]
#: flag -> (OBS_STATUS, CONF_STATUS)
STATUS: dict[str, tuple[str, str]] = {
    FLAG_NONE: ("A", "F"),
    FLAG_ROUNDED: ("E", "F"),
    FLAG_PARTIAL: ("E", "F"),
    FLAG_SUPPRESSED: ("Q", "C"),
}
OBS_STATUS_CODES = {
    "A": ("Valore normale", "Normal value"),
    "E": ("Valore stimato (arrotondato a 5)", "Estimated value (rounded to 5)"),
    "Q": ("Valore mancante; soppresso", "Missing value; suppressed"),
}
CONF_STATUS_CODES = {
    "F": ("Libero", "Free"),
    "C": ("Informazione statistica riservata", "Confidential statistical information"),
}


def unit_code(unit: str) -> str:
    """An SDMX code id for a catalogue unit: ``%`` -> ``PC``, else the word in upper-case
    ASCII (``attività`` -> ``ATTIVITA``)."""
    if unit == "%":
        return "PC"
    ascii_ = unicodedata.normalize("NFKD", unit).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "_" for c in ascii_).upper()


def sdmx_frame(observations: pd.DataFrame, indicators: pd.DataFrame, demo: bool) -> pd.DataFrame:
    """The SDMX-CSV 2.0 rows of the public observations (same order, same values): the monthly
    city values (rows of ``level`` month when the table also carries published totals)."""
    if "level" in observations:
        observations = observations[observations["level"] == "month"]
    units = indicators.set_index("code")["unit"].map(unit_code)
    status = [STATUS[f] for f in observations["flag"].fillna(FLAG_NONE)]
    out = pd.DataFrame(
        {
            "STRUCTURE": "dataflow",
            "STRUCTURE_ID": STRUCTURE_ID,
            "ACTION": "I",
            "CITY": observations["city_code"],
            "INDICATOR": observations["indicator"],
            "TIME_PERIOD": observations["period"],
            "OBS_VALUE": observations["value"],
            "UNIT_MEASURE": observations["indicator"].map(units),
            "OBS_STATUS": [s[0] for s in status],
            "CONF_STATUS": [s[1] for s in status],
        },
        columns=COLUMNS,
    )
    if demo:
        out["DEMO"] = DEMO_MARK
    return out


def _codelist(
    agency: common.Agency, id_: str, codes: dict[str, tuple[str, str]]
) -> common.Codelist:
    cl: common.Codelist = common.Codelist(
        id=id_, maintainer=agency, version=VERSION, is_final=True, name={"en": id_}
    )
    for key in sorted(codes):
        it, en = codes[key]
        cl.append(common.Code(id=key, name={"it": it, "en": en}))
    return cl


def structure_xml(
    cities: pd.DataFrame, indicators: pd.DataFrame, cutoff: str, data_version: str
) -> bytes:
    """The DSD and dataflow of ``observations.sdmx.csv`` with their code lists, as an SDMX-ML
    2.1 structure message. ``Prepared`` is the data's cut-off date, never the clock."""
    agency = common.Agency(id=AGENCY_ID, name={"it": "Programma LGNet2", "en": "LGNet2 programme"})
    city_cl = _codelist(
        agency,
        "CL_CITY",
        {c: (n, n) for c, n in zip(cities["city_code"], cities["city"], strict=True)},
    )
    ind_cl = _codelist(
        agency,
        "CL_INDICATOR",
        {
            c: (it, en)
            for c, it, en in zip(
                indicators["code"], indicators["name_it"], indicators["name_en"], strict=True
            )
        },
    )
    unit_cl = _codelist(agency, "CL_UNIT", {unit_code(u): (u, u) for u in indicators["unit"]})
    obs_cl = _codelist(agency, "CL_OBS_STATUS", OBS_STATUS_CODES)
    conf_cl = _codelist(agency, "CL_CONF_STATUS", CONF_STATUS_CODES)

    concepts = common.ConceptScheme(
        id="CS_LGNET2", maintainer=agency, version=VERSION, is_final=True, name={"en": "Concepts"}
    )
    for cid in (
        "CITY",
        "INDICATOR",
        "TIME_PERIOD",
        "OBS_VALUE",
        "UNIT_MEASURE",
        "OBS_STATUS",
        "CONF_STATUS",
        "DEMO",
    ):
        concepts.append(common.Concept(id=cid, name={"en": cid}))

    dsd = model.DataStructureDefinition(
        id=DSD_ID,
        maintainer=agency,
        version=VERSION,
        is_final=True,
        name={"it": "Osservazioni mensili LGNet2", "en": "LGNet2 monthly observations"},
    )
    for order, (cid, cl) in enumerate((("CITY", city_cl), ("INDICATOR", ind_cl)), start=1):
        dsd.dimensions.append(
            common.Dimension(
                id=cid,
                concept_identity=concepts[cid],
                order=order,
                local_representation=common.Representation(enumerated=cl),
            )
        )
    dsd.dimensions.append(
        common.TimeDimension(id="TIME_PERIOD", concept_identity=concepts["TIME_PERIOD"], order=3)
    )
    dsd.measures.append(
        model.PrimaryMeasure(id="OBS_VALUE", concept_identity=concepts["OBS_VALUE"])
    )
    for cid, enumerated in (
        ("UNIT_MEASURE", unit_cl),
        ("OBS_STATUS", obs_cl),
        ("CONF_STATUS", conf_cl),
        ("DEMO", None),
    ):
        dsd.attributes.append(
            common.DataAttribute(
                id=cid,
                concept_identity=concepts[cid],
                local_representation=common.Representation(enumerated=enumerated)
                if enumerated is not None
                else None,
                related_to=model.PrimaryMeasureRelationship(),
                usage_status=common.UsageStatus.conditional
                if cid == "DEMO"
                else common.UsageStatus.mandatory,
            )
        )
    flow = model.DataflowDefinition(
        id=DATAFLOW_ID,
        maintainer=agency,
        version=VERSION,
        is_final=True,
        structure=dsd,
        name={"it": "Osservazioni mensili LGNet2", "en": "LGNet2 monthly observations"},
    )
    day = datetime.fromisoformat(cutoff).replace(tzinfo=UTC)
    msg = StructureMessage(
        header=Header(
            id=f"LGNET2_{data_version}".replace("-", "_"), prepared=day, sender=agency, test=False
        )
    )
    for obj in (city_cl, ind_cl, unit_cl, obs_cl, conf_cl, concepts, dsd, flow):
        msg.add(obj)
    return bytes(sdmx.to_xml(msg, pretty_print=True))
