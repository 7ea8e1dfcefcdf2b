"""Competitor scorecard at one customer, built from tagged signals.

Evidence weighting rule (:func:`evidence_weight`): weight = grade weight × 0.5 ^ (age / half
life), with grade weights observed 1.0, reported 0.6, rumoured 0.3, age = days from the
signal's ``observed_at`` to the report date and a half life of 180 days. A signal with no
grade counts as ``reported`` (published text that does not hedge; the tagger grades hedged
text ``rumoured``). A signal with no date has no weight (NaN: the caller may fill
``observed_at`` from the document's date), and one dated after the report date weighs 0.
Counts of signals are counts of evidence found: a month with none counts 0, which is not
proof that nothing happened.

Rules for the scorecard (:func:`scorecard`, :func:`latest_figures`, :func:`distinct_evidence`):

* a latest figure is the newest observed or reported one within ``window_days`` (180) of the
  report date (a rumour only where there is neither); within one month an observed figure
  beats a reported one, whatever their days; its grade and age are given beside it;
* one document counts at most once per type and company (its heaviest signal), and the same
  event from a note and a story — same type, company, customer and figure within five days —
  counts once;
* evidence is split into *threat* (a competitor gaining: wins, share up, new technology,
  capacity at the customer, price cuts, rating up, PPM down) and *trouble* (its PPM, delivery
  failures, losses, share down, rating down);
* the customer's own rating table, where given, is the latest vendor rating of a supplier for
  its month and any later month without a newer figure in the text (it is the customer's
  record; a note or story only restates it);
* the counts of recent moves (pricing, technology, capacity, visits) count distinct evidence,
  as above, and visits as the visits table counts them: rumours are no visits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from compintel.analysis._frames import AnalysisInputError, prepare, to_timestamp
from compintel.analysis.periods import fiscal_year, month_of, month_range, quarter_label

GRADE_WEIGHTS: dict[str, float] = {"observed": 1.0, "reported": 0.6, "rumoured": 0.3}
DEFAULT_GRADE = "reported"
HALF_LIFE_DAYS = 180.0
SIGNAL_TEXT = ["type", "company_id", "customer_id", "plant_id", "technology_id", "unit",
               "grade", "text"]
FIGURE_TYPES = ("quality_ppm", "delivery_performance", "vendor_rating")
EVENT_TYPES = ("technology_launch", "capacity")
LATEST_WINDOW_DAYS = 180
SAME_EVENT_DAYS = 5
GRADE_RANK = {"rumoured": 0, "reported": 1, "observed": 2}
THREAT_TYPES = ("supply_win", "technology_launch", "capacity")
TROUBLE_TYPES = ("delivery_performance", "supply_loss")


def prepare_signals(signals: pd.DataFrame | None) -> pd.DataFrame:
    """Checked signals table, ``observed_at`` parsed to datetimes and grades lower-cased.

    Input columns: document_id, type, company_id, customer_id, plant_id, technology_id,
    value, unit, observed_at (``YYYY-MM-DD`` or NaN), grade (observed|reported|rumoured or
    NaN), text. Output: the same columns typed, in input order; an unknown grade is an error.
    """
    df = prepare(signals, "signals", text=SIGNAL_TEXT, numbers=["document_id", "value"],
                 dates=["observed_at"], required=["type", "company_id"])
    df["grade"] = df["grade"].str.strip().str.lower()
    bad = df["grade"].notna() & ~df["grade"].isin(list(GRADE_WEIGHTS))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 1
        raise AnalysisInputError(f"row {row} holds {df['grade'][bad].iloc[0]!r}, not a grade",
                                 path="signals", field="grade",
                                 hint="use observed, reported or rumoured")
    return df


def evidence_weight(signals: pd.DataFrame | None, *, as_of: str | date | pd.Timestamp,
                    half_life_days: float = HALF_LIFE_DAYS,
                    grade_weights: Mapping[str, float] | None = None) -> pd.Series:
    """Weight of each signal as evidence at the report date ``as_of``.

    Rule: grade weight (observed 1.0, reported 0.6, rumoured 0.3; no grade = reported) ×
    0.5 ^ (age in days / ``half_life_days``); no ``observed_at`` → NaN; dated after
    ``as_of`` → 0. Input: the signals table. Output: a float Series with the input's index.
    """
    if half_life_days <= 0:
        raise AnalysisInputError(f"half life {half_life_days!r} must be above 0",
                                 field="half_life_days", hint="give days, e.g. 180")
    index = signals.index if signals is not None else pd.RangeIndex(0)
    df = prepare_signals(signals)
    weights = {**GRADE_WEIGHTS, **(grade_weights or {})}
    grade = df["grade"].fillna(DEFAULT_GRADE).map(weights).astype("float64")
    age = (to_timestamp(as_of) - df["observed_at"]).dt.days.astype("float64")
    decay = np.power(0.5, age.clip(lower=0) / half_life_days)
    weight = (grade * decay).where(age >= 0, 0.0).where(df["observed_at"].notna())
    return pd.Series(weight.to_numpy(), index=index, name="weight", dtype="float64")


def weighted_signals(signals: pd.DataFrame | None, *, as_of: str | date | pd.Timestamp,
                     customer_id: str | None = None, include_general: bool = False,
                     half_life_days: float = HALF_LIFE_DAYS) -> pd.DataFrame:
    """Signals with ``weight`` and ``age_days`` columns, optionally for one customer.

    Input: the signals table. Output: its columns (typed) plus weight (see
    :func:`evidence_weight`) and age_days at ``as_of``; with ``customer_id``, only that
    customer's signals, plus those naming no customer when ``include_general`` is set.
    Signals dated after ``as_of`` are dropped; signals with no company are dropped.
    """
    stamp = to_timestamp(as_of)
    df = prepare_signals(signals)
    df["weight"] = evidence_weight(df, as_of=stamp, half_life_days=half_life_days).to_numpy()
    df["age_days"] = (stamp - df["observed_at"]).dt.days.astype("float64")
    df = df[df["company_id"].notna() & ~(df["observed_at"] > stamp)]
    if customer_id is not None:
        mine = df["customer_id"] == customer_id
        if include_general:
            mine = mine | df["customer_id"].isna()
        df = df[mine]
    return df.reset_index(drop=True)


def distinct_evidence(weighted: pd.DataFrame) -> pd.DataFrame:
    """The rows of a :func:`weighted_signals` frame that count as separate evidence.

    One document counts at most once per type and company (its heaviest signal). The same event
    reported twice — same type, company, customer, value and unit, dated within
    ``SAME_EVENT_DAYS`` of the first report (a note and a news story, two outlets) — counts once
    (its heaviest report). Order and columns are kept.
    """
    if weighted.empty:
        return weighted
    df = weighted.assign(_row=np.arange(len(weighted)))
    df = df.sort_values(["weight", "_row"], ascending=[False, True], kind="stable", na_position="last")
    df = df.drop_duplicates(["document_id", "type", "company_id"])
    # number the events: in key and date order, a report within SAME_EVENT_DAYS of its event's
    # first report is that event again
    keys = ["type", "company_id", "customer_id", "value", "unit"]
    df = df.sort_values([*keys, "observed_at", "_row"], kind="stable", na_position="last")
    events, event, previous_key, first_day = [], -1, None, None
    for row in df[[*keys, "observed_at"]].itertuples(index=False):
        key, day = tuple("" if pd.isna(part) else part for part in row[:-1]), row[-1]
        if not (key == previous_key and pd.notna(day) and first_day is not None
                and (day - first_day).days <= SAME_EVENT_DAYS):
            event, previous_key, first_day = event + 1, key, day
        events.append(event)
    # each event's heaviest report (the first in key and date order on a tie)
    df = df.assign(_event=events)
    df = df.sort_values("weight", ascending=False, kind="stable", na_position="last")
    df = df.drop_duplicates("_event").sort_values("_row", kind="stable")
    return df.drop(columns=["_row", "_event"])


def evidence_direction(weighted: pd.DataFrame) -> pd.Series:
    """For each signal, ``"threat"`` (the company gaining), ``"trouble"`` (the company in
    difficulty) or ``""`` (neither, or not known): see the module's rules."""
    kind = weighted["type"]
    value = pd.to_numeric(weighted["value"], errors="coerce")
    previous = pd.to_numeric(weighted.get("previous_value", pd.Series(np.nan, index=weighted.index)),
                             errors="coerce")
    up, down = value > previous, value < previous
    threat = (kind.isin(THREAT_TYPES) | ((kind == "pricing") & (value < 0))
              | (kind.isin(["share_of_business", "vendor_rating"]) & up)
              | ((kind == "quality_ppm") & down))
    trouble = (kind.isin(TROUBLE_TYPES) | (kind.isin(["share_of_business", "vendor_rating"]) & down)
               | ((kind == "quality_ppm") & ~down))
    out = pd.Series("", index=weighted.index, dtype="object")
    out[trouble] = "trouble"
    out[threat] = "threat"
    return out


