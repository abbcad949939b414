"""The programme's structure: work packages, lines of action and the indicator catalogue.

This is reference data, not demo data: it describes what LGNet2 measures (PRODUCT.md). The AMIF
codes are a proposed crosswalk to the AMIF 2014-2020 common indicators (C2.x and their
subcategories) and are labelled as such on the methodology page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["flow", "stock", "ratio"]
Direction = Literal["up", "down"]

PROGRAMME_START = "2022-10"
PROGRAMME_END = "2024-03"
PROGRAMME_END_DATE = "2024-03-31"


@dataclass(frozen=True)
class WorkPackage:
    code: str
    name_it: str
    name_en: str
    description_it: str
    description_en: str


@dataclass(frozen=True)
class Action:
    code: str
    wp: str
    name_it: str
    name_en: str


@dataclass(frozen=True)
class Indicator:
    """One measured quantity. For ``ratio`` indicators, ``numerator``/``denominator`` name the
    flow indicators it is recomputed from (ratios are never averaged across months or cities)."""

    code: str
    action: str
    name_it: str
    name_en: str
    unit: str
    kind: Kind
    direction: Direction
    amif_code: str | None
    counts_people: bool
    by_periphery: bool
    definition_it: str
    definition_en: str
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0  # ratio = scale * numerator / denominator
    min_value: float = 0.0
    max_value: float | None = None

    @property
    def wp(self) -> str:
        return self.action.split(".")[0]


WORK_PACKAGES: tuple[WorkPackage, ...] = (
    WorkPackage(
        "WP1",
        "Azioni di impegno civico",
        "Civic engagement",
        "Progetti di impegno civico guidati da personale formato (aree verdi, assistenza "
        "domiciliare, centri diurni, assistenza ad anziani e disabili, turismo sociale) e "
        "iniziative di informazione, comunicazione e sensibilizzazione.",
        "Civic-engagement work projects guided by trained staff (green areas, home care, day "
        "centres, elderly and disabled assistance, social tourism) and public information and "
        "awareness initiatives.",
    ),
    WorkPackage(
        "WP2",
        "Pronta assistenza – supporto psico-socio-legale",
        "Rapid psycho-socio-legal assistance",
        "Équipe multidisciplinari itineranti e sportelli unici per la presa in carico rapida; "
        "valorizzazione di spazi pubblici e hub di aggregazione nelle periferie a rischio.",
        "Itinerant multidisciplinary teams and one-stop shops for rapid take-in-charge; "
        "aggregation hubs and public spaces in at-risk peripheries.",
    ),
    WorkPackage(
        "WP3",
        "Inclusione abitativa",
        "Housing inclusion",
        "Accoglienza protetta e co-housing solidale per le emergenze (3-6 mesi), contributi per "
        "affitto e utenze, incentivi ai proprietari, tutoraggio verso l'autonomia, inserimento "
        "lavorativo, incontri di comunità.",
        "Protected shelters and solidarity co-housing for emergencies (3-6 months), rent and "
        "utility contributions, landlord incentives, tutoring towards autonomy, job placement, "
        "community meetings.",
    ),
)

ACTIONS: tuple[Action, ...] = (
    Action("WP1.1", "WP1", "Progetti di impegno civico", "Civic-engagement work projects"),
    Action("WP1.2", "WP1", "Informazione e sensibilizzazione", "Public information and awareness"),
    Action("WP2.1", "WP2", "Équipe mobili multidisciplinari", "Itinerant multidisciplinary teams"),
    Action("WP2.2", "WP2", "Sportelli unici", "One-stop shops"),
    Action(
        "WP2.3", "WP2", "Hub di aggregazione nelle periferie", "Aggregation hubs in peripheries"
    ),
    Action(
        "WP3.1", "WP3", "Accoglienza protetta e co-housing", "Protected shelters and co-housing"
    ),
    Action("WP3.2", "WP3", "Contributi e incentivi", "Rent contributions and landlord incentives"),
    Action("WP3.3", "WP3", "Accompagnamento all'autonomia", "Tutoring towards autonomy"),
    Action("WP3.4", "WP3", "Incontri di comunità", "Community building"),
)


def _i(
    code: str,
    action: str,
    it: str,
    en: str,
    unit: str,
    kind: Kind,
    amif: str | None,
    people: bool,
    def_it: str,
    def_en: str,
    *,
    by_periphery: bool = False,
    direction: Direction = "up",
    **extra: object,
) -> Indicator:
    return Indicator(
        code,
        action,
        it,
        en,
        unit,
        kind,
        direction,
        amif,
        people,
        by_periphery,
        def_it,
        def_en,
        **extra,  # type: ignore[arg-type]
    )


INDICATORS: tuple[Indicator, ...] = (
    _i(
        "WP1_PROJECTS",
        "WP1.1",
        "Progetti di impegno civico avviati",
        "Civic-engagement projects started",
        "progetti",
        "flow",
        None,
        False,
        "Numero di progetti di impegno civico avviati nel mese.",
        "Civic-engagement projects started in the month.",
    ),
    _i(
        "WP1_PARTICIPANTS",
        "WP1.1",
        "Partecipanti ai progetti di impegno civico",
        "Civic-engagement participants",
        "persone",
        "flow",
        "C2.2 partecipazione democratica",
        True,
        "Persone che hanno iniziato un progetto di impegno civico nel mese (ogni persona contata una volta).",
        "People who started a civic-engagement project in the month (each person counted once).",
    ),
    _i(
        "WP1_SAFETY_TRAINED",
        "WP1.1",
        "Persone formate sulla sicurezza sul lavoro",
        "People trained in work safety",
        "persone",
        "flow",
        "C2.2 istruzione e formazione",
        True,
        "Partecipanti che hanno completato la formazione sulla sicurezza sul lavoro.",
        "Participants who completed work-safety training.",
    ),
    _i(
        "WP1_EVENTS",
        "WP1.2",
        "Iniziative di informazione e sensibilizzazione",
        "Information and awareness events",
        "iniziative",
        "flow",
        None,
        False,
        "Iniziative pubbliche di informazione, comunicazione e sensibilizzazione svolte nel mese.",
        "Public information, communication and awareness initiatives held in the month.",
    ),
    _i(
        "WP1_ATTENDEES",
        "WP1.2",
        "Partecipanti alle iniziative di sensibilizzazione",
        "Awareness-event attendees",
        "persone",
        "flow",
        None,
        True,
        "Presenze registrate alle iniziative di sensibilizzazione.",
        "Recorded attendance at awareness events.",
    ),
    _i(
        "WP2_OUTINGS",
        "WP2.1",
        "Uscite delle équipe mobili",
        "Mobile-team outings",
        "uscite",
        "flow",
        None,
        False,
        "Uscite sul territorio delle équipe multidisciplinari itineranti.",
        "Field outings of the itinerant multidisciplinary teams.",
    ),
    _i(
        "WP2_TAKEN_IN_CHARGE",
        "WP2.1",
        "Persone prese in carico",
        "People taken in charge",
        "persone",
        "flow",
        "C2.2 assistenza",
        True,
        "Persone vulnerabili prese in carico (nuove prese in carico nel mese).",
        "Vulnerable people newly taken in charge in the month.",
    ),
    _i(
        "WP2_DESK_CONTACTS",
        "WP2.2",
        "Contatti agli sportelli unici",
        "One-stop-shop contacts",
        "contatti",
        "flow",
        None,
        False,
        "Accessi registrati agli sportelli unici (una persona può accedere più volte).",
        "Recorded contacts at one-stop shops (a person may come several times).",
    ),
    _i(
        "WP2_LEGAL",
        "WP2.2",
        "Persone con consulenza legale",
        "People given legal advice",
        "persone",
        "flow",
        "C2.2 assistenza",
        True,
        "Persone che hanno ricevuto consulenza socio-legale nel mese.",
        "People who received socio-legal advice in the month.",
    ),
    _i(
        "WP2_PSYCH",
        "WP2.2",
        "Persone con supporto psicologico",
        "People given psychological support",
        "persone",
        "flow",
        "C2.2 assistenza medica e psicologica",
        True,
        "Persone che hanno avviato un percorso di supporto psicologico nel mese.",
        "People who started psychological support in the month.",
    ),
    _i(
        "WP2_HUB_ACTIVITIES",
        "WP2.3",
        "Attività negli hub di aggregazione",
        "Aggregation-hub activities",
        "attività",
        "flow",
        None,
        False,
        "Laboratori e incontri svolti negli hub di aggregazione delle periferie.",
        "Workshops and meetings held in the peripheries' aggregation hubs.",
        by_periphery=True,
    ),
    _i(
        "WP2_HUB_PARTICIPANTS",
        "WP2.3",
        "Partecipanti alle attività negli hub",
        "Aggregation-hub participants",
        "persone",
        "flow",
        "C2.2 partecipazione democratica",
        True,
        "Persone che hanno partecipato ad attività negli hub (ogni persona contata una volta al mese).",
        "People who took part in hub activities (each person counted once a month).",
        by_periphery=True,
    ),
    _i(
        "WP3_PLACES",
        "WP3.1",
        "Posti in accoglienza protetta e co-housing",
        "Protected-shelter and co-housing places",
        "posti",
        "stock",
        None,
        False,
        "Posti disponibili a fine mese in accoglienza protetta e co-housing.",
        "Places available at the end of the month in protected shelters and co-housing.",
    ),
    _i(
        "WP3_HOUSED",
        "WP3.1",
        "Persone accolte",
        "People housed",
        "persone",
        "flow",
        "C2.2 alloggio",
        True,
        "Persone entrate in accoglienza protetta o co-housing nel mese.",
        "People who entered a protected shelter or co-housing in the month.",
    ),
    _i(
        "WP3_BED_NIGHTS",
        "WP3.1",
        "Notti di accoglienza",
        "Bed nights",
        "notti",
        "flow",
        None,
        False,
        "Notti di accoglienza erogate nel mese (numeratore del tasso di occupazione).",
        "Bed nights provided in the month (numerator of the occupancy rate).",
    ),
    _i(
        "WP3_PLACE_NIGHTS",
        "WP3.1",
        "Notti disponibili",
        "Available place nights",
        "notti",
        "flow",
        None,
        False,
        "Posti disponibili moltiplicati per i giorni del mese (denominatore del tasso di occupazione).",
        "Available places times days in the month (denominator of the occupancy rate).",
    ),
    _i(
        "WP3_OCCUPANCY",
        "WP3.1",
        "Tasso di occupazione",
        "Occupancy rate",
        "%",
        "ratio",
        None,
        False,
        "Notti di accoglienza / notti disponibili × 100, ricalcolato dalle sue componenti.",
        "Bed nights / available place nights × 100, recomputed from its parts.",
        numerator="WP3_BED_NIGHTS",
        denominator="WP3_PLACE_NIGHTS",
        scale=100.0,
        max_value=100.0,
    ),
    _i(
        "WP3_STAY_DAYS",
        "WP3.1",
        "Giorni di permanenza delle uscite",
        "Length of concluded stays",
        "giorni",
        "flow",
        None,
        False,
        "Somma dei giorni di permanenza delle persone uscite nel mese.",
        "Sum of the days stayed by the people who left in the month.",
    ),
    _i(
        "WP3_EXITS",
        "WP3.1",
        "Uscite dall'accoglienza",
        "Exits from shelters",
        "persone",
        "flow",
        None,
        True,
        "Persone uscite dall'accoglienza protetta o dal co-housing nel mese.",
        "People who left a protected shelter or co-housing in the month.",
    ),
    _i(
        "WP3_AVG_STAY",
        "WP3.1",
        "Permanenza media",
        "Average stay",
        "giorni",
        "ratio",
        None,
        False,
        "Giorni di permanenza delle uscite / uscite, ricalcolato dalle sue componenti.",
        "Length of concluded stays / exits, recomputed from its parts.",
        direction="down",
        numerator="WP3_STAY_DAYS",
        denominator="WP3_EXITS",
        max_value=366.0,
    ),
    _i(
        "WP3_CONTRIBUTIONS",
        "WP3.2",
        "Contributi per affitto e utenze erogati",
        "Rent and utility contributions paid",
        "contributi",
        "flow",
        "C2.2 alloggio",
        False,
        "Contributi economici per affitto e utenze erogati nel mese.",
        "Rent and utility contributions paid in the month.",
    ),
    _i(
        "WP3_LANDLORD_INCENTIVES",
        "WP3.2",
        "Incentivi ai proprietari",
        "Landlord incentives",
        "incentivi",
        "flow",
        None,
        False,
        "Incentivi concessi a proprietari che affittano a persone in uscita dall'accoglienza.",
        "Incentives granted to landlords renting to people leaving shelters.",
    ),
    _i(
        "WP3_TUTORING",
        "WP3.3",
        "Persone con tutoraggio individuale",
        "People with personal tutoring",
        "persone",
        "flow",
        "C2.2 alloggio",
        True,
        "Persone che hanno avviato un percorso di tutoraggio verso l'autonomia.",
        "People who started personal tutoring towards autonomy.",
    ),
    _i(
        "WP3_JOB_PLACEMENT",
        "WP3.3",
        "Inserimenti lavorativi",
        "Job placements",
        "persone",
        "flow",
        "C2.2 occupazione",
        True,
        "Persone accolte che hanno iniziato un tirocinio o un contratto di lavoro.",
        "Housed people who started a traineeship or an employment contract.",
    ),
    _i(
        "WP3_EXITS_AUTONOMY",
        "WP3.3",
        "Uscite verso l'autonomia abitativa",
        "Exits to housing autonomy",
        "persone",
        "flow",
        "C2.2 alloggio",
        True,
        "Persone uscite dall'accoglienza verso un alloggio autonomo (sottoinsieme delle uscite).",
        "People who left a shelter for independent housing (a subset of exits).",
    ),
    _i(
        "WP3_COMMUNITY_MEETINGS",
        "WP3.4",
        "Incontri di comunità con i residenti",
        "Community meetings with residents",
        "incontri",
        "flow",
        None,
        False,
        "Incontri di costruzione di comunità e sensibilizzazione con i residenti.",
        "Community-building and awareness meetings with residents.",
    ),
)

INDICATOR_BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}
ACTION_BY_CODE: dict[str, Action] = {a.code: a for a in ACTIONS}
WP_BY_CODE: dict[str, WorkPackage] = {w.code: w for w in WORK_PACKAGES}

HUB_TYPES: tuple[str, ...] = (
    "centro_anziani",
    "scuola_comunale",
    "ludoteca",
    "biblioteca",
    "centro_sportivo",
    "spazio_culturale",
)
ONE_STOP_SHOP = "sportello_unico"


def programme_periods() -> list[str]:
    """The 18 reporting months, ``YYYY-MM``, from 2022-10 to 2024-03."""
    out: list[str] = []
    y, m = 2022, 10
    while (y, m) <= (2024, 3):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
