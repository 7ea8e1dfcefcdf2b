"""The period's index: a dashboard with one row per customer — sales vs plan, our share and
its change, vendor rating, open issues, overdue, the top competitor move — linking each report
and the same page for the other months reported."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .format import esc, inr, number, pts
from .model import PERIOD

SUMMARY_SUFFIX = ".summary.json"


@dataclass
class IndexEntry:
    """One customer of the period: its report (when it rendered) and its dashboard row."""

    customer_id: str
    name: str
    status: str                       # ok | failed
    html_name: str | None = None
    xlsx_name: str | None = None
    error: str | None = None
    row: dict[str, Any] | None = None


def read_row(directory: Path, stem: str) -> dict[str, Any] | None:
    """The dashboard row a report wrote beside itself (None when missing or unreadable)."""
    path = directory / f"{stem}{SUMMARY_SUFFIX}"
    try:
        row = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return row if isinstance(row, dict) else None


def other_periods(reports_dir: Path, period: str) -> list[str]:
    """Months that have an index page of their own, newest first."""
    found = [p.name for p in reports_dir.iterdir()
             if p.is_dir() and PERIOD.match(p.name) and (p / "index.html").is_file()
             and p.name != period] if reports_dir.is_dir() else []
    return sorted(found, reverse=True)


def _row_cells(entry: IndexEntry) -> str:
    r = entry.row or {}
    tone = ""
    if r.get("ach_value_pct") is not None:
        tone = " ci-good" if r["ach_value_pct"] >= 100 else " ci-bad"
    sales = (f'{esc(inr(r.get("actual_value")))}<br><span class="ci-muted">plan {esc(inr(r.get("plan_value")))}'
             f'</span>' if r.get("actual_value") is not None else "—")
    share = "—"
    if r.get("share_pct") is not None:
        change = f'<br><span class="ci-muted">{esc(pts(r["share_change_pts"]))}</span>' \
            if r.get("share_change_pts") is not None else ""
        share = f'{esc(number(r["share_pct"], 1, " %"))}{change}'
    rating = " ".join(p for p in (number(r.get("rating_score")) if r.get("rating_score") is not None else "",
                                  r.get("rating_band") or "") if p) or "—"
    issues = f'{int(r.get("open_issues") or 0)}'
    if r.get("issues_past_target"):
        issues += f' <span class="ci-bad">({int(r["issues_past_target"])} late)</span>'
    overdue = inr(r.get("overdue")) if r.get("overdue") is not None else "—"
    return (f'<td class="ci-num">{sales}</td><td class="ci-num{tone}">{esc(number(r.get("ach_value_pct"), 0, " %"))}</td>'
            f'<td class="ci-num">{share}</td><td class="ci-text">{esc(rating)}</td>'
            f'<td class="ci-num">{issues}</td><td class="ci-num">{esc(overdue)}</td>'
            f'<td class="ci-text">{esc(r.get("top_competitor_move") or "—")}</td>'
            f'<td class="ci-num">{int(r.get("actions") or 0)}</td>')


def index_html(period: str, entries: Sequence[IndexEntry], *, workspace_name: str, fictional: bool,
               earlier: Sequence[str] = (), generated: datetime | None = None) -> str:
    """The period's index page (self-contained, escaped, no request to any host).

    ``earlier``: the other months reported, linked; ``generated``: when the period was rendered
    (default: now)."""
    rows = []
    for entry in entries:
        if entry.status == "ok" and entry.html_name:
            link = f'<a href="{esc(entry.html_name)}">{esc(entry.name)}</a>'
            if entry.xlsx_name:
                link += f' <a class="ci-muted" href="{esc(entry.xlsx_name)}">xlsx</a>'
            cells = _row_cells(entry) if entry.row else '<td colspan="8" class="ci-muted">no summary</td>'
        else:
            link = esc(entry.name)
            cells = f'<td colspan="8"><span class="ci-bad">failed</span> — {esc(entry.error or "")}</td>'
        rows.append(f'<tr><td class="ci-text">{link}<br><span class="ci-muted">{esc(entry.customer_id)}</span>'
                    f"</td>{cells}</tr>")
    banner = ('<p class="ci-banner">Demo data: every company, plant, person and figure in these reports '
              'is fictional.</p>' if fictional else "")
    months = " · ".join(f'<a href="../{esc(p)}/index.html">{esc(p)}</a>' for p in earlier)
    months = f'<p>Other months: {months}</p>' if months else ""
    stamp = (generated or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    failed = sum(entry.status != "ok" for entry in entries)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>3C reports — {esc(period)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1200px; margin: 2em auto; color: #1f2328; }}
table {{ border-collapse: collapse; font-size: 14px; }}
td, th {{ border: 1px solid #d0d7de; padding: 4px 8px; vertical-align: top; }}
th {{ background: #f6f8fa; text-align: left; }} .ci-text {{ text-align: left; }} .ci-num {{ text-align: right; }}
.ci-banner {{ background: #fff4d6; border: 1px solid #e0b400; padding: 8px 12px; font-weight: 600; }}
.ci-muted {{ color: #57606a; font-size: 12px; }} .ci-good {{ color: #1a7f37; }} .ci-bad {{ color: #cf222e; }}
</style></head>
<body>
<h1>3C reports — {esc(period)}</h1>
<p>{esc(workspace_name)} · {len(entries)} customer(s){f", {failed} failed" if failed else ""} · generated {esc(stamp)}</p>
{banner}{months}
<table><thead><tr><th>Customer</th><th>Sales vs plan</th><th>Ach.</th><th>Our share (change vs last month)</th>
<th>Vendor rating</th><th>Open issues</th><th>Overdue</th><th>Top competitor move</th><th>Actions</th></tr></thead>
<tbody>
{''.join(rows)}
</tbody></table>
<p class="ci-muted">Figures for the month from each customer's report; the report's summary gives the evidence.</p>
</body></html>
"""