def signal_counts(signals: pd.DataFrame | None, *, as_of: str | date | pd.Timestamp,
                  customer_id: str | None = None, freq: str = "month",
                  half_life_days: float = HALF_LIFE_DAYS) -> pd.DataFrame:
    """Signals by company, type and period, with their summed evidence weight.

    Input: the signals table; ``freq`` ``"month"``, ``"quarter"`` (``FY2025-26 Q1``) or
    ``"fy"``. Output columns: company_id, type, period (NaN for undated signals), signals
    (count), weight (sum of weights; undated signals add nothing).
    """
    labels = {"month": None, "quarter": quarter_label, "fy": fiscal_year}
    if freq not in labels:
        raise AnalysisInputError(f"{freq!r} is not a frequency", field="freq",
                                 hint="use month, quarter or fy")
    df = weighted_signals(signals, as_of=as_of, customer_id=customer_id,
                          half_life_days=half_life_days)
    period = month_of(df["observed_at"])
    if labels[freq] is not None:
        period = period.map(labels[freq], na_action="ignore").astype("str")
    df = df.assign(period=period)
    out = df.groupby(["company_id", "type", "period"], dropna=False, sort=True).agg(
        signals=("type", "size"), weight=("weight", "sum")).reset_index()
    return out[["company_id", "type", "period", "signals", "weight"]]


