"""Evidence: the signals behind the report, each with its source — a link to the web page,
or the field note's workspace path and line — and the anchor the summary links to."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from .format import Html, esc, muted, number, web_url
from .model import ReportModel

EVIDENCE_LIMIT = 40         # signals listed as this month's evidence (cited ones always are)
GRADE_ORDER = {"observed": 0, "reported": 1, "rumoured": 2}
KIND_PLURALS = {"article": "articles", "feed_entry": "feed entries", "page": "web pages",
                "file": "files", "note": "field notes"}


def anchor(signal_id: Any) -> str:
    return f"sig-{int(signal_id)}"


def figure_text(value: Any, unit: Any, previous: Any = None) -> str:
    """A signal's figure as escaped HTML: "380 ppm (from 410)"."""
    if value is None or pd.isna(value):
        return ""
    figure = f"{number(value, 0 if float(value).is_integer() else 1)} {esc(unit)}".strip()
    if previous is not None and not pd.isna(previous):
        figure += f' <span class="ci-muted">(from {number(previous, 0 if float(previous).is_integer() else 1)})</span>'
    return figure


class EvidenceSection:
    def __init__(self, model: ReportModel) -> None:
        self.m = model

    def signal_table(self, frame: pd.DataFrame, empty: str, *, anchors: bool = False,
                     limit: int | None = EVIDENCE_LIMIT, keep: Iterable[int] = ()) -> Html:
        """Signals newest first (observed before reported before rumoured within a day), at
        most ``limit`` plus any in ``keep``; with ``anchors`` each row is a link target."""
        if frame.empty:
            return muted(empty)
        frame = frame.copy()
        frame["grade_rank"] = frame["grade"].map(GRADE_ORDER).fillna(1)
        frame = frame.sort_values(["observed_at", "grade_rank"], ascending=[False, True])
        if limit is not None and len(frame) > limit:
            keep = set(keep)
            frame = frame[(pd.Series(range(len(frame)), index=frame.index) < limit) | frame["id"].isin(keep)]
        rows = []
        for s in frame.itertuples():
            kind = esc(s.type.replace("_", " "))
            if getattr(s, "corrected", False) is True:
                kind += (f' <span class="ci-corrected" title="{esc(getattr(s, "correction_note", ""))}">'
                         "corrected</span>")
            row_id = f' id="{anchor(s.id)}"' if anchors else ""
            rows.append(
                f'<tr{row_id}><td class="ci-text">{esc(s.observed_at)}</td><td class="ci-text">{kind}</td>'
                f'<td class="ci-text">{esc(self.m.party(s.company_id, s.company_name))}</td>'
                f'<td class="ci-num">{figure_text(s.value, s.unit, getattr(s, "previous_value", None))}</td>'
                f'<td class="ci-text">{esc(s.grade)}</td>'
                f'<td class="ci-text">{esc(s.text)}</td><td class="ci-text">{self.source_cell(s)}</td></tr>')
        head = ('<tr><th class="ci-text">Date</th><th class="ci-text">Signal</th><th class="ci-text">Company</th>'
                '<th class="ci-num">Figure</th><th class="ci-text">Grade</th><th class="ci-text">Evidence</th>'
                '<th class="ci-text">Source</th></tr>')
        return Html(f'<table class="ci-table"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>')

    def evidence(self, cited: Iterable[int] = ()) -> pd.DataFrame:
        """This month's signals and every signal the summary cites."""
        m = self.m
        cited = set(cited)
        frame = m.signals[m.signals["observed_at"].fillna("").str.startswith(m.period)
                          | m.signals["id"].isin(cited)]
        return frame

    def evidence_table(self, cited: Iterable[int] = ()) -> Html:
        cited = list(cited)
        return self.signal_table(self.evidence(cited), f"No signals dated {self.m.period}.",
                                 anchors=True, keep=cited)

    def source_text(self, signal: Any) -> tuple[str, str]:
        """Where a signal comes from, as (link or path, description) in plain text."""
        url = signal.document_url if isinstance(signal.document_url, str) else ""
        when = getattr(signal, "published_on", None)
        when = when if isinstance(when, str) and when else signal.observed_at
        source = getattr(signal, "source_id", None)
        source = source if isinstance(source, str) else ""
        if web_url(url):
            title = signal.document_title if isinstance(signal.document_title, str) and signal.document_title else url
            return url, " · ".join(str(p) for p in (title, source or urlsplit(url).hostname, when) if p)
        path = getattr(signal, "note_path", None)
        if isinstance(path, str) and path:
            line = self.note_line(path, signal.text)
            return (f"{path}:{line}" if line else path), " · ".join(
                str(p) for p in ("field note", source, when) if p)
        where = url.removeprefix("file:") if url.startswith("file:") else (signal.document_title or url)
        return str(where), " · ".join(str(p) for p in (source, when) if p)

    def source_cell(self, signal: Any) -> str:
        """A link to a web document (http or https only) with its source and date, or a field
        note's workspace path and line."""
        url = signal.document_url if isinstance(signal.document_url, str) else ""
        where, meta = self.source_text(signal)
        if web_url(url):
            title, _, rest = meta.partition(" · ")
            return (f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(title)}</a>'
                    f'<br><span class="ci-muted">{esc(rest)}</span>')
        return f'<code>{esc(where)}</code><br><span class="ci-muted">{esc(meta)}</span>'

    def note_line(self, path: str, sentence: Any) -> int | None:
        """The line of the workspace file ``path`` (``#rowN`` aside) where ``sentence`` starts,
        if the file is still there, inside the workspace, and holds it."""
        file_path = path.split("#", 1)[0]
        text = self._note_texts.get(file_path)
        if text is None:
            root = self.m.wb.root.resolve()
            target = (root / file_path).resolve()
            text = ""
            if target.is_relative_to(root) and target.is_file():
                text = target.read_text(encoding="utf-8", errors="replace")
            self._note_texts[file_path] = text
        if not isinstance(sentence, str) or not sentence.strip():
            return None
        at = text.find(sentence.strip()[:80])
        return text.count("\n", 0, at) + 1 if at >= 0 else None

    @cached_property
    def _note_texts(self) -> dict[str, str]:
        return {}

    def sources_note(self) -> Html:
        signals = self.m.signals
        counts = signals.groupby("document_kind").size().to_dict() if not signals.empty else {}
        parts = ", ".join(f"{count} from {KIND_PLURALS.get(kind, kind.replace('_', ' '))}"
                          for kind, count in sorted(counts.items()))
        return muted(f"{len(signals)} signals at this customer from {self.m.signal_start} to {self.m.period} "
                     f"({parts or 'none'}); syndicated copies of one story count once. Grades: observed "
                     "(seen by us), reported (published or told first-hand), rumoured (hearsay). Figures "
                     "are as the source states them.")
