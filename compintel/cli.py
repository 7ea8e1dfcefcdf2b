"""The ``compintel`` command: a thin layer over :class:`compintel.Workbench`.

A user error prints one line on stderr and exits with status 2; a run in which some source,
file or customer failed exits with status 1 after finishing everything else.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import __version__
from .errors import UserError

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2


def _cross_validation_table(rows: list[dict[Any, Any]]) -> str:
    """recall.cross_validate's rows (a column per threshold, keyed by the number) as a table."""
    columns = [key if isinstance(key, str) else f"threshold {key}" for key in rows[0]]
    return _table([{column: f"{value:.3f}" if isinstance(value, float) else value
                    for column, value in zip(columns, row.values(), strict=True)} for row in rows], columns)


# control characters in stored text (a page's, a note's) would drive the user's terminal: shown as "?"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BREAKS = re.compile(r"[\t\n\r]")


def _cell(value: Any) -> str:
    """A table cell as one line of printable text."""
    return _CONTROL.sub("?", _BREAKS.sub(" ", str(value)))


def _table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """A plain-text table (no dependency needed for this)."""
    cells = [[_cell(row.get(col, "") if row.get(col) is not None else "") for col in columns] for row in rows]
    widths = [max([len(col), *(len(r[i]) for r in cells)]) for i, col in enumerate(columns)]
    line = "  ".join(col.ljust(widths[i]) for i, col in enumerate(columns))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(r[i].ljust(widths[i]) for i in range(len(columns))) for r in cells]
    return "\n".join(out)


def _open(args: argparse.Namespace):
    from .workbench import Workbench

    return Workbench.open(args.workspace)


def _progress(args: argparse.Namespace) -> bool:
    return not args.quiet and sys.stderr.isatty()


# -- verbs ----------------------------------------------------------------------------------

def cmd_init(args: argparse.Namespace) -> int:
    from .workbench import Workbench

    wb = Workbench.init(Path(args.directory), args.name)
    print(f"workspace ready: {wb.root}")
    print(f"  settings  {wb.workspace.config_path}")
    print(f"  sources   {wb.workspace.sources_dir}/sources.toml, catalog.toml")
    print(f"  store     {wb.workspace.store_path}")
    return EXIT_OK


def cmd_gather(args: argparse.Namespace) -> int:
    with _open(args) as wb:
        report = wb.gather(args.source or None, progress=_progress(args))
        for error in report.errors:
            print(f"error: {error}", file=sys.stderr)
        if report.rows:
            print(_table(report.rows, ["source", "kind", "new", "changed", "unchanged", "failed",
                                       "robots", "note"]))
        else:
            print("no web or document sources to gather (notes and tables: `compintel import`)")
        for failure in report.failures:
            print(f"failed: {failure}", file=sys.stderr)
        return EXIT_FAILURES if report.errors or report.failures else EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    with _open(args) as wb:
        report = wb.import_files(args.paths or None, table=args.table, sheet=args.sheet,
                                 progress=_progress(args))
        # source definitions that were skipped, as gather reports them: the rest are imported
        errors = [error.format() for error in wb.sources.errors]
        for error in errors:
            print(f"error: {error}", file=sys.stderr)
        ok = [f for f in report.files if f.status != "failed"]
        if ok:
            print(_table([vars(f) for f in ok], ["path", "kind", "status", "rows"]))
        for failure in report.failed:
            print(f"error: {failure.message}", file=sys.stderr)
        for line in report.forgotten:
            print(f"forgotten: {line}")
        if not report.files and not errors:
            print("nothing to import: no notes or table sources in sources/*.toml, and no files given"
                  + (" (files imported by hand are kept while they are there)" if not report.forgotten else ""))
        return EXIT_FAILURES if errors or report.failed else EXIT_OK


def cmd_tag(args: argparse.Namespace) -> int:
    with _open(args) as wb:
        run = wb.tag(progress=_progress(args))
        print(f"tagged {run.tagged} documents ({run.up_to_date} already up to date): "
              f"{run.mentions} mentions, {run.signals} signals; pipeline {run.version}")
        for line in run.too_long:
            print(f"not tagged: {line}", file=sys.stderr)
    return EXIT_FAILURES if run.too_long else EXIT_OK