def _ours_first(df: pd.DataFrame, our_company: str, then: Sequence[str]) -> pd.DataFrame:
    df = df.assign(is_ours=df["company_id"] == our_company)
    df = df.assign(_rank=~df["is_ours"])
    return df.sort_values(["_rank", *then], kind="stable").drop(columns="_rank")


def latest_figures(signals: pd.DataFrame | None, *, our_company: str,
                   as_of: str | date | pd.Timestamp, customer_id: str | None = None,
                   types: Sequence[str] = FIGURE_TYPES,
                   half_life_days: float = HALF_LIFE_DAYS,
                   window_days: float = LATEST_WINDOW_DAYS) -> pd.DataFrame:
    """Latest figure per company, signal type and unit (PPM, OTIF %, ratings …), ours first.

    Input: the signals table. Only dated signals with a value, of ``types``, on or before
    ``as_of`` and at most ``window_days`` old. Output columns: company_id, is_ours, type, unit,
    value, previous_value, observed_at, grade (no grade reads ``reported``), weight, age_days,
    figures (how many such figures there are in the window, rumours included), document_id,
    text. A rumour counts only where nothing observed or reported is in the window; then the
    latest month wins, within it the better grade (observed before reported), then the later
    date, the higher weight, the later row.
    """
    df = weighted_signals(signals, as_of=as_of, customer_id=customer_id,
                          half_life_days=half_life_days)
    df = df[df["type"].isin(list(types)) & df["value"].notna() & df["observed_at"].notna()
            & (df["age_days"] <= window_days)]
    if "previous_value" not in df:
        df = df.assign(previous_value=np.nan)
    keys = ["company_id", "type", "unit"]
    df = df.assign(_row=np.arange(len(df)), grade=df["grade"].fillna(DEFAULT_GRADE))
    df = df.assign(_month=df["observed_at"].dt.to_period("M"), _grade=df["grade"].map(GRADE_RANK))
    counts = df.groupby(keys, dropna=False, sort=False)["value"].transform("size")
    df = df.assign(figures=counts.astype("int64"))
    # a rumour is the latest word only where nothing observed or reported is in the window
    firm = df.groupby(keys, dropna=False, sort=False)["_grade"].transform("max") > GRADE_RANK["rumoured"]
    df = df[~(firm & (df["_grade"] == GRADE_RANK["rumoured"]))]
    df = df.sort_values([*keys, "_month", "_grade", "observed_at", "weight", "_row"], kind="stable")
    latest = df.drop_duplicates(keys, keep="last")
    latest = _ours_first(latest, our_company, keys)
    cols = ["company_id", "is_ours", "type", "unit", "value", "previous_value", "observed_at", "grade",
            "weight", "age_days", "figures", "document_id", "text"]
    return latest[cols].reset_index(drop=True)


