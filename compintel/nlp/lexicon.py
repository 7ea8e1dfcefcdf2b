"""The signal lexicon and organisation rules, loaded from the data files a KAM can edit."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import UserError

INSIDE_ONLY = "@inside"     # a neutral phrase that cancels only the cue it holds ("declared L1")
SIGNAL_TYPES = (
    "quality_ppm", "delivery_performance", "vendor_rating", "pricing", "share_of_business",
    "supply_win", "supply_loss", "rfq", "technology_launch", "capacity", "customer_engagement",
    "partnership", "financial_result",
)
# a `yields_to` name of a cue class that stands for business moving "from X to Y", no type
TRANSFER = "transfer"
FOREIGN_UNITS = ("USD", "EUR", "GBP", "JPY", "KRW", "CNY")     # money in other currencies: ISO codes
MONEY_UNITS = frozenset({"INR", *FOREIGN_UNITS})
UNITS = ("ppm", "%", "INR", "days", "hours", "minutes", "units", "tpd", "points", *FOREIGN_UNITS)
# the units a signal carries: a rating's score in points is given as a % (docs/formats.md)
SIGNAL_UNITS = tuple(unit for unit in UNITS if unit != "points")


@dataclass(frozen=True)
class SignalType:
    name: str
    cues: tuple[str, ...]
    failure_cues: tuple[str, ...]
    weak_cues: tuple[str, ...]          # count only with a figure this type takes
    units: tuple[str, ...]
    weak_units: tuple[str, ...] = ()    # figures that make a weak cue count (default: units)
    weak_minimum: tuple[tuple[str, float], ...] = ()  # smallest such figure, unless a rate
    requires_technology: bool = False   # only with a technology named in the sentence
    requires_actor: bool = False        # only when the sentence says who
    requires_company: bool = False      # only when it is known whose it is
    weak_yields_to: tuple[str, ...] = ()   # weak cues count not where these types have a cue
    count_minimum: float = 0            # a count ("2 trucks") smaller than this, with no rate, is no figure of it
    money_yields_to: tuple[str, ...] = ()   # weak cues with only a sum of money count not beside these
    requires_customer: bool = False     # only at a named customer's end (a customer or an organisation)


@dataclass(frozen=True)
class SwitchCue:
    """Cues whose type depends on whether the sentence has a figure the first type takes."""

    cues: tuple[str, ...]
    with_figure: str
    without_figure: str


@dataclass(frozen=True)
class CueClass:
    """A class of cues matched on lemmas: one of the verbs, followed within ``reach`` words in
    the same clause by one of the objects ("bagged a ₹750 crore order"); with no objects, each
    verb phrase is a cue on its own. The objects ``<ORG>`` (any organisation named),
    ``<SUPPLIER>`` (one that is not a vehicle maker) and ``<TECH>`` (a technology) stand for a
    name ("acquired <ORG>", "now gets <TECH>")."""

    type: str
    verbs: tuple[str, ...]
    objects: tuple[str, ...] = ()
    reach: int = 6
    weak: bool = False                  # counts only with a figure the type takes
    passive: bool = False               # the object may also come first ("the order was won")
    sentence_words: tuple[str, ...] = ()   # one of these lemmas must be in the sentence …
    or_customer: bool = False           # … or a customer named in it (or in the context)
    yields_to: tuple[str, ...] = ()     # not when the sentence has a cue of these types (or TRANSFER)
    subject: bool = False               # about the organisation named before it, whatever its role
    about_object: bool = False          # about the organisation that is its object ("selected X")
    units: tuple[str, ...] = ()         # a weak class's figures, if not its type's weak units
    via: tuple[str, ...] = ()           # a name object only with one of these words before it
    buyer_subject: bool = False         # the organisation named before it buys: the customer
    not_after: tuple[str, ...] = ()     # no cue right after these words or phrases ("on show", "the show")
    verb_only: bool = False             # the cue is the verb alone: who comes after it is read as
                                        # after a cue ("showed our solar glass" is ours)
    owner_before: bool = False          # about the organisation named right before it, whatever
                                        # its role ("after Meridian shuts its plant")
    no_figure: bool = False             # its signal takes no figure ("with Kestrel supplying the
                                        # rest": the 60% named is the other supplier's)
    recipient: bool = False             # about the organisation named right after its verb, the
                                        # one named before buying ("BEST awarded Olectra a contract")
    recipient_required: bool = False    # (recipient = "required": no cue without one named: "has
                                        # cost Clarity the business", not "a gross cost contract")
    not_with_units: tuple[str, ...] = ()  # no cue when its sentence has a figure in one of these
                                        # units ("halted production 2 hrs" is a stoppage)


@dataclass(frozen=True)
class Lexicon:
    types: dict[str, SignalType]
    switches: tuple[SwitchCue, ...]
    classes: tuple[CueClass, ...]
    negators_before: frozenset[str]
    negators_after: frozenset[str]
    window_before: int
    window_after: int
    neutral: tuple[tuple[str, frozenset[str]], ...]     # (phrase, types or {"*"}; INSIDE_ONLY: only
                                                        # a cue inside the phrase is cancelled)
    boundaries: frozenset[str]
    hedges: tuple[str, ...]
    own_pronouns: frozenset[str]
    other_pronouns: frozenset[str]
    subject_phrases: tuple[str, ...]
    org_suffixes: frozenset[str]
    org_heads: frozenset[str]
    org_descriptors: tuple[str, ...]
    titles: frozenset[str]
    not_acronyms: frozenset[str]
    places: frozenset[str]
    not_names: frozenset[str]
    fingerprint: str
    # a company's abbreviation that is also a post ("GM"), and the words around it that say post
    job_titles: frozenset[str] = frozenset()
    job_title_before: frozenset[str] = frozenset()
    job_title_after: frozenset[str] = frozenset()
    # capitalised words that end the name of an award or an event, not of an organisation
    event_words: frozenset[str] = frozenset()
    # public bodies that buy vehicles by tender: words of their names, their abbreviations and
    # the endings of those ("KSRTC")
    public_buyer_words: frozenset[str] = frozenset()
    public_buyer_abbreviations: frozenset[str] = frozenset()
    public_buyer_endings: tuple[str, ...] = ()
    public_buyer_after_places: frozenset[str] = frozenset()
    lower_places: frozenset[str] = frozenset()
    # words that after a catalog name make a division or product of it, not another company's name
    division_words: frozenset[str] = frozenset()
    # figures (signals.toml [figures]): where a figure's clause ends, words that make a "%" a
    # difference from another figure, price moves down and up, and the types whose "%" is an
    # amount moved, never a level
    figure_boundaries: frozenset[str] = frozenset()
    comparatives: frozenset[str] = frozenset()
    price_down: frozenset[str] = frozenset()
    price_up: frozenset[str] = frozenset()
    moved_share_types: frozenset[str] = frozenset()
    # negation: a negator right before one of these negates the naming, not the cue ("a carmaker
    # it did not name has cancelled the order")
    naming_verbs: frozenset[str] = frozenset()


CLASS_KEY_PREFIX = "CLASS:"
NAME_OBJECTS = ("<ORG>", "<SUPPLIER>", "<TECH>")   # a cue class's object that is a name


def class_phrase_keys(lexicon: Lexicon) -> list[str]:
    """The matcher key of every distinct verb and object phrase of the cue classes."""
    phrases: dict[str, None] = {}
    for cue_class in lexicon.classes:
        for phrase in (*cue_class.verbs, *cue_class.objects):
            if phrase not in NAME_OBJECTS:
                phrases.setdefault(phrase, None)
    return [CLASS_KEY_PREFIX + phrase for phrase in phrases]


def _data_file(name: str) -> Path:
    return Path(str(resources.files("compintel") / "data" / name))


def load_lexicon(signals_path: Path | None = None, organisations_path: Path | None = None) -> Lexicon:
    """Read ``signals.toml`` and ``organisations.toml`` (the built-in ones by default)."""
    signals_path = signals_path or _data_file("signals.toml")
    organisations_path = organisations_path or _data_file("organisations.toml")
    digest = hashlib.sha256()
    parsed = []
    # (the lemma table's corrections change what the cue classes match: part of the fingerprint)
    digest.update(_data_file("lemmas.toml").read_bytes())
    for path in (signals_path, organisations_path):
        raw = path.read_bytes()
        digest.update(raw)
        try:
            parsed.append(tomllib.loads(raw.decode("utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UserError(f"cannot read the lexicon: {exc}", path=path) from None
    signals, organisations = parsed
    types = {}
    for name, spec in signals.get("types", {}).items():
        if name not in SIGNAL_TYPES:
            raise UserError(f"unknown signal type {name!r}", path=signals_path,
                            hint="types: " + ", ".join(SIGNAL_TYPES))
        units = tuple(spec.get("units", ()))
        bad = [unit for unit in units if unit not in UNITS]
        if bad:
            raise UserError(f"unknown unit {bad[0]!r} for {name}", path=signals_path,
                            hint="units: " + ", ".join(UNITS))
        unknown = [other for key in ("weak_yields_to", "money_yields_to") for other in spec.get(key, ())
                   if other not in SIGNAL_TYPES]
        if unknown:
            raise UserError(f"{name} yields to an unknown signal type {unknown[0]!r}", path=signals_path,
                            hint="types: " + ", ".join(SIGNAL_TYPES))
        types[name] = SignalType(name, tuple(spec.get("cues", ())),
                                 tuple(spec.get("failure_cues", ())),
                                 tuple(spec.get("weak_cues", ())), units,
                                 tuple(spec.get("weak_units", units)),
                                 tuple((unit, float(value)) for unit, value
                                       in spec.get("weak_minimum", {}).items()),
                                 bool(spec.get("requires_technology", False)),
                                 bool(spec.get("requires_actor", False)),
                                 bool(spec.get("requires_company", False)),
                                 tuple(spec.get("weak_yields_to", ())),
                                 float(spec.get("count_minimum", 0)),
                                 tuple(spec.get("money_yields_to", ())),
                                 bool(spec.get("requires_customer", False)))
    switches = []
    for spec in signals.get("switch", ()):
        for key in ("with_figure", "without_figure"):
            if spec.get(key) not in SIGNAL_TYPES:
                raise UserError(f"switch {key} must be a signal type, got {spec.get(key)!r}",
                                path=signals_path)
        switches.append(SwitchCue(tuple(spec.get("cues", ())), spec["with_figure"],
                                  spec["without_figure"]))
    classes = []
    for number, spec in enumerate(signals.get("class", ()), 1):
        if spec.get("type") not in SIGNAL_TYPES:
            raise UserError(f"cue class {number} has unknown type {spec.get('type')!r}", path=signals_path,
                            hint="types: " + ", ".join(SIGNAL_TYPES))
        unknown = [name for name in spec.get("yields_to", ()) if name not in (*SIGNAL_TYPES, TRANSFER)]
        if unknown or not spec.get("verbs"):
            raise UserError(f"cue class {number} ({spec['type']}) needs verbs and known yields_to types",
                            path=signals_path)
        classes.append(CueClass(spec["type"], tuple(spec["verbs"]), tuple(spec.get("objects", ())),
                                int(spec.get("reach", 6)), bool(spec.get("weak", False)),
                                bool(spec.get("passive", False)), tuple(spec.get("sentence_words", ())),
                                bool(spec.get("or_customer", False)), tuple(spec.get("yields_to", ())),
                                bool(spec.get("subject", False)), bool(spec.get("about_object", False)),
                                tuple(spec.get("units", ())), tuple(spec.get("via", ())),
                                bool(spec.get("buyer_subject", False)),
                                tuple(word.lower() for word in spec.get("not_after", ())),
                                bool(spec.get("verb_only", False)),
                                bool(spec.get("owner_before", False)), bool(spec.get("no_figure", False)),
                                bool(spec.get("recipient", False)),
                                spec.get("recipient") == "required",
                                tuple(spec.get("not_with_units", ()))))
    negation = signals.get("negation", {})
    figures = signals.get("figures", {})
    pronouns = signals.get("pronouns", {})
    return Lexicon(
        types=types,
        switches=tuple(switches),
        classes=tuple(classes),
        negators_before=frozenset(w.lower() for w in negation.get("before", ())),
        negators_after=frozenset(w.lower() for w in negation.get("after", ())),
        window_before=int(negation.get("window", 4)),
        window_after=int(negation.get("window_after", 3)),
        naming_verbs=frozenset(w.lower() for w in negation.get("naming", ())),
        neutral=tuple((item["phrase"].lower(), frozenset(item["types"]) | ({INSIDE_ONLY} if item.get("inside") else set()))
                      for item in negation.get("neutral", ())),
        boundaries=frozenset(w.lower() for w in negation.get("boundaries", ())),
        hedges=tuple(h.lower() for h in signals.get("hedges", {}).get("phrases", ())),
        own_pronouns=frozenset(pronouns.get("own", ())),
        other_pronouns=frozenset(pronouns.get("other", ())),
        subject_phrases=tuple(pronouns.get("subject", ())),
        org_suffixes=frozenset(organisations.get("suffixes", ())),
        org_heads=frozenset(organisations.get("heads", ())),
        org_descriptors=tuple(organisations.get("descriptors", ())),
        titles=frozenset(organisations.get("titles", ())),
        not_acronyms=frozenset(word.upper() for word in organisations.get("not_acronyms", ())),
        places=frozenset(organisations.get("places", ())),
        not_names=frozenset(organisations.get("not_names", ())),
        fingerprint=digest.hexdigest()[:16],
        job_titles=frozenset(organisations.get("job_titles", ())),
        job_title_before=frozenset(word.lower() for word in organisations.get("job_title_before", ())),
        job_title_after=frozenset(organisations.get("job_title_after", ())),
        event_words=frozenset(organisations.get("event_words", ())),
        public_buyer_words=frozenset(word.lower() for word in organisations.get("public_buyer_words", ())),
        public_buyer_abbreviations=frozenset(word.lower() for word in organisations.get("public_buyer_abbreviations", ())),
        public_buyer_endings=tuple(word.lower() for word in organisations.get("public_buyer_abbreviation_endings", ())),
        public_buyer_after_places=frozenset(word.lower() for word in organisations.get("public_buyer_after_places", ())),
        lower_places=frozenset(word.lower() for word in organisations.get("places", ())),
        division_words=frozenset(organisations.get("division_words", ())),
        figure_boundaries=frozenset(w.lower() for w in figures.get("clause_boundaries", ())),
        comparatives=frozenset(w.lower() for w in figures.get("comparatives", ())),
        price_down=frozenset(w.lower() for w in figures.get("price_down", ())),
        price_up=frozenset(w.lower() for w in figures.get("price_up", ())),
        moved_share_types=frozenset(figures.get("moved_share_types", ())),
    )
