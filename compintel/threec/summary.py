"""The executive summary: what changed at the customer since last month, in a few lines with
numbers, each linked to its evidence further down the report; then the actions a KAM can take
to the customer, from the rules in ``compintel/data/actions.toml`` (or the workspace's own
``actions.toml``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from .. import analysis
from ..errors import UserError
from .company import CompanySection
from .competitor import CompetitorSection
from .customer import CustomerSection
from .evidence import anchor
from .format import Html, esc, inr, number, pts
from .model import ReportModel

ACTIONS_FILE = "actions.toml"
CHECKS = ("competitor_ppm_above_ours", "rfq_due_without_quote", "overdue_above",
          "issues_past_target", "rating_band")
FIGURES = (("quality_ppm", "ppm", "PPM", 0), ("delivery_performance", "%", "OTIF", 1),
           ("vendor_rating", "%", "vendor rating", 0))
TOP_MOVES = 4


@dataclass(frozen=True)
class Line:
    """One line of the summary: its topic, plain text, and where its evidence is."""

    topic: str
    text: str
    href: str = ""
    signal_id: int | None = None
    competitor: str | None = None


def load_rules(workspace_root: Path | None = None) -> list[dict[str, Any]]:
    """The action rules: the workspace's ``actions.toml`` if it has one, else the built-in."""
    path = workspace_root / ACTIONS_FILE if workspace_root is not None else None
    if path is None or not path.is_file():
        path = Path(str(resources.files("compintel") / "data" / ACTIONS_FILE))
    try:
        rules = tomllib.loads(path.read_text(encoding="utf-8")).get("rule", [])
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"not valid TOML: {exc}", path=path, hint="fix the file") from None
    for number_, rule in enumerate(rules, 1):
        if rule.get("when") not in CHECKS:
            raise UserError(f"rule {number_}: unknown check {rule.get('when')!r}", path=path,
                            hint="checks: " + ", ".join(CHECKS))
        if not isinstance(rule.get("text"), str):
            raise UserError(f"rule {number_}: no text", path=path, hint='add text = "…"')
    return rules