def _note_days(notes: pd.DataFrame, stamp: pd.Timestamp, window_days: int) -> int:
    """Days with a field note or visit-log row, per plant, within ``window_days`` to ``stamp``."""
    if notes.empty:
        return 0
    day = pd.to_datetime(notes["note_date"], errors="coerce")
    age = (stamp - day).dt.days
    recent = notes[(age >= 0) & (age <= window_days)]
    return int(len(recent.drop_duplicates(["note_date", "plant_id"])))


def _with_table_ratings(out: pd.DataFrame, table: pd.DataFrame, stamp: pd.Timestamp) -> pd.DataFrame:
    """The scorecard's latest ratings, with the rating table's month for each supplier it rates
    unless the text's figure is of a later month (see :func:`scorecard`)."""
    out = out.assign(latest_rating_band=pd.Series([None] * len(out), dtype="object"),
                     latest_rating_source=np.where(out["latest_rating_pct"].notna(), "text", None))
    by_supplier = table.set_index("supplier_id") if not table.empty else table
    companies = set(out["company_id"]) | set(table["supplier_id"])
    missing = sorted(companies - set(out["company_id"]))
    if missing:
        out = pd.concat([out, pd.DataFrame({"company_id": missing})], ignore_index=True)
    for index, company in out["company_id"].items():
        if company not in by_supplier.index:
            continue
        row = by_supplier.loc[company]
        text_on = out.at[index, "latest_rating_on"]
        if pd.notna(text_on) and pd.Timestamp(text_on).strftime("%Y-%m") > row["month"]:
            continue        # the text reports a newer month
        if pd.isna(row["score"]) and pd.notna(out.at[index, "latest_rating_pct"]):
            out.at[index, "latest_rating_band"] = row["band"]     # the text's score, the table's band
            continue
        month_end = pd.Period(row["month"], "M").to_timestamp(how="end").normalize()
        on = min(month_end, stamp)
        out.loc[index, ["latest_rating_pct", "latest_rating_on", "latest_rating_grade",
                        "latest_rating_age_days", "latest_rating_band", "latest_rating_source"]] = [
            row["score"], on, "observed", float((stamp - on).days), row["band"], "rating table"]
    return out


def signal_list(signals: pd.DataFrame | None, *, our_company: str,
                as_of: str | date | pd.Timestamp, types: Sequence[str],
                customer_id: str | None = None, include_general: bool = False,
                half_life_days: float = HALF_LIFE_DAYS) -> pd.DataFrame:
    """Signals of the given ``types`` (e.g. pricing moves, technology and capacity events).

    Input: the signals table. Output columns, newest first (undated last): company_id,
    is_ours, type, observed_at, value, unit, technology_id, grade, weight, customer_id,
    document_id, text. ``include_general`` adds signals naming no customer (a competitor's new
    plant concerns every customer).
    """
    df = weighted_signals(signals, as_of=as_of, customer_id=customer_id,
                          include_general=include_general, half_life_days=half_life_days)
    df = df[df["type"].isin(list(types))]
    df = df.assign(is_ours=df["company_id"] == our_company)
    df = df.sort_values("observed_at", ascending=False, kind="stable", na_position="last")
    cols = ["company_id", "is_ours", "type", "observed_at", "value", "unit", "technology_id",
            "grade", "weight", "customer_id", "document_id", "text"]
    return df[cols].reset_index(drop=True)


def pricing_moves(signals: pd.DataFrame | None, *, our_company: str,
                  as_of: str | date | pd.Timestamp, customer_id: str | None = None,
                  half_life_days: float = HALF_LIFE_DAYS) -> pd.DataFrame:
    """Pricing signals (quotes, cuts, increases) at a customer, newest first; see signal_list."""
    return signal_list(signals, our_company=our_company, as_of=as_of, types=("pricing",),
                       customer_id=customer_id, half_life_days=half_life_days)


