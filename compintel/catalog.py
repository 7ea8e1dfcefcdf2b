"""The catalog: what the tagger and the importers know about companies, plants, vehicles,
technologies and part families.

It is built from the built-in domain pack (``compintel/data/domain/*.toml``) and extended or
overridden by the workspace catalog (``sources/catalog.toml`` and ``sources/catalog/*.toml``).
An entry whose id already exists adds its aliases and overrides the fields it sets. Adding an
alias is a data change, never a code change.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import CatalogError
from .tomlfile import key_lines, line_of, load_toml

KINDS = ("company", "plant", "vehicle", "technology", "part_family")
ROLES = ("own", "competitor", "customer", "org", "body")
# "body": an industry body, ministry, regulator, exchange or rating agency — an organisation the
# text quotes, never the company a signal is about
ROLE_LABEL = {"own": "OWN_COMPANY", "competitor": "COMPETITOR", "customer": "CUSTOMER", "org": "ORG",
              "body": "ORG"}
KIND_LABEL = {"plant": "PLANT", "vehicle": "VEHICLE", "technology": "TECHNOLOGY"}
# a company's role in a sentence: "'Vitreon Auto Glass' is a competitor, not a customer"
_ROLE_PHRASE = {"own": "our own company", "competitor": "a competitor", "customer": "a customer",
                "org": "an organisation", "body": "an industry body"}
_FIELDS = {
    "company": {"id", "name", "role", "aliases", "abbreviations", "source", "note", "fictional"},
    "plant": {"id", "company", "name", "aliases", "abbreviations", "source", "note", "location",
              "fictional"},
    "vehicle": {"id", "company", "name", "aliases", "abbreviations", "source", "note", "platform",
                "plants", "glass_content", "fictional"},
    "technology": {"id", "name", "aliases", "abbreviations", "part_family", "source", "note"},
    "part_family": {"id", "name", "aliases", "abbreviations", "pieces_per_vehicle", "note"},
}


@dataclass(frozen=True)
class Entry:
    """One catalog entry."""

    id: str
    kind: str                                   # company | plant | vehicle | technology | part_family
    name: str
    aliases: tuple[str, ...] = ()               # matched case-insensitively
    abbreviations: tuple[str, ...] = ()         # matched case-sensitively
    role: str | None = None                     # companies only
    company: str | None = None                  # plants and vehicles: the owner
    attrs: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    defined_in: str = ""

    @property
    def label(self) -> str:
        if self.kind == "company":
            return ROLE_LABEL[self.role or "org"]
        return KIND_LABEL.get(self.kind, self.kind.upper())

    @property
    def names(self) -> tuple[str, ...]:
        """Every surface form: name, aliases and abbreviations."""
        seen: dict[str, None] = {}
        for name in (self.name, *self.aliases, *self.abbreviations):
            seen.setdefault(name, None)
        return tuple(seen)


def _fold(text: str) -> str:
    """Case- and accent-insensitive key for lookups ("Şişecam" == "sisecam")."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().replace("-", " ").split())


