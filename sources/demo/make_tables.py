"""Write the FICTIONAL demo world's account tables into ``sources/demo/tables/``.

Deterministic: seeded noise plus the storyline adjustments of ``WORLD.md``, so a rerun gives
the same rows. Run with ``.venv/bin/python sources/demo/make_tables.py``.

Every company, plant, model and figure here is invented. The tables are exported the way
people export them from Excel: headers vary a little between files, months and dates come in
different spellings, some amounts use Indian digit grouping.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

OUT = Path(__file__).resolve().parent / "tables"
SEED = 20261031
FIXED_STAMP = datetime(2026, 11, 2, 9, 30)   # "created" stamp; openpyxl sets "modified" at save

MONTHS = [date(2025, m, 1) for m in range(4, 13)] + [date(2026, m, 1) for m in range(1, 11)]
MON_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MON_FULL = ["January", "February", "March", "April", "May", "June", "July", "August",
            "September", "October", "November", "December"]
# Indian passenger-vehicle rhythm: weak June and December, fiscal-year-end March, festive Sep-Oct.
SEASON = {1: 1.00, 2: 1.00, 3: 1.05, 4: 0.96, 5: 1.00, 6: 0.95, 7: 0.98, 8: 1.02, 9: 1.07,
          10: 1.08, 11: 0.97, 12: 0.92}
PARTS = ("windshield", "backlite", "sidelite", "quarter", "sunroof")
DEFAULT_CONTENT = {"windshield": 1, "backlite": 1, "sidelite": 4, "quarter": 2, "sunroof": 0}


def mon(d: date) -> str:
    """Apr-25 style, as most Indian MIS sheets label months."""
    return f"{MON_ABBR[d.month - 1]}-{d.year % 100:02d}"


def fy_start(d: date) -> int:
    """The calendar year in which d's financial year (April-March) starts."""
    return d.year if d.month >= 4 else d.year - 1


def indian(n: float) -> str:
    """12,45,000 — Indian digit grouping, as accounts exports write rupees."""
    digits = f"{round(n):d}"
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    if head:
        groups.insert(0, head)
    return ",".join(groups) + "," + tail


@dataclass(frozen=True)
class Line:
    """One OEM assembly line: a model built at a plant."""

    customer: str          # catalog id
    plant: str             # catalog plant name
    model: str
    base: int              # vehicles a month in FY2025-26 at season factor 1.0
    growth: float          # FY2026-27 over FY2025-26
    sop: date | None = None
    ramp: tuple[int, ...] = ()   # vehicles in the first months after SOP
    content: tuple[tuple[str, int], ...] = ()


LINES = [
    Line("navika-motors", "Kesarpur", "Tarani", 10_000, 0.03),
    Line("navika-motors", "Kesarpur", "Vela", 4_800, 0.04),
    Line("navika-motors", "Ambeli", "Vela", 3_000, 0.04),
    Line("navika-motors", "Ambeli", "Koru", 7_600, 0.05, date(2025, 10, 1), (1_800, 3_900, 5_600, 6_800),
         (("windshield", 1), ("backlite", 1), ("sidelite", 4), ("quarter", 2), ("sunroof", 1))),
    Line("dhruva-auto", "Mirajganj", "Ekam", 6_500, 0.02),
    Line("dhruva-auto", "Mirajganj", "Prayan", 4_200, 0.05),
    Line("dhruva-auto", "Sagarpet", "Prayan", 2_800, 0.05),
    Line("dhruva-auto", "Sagarpet", "Vistar", 4_000, 0.0, date(2026, 4, 1), (1_200, 2_600, 3_500),
         (("windshield", 1), ("backlite", 1), ("sidelite", 6), ("quarter", 2), ("sunroof", 1))),
    Line("meridian-mobility", "Chandrapura", "Aarohi", 3_500, 0.15, None, (),
         (("windshield", 1), ("backlite", 1), ("sidelite", 4), ("quarter", 2), ("sunroof", 1))),
    Line("meridian-mobility", "Chandrapura", "Kavya", 2_400, 0.06),
    Line("meridian-mobility", "Kothvali", "Kavya", 1_900, 0.06),
    Line("meridian-mobility", "Kothvali", "Sanchar", 1_500, 0.08, None, (),
         (("windshield", 1), ("backlite", 1), ("sidelite", 2), ("quarter", 0), ("sunroof", 0))),
]

