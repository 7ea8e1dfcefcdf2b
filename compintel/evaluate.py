"""Measure the tagger on a labelled set (format: docs/formats.md, "Labelled NLP set").

Entities count as correct when span, label and catalog id all match. Press-voice texts
(``"style": "press"``) label only organisations and technologies, without ids: for them, and
for every text, organisations (any of the four organisation labels) and technologies are also
matched by overlapping spans, one to one; of the matched organisations, the role is right when
the labels agree. Signals are matched per text and type; of the matched pairs, attribution is
correct when company and customer both match, and a figure is correct when value (within
0.5 %), unit and company match (a figure where gold gives none is wrong). A gold company or
customer may be a catalog id or a name: a name the catalog knows counts as its id (a name it
gives to several entries, as "Nissan" to the maker and its Indian arm, as any of them), any
other as an organisation outside the catalog, equal to a predicted one of the same name (legal
forms aside). A company that is the signal's customer
counts as no company, and so does a lone company the catalog knows as a customer: the
customer's own news.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalog import Catalog
from .errors import DataFileError
from .nlp import SIGNAL_TYPES, Tagger
from .nlp.lexicon import FOREIGN_UNITS, SIGNAL_UNITS
from .orgnames import organisation_key
from .tomlfile import read_text

ORGANISATION_LABELS = frozenset({"OWN_COMPANY", "COMPETITOR", "CUSTOMER", "ORG"})
_LABELS = ORGANISATION_LABELS | {"TECHNOLOGY", "PLANT", "VEHICLE"}
PRESS_STYLE = "press"
LABELLED_HINT = "see docs/formats.md, 'Labelled NLP set'"

_TRAILING_LEGAL_FORM = re.compile(
    r"(?:[\s,]+(?:ltd|limited|pvt|private|inc|incorporated|corp|corporation|co|company|llp|plc|ag|sa|"
    r"se|gmbh|nv|bv|spa)\.?)+$", re.IGNORECASE)


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
    previous_value: float | None = None


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
            raw = json.loads(line)
            if not isinstance(raw, dict):
                raise ValueError("a labelled text must be a JSON object like {\"id\": ..., \"text\": ...}")
            items.append(_parse_item(raw))
        except json.JSONDecodeError as exc:
            raise DataFileError(f"not valid JSON: {exc.msg} at column {exc.colno}", path=path,
                                line=number, hint=LABELLED_HINT) from None
        except KeyError as exc:
            raise DataFileError(f"missing field {exc.args[0]!r}", path=path, line=number,
                                hint=LABELLED_HINT) from None
        except (TypeError, ValueError) as exc:
            raise DataFileError(str(exc), path=path, line=number, hint=LABELLED_HINT) from None
    if not items:
        raise DataFileError("no labelled texts", path=path,
                            hint="write one JSON object per line, as in docs/formats.md, 'Labelled NLP set'")
    return items


def _required(raw: dict[str, Any], key: str, where: str = "") -> Any:
    """``raw[key]``; if it is missing, a ValueError names the field (and where it lacks)."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}must be a JSON object, not {raw!r}")
    if key not in raw:
        raise ValueError(f"{where}missing field {key!r}")
    return raw[key]