def technology_capacity_events(signals: pd.DataFrame | None, *, our_company: str,
                               as_of: str | date | pd.Timestamp,
                               customer_id: str | None = None, include_general: bool = True,
                               half_life_days: float = HALF_LIFE_DAYS) -> pd.DataFrame:
    """Technology launches and capacity moves, newest first; see signal_list.

    By default includes events that name no customer, as a competitor's new line or product
    concerns every account.
    """
    return signal_list(signals, our_company=our_company, as_of=as_of, types=EVENT_TYPES,
                       customer_id=customer_id, include_general=include_general,
                       half_life_days=half_life_days)


def visit_frequency(signals: pd.DataFrame | None, *, our_company: str,
                    as_of: str | date | pd.Timestamp, customer_id: str | None = None,
                    start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """customer_engagement signals (visits, meetings, trials) per month per company.

    Input: the signals table; ``start``/``end`` month keys (default: the dated signals' span,
    up to the month of ``as_of``). Output columns: company_id, is_ours, month, visits — every
    company that has any engagement signal (and ours) × every month, 0 where none was found.
    Undated signals are not counted.
    """
    df = weighted_signals(signals, as_of=as_of, customer_id=customer_id)
    df = df[(df["type"] == "customer_engagement") & df["observed_at"].notna()]
    df = df.assign(month=month_of(df["observed_at"]))
    if df.empty and (start is None or end is None):
        return pd.DataFrame({"company_id": pd.Series(dtype="str"),
                             "is_ours": pd.Series(dtype=bool),
                             "month": pd.Series(dtype="str"),
                             "visits": pd.Series(dtype="int64")})
    months = month_range(start or df["month"].min(), end or df["month"].max())
    companies = sorted(set(df["company_id"]) | {our_company})
    grid = pd.MultiIndex.from_product([companies, months], names=["company_id", "month"])
    counts = df.groupby(["company_id", "month"]).size().reindex(grid, fill_value=0)
    out = counts.rename("visits").reset_index()
    out["visits"] = out["visits"].astype("int64")
    out = _ours_first(out, our_company, ["company_id", "month"])
    return out[["company_id", "is_ours", "month", "visits"]].reset_index(drop=True)


def _table_ratings(ratings: pd.DataFrame | None, *, customer_id: str, as_of: pd.Timestamp,
                   window_days: float) -> pd.DataFrame:
    """Each supplier's latest month in the customer's rating table (a score or a band) within
    ``window_days`` of ``as_of``: supplier_id, month, score, band — the customer-wide row's
    where the table has one, else the plants' (the mean score of the rows with a score, and
    their band when they agree, else "mixed")."""
    from compintel.analysis.satisfaction import prepare_ratings

    columns = ["supplier_id", "month", "score", "band"]
    if ratings is None or len(ratings) == 0:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
    df = prepare_ratings(ratings)
    first_month = (as_of - pd.Timedelta(days=window_days)).strftime("%Y-%m")
    df = df[(df["customer_id"] == customer_id) & (df["month"] <= as_of.strftime("%Y-%m"))
            & (df["month"] >= first_month) & (df["score"].notna() | df["band"].notna())]
    if df.empty:
        return pd.DataFrame({name: pd.Series(dtype="object") for name in columns})
    df = df[df["month"] == df.groupby("supplier_id")["month"].transform("max")]
    rows = []
    for supplier, group in df.groupby("supplier_id", sort=True):
        wide = group[group["plant_id"].isna()]
        if not wide.empty:
            group = wide
        elif group["score"].notna().any():
            group = group[group["score"].notna()]       # a score and a band from the same rows
        bands = group["band"].dropna()
        rows.append({"supplier_id": supplier, "month": group["month"].iloc[0],
                     "score": group["score"].mean(),
                     "band": bands.iloc[0] if bands.nunique() == 1 else ("mixed" if len(bands) else None)})
    return pd.DataFrame(rows, columns=columns)


def scorecard(signals: pd.DataFrame | None, *, customer_id: str, our_company: str,
              as_of: str | date | pd.Timestamp, window_days: int = 90,
              half_life_days: float = HALF_LIFE_DAYS,
              figure_window_days: float = LATEST_WINDOW_DAYS,
              ratings: pd.DataFrame | None = None,
              our_notes: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per company at a customer: latest PPM, OTIF and rating, recent moves, visits,
    evidence.

    Input: the signals table. Output, ours first then by company: company_id, is_ours;
    latest_ppm, latest_ppm_on, latest_ppm_grade, latest_ppm_age_days (quality_ppm in ``ppm``),
    the same for latest_otif_pct (delivery_performance in ``%``) and latest_rating_pct
    (vendor_rating in ``%``), each the newest within ``figure_window_days`` by the rules of
    :func:`latest_figures` — with ``ratings`` (the vendor_ratings table) a supplier's latest
    month there is its latest rating unless the text gives a newer month's, with latest_rating_band
    and latest_rating_source ("rating table" or "text") beside it; pricing_signals, technology_events, capacity_events and visits
    (customer_engagement, rumours left out) dated within ``window_days`` before ``as_of``, each
    a count of distinct evidence — with ``our_notes`` (our field notes and visit-log rows at the
    customer: note_date, plant_id) our visits are their days per plant in that window, as the
    report's visits table counts them; signals (the distinct
    evidence at the customer, :func:`distinct_evidence`), evidence_weight (its summed weight),
    threat_weight and trouble_weight (the part of it that shows the company gaining, or in
    trouble: :func:`evidence_direction`). Companies listed: ours, every company with a signal
    at the customer and every supplier its rating table rates.
    """
    stamp = to_timestamp(as_of)
    df = weighted_signals(signals, as_of=stamp, customer_id=customer_id,
                          half_life_days=half_life_days)
    companies = sorted(set(df["company_id"]) | {our_company})
    out = pd.DataFrame({"company_id": pd.Series(companies, dtype="str")})
    figures = latest_figures(signals, our_company=our_company, as_of=stamp,
                             customer_id=customer_id, half_life_days=half_life_days,
                             window_days=figure_window_days)
    for name, kind, unit in (("latest_ppm", "quality_ppm", "ppm"),
                             ("latest_otif_pct", "delivery_performance", "%"),
                             ("latest_rating_pct", "vendor_rating", "%")):
        stem = name.removesuffix("_pct")
        pick = figures[(figures["type"] == kind) & (figures["unit"] == unit)]
        pick = pick[["company_id", "value", "observed_at", "grade", "age_days"]].rename(
            columns={"value": name, "observed_at": f"{stem}_on", "grade": f"{stem}_grade",
                     "age_days": f"{stem}_age_days"})
        out = out.merge(pick, on="company_id", how="left")
    out = _with_table_ratings(out, _table_ratings(ratings, customer_id=customer_id, as_of=stamp,
                                                  window_days=figure_window_days), stamp)
    recent = distinct_evidence(df[df["age_days"] <= window_days])
    for name, kind in (("pricing_signals", "pricing"), ("technology_events", "technology_launch"),
                       ("capacity_events", "capacity"), ("visits", "customer_engagement")):
        rows = recent[recent["type"] == kind]
        if kind == "customer_engagement":
            rows = rows[rows["grade"].fillna(DEFAULT_GRADE) != "rumoured"]     # rumours are no visits
        counts = rows.groupby("company_id").size()
        out[name] = out["company_id"].map(counts).fillna(0).astype("int64")
    if our_notes is not None:
        out.loc[out["company_id"] == our_company, "visits"] = _note_days(our_notes, stamp, window_days)
    evidence = distinct_evidence(df)
    evidence = evidence.assign(direction=evidence_direction(evidence))
    out["signals"] = out["company_id"].map(evidence.groupby("company_id").size()).fillna(0)
    out["signals"] = out["signals"].astype("int64")
    for name, rows in (("evidence_weight", evidence),
                       ("threat_weight", evidence[evidence["direction"] == "threat"]),
                       ("trouble_weight", evidence[evidence["direction"] == "trouble"])):
        out[name] = out["company_id"].map(rows.groupby("company_id")["weight"].sum()).fillna(0.0)
    out = _ours_first(out, our_company, ["company_id"])
    cols = ["company_id", "is_ours"]
    for stem in ("latest_ppm", "latest_otif", "latest_rating"):
        value = f"{stem}_pct" if stem != "latest_ppm" else stem
        cols += [value, f"{stem}_on", f"{stem}_grade", f"{stem}_age_days"]
    cols += ["latest_rating_band", "latest_rating_source", "pricing_signals", "technology_events", "capacity_events", "visits", "signals",
             "evidence_weight", "threat_weight", "trouble_weight"]
    return out[cols].reset_index(drop=True)