# Share of business: (model, plant, part) -> [(from month, {supplier: share})]. Kestrel = us.
K, V, C, S = "Kestrel", "VAGL", "Clarity", "Sunmarg"
SEP26, APR26 = date(2026, 9, 1), date(2026, 4, 1)
SOB: dict[tuple[str, str, str], list[tuple[date, dict[str, int]]]] = {}


def _sob(model: str, plant: str, part: str, *changes: tuple[date, dict[str, int]]) -> None:
    SOB[(model, plant, part)] = list(changes)


START = MONTHS[0]
for plant in ("Kesarpur",):
    for part in ("windshield", "backlite", "sidelite", "quarter"):
        _sob("Tarani", plant, part, (START, {K: 100}))
_sob("Vela", "Kesarpur", "windshield", (START, {K: 75, V: 25}))
_sob("Vela", "Ambeli", "windshield", (START, {K: 100}))
for plant in ("Kesarpur", "Ambeli"):
    _sob("Vela", plant, "backlite", (START, {K: 60, V: 40}))
    _sob("Vela", plant, "sidelite", (START, {K: 60, V: 40}))
    _sob("Vela", plant, "quarter", (START, {K: 100}))
KORU_SOP = date(2025, 10, 1)
_sob("Koru", "Ambeli", "windshield", (KORU_SOP, {K: 100}))
_sob("Koru", "Ambeli", "backlite", (KORU_SOP, {K: 70, V: 30}), (SEP26, {K: 40, V: 60}))
_sob("Koru", "Ambeli", "sidelite", (KORU_SOP, {K: 50, V: 50}))
_sob("Koru", "Ambeli", "quarter", (KORU_SOP, {K: 100}))
_sob("Koru", "Ambeli", "sunroof", (KORU_SOP, {K: 100}))
for part in ("windshield", "sidelite", "quarter"):
    _sob("Ekam", "Mirajganj", part, (START, {C: 100}))
_sob("Ekam", "Mirajganj", "backlite", (START, {C: 60, K: 40}))
for plant in ("Mirajganj", "Sagarpet"):
    _sob("Prayan", plant, "windshield", (START, {C: 100}))
    _sob("Prayan", plant, "backlite", (START, {C: 100}))
    _sob("Prayan", plant, "sidelite", (START, {C: 70, K: 30}), (SEP26, {C: 50, K: 50}))
    _sob("Prayan", plant, "quarter", (START, {C: 50, K: 50}))
_sob("Vistar", "Sagarpet", "windshield", (APR26, {K: 100}))
_sob("Vistar", "Sagarpet", "sunroof", (APR26, {K: 100}))
for part in ("backlite", "sidelite", "quarter"):
    _sob("Vistar", "Sagarpet", part, (APR26, {C: 100}))
_sob("Aarohi", "Chandrapura", "windshield", (START, {V: 60, K: 40}))
_sob("Aarohi", "Chandrapura", "backlite", (START, {K: 100}))
_sob("Aarohi", "Chandrapura", "sidelite", (START, {S: 100}))
_sob("Aarohi", "Chandrapura", "quarter", (START, {K: 100}))
_sob("Aarohi", "Chandrapura", "sunroof", (START, {K: 100}))
for plant in ("Chandrapura", "Kothvali"):
    _sob("Kavya", plant, "windshield", (START, {K: 100}))
    _sob("Kavya", plant, "backlite", (START, {K: 100}))
    _sob("Kavya", plant, "sidelite", (START, {K: 70, S: 30}))
    _sob("Kavya", plant, "quarter", (START, {K: 100}))