def cmd_tag_text(args: argparse.Namespace) -> int:
    from .catalog import load_catalog
    from .nlp import Tagger
    from .tagtext import MAX_TEXT_CHARS, run
    from .workspace import Workspace

    workspace = Workspace.find_optional(args.workspace)
    if workspace is None:
        catalog = load_catalog()    # no workspace anywhere: the built-in domain pack alone
    else:
        catalog = load_catalog(workspace.sources_dir, workspace.settings.our_company)
    # bytes that are not UTF-8 must reach the per-line error handling, not kill the run
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="surrogateescape")
    stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=False)
    max_chars = workspace.settings.tag.max_document_chars if workspace is not None else MAX_TEXT_CHARS
    errors = run(stdin, stdout, Tagger(catalog), max_chars)
    stdout.flush()
    return EXIT_FAILURES if errors and args.strict else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    with _open(args) as wb:
        run = wb.report(args.customer or None, args.period, parallel=args.parallel,
                        progress=_progress(args))
        for result in run.results:
            if result.status == "ok":
                print(f"ok      {result.customer_id:<24} {result.html_path}")
            else:
                print(f"failed  {result.customer_id:<24} {result.error}", file=sys.stderr)
        print(f"index: {run.index_path}")
        return EXIT_FAILURES if run.failed else EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    return run_demo(args.workspace, period=args.period, progress=_progress(args), out=sys.stdout)


def cmd_status(args: argparse.Namespace) -> int:
    with _open(args) as wb:
        status = wb.status()
    if args.json:
        print(json.dumps(status, indent=2, default=str))
        return EXIT_OK
    print(f"workspace  {status['workspace']}")
    print(f"store      {status['store']} (schema v{status['schema_version']})")
    print()
    print(_table([{"table": k, "rows": v} for k, v in status["tables"].items()], ["table", "rows"]))
    if status["sources"]:
        print()
        print(_table(status["sources"], ["source", "kind", "last_gather", "last_import", "last_outcome",
                                         "last_failure"]))
    print()
    last = status["last_report"]
    if last:
        print(f"last report run: {last['period']} finished {last['finished_at'] or '(unfinished)'}: "
              f"{last['ok']} ok, {last['failed']} failed")
    else:
        print("last report run: none")
    return EXIT_OK


_FLOOR_OPTIONS = {"entity_f1": "min_entity_f1", "signal_f1": "min_signal_f1",
                  "attributed_signal_f1": "min_attributed_signal_f1",
                  "attribution_accuracy": "min_attribution", "figure_accuracy": "min_figure",
                  "organisation_f1": "min_organisation_f1", "technology_f1": "min_technology_f1",
                  "role_accuracy": "min_role_accuracy", "lowest_type_recall": "min_type_recall"}


def cmd_eval(args: argparse.Namespace) -> int:
    from .catalog import load_catalog
    from .evaluate import evaluate, load_labelled
    from .nlp import Tagger
    from .workspace import Workspace

    workspace = Workspace.find(args.workspace)
    catalog = load_catalog(workspace.sources_dir, workspace.settings.our_company)
    sets = [(Path(file), load_labelled(Path(file))) for file in args.file]
    tagger = Tagger(catalog, recall=not args.rules_only)
    reports = [(path, evaluate(tagger, items)) for path, items in sets]
    if len(reports) == 1:
        print(reports[0][1].format())
    else:
        rows = [{"set": path.name, "texts": report.texts,
                 **{name: "—" if name == "entity_f1" and not report.entities else f"{value:.3f}"
                    for name, value in report.summary().items()}}
                for path, report in reports]
        print(_table(rows, ["set", "texts", *reports[0][1].summary()]))
    for path, report in reports if args.errors else ():
        print()
        if len(reports) > 1:
            print(f"== {path.name}")
        for item in report.errors[:args.errors]:
            print(f"{item['id']}: {item['text'][:100]!r}")
            for error in item["errors"]:
                print(f"    {error}")
    below = []
    for path, report in reports:
        for name, value in report.summary().items():
            floor = getattr(args, _FLOOR_OPTIONS.get(name, ""), None)
            if name == "entity_f1" and not report.entities:
                continue        # press-voice sets have no strict entity score
            if floor is not None and value < floor:
                where = f" in {path.name}" if len(reports) > 1 else ""
                below.append(f"{name} {value:.3f} < {floor}{where}")
    for line in below:
        print(f"below floor: {line}", file=sys.stderr)
    return EXIT_FAILURES if below else EXIT_OK


