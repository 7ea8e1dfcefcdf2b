"""Competitor: share of business by supplier (the model × part family × supplier matrix and
where share moved since last month), the scorecard, pricing, technology and capacity."""

from __future__ import annotations

import pandas as pd

from .. import analysis
from . import charts
from .evidence import EvidenceSection
from .format import Html, esc, latest_figure, muted, number, pts, table
from .model import ReportModel, once


class CompetitorSection:
    def __init__(self, model: ReportModel, evidence: EvidenceSection) -> None:
        self.m = model
        self.evidence = evidence

    # -- share of business ---------------------------------------------------------------
    def share_chart(self):
        m = self.m
        frame = m.share_by_month
        if frame.empty:
            return muted("No share-of-business rows.")
        frame = frame[frame["month"] >= m.window_start].copy()
        if frame.empty:
            return muted(f"No share-of-business rows in the twelve months to {m.period}.")
        frame["supplier"] = frame["supplier_id"].map(m.name)
        pivot = frame.pivot_table(index="month", columns="supplier", values="share_pct", aggfunc="sum")
        ordered = [m.our_name] + [c for c in pivot.columns if c != m.our_name]
        pivot = pivot[[c for c in ordered if c in pivot.columns]]
        weighting = ", ".join(sorted(set(frame["weighting"].dropna())))
        return charts.stacked_area(pivot, f"Share of business at {m.customer_name} (weighted: {weighting})")

    def weighting_note(self) -> Html:
        m = self.m
        shares = m.share_by_month
        note = analysis.weighting_note(shares[shares["month"] >= m.window_start]) if not shares.empty else ""
        return Html(f'<p class="ci-gap">Share of business: {esc(note)}.</p>' if note else "")

    @once
    def share_change(self) -> pd.DataFrame:
        """Each supplier's share by model and part family, this month and last."""
        m = self.m
        if m.share.empty:
            return pd.DataFrame()
        return analysis.share_change(m.share, m.volumes, m.glass_content, from_period=m.previous,
                                     to_period=m.period, our_company=m.our,
                                     by=("customer_id", "model", "part_family"))

    @once
    def share_matrix(self) -> pd.DataFrame:
        """Model × part family rows, one column per supplier: this month's share and its change
        since last month (ours first)."""
        m = self.m
        change = self.share_change()
        if change.empty:
            return pd.DataFrame()
        change = change[change["to_pct"].notna() | change["from_pct"].notna()]
        suppliers = sorted(set(change["supplier_id"]), key=lambda s: (s != m.our, m.name(s)))
        rows = []
        for (model, part), group in change.groupby(["model", "part_family"], sort=True, dropna=False):
            row = {"model": m.name(model) if isinstance(model, str) else "—", "part_family": part}
            by_supplier = group.set_index("supplier_id")
            for supplier in suppliers:
                if supplier not in by_supplier.index:
                    row[supplier] = ""
                    continue
                r = by_supplier.loc[supplier]
                if pd.isna(r["to_pct"]):
                    row[supplier] = "no data this month"
                    continue
                moved = "" if pd.isna(r["change_pts"]) or abs(r["change_pts"]) < 0.05 else f" ({pts(r['change_pts'])})"
                row[supplier] = f"{number(r['to_pct'], 0)} %{moved}" if r["to_pct"] > 0 or moved else ""
            rows.append(row)
        frame = pd.DataFrame(rows)
        return frame.rename(columns={s: m.name(s) for s in suppliers})

    def share_matrix_table(self) -> Html:
        m = self.m
        frame = self.share_matrix()
        if frame.empty:
            return muted("No share-of-business rows.")
        columns = {"model": "Model", "part_family": "Part family",
                   **{c: c for c in frame.columns if c not in ("model", "part_family")}}
        return Html('<div id="ci-share-matrix"></div>') + table(frame, columns) + Html(
            f'<p class="ci-muted">Share of each model and part family in {esc(m.period)}; in brackets the '
            f"change since {esc(m.previous)} in percentage points. Blank: the supplier has none.</p>")

    @once
    def share_moves(self) -> pd.DataFrame:
        m = self.m
        if m.share.empty:
            return pd.DataFrame()
        return analysis.share_moves(m.share, m.volumes, m.glass_content, from_period=m.previous,
                                    to_period=m.period, our_company=m.our, min_change_pts=0.5,
                                    change=self.share_change())

    def share_moves_table(self) -> Html:
        m = self.m
        if m.share.empty:
            return muted("No share-of-business rows.")
        frame = m.names(self.share_moves(), "supplier_id", "model")
        columns = {"model": "Model", "part_family": "Part family", "supplier_id": "Supplier",
                   "outcome": "Outcome", "from_pct": f"{m.previous} %", "to_pct": f"{m.period} %",
                   "change_pts": "Change (pts)", "pieces_per_month": "Pieces / month"}
        fmt = {"from_pct": lambda v: number(v, 1), "to_pct": lambda v: number(v, 1),
               "change_pts": pts, "pieces_per_month": number}
        return table(frame, columns, fmt, numeric=["change_pts"],
                     empty=f"No share moved between {m.previous} and {m.period}.")

    # -- scorecard -----------------------------------------------------------------------
    @once
    def scorecard(self) -> pd.DataFrame:
        m = self.m
        frame = m.scorecard()
        return frame[frame["company_id"].map(lambda c: c == m.our or m.is_competitor(c))]

    def scorecard_table(self) -> Html:
        m = self.m
        frame = m.names(self.scorecard(), "company_id")
        for stem, value, digits, unit in (("latest_ppm", "latest_ppm", 0, ""),
                                          ("latest_otif", "latest_otif_pct", 1, " %"),
                                          ("latest_rating", "latest_rating_pct", 0, " %")):
            frame[stem] = [latest_figure(row[value], row[f"{stem}_grade"], row[f"{stem}_age_days"],
                                         row[f"{stem}_on"], digits, unit)
                           for _, row in frame.iterrows()]
        # the customer's rating table: its score and band, and the month it is for
        tabled = frame["latest_rating_source"] == "rating table"
        frame.loc[tabled, "latest_rating"] = [
            " ".join(part for part in (number(row["latest_rating_pct"]) if pd.notna(row["latest_rating_pct"]) else "",
                                       row["latest_rating_band"] if isinstance(row["latest_rating_band"], str) else "")
                     if part) + f" · rating table ({str(row['latest_rating_on'])[:7]})"
            for _, row in frame[tabled].iterrows()]
        columns = {"company_id": "Company", "latest_ppm": "Latest PPM", "latest_otif": "Latest OTIF",
                   "latest_rating": "Latest vendor rating",
                   "pricing_signals": "Pricing moves (90 d)", "technology_events": "Technology (90 d)",
                   "capacity_events": "Capacity (90 d)", "visits": "Visits (90 d)",
                   "signals": "Evidence", "threat_weight": "Gaining (weight)",
                   "trouble_weight": "In trouble (weight)", "evidence_weight": "All evidence (weight)"}
        fmt = {"threat_weight": lambda v: number(v, 1), "trouble_weight": lambda v: number(v, 1),
               "evidence_weight": lambda v: number(v, 1)}
        note = ('<p class="ci-muted">Latest figures: the newest observed or reported figure of the last '
                f'{analysis.LATEST_WINDOW_DAYS:.0f} days, with its grade and age; within a month an observed '
                'figure beats a reported one, and a rumour counts only where there is neither. The vendor '
                "rating is the customer's rating table's for its month, unless the notes or news give a later "
                "month's. Evidence and the 90-day counts count one document once per type and company, and one "
                'event reported by a note and a story once; rumours are no visits, and ours are the days with a '
                'field note or visit-log row per plant, as in the visits table. <em>Gaining</em>: wins, share '
                'up, new technology, capacity, price cuts, rating '
                'up, PPM down; <em>in trouble</em>: PPM, delivery failures, losses, share or rating down. '
                'Weight: observed 1.0, reported 0.6, rumoured 0.3, halved for every 180 days of age at the '
                'report date.</p>')
        return Html('<div id="ci-scorecard"></div>' + table(
            frame, columns, fmt, numeric=["latest_ppm", "latest_otif", "latest_rating"],
            empty="No competitor signals at this customer.").markup + note)

    # -- pricing, technology, capacity ----------------------------------------------------
    def pricing_table(self) -> Html:
        m = self.m
        frame = m.signals[(m.signals["type"] == "pricing") & (m.signals["observed_at"].fillna("") >= m.window_start)]
        return self.evidence.signal_table(frame, "No pricing signals in the last twelve months.")

    @once
    def technology_capacity(self) -> pd.DataFrame:
        """Technology, capacity and partnership events of competitors (and ours) in the last
        twelve months: at this customer, and those that name no customer. The customer's own
        volumes and plans, and events of companies the text does not name, are not
        competitor evidence."""
        m = self.m
        types = {"technology_launch", "capacity", "partnership"}
        at_customer = m.signals[m.signals["type"].isin(types)]
        at_customer = at_customer[at_customer["company_id"].map(lambda c: c == m.our or m.is_competitor(c))]
        general = m.general_signals[m.general_signals["type"].isin(types)]
        general = general[general["company_id"].map(m.is_competitor)]
        frame = pd.concat([at_customer, general]).drop_duplicates("id")
        return frame[frame["observed_at"].fillna("") >= m.window_start]

    def technology_capacity_table(self) -> Html:
        return self.evidence.signal_table(self.technology_capacity(),
                                          "No technology, capacity or partnership events.")