_sob("Sanchar", "Kothvali", "windshield", (START, {K: 100}))
_sob("Sanchar", "Kothvali", "backlite", (START, {K: 100}))
_sob("Sanchar", "Kothvali", "sidelite", (START, {V: 100}))

# Kestrel's price a piece in rupees at the start of FY2025-26.
PRICE = {
    ("Tarani", "windshield"): 2850, ("Tarani", "backlite"): 1180, ("Tarani", "sidelite"): 390,
    ("Tarani", "quarter"): 240,
    ("Vela", "windshield"): 3250, ("Vela", "backlite"): 1420, ("Vela", "sidelite"): 430,
    ("Vela", "quarter"): 260,
    ("Koru", "windshield"): 4150, ("Koru", "backlite"): 1950, ("Koru", "sidelite"): 520,
    ("Koru", "quarter"): 310, ("Koru", "sunroof"): 7800,
    ("Ekam", "backlite"): 1150, ("Prayan", "sidelite"): 410, ("Prayan", "quarter"): 250,
    ("Vistar", "windshield"): 4600, ("Vistar", "sunroof"): 8900,
    ("Aarohi", "windshield"): 3950, ("Aarohi", "backlite"): 1700, ("Aarohi", "quarter"): 300,
    ("Aarohi", "sunroof"): 8200,
    ("Kavya", "windshield"): 2700, ("Kavya", "backlite"): 1100, ("Kavya", "sidelite"): 380,
    ("Kavya", "quarter"): 230,
    ("Sanchar", "windshield"): 2600, ("Sanchar", "backlite"): 980,
}
PRICE_REVISION = date(2025, 10, 1)   # +2.5% at Navika and Dhruva for float-glass costs
MERIDIAN_PRICE_DOWN = date(2026, 4, 1)   # -1.5% annual price-down agreed with Meridian
KORU_WS_PRICE_DOWN = date(2026, 10, 1)   # -2% offered in the Koru facelift negotiation


def price(customer: str, model: str, part: str, month: date) -> float:
    """Kestrel's billed price a piece in a month."""
    base = PRICE[(model, part)]
    if customer in ("navika-motors", "dhruva-auto") and month >= PRICE_REVISION:
        if (model, part) == ("Koru", "windshield") and month >= KORU_WS_PRICE_DOWN:
            return base * 1.025 * 0.98
        return base * 1.025
    if customer == "meridian-mobility" and month >= MERIDIAN_PRICE_DOWN:
        return base * 0.985
    return base


def plan_price(customer: str, model: str, part: str, month: date) -> float:
    """Budget price: the FY2026-27 budget carries the revisions, FY2025-26 the old list."""
    base = PRICE[(model, part)]
    if fy_start(month) == 2025:
        return base
    return base * (0.985 if customer == "meridian-mobility" else 1.025)


def share(model: str, plant: str, part: str, month: date) -> dict[str, int]:
    """Who supplies what share of one model/plant/part in a month ({} before SOP)."""
    current: dict[str, int] = {}
    for since, split in SOB.get((model, plant, part), []):
        if month >= since:
            current = split
    return current


def content(line: Line, part: str) -> int:
    return dict(line.content).get(part, DEFAULT_CONTENT[part])


# ---------------------------------------------------------------------------------------------
def production(rng: random.Random) -> dict[tuple[Line, date], int]:
    """Vehicles built per line and month, with the storyline's dents."""
    built: dict[tuple[Line, date], int] = {}
    for line in LINES:
        for month in MONTHS:
            if line.sop and month < line.sop:
                continue
            since_sop = (month.year - line.sop.year) * 12 + month.month - line.sop.month if line.sop else 99
            if since_sop < len(line.ramp):
                qty = line.ramp[since_sop] * rng.uniform(0.97, 1.03)
            else:
                growth = 1 + line.growth if fy_start(month) == 2026 and line.sop is None else 1
                qty = line.base * SEASON[month.month] * growth * rng.uniform(0.97, 1.03)
            if line.plant == "Mirajganj" and month == date(2026, 7, 1):
                qty *= 0.93   # two line stoppages for want of Clarity glass
            built[(line, month)] = int(round(qty, -1))
    return built