def cmd_train_recall(args: argparse.Namespace) -> int:
    from .nlp.recall import (
        EPOCHS,
        cross_validate,
        default_labelled_dir,
        default_model_dir,
        train,
        training_files,
    )

    labelled = Path(args.labelled) if args.labelled else default_labelled_dir()
    paths = training_files(labelled)
    if not paths:
        raise UserError(f"no labelled sets in {labelled}", hint="give the folder of the labelled *.jsonl sets")
    if args.cross_validate:
        from .catalog import load_catalog
        from .workspace import Workspace

        workspace = Workspace.find(args.workspace)
        catalog = load_catalog(workspace.sources_dir, workspace.settings.our_company)
        print(_cross_validation_table(cross_validate(labelled, catalog)))
        return EXIT_OK
    out = Path(args.out) if args.out else default_model_dir()
    epochs = args.epochs or EPOCHS
    print(f"training the recall layer on {len(paths)} labelled sets ({epochs} epochs, about a minute)…",
          file=sys.stderr)
    meta = train(paths, out, epochs=epochs)
    print(f"recall model: {meta['texts']} texts from {len(paths)} sets -> {out}")
    return EXIT_OK


def cmd_candidates(args: argparse.Namespace) -> int:
    with _open(args) as wb:
        frame = wb.candidates(min_count=args.min_count, limit=args.limit or None)
    if frame.empty:
        print("no unknown organisations found (run `compintel tag` first)")
        return EXIT_OK
    print(_table(frame.to_dict("records"), ["name", "mentions", "documents", "example"]))
    print("\nadd the ones that matter to sources/catalog.toml as [[company]] entries")
    return EXIT_OK


def cmd_sources(args: argparse.Namespace) -> int:
    from .workbench import source_packs

    if args.name is not None and args.action != "add-pack":
        raise UserError(f"`compintel sources {args.action}` takes no name, got {args.name!r}",
                        hint="only add-pack takes a name: compintel sources add-pack NAME")
    if args.action == "packs":
        for name, path in source_packs().items():
            print(f"{name:<16} {path}")
        return EXIT_OK
    with _open(args) as wb:
        if args.action == "add-pack":
            if not args.name:
                raise UserError("which pack?", hint="compintel sources add-pack india-auto")
            path = wb.add_source_pack(args.name)
            print(f"added {path} — every source in it is off: set enabled = true on the ones you want")
            return EXIT_OK
        sources = wb.sources
    for error in sources.errors:
        print(f"error: {error}", file=sys.stderr)
    rows = [{"name": s.name, "kind": s.kind, "enabled": "yes" if s.enabled else "no",
             "location": s.url or (str(s.path) if s.path else ""), "tags": ",".join(s.tags)}
            for s in sources.sources]
    print(_table(rows, ["name", "kind", "enabled", "location", "tags"]) if rows else "no sources defined")
    return EXIT_FAILURES if sources.errors else EXIT_OK


def _figure(value: Any, unit: Any) -> str:
    if value is None or value != value:
        return ""
    number = str(int(value)) if float(value).is_integer() else f"{value:.4g}"
    return f"{number} {unit}" if isinstance(unit, str) and unit else number


def _one_line(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 1] + "…"


