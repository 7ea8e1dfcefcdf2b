"""Customer: production, how the customer rates us and our competitors, complaints and open
issues, RFQs, collections, visits and what we heard on them."""

from __future__ import annotations

import pandas as pd

from .. import analysis
from . import charts
from .format import Html, esc, inr, money_unit, muted, number, table
from .model import ReportModel, once

RFQ_OPEN = ("open", "quoted")


class CustomerSection:
    def __init__(self, model: ReportModel) -> None:
        self.m = model

    # -- production ----------------------------------------------------------------------
    def volumes_chart(self):
        m = self.m
        if m.volumes.empty:
            return muted("No production volumes.")
        frame = m.volumes[m.volumes["month"] >= m.window_start].copy()
        if frame.empty:
            return muted(f"No production volumes in the twelve months to {m.period}.")
        frame["model"] = frame["model"].map(m.name)
        pivot = frame.pivot_table(index="month", columns="model", values="volume", aggfunc="sum")
        return charts.stacked_bars(pivot, f"{m.customer_name} production by model", "vehicles")

    # -- vendor rating -------------------------------------------------------------------
    def rating_chart(self):
        m = self.m
        frame = m.ratings
        ours = frame[frame["is_ours"] & frame["score"].notna()] if not frame.empty else frame
        if ours.empty:
            return Html("")
        series = {m.name(plant): group.set_index("month")["score"]
                  for plant, group in ours.groupby(ours["plant_id"].fillna("all plants"))}
        return charts.lines(series, f"{m.our_name} vendor rating at {m.customer_name}", "score")

    @once
    def ratings(self) -> pd.DataFrame:
        """The latest rating of every supplier and plant: ours and competitors' from the rating
        table, and competitors' scores the notes and news report where the table has none."""
        m = self.m
        rows = []
        if not m.ratings.empty:
            rated = m.ratings[m.ratings["score"].notna() | m.ratings["band"].notna()]
            latest = rated.sort_values("month").groupby(["supplier_id", "plant_id"], dropna=False).tail(1)
            for r in latest.itertuples():
                rows.append({"supplier": m.name(r.supplier_id), "is_ours": bool(r.is_ours),
                             "plant": m.name(r.plant_id) if isinstance(r.plant_id, str) else "all plants",
                             "month": r.month, "score": r.score, "band": r.band,
                             "change": r.score_change, "source": "rating table"})
        tabled = {(row["supplier"], row["plant"]) for row in rows if not pd.isna(row["score"])}
        signals = m.signals[(m.signals["type"] == "vendor_rating") & m.signals["value"].notna()
                            & m.signals["company_id"].map(m.is_competitor)]
        if not signals.empty:
            signals = signals.sort_values("observed_at").groupby(["company_id", "plant_id"], dropna=False).tail(1)
            for s in signals.itertuples():
                plant = m.name(s.plant_id) if isinstance(s.plant_id, str) else "all plants"
                if (m.name(s.company_id), plant) in tabled:
                    continue
                unit = "" if s.unit in (None, "points") or pd.isna(s.unit) else f" {s.unit}"
                rows.append({"supplier": m.name(s.company_id), "is_ours": False, "plant": plant,
                             "month": str(s.observed_at)[:7], "score": s.value, "band": None,
                             "change": None, "source": f"{s.grade or 'reported'} signal{unit}"})
        frame = pd.DataFrame(rows, columns=["supplier", "is_ours", "plant", "month", "score", "band",
                                            "change", "source"])
        if frame.empty:
            return frame
        return frame.sort_values(["is_ours", "supplier", "plant"], ascending=[False, True, True],
                                 kind="stable").reset_index(drop=True)

    def rating_table(self) -> Html:
        frame = self.ratings()
        columns = {"supplier": "Supplier", "plant": "Plant", "month": "Month", "score": "Score",
                   "band": "Band", "change": "Change", "source": "From"}
        return Html('<div id="ci-ratings"></div>') + table(
            frame, columns, {"score": number, "change": lambda v: number(v, 1)}, numeric=["score", "change"],
            empty="No vendor ratings.")

    # -- complaints ----------------------------------------------------------------------
    @once
    def complaints(self) -> pd.DataFrame:
        """Complaints by month and QCDDM category: only months with a complaint and
        categories with one."""
        m = self.m
        if m.complaints.empty:
            return pd.DataFrame()
        frame = analysis.complaints_by_category(m.complaints, customer_id=m.customer_id,
                                                start=m.window_start, end=m.period)
        frame = frame.drop(columns=["customer_id"])
        frame = frame[frame["total"] > 0]
        keep = [c for c in frame.columns if c == "month" or frame[c].sum() > 0]
        return frame[keep]

    def complaints_table(self) -> Html:
        m = self.m
        if m.complaints.empty:
            return muted("No complaints recorded.")
        frame = self.complaints()
        shown = table(frame, {c: c.capitalize() for c in frame.columns},
                      empty=f"No complaints raised in the twelve months to {m.period}.")
        raised = m.complaints["raised_on"].astype("str").str[:7]
        voc = int(((m.complaints["is_voc"] == 1) & (raised >= m.window_start) & (raised <= m.period)).sum())
        if not voc:
            return shown
        items = "1 raised in these twelve months is" if voc == 1 else f"{voc} raised in these twelve months are"
        return shown + Html(f'<p class="ci-muted">VOC items are not counted here: {items} in the '
                            "voice-of-the-customer table below.</p>")

    def open_issues_table(self) -> Html:
        m = self.m
        frame = m.names(m.open_issues(), "plant_id")
        columns = {"ref": "Ref", "plant_id": "Plant", "category": "QCDDM", "description": "Issue",
                   "raised_on": "Raised", "target_on": "Target", "days_open": "Days open",
                   "overdue_days": "Days overdue", "bucket": "Ageing"}
        return Html('<div id="ci-issues"></div>') + table(
            frame, columns, {"days_open": number, "overdue_days": number},
            numeric=["days_open", "overdue_days"], empty=f"No open issues on {m.as_of}.")

    def voc_table(self) -> Html:
        m = self.m
        if m.complaints.empty:
            return muted("No VOC items.")
        frame = analysis.voc_items(m.complaints, as_of=m.as_of, customer_id=m.customer_id)
        columns = {"ref": "Ref", "category": "QCDDM", "description": "Voice of customer",
                   "raised_on": "Raised", "status": "Status"}
        return table(frame, columns, empty="No VOC items.")

    # -- RFQs ----------------------------------------------------------------------------
    @once
    def open_rfqs(self) -> pd.DataFrame:
        rfqs = self.m.rfqs
        if rfqs.empty:
            return rfqs
        return rfqs[rfqs["status"].isin(RFQ_OPEN)].sort_values("rfq_date")

    def rfq_section(self) -> Html:
        m = self.m
        rfqs = m.rfqs
        if rfqs.empty:
            return Html('<div id="ci-rfqs"></div>') + muted("No RFQs recorded.")
        pipeline = analysis.rfq_pipeline(rfqs, by=("customer_id",))
        columns = {"n_open": "Open", "n_quoted": "Quoted", "n_won": "Won", "n_lost": "Lost",
                   "n_dropped": "Dropped", "win_rate_pct": "Win rate %", "value_won": "Value won / yr",
                   "value_lost": "Value lost / yr"}
        part = table(pipeline, columns, {"win_rate_pct": lambda v: number(v, 0)},
                     money=["value_won", "value_lost"])
        lost = m.names(analysis.lost_rfqs(rfqs, end=m.as_of), "competitor_id")
        lost_columns = {"programme": "Programme", "part_family": "Part", "competitor_id": "Lost to",
                        "value": "Value / yr", "reason": "Reason", "decided_on": "Decided"}
        lost_part = table(lost, lost_columns, money=["value"], empty="No RFQs lost.")
        open_columns = {"rfq_date": "Date", "programme": "Programme", "part_family": "Part",
                        "status": "Status", "quote_due": "Quote due", "value": "Value / yr"}
        open_part = table(self.open_rfqs(), open_columns, money=["value"], empty="No open RFQs.")
        return Html('<div id="ci-rfqs"></div>' + part.markup + "<h4>Lost to competitors</h4>"
                    + lost_part.markup + "<h4>Open and quoted</h4>" + open_part.markup)

    # -- receivables ---------------------------------------------------------------------
    def receivables_section(self) -> Html:
        m = self.m
        ageing = m.receivables_ageing()
        columns = {"outstanding": "Outstanding", "not_due": "Not due", "0-30": "1–30 days",
                   "31-60": "31–60", "61-90": "61–90", "90+": "90+", "overdue_invoices": "Overdue invoices"}
        money = ["outstanding", "not_due", "0-30", "31-60", "61-90", "90+"]
        parts = ['<div id="ci-receivables"></div>', _one_unit_row(ageing, columns, money).markup]
        if m.receivables.empty:
            return Html("".join(parts))
        plan = analysis.receipts_plan_vs_actual(m.receivables, customer_id=m.customer_id,
                                                start=analysis.add_months(m.period, -5), end=m.period)
        parts.append("<h4>Receipts, plan vs actual</h4>")
        parts.append(table(plan, {"month": "Month", "planned": "Receipts planned", "received": "Received",
                                  "variance": "Variance", "achievement_pct": "Achievement %"},
                           {"achievement_pct": lambda v: number(v, 0)},
                           money=["planned", "received", "variance"]).markup)
        replans = analysis.replanned_receipts(m.receivables, as_of=m.as_of)
        replans = replans[(replans["outstanding"] > 0)
                          | (replans["due_date"] >= analysis.add_months(m.period, -5) + "-01")]
        if not replans.empty:
            parts.append("<h4>Receipts re-planned to a later month</h4>"
                         '<p class="ci-muted">Planned above is by due date; these invoices were '
                         "re-planned later and count as short in their due month.</p>")
            parts.append(table(replans, {"invoice": "Invoice", "due_date": "Due",
                                         "planned_receipt_on": "Re-planned to",
                                         "months_later": "Months later", "amount": "Amount",
                                         "outstanding": "Outstanding"},
                               {"months_later": number}, money=["amount", "outstanding"]).markup)
        if not ageing.empty and ageing["undated_invoices"].iloc[0] > 0:
            row = ageing.iloc[0]
            parts.append(f'<p class="ci-gap">{esc(inr(row["undated"]))} outstanding on '
                         f'{int(row["undated_invoices"])} invoice(s) without a due date: in the '
                         "outstanding total, not aged and in no month's plan. Add the due dates.</p>")
        return Html("".join(parts))

    # -- visits and notes ----------------------------------------------------------------
    @once
    def visits(self, months: int = 6) -> pd.DataFrame:
        """Visits per company and month: ours from the field notes and visit-log rows (one per
        day and plant), competitors' from observed or reported engagement signals (meetings,
        trials, visits seen); rumours are not counted."""
        m = self.m
        start = analysis.add_months(m.period, -(months - 1))
        month_list = analysis.month_range(start, m.period)
        counts: dict[str, dict[str, int]] = {}
        notes = m.notes
        if not notes.empty:
            notes = notes[notes["note_date"] >= start + "-01"]
            days = notes.assign(month=notes["note_date"].str[:7]).drop_duplicates(["note_date", "plant_id"])
            counts[m.our_name] = days.groupby("month").size().to_dict()
        seen = m.signals[m.signals["grade"].isin(["observed", "reported"])]     # rumours are not visits
        frame = analysis.visit_frequency(seen, our_company=m.our, as_of=m.as_of,
                                         customer_id=m.customer_id, start=start, end=m.period)
        theirs = frame[(frame["company_id"] != m.our) & (frame["visits"] > 0)]
        for row in theirs.itertuples():
            counts.setdefault(m.name(row.company_id), {})[row.month] = int(row.visits)
        counts.setdefault(m.our_name, {})
        out = pd.DataFrame([{"company": company, **{month: by_month.get(month, 0) for month in month_list}}
                            for company, by_month in counts.items()])
        ours = out["company"] == m.our_name
        return pd.concat([out[ours], out[~ours].sort_values("company")], ignore_index=True)

    def visits_table(self) -> Html:
        frame = self.visits()
        if frame.drop(columns=["company"]).to_numpy().sum() == 0:
            return muted("No visits or meetings recorded in the last six months.")
        return table(frame, {"company": "Company", **{c: c for c in frame.columns if c != "company"}}) + Html(
            '<p class="ci-muted">Ours: days with a field note or visit-log row (per plant). Competitors: '
            "meetings, trials and visits the notes and news report as seen or first-hand (rumours are not "
            "counted). A zero is no evidence found, not proof of no visit.</p>")

    def notes_section(self) -> Html:
        m = self.m
        notes = m.notes
        since = analysis.add_months(m.period, -2)
        notes = notes[notes["note_date"] >= since + "-01"] if not notes.empty else notes
        if notes.empty:
            return muted("No field notes in the last three months.")
        items = []
        for note in notes.sort_values("note_date", ascending=False).itertuples():
            meta = " · ".join(part for part in (
                esc(note.note_date), esc(m.name(note.plant_id)) if note.plant_id else "",
                esc(note.author), esc(note.grade),
                f"about {esc(m.name(note.competitor_id))}" if note.competitor_id else "",
                f"<code>{esc(note.path)}</code>") if part)
            items.append(f'<div><p class="ci-muted">{meta}</p>'
                         f'<div class="ci-quote">{esc(note.text.strip())}</div></div>')
        return Html("".join(items))


def _one_unit_row(ageing: pd.DataFrame, columns: dict[str, str], money: list[str]) -> Html:
    """The ageing row with all its rupee columns in one unit (they add up across)."""
    if ageing.empty:
        return muted("No receivables.")
    unit = money_unit([ageing[c].iloc[0] for c in money if c in ageing.columns])
    fmt = {c: unit.format for c in money}
    renamed = {c: (f"{label} ({unit.label})" if c in money else label) for c, label in columns.items()}
    return table(ageing, renamed, fmt, numeric=money)