def plan_volume(line: Line, month: date) -> float:
    """The OEM schedule the budget was built on (no noise; a little optimistic)."""
    if line.sop and month < line.sop:
        return 0.0
    since_sop = (month.year - line.sop.year) * 12 + month.month - line.sop.month if line.sop else 99
    if since_sop < len(line.ramp):
        return line.ramp[since_sop] * 1.05
    uplift = 1.03 if fy_start(month) == 2025 else 1.03 * (1 + line.growth + 0.02)
    if line.sop and fy_start(month) == 2026:
        uplift = 1.04
    return line.base * SEASON[month.month] * uplift


CUSTOMER_SALES_NAME = {"navika-motors": "Navika Motors", "dhruva-auto": "Dhruva Auto",
                       "meridian-mobility": "Meridian Mobility Pvt Ltd"}
PLAN_GAP = ("meridian-mobility", "quarter", date(2026, 8, 1))   # budget row never filled in


def sales(built: dict[tuple[Line, date], int], rng: random.Random) -> list[list[object]]:
    """Kestrel's plan and actual by customer, part family and month."""
    rows: list[list[object]] = []
    for customer in CUSTOMER_SALES_NAME:
        for part in PARTS:
            for month in MONTHS:
                plan_qty = plan_val = act_qty = act_val = 0.0
                for line in LINES:
                    if line.customer != customer:
                        continue
                    pcs = content(line, part)
                    planned_share = share(line.model, line.plant, part, month).get(K, 0)
                    if line.model == "Koru" and part == "backlite":
                        planned_share = 70 if planned_share else 0   # budget predates the loss
                    if line.model == "Prayan" and part == "sidelite":
                        planned_share = 30
                    q_plan = plan_volume(line, month) * pcs * planned_share / 100
                    plan_qty += q_plan
                    if q_plan:
                        plan_val += q_plan * plan_price(customer, line.model, part, month)
                    q_act = built.get((line, month), 0) * pcs * share(line.model, line.plant, part,
                                                                       month).get(K, 0) / 100
                    if q_act:
                        q_act *= rng.uniform(0.985, 1.015)   # dispatch timing vs OEM build
                        if line.model == "Tarani" and part == "sidelite":
                            if month == date(2026, 2, 1):
                                q_act *= 0.955   # our short supply
                            elif month == date(2026, 3, 1):
                                q_act *= 1.03    # catch-up
                        act_qty += q_act
                        act_val += q_act * price(customer, line.model, part, month)
                if not plan_qty and not act_qty:
                    continue
                plan_cells: list[object] = [int(round(plan_qty, -1)), round(plan_val / 1e5, 2)]
                if (customer, part, month) == PLAN_GAP:
                    plan_cells = [None, None]
                rows.append([CUSTOMER_SALES_NAME[customer], part.capitalize(), month,
                             plan_cells[0], int(round(act_qty)), plan_cells[1],
                             round(act_val / 1e5, 2)])
    return rows