def cmd_signals(args: argparse.Namespace) -> int:
    from .errors import CatalogError

    with _open(args) as wb:
        frame = wb.signals(args.customer, since=args.since, until=args.until,
                           types=args.type or None, no_customer=args.no_customer,
                           one_per_story=False)
        if args.company:
            try:
                company = wb.catalog.resolve(args.company, "company").id
                frame = frame[frame["company_id"] == company]
            except CatalogError:
                named = frame["company_name"].fillna("").str.casefold() == args.company.casefold()
                if not named.any():
                    raise
                frame = frame[named]
        total = len(frame)
        frame = frame.iloc[::-1]                  # newest first
        if args.limit > 0:
            frame = frame.head(args.limit)
        name = wb.catalog.display_name
        rows = [{"id": row.id, "date": row.observed_at or "", "type": row.type,
                 "company": name(row.company_id) if isinstance(row.company_id, str) else row.company_name,
                 "customer": name(row.customer_id) if isinstance(row.customer_id, str) else row.customer_name,
                 "figure": _figure(row.value, row.unit), "grade": row.grade,
                 "fixed": "*" if row.corrected else "", "evidence": _one_line(row.text, 70)}
                for row in frame.itertuples()]
    if not rows:
        print("no signals match (run `compintel tag` first?)")
        return EXIT_OK
    print(_table(rows, ["id", "date", "type", "company", "customer", "figure", "grade", "fixed", "evidence"]))
    shown = f"{len(rows)} of {total} signals, newest first" if len(rows) < total else f"{total} signals"
    print(f"\n{shown}; * = corrected. Fix one: `compintel signals correct ID --company ... "
          f"--value ...`, or `compintel signals reject ID`")
    return EXIT_OK


def _search_words_with_a_dash(args: argparse.Namespace, extras: list[str]) -> UserError | None:
    """`compintel search -Vitreon`: argparse takes a word starting with "-" for an option."""
    dashed = [word for word in extras if word.startswith("-")]
    if not dashed:
        return None
    words = " ".join(shlex.quote(word) for word in [*args.query, *extras])
    return UserError(f"{dashed[0]!r} reads as an option, and search has no such option",
                     hint=f"to search for it, put -- before the query: compintel search -- {words}")