def _parse_item(raw: dict[str, Any]) -> LabelledText:
    item_id = _required(raw, "id")
    text = _required(raw, "text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"\"text\" must be the text to tag, not {text!r}")
    for name in ("entities", "signals"):
        if not isinstance(raw.get(name, []), list):
            raise ValueError(f"\"{name}\" must be a list, not {raw[name]!r}")
    entities = []
    for number, ent in enumerate(raw.get("entities", []), 1):
        surface = _required(ent, "text", f"entity {number}: ")
        occurrence = int(ent.get("occurrence", 0))
        start = -1
        for _ in range(occurrence + 1):
            start = text.find(surface, start + 1)
            if start < 0:
                raise ValueError(f"entity {surface!r} (occurrence {occurrence}) not in the text")
        if _required(ent, "label", f"entity {number}: ") not in _LABELS:
            raise ValueError(f"unknown label {ent['label']!r} (labels: {', '.join(sorted(_LABELS))})")
        entities.append(GoldEntity(start, start + len(surface), ent["label"], ent.get("id")))
    signals = []
    for number, s in enumerate(raw.get("signals", []), 1):
        if _required(s, "type", f"signal {number}: ") not in SIGNAL_TYPES:
            raise ValueError(f"unknown signal type {s['type']!r}")
        if s.get("unit") is not None and s["unit"] not in SIGNAL_UNITS:
            raise ValueError(f"unknown unit {s['unit']!r} (units: {', '.join(SIGNAL_UNITS)})")
        for name in ("value", "previous_value"):
            if s.get(name) is not None and (isinstance(s[name], bool) or not isinstance(s[name], int | float)):
                raise ValueError(f"signal {number}: {name} must be a number, not {s[name]!r}")
        signals.append(GoldSignal(s["type"], s.get("company"), s.get("customer"),
                                  float(s["value"]) if s.get("value") is not None else None, s.get("unit"),
                                  float(s["previous_value"]) if s.get("previous_value") is not None
                                  else None))
    return LabelledText(item_id, text, raw.get("style", "news"), dict(raw.get("context") or {}),
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

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class EvalReport:
    texts: int
    entities: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    signals: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    organisations: Counts = field(default_factory=Counts)
    organisations_exact: Counts = field(default_factory=Counts)     # same span, any org label
    technologies: Counts = field(default_factory=Counts)
    found_by_method: Counter = field(default_factory=Counter)     # predicted signals: rule, model
    matched_by_method: Counter = field(default_factory=Counter)   # … of them, matched to gold
    role_correct: int = 0
    attribution_correct: int = 0
    attribution_total: int = 0
    figure_correct: int = 0
    figure_total: int = 0
    previous_correct: int = 0
    previous_total: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @staticmethod
    def _micro(table: dict[str, Counts]) -> Counts:
        total = Counts()
        for counts in table.values():
            total.add(counts)
        return total

    @property
    def entity_micro(self) -> Counts:
        return self._micro(self.entities)

    @property
    def signal_micro(self) -> Counts:
        return self._micro(self.signals)

    @property
    def attributed_signal_micro(self) -> Counts:
        """Signals counted right only when type, company and customer all match."""
        total = self.signal_micro
        wrong = self.attribution_total - self.attribution_correct
        return Counts(tp=total.tp - wrong, fp=total.fp + wrong, fn=total.fn + wrong)

    @property
    def role_accuracy(self) -> float:
        matched = self.organisations.tp
        return self.role_correct / matched if matched else 0.0

    @property
    def attribution_accuracy(self) -> float:
        return self.attribution_correct / self.attribution_total if self.attribution_total else 0.0

    @property
    def figure_accuracy(self) -> float:
        """Of the matched signals where gold or tagger gives a figure: the same value and unit,
        on the right company (a figure given where gold has none counts as wrong)."""
        return self.figure_correct / self.figure_total if self.figure_total else 0.0

    @property
    def previous_accuracy(self) -> float:
        """Of the matched signals whose gold gives a previous value: the same previous value."""
        return self.previous_correct / self.previous_total if self.previous_total else 0.0

    def lowest_type_recall(self, min_gold: int = 10) -> tuple[str, float] | None:
        """The signal type with the lowest recall among those with ``min_gold`` gold examples."""
        rows = [(name, counts.recall) for name, counts in self.signals.items()
                if counts.tp + counts.fn >= min_gold]
        return min(rows, key=lambda row: row[1]) if rows else None

    def summary(self) -> dict[str, float]:
        lowest = self.lowest_type_recall()
        return {"entity_f1": self.entity_micro.f1, "signal_f1": self.signal_micro.f1,
                "attributed_signal_f1": self.attributed_signal_micro.f1,
                "organisation_exact_f1": self.organisations_exact.f1,
                "attribution_accuracy": self.attribution_accuracy,
                "figure_accuracy": self.figure_accuracy,
                "previous_value_accuracy": self.previous_accuracy,
                "organisation_f1": self.organisations.f1, "technology_f1": self.technologies.f1,
                "role_accuracy": self.role_accuracy,
                "lowest_type_recall": lowest[1] if lowest else 0.0}

    def format(self) -> str:
        lines = [f"{self.texts} texts", ""]
        if self.entities:
            lines += [*_table("entity label", self.entities, "all entities (micro)", self.entity_micro), ""]
        lines += [*_table("signal type", self.signals, "all signals (micro)", self.signal_micro),
                  *_table("", {"… and attributed": self.attributed_signal_micro})[1:], "",
                  *_table("by overlap", {"organisations": self.organisations,
                                         "technologies": self.technologies}),
                  *_table("", {"organisations (exact)": self.organisations_exact})[1:], "",
                  f"role accuracy         {self.role_accuracy:.3f}  "
                  f"({self.role_correct}/{self.organisations.tp} matched organisations)",
                  f"attribution accuracy  {self.attribution_accuracy:.3f}  "
                  f"({self.attribution_correct}/{self.attribution_total} matched signals)",
                  f"figure accuracy       {self.figure_accuracy:.3f}  "
                  f"({self.figure_correct}/{self.figure_total} matched signals with a figure, "
                  "right value, unit and company)",
                  "previous values       "
                  + (f"{self.previous_accuracy:.3f}  " if self.previous_total else "—      ")
                  + f"({self.previous_correct}/{self.previous_total} matched signals whose gold gives one)"]
        for method in sorted(self.found_by_method):
            lines.append(f"signals by {method:<11}{self.matched_by_method[method]}/"
                         f"{self.found_by_method[method]} found ones match gold")
        lowest = self.lowest_type_recall()
        if lowest:
            lines.append(f"lowest type recall    {lowest[1]:.3f}  ({lowest[0]}; types with 10+ gold)")
        return "\n".join(lines)


def _table(title: str, rows: dict[str, Counts], total_name: str | None = None,
           total: Counts | None = None) -> list[str]:
    """Precision, recall, F1 and gold count per row, then the micro average."""
    def line(name: str, counts: Counts) -> str:
        return (f"{name:<22}{counts.precision:7.3f}{counts.recall:7.3f}{counts.f1:7.3f}"
                f"{counts.tp + counts.fn:7d}")

    out = [f"{title:<22}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}",
           *(line(name, counts) for name, counts in sorted(rows.items()))]
    if total_name is not None and total is not None:
        out.append(line(total_name, total))
    return out


def _same_value(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 0.005 * max(abs(a), abs(b), 1e-9)


class _AnyOf(frozenset):
    """A gold name the catalog gives to several entries ("Nissan": the maker and its Indian
    arm): a prediction of any of them names that party."""

    def __str__(self) -> str:
        return "|".join(sorted(self))


def _ids(key: str | _AnyOf | None) -> frozenset[str | None]:
    """The catalog ids or names a party key may stand for."""
    return key if isinstance(key, _AnyOf) else frozenset((key,))


def _same(gold: str | _AnyOf | None, predicted: str | None) -> bool:
    return predicted in _ids(gold)


class _Parties:
    """Gold and predicted companies and customers as comparable keys: a catalog id, or
    ``org:<name>`` for an organisation outside the catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.cache: dict[str, str | _AnyOf] = {}

    def gold(self, value: str | None) -> str | _AnyOf | None:
        if value is None:
            return None
        key = self.cache.get(value)
        if key is None:
            if value in self.catalog:
                key = value
            else:
                found = {entry.id for entry in self.catalog.find(value, "company")}
                bare = _TRAILING_LEGAL_FORM.sub("", value)      # "Fuyao Glass Industry Group Co., Ltd."
                if not found and bare != value:
                    found = {entry.id for entry in self.catalog.find(bare, "company")}
                key = (found.pop() if len(found) == 1 else _AnyOf(found) if found
                       else organisation_key(value))
            self.cache[value] = key
        return key

    @staticmethod
    def predicted(entity_id: str | None, name: str | None) -> str | None:
        if entity_id:
            return entity_id
        return organisation_key(name) if name else None

    def about(self, company: str | None, customer: str | None) -> tuple[str | None, str | None]:
        """(company, customer); a customer's own news ("Navika recalls 1,200 cars") is about the
        customer, whether the company is given as the customer, left empty, or given alone as a
        company the catalog knows as a customer."""
        if company is not None and customer is None and all(
                key in self.catalog and self.catalog[key].role == "customer" for key in _ids(company)):
            return None, company
        return (None if _ids(company) & _ids(customer) else company), customer


def _overlap_pairs(gold: list[GoldEntity], predicted: list[Any]) -> list[tuple[GoldEntity, Any]]:
    """One-to-one pairs of overlapping spans, in text order."""
    pairs, used = [], set()
    for g in gold:
        for index, p in enumerate(predicted):
            if index not in used and p.start < g.end and g.start < p.end:
                pairs.append((g, p))
                used.add(index)
                break
    return pairs


def evaluate(tagger: Tagger, items: Iterable[LabelledText]) -> EvalReport:
    """Tag every labelled text and compare with the gold annotations."""
    items = list(items)
    report = EvalReport(texts=len(items))
    parties = _Parties(tagger.catalog)
    # a note's context says it is a note, as `compintel tag` gives it (compintel.tag.document_context)
    results = tagger.tag_many((item.text, {**item.context, "kind": "note"} if item.style == "note"
                               else item.context) for item in items)
    for item, result in zip(items, results, strict=True):
        item_errors: list[str] = []
        press = item.style == PRESS_STYLE
        if not press:
            gold = Counter((e.start, e.end, e.label, e.entity_id) for e in item.entities)
            predicted = Counter((m.start, m.end, m.label, m.entity_id) for m in result.mentions)
            for key in gold | predicted:
                label = key[2]
                matched = min(gold[key], predicted[key])
                report.entities[label].tp += matched
                report.entities[label].fn += gold[key] - matched
                report.entities[label].fp += predicted[key] - matched
            for key in (gold - predicted):
                item_errors.append(f"missed entity {item.text[key[0]:key[1]]!r} {key[2]} {key[3]}")
            for key in (predicted - gold):
                item_errors.append(f"spurious entity {item.text[key[0]:key[1]]!r} {key[2]} {key[3]}")
        for labels, counts in ((ORGANISATION_LABELS, report.organisations),
                               (frozenset({"TECHNOLOGY"}), report.technologies)):
            golds = [e for e in item.entities if e.label in labels]
            preds = [m for m in result.mentions if m.label in labels]
            pairs = _overlap_pairs(golds, preds)
            counts.tp += len(pairs)
            counts.fn += len(golds) - len(pairs)
            counts.fp += len(preds) - len(pairs)
            if press:
                paired = {id(p) for _, p in pairs}
                paired_gold = {id(g) for g, _ in pairs}
                item_errors.extend(f"missed {g.label} {item.text[g.start:g.end]!r}"
                                   for g in golds if id(g) not in paired_gold)
                item_errors.extend(f"spurious {p.label} {p.text!r}" for p in preds if id(p) not in paired)
            if labels is ORGANISATION_LABELS:
                exact = len({(g.start, g.end) for g in golds} & {(p.start, p.end) for p in preds})
                report.organisations_exact.tp += exact
                report.organisations_exact.fn += len(golds) - exact
                report.organisations_exact.fp += len(preds) - exact
                for g, p in pairs:
                    if g.label == p.label:
                        report.role_correct += 1
                    else:
                        item_errors.append(f"role of {p.text!r}: gold {g.label} got {p.label}")
        gold_by_type: dict[str, list[tuple[GoldSignal, str | None, str | None]]] = defaultdict(list)
        for signal in item.signals:
            gold_by_type[signal.type].append((signal, *parties.about(parties.gold(signal.company),
                                                              parties.gold(signal.customer))))
        pred_by_type: dict[str, list[tuple[Any, str | None, str | None]]] = defaultdict(list)
        for signal in result.signals:
            pred_by_type[signal.type].append(
                (signal, *parties.about(parties.predicted(signal.company_id, signal.company_name),
                                 parties.predicted(signal.customer_id, signal.customer_name))))
        for signal_type in set(gold_by_type) | set(pred_by_type):
            golds = list(gold_by_type.get(signal_type, []))
            preds = list(pred_by_type.get(signal_type, []))
            counts = report.signals[signal_type]
            pairs = []
            # pair the best-agreeing signals first
            while golds and preds:
                g, p = max(((g, p) for g in golds for p in preds),
                           key=lambda gp: _same(gp[0][1], gp[1][1]) + _same(gp[0][2], gp[1][2])
                           + _same_value(gp[0][0].value, gp[1][0].value))
                pairs.append((g, p))
                golds.remove(g)
                preds.remove(p)
            counts.tp += len(pairs)
            counts.fn += len(golds)
            counts.fp += len(preds)
            for _, (p, _, _) in pairs:
                report.found_by_method[p.method] += 1
                report.matched_by_method[p.method] += 1
            for p, _, _ in preds:
                report.found_by_method[p.method] += 1
            for g, company, customer in golds:
                item_errors.append(f"missed signal {g.type} company={company} customer={customer}")
            for p, company, customer in preds:
                item_errors.append(f"spurious signal {p.type} company={company} "
                                   f"customer={customer} cue={p.cue!r}" + (" (model)" if p.method == "model" else ""))
            for (g, g_company, g_customer), (p, p_company, p_customer) in pairs:
                report.attribution_total += 1
                if _same(g_company, p_company) and _same(g_customer, p_customer):
                    report.attribution_correct += 1
                else:
                    item_errors.append(f"attribution {g.type}: gold {g_company}/{g_customer} "
                                       f"got {p_company}/{p_customer}")
                # press-voice gold leaves money in other currencies unscored (docs/labelling.md)
                unscored = press and g.value is None and p.unit in FOREIGN_UNITS
                if (g.value is not None or p.value is not None) and not unscored:
                    report.figure_total += 1
                    if g.value is not None and _same_value(g.value, p.value) and g.unit == p.unit \
                            and _same(g_company, p_company):
                        report.figure_correct += 1
                    else:
                        item_errors.append(f"figure {g.type}: gold {g.value} {g.unit} ({g_company}) "
                                           f"got {p.value} {p.unit} ({p_company})")
                if g.previous_value is not None:
                    report.previous_total += 1
                    if _same_value(g.previous_value, p.previous_value):
                        report.previous_correct += 1
                    else:
                        item_errors.append(f"previous value {g.type}: gold {g.previous_value} "
                                           f"got {p.previous_value}")
        if item_errors:
            report.errors.append({"id": item.id, "text": item.text, "errors": item_errors})
    return report