def _with_article(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


class Catalog:
    """Entries by id, with name lookups and "did you mean" suggestions."""

    def __init__(self, entries: Iterable[Entry], our_company: str | None,
                 pack_names: Iterable[str] = ()) -> None:
        self.entries: dict[str, Entry] = {}
        for entry in entries:
            self.entries[entry.id] = entry
        self.pack_names = tuple(pack_names)
        self.our_company = our_company
        if our_company is not None:
            own = self.entries.get(our_company)
            if own is None or own.kind != "company":
                raise CatalogError(f"our_company {our_company!r} is not a company in the catalog",
                                   hint=self._did_you_mean(our_company, "company")
                                   or "add it to sources/catalog.toml")
            for entry in list(self.entries.values()):
                if entry.kind == "company" and entry.role == "own" and entry.id != our_company:
                    self.entries[entry.id] = replace(entry, role="competitor")
            self.entries[our_company] = replace(own, role="own")
        self._by_name: dict[str, list[str]] = {}
        for entry in self.entries.values():
            for name in (entry.id, *entry.names):
                ids = self._by_name.setdefault(_fold(name), [])
                if entry.id not in ids:
                    ids.append(entry.id)

    # -- access ----------------------------------------------------------------------
    def __getitem__(self, entity_id: str) -> Entry:
        return self.entries[entity_id]

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def of_kind(self, kind: str) -> list[Entry]:
        return [entry for entry in self.entries.values() if entry.kind == kind]

    def companies(self, role: str | None = None) -> list[Entry]:
        return [entry for entry in self.of_kind("company") if role is None or entry.role == role]

    @property
    def own(self) -> Entry | None:
        return self.entries.get(self.our_company) if self.our_company else None

    def display_name(self, entity_id: str | None) -> str:
        if entity_id is None:
            return ""
        entry = self.entries.get(entity_id)
        return entry.name if entry else entity_id

    def owner(self, entity_id: str) -> str | None:
        """The company a plant or vehicle belongs to (the entity itself for a company)."""
        entry = self.entries.get(entity_id)
        if entry is None:
            return None
        return entry.id if entry.kind == "company" else entry.company

    # -- lookups ---------------------------------------------------------------------
    def find(self, name: str, kind: str | None = None, *, role: str | None = None,
             company: str | None = None) -> list[Entry]:
        """Entries whose id, name or alias is ``name`` (case- and accent-insensitive)."""
        found = []
        for entity_id in self._by_name.get(_fold(name), []):
            entry = self.entries[entity_id]
            if kind is not None and entry.kind != kind:
                continue
            if role is not None and entry.role != role:
                continue
            if company is not None and entry.company != company:
                continue
            found.append(entry)
        return found

    def resolve(self, name: str, kind: str, *, role: str | Iterable[str] | None = None,
                company: str | None = None, what: str | None = None) -> Entry:
        """The one entry called ``name``; a :class:`CatalogError` with a suggestion otherwise."""
        roles = {role} if isinstance(role, str) else set(role) if role is not None else None
        what = what or (kind if roles is None else "/".join(sorted(roles)))
        named = self.find(name, kind, company=company)
        candidates = [entry for entry in named if roles is None or entry.role in roles]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates and named and roles is not None:
            # a known company in the wrong role: say what it is, not "unknown … did you mean"
            raise self._wrong_role(name, named, roles, what)
        if not candidates:
            pool = [entry for entry in self.of_kind(kind)
                    if (roles is None or entry.role in roles)
                    and (company is None or entry.company == company)]
            hint = self._did_you_mean(name, kind, pool) or f"add it to sources/catalog.toml as a [[{kind}]]"
            raise CatalogError(f"unknown {what} {name!r}", hint=hint)
        ids = ", ".join(entry.id for entry in candidates)
        raise CatalogError(f"{what} {name!r} is ambiguous ({ids})", hint="use the catalog id")

    @staticmethod
    def _wrong_role(name: str, named: list[Entry], roles: set[str], what: str) -> CatalogError:
        """"'Vitreon Auto Glass' is a competitor, not a customer", and where it belongs."""
        if len(named) > 1:          # one name, several entries, none in a role asked for
            found = " and ".join(f"{_ROLE_PHRASE[entry.role or 'org']} [{entry.id}]" for entry in named)
            return CatalogError(f"{name!r} names {found}, not {_with_article(what)}")
        entry = named[0]
        role = entry.role or "org"
        if role in ("customer", "competitor"):
            hint = f"it goes where {_with_article(role)} is asked for, as in --{role} {entry.id}"
        elif role == "own":
            hint = "our company is the one our_company names in compintel.toml"
        elif len(roles) == 1 and roles != {"own"}:
            wanted = next(iter(roles))
            hint = (f'if it is {_with_article(wanted)}, set role = "{wanted}" on id "{entry.id}" '
                    f"in sources/catalog.toml")
        else:
            hint = f'if that is wrong, set its role on id "{entry.id}" in sources/catalog.toml'
        return CatalogError(f"{entry.name!r} is {_ROLE_PHRASE[role]}, not {_with_article(what)}",
                            hint=hint)

    def _did_you_mean(self, name: str, kind: str, pool: list[Entry] | None = None) -> str | None:
        pool = pool if pool is not None else self.of_kind(kind)
        choices: dict[str, Entry] = {}
        for entry in pool:
            for candidate in (entry.id, *entry.names):
                choices.setdefault(_fold(candidate), entry)
        close = difflib.get_close_matches(_fold(name), list(choices), n=3, cutoff=0.6)
        suggestions: list[str] = []
        for key in close:
            entry = choices[key]
            text = f"'{entry.name}'" + (f" [{entry.id}]" if entry.name != entry.id else "")
            if text not in suggestions:
                suggestions.append(text)
        return "did you mean " + " or ".join(suggestions) + "?" if suggestions else None

    def surface_forms(self) -> Iterable[tuple[str, bool, Entry]]:
        """(text, case_sensitive, entry) for every name the tagger should match."""
        for entry in self.entries.values():
            if entry.kind == "part_family":
                continue
            for text in dict.fromkeys((entry.name, *entry.aliases)):
                yield text, False, entry
            for text in dict.fromkeys(entry.abbreviations):
                yield text, True, entry

    def fingerprint(self) -> str:
        """A hash of everything the tagger uses, to know when stored tags are stale."""
        import hashlib

        digest = hashlib.sha256()
        for entry in sorted(self.entries.values(), key=lambda e: e.id):
            digest.update(repr((entry.id, entry.kind, entry.name, entry.aliases,
                                entry.abbreviations, entry.role, entry.company)).encode())
        return digest.hexdigest()[:16]


# -- loading ---------------------------------------------------------------------------------

def _as_list(value: Any, path: Path, text: str, kind: str, index: int, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CatalogError("expected a list of strings", path=path,
                           line=line_of(text, key, kind, index), field=f"{kind}.{key}")
    return tuple(item.strip() for item in value if item.strip())


def read_catalog_file(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Parse one catalog file into (pack settings, raw entries with kind and location)."""
    data, text = load_toml(path, CatalogError)
    raw: list[dict[str, Any]] = []
    for key in data:
        if key not in (*KINDS, "pack"):
            raise CatalogError(f"unknown table [[{key}]]", path=path, line=line_of(text, key, key),
                               hint="use [[company]], [[plant]], [[vehicle]], [[technology]], [[part_family]]")
    for kind in KINDS:
        items = data.get(kind, [])
        if not isinstance(items, list):
            raise CatalogError(f"use [[{kind}]] (an array of tables)", path=path,
                               line=line_of(text, kind, kind))
        id_lines = key_lines(text, "id", kind)
        for index, item in enumerate(items):
            line = id_lines[index] if index < len(id_lines) else line_of(text, "id", kind, index)
            if not isinstance(item, dict):
                raise CatalogError(f"each {kind} must be a [[{kind}]] table, got {item!r}", path=path,
                                   line=line_of(text, kind), hint=f"write [[{kind}]] then key = value lines")
            unknown = set(item) - _FIELDS[kind]
            if unknown:
                key = sorted(unknown)[0]
                raise CatalogError(f"unknown key {key!r}", path=path,
                                   line=line_of(text, key, kind, index), field=f"{kind}.{key}",
                                   hint="allowed: " + ", ".join(sorted(_FIELDS[kind])))
            entity_id = item.get("id")
            if not isinstance(entity_id, str) or not entity_id.strip():
                raise CatalogError("every entry needs an id", path=path, line=line, field=f"{kind}.id")
            for key in ("aliases", "abbreviations", "source"):
                if key in item:
                    item[key] = _as_list(item[key], path, text, kind, index, key)
            for key in ("name", "company", "role", "note", "location", "platform", "part_family"):
                if key in item and not isinstance(item[key], str):
                    raise CatalogError(f"{key} must be text, got {item[key]!r}", path=path,
                                       line=line_of(text, key, kind, index), field=f"{kind}.{key}")
            if "role" in item and item["role"] not in ROLES:
                raise CatalogError(f"role must be one of {', '.join(ROLES)}, not {item['role']!r}",
                                   path=path, line=line_of(text, "role", kind, index),
                                   field=f"{kind}.role")
            raw.append({"kind": kind, "where": f"{path}:{line or 0}", **item})
    pack = data.get("pack", {})
    if not isinstance(pack, dict):
        raise CatalogError("[pack] must be a table", path=path, line=line_of(text, "pack"),
                           field="pack", hint='write [pack] then name = "…" and our_company = "…"')
    return pack, raw


def _merge(entries: dict[str, Entry], raw: dict[str, Any]) -> None:
    kind = raw["kind"]
    entity_id = raw["id"]
    where = raw["where"]
    existing = entries.get(entity_id)
    if existing is not None and existing.kind != kind:
        path, line = where.rsplit(":", 1)
        raise CatalogError(f"id {entity_id!r} is already a {existing.kind} ({existing.defined_in})",
                           path=path, line=int(line), field=f"{kind}.id")
    attrs = {key: value for key, value in raw.items()
             if key not in {"kind", "where", "id", "name", "aliases", "abbreviations", "role", "company"}}
    if existing is None:
        name = raw.get("name")
        if not name:
            path, line = where.rsplit(":", 1)
            raise CatalogError(f"new {kind} {entity_id!r} needs a name", path=path, line=int(line),
                               field=f"{kind}.name")
        if kind in ("plant", "vehicle") and not raw.get("company"):
            path, line = where.rsplit(":", 1)
            raise CatalogError(f"{kind} {entity_id!r} needs a company", path=path, line=int(line),
                               field=f"{kind}.company")
        entries[entity_id] = Entry(
            id=entity_id, kind=kind, name=name, aliases=tuple(raw.get("aliases", ())),
            abbreviations=tuple(raw.get("abbreviations", ())),
            role=raw.get("role", "org" if kind == "company" else None),
            company=raw.get("company"), attrs=attrs, defined_in=where)
        return
    entries[entity_id] = replace(
        existing,
        name=raw.get("name", existing.name),
        aliases=tuple(dict.fromkeys((*existing.aliases, *raw.get("aliases", ())))),
        abbreviations=tuple(dict.fromkeys((*existing.abbreviations, *raw.get("abbreviations", ())))),
        role=raw.get("role", existing.role),
        company=raw.get("company", existing.company),
        attrs={**existing.attrs, **attrs,
               # every file's sources count: an entry extended elsewhere keeps them all
               **({"source": tuple(dict.fromkeys((*existing.attrs.get("source", ()), *attrs["source"])))}
                  if "source" in attrs else {})},
        defined_in=existing.defined_in + " + " + where,
    )


def builtin_pack_files() -> list[Path]:
    root = resources.files("compintel") / "data" / "domain"
    return sorted(Path(str(entry)) for entry in root.iterdir() if entry.name.endswith(".toml"))


def workspace_catalog_files(sources_dir: Path) -> list[Path]:
    files = []
    single = sources_dir / "catalog.toml"
    if single.is_file():
        files.append(single)
    folder = sources_dir / "catalog"
    if folder.is_dir():
        files.extend(sorted(folder.glob("*.toml")))
    return files


def load_catalog(sources_dir: Path | None = None, our_company: str | None = None,
                 extra_files: Iterable[Path] = ()) -> Catalog:
    """The built-in pack, extended by a workspace's catalog files, with "ours" set."""
    entries: dict[str, Entry] = {}
    default_own = None
    pack_names = []
    files = [*builtin_pack_files()]
    if sources_dir is not None:
        files.extend(workspace_catalog_files(sources_dir))
    files.extend(extra_files)
    for path in files:
        pack, raw_entries = read_catalog_file(path)
        if pack.get("our_company"):
            default_own = pack["our_company"]
        if pack.get("name"):
            pack_names.append(pack["name"])
        for raw in raw_entries:
            _merge(entries, raw)
    for entry in entries.values():
        if entry.kind in ("plant", "vehicle") and entry.company not in entries:
            path, line = entry.defined_in.split(" + ")[-1].rsplit(":", 1)
            raise CatalogError(f"{entry.kind} {entry.id!r} names unknown company {entry.company!r}",
                               path=path, line=int(line), field=f"{entry.kind}.company")
    return Catalog(entries.values(), our_company or default_own, pack_names)