class SummarySection:
    def __init__(self, model: ReportModel, company: CompanySection, customer: CustomerSection,
                 competitor: CompetitorSection) -> None:
        self.m = model
        self.company = company
        self.customer = customer
        self.competitor = competitor

    # -- what changed -------------------------------------------------------------------
    @cached_property
    def lines(self) -> list[Line]:
        return [*self._sales(), *self._share(), *self._wins_losses(), *self._figures(),
                *self._rfqs(), *self._prices(), *self._overdue()]

    @property
    def cited(self) -> list[int]:
        """Signals the summary links to: the evidence table lists them all."""
        return [line.signal_id for line in self.lines if line.signal_id is not None]

    def _sales(self) -> list[Line]:
        m = self.m
        frame = m.sales_by_month
        if frame.empty or m.period not in set(frame["period"]):
            return [Line("sales", f"No sales rows for {m.period}.", "#ci-sales")]
        now = frame[frame["period"] == m.period].iloc[0]
        text = (f"Sales {inr(now['actual_value'])} against a plan of {inr(now['plan_value'])} "
                f"({number(now['ach_value_pct'], 0, ' %')})")
        before = frame[frame["period"] == m.previous]
        if not before.empty and not pd.isna(before["actual_value"].iloc[0]):
            text += f"; {m.previous}: {inr(before['actual_value'].iloc[0])}"
        if not pd.isna(now.get("ytd_ach_value_pct")):
            text += f"; year to date {number(now['ytd_ach_value_pct'], 0, ' %')} of plan"
        return [Line("sales", text + ".", "#ci-sales")]

    def _share(self) -> list[Line]:
        m = self.m
        lines = []
        now, before = m.our_share(m.period), m.our_share(m.previous)
        if now is not None:
            change = f", {pts(now - before)} since {m.previous}" if before is not None else ""
            lines.append(Line("share", f"Our share of business {number(now, 1, ' %')}{change}.",
                              "#ci-share-matrix"))
        moves = self.competitor.share_moves()
        if not moves.empty:
            moves = moves.reindex(moves["change_pts"].abs().sort_values(ascending=False).index).head(TOP_MOVES)
            for r in moves.itertuples():
                who = m.name(r.supplier_id)
                verb = "gained" if r.change_pts > 0 else "lost"
                pieces = (f" (about {number(abs(r.pieces_per_month), 0)} pieces a month)"
                          if not pd.isna(r.pieces_per_month) else "")
                lines.append(Line("share", f"{who} {verb} {pts(abs(r.change_pts))[1:]} on "
                                  f"{m.name(r.model)} {r.part_family}: {number(r.from_pct, 0)} % → "
                                  f"{number(r.to_pct, 0)} %{pieces}.", "#ci-share-matrix",
                                  competitor=None if r.supplier_id == m.our else who))
        return lines

    def _wins_losses(self) -> list[Line]:
        m = self.m
        lines = []
        rfqs = m.rfqs
        if not rfqs.empty:
            decided = rfqs[rfqs["decided_on"].fillna("").str.startswith(m.period)
                           & rfqs["status"].isin(["won", "lost"])]
            for r in decided.itertuples():
                value = f", {inr(r.value)} a year" if not pd.isna(r.value) else ""
                if r.status == "won":
                    text = f"Won RFQ {r.programme} ({r.part_family}){value}."
                else:
                    to = f" to {m.name(r.competitor_id)}" if isinstance(r.competitor_id, str) else ""
                    text = f"Lost RFQ {r.programme} ({r.part_family}){to}{value}."
                lines.append(Line("rfq", text, "#ci-rfqs",
                                  competitor=m.name(r.competitor_id) if isinstance(r.competitor_id, str) else None))
        # ours come from our own RFQ tracker and share table; competitors' from notes and news
        signals = m.month_signals()
        moves = signals[signals["type"].isin(["supply_win", "supply_loss"])
                        & signals["company_id"].map(m.is_competitor)]
        for s in moves.itertuples():
            who = m.name(s.company_id)
            kind = "won business" if s.type == "supply_win" else "lost business"
            lines.append(Line("signal", f"{who} {kind} ({s.grade or 'reported'}, {s.observed_at}): "
                              f"{_clip(s.text)}", f"#{anchor(s.id)}", int(s.id), competitor=who))
        return lines

    def _figures(self) -> list[Line]:
        """Competitors' (and our) PPM, OTIF and rating: the latest figure now against last month's."""
        m = self.m
        lines = []
        now = analysis.latest_figures(m.signals, our_company=m.our, as_of=m.as_of, customer_id=m.customer_id)
        before = analysis.latest_figures(m.signals[m.signals["observed_at"].fillna("") <= m.previous_as_of],
                                         our_company=m.our, as_of=m.previous_as_of, customer_id=m.customer_id)
        for kind, unit, label, digits in FIGURES:
            current = now[(now["type"] == kind) & (now["unit"] == unit)]
            for r in current.itertuples():
                if r.company_id != m.our and not m.is_competitor(r.company_id):
                    continue
                if r.company_id == m.our and kind == "vendor_rating" and m.our_rating() is not None:
                    continue          # our rating comes from the customer's rating table
                old = before[(before["type"] == kind) & (before["unit"] == unit)
                             & (before["company_id"] == r.company_id)]
                when = pd.Timestamp(r.observed_at).strftime("%Y-%m-%d")
                if not when.startswith(m.period):
                    continue          # nothing new this month
                suffix = " %" if unit == "%" else ""
                if not old.empty and old["value"].iloc[0] == r.value:
                    change = " (unchanged)"
                elif not old.empty:
                    change = f" (was {number(old['value'].iloc[0], digits)}{suffix})"
                elif not pd.isna(r.previous_value):
                    change = f" (from {number(r.previous_value, digits)}{suffix})"
                else:
                    change = ""
                who = m.name(r.company_id)
                signal_id = self._signal_id(r.document_id, kind, r.company_id, r.value)
                lines.append(Line("figure", f"{who} {label} {number(r.value, digits)}{suffix}{change}, "
                                  f"{r.grade} {when}.", f"#{anchor(signal_id)}" if signal_id else "",
                                  signal_id, competitor=who if r.company_id != m.our else None))
        return lines

    def _signal_id(self, document_id: Any, kind: str, company_id: str, value: float) -> int | None:
        s = self.m.signals
        hit = s[(s["document_id"] == document_id) & (s["type"] == kind) & (s["company_id"] == company_id)
                & (s["value"] == value)]
        return int(hit["id"].iloc[0]) if not hit.empty else None

    def _rfqs(self) -> list[Line]:
        m = self.m
        rfqs = m.rfqs
        if rfqs.empty:
            return []
        new = rfqs[rfqs["rfq_date"].str.startswith(m.period)]
        lines = []
        for r in new.itertuples():
            due = f", quote due {r.quote_due}" if isinstance(getattr(r, "quote_due", None), str) else ", no due date logged"
            value = f", {inr(r.value)} a year" if not pd.isna(r.value) else ""
            lines.append(Line("rfq", f"New RFQ {r.programme} ({r.part_family}){value}{due}.", "#ci-rfqs"))
        return lines

    def _prices(self) -> list[Line]:
        m = self.m
        signals = m.month_signals()
        lines = []
        for s in signals[signals["type"] == "pricing"].itertuples():
            who = m.party(s.company_id, s.company_name)
            figure = "" if pd.isna(s.value) else f" {number(s.value, 0 if float(s.value).is_integer() else 1)}"
            figure += f" {s.unit}" if figure and isinstance(s.unit, str) else ""
            lines.append(Line("price", f"Price move, {who}{figure} ({s.grade or 'reported'}, {s.observed_at}): "
                              f"{_clip(s.text)}", f"#{anchor(s.id)}", int(s.id),
                              competitor=who if m.is_competitor(s.company_id) else None))
        return lines

    def _overdue(self) -> list[Line]:
        m = self.m
        now, before = m.overdue(m.as_of), m.overdue(m.previous_as_of)
        if now is None:
            return []
        change = ""
        if before is not None:
            delta = now - before
            change = (f", {'up' if delta > 0 else 'down'} {inr(abs(delta))} since {m.previous}"
                      if abs(delta) >= 1 else f", unchanged since {m.previous}")
        return [Line("overdue", f"Receivables overdue {inr(now)}{change}.", "#ci-receivables")]

    # -- actions ---------------------------------------------------------------------------
    @cached_property
    def actions(self) -> list[Line]:
        out = []
        for rule in load_rules(self.m.wb.root):
            check = getattr(self, f"_check_{rule['when']}")
            for fields, href in check(rule):
                text = fields.pop("text", rule["text"])
                out.append(Line("action", text.format_map(_Fields(fields)), href))
        return out

    def _check_competitor_ppm_above_ours(self, rule: dict[str, Any]):
        m = self.m
        figures = analysis.latest_figures(m.signals, our_company=m.our, as_of=m.as_of,
                                          customer_id=m.customer_id, types=["quality_ppm"])
        figures = figures[figures["unit"] == "ppm"]
        ours = figures[figures["company_id"] == m.our]
        if ours.empty:
            return
        our = ours.iloc[0]
        for r in figures[figures["company_id"].map(m.is_competitor)].itertuples():
            if r.value > our["value"]:
                signal_id = self._signal_id(r.document_id, "quality_ppm", r.company_id, r.value)
                yield ({"competitor": m.name(r.company_id), "their_ppm": number(r.value),
                        "our_ppm": number(our["value"]), "their_date": _day(r.observed_at),
                        "our_date": _day(our["observed_at"])},
                       f"#{anchor(signal_id)}" if signal_id else "#ci-scorecard")

    def _check_rfq_due_without_quote(self, rule: dict[str, Any]):
        m = self.m
        rfqs = m.rfqs
        if rfqs.empty or "quote_due" not in rfqs:
            return
        end = date.fromisoformat(m.as_of)
        for r in rfqs[(rfqs["status"] == "open") & rfqs["quote_due"].notna()].itertuples():
            days_left = (date.fromisoformat(r.quote_due[:10]) - end).days
            fields = {"programme": r.programme, "part": r.part_family, "due": r.quote_due[:10],
                      "days_left": days_left, "days_late": -days_left}
            if 0 <= days_left <= int(rule.get("days", 30)):
                yield fields, "#ci-rfqs"
            elif days_left < 0 and isinstance(rule.get("text_overdue"), str):
                yield {**fields, "text": rule["text_overdue"]}, "#ci-rfqs"

    def _check_overdue_above(self, rule: dict[str, Any]):
        ageing = self.m.receivables_ageing()
        if ageing.empty:
            return
        row = ageing.iloc[0]
        if row["overdue"] > float(rule.get("threshold_inr", 0)):
            yield ({"overdue": inr(row["overdue"]), "invoices": int(row["overdue_invoices"])},
                   "#ci-receivables")

    def _check_issues_past_target(self, rule: dict[str, Any]):
        issues = self.m.open_issues()
        if issues.empty:
            return
        late = issues[issues["overdue_days"].fillna(0) > 0].sort_values("overdue_days", ascending=False)
        if not late.empty:
            oldest = late.iloc[0]
            ref = oldest.get("ref")
            yield ({"count": len(late), "oldest_ref": ref if isinstance(ref, str) and ref.strip() else "no ref",
                    "oldest_days": int(oldest["overdue_days"])}, "#ci-issues")

    def _check_rating_band(self, rule: dict[str, Any]):
        m = self.m
        bands = {str(b).lower() for b in rule.get("bands", [])}
        frame = m.ratings
        if frame.empty:
            return
        ours = frame[frame["is_ours"] & frame["band"].notna()].sort_values("month")
        for plant, group in ours.groupby(ours["plant_id"].fillna(""), sort=True):
            latest = group.iloc[-1]
            if str(latest["band"]).lower() in bands:
                yield ({"band": latest["band"], "score": number(latest["score"]), "month": latest["month"],
                        "plant": m.name(plant) if plant else "all plants"}, "#ci-ratings")

    # -- output ----------------------------------------------------------------------------
    def summary(self) -> Html:
        m = self.m
        items = "".join(f"<li>{esc(line.text)}{_link(line.href)}</li>" for line in self.lines)
        actions = "".join(f"<li>{esc(line.text)}{_link(line.href)}</li>" for line in self.actions)
        return Html(
            f'<div class="ci-summary" id="ci-summary"><h2>Since {esc(m.previous)}</h2>'
            f"<ul>{items}</ul><h3>Actions</h3>"
            + (f"<ol>{actions}</ol>" if actions else '<p class="ci-muted">No action rule fired this month.</p>')
            + "</div>")

    def dashboard(self) -> dict[str, Any]:
        """This customer's row of the period's index."""
        m = self.m
        month = m.sales_by_month
        row = month[month["period"] == m.period] if not month.empty else month
        rating = m.our_rating()
        issues = m.open_issues()
        now, before = m.our_share(m.period), m.our_share(m.previous)
        competitor = next((line.text for line in self.lines if line.competitor), "")
        return {
            "customer_id": m.customer_id, "customer": m.customer_name, "period": m.period,
            "actual_value": None if row.empty else _float(row["actual_value"].iloc[0]),
            "plan_value": None if row.empty else _float(row["plan_value"].iloc[0]),
            "ach_value_pct": None if row.empty else _float(row["ach_value_pct"].iloc[0]),
            "share_pct": now, "share_change_pts": (now - before) if now is not None and before is not None else None,
            "rating_score": None if rating is None else _float(rating.get("score")),
            "rating_band": None if rating is None or not isinstance(rating.get("band"), str) else rating["band"],
            "open_issues": len(issues),
            "issues_past_target": int((issues["overdue_days"].fillna(0) > 0).sum()) if not issues.empty else 0,
            "overdue": m.overdue(), "top_competitor_move": competitor, "actions": len(self.actions),
        }


class _Fields(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _link(href: str) -> str:
    return f' <a class="ci-ref" href="{esc(href)}">evidence</a>' if href else ""


def _clip(text: Any, width: int = 160) -> str:
    text = " ".join(str(text or "").split()).lstrip("-–•* ")
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _day(value: Any) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d") if not pd.isna(value) else "undated"


def _float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
