"""Measure the tagger on a labelled set (format: docs/formats.md, "Labelled NLP set").

Entities count as correct when span, label and catalog id all match. Signals are matched per
text and type; of the matched pairs, attribution is correct when company and customer both
match, and a figure is correct when value (within 0.5 %) and unit match.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DataFileError
from .nlp import Tagger
from .tomlfile import read_text


@dataclass(frozen=True)
class GoldEntity:
    start: int
    end: int
    label: str
    entity_id: str | None


@dataclass(frozen=True)
class GoldSignal:
    type: str
    company: str | None
    customer: str | None
    value: float | None
    unit: str | None


@dataclass
class LabelledText:
    id: str
    text: str
    style: str
    context: dict[str, Any]
    entities: list[GoldEntity]
    signals: list[GoldSignal]


def load_labelled(path: Path) -> list[LabelledText]:
    """Read a labelled JSONL file; entity offsets come from the surface strings."""
    items = []
    lines = read_text(path, DataFileError, missing="no such labelled file",
                      hint="save the labelled set as UTF-8 JSON Lines (docs/formats.md)").splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            items.append(_parse_item(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise DataFileError(f"bad labelled item: {exc}", path=path, line=number,
                                hint="see docs/formats.md, 'Labelled NLP set'") from None
    return items


def _parse_item(raw: dict[str, Any]) -> LabelledText:
    text = raw["text"]
    entities = []
    for ent in raw.get("entities", []):
        surface = ent["text"]
        occurrence = int(ent.get("occurrence", 0))
        start = -1
        for _ in range(occurrence + 1):
            start = text.find(surface, start + 1)
            if start < 0:
                raise ValueError(f"entity {surface!r} (occurrence {occurrence}) not in the text")
        entities.append(GoldEntity(start, start + len(surface), ent["label"], ent.get("id")))
    signals = [GoldSignal(s["type"], s.get("company"), s.get("customer"),
                          float(s["value"]) if s.get("value") is not None else None, s.get("unit"))
               for s in raw.get("signals", [])]
    return LabelledText(raw["id"], text, raw.get("style", "news"), dict(raw.get("context") or {}),
                        entities, signals)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class EvalReport:
    texts: int
    entities: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    signals: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    attribution_correct: int = 0
    attribution_total: int = 0
    figure_correct: int = 0
    figure_total: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @staticmethod
    def _micro(table: dict[str, Counts]) -> Counts:
        total = Counts()
        for counts in table.values():
            total.tp += counts.tp
            total.fp += counts.fp
            total.fn += counts.fn
        return total

    @property
    def entity_micro(self) -> Counts:
        return self._micro(self.entities)

    @property
    def signal_micro(self) -> Counts:
        return self._micro(self.signals)

    @property
    def attribution_accuracy(self) -> float:
        return self.attribution_correct / self.attribution_total if self.attribution_total else 0.0

    @property
    def figure_accuracy(self) -> float:
        return self.figure_correct / self.figure_total if self.figure_total else 0.0

    def summary(self) -> dict[str, float]:
        return {"entity_f1": self.entity_micro.f1, "signal_f1": self.signal_micro.f1,
                "attribution_accuracy": self.attribution_accuracy,
                "figure_accuracy": self.figure_accuracy}

    def format(self) -> str:
        lines = [f"{self.texts} texts", "",
                 *_table("entity label", self.entities, "all entities (micro)", self.entity_micro), "",
                 *_table("signal type", self.signals, "all signals (micro)", self.signal_micro), "",
                 f"attribution accuracy  {self.attribution_accuracy:.3f}  "
                 f"({self.attribution_correct}/{self.attribution_total} matched signals)",
                 f"figure accuracy       {self.figure_accuracy:.3f}  "
                 f"({self.figure_correct}/{self.figure_total} matched signals with a figure)"]
        return "\n".join(lines)


def _table(title: str, rows: dict[str, Counts], total_name: str, total: Counts) -> list[str]:
    """Precision, recall, F1 and gold count per row, then the micro average."""
    def line(name: str, counts: Counts) -> str:
        return (f"{name:<22}{counts.precision:7.3f}{counts.recall:7.3f}{counts.f1:7.3f}"
                f"{counts.tp + counts.fn:7d}")

    return [f"{title:<22}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}",
            *(line(name, counts) for name, counts in sorted(rows.items())), line(total_name, total)]


def _same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 0.005 * max(abs(a), abs(b), 1e-9)


def evaluate(tagger: Tagger, items: Iterable[LabelledText]) -> EvalReport:
    """Tag every labelled text and compare with the gold annotations."""
    items = list(items)
    report = EvalReport(texts=len(items))
    results = tagger.tag_many((item.text, item.context) for item in items)
    for item, result in zip(items, results, strict=True):
        gold = Counter((e.start, e.end, e.label, e.entity_id) for e in item.entities)
        predicted = Counter((m.start, m.end, m.label, m.entity_id) for m in result.mentions)
        for key in gold | predicted:
            label = key[2]
            matched = min(gold[key], predicted[key])
            report.entities[label].tp += matched
            report.entities[label].fn += gold[key] - matched
            report.entities[label].fp += predicted[key] - matched
        item_errors: list[str] = []
        for key in (gold - predicted):
            item_errors.append(f"missed entity {item.text[key[0]:key[1]]!r} {key[2]} {key[3]}")
        for key in (predicted - gold):
            item_errors.append(f"spurious entity {item.text[key[0]:key[1]]!r} {key[2]} {key[3]}")
        gold_by_type: dict[str, list[GoldSignal]] = defaultdict(list)
        for signal in item.signals:
            gold_by_type[signal.type].append(signal)
        pred_by_type: dict[str, list[Any]] = defaultdict(list)
        for signal in result.signals:
            pred_by_type[signal.type].append(signal)
        for signal_type in set(gold_by_type) | set(pred_by_type):
            golds = list(gold_by_type.get(signal_type, []))
            preds = list(pred_by_type.get(signal_type, []))
            counts = report.signals[signal_type]
            pairs = []
            # pair the best-agreeing signals first
            while golds and preds:
                g, p = max(((g, p) for g in golds for p in preds),
                           key=lambda gp: (gp[0].company == gp[1].company_id)
                           + (gp[0].customer == gp[1].customer_id)
                           + _same_value(gp[0].value, gp[1].value))
                pairs.append((g, p))
                golds.remove(g)
                preds.remove(p)
            counts.tp += len(pairs)
            counts.fn += len(golds)
            counts.fp += len(preds)
            for g in golds:
                item_errors.append(f"missed signal {g.type} company={g.company} customer={g.customer}")
            for p in preds:
                item_errors.append(f"spurious signal {p.type} company={p.company_id} "
                                   f"customer={p.customer_id} cue={p.cue!r}")
            for g, p in pairs:
                report.attribution_total += 1
                if g.company == p.company_id and g.customer == p.customer_id:
                    report.attribution_correct += 1
                else:
                    item_errors.append(f"attribution {g.type}: gold {g.company}/{g.customer} "
                                       f"got {p.company_id}/{p.customer_id}")
                if g.value is not None:
                    report.figure_total += 1
                    if _same_value(g.value, p.value) and g.unit == p.unit:
                        report.figure_correct += 1
                    else:
                        item_errors.append(f"figure {g.type}: gold {g.value} {g.unit} "
                                           f"got {p.value} {p.unit}")
        if item_errors:
            report.errors.append({"id": item.id, "text": item.text, "errors": item_errors})
    return report