def cmd_search(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    with _open(args) as wb:
        frame = wb.search(query, customer=args.customer, competitor=args.competitor,
                          type=args.type, since=args.since, limit=args.limit or None)
    if args.json:
        print(json.dumps({"query": query, "matched": frame.attrs["matched"],
                          "searched": frame.attrs["searched"],
                          "hits": frame.to_dict("records")}, indent=2, ensure_ascii=False, default=str))
        return EXIT_OK
    filters = [f"{name} {value}" for name, value in (("customer", args.customer),
               ("competitor", args.competitor), ("type", args.type), ("since", args.since)) if value]
    if frame.empty:
        matched = frame.attrs["matched"]
        print(f"no hits for {query!r}" + (f" with {', '.join(filters)}" if filters else "")
              + (f" (the words alone match {matched:,} document{'s' if matched != 1 else ''})"
                 if filters and matched else ""))
        return EXIT_OK
    rows = [{"#": row.rank, "date": row.date or "", "kind": row.kind, "title": _one_line(row.title or "", 40),
             "snippet": _one_line(row.snippet, 80), "location": row.location} for row in frame.itertuples()]
    print(_table(rows, ["#", "date", "kind", "title", "snippet", "location"]))
    shown = len(rows)
    print(f"\nbest {shown} hits shown (--limit N for more, 0 for all)" if args.limit and shown == args.limit
          else f"\n{shown} hit{'s' if shown != 1 else ''}")
    if frame.attrs["matched"] > frame.attrs["searched"]:
        print(f"the words match {frame.attrs['matched']:,} documents: the newest "
              f"{frame.attrs['searched']:,} of them were searched (add words to narrow it down)")
    return EXIT_OK


def cmd_signals_correct(args: argparse.Namespace) -> int:
    with _open(args) as wb:
        entry = wb.correct(args.id, type=args.type, company=args.company, customer=args.customer,
                           value=args.value, unit=args.unit, reason=args.reason, by=args.by)
        print(f"signal {args.id}: {entry.describe()} — saved in {wb.corrections_path}")
    return EXIT_OK


def cmd_signals_reject(args: argparse.Namespace) -> int:
    with _open(args) as wb:
        wb.reject(args.id, reason=args.reason, by=args.by)
        print(f"signal {args.id}: rejected — saved in {wb.corrections_path}")
    return EXIT_OK


def cmd_signals_undo(args: argparse.Namespace) -> int:
    with _open(args) as wb:
        wb.uncorrect(args.id)
        print(f"signal {args.id}: correction removed from {wb.corrections_path}")
    return EXIT_OK


def cmd_signals_corrections(args: argparse.Namespace) -> int:
    with _open(args) as wb:
        frame = wb.corrections()
        path = wb.corrections_path
    if frame.empty:
        print(f"no corrections ({path} does not exist or holds none)")
        return EXIT_OK
    rows = [{"line": row.line, "status": row.status,
             "signals": ",".join(map(str, row.signal_ids)) if row.signal_ids else "—",
             "type": row.type, "company": row.company or "", "change": row.change,
             "reason": _one_line(row.reason if isinstance(row.reason, str) else "", 40),
             "sentence": _one_line(row.sentence, 60)} for row in frame.itertuples()]
    print(_table(rows, ["line", "status", "signals", "type", "company", "change", "reason", "sentence"]))
    orphaned = frame[frame["status"] == "orphaned"]
    for row in orphaned.itertuples():
        print(f"orphaned: {path}:{row.line}: {row.detail}; it changes nothing now "
              f"(correct the signal again, or delete the entry)")
    return EXIT_OK


# -- parser ---------------------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    """argparse with the project's errors: one line, with where to read more, and status 2.

    A verb may set ``on_unrecognized`` (see :meth:`parse_args`) to explain words it cannot
    place better than "unrecognized arguments"."""

    def error(self, message: str) -> NoReturn:
        raise UserError(message.removeprefix("argument "), hint=f"see {self.prog} --help")

    def parse_args(self, args: Sequence[str] | None = None,    # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            explain: Callable[..., UserError | None] | None = getattr(parsed, "on_unrecognized", None)
            error = explain(parsed, extras) if explain else None
            if error is not None:
                raise error
            self.error("unrecognized arguments: " + " ".join(extras))
        return parsed


def _whole_number(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``, refused in one line otherwise."""
    def whole_number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more, got {value}")
        return value

    return whole_number


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--workspace", "-w", default=argparse.SUPPRESS, metavar="DIR",
                        help="workspace folder (default: $COMPINTEL_WORKSPACE, or the nearest "
                             "folder with compintel.toml above the current one)")
    common.add_argument("--quiet", "-q", action="store_true", default=argparse.SUPPRESS,
                        help="no progress bars")
    parser = _Parser(
        prog="compintel", parents=[common],
        description="Competitor-intelligence workbench: gather, import, tag and report 3C reports.")
    parser.add_argument("--version", action="version", version=f"compintel {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    p = verbs.add_parser("init", parents=[common], help="create a workspace")
    p.add_argument("directory", help="folder to create (or complete)")
    p.add_argument("--name", help="workspace name shown in reports")
    p.set_defaults(func=cmd_init)

    p = verbs.add_parser("gather", parents=[common], help="collect feeds, pages and local documents")
    p.add_argument("--source", "-s", action="append", metavar="NAME",
                   help="only this source (repeatable); a source with enabled = false is refused")
    p.set_defaults(func=cmd_gather)

    p = verbs.add_parser("import", parents=[common], help="import field notes and account tables")
    p.add_argument("paths", nargs="*", help="files or folders (default: every notes/table source)")
    p.add_argument("--table", help="table kind for a CSV/XLSX file (default: detected from the headers)")
    p.add_argument("--sheet", help="XLSX sheet name (default: the first)")
    p.set_defaults(func=cmd_import)

    p = verbs.add_parser("tag", parents=[common], help="tag new and changed documents")
    p.set_defaults(func=cmd_tag)

    p = verbs.add_parser("tag-text", parents=[common],
                         help="tag JSON Lines from stdin: {\"id\": ..., \"text\": ...} per line")
    p.add_argument("--strict", action="store_true", help="exit 1 if any input line had an error")
    p.set_defaults(func=cmd_tag_text)

    p = verbs.add_parser("report", parents=[common], help="render 3C reports for a period")
    p.add_argument("--customer", "-c", action="append", metavar="NAME",
                   help="customer id or name (repeatable; default: all customers with data)")
    p.add_argument("--period", "-p", metavar="YYYY-MM", help="month to report (default: the latest month with data)")
    p.add_argument("--parallel", "-j", type=int, metavar="N", help="customers rendered at once")
    p.set_defaults(func=cmd_report)

    p = verbs.add_parser("demo", parents=[common],
                         help="gather, import, tag and report the bundled fictional demo workspace")
    p.add_argument("--period", "-p", metavar="YYYY-MM", default="2026-10", help="month to report")
    p.set_defaults(func=cmd_demo)

    p = verbs.add_parser("status", parents=[common], help="row counts, last gathers, last report run")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_status)

    p = verbs.add_parser("eval", parents=[common], help="measure the tagger on a labelled JSONL file",
                         description="Measure the tagger on labelled sets. Each --min-* option is a "
                                     "floor: a measured value below it is printed as 'below floor' "
                                     "and the exit status is 1.")
    p.add_argument("file", nargs="+", help="labelled set(s) (docs/formats.md); several give a table")
    p.add_argument("--errors", type=_whole_number(0), default=0, metavar="N",
                   help="show the first N texts with errors")
    p.add_argument("--rules-only", action="store_true", help="measure the rules without the recall layer")
    p.add_argument("--min-entity-f1", type=float, metavar="X",
                   help="floor for entity F1 (span, label and catalog id all right)")
    p.add_argument("--min-signal-f1", type=float, metavar="X", help="floor for signal F1 (by type)")
    p.add_argument("--min-attributed-signal-f1", type=float, metavar="X",
                   help="floor for signals right in type, company and customer")
    p.add_argument("--min-attribution", type=float, metavar="X",
                   help="floor for matched signals with the right company and customer")
    p.add_argument("--min-figure", type=float, metavar="X",
                   help="floor for matched signals with the right figure (value, unit, company)")
    p.add_argument("--min-organisation-f1", type=float, metavar="X",
                   help="floor for organisations matched by overlapping span, any organisation label")
    p.add_argument("--min-technology-f1", type=float, metavar="X",
                   help="floor for technologies matched by overlapping span")
    p.add_argument("--min-role-accuracy", type=float, metavar="X",
                   help="floor for matched organisations with the right label (role)")
    p.add_argument("--min-type-recall", type=float, metavar="X",
                   help="floor for the recall of every signal type with 10 or more gold examples")
    p.set_defaults(func=cmd_eval)

    p = verbs.add_parser("train-recall", parents=[common],
                         help="train the tagger's recall layer on the labelled development sets")
    p.add_argument("labelled", nargs="?", help="folder of labelled *.jsonl sets (default: the project's)")
    p.add_argument("--out", metavar="DIR", help="where to save the model (default: the package's)")
    p.add_argument("--epochs", type=_whole_number(1), metavar="N",
                   help="passes over the training texts (default: 12)")
    p.add_argument("--cross-validate", action="store_true",
                   help="leave each press-voice set out in turn and print signal F1 with and without the model")
    p.set_defaults(func=cmd_train_recall)

    p = verbs.add_parser("catalog", parents=[common], help="catalog tools")
    catalog_verbs = p.add_subparsers(dest="catalog_verb", metavar="ACTION", required=True)
    c = catalog_verbs.add_parser("candidates", parents=[common],
                                 help="organisations seen in the text that the catalog does not know")
    c.add_argument("--min-count", type=_whole_number(1), default=1, metavar="N",
                   help="only names seen N times or more (default 1)")
    c.add_argument("--limit", "-n", type=_whole_number(0), default=50, metavar="N",
                   help="the N most mentioned (default 50; 0 for all)")
    c.set_defaults(func=cmd_candidates)

    p = verbs.add_parser("signals", parents=[common],
                         help="list signals with their ids; correct, reject or list corrections",
                         description="Without an ACTION: list signals (corrected values, * marks "
                                     "corrected ones), newest first.")
    p.add_argument("--customer", "-c", metavar="NAME", help="customer id or name")
    p.add_argument("--no-customer", action="store_true",
                   help="only signals at no customer (industry news: a new line, a product)")
    p.add_argument("--type", "-t", action="append", metavar="TYPE", help="signal type (repeatable)")
    p.add_argument("--company", metavar="NAME", help="the company a signal is about")
    p.add_argument("--since", metavar="DATE", help="from this date or month (YYYY-MM[-DD])")
    p.add_argument("--until", metavar="DATE", help="up to this date or month")
    p.add_argument("--limit", "-n", type=_whole_number(0), default=50, metavar="N",
                   help="newest N signals (default 50; 0 for all)")
    p.set_defaults(func=cmd_signals)
    signal_verbs = p.add_subparsers(dest="signals_verb", metavar="ACTION")
    figure_help = "the figure's number, or 'none' to drop the figure"
    c = signal_verbs.add_parser(
        "correct", parents=[common],
        help="fix a signal's type, company, customer or figure (kept in corrections.toml)")
    c.add_argument("id", type=int, help="signal id from `compintel signals`")
    c.add_argument("--type", help="the right signal type")
    c.add_argument("--company", help="the company it is about (catalog name or id; 'ours' for us)")
    c.add_argument("--customer", help="the customer (catalog name or id)")
    c.add_argument("--value", help=figure_help)
    c.add_argument("--unit", help="the figure's unit: ppm, %%, INR, days, units, ...")
    c.add_argument("--reason", help="why (kept with the correction)")
    c.add_argument("--by", help="who corrects it")
    c.set_defaults(func=cmd_signals_correct)
    c = signal_verbs.add_parser("reject", parents=[common],
                                help="reject a signal: reports leave it out, also after re-tagging")
    c.add_argument("id", type=int, help="signal id from `compintel signals`")
    c.add_argument("--reason", help="why (kept with the correction)")
    c.add_argument("--by", help="who rejects it")
    c.set_defaults(func=cmd_signals_reject)
    c = signal_verbs.add_parser("undo", parents=[common], help="remove the correction of a signal")
    c.add_argument("id", type=int, help="signal id from `compintel signals`")
    c.set_defaults(func=cmd_signals_undo)
    c = signal_verbs.add_parser("corrections", parents=[common],
                                help="list corrections, and the orphaned ones that no longer apply")
    c.set_defaults(func=cmd_signals_corrections)

    p = verbs.add_parser("search", parents=[common],
                         help="full-text search of documents and field notes, best hits first",
                         description='Words must all occur; "a phrase" in quotes, prefix* with a '
                                     'star, OR between two terms, NOT before one. Matches are '
                                     'marked «like this» in the snippets. Any other punctuation is '
                                     'searched for, never parsed: a "-" is no operator, so '
                                     '"Vitreon -PPM" finds documents with both Vitreon and PPM '
                                     '(write Vitreon NOT PPM to leave PPM out). A query that starts '
                                     'with "-" goes after "--": compintel search -- -Vitreon.')
    p.add_argument("query", nargs="*",
                   help="what to look for (several words: one query; a leading - needs -- first)")
    p.add_argument("--customer", "-c", metavar="NAME", help="documents about this customer (id or name)")
    p.add_argument("--competitor", metavar="NAME", help="documents about this competitor (id or name)")
    p.add_argument("--type", "-t", metavar="TYPE", help="documents with a signal of this type")
    p.add_argument("--since", metavar="DATE", help="from this date or month (YYYY-MM[-DD])")
    p.add_argument("--limit", "-n", type=_whole_number(0), default=20, metavar="N",
                   help="best N hits (default 20; 0 for all)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_search, on_unrecognized=_search_words_with_a_dash)

    p = verbs.add_parser("sources", parents=[common],
                         help="list the workspace's sources; list or add the bundled source packs")
    p.add_argument("action", nargs="?", choices=["list", "packs", "add-pack"], default="list",
                   help="list (default), packs (bundled packs of real public sources), add-pack NAME")
    p.add_argument("name", nargs="?", help="pack name for add-pack (see `compintel sources packs`)")
    p.set_defaults(func=cmd_sources)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        args.workspace = getattr(args, "workspace", None)
        args.quiet = getattr(args, "quiet", False)
        return args.func(args)
    except UserError as exc:
        print(f"error: {exc.format()}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted: finished work is stored; run the command again to complete it",
              file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