def write_sales(rows: list[list[object]]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sales"
    ws.append(["Customer", "Part Family", "Month", "Plan Qty", "Actual Qty",
               "Plan Value (Rs lakh)", "Actual Value (Rs lakh)"])
    for row in rows:
        ws.append([datetime(r.year, r.month, r.day) if isinstance(r, date) else r for r in row])
    _style(ws, {3: "mmm-yy", 4: "#,##0", 5: "#,##0", 6: "0.00", 7: "0.00"})
    _save(wb, OUT / "sales_plan_actual.xlsx")


def _style(ws, formats: dict[int, str]) -> None:
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E78")
    for col, fmt in formats.items():
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = fmt
    for idx, column in enumerate(ws.columns, start=1):
        width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
        ws.column_dimensions[get_column_letter(idx)].width = min(max(width + 2, 10), 60)
    ws.freeze_panes = "A2"


def _save(wb: Workbook, path: Path) -> None:
    wb.properties.creator = "KAM team (demo, fictional)"
    wb.properties.created = FIXED_STAMP
    wb.save(path)


# ---------------------------------------------------------------------------------------------
SOB_CUSTOMER = {"navika-motors": "NML", "dhruva-auto": "DAL", "meridian-mobility": "MMPL"}


def share_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    for month in MONTHS:
        for line in LINES:
            for part in PARTS:
                split = share(line.model, line.plant, part, month)
                if not split:
                    continue
                assert sum(split.values()) == 100, (line, part, month)
                for supplier, pct in split.items():
                    rows.append([f"{month:%Y-%m}", SOB_CUSTOMER[line.customer], line.plant,
                                 line.model, part.capitalize(), supplier, pct])
    return rows


def production_rows(built: dict[tuple[Line, date], int]) -> list[list[object]]:
    names = {"navika-motors": "Navika Motors", "dhruva-auto": "Dhruva Automobiles",
             "meridian-mobility": "Meridian Mobility"}
    return [[names[line.customer], line.plant, line.model,
             f"{MON_FULL[month.month - 1]} {month.year}", qty]
            for (line, month), qty in built.items()]


# ---------------------------------------------------------------------------------------------
def vendor_rating_rows() -> list[list[object]]:
    """Kestrel's monthly score per customer, plus competitors' bands the KAMs picked up."""
    special = {
        ("navika-motors", date(2026, 2, 1)): 71, ("navika-motors", date(2026, 3, 1)): 76,
        ("navika-motors", date(2026, 4, 1)): 80, ("navika-motors", date(2026, 5, 1)): 83,
        ("meridian-mobility", date(2026, 4, 1)): 78, ("meridian-mobility", date(2026, 9, 1)): 74,
        ("meridian-mobility", date(2026, 10, 1)): 76, ("dhruva-auto", date(2026, 7, 1)): 91,
        ("dhruva-auto", date(2026, 8, 1)): 90,
        ("navika-motors", date(2026, 1, 1)): 87, ("navika-motors", date(2026, 7, 1)): 87,
        ("navika-motors", date(2026, 9, 1)): 86,
    }
    base = {"navika-motors": 86, "dhruva-auto": 85, "meridian-mobility": 82}
    rng = random.Random(SEED + 7)
    rows: list[list[object]] = []
    for month in MONTHS:
        for customer, name in (("navika-motors", "Navika Motors"), ("dhruva-auto", "DAL"),
                               ("meridian-mobility", "Meridian")):
            score = special.get((customer, month), base[customer] + rng.choice((-1, 0, 0, 1, 2)))
            rows.append([mon(month), name, "Kestrel", score, band(score)])
    competitors = [
        (date(2026, 1, 1), "Navika Motors", "VAGL", "Green"),
        (date(2026, 6, 1), "Navika Motors", "VAGL", "Yellow"),
        (date(2026, 7, 1), "Navika Motors", "VAGL", "Yellow"),
        (date(2026, 8, 1), "Navika Motors", "VAGL", "Red"),
        (date(2026, 9, 1), "Navika Motors", "VAGL", "Red"),
        (date(2026, 10, 1), "Navika Motors", "VAGL", "Yellow"),
        (date(2026, 6, 1), "DAL", "Clarity", "Yellow"),
        (date(2026, 7, 1), "DAL", "Clarity", "Red"),
        (date(2026, 8, 1), "DAL", "Clarity", "Red"),
        (date(2026, 9, 1), "DAL", "Clarity", "Yellow"),
        (date(2026, 6, 1), "Meridian", "Sunmarg", "Green"),
    ]
    rows += [[mon(m), cust, sup, None, b] for m, cust, sup, b in competitors]
    return rows


def band(score: int) -> str:
    return "Green" if score >= 80 else "Yellow" if score >= 65 else "Red"


# ---------------------------------------------------------------------------------------------
RFQS = [
    # date, customer, programme, part family, status, lost to, Rs lakh a year, remarks, decided,
    # quote due
    (date(2025, 4, 22), "Navika Motors", "Vela mid-cycle refresh", "Sidelite", "Won", None, 820,
     "Retained 60% share at price parity with VAGL", date(2025, 7, 18)),
    (date(2025, 6, 16), "Dhruva Automobiles", "Vistar (new MPV)", "Windshield", "Won", None, 2200,
     "Nominated; ADAS camera bracket design accepted", date(2025, 11, 14)),
    (date(2025, 6, 16), "Dhruva Automobiles", "Vistar (new MPV)", "Sunroof", "Won", None, 4250,
     "Nominated with windshield; PPAP by Feb-26", date(2025, 11, 14)),
    (date(2025, 6, 16), "Dhruva Automobiles", "Vistar (new MPV)", "Sidelite", "Lost", "Clarity", 1150,
     "Clarity bundled with Ekam/Prayan volumes, ~4% lower", date(2025, 11, 14)),
    (date(2025, 8, 5), "Meridian Mobility", "Sanchar MY26", "Sidelite", "Lost", "VAGL", 160,
     "Price: VAGL ~8% below our quote", date(2025, 10, 10)),
    (date(2025, 9, 2), "Navika Motors", "Koru", "Quarter", "Won", None, 300,
     "Added to Koru package before SOP", date(2025, 9, 26)),
    (date(2025, 12, 3), "Meridian Mobility", "Kavya solar-control variant", "Windshield", "Dropped",
     None, 420, "Customer shelved the variant", date(2026, 2, 20)),
    (date(2026, 1, 19), "Navika Motors", "Tarani top trim - acoustic windshield", "Windshield",
     "Quoted", None, 640, "Navika deferred top-trim decision", None),
    (date(2026, 3, 11), "Meridian Mobility", "Kavya UV-cut side glass", "Sidelite", "Lost", "Sunmarg",
     310, "Sunmarg offered UV-cut at no premium", date(2026, 5, 6)),
    (date(2026, 5, 12), "Meridian Mobility", "Aarohi update - ADAS camera windshield (HUD-ready)",
     "Windshield", "Quoted", None, 2040,
     "Quoted Rs 4,240/pc; Sunmarg rumoured at Rs 3,850; decision pending", None),
    (date(2026, 6, 2), "Navika Motors", "Koru facelift", "Backlite", "Lost", "VAGL", 1870,
     "VAGL ~6% below our quote; our share 70% to 40% from Sep-26", date(2026, 7, 21)),
    (date(2026, 7, 20), "Dhruva Automobiles", "Prayan - additional share", "Sidelite", "Won", None, 280,
     "Clarity OTIF 86%; 20% share moved to us from Sep-26", date(2026, 8, 14)),
    (date(2026, 8, 24), "Dhruva Automobiles", "Ekam next generation", "Windshield", "Open", None, 1900,
     "RFQ pack received; quote due 15-Nov-26", None, date(2026, 11, 15)),
    (date(2026, 9, 14), "Navika Motors", "Vela facelift - acoustic windshield", "Windshield", "Open",
     None, 1500, "Acoustic PVB spec; VAGL also invited", None, date(2026, 11, 15)),
    (date(2026, 10, 6), "Meridian Mobility", "Sanchar MY27 heated backlite", "Backlite", "Open", None,
     190, "Spec review call on 04-Nov-26", None, date(2026, 12, 18)),
]


def write_rfqs() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "RFQ tracker"
    ws.append(["RFQ Date", "Customer", "Programme", "Part Family", "Status", "Lost To",
               "Annual Value (Rs lakh)", "Remarks", "Decision Date", "Quote Due"])
    for rfq in RFQS:
        ws.append([datetime(v.year, v.month, v.day) if isinstance(v, date) else v for v in rfq])
    _style(ws, {1: "dd-mmm-yyyy", 7: "#,##0", 9: "dd-mmm-yyyy", 10: "dd-mmm-yyyy"})
    _save(wb, OUT / "rfqs.xlsx")


# ---------------------------------------------------------------------------------------------
COMPLAINTS = [
    # ref, customer, plant, QCDDM, description, raised, target, closed, VOC
    ("NML-Q-25-014", "NML", "Kesarpur", "Quality", "Scratches on Tarani backlite (2 nos) found line-side",
     "12/06/2025", "26/06/2025", "24/06/2025", "N"),
    ("MMPL-Q-25-021", "MMPL", "Chandrapura", "Quality", "Aarohi backlite: defogger line open (4 nos)",
     "03/11/2025", "17/11/2025", "14/11/2025", "N"),
    ("DAL-DV-26-001", "DAL", "Sagarpet", "Development", "Vistar sunroof PPAP: fitment gap at rear edge",
     "20/01/2026", "28/02/2026", "26/02/2026", "N"),
    ("NML-D-26-003", "NML", "Kesarpur", "Delivery",
     "Short supply of Tarani sidelites; line stopped 40 min on 11/02/2026; air freight from Oragadam",
     "11/02/2026", "25/02/2026", "03/03/2026", "N"),
    ("NML-M-26-004", "NML", "Kesarpur", "Management", "Vendor rating yellow (Feb-26): recovery plan asked",
     "05/03/2026", "31/03/2026", "28/03/2026", "N"),
    ("MMPL-Q-26-006", "MMPL", "Kothvali", "Quality", "Kavya front door sidelite edge chips (11 nos); 8D pending",
     "19/03/2026", "19/04/2026", "", "N"),
    ("MMPL-C-26-010", "MMPL", "Chandrapura", "Cost", "Annual price-down of 3% demanded for FY27",
     "14/04/2026", "31/05/2026", "30/05/2026", "Y"),
    ("DAL-Q-26-002", "DAL", "Sagarpet", "Quality", "Vistar windshield: camera bracket bond strength low in one lot",
     "22/04/2026", "06/05/2026", "05/05/2026", "N"),
    ("NML-DV-26-011", "NML", "Ambeli", "Development",
     "R&D wants our acoustic windshield roadmap for the Koru facelift",
     "21/05/2026", "30/06/2026", "", "Y"),
    ("NML-C-26-015", "NML", "Ambeli", "Cost", "Buyer asks price-down to match competitor quote on Koru backlite",
     "24/06/2026", "15/07/2026", "21/07/2026", "Y"),
    ("MMPL-DV-26-018", "MMPL", "Chandrapura", "Development",
     "Aarohi ADAS windshield: HUD ghosting test report and sample sets", "30/06/2026", "31/07/2026",
     "28/07/2026", "N"),
    ("MMPL-Q-26-013", "MMPL", "Chandrapura", "Quality", "Kavya sidelite edge chips repeat (6 nos)",
     "02/07/2026", "02/08/2026", "", "N"),
    ("DAL-D-26-009", "DAL", "Mirajganj", "Delivery",
     "Capacity commitment asked for Prayan sidelites (+20% share)", "17/07/2026", "10/08/2026",
     "12/08/2026", "Y"),
    ("NML-Q-26-019", "NML", "Kesarpur", "Quality", "Vela windshield: pinholes in black ceramic band (3 nos)",
     "18/08/2026", "01/09/2026", "29/08/2026", "N"),
    ("DAL-M-26-012", "DAL", "Mirajganj", "Management", "Keep 6 days safety stock of Prayan sidelites at hub",
     "20/08/2026", "15/09/2026", "", "N"),
    ("MMPL-M-26-016", "MMPL", "Kothvali", "Management",
     "Quality review with plant head: edge-chip containment and PPM plan", "24/09/2026", "15/10/2026",
     "", "N"),
    ("NML-Q-26-024", "NML", "Ambeli", "Quality", "Koru sunroof glass: edge chip on frit (1 no)",
     "07/10/2026", "21/10/2026", "", "N"),
]


# ---------------------------------------------------------------------------------------------
def receivable_rows(rng: random.Random) -> list[list[object]]:
    """Invoices with receipts; Meridian pays 60-90 days after due; some open on 31-Oct-2026."""
    cutoff = date(2026, 10, 31)
    terms = {"NML": 45, "DAL": 60, "MMPL": 45}
    plans = [
        ("NML", [date(2026, m, d) for m in range(4, 11) for d in (10, 25)]),          # 14
        ("DAL", [date(2026, m, 15) for m in range(1, 11)] + [date(2026, 9, 30), date(2026, 10, 28)]),
        ("MMPL", [date(2026, m, 12) for m in range(1, 11)] + [date(2025, 11, 12), date(2025, 12, 12),
                                                              date(2026, 7, 28), date(2026, 9, 26)]),
    ]
    prefix = {"NML": "KSG/NML", "DAL": "KSG/DAL", "MMPL": "KSG/MMPL"}
    size = {"NML": (38e5, 92e5), "DAL": (14e5, 48e5), "MMPL": (9e5, 31e5)}
    rows: list[list[object]] = []
    serial = 1000
    for customer, dates in plans:
        for inv_date in sorted(dates):
            serial += rng.randint(3, 40)
            amount = round(rng.uniform(*size[customer]) / 100) * 100
            due = inv_date + timedelta(days=terms[customer])
            late = {"NML": rng.randint(-2, 3), "DAL": rng.randint(0, 9),
                    "MMPL": rng.randint(60, 90)}[customer]
            received_on = due + timedelta(days=late)
            received: float | None = amount
            planned = None
            if received_on > cutoff:
                received_on, received = None, None
                planned = max(due, cutoff + timedelta(days=rng.randint(10, 35))) \
                    if customer == "MMPL" else due
            elif customer == "DAL" and inv_date == date(2026, 6, 15):
                received = amount - 48_000   # short-paid: debit note for a rejected lot
            written_amount: object = indian(amount) if serial % 3 == 0 else amount
            rows.append([f"{prefix[customer]}/{serial}", customer, f"{inv_date:%d-%b-%Y}",
                         f"{due:%d-%b-%Y}", written_amount,
                         f"{received_on:%d-%b-%Y}" if received_on else "",
                         indian(received) if received and serial % 3 == 0 else received or "",
                         f"{planned:%d-%b-%Y}" if planned else ""])
    return rows


# ---------------------------------------------------------------------------------------------
def write_csv(name: str, header: list[str], rows: list[list[object]]) -> None:
    with (OUT / name).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in row] for row in rows)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    rng = random.Random(SEED)
    built = production(rng)
    write_sales(sales(built, rng))
    write_csv("share_of_business.csv",
              ["Month", "OEM", "Plant", "Model", "Part", "Supplier", "SOB (%)"], share_rows())
    write_csv("production_volumes.csv",
              ["Manufacturer", "Plant", "Model", "Period", "Production Volume"],
              production_rows(built))
    write_csv("vendor_rating.csv", ["Rating Month", "Customer", "Vendor", "Score", "Rating Band"],
              vendor_rating_rows())
    write_rfqs()
    write_csv("complaints.csv",
              ["Complaint No", "Customer", "Plant", "QCDDM", "Description", "Raised On",
               "Target Date", "Closed On", "VOC"], [list(c) for c in COMPLAINTS])
    write_csv("receivables.csv",
              ["Invoice No", "Customer", "Invoice Date", "Due Date", "Invoice Amount (Rs)",
               "Received On", "Amount Received (Rs)", "Expected Receipt"],
              receivable_rows(random.Random(SEED + 11)))


if __name__ == "__main__":
    main()
