"""Signals: cue phrases from the lexicon, turned into attributed, graded signals with figures.

For every cue in a sentence the component decides:

* whether it counts — a weak cue needs a figure of its type in the sentence; a negator just
  before or after it in the same clause ("no complaints", "prices not revised") or a neutral
  phrase ("prices held") cancels it; some types need a technology named, or an actor;
* who it is about — the nearest company mention (preceding ones first): a company, a company's
  own plant, "we/our" for our own company, "they/their" for the competitor in context or the
  last one named, "the company" for the document's subject; a list ("Kestrel, Vitreon and
  Sunmarg") gives each member a signal; else the document's context competitor;
* at which customer — a customer, or a customer's plant or vehicle, in the sentence; else the
  document context (a note's front matter, a source's tags); else the last customer the
  document named. A competitor's own capacity, partnership or results get a customer only from
  a named customer or the context, not from a nearby plant;
* which figure belongs to it — the nearest figure in a unit the type takes, preferring one not
  yet claimed, one after "to"/"at" over one after "from";
* its grade — ``rumoured`` when the sentence hedges, else the context grade.

Business moving "from X to Y" makes a supply loss for X and a win for Y. A company named with
its own figure ("VAGL PPM 380 vs ours 72") gets its own signal. Within a document, one signal
per (type, company, customer) is kept, as an analyst would count them.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from operator import attrgetter, itemgetter
from typing import NamedTuple

from spacy.attrs import LOWER, NORM, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import minibatch

from ..catalog import Catalog
from .batching import BatchedComponent
from .docdata import (
    CLASS_MATCHES,
    CONTEXT,
    ENTITIES,
    FIGURES,
    SENTENCE_STARTS,
    SIGNALS,
    StringCache,
    doc_text,
    end_char,
    token_starts,
    user_data_extension,
    word_end_char,
)
from .lemmas import class_phrase_groups
from .lexicon import CLASS_KEY_PREFIX, FOREIGN_UNITS, INSIDE_ONLY, MONEY_UNITS, TRANSFER, Lexicon
from .lexicon import NAME_OBJECTS as _NAME_OBJECTS
from .recall import RecallModel

_COMPANY_LABELS = ("COMPETITOR", "OWN_COMPANY")
# An organisation outside the catalog is a party by its text: "org:<text>" inside this module,
# ``company_name``/``customer_name`` (with no id) on a Signal.
ORG_PREFIX = "org:"
_ORG_PREFIX_LENGTH = len(ORG_PREFIX)
_SUBJECT_TYPES = frozenset({"capacity", "financial_result", "partnership", "technology_launch"})
_COMPARE_WORDS = frozenset({"vs", "vs.", "versus", "than", "compared", "v/s", "below", "under"})
_TO_WORDS = frozenset({"to", "at", "of", "reached", "touched", "hit", "is", "was", "@", ":", "=",
                       "around", "about", "~", "nearly", "almost", "over", "above", "below", "under",
                       "now"})
_FROM_WORDS = frozenset({"from", "earlier", "previously", "last", "vs", "versus", "against", "than"})
# before a previous value: "down from 84", "(was 70%)"
_PREVIOUS_WORDS = frozenset({"from", "was", "earlier", "previously"})
_UP_FROM_REACH = 18       # tokens from a figure to the ", up from" one it came from
_COMPARED_REACH = 20      # … and to one compared as an earlier period's ("against Rs 71 crore a year ago")
_FROM_REACH = 12          # … and to one after "from" in its clause
# words between "from" and the figure it names ("from just 0.3 percent")
_FIGURE_HEDGES = frozenset({"just", "only", "about", "around", "nearly", "roughly", "some", "barely",
                            "approximately", "approx", "approx.", "~", "over", "under", "almost", "a", "mere"})
_DESCRIBING_DURATION = 12   # a duration that describes the event ("a two-day strike") beside a count
_TARGET_REACH = 12      # tokens from a figure to the one it rises or falls to
# before a figure something goes to: "should reach 60 per cent", "to rise to Rs 400 crore"
_TARGET_VERBS = frozenset({"reach", "reaches", "touch", "touches", "hit", "cross", "exceed"})
_RISE_TO_VERBS = frozenset({"rise", "grow", "climb", "double", "triple", "jump", "increase", "go", "surge",
                            "fall", "drop", "decline", "shrink", "rises", "grows", "climbs", "doubles", "rose",
                            "grew", "climbed", "doubled", "jumped", "increased", "fell", "dropped", "declined"})
# a negation before these does not reach past them: "could not be had amid the chip shortage"
_NEGATION_STOPS = frozenset({"amid", "amidst", "despite"})
# conjunctions that open another clause ("…, while Vitreon has not …")
_CLAUSE_CONJUNCTIONS = frozenset({"while", "whereas", "although", "though"})
# … and a negation after a cue does not reach back over them, nor over a reason: "had to shut
# assembly plants because suppliers could not deliver enough parts" (the plants were shut)
_NEGATION_STOPS_AFTER = _CLAUSE_CONJUNCTIONS | {"because", "since"}
_OTHER_CLAUSE_MENTION = 15    # words a name in another clause than the cue's counts as further away
# after "each", no price each: "each reported declines of 4-7 per cent", "built … each year"
_NOT_PRICED_EACH = frozenset({"reported", "posted", "recorded", "saw", "logged", "registered", "year", "month",
                              "day", "week", "quarter", "fiscal"})
# after "our"/"their", whose opinion it is, not who acts: "by our estimate", "in their view"
_OPINION_NOUNS = frozenset({"estimate", "estimates", "view", "views", "reckoning", "assessment", "calculation",
                            "calculations", "understanding", "sources", "information", "guess", "count"})
# what is met that is no one met: "met 98 per cent of schedules", "to be met through internal accruals"
_MET_TARGETS = frozenset({"through", "from", "targets", "target", "schedules", "schedule", "deadline",
                          "deadlines", "demand", "norms", "requirements", "requirement", "expectations",
                          "obligations", "commitments", "goals", "goal", "criteria", "standards"})
# what a buyer floats: "BEST's tender", "Navika's RFQ" (not "Vitreon's bid")
_TENDER_NOUNS = frozenset({"tender", "tenders", "rfq", "rfqs", "rfp", "rfps", "rfi", "enquiry", "enquiries",
                           "inquiry", "inquiries", "e-tender", "tendering"})
# between what was given and an order's word, they say something else was given: "gave Vitreon an
# ultimatum on the Koru contract", "handed Sunmarg a notice over its contract"
_GIVEN_THINGS_AFTER = frozenset({"on", "over", "about", "regarding", "against", "under", "to"})
# after "pay more" or "pay less", what is paid is no price: "pay more attention to", "pay less in interest"
_NOT_PAID_FOR = frozenset({"attention", "heed", "in", "tax", "taxes", "interest", "salaries", "wages", "dividend"})
# between "by" and a figure: "by up to 3 percent", "by as much as Rs 50,000"
_ABOUT_WORDS = frozenset({"up", "to", "as", "much", "about", "around", "nearly", "almost", "over", "roughly",
                          "some", "an", "average", "of", "a", "further"})
_CARMAKER_NOUNS = frozenset({"carmaker", "automaker", "oem", "automobile-maker", "truckmaker", "bus-maker"})
# the suppliers named right after these and a comma: "its glass suppliers, Kestrel and Clarity among them"
_SUPPLIERS_NAMED = frozenset({"suppliers", "vendors", "glassmakers", "makers", "supplier", "vendor"})
# a subject phrase ending in these is a supplier named before in the sentence ("the glass maker")
_SUPPLIER_NOUNS = frozenset({"glassmaker", "maker", "supplier", "supplier's", "glassmaker's", "maker's"})
_LATER_CUE = 3     # words a figure's distance from a signal's second cue counts extra (its third: twice)
_OTHER_CLAUSE_CUE = 10   # … and more when that cue stands in another clause than the first
_PRICE_WORDS_BEFORE, _PRICE_WORDS_AFTER = 10, 5    # how far a price-move word is looked for
# a percentage after these and "to" is where a level went, not a price change
_MOVED_TO = frozenset({"fell", "dropped", "down", "rose", "slipped", "climbed", "declined", "went",
                       "came", "grew", "jumped", "slid", "moved", "shrank", "reduced", "increased"})
_STOCK_WORDS = frozenset({"shares", "stock", "scrip", "stocks", "sensex", "nifty", "bse", "nse"})
_WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday"})
# right before a percentage, the size of a move: "rose 12.2 percent", "fell over 3%"
_MOVED_BY = _MOVED_TO - {"went", "came", "moved"} | {"up", "gained", "lost", "surged", "plunged", "jumped",
                                                    "rising", "falling", "climbing", "growing", "grown",
                                                    "risen", "fallen", "added", "shed", "soared", "tumbled"}
# before a share level, which is no amount of business moved: "takes 100%", "down to 40%"
_LEVEL_WORDS = frozenset({"to", "at", "takes", "take", "gets", "get", "keeps", "keep", "holds", "hold",
                          "is", "was", "now", "from", "with", "reach", "reaches", "reached", "reaching"})
# in a KAM's note, a signal of these types that names no company is ours (a KAM sees only our own
# rating; unnamed prices were tried too and cost figures on the held-out notes)
_OURS_UNNAMED = frozenset({"vendor_rating"})
# "they" before these is the customer asking, not a competitor: "(they asked 3%)"
_BUYER_VERBS = frozenset({"asked", "ask", "asks", "want", "wants", "wanted", "demanded", "demand",
                          "demands", "requested", "insisted", "expect", "expects", "expected"})
# period words inside brackets before a previous value: "84% (Jul 92%)", "11 (Q1 was 4)"
_PERIOD_WORDS = frozenset({"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                           "dec", "january", "february", "march", "april", "june", "july", "august",
                           "september", "october", "november", "december", "q1", "q2", "q3", "q4", "h1", "h2",
                           "last", "prev", "previous", "earlier", "month", "mth", "qtr", "quarter", "year", "yr",
                           "was", "then", "before"})
# after a compared figure, saying it is an earlier one: "93% vs 98% last qtr"
_EARLIER_AFTER = frozenset({"last", "previously", "earlier", "prev", "previous", "before", "ly"})
_COMPARED_EARLIER = _COMPARE_WORDS | {"against"}
_APPOSITION_OPENERS = frozenset({"the", "a", "an", "india's", "its", "which", "who"})
# words on the way from a compared figure to its "earlier": "in the same period a year ago", "in the
# year-ago quarter", "in the corresponding quarter of the previous year"
_EARLIER_PERIOD_WORDS = frozenset({"a", "year", "quarter", "period", "fiscal", "month", "-", "corresponding",
                                   "same", "comparable", "half", "financial"})
_LIST_PREPOSITIONS = frozenset({"of", "to", "for", "unlike", "like", "with", "from", "by", "at", "and", "than",
                                "between", "among", "including", "beside", "besides", "against"})
_START_VERBS = frozenset({"start", "starts", "started", "starting", "begin", "begins", "began", "begun",
                          "beginning", "commence", "commences", "commenced", "commencing"})
_STARTING_HELPERS = frozenset({"would", "will", "is", "was", "are", "were", "be", "to", "due", "expected", "set",
                               "likely", "slated", "scheduled", "poised", "about", "should", "could", "may",
                               "might", "has", "have", "had", "now", "soon", "also", "finally"})
_STARTING_MODELS = frozenset({"mpv", "mpvs", "suv", "suvs", "sedan", "sedans", "hatchback", "hatchbacks", "pickup",
                              "pickups", "car", "cars", "truck", "trucks", "model", "models", "programme",
                              "programmes", "program", "programs", "platform", "platforms", "variant",
                              "variants", "facelift", "vehicle", "vehicles", "bus", "buses"})
# a part of a seller's own selling: "ships nearly 90% of its output to Hyundai", "sends around 25
# per cent of its production to M&M" (the share of business cue is the one inside)
_SHARE_OF_ITS_OWN = tuple(f" of {owner} {what} " for owner in ("its", "their")
                          for what in ("output", "production", "sales", "revenue", "revenues", "turnover"))
_DIVESTED = frozenset({"business", "businesses", "operations", "stake", "division", "subsidiary", "assets",
                       "shares", "holding", "holdings"})
_TRIAL_WORDS = frozenset({"trial", "pilot", "test", "trial-run", "sample", "prototype"})
# "12 per cent above the Rs 482 crore of a year earlier": a compared figure after "the"
_COMPARED_THE = frozenset({"above", "below", "than", "over", "against", "under"})
# "the Rs 56 crore it earned a year earlier": what a company did with the earlier figure
_EARLIER_DID = frozenset({"it", "they", "reported", "earned", "posted", "made", "recorded", "logged",
                          "booked", "clocked", "had", "was", "in", "of", "for", "the", "same", "corresponding"})
_MONTH_WORDS = _PERIOD_WORDS - {"last", "prev", "previous", "earlier", "month", "mth", "qtr", "quarter",
                                "year", "yr", "was", "then", "before", "h1", "h2", "q1", "q2", "q3", "q4"}
# who is beaten is no subject: "came in lowest, undercutting Kestrel by about 4 per cent", "was
# awarded the business, edging out Sunmarg"
_OUTDONE_AFTER = frozenset({"undercutting", "undercut", "undercuts", "edging out", "edged out", "edges out",
                            "beating", "pipping", "pipped", "outbidding", "outbid", "outbids", "elbowing out",
                            "elbowed out", "ahead of"})
# before the organisation a report comes from ("according to Mint", "reported by Reuters"), and
# who is "quoted by" it ("an army source quoted by PTI"; not "the price quoted by Tata Motors")
_SOURCE_BEFORE = frozenset({("according", "to"), ("reported", "by"), ("cited", "by")})
_SOURCE_PEOPLE = frozenset({"source", "sources", "official", "officials", "executive", "executives",
                            "person", "people", "spokesperson", "spokesman", "spokeswoman", "analyst", "analysts"})
# words of a cue that say a bid was made, not a tender floated ("submitted the lowest bid")
_BID_WORDS = frozenset({"bid", "bids", "bidder", "bidders", "bidding"})
# … where the bid is a modifier ("bid evaluation", "bidding rules")
_BID_MODIFIED = frozenset({"evaluation", "deadline", "opening", "docs", "documents", "process", "rules",
                           "conditions", "committee", "window", "date", "due", "security", "bond"})
# what follows a maker's own bid: "Tata Motors' bid was thrown out", "… bid to supply"
_AFTER_A_BID = frozenset({"was", "is", "has", "had", "to", "for", "of", "at", "came", "worked", "would", "will"})
# the words between a maker and its own bid: "submitted the lowest", "was the lowest", "put in a"
_BIDDING_WORDS = frozenset({"submitted", "placed", "made", "put", "in", "was", "were", "is", "has", "had",
                            "have", "been", "the", "a", "an", "its", "lowest", "highest", "only", "sole",
                            "l1", "emerged", "as", "came", "out", "winning", "also", "successful"})
# a bidder's place below the winner's, right after its name ("Vitreon placed second", "Sunmarg third")
_RANKED_BELOW = frozenset({"second", "third", "fourth", "l2", "l3", "l4"})
_RANKED_WORDS = _RANKED_BELOW | {"behind"}
# the words before the customers a plant serves, and those that say it serves none of them
_SERVING_WORDS = frozenset({"serve", "serves", "serving", "supply", "supplies", "supplying", "for", "feed",
                            "feeds", "feeding", "cater", "caters", "catering", "to", "like", "as", "including"})
_NOT_SERVED_WORDS = frozenset({";", "not", "no", "after", "unlike", "losing", "lost", "failed",
                               "once", "while", "whereas"})
# a winner's place in a tender: "came out L1 …, ahead of Vitreon"
_RANKED_FIRST = frozenset({"l1", "l-1", "lowest", "emerged", "topped", "first"})
# what stands after a rank that is a bidder's place ("Vitreon placed second, …", "Sunmarg third."),
# not an ordinal of something else ("second furnace", "third quarter")
_AFTER_A_RANK = frozenset({",", ".", ";", "and", "in", "place", "with", "on", "for", ")", "behind", "-"})
_BEFORE_A_RANK = frozenset({"placed", "ranked", "came", "finished", "stood", "was", "is"})
_TENDER_WORDS = frozenset({"tender", "tenders", "rfq", "rfqs", "bid", "bids", "bidder", "bidders", "l1", "l-1"})
_BEATEN_BIDDER_BEFORE = frozenset({"undercutting", "undercut", "undercuts", "edging", "edged", "edges", "beating",
                                   "pipping", "pipped", "outbidding", "outbid", "outbids", "elbowing", "elbowed",
                                   "ahead"})
# units whose previous value may be written as a bare number: "79%, down from 84"
_SCORE_UNITS = ("%", "ppm", "points")
_LIST_JOINERS = frozenset({",", "and", "&", "/", "as", "well", "both", "or", "plus", "+"})
_SITE_WORDS = frozenset({"plant", "plants", "factory", "factories", "facility", "facilities", "unit", "units"})
_TRANSFER_VERBS = frozenset({
    "shift", "shifts", "shifting", "shifted", "move", "moves", "moving", "moved", "transfer",
    "transfers", "transferring", "transferred", "switch", "switches", "switching", "switched",
    "divert", "diverts", "diverting", "diverted", "lost", "lose", "loses", "losing", "won", "win",
    "wins", "winning", "wrested", "replacing", "replaced", "replace", "replaces", "resourced", "re-sourced",
    "displace", "displaces", "displacing", "displaced", "oust", "ousts", "ousting", "ousted", "dislodge",
    "dislodges", "dislodging", "dislodged"})
# the transfer verbs that say business moved, whoever won or lost it
_MOVE_VERBS = frozenset(word for word in _TRANSFER_VERBS if word.startswith(
    ("shift", "mov", "transfer", "switch", "divert", "resourc", "re-sourc")))
# a share that fell as business moved ("slipped to 40% from 55%"), and a supplier's hold on what
# moved ("ending Clarity's six-year run as sole source")
_FALL_WORDS = frozenset({"fell", "fall", "falls", "falling", "slipped", "slip", "slips", "dropped", "drop", "drops",
                         "declined", "decline", "declines", "shrank", "shrunk", "shrinks", "down", "lower", "halved",
                         "eroded", "plunged", "slid", "slide", "dipped"})
_HELD_BUSINESS_WORDS = frozenset({"work", "run", "source", "supplier", "role", "tooling", "volume", "volumes"})
# everyday verbs that move business only when business is what moves (see _transfers)
_GENERIC_TRANSFER_VERBS = frozenset({
    "take", "takes", "taking", "took", "taken", "hand", "hands", "handing", "handed", "go", "goes",
    "going", "gone", "pull", "pulls", "pulling", "pulled", "place", "places", "placing", "placed",
    # "gave Excellent Awards to Denso" hands out prizes, not business
    "give", "giving", "gave", "given", "award", "awarded", "awarding"})
_BUSINESS_WORDS = frozenset({"business", "order", "orders", "volume", "volumes", "share", "it", "them",
                             "part", "parts", "contract", "programme", "program", "supply", "supplies",
                             "sob", "nomination"})
_WIN_AFTER = frozenset({"to", "with"})     # "… to Y", "replacing it with Y"
# "lost 320 vehicles due to Clarity's shortfall": a cause, not where business went
# what a "unit" or a "centre" does when it is an office: "a global procurement unit"
_OFFICE_WORDS = frozenset({"procurement", "purchasing", "sourcing", "sales", "marketing", "business",
                           "design", "software", "it", "finance", "service", "services", "support", "liaison"})
# a supply verb's past participle right after a noun describes it: "a windshield made with Gorilla
# Glass for the Ford GT", "223 windshields made in 2018" — unless a pronoun or an auxiliary is its subject
_PARTICIPLES = frozenset({"made", "produced", "built"})
_PARTICIPLE_VERB_BEFORE = frozenset({"has", "have", "had", "it", "they", "we", "which", "that", "who",
                                     "also", "already", "once", "and"})
# the verbs before "up to" that make the share an amount moved ("could lose up to 50%"), not a level
# reached ("now up to 45% of the business")
_MOVING_VERBS = frozenset({"lose", "losing", "lost", "loses", "win", "winning", "won", "wins", "gain", "gaining",
                           "shift", "shifting", "move", "moving", "transfer", "transferring", "cost", "forfeit"})
# supply verbs that need a product between them and the buyer: "make the acoustic windshield for
# Navika" (not "make a presentation to Navika", "made changes to its quotation for Meridian")
_MAKE_VERBS = frozenset({"make", "makes", "made", "making", "produce", "produces", "produced", "producing",
                         "turn", "turns", "turned", "turning"})
# a percentage before these is a change ("a 3% increase kicks in"), not a level ("60% up from 50%")
_CHANGE_NOUNS = frozenset({"increase", "increases", "hike", "hikes", "rise", "rises", "cut", "cuts", "reduction",
                           "reductions", "decrease", "drop", "fall", "jump", "growth", "surge", "decline"})
_GAP_NEGATORS = frozenset({"no", "not", "never", "n't"})
_MAKER_SLACK = 6           # tokens a maker's name may add between a verb and its product
_POSSESSIVE_MARKS = frozenset({"'s", "’s", "'"})
# an aside naming whose part a company is: "Olectra Greentech, a MEIL subsidiary, has won"
_ASIDE_WORDS = frozenset({"subsidiary", "unit", "arm", "division", "affiliate", "part", "member", "owned", "flagship",
                          "controlled", "backed", "venture", "associate", "sister", "company", "firm"})
_STAKE_WORDS = frozenset({"stake", "equity", "shareholding", "jv"})
_STAKE_PENALTY = 12
# "a contract from HMSI worth INR 294 million and an order …": a worth describes what came before
_WORTH_AFTER_ITS_BUSINESS = 12
_CALL_WORDS = frozenset({"call", "calls", "called", "calling"})     # … back: a recall
# how far after a company named after a share its own percentage may stand ("whereas Hyundai
# Motor India slipped to 11.96%", "Tata Motors next at 37 percent")
_LATER_SHARE_REACH = 8
_CAUSE_BEFORE_TO = frozenset({"due", "owing", "thanks", "according", "next", "close", "compared", "relative"})
_WIN_VERBS = frozenset({"won", "win", "wins", "winning"})
_WORK_SHIFTS = frozenset({"first", "second", "third", "1st", "2nd", "3rd", "night", "day", "morning", "evening",
                          "extra", "additional", "one", "two", "three", "each", "per", "every", "general"})
# "… to supply 1,290 buses to GSRTC": who is supplied buys, and wins nothing
_SUPPLY_VERBS = frozenset({"supply", "supplies", "supplying", "deliver", "delivers", "delivering", "ship",
                           "ships", "shipping", "sell", "sells", "selling", "provide", "provides", "providing"})
_REPLACING = frozenset({"replacing", "replaced", "replace", "replaces", "displace", "displaces", "displacing",
                        "displaced", "oust", "ousts", "ousting", "ousted", "dislodge", "dislodges", "dislodging",
                        "dislodged", "expense"})
_LOSS_AFTER = frozenset({"from", "off"})   # "… from X", "took it off X"
# a transfer verb after these is only tried ("hopes to dislodge", "is trying to oust us"); one that
# could happen ("could move … away from Delphi") is a rumoured signal, as the labelled sets have it
_ATTEMPTS = frozenset({"hope", "hopes", "hoping", "hoped", "try", "tries", "trying", "tried", "want", "wants",
                       "wanting", "wanted", "aim", "aims", "aiming", "seek", "seeks", "seeking", "attempt",
                       "attempts", "attempting", "looking", "bid", "bidding", "bids"})
_HYPOTHESES = frozenset({"if", "unless"})   # an opening clause where nothing has happened yet
# the words before a passive verb ("has been cancelled", "now stands terminated")
_PASSIVE_AUXILIARIES = frozenset({"been", "was", "were", "is", "are", "be", "being", "stands", "stood"})
_TRANSFER_REACH = 14      # tokens from a transfer verb to the company moved "to" or "from"
_NUMBERED_NAMES = frozenset({"plant", "line", "unit", "no", "no.", "#", "shift", "gate", "lot", "batch",
                             "round", "phase", "hall", "bay", "stage"})
_STRONG, _FAILURE, _WEAK, _SWITCH = "strong", "failure", "weak", "switch"
_CLASS = "class"          # a cue class's cue: its mode is "class<index>"
_MODEL = "model"          # the recall layer's: a cue with no phrase, otherwise a strong one
_TECHNOLOGY_REACH = 8     # tokens between a launch cue and the technology launched
_WIDE_TECHNOLOGY_REACH = 12   # … for a cue that a launch uses most ("has developed what it calls
# the world's lightest windshield"; "launched a tender", "presented its results", "offered a
# price cut", "showed me the backlog" stay near)
_LAUNCH_ONLY_WORDS = frozenset({"developed", "unveiled", "unveil", "unveils", "unveiling", "debut", "debuts",
                                "debuted", "premiere", "premiered", "showcased", "exhibited", "demonstrated",
                                "commercialised", "commercialized"})
_BUYER_TYPES = frozenset({"supply_win", "supply_loss", "rfq"})
# what a public buyer reads of a vehicle maker's: its trials, deliveries, rating, quality, price
# (SignalTagger._sold_to_public_buyers)
_BODY_SIDE_TYPES = frozenset({"customer_engagement", "delivery_performance", "vendor_rating", "quality_ppm",
                              "pricing"})
# the words before a part's maker in a recall: "inflators made by Takata", "glass from Carlex"
_PART_MAKER_MARKERS = frozenset({"by", "from"})
_MOVE_TYPES = frozenset({"supply_win", "supply_loss"})     # business moving: one side's figure is the other's
# types whose signal names two parties (a winner and a buyer, partners): who comes first is no
# sign of whose figure it is
_PARTY_TYPES = frozenset({"supply_win", "supply_loss", "rfq", "partnership", "pricing"})
# a customer's own act that is about the glass maker it names after the cue
_SUPPLIER_SIDE_TYPES = frozenset({"supply_win", "supply_loss", "customer_engagement", "technology_launch",
                                  "vendor_rating", "quality_ppm", "delivery_performance"})
# a recall-layer signal is graded one step below a rule hit's grade (no grade counts as reported)
_LOWER_GRADE = {"observed": "reported", "reported": "rumoured", "rumoured": "rumoured", None: "rumoured"}
_TIE_NOUNS = frozenset({"joint venture", "joint ventures", "jv", "jvs", "alliance", "partnership",
                        "venture", "tie-up", "tie up", "collaboration", "subsidiary"})
_POSSESSIVE_WORDS = frozenset({"'s", "’s", "its"})
# verbs that make a tie news: "formed the joint venture", "the joint venture will be set up"
_TIE_FORMING = frozenset({"form", "forms", "formed", "forming", "set", "sets", "setting", "create", "creates",
                          "created", "creating", "sign", "signs", "signed", "signing", "agree", "agreed", "agrees",
                          "announce", "announced", "announces", "establish", "established", "launch", "launched",
                          "enter", "entered", "into", "float", "floated", "end", "ended", "dissolve", "dissolved",
                          "exit", "exited", "approve", "approved", "approves", "cleared", "clear", "finalise",
                          "finalised", "finalize", "finalized", "conclude", "concluded", "complete", "completed",
                          "seal", "sealed", "ink", "inked"})
_OBJECT_MARKERS = frozenset({"from", "by", "with", "to", "at", "for"})
# … except the one a loss comes from or an award goes to ("business taken from X", "awards to
# X"); business "to X" is for the transfer rules ("awarded to X" is a win, "supplies to X" none)
_OBJECT_MARKERS_BY_TYPE = {"supply_loss": _OBJECT_MARKERS - {"from"},
                           "vendor_rating": _OBJECT_MARKERS - {"to"},
                           "customer_engagement": _OBJECT_MARKERS - {"to"},
                           # "a fire at Magna's plant", "a strike at Orlenhof": where supply stopped
                           "delivery_performance": _OBJECT_MARKERS - {"at", "from"}}
_ARTICLES = frozenset({"the", "a", "an"})
# what may follow a supplier work moved out of: "out of Sunmarg from October", "… by March"
_AFTER_A_SUPPLIER_LEFT = frozenset({"from", "by", "in", "to", "and", "or", "next", "this", "after", "before", "as",
                                    "on", "since", "if", "for", "because", "following", "within", "over", "at",
                                    "once", "when", "while", "which", "who", "that", "soon", "later", "now",
                                    "entirely", "completely", "altogether", "early", "starting", "with",
                                    "planned", "likely", "expected", "possible", "probable", "due", "is", "was",
                                    "will", "would", "has", "had"})
# words of a company's name, never a public buyer's ("Mission Glass Industries", "Army Surplus Pvt Ltd")
_COMPANY_NAME_WORDS = frozenset({"pvt", "pvt.", "private", "ltd", "ltd.", "limited", "inc", "inc.", "llp", "llc",
                                 "gmbh", "industries", "glass", "motors", "systems", "technologies", "armour",
                                 "products", "engineering", "components", "auto", "automotive", "logistics"})
# an order named, won by no one: "the front-runner for the Orvella Police order for 300 cars"
_BARE_ORDER_CUES = frozenset({"order for", "orders for", "order", "orders", "contract for", "contract", "award"})
# firms engaged for advice, no parts: "appointed Ernst & Young as its statutory auditor"
_ADVISER_WORDS = frozenset({"auditor", "auditors", "adviser", "advisers", "advisor", "advisors", "counsel",
                            "consultant", "consultants", "banker", "bankers", "arranger", "arrangers",
                            "lawyers", "lawyer", "registrar", "trustee", "valuer"})
# what moves out of a supplier when it loses business: "move its Prayan backlite tooling out of"
_MOVED_BUSINESS = frozenset({"business", "volume", "volumes", "share", "tooling", "tools", "tool", "moulds",
                             "molds", "mould", "mold", "dies", "programme", "program", "orders", "order", "work",
                             "supplies", "supply", "production", "sourcing", "parts", "part", "contract",
                             "contracts", "schedules", "requirement", "requirements"})
# … business, named before it ("the tender had been awarded to", "the order went to")
_AWARDED_BUSINESS = frozenset({"tender", "tenders", "order", "orders", "contract", "contracts", "business", "deal",
                               "programme", "program", "project", "work", "bid", "volume", "volumes",
                               "nomination", "supply", "supplies", "mandate"})
# business going to the name after "to": "awarded to Evey Trans", "upheld the award to Evey Trans"
_AWARDED = frozenset({"awarded", "award", "given", "handed", "went", "gone", "goes", "passed", "shifted", "moved"})
# a "to" that leads to no one: "supplies close to 60% of Meridian's windshields", "up to 40% of"
_NOT_VIA = (" close to ", " up to ", " due to ", " next to ", " according to ", " nearly to ")
_ORDER_WORDS = frozenset({"order", "orders", "contract", "contracts"})
_BODY_WORDS = frozenset({"Court", "Commission", "Authority", "Tribunal", "Board", "Bureau", "Ministry",
                         "Government", "Department", "Agency", "Regulator", "Exchange", "Ratings"})
_NAME_LABELS = frozenset({"COMPETITOR", "OWN_COMPANY", "CUSTOMER", "ORG"})
_PLACEHOLDER_LABELS = {"<ORG>": _NAME_LABELS, "<SUPPLIER>": _NAME_LABELS - {"CUSTOMER"},
                       "<TECH>": frozenset({"TECHNOLOGY"})}
# the recall layer's types for a doc, left by SignalTagger.pipe for its __call__
_RECALLED = "compintel_recalled"
# roles of organisations outside the catalog remembered at most (SignalTagger.role)
_ORG_ROLES_KEPT = 10_000
# a win cue this close after a loss cue, in its clause, names what was lost: "lost the Kavya
# nomination", "scrapped a Rs 120 crore order for roof glass awarded last year"
_LOSS_OBJECT_REACH = 10
_BUYER_REACH = 12        # tokens from a win, loss or tender cue to "from <buyer>"
_MAKER_REACH = 20        # tokens from a public buyer's trial to "from <vehicle maker>"
_OWNER_REACH = 3         # words between an owner and the cue of its act ("Dhruva decided to close")
# "the former General Motors factory": a carmaker named as a place
_FORMER_WORDS = frozenset({"former", "ex", "erstwhile"})
# an MoU for a plant names the plant's outlay, a venture or a purchase the deal's
_MOU_WORDS = frozenset({"mou", "memorandum", "mous", "memoranda"})
# a note's bulleted line under a heading ("OTIF Sept:" then "* KSG 97%")
_BULLETS = frozenset({"*", "-", "•", "▪", "–", "·", "‣", "◦"})
_BULLET_LINE = re.compile(r"\n[ \t]*[*\-•▪–·‣◦]")     # a text with a bulleted line at all
# the unit of a bare number a signal type claims (see SignalTagger._bare_allowed)
_NUMBER_WORD = re.compile(r"\d[\d,.]*")     # a token that is a number as written


def _is_number(word: str) -> bool:
    return _NUMBER_WORD.fullmatch(word) is not None


_IMPLIED_UNITS = {"quality_ppm": "ppm", "share_of_business": "%", "vendor_rating": "%",
                  "delivery_performance": "%", "pricing": "INR"}


@dataclass(slots=True)
class Signal:
    type: str
    start: int                 # evidence sentence, character offsets
    end: int
    text: str
    company_id: str | None
    customer_id: str | None
    plant_id: str | None
    technology_id: str | None
    value: float | None
    unit: str | None
    grade: str | None
    observed_at: str | None
    cue: str
    company_name: str | None = None     # an organisation outside the catalog: its text (no id)
    customer_name: str | None = None
    method: str = "rule"                # "rule", or "model" for the recall layer's (recall.py)
    previous_value: float | None = None  # "up to 380 from 150", "down from 84": where it was (same unit)


signal_fields = attrgetter(*Signal.__dataclass_fields__)
"""A signal as the pipeline stores it in ``doc.user_data``: a plain tuple in field order (a
batch holds thousands, and plain tuples are not tracked by the garbage collector). The signal
component makes its signals in this form from the start."""
SignalFields = tuple
# the places of the fields the component reads in a signal's tuple
_TYPE, _COMPANY_ID, _CUSTOMER_ID, _VALUE, _UNIT, _GRADE, _CUE, _COMPANY_NAME, _CUSTOMER_NAME, _METHOD = (
    list(Signal.__dataclass_fields__).index(name) for name in (
        "type", "company_id", "customer_id", "value", "unit", "grade", "cue", "company_name", "customer_name",
        "method"))

user_data_extension("signals", SIGNALS, Signal, signal_fields)


class _Role(NamedTuple):
    """What an entity means for attribution (worked out once per label and catalog id)."""

    customer: str | None        # the customer it names, or whose plant or vehicle it is
    company: str | None         # the company a mention of it is about: a competitor, us, a plant's owner
    kind: str | None            # "entity" or "plant" when it mentions a company
    subject: str | None         # whose own plans it can be the subject of
    customer_plant: bool        # a plant of a customer
    names_subject: bool         # can be the document's subject ("the company")


class _Name(NamedTuple):
    """An entity of the document being tagged, with what it means for attribution."""

    start: int                  # token offsets
    end: int
    label: str
    kb_id: str                  # catalog id, "" for an unknown organisation
    role: _Role


_new_name = partial(tuple.__new__, _Name)     # _Name((start, end, label, kb_id, role)), in C


class _Figure(NamedTuple):
    """A figure of the sentence being tagged (figures.Figure's fields, as docdata.FIGURES holds
    them): made from the stored tuple in C (``_figure``), with no Python-level constructor."""

    start: int          # character offsets in the text
    end: int
    value: float
    unit: str | None
    text: str
    per: str | None = None


_figure = partial(tuple.__new__, _Figure)


class _Sentence(NamedTuple):
    start: int      # token offsets
    end: int


def _a_contracts_sum(figure: _Figure) -> bool:
    """Whether a figure is a sum too large for any part's price (₹10 crore or more, 10 million in
    another currency) and not a rate ("per bus"): a contract's or a bid's value."""
    if figure.unit not in MONEY_UNITS or figure.per is not None:
        return False
    return figure.value >= (1e8 if figure.unit == "INR" else 1e7)


def _past_apposition(words: list[str]) -> list[str]:
    """The words after a short apposition that opens them ("Maruti Suzuki, the biggest
    carmaker, recalled …": ", the biggest carmaker," is skipped), else ``words``."""
    if len(words) > 2 and words[0] == "," and words[1] in _APPOSITION_OPENERS:
        close = next((i for i in range(2, min(len(words), 9)) if words[i] == ","), None)
        if close is not None:
            return words[close + 1:]
    return words


class _Mention(NamedTuple):
    """A company mention usable for attribution (an entity, a plant, or a pronoun)."""

    start: int
    end: int
    company_id: str | None
    kind: str                   # entity | plant | org | own | other | subject
    compared: bool = False      # right after "vs"/"than": a compared party, not the subject


# _Mention((start, end, company_id, kind, compared)) without the Python-level __new__: a sentence
# makes one per name, and this is a call into C
_new_mention = partial(tuple.__new__, _Mention)


@dataclass(slots=True)
class _Draft:
    type: str
    company: str | None
    cues: list[tuple[int, int]]
    figure: _Figure | None = None
    customer: str | None = None     # a customer's own news: the customer its clause names
    previous: _Figure | None = None  # the figure it came from ("to 50 % from 30 %")
    figure_token: int = -1          # where its figure starts
    weak: bool = False              # made of weak cues only: it needs a figure of its own
    figureless: bool = False        # made of cues whose signal takes no figure (CueClass.no_figure)


class _DocumentMemory:
    """What earlier sentences of a document mentioned, for attribution across sentences."""

    def __init__(self) -> None:
        self.customer: str | None = None
        self.competitor: str | None = None
        self.subject: str | None = None

    def copy(self) -> _DocumentMemory:
        memory = _DocumentMemory()
        memory.customer, memory.competitor, memory.subject = self.customer, self.competitor, self.subject
        return memory

    def update(self, ents: list[_Name]) -> None:
        subject_set = False
        for ent in ents:
            role = ent.role
            if role.customer:
                self.customer = role.customer
            if ent.label == "COMPETITOR":
                self.competitor = ent.kb_id
            if not subject_set and role.names_subject:
                self.subject = ent.kb_id
                subject_set = True


class SignalTagger(BatchedComponent):
    """Finds cues and assembles :class:`Signal` objects into ``doc._.signals`` (docdata.SIGNALS)."""

    def __init__(self, nlp: Language, catalog: Catalog, lexicon: Lexicon,
                 recall: RecallModel | None = None, class_groups: dict[str, list[str]] | None = None) -> None:
        self.catalog = catalog
        self.lexicon = lexicon
        self._requires_customer = {name: spec.requires_customer for name, spec in lexicon.types.items()}
        self.recall = recall
        self.cues = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.cue_kinds: dict[int, list[tuple[str, str]]] = {}   # key → [(type or switch#, mode)]
        phrases: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for signal_type in lexicon.types.values():
            for mode, cues in ((_STRONG, signal_type.cues), (_FAILURE, signal_type.failure_cues),
                               (_WEAK, signal_type.weak_cues)):
                for cue in cues:
                    phrases[cue.lower()].add((signal_type.name, mode))
        for index, switch in enumerate(lexicon.switches):
            for cue in switch.cues:
                phrases[cue.lower()].add((str(index), _SWITCH))
        # phrases of the same kinds share a matcher key (a key costs the vocabulary a lexeme)
        by_kinds: dict[tuple[tuple[str, str], ...], list[Doc]] = defaultdict(list)
        for phrase, kinds in phrases.items():
            # a phrase that is a strong cue for a type is not also weak for it
            strong = {name for name, mode in kinds if mode in (_STRONG, _FAILURE)}
            kinds = {(name, mode) for name, mode in kinds if not (mode == _WEAK and name in strong)}
            by_kinds[tuple(sorted(kinds))].append(nlp.make_doc(phrase))
        for kinds, docs in by_kinds.items():
            key = "cue:" + " ".join(f"{name}/{mode}" for name, mode in kinds)
            self.cue_kinds[nlp.vocab.strings.add(key)] = list(kinds)
            self.cues.add(key, docs)
        self.markers = self.cues      # one matcher, one pass: markers have their own keys
        self.markers.add("HEDGE", list(nlp.tokenizer.pipe(lexicon.hedges)))
        self.markers.add("SUBJECT", list(nlp.tokenizer.pipe(lexicon.subject_phrases)))
        self.neutral_types: dict[int, frozenset[str]] = {}
        for index, (phrase, types) in enumerate(lexicon.neutral):
            key = f"NEUTRAL{index}"
            self.markers.add(key, [nlp.make_doc(phrase)])
            self.neutral_types[nlp.vocab.strings[key]] = types
        self.markers.add("TRANSFER", list(nlp.tokenizer.pipe(sorted(_TRANSFER_VERBS | _GENERIC_TRANSFER_VERBS))))
        self.transfer_key = nlp.vocab.strings["TRANSFER"]
        negators = sorted({*lexicon.negators_before, *lexicon.negators_after, "n't"})
        self.markers.add("NEGATOR", list(nlp.tokenizer.pipe(negators)))
        self.negator_key = nlp.vocab.strings["NEGATOR"]
        self.markers.add("COMPARE", list(nlp.tokenizer.pipe(sorted(_COMPARE_WORDS | _OUTDONE_AFTER))))
        self.compare_key = nlp.vocab.strings["COMPARE"]
        self._position_keys = frozenset((self.transfer_key, self.negator_key, self.compare_key))
        # cue classes match on lemmas (the pipeline stores each word's as its NORM)
        # each phrase once, whatever the classes that use it: key → [(class index, V|O)]. The
        # entity component finds them in its pass on lemmas (docdata.CLASS_MATCHES); this
        # matcher is used only for a doc that did not go through it.
        self.class_parts: dict[int, list[tuple[int, str]]] = {}
        self._class_matcher: PhraseMatcher | None = None
        self._make_doc = nlp.make_doc
        uses: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for index, cue_class in enumerate(lexicon.classes):
            objects = [phrase for phrase in cue_class.objects if phrase not in _NAME_OBJECTS]
            for part, phrases in (("V", cue_class.verbs), ("O", objects)):
                for phrase in phrases:
                    if (index, part) not in uses[CLASS_KEY_PREFIX + phrase]:
                        uses[CLASS_KEY_PREFIX + phrase].append((index, part))
        # phrases with the same lemmas match together, under their group's first key
        self._class_groups = class_groups if class_groups is not None else class_phrase_groups(nlp, lexicon)
        for first, keys in self._class_groups.items():
            self.class_parts[nlp.vocab.strings.add(first)] = list(dict.fromkeys(
                part for key in keys for part in uses[key]))
        # per phrase key, the classes it is a verb of and those it is an object of; per class,
        # its cue kind and the name placeholders among its objects
        self.class_verbs = {key: [index for index, part in parts if part == "V"]
                            for key, parts in self.class_parts.items()}
        self.class_objects = {key: [index for index, part in parts if part != "V"]
                              for key, parts in self.class_parts.items()}
        self.class_kinds = [[(cue_class.type, f"{_CLASS}{index}")]
                            for index, cue_class in enumerate(lexicon.classes)]
        # a cue kind's mode → (index, class) for a class's cue ("class12"), for the cue loop
        self._class_modes = {f"{_CLASS}{index}": (index, cue_class)
                             for index, cue_class in enumerate(lexicon.classes)}
        self.class_placeholders = [tuple(p for p in _NAME_OBJECTS if p in cue_class.objects)
                                   for cue_class in lexicon.classes]
        # the words a class needs in its sentence, as the lemma hashes a doc's NORM column holds:
        # (single words, phrases of several)
        self.class_sentence_words: list[tuple[frozenset[int], tuple[tuple[int, ...], ...]]] = []
        for cue_class in lexicon.classes:
            phrases = [tuple(token.norm for token in nlp.make_doc(phrase)) for phrase in cue_class.sentence_words]
            self.class_sentence_words.append((frozenset(p[0] for p in phrases if len(p) == 1),
                                              tuple(p for p in phrases if len(p) > 1)))
        self.markers.add("OWN", list(nlp.tokenizer.pipe(sorted(lexicon.own_pronouns))))
        self._org_names = bytearray()      # per document: 1 where an organisation's name is
        # pronouns that refer to a company, and "who" (an apposition with one says who, no kind)
        self._own_or_other = frozenset({*lexicon.own_pronouns, *lexicon.other_pronouns, "who", "whom"})
        self.markers.add("OTHER", list(nlp.tokenizer.pipe(sorted(lexicon.other_pronouns))))
        # per document, set at the start of __call__ (components run one document at a time)
        self._strings = StringCache(nlp.vocab.strings)   # lower-case hash → text
        self._punctuation: dict[int, bool] = {}  # lower-case hash → is punctuation
        self._vocab = nlp.vocab
        self._doc: Doc | None = None
        self._lower: list[str] = []          # the document's lower-case token texts
        self._lower_hashes: list[int] = []
        self._negator_at: list[int] = []
        self._transfer_at: list[int] = []
        self._compare_at: list[int] = []
        self._ranked_at = False
        self._norms: list[int] | None = None
        self._roles: dict[tuple[str, str], _Role] = {}
        self._public_buyers: dict[str, bool] = {}     # organisation → whether a public buyer (bounded too)
        self._org_roles: dict[tuple[str, str], _Role] = {}
        # per type, what choosing its figure needs: (units, count_minimum, an amount moved)
        self._figure_types = {name: (signal_type.units, signal_type.count_minimum,
                                     name in lexicon.moved_share_types)
                              for name, signal_type in lexicon.types.items()}
        # signals with one specific unit choose their figure first (ppm before %)
        self._unit_rank = {name: len([unit for unit in signal_type.units if unit not in FOREIGN_UNITS]) or 99
                           for name, signal_type in lexicon.types.items()}
        self._idx: Sequence[int] = ()
        # (figure token, type) of the figures the last sentence's rule signals took
        self._held_tokens: Sequence[tuple[int, str]] = ()
        self._mention_clause: Callable[[int], int] = _single_clause   # clauses of the sentence being tagged
        self._asides: list[tuple[int, int]] | tuple = ()     # asides of the sentence being tagged …
        self._aside: frozenset[int] | tuple = ()            # … and where the names in them start
        self._text = ""
        self.hedge_key = nlp.vocab.strings["HEDGE"]
        self.subject_key = nlp.vocab.strings["SUBJECT"]
        self.own_key = nlp.vocab.strings["OWN"]
        self.other_key = nlp.vocab.strings["OTHER"]

    def class_matcher(self, doc: Doc) -> list[tuple[int, int, int]]:
        """The cue-class phrases of a doc that the entity component did not read."""
        if not self.class_parts:
            return []
        if self._class_matcher is None:
            self._class_matcher = PhraseMatcher(self._vocab, attr="NORM")
            for key in self._class_groups:
                self._class_matcher.add(key, [self._make_doc(key[len(CLASS_KEY_PREFIX):])])
        return self._class_matcher(doc)

    # -- main ------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        context = doc.user_data.get(CONTEXT) or {}
        cue_kinds = self.cue_kinds
        cue_matches, marker_matches = [], []
        for match in self.cues(doc):       # in (start, end) order
            kinds = cue_kinds.get(match[0])
            if kinds is None:
                marker_matches.append(match)
            else:
                cue_matches.append((match[1], match[2], kinds))
        class_matches = doc.user_data.get(CLASS_MATCHES)
        if class_matches is None:
            class_matches = self.class_matcher(doc)
        starts = None
        # sentence → the types the recall layer gives it (pipe works them out for a whole batch)
        recalled: dict[int, set[str]] = doc.user_data.pop(_RECALLED, None)
        if recalled is None:
            recalled = {}
            if self.recall is not None and self._may_carry_signals(doc):
                starts = doc.user_data.get(SENTENCE_STARTS) or [sentence.start for sentence in doc.sents]
                recalled = self._recall([(doc, starts)])[0]
        if not cue_matches and not class_matches and not recalled \
                and not any(m[0] == self.transfer_key for m in marker_matches):
            doc.user_data[SIGNALS] = ()
            return doc
        if starts is None:
            starts = doc.user_data.get(SENTENCE_STARTS) or [sentence.start for sentence in doc.sents]
        ends = [*starts[1:], len(doc)]
        self._text = doc_text(doc)
        self._doc = doc
        self._lower_hashes = doc.to_array(LOWER).tolist()
        # read on nearly every check: a plain list of texts (the hash → text cache is a dict)
        self._lower = list(map(self._strings.__getitem__, self._lower_hashes))
        self._idx = token_starts(doc)
        self._norms = None      # the doc's lemma column, read when a class needs its sentence words
        if class_matches:
            found = self._class_cues(class_matches, doc.user_data.get(ENTITIES) or (), starts)
            if found:
                cue_matches = sorted([*cue_matches, *found], key=itemgetter(0, 1))
        if any(first[1] > second[0] for first, second in zip(cue_matches, cue_matches[1:], strict=False)):
            cue_matches = _longest_cues(cue_matches, len(doc))
        # where the negators, transfer verbs and comparisons are: the phrase matcher found them
        self._negator_at = [start for key, start, _ in marker_matches if key == self.negator_key]
        lower = self._lower
        # "the second shift", "a night shift": a shift of work, no business moving
        self._transfer_at = [start for key, start, _ in marker_matches if key == self.transfer_key
                             and not (start and lower[start].startswith("shift") and lower[start - 1] in _WORK_SHIFTS)]
        # ("outbid by Clarity": the one named after "by" won)
        self._compare_at = [start for key, start, end in marker_matches if key == self.compare_key
                            and not (end < len(lower) and lower[end] == "by")
                            and (lower[start] != "ahead" or self._ahead_of_bidders(start, end))]
        # "placed second", "L2 behind" in a tender's text
        self._ranked_at = not _RANKED_WORDS.isdisjoint(lower) and not _TENDER_WORDS.isdisjoint(lower)

        hedged = set()
        neutral: dict[int, list[tuple[int, int, frozenset[str]]]] = defaultdict(list)
        subjects: dict[int, list[tuple[int, int]]] = defaultdict(list)
        pronouns: dict[int, list[tuple[int, bool]]] = defaultdict(list)   # (token, is ours)
        for key, start, end in marker_matches:
            if key in self._position_keys:
                continue      # collected into position lists above
            if key == self.own_key or key == self.other_key:
                if key == self.own_key and self._text[self._idx[start]:self._idx[start] + 2] == "US":
                    continue        # the country, not "us"
                if self._lower[start + 1:start + 2] and self._lower[start + 1] in _OPINION_NOUNS \
                        and start and self._lower[start - 1] in ("by", "in", "per", "to", "from"):
                    continue        # "by our estimate", "in their view": whose opinion, no party
                pronouns[bisect_right(starts, start) - 1].append((start, key == self.own_key))
            elif key == self.hedge_key:
                hedged.add(bisect_right(starts, start) - 1)
            elif key == self.subject_key:
                subjects[bisect_right(starts, start) - 1].append((start, end))
            else:
                neutral[bisect_right(starts, start) - 1].append((start, end, self.neutral_types[key]))
        inside_names = bytearray(len(doc))
        stored = doc.user_data.get(ENTITIES)
        if stored is None:
            stored = [(ent.start, ent.end, ent.label_, ent.kb_id_, ent.start_char, ent.end_char)
                      for ent in doc.ents]
        org_names = bytearray(len(doc))       # … and where an organisation's
        for start, end, label, _, _, _ in stored:
            if label != "TECHNOLOGY":
                inside_names[start:end] = b"\x01" * (end - start)
                if label in _NAME_LABELS:
                    org_names[start:end] = b"\x01" * (end - start)
        self._org_names = org_names
        figures_by_sentence: dict[int, list[tuple[tuple, int]]] = defaultdict(list)
        for fields in doc.user_data.get(FIGURES) or ():
            token = bisect_right(self._idx, fields[0]) - 1    # the token the figure starts in
            if token >= 0:
                figures_by_sentence[bisect_right(starts, token) - 1].append((fields, token))
        cues_by_sentence: dict[int, list[tuple[int, int, list[tuple[str, str]]]]] = defaultdict(list)
        for start, end, kinds in cue_matches:
            if all(inside_names[start:end]):
                continue    # "Equity" in "Redwood Equity Advisors" is a name, not a cue
            cues_by_sentence[bisect_right(starts, start) - 1].append((start, end, kinds))
        if cues_by_sentence and len(starts) > 1 and _BULLET_LINE.search(self._text):
            self._carry_headings(cues_by_sentence, stored, figures_by_sentence, starts, ends)
        # business moving "from X to Y" needs no cue word of its own
        transfer_sentences = {bisect_right(starts, position) - 1 for position in self._transfer_at}
        for index in transfer_sentences:
            cues_by_sentence.setdefault(index, [])
        # a sentence whose cues are all weak and that has no figure cannot make a signal
        for index in [i for i, cues in cues_by_sentence.items()
                      if i not in figures_by_sentence
                      and all(mode == _WEAK for _, _, kinds in cues for _, mode in kinds)
                      and i not in transfer_sentences]:
            del cues_by_sentence[index]

        if not cues_by_sentence and not recalled:
            doc.user_data[SIGNALS] = ()
            self._doc = None
            self._org_names = bytearray()
            return doc
        # what sentences after the last one with a cue (or the recall layer's types) mention
        # matters to no signal
        limit = ends[max([*cues_by_sentence, *recalled])]
        ents_by_sentence: dict[int, list[_Name]] = defaultdict(list)
        role, roles = self.role, self._roles
        text = self._text
        defined = _defined_abbreviations(stored, text, limit)
        for start, end, label, kb_id, first_char, last_char in stored:
            if start >= limit:
                break
            if label == "ORG" and not kb_id:
                if self._report_source(start, end):
                    continue        # "according to an army source quoted by PTI": no party to anything
                found = defined.get(text[first_char:last_char]) if defined else None
                if found is not None:
                    label, kb_id = found        # "CESL" after "Convergence Energy Services (CESL)"
                else:
                    kb_id = ORG_PREFIX + text[first_char:last_char].rstrip(".")   # "Acme Corp." is "Acme Corp"
            ents_by_sentence[bisect_right(starts, start) - 1].append(
                _new_name((start, end, label, kb_id, roles.get((label, kb_id)) or role(label, kb_id))))

        signals: list[SignalFields] = []
        memory = _DocumentMemory()
        # the recall layer's new types, by sentence, with the figures the rules' signals there hold
        unexplained: list[tuple[int, _DocumentMemory, set[str], set[tuple]]] = []
        for index in sorted(set(ents_by_sentence) | set(cues_by_sentence)):
            ents = ents_by_sentence.get(index, [])
            found, held = [], ()
            if index in cues_by_sentence:
                sentence = _Sentence(starts[index], ends[index])
                figures = [(_figure(fields), token) for fields, token in figures_by_sentence.get(index, ())]
                found = self._sentence_signals(
                    doc, sentence, ents, cues_by_sentence[index], figures,
                    index in hedged, neutral.get(index, []), subjects.get(index, []),
                    pronouns.get(index, []), context, memory)
                held = self._held_tokens
                signals.extend(found)
            if index in recalled and any([ent.label in _NAME_LABELS for ent in ents]):
                types = recalled[index] - {signal[_TYPE] for signal in found}
                if types:
                    # the figures the rules' signals there hold, by where they stand (a move's
                    # figure is its win's and its loss's: "lost 30% to Vitreon")
                    taken = {token for token, signal_type in held
                             if not (signal_type in _MOVE_TYPES and types & _MOVE_TYPES)}
                    unexplained.append((index, memory.copy(), types, taken))
            if ents:
                memory.update(ents)
        if unexplained:
            signals.extend(self._recalled_signals(doc, unexplained, starts, ends, ents_by_sentence,
                                                  figures_by_sentence, hedged, neutral, subjects,
                                                  pronouns, context))
        doc.user_data[SIGNALS] = tuple(_one_per_document(signals))
        self._doc = None      # hold no document between calls
        self._org_names = bytearray()
        return doc

    def _report_source(self, start: int, end: int) -> bool:
        """Whether the organisation outside the catalog at ``start``:``end`` is where a report
        comes from: "according to Mint", "reported by Reuters", "a source quoted by PTI",
        ", Bloomberg reported"."""
        lower = self._lower
        before = lower[max(0, start - 3):start]
        if len(before) >= 2 and (tuple(before[-2:]) in _SOURCE_BEFORE
                                 or (before[-2:] == ["quoted", "by"] and len(before) == 3
                                     and before[0] in _SOURCE_PEOPLE)):
            return True
        at = start - 1 if start and lower[start - 1] == "the" else start
        return at > 0 and lower[at - 1] == "," and end < len(lower) and lower[end] in ("reported", "reports")

    # -- one sentence ----------------------------------------------------------------
    def _sentence_signals(self, doc: Doc, sentence: _Sentence, ents: list[_Name], cues, figures,
                          hedged: bool, neutral: list[tuple[int, int, frozenset[str]]], subjects,
                          pronouns, context: dict,
                          memory: _DocumentMemory) -> list[SignalFields]:
        lexicon = self.lexicon
        self._held_tokens = ()
        weak_ok: dict[str, bool] = {}
        mentions = self._mentions(sentence, ents, context, memory, cues, subjects, pronouns)
        self._mention_clause = self._figure_clauses(sentence)
        self._asides = asides = self._asides_in(sentence, ents) if ents else ()
        self._aside = aside = frozenset(ent.start for ent in ents for open_, close in asides
                                        if open_ < ent.start and ent.end <= close) if asides else ()
        if aside:
            # "Olectra Greentech, a MEIL subsidiary, has won …": the name in the aside is no subject
            mentions = [m for m in mentions if m.start not in aside]
        drafts: dict[tuple[str, str | None], _Draft] = {}
        negated: dict[tuple[str, str | None], list[int]] = defaultdict(list)     # key → where negated cues start
        coordinated: dict[str | None, list[str | None]] = {}
        # a negator in the sentence at all? Most sentences have none: skip the check then
        negator_at = self._negator_at
        low = bisect_left(negator_at, sentence.start)
        negators = low < len(negator_at) and negator_at[low] < sentence.end
        listing = len(mentions) > 1          # a list of companies needs two of them
        opening = self._lower[sentence.start]
        hypothesis_end = (self._hypothesis_end(sentence) if opening in _HYPOTHESES or opening.isspace()
                          else sentence.start)
        several_customers = None       # more than one customer named (counted when needed)
        buyer_keys = []                 # drafts of a buyer's own tender, no bidder named
        types, class_modes = lexicon.types, self._class_modes
        product_spans = [(ent.start, ent.end) for ent in ents if ent.label == "TECHNOLOGY"]
        for start, end, kinds in cues:
            if start < hypothesis_end:
                continue        # "If Navika went single source, …": nothing has happened
            if product_spans and any(low <= start and end <= high and (low, high) != (start, end)
                                     for low, high in product_spans):
                continue        # "a solar control glass": a word of a product's name, no cue
            attributed: set[str] = set()     # one phrase under two kinds of one type: once
            for name, mode in kinds:
                if mode == _SWITCH:
                    switch = lexicon.switches[int(name)]
                    units = set(lexicon.types[switch.with_figure].units)
                    # (a tender's sum is no price: "disqualifying the ₹2,450-crore e-bus bid of
                    # Tata Motors" is the bid's; "quoted Rs 3,850 a set", "Rs 77 lakh per bus" are prices)
                    with_figure = any(figure.unit in units and not _a_contracts_sum(figure)
                                      for figure, _ in figures if figure.unit)
                    name = switch.with_figure if with_figure else switch.without_figure
                if name in attributed:
                    continue
                signal_type = types[name]
                subject = buyer = placed_by = None
                recipients: list[str] = []
                own_figure = False      # a weak class's cue with its unit: it needs that figure
                figureless = False
                class_mode = class_modes.get(mode)      # (index, class) of a class's cue
                if class_mode is not None:
                    index, cue_class = class_mode
                    if not self._class_allows(index, sentence, cues, ents, context):
                        continue
                    if cue_class.buyer_subject:
                        buyer = self._tender_buyer(sentence, start, end, ents)
                        if buyer is None and signal_type.name == "rfq":
                            bidders = self._bidders_from(sentence, start, end, ents)
                            if bidders:
                                # "DTC invited bids, drawing offers from Ashok Leyland, Tata
                                # Motors and King Long": each bidder's, the subject's enquiry
                                for bidder in bidders[1:]:
                                    drafts.setdefault((name, bidder), _Draft(name, bidder, [(start, end)],
                                                                             customer=bidders[0]))
                                attributed.add(name)
                                continue
                        if cue_class.about_object:
                            # "ASTC has placed an order with Olectra": the object's win, the
                            # subject its customer
                            placed_by, buyer = buyer, None
                    if cue_class.recipient:
                        recipient = next((ent.kb_id for ent in ents if start < ent.start <= start + 1
                                          and ent.label in _NAME_LABELS and ent.kb_id
                                          and self._lower[ent.end] not in ("-", "–")), None)
                        if recipient is not None:
                            # "BEST has awarded Olectra Greentech a Rs 3,675 crore contract"
                            subject = recipient
                            placed_by = self._clause_subject(sentence, start, ents, buyers=True)
                            # … and those listed with it: "has given Olectra Greentech and Evey
                            # Trans a letter of award"
                            recipients = self._listed_after(recipient, start, ents)
                            last = max(ent.end for ent in ents if ent.kb_id in recipients and ent.start > start)
                            if not _GIVEN_THINGS_AFTER.isdisjoint(self._lower[last:end]):
                                continue    # "gave Vitreon an ultimatum on the Koru contract": no business given
                        elif cue_class.recipient_required:
                            continue
                    figureless = cue_class.no_figure
                    if cue_class.owner_before:
                        subject = self._owner_before(start, ents)
                        if subject is None and figureless:
                            continue    # "tempered glass accounting for most of the rest": no one's
                    if cue_class.subject and subject is None:
                        subject = self._clause_subject(sentence, start, ents)
                    elif cue_class.about_object and subject is None:
                        subject = next((ent.kb_id for ent in reversed(ents) if ent.end == end
                                        and ent.label in _NAME_LABELS and ent.kb_id
                                        and not self._is_body(ent.kb_id)), None)
                    if cue_class.weak:
                        mode, class_mode = _WEAK, None
                        if cue_class.units and not any(
                                figure.unit in cue_class.units for figure, _ in figures):
                            continue
                        elif cue_class.units:
                            # its own figure is there, if no other type's cue holds it ("raised
                            # prices by 1.8 per cent, after an increase by market leader Maruti")
                            mode, own_figure = _STRONG, True
                if mode == _WEAK:
                    if self._lower[start] == "each" and self._lower[start + 1:start + 2] and \
                            self._lower[start + 1] in _NOT_PRICED_EACH:
                        continue    # "Rs 310 each", not "each reported declines of 4-7 per cent"
                    if name not in weak_ok:
                        weak_ok[name] = self._weak_satisfied(name, figures, cues)
                    if not weak_ok[name]:
                        continue
                if neutral and self._neutralised(name, start, end, neutral, figures):
                    continue
                if name == "supply_loss" and start and self._lower[start] in ("lost", "lose", "loses") and (
                        self._lower[start - 1] in _STOCK_WORDS or (start > 1 and self._lower[start - 1] in (
                            "has", "have", "had") and self._lower[start - 2] in _STOCK_WORDS)):
                    continue    # "Amara Raja's stock has lost more than 7 percent": a share price
                if name == "customer_engagement" and end - start == 1 and self._lower[start] == "met" \
                        and self._met_a_target(end):
                    continue    # "met 98 per cent of Navika's delivery schedules", "to be met through accruals"
                if name == "partnership":
                    if self._names_an_existing_tie(start, end):
                        continue
                    if subject is None:
                        subject = self._first_partner(start, ents)
                if mode == _FAILURE and start > 1 and self._lower[start - 1] == "to" \
                        and any(kind_name == "capacity" for _, _, other in cues for kind_name, _ in other) \
                        and not (negators and self._negated(doc, sentence, start, end)):
                    continue    # "a new unit at Chakan to meet demand": what the plant is for, no delivery
                if mode != _FAILURE and negators and self._negated(doc, sentence, start, end):
                    negated[(name, self._company_for(name, start, mentions, ents, context))].append(start)
                    continue
                reach = _WIDE_TECHNOLOGY_REACH if self._lower[start] in _LAUNCH_ONLY_WORDS else _TECHNOLOGY_REACH
                if signal_type.requires_technology and not any(
                        mode == _MODEL or -reach <= ent.start - start <= reach
                        for ent in ents if ent.label == "TECHNOLOGY"):
                    continue        # (the recall layer's cue has no place: a technology anywhere)
                if buyer is not None:
                    # "CESL has floated a tender": the buyer's, no bidder named
                    key = (name, None, buyer)
                    if key in drafts:
                        drafts[key].cues.append((start, end))
                    else:
                        drafts[key] = _Draft(name, None, [(start, end)], customer=buyer)
                        buyer_keys.append(key)
                    attributed.add(name)
                    continue
                if signal_type.requires_actor:
                    company = self._actor(doc, sentence, start, end, mentions)
                    # a customer's own supplier meet needs no supplier named
                    if company is None and not (class_mode is not None and class_mode[1].or_customer):
                        continue
                elif subject is not None:
                    company = subject
                    holder = self._contract_holder(start, end, mentions, subject) if name in _MOVE_TYPES else None
                    if holder is not None:
                        # "BEST terminated Olectra Greentech's contract", "Intermet terminated its
                        # contract with Custom Products Corporation": the holder's, the subject buys
                        company, placed_by = holder, subject
                    elif name in _SUPPLIER_SIDE_TYPES and self._is_customer(subject):
                        # "Navika has cancelled an order placed with Clarity", "… gets an
                        # acoustic windshield developed by Vitreon": the glass maker's
                        company = next((m.company_id for m in mentions if m.start >= end and not m.compared
                                        and (m.kind in ("entity", "own") or (m.kind == "subject" and self._lower[m.end - 1] in _SUPPLIER_NOUNS) or (
                                            m.kind == "org" and self._lower[m.start - 1] in ("with", "by")))),
                                       subject)
                else:
                    company = self._company_for(name, start, mentions, ents, context)
                    owner = self._tender_owner(start, ents) if name == "rfq" else None
                    if owner is not None and company is None:
                        # "Tata Motors was disqualified from BEST's tender": a vehicle maker
                        # beside another's tender bids for it
                        clause = self._mention_clause(start)
                        company = next((ent.kb_id for ent in ents if sentence.start <= ent.start < start
                                        and ent.label == "CUSTOMER" and ent.kb_id and ent.kb_id != owner
                                        and self._mention_clause(ent.start) == clause
                                        and self._lower[ent.end] not in _POSSESSIVE_MARKS), None)
                    if owner is not None and company in (None, owner):
                        # "six bidders took part in CESL's tender": the owner's, no bidder named
                        key = (name, None, owner)
                        if key in drafts:
                            drafts[key].cues.append((start, end))
                        else:
                            drafts[key] = _Draft(name, None, [(start, end)], customer=owner)
                            buyer_keys.append(key)
                        attributed.add(name)
                        continue
                    if owner is not None:
                        placed_by = owner   # "disqualified from BEST's tender": BEST buys
                attributed.add(name)
                members = recipients if len(recipients) > 1 and recipients[0] == company else coordinated.get(company)
                if members is None:
                    members = coordinated[company] = (self._coordinated(doc, company, mentions)
                                                      if listing else [company])
                    if len(members) == 1 and company is not None and name in _SUBJECT_TYPES \
                            and self._is_customer(company):
                        # "Navika Motors, Dhruva Automobiles and Meridian Mobility have brought out
                        # models with heated windshields": vehicle makers listed as the subject
                        members = coordinated[company] = self._listed_subjects(company, ents, start)
                if name == "partnership":
                    members = members[:1]     # "X and Y formed a joint venture": one, the first
                for member in members:
                    if member is None and signal_type.requires_company:
                        continue
                    key: tuple = (name, member)
                    hint = None
                    if member is None and several_customers is None:
                        several_customers = [ent.label for ent in ents].count("CUSTOMER") > 1
                    if member is None and several_customers:
                        # "Honda raised prices, while Audi plans a rise": each customer's own
                        hint = self._clause_customer(start, ents)
                        if hint is not None and key in drafts and drafts[key].customer not in (None, hint):
                            key = (name, member, hint)
                    if member is not None and key in drafts and name in _MOVE_TYPES:
                        # "secured a contract from HMSI … and an order for alloy wheels from Royal
                        # Enfield": a cue whose clause names a customer of its own is its own win
                        here = self._cue_customer(start, end, ents)
                        if here is not None and here != member \
                                and self._cue_customer(*drafts[key].cues[0], ents) not in (None, here):
                            key, hint = (name, member, here), here
                    if key in drafts:
                        drafts[key].cues.append((start, end))
                        drafts[key].weak = drafts[key].weak and (mode == _WEAK or own_figure)
                        drafts[key].figureless = drafts[key].figureless and figureless
                    else:
                        drafts[key] = _Draft(name, member, [(start, end)], customer=hint or placed_by,
                                             weak=mode == _WEAK or own_figure, figureless=figureless)
        # "Navika hosted its vendor meet, where 300 suppliers, including Kestrel and Vitreon,
        # reviewed targets": a customer's own engagement (a meet, a co-development) is each
        # catalog supplier named after its cue
        for key in [key for key in drafts if key[0] == "customer_engagement" and key[1] is None]:
            draft = drafts[key]
            suppliers = [m.company_id for m in mentions
                         if m.start > draft.cues[0][0] and m.kind in ("entity", "own", "org") and m.company_id
                         and not m.company_id.startswith(ORG_PREFIX)     # catalog suppliers only
                         and not m.compared and not self._is_customer(m.company_id)
                         and not self._is_body(m.company_id)]
            if suppliers:
                del drafts[key]
                for supplier in dict.fromkeys(suppliers):
                    drafts.setdefault(("customer_engagement", supplier),
                                      _Draft("customer_engagement", supplier, list(draft.cues), customer=draft.customer))
        # "Navika floated an RFQ and asked Vitreon to quote": the bidders' signals say it all
        for key in buyer_keys:
            bidders = [other for other in drafts if other[0] == key[0] and other[1] is not None]
            tender_at = drafts[key].cues[0][0]
            if bidders and all(other[1] == key[2] or (
                    all(cue >= tender_at for cue, _ in drafts[other].cues)
                    and not any(m.company_id == other[1] and m.start > tender_at for m in mentions))
                    for other in bidders):
                # "CESL has invited bids …, with online bids due by November 4": the buyer (or
                # its parent, named before the tender) read again as a bidder by a later cue —
                # the tender stays the buyer's
                for other in bidders:
                    drafts[key].cues.extend(drafts.pop(other).cues)
            elif bidders:
                del drafts[key]
        # "came in lowest in Meridian's tender, undercutting Kestrel": the one beaten bid too
        bid = next((draft for key, draft in drafts.items() if key[0] == "rfq" and key[1] is not None), None)
        if bid is not None and self._compare_at:
            lower = self._lower
            for m in mentions:
                if m.compared and m.kind in ("entity", "own") and ("rfq", m.company_id) not in drafts \
                        and not self._is_customer(m.company_id) and any(
                            lower[i] in _BEATEN_BIDDER_BEFORE for i in range(max(sentence.start, m.start - 4), m.start)):
                    drafts[("rfq", m.company_id)] = _Draft("rfq", m.company_id, list(bid.cues), customer=bid.customer)
        # "emerged L1 in Dhruva's tender, with Vitreon placed second and Sunmarg third": the bidders
        # ranked below it too; "is L2 behind Sunmarg": the one ranked above
        if bid is not None and self._ranked_at:
            lower = self._lower
            for m in mentions:
                if m.kind in ("entity", "own") and ("rfq", m.company_id) not in drafts \
                        and not self._is_customer(m.company_id) \
                        and ((m.compared and self._ranked(m, sentence))
                             or (m.start > sentence.start + 1 and lower[m.start - 1] == "behind"
                                 and lower[m.start - 2] in _RANKED_BELOW)):
                    drafts[("rfq", m.company_id)] = _Draft("rfq", m.company_id, list(bid.cues), customer=bid.customer)
        # "Tata Motors submitted the lowest bid in the tender CESL ran", "EESL said Tata Motors'
        # lowest bid …": a vehicle maker bidding sells — the bid is its, the other party buys
        for key in [key for key in drafts if key[0] == "rfq" and (key[1] is None or key[1].startswith(ORG_PREFIX))]:
            draft = drafts[key]
            if draft.customer is not None or not any(self._lower[i] in _BID_WORDS
                                                     for start, end in draft.cues for i in range(start, end)):
                continue
            start = draft.cues[0][0]
            bidder = self._vehicle_maker_bidding(sentence, start, ents)
            if bidder is None or ("rfq", bidder) in drafts \
                    or (key[1] is not None and key[1] in self._listed_subjects(bidder, ents, start)):
                continue    # (an organisation listed with the maker bids too: "MKU Systems and Tata Motors have bid")
            buyer = key[1] or next((ent.kb_id for ent in ents if ent.label == "ORG" and ent.kb_id
                                    and not self._is_body(ent.kb_id)), None)
            del drafts[key]
            drafts[("rfq", bidder)] = replace(draft, company=bidder, customer=buyer)
        # "Nissan is recalling 9,000 cars over airbags made by Takata": the recall is Nissan's
        # too, whoever made the part (and the count of cars recalled Nissan's alone)
        recalls: list[tuple[_Draft, _Draft]] = []      # (the part maker's, the recaller's)
        for key in [key for key in drafts if key[0] == "quality_ppm" and key[1] is not None]:
            draft = drafts[key]
            if any(other[0] == "quality_ppm" and (other[1] is None or self._is_customer(other[1]))
                   for other in drafts) or not any(self._recall_cue(cue, end) for cue, end in draft.cues):
                continue
            recaller = self._clause_customer(draft.cues[0][0], ents)
            if recaller is not None and recaller != key[1]:
                drafts[("quality_ppm", recaller)] = _Draft("quality_ppm", recaller, list(draft.cues))
                recalls.append((draft, drafts[("quality_ppm", recaller)]))
        # "Honda is recalling 3,669 Accords to replace inflators made by Takata": the part maker
        # named after the recall is at fault too (the count of cars the recaller's)
        if not recalls:
            for key in [key for key in drafts if key[0] == "quality_ppm"
                        and (key[1] is None or self._is_customer(key[1]))]:
                draft = drafts[key]
                if not any(self._recall_cue(cue, end) for cue, end in draft.cues):
                    continue
                maker = self._part_maker_after(draft.cues[0][1], sentence.end, ents)
                recaller = key[1] or self._clause_customer(draft.cues[0][0], ents)
                if maker is not None and recaller is not None and ("quality_ppm", maker) not in drafts:
                    if key[1] is None:      # the recall is the recaller's own (as above)
                        del drafts[key]
                        draft = drafts.setdefault(("quality_ppm", recaller), draft)
                        draft.company = recaller
                    drafts[("quality_ppm", maker)] = _Draft("quality_ppm", maker, list(draft.cues),
                                                           customer=recaller)
                    recalls.append((drafts[("quality_ppm", maker)], draft))
        # "RFQ … not floated yet": a negated cue cancels its type for the same company, unless
        # the other cue comes with its own figure ("SOB 100% ours, no dual sourcing")
        # (in press text a cue in another clause than every negated one stands: "remains the only
        # supplier of sunroof glass for the Vistar, and the carmaker is not looking for a second source")
        press = context.get("kind") != "note"
        for key, negated_at in negated.items():
            if key in drafts and not self._has_figure_for(drafts[key], figures) \
                    and not (press and any(all(self._clauses_joined(min(cue, at), max(cue, at)) for at in negated_at)
                                           for cue, _ in drafts[key].cues)):
                del drafts[key]
        if figures and any(key[0] == "pricing" for key in drafts):
            self._elliptical_prices(drafts, ents, figures)
        transfer_at = self._transfer_at
        if transfer_at and bisect_left(transfer_at, max(sentence.start, hypothesis_end)) \
                < bisect_left(transfer_at, sentence.end):
            self._transfers(doc, sentence, mentions, ents, drafts,
                            any("*" in types for _, _, types in neutral), hypothesis_end)
        # "lost the Kavya nomination", "cancelled an order placed with Sunmarg": the win cue names
        # what was lost (in the same clause)
        for key in [key for key in drafts if key[0] == "supply_win" and ("supply_loss", key[1]) in drafts]:
            losses = drafts[("supply_loss", key[1])].cues
            if all(any(0 < start - loss <= _LOSS_OBJECT_REACH and self._one_clause(self._lower[loss:start])
                       for loss, _ in losses) for start, _ in drafts[key].cues):
                del drafts[key]
        if drafts and self.lexicon.public_buyer_words:
            public = [ent for ent in ents if ent.label == "ORG" and ent.kb_id and self._is_public_buyer(ent.kb_id)]
            if public:
                self._sold_to_public_buyers(drafts, public, ents)
        if not drafts:
            return []
        # the sentence's customer: one named, else one whose plant or vehicle is named, else the
        # context's, else the last one the document named
        first_by_label: dict[str, str] = {}
        named_customer, named, plant = None, False, None
        technologies = []
        customers_named = 0     # with an id: a list of customers needs two
        for ent in ents:
            label, role = ent.label, ent.role
            if label in ("CUSTOMER", "ORG") and ent.start and self._lower[ent.start - 1] in _FORMER_WORDS:
                continue        # "the former General Motors factory in Moraine": a place
            if label == "CUSTOMER":
                if not named:
                    named_customer, named = role.customer, True
                if ent.kb_id:
                    customers_named += 1
            elif label == "TECHNOLOGY" and ent.kb_id:
                technologies.append((ent.start, ent.kb_id))
            if role.customer and label not in first_by_label:
                first_by_label[label] = role.customer
            if plant is None and role.customer_plant:
                plant = ent.kb_id
        customer = (first_by_label.get("CUSTOMER") or first_by_label.get("PLANT")
                    or first_by_label.get("VEHICLE") or context.get("customer") or memory.customer)
        customers = (customers_named > 1 and self._listed_customers(ents)) or [customer]
        plant = plant or context.get("plant")
        grade = "rumoured" if hedged else context.get("grade")
        used: set[int] = set()
        rank = self._unit_rank
        ordered = (sorted(drafts.values(), key=lambda d: (rank[d.type], d.cues[0][0])) if len(drafts) > 1
                   else list(drafts.values()))
        extra = []
        if figures:
            clause_of = self._figure_clauses(sentence)
            self._assign_figures(doc, ordered, figures, used, mentions, clause_of)
            if mentions:
                self._figures_to_who_holds_them(ordered, mentions, clause_of)
                extra = self._own_figures(doc, sentence, ordered, mentions, figures, used, clause_of)
            if any(draft.type == "share_of_business" and draft.figure is not None for draft in ordered):
                extra.extend(self._later_shares(ordered, extra, mentions, ents, figures, used, clause_of,
                                                customers))
            for maker, recaller in recalls:
                if maker.figure is not None and maker.figure is recaller.figure:
                    maker.figure, maker.figure_token = None, -1
            # a weak cue left with no figure of its own (a signal of another type holds it, or it
            # stands outside the cue's clause) gives no signal: "a Rs 750 crore contract to build
            # chargers" is the contract's figure, no plant's ("Volkswagen will raise prices by 3%,
            # and Bajaj has signalled a hike": one type, both)
            if any(draft.weak and draft.figure is None for draft in ordered):
                figured = {draft.type for draft in ordered if draft.figure is not None}
                ordered = [draft for draft in ordered
                           if not (draft.weak and draft.figure is None and draft.type not in figured)]
        # (where the figures the signals take stand: the recall layer's signals take none of them)
        self._held_tokens = [(draft.figure_token, draft.type) for draft in (*ordered, *extra)
                             if draft.figure is not None]
        signals = []
        text, idx = self._text, self._idx
        start_char, sentence_end = idx[sentence.start], self._end_char_of(sentence.end)
        sentence_text = text[start_char:sentence_end]
        observed_at = context.get("date")
        entries = self.catalog.entries
        requires_customer = self._requires_customer
        for draft in [*ordered, *extra] if extra else ordered:
            draft_type, company, first_cue = draft.type, draft.company, draft.cues[0]
            if company is not None and company.startswith(ORG_PREFIX) and self._is_public_buyer(company):
                continue    # a public buyer buys (_sold_to_public_buyers): "… of what was needed"
            technology = _nearest(technologies, first_cue[0]) if technologies else None
            figure = draft.figure
            unit = value = None
            if figure is not None:
                unit = figure.unit or _IMPLIED_UNITS.get(draft_type)
                if unit == "points":
                    unit = "%"      # a rating's score, out of 100 (signals.toml)
                value = figure.value
                if draft_type == "pricing" and unit == "%" and self._price_goes_down(draft.figure_token):
                    value = -abs(value)
            previous = draft.previous.value if draft.previous is not None else None
            company_id, company_name = ((None, company[_ORG_PREFIX_LENGTH:])
                                        if company is not None and company.startswith(ORG_PREFIX)
                                        else (company, None))
            # the cue's text, to the end of its last word (docdata.word_end_char)
            following = idx[first_cue[1]] if first_cue[1] < len(idx) else len(text)
            cue_text = text[idx[first_cue[0]]:following - 1 if text[following - 1] == " " else following]
            buyers = self._buyers(draft, ents, sentence) if draft_type in _BUYER_TYPES else []
            if company in buyers:
                buyers = []
            elif buyers and self.lexicon.public_buyer_words and company is not None \
                    and self._is_glass_maker(company) and self._named_maker(first_cue[0], ents) is not None:
                # a glass maker sells to the vehicle maker named, not to the body that orders the
                # cars ("supplies Navika Motors … for the Tarani cars ordered by the Orvella Police")
                buyers = [buyer for buyer in buyers if not self._is_public_buyer(buyer)]
            draft_customers = customers
            if draft_type == "share_of_business" and draft.figure_token >= 0 and not draft.customer \
                    and company is not None and not self._is_customer(company) \
                    and self._share_of_a_market(draft.figure_token, sentence.end, ents):
                draft_customers = [None]    # "controls 60% of China's OEM glass market, with GM … among its clients"
            served = None       # a capacity's customers listed after "serve", "for" … (computed once)
            for customer in buyers or ([draft.customer] if draft.customer and draft.customer not in customers
                                       else draft_customers if draft_type != "share_of_business"
                                       or len(draft_customers) < 2
                                       else self._first_listed(draft_customers, ents)):
                # "an order for 1,937 buses from the Tamil Nadu STU": the buyers'
                signal_customer = customer
                if not buyers:
                    # (a vehicle maker's own news, unless a buyer was found for it: "ASTC placed
                    # an order with Ashok Leyland", "OSRTC invited tenders from Tata Motors")
                    if company is not None and company in entries and entries[company].role == "customer" \
                            and draft.customer in (None, company):
                        signal_customer = company
                    elif draft_type in _SUBJECT_TYPES and company is not None:
                        # (a plant's customers listed together each: "a plant that will serve FCA,
                        # Ford and Tata Motors")
                        if draft_type == "capacity" and len(draft_customers) > 1 and served is None:
                            served = self._served_customers(draft, company, ents, sentence)
                        signal_customer = (customer if draft_type == "capacity" and served
                                           and customer in served
                                           else named_customer or context.get("customer"))
                customer_name = None
                if signal_customer is not None and signal_customer.startswith(ORG_PREFIX):
                    signal_customer, customer_name = None, signal_customer[_ORG_PREFIX_LENGTH:]
                if signal_customer is None and customer_name is None and requires_customer[draft_type]:
                    continue        # "trial runs at its new plant": no customer's end
                signals.append((   # a Signal's fields (signal_fields), in order
                    draft_type, start_char, sentence_end, sentence_text, company_id, signal_customer, plant,
                    technology, value, unit, grade, observed_at, cue_text, company_name, customer_name,
                    "rule", previous))
        return signals

    def _may_carry_signals(self, doc: Doc) -> bool:
        """Whether a doc without a cue names an organisation the recall layer could speak of."""
        return any(label in _NAME_LABELS for _, _, label, *_ in doc.user_data.get(ENTITIES) or ())

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """As :meth:`BatchedComponent.pipe`, with the recall layer's types worked out for each
        batch at once."""
        for batch in minibatch(docs, batch_size):
            if self.recall is not None:
                named = [(doc, doc.user_data.get(SENTENCE_STARTS) or [sentence.start for sentence in doc.sents])
                         for doc in batch if self._may_carry_signals(doc)]
                for (doc, _starts), found in zip(named, self._recall(named), strict=True):
                    doc.user_data[_RECALLED] = found
            yield from [self(doc) for doc in batch]

    def _recall(self, docs: list[tuple[Doc, Sequence[int]]]) -> list[dict[int, set[str]]]:
        """The recall layer's types for each (doc, sentence starts), by sentence: only for the
        sentences that name an organisation, the only ones it may add a signal to."""
        assert self.recall is not None
        items, named_sentences = [], []
        for doc, starts in docs:
            named = sorted({bisect_right(starts, start) - 1
                            for start, _, label, *_ in doc.user_data.get(ENTITIES) or ()
                            if label in _NAME_LABELS})
            length = len(doc)
            items.append((doc.to_array(ORTH), [(starts[index], starts[index + 1] if index + 1 < len(starts)
                                                else length) for index in named]))
            named_sentences.append(named)
        return [{named[span]: types for span, types in found.items()}
                for named, found in zip(named_sentences, self.recall.types_by_span(items), strict=True)]

    def _recalled_signals(self, doc: Doc, unexplained: list[tuple[int, _DocumentMemory, set[str], set[tuple]]],
                          starts: Sequence[int], ends: Sequence[int],
                          ents_by_sentence: dict[int, list[_Name]], figures_by_sentence,
                          hedged: set[int], neutral, subjects, pronouns, context: dict) -> list[SignalFields]:
        """Signals of the types the recall model gives a sentence that names an organisation and
        the rules did not find there.

        Each type becomes a cue just after the sentence's first name (its usual subject), so
        that attribution, negation, neutral phrases and each type's checks work as for a rule
        hit; the signal is graded one step lower than a rule's and marked ``method = "model"``.
        It takes no figure a rule's signal in the sentence holds ("raised ₹340 crore to fund a new
        plant": the fund-raising's sum, not a capacity's): ``held`` is where those figures stand."""
        found: list[SignalFields] = []
        negator_at = self._negator_at
        for index, memory, types, held in unexplained:
            low = bisect_left(negator_at, starts[index])
            if low < len(negator_at) and negator_at[low] < ends[index]:
                continue        # the model does not read "not": a negated sentence gets nothing
            sentence = _Sentence(starts[index], ends[index])
            ents = ents_by_sentence.get(index, [])
            first = next(ent for ent in ents if ent.label in _NAME_LABELS)
            position = first.end if first.end < sentence.end else first.start
            cues = [(position, position + 1, [(name, _MODEL)]) for name in sorted(types)]
            figures = [(_figure(fields), token) for fields, token in figures_by_sentence.get(index, ())
                       if token not in held]
            for signal in self._sentence_signals(doc, sentence, ents, cues, figures, index in hedged,
                                                 neutral.get(index, []), subjects.get(index, []),
                                                 pronouns.get(index, []), context, memory):
                fields = list(signal)
                fields[_GRADE] = _LOWER_GRADE.get(signal[_GRADE], "rumoured")
                fields[_CUE], fields[_METHOD] = "", "model"
                found.append(tuple(fields))
        return found

    def _class_cues(self, matches: Sequence[tuple[int, int, int]], entities: Sequence[tuple],
                    starts: Sequence[int]) -> list[tuple[int, int, list[tuple[str, str]]]]:
        """Cues from the lexicon's cue classes: a verb with an object near it, or a verb alone."""
        names: dict[str, list[tuple[int, int]]] = {}     # filled when a class asks for them

        def named(placeholder: str) -> list[tuple[int, int]]:
            found = names.get(placeholder)
            if found is None:
                labels = _PLACEHOLDER_LABELS[placeholder]
                found = names[placeholder] = [(start, end) for start, end, label, *_ in entities
                                              if label in labels]
            return found

        # each figure's words after its first (a figure is one word to a class's reach)
        figure_words = None
        stored_figures = self._doc.user_data.get(FIGURES)
        if stored_figures:
            figure_words = bytearray(len(self._lower))
            for fields in stored_figures:
                if fields[3] not in MONEY_UNITS:
                    continue        # (a share is no sum: "will get 50% of Vela sidelites")
                first = bisect_right(self._idx, fields[0]) - 1
                last = bisect_left(self._idx, fields[1])
                if 0 <= first < last - 1:
                    figure_words[first + 1:last] = b"\x01" * (last - first - 1)
        verbs: dict[int, list[tuple[int, int]]] = defaultdict(list)
        class_verbs, class_objects = self.class_verbs, self.class_objects
        for key, start, end in matches:
            for index in class_verbs[key]:
                verbs[index].append((start, end))
        if not verbs:
            return []
        objects: dict[int, list[tuple[int, int]]] = defaultdict(list)   # (in text order)
        for key, start, end in matches:
            for index in class_objects[key]:
                if index in verbs:
                    objects[index].append((start, end))
        found = []
        classes = self.lexicon.classes
        for index, spans in verbs.items():
            cue_class = classes[index]
            kind = self.class_kinds[index]
            candidates = objects.get(index, [])
            if self.class_placeholders[index]:
                candidates = sorted([*candidates, *(span for placeholder in self.class_placeholders[index]
                                                    for span in named(placeholder))])
            candidate_starts = [start for start, _ in candidates]
            reach = cue_class.reach
            # a product's maker named before it does not count against the reach: "the first car
            # fitted with Saint-Gobain Sekurit's new SGS lightweight windshield"
            products = "<TECH>" in self.class_placeholders[index]
            for start, end in spans:
                if cue_class.not_after and start and (self._lower[start - 1] in cue_class.not_after or any(
                        " ".join(self._lower[max(0, start - phrase.count(" ") - 1):start]) == phrase
                        for phrase in cue_class.not_after if " " in phrase)):
                    continue        # "on show at the Auto Show": a noun; "by the end of the third quarter": a date
                if cue_class.not_with_units and self._sentence_has_units(start, starts, stored_figures,
                                                                         cue_class.not_with_units):
                    continue        # "Mirajganj halted production 2 hrs": a stoppage, no closing
                if cue_class.type == "capacity" and self._lower[start] in _START_VERBS and self._a_model_starts(start):
                    continue        # "the Vistar MPV would start production this month": a model's start
                if cue_class.type == "supply_win" and cue_class.via and self._lower[start] in _PARTICIPLES and start \
                        and self._lower[start - 1] not in _PARTICIPLE_VERB_BEFORE:
                    continue        # "windshields made in 2018 and sent to …": a description
                if cue_class.type == "pricing" and end < len(self._lower) and self._lower[end] in _NOT_PAID_FOR:
                    continue        # "pay more attention to", "pay less in interest": no price
                if not cue_class.objects:
                    found.append((start, end, kind))
                    continue
                # objects near the verb and in its sentence: after it, or before it if passive
                sentence = bisect_right(starts, start) - 1
                first = starts[sentence] if sentence >= 0 else 0
                after_last = starts[sentence + 1] if sentence + 1 < len(starts) else 1 << 30
                low = max(first, start - 2 * reach if cue_class.passive else end)
                high = min(after_last, end + reach + (_MAKER_SLACK if products else 0)
                           + (sum(figure_words[end:end + 2 * reach]) if figure_words is not None else 0))
                best = None
                for o_start, o_end in candidates[bisect_left(candidate_starts, low):
                                                 bisect_left(candidate_starts, high)]:
                    if o_start >= end:
                        gap = o_start - end
                        between = (end, o_start)
                        if products and gap >= reach:
                            gap -= self._maker_tokens(end, o_start, named("<ORG>"))
                        if gap >= reach and figure_words is not None:
                            # a sum counts as one word: "cancelled Clarity Glassworks' Rs 95 crore
                            # panoramic roof order"
                            gap -= sum(figure_words[end:o_start])
                    elif cue_class.passive and o_end <= start:
                        # a passive verb after its auxiliary reaches its subject further back:
                        # "the Rs 42 crore order from Dhruva for backlites on the Prayan MPV has
                        # been cancelled"
                        gap = start - o_end
                        if start and self._lower[start - 1] in _PASSIVE_AUXILIARIES \
                                and not self._lower[start].endswith("ing"):     # "was dropping" is no passive
                            gap //= 2
                        between = (o_end, start)
                    else:
                        continue
                    if cue_class.type == "supply_win" and o_end <= start \
                            and not _BID_WORDS.isdisjoint(self._lower[max(first, o_start - 10):o_start]):
                        continue    # "whose bids for the Army's contract were received": bids, no win
                    if cue_class.type == "capacity" and o_end < len(self._lower) and self._lower[o_end] == "-" \
                            and self._text[self._idx[o_end] - 1] != " ":
                        continue    # a word of a compound: "production-linked incentive"
                    if any(word in _GAP_NEGATORS for word in self._lower[between[0]:between[1]]):
                        continue    # "was given no order value details", "will not be terminated"
                    if cue_class.type == "supply_win" and o_start >= end and o_end + 1 < len(self._lower) \
                            and self._lower[o_end] == "as" \
                            and not _ADVISER_WORDS.isdisjoint(self._lower[o_end + 1:o_end + 5]):
                        continue    # "appointed Ernst & Young as its statutory auditor": no supplier
                    if cue_class.type == "supply_loss" and "out of" in cue_class.via and (
                            (o_end < len(self._lower) and self._lower[o_end].isalpha()
                             and self._text[self._idx[o_end]].islower()
                             and self._lower[o_end] not in _AFTER_A_SUPPLIER_LEFT)
                            or (_MOVED_BUSINESS.isdisjoint(self._lower[end:o_start])
                                and not any(end <= t_start < o_start for t_start, _ in named("<TECH>")))):
                        continue    # "moved 300 WS out of Vitreon consignment stock": a lot, a store;
                        # "Rakesh Menon moved out of Vitreon", "pulled Rs 200 crore out of": no business
                    if cue_class.via and self._lower[start] in _MAKE_VERBS and o_start >= end \
                            and (not self._lower[start].startswith("turn") or self._lower[start + 1] == "out") \
                            and not any(end <= t_start < o_start for t_start, _ in named("<TECH>")):
                        continue    # "make a presentation to Navika's purchase team"
                    if gap < reach and (self._no_boundary(*between)
                                        or self._only_products_between(*between, named("<TECH>"))) \
                            and (best is None or gap < best[0]) \
                            and self._object_allowed(cue_class, *between):
                        best = (gap, min(start, o_start), max(end, o_end))
                if best is not None:
                    if cue_class.verb_only:
                        found.append((start, end, kind))
                        continue
                    cue_end = best[2]
                    following = bisect_left(candidate_starts, cue_end)
                    while following < len(candidates) and candidates[following][0] == cue_end:
                        cue_end = candidates[following][1]      # "windshield requirement": the object runs on
                        following += 1
                    found.append((best[1], cue_end, kind))
        # a class whose sentence lacks the words it needs gives no cue, not even one that
        # others yield to or that hides an overlapping cue
        classes, length = self.lexicon.classes, len(self._doc)
        kept = []
        for start, end, kind in found:
            index = int(kind[0][1][len(_CLASS):])
            if classes[index].sentence_words and not classes[index].or_customer:
                sentence = bisect_right(starts, start) - 1
                bounds = _Sentence(starts[sentence] if sentence >= 0 else 0,
                                   starts[sentence + 1] if sentence + 1 < len(starts) else length)
                if not self._class_words_found(index, bounds, [], {}):
                    continue
            kept.append((start, end, kind))
        return kept

    def _is_body(self, kb_id: str) -> bool:
        """An industry body, ministry, regulator or agency: quoted, never what a signal is about."""
        if kb_id.startswith(ORG_PREFIX):
            return any(word in self.lexicon.org_heads or word in _BODY_WORDS
                       for word in kb_id[len(ORG_PREFIX):].split())
        entry = self.catalog.entries.get(kb_id)
        return entry is not None and entry.role == "body"

    def _is_public_buyer(self, kb_id: str) -> bool:
        """A public body that buys vehicles by tender, outside the catalog (organisations.toml):
        "the Indian Army", "Karnataka State Road Transport Corporation", "KSRTC", "BEST"."""
        if not kb_id.startswith(ORG_PREFIX):
            return False
        known = self._public_buyers.get(kb_id)
        if known is None:
            if len(self._public_buyers) >= _ORG_ROLES_KEPT:
                self._public_buyers.clear()
            known = self._public_buyers[kb_id] = self._names_a_public_buyer(kb_id)
        return known

    def _names_a_public_buyer(self, kb_id: str) -> bool:
        lexicon = self.lexicon
        name = kb_id[_ORG_PREFIX_LENGTH:].lower()
        if name in lexicon.public_buyer_abbreviations or name.endswith(lexicon.public_buyer_endings):
            return True
        split = name.split()
        if not _COMPANY_NAME_WORDS.isdisjoint(split) or name.endswith(" of india"):
            return False    # a company: "Mission Glass Industries", "Transport Corporation of India"
        words = f" {name} "
        if any(f" {phrase} " in words and name != phrase for phrase in lexicon.public_buyer_words):
            return True     # (a word or two of a name: not "Transport Corporation" of India alone)
        # "Haryana Roadways", not the transporter "Ganesh Roadways"
        return any(word in lexicon.public_buyer_after_places and index
                   and split[index - 1] in lexicon.lower_places for index, word in enumerate(split))

    def _sold_to_public_buyers(self, drafts: dict, public: list[_Name], ents: list[_Name]) -> None:
        """Business with a public buyer is the vehicle maker's sale ("KSRTC disqualified Tata
        Motors' bid", "KSRTC has ordered 487 buses …, Tata Motors said", "BMTC has started
        trial runs of buses from Olectra", "the Orvella Army rates Navika Motors"): a bid, win,
        loss, trial, delivery, rating, quality or price read as the body's, or a bid, win or loss
        read as no one's, with vehicle makers in the cue's clause (or after "from", "of", or "to"
        after an award), is each maker's, the body its customer; a maker's or a supplier's own
        with no customer of its own sells to the body (a glass maker's keeps a vehicle maker
        named, whom it sells to: "Dhruva got an OSRTC order, extra volume for Clarity"). A bid read
        as the body's with no maker so named is its own enquiry ("the Indian Army floated the
        tender"); a body is no other signal's company ("a contract to build …")."""
        for key in list(drafts):
            draft = drafts[key]
            company, customer = draft.company, draft.customer
            company_public = company is not None and self._is_public_buyer(company)
            sale = key[0] in _BUYER_TYPES
            if not sale and not (company_public and key[0] in _BODY_SIDE_TYPES):
                if company_public:
                    del drafts[key]
                continue
            cue, cue_end = draft.cues[0]
            if (company is None or company_public) \
                    and all(" ".join(self._lower[start:end]) in _BARE_ORDER_CUES for start, end in draft.cues):
                if company_public:
                    del drafts[key]
                continue    # "among six bidders for the Indian Navy's order for 120 vehicles": no one's win
            if company_public or company is None:
                makers = self._makers_of(key[0], customer, cue, cue_end, ents)
                if not makers and company_public and key[0] in _MOVE_TYPES:
                    # "KSRTC has ordered 487 buses …, Tata Motors said": the one maker named
                    named = {ent.kb_id for ent in ents if ent.label == "CUSTOMER" and ent.kb_id
                             and self._is_customer(ent.kb_id)}
                    makers = list(named) if len(named) == 1 else []
                if not makers and not (key[0] == "rfq" and (company_public or customer is None)):
                    if company_public:
                        del drafts[key]
                    continue
            elif sale and self._is_glass_maker(company) and (named_maker := self._named_maker(cue, ents)) is not None:
                if customer is None or self._is_public_buyer(customer):
                    # "Orvella Army ordered 150 Dhruva Prayan MPVs, Clarity glass": the glass goes to
                    # the vehicle maker named (its model's, its plant's), the one nearest the cue
                    drafts[key] = replace(draft, customer=named_maker)
                continue
            elif sale and (customer is None or customer == company or self._is_public_buyer(customer)):
                # (the makers listed with it: "Navika Motors, Dhruva Automobiles and Meridian
                # Mobility have submitted bids")
                # "MKU Systems, Force Motors and Tata Motors have answered the Orvella Army's tender")
                makers = self._listed_subjects(company, ents, cue)
                if len(makers) == 1 and key[0] == "rfq":
                    # "Eight bidders, Tata Motors and Evey Trans among them, answered BEST's e-tender"
                    makers = self._bidders_named_after(company, cue_end, ents) or makers
            else:
                continue
            buyer = company if company_public else (
                customer if customer is not None and not self._is_customer(customer)
                else min(public, key=lambda ent: abs(ent.start - cue)).kb_id)
            del drafts[key]
            for maker in makers or [None]:
                new_key = (key[0], maker) if maker is not None else (key[0], None, buyer)
                if new_key in drafts:
                    drafts[new_key].cues.extend(draft.cues)
                else:
                    drafts[new_key] = replace(draft, company=maker, customer=buyer, cues=list(draft.cues))

    def _makers_of(self, signal_type: str, customer: str | None, cue: int, cue_end: int,
                   ents: list[_Name]) -> list[str]:
        """The vehicle makers whose business with a public buyer the cue at ``cue``:``cue_end``
        is: its customer if a maker; the one an award goes to ("the decision to award the
        contract to Navika Motors"); those named last before it in its clause, with those listed
        beside ("Navika Motors, Dhruva Automobiles and Meridian Mobility have submitted bids");
        else those after "from", "by" or "of" after it, or right after it ("has shortlisted
        Meridian Mobility and Navika Motors")."""
        if customer is not None and self._is_customer(customer):
            return [customer]
        lower = self._lower
        if signal_type == "supply_win" and any(lower[i].startswith("award") for i in range(cue, cue_end)):
            winner = next((ent.kb_id for ent in ents if cue_end <= ent.start <= cue_end + _BUYER_REACH
                           and ent.label == "CUSTOMER" and ent.kb_id and self._is_customer(ent.kb_id)
                           and lower[ent.start - 1] == "to"), None)
            if winner is not None:
                return [winner]
        maker = self._clause_customer(cue, ents) or next(
            (ent.kb_id for ent in ents if ent.end < cue <= ent.end + 4 and ent.label == "CUSTOMER" and ent.kb_id
             and lower[ent.end] in _POSSESSIVE_MARKS and self._is_customer(ent.kb_id)), None)
        if maker is not None:       # (or right before it: "Meridian Mobility's e-bus bid")
            return self._listed_subjects(maker, ents, cue)
        maker = self._maker_after(cue_end, ents)
        if maker is None:
            first = next((ent for ent in ents if ent.start == cue_end and ent.label == "CUSTOMER" and ent.kb_id
                          and self._is_customer(ent.kb_id)), None)
            if first is None:
                return []
            return [first.kb_id, *(buyer for buyer in self._listed_buyers(first, ents)[1:]
                                   if self._is_customer(buyer))]
        return [maker]

    def _named_maker(self, cue: int, ents: list[_Name]) -> str | None:
        """The vehicle maker named nearest the cue at ``cue``, or whose model or plant is."""
        named = [ent for ent in ents if ent.role.customer and self._is_customer(ent.role.customer)]
        return min(named, key=lambda ent: abs(ent.start - cue)).role.customer if named else None

    def _is_glass_maker(self, company: str) -> bool:
        """A glass maker of the catalog: a competitor or our company."""
        entry = self.catalog.entries.get(company)
        return entry is not None and entry.role in ("competitor", "own")

    def _maker_after(self, cue_end: int, ents: list[_Name]) -> str | None:
        """A vehicle maker named right after "from", "by" or "of" after a cue ("trial runs …,
        beginning with 12-metre buses from Olectra Greentech", "trials of Meridian's Sanchar")."""
        lower, boundaries = self._lower, self.lexicon.boundaries
        for ent in ents:
            if cue_end <= ent.start <= cue_end + _MAKER_REACH and ent.label == "CUSTOMER" and ent.kb_id \
                    and self._is_customer(ent.kb_id) and lower[ent.start - 1] in ("from", "by", "of") \
                    and all(word in (",", "-") or word not in boundaries for word in lower[cue_end:ent.start]):
                return ent.kb_id
        return None

    def _is_customer(self, company: str) -> bool:
        entry = self.catalog.entries.get(company)
        return entry is not None and entry.role == "customer"

    def _cue_customer(self, start: int, end: int, ents: list[_Name]) -> str | None:
        """The customer named (or whose plant or vehicle is named) nearest the cue in its clause,
        the one after it first ("… and an order for alloy wheels from Royal Enfield")."""
        boundaries, lower = self.lexicon.boundaries, self._lower
        low = start
        while low > 0 and lower[low - 1] not in boundaries:
            low -= 1
        high = end
        while high < len(lower) and lower[high] not in boundaries:
            high += 1
        after = [ent for ent in ents if end <= ent.start < high and ent.role.customer]
        if after:
            return after[0].role.customer
        before = [ent for ent in ents if low <= ent.start < start and ent.role.customer]
        return before[-1].role.customer if before else None

    def _clause_customer(self, cue_start: int, ents: list[_Name]) -> str | None:
        """The customer named last before the cue in its clause ("while Audi plans a rise")."""
        for ent in reversed(ents):
            if ent.start < cue_start and ent.label == "CUSTOMER" and ent.role.customer:
                words = self._lower[ent.end:cue_start]
                return ent.role.customer if self._one_clause(_past_apposition(words)) else None
        return None

    def _clause_subject(self, sentence: _Sentence, cue_start: int, ents: list[_Name],
                        buyers: bool = False) -> str | None:
        """The organisation named last before the cue in its clause, whatever its role, when no
        glass maker or our company is named there ("Ashok Leyland bagged an order"); with
        ``buyers``, the first named in the sentence before the cue, if a customer or an
        organisation outside the trade ("CESL, a state company, has floated a tender")."""
        clause_start = sentence.start if buyers else cue_start
        while clause_start > sentence.start and self._lower[clause_start - 1] not in self.lexicon.boundaries:
            clause_start -= 1
        if not buyers and self._asides and clause_start > sentence.start:
            # past an aside that qualifies the subject: "Olectra Greentech, a MEIL subsidiary, has won"
            opening = next((open_ for open_, close in self._asides if close == clause_start - 1), None)
            if opening is not None:
                clause_start = opening
                while clause_start > sentence.start and self._lower[clause_start - 1] not in self.lexicon.boundaries:
                    clause_start -= 1
        before = [ent for ent in ents if clause_start <= ent.start and ent.end <= cue_start
                  and ent.label in _NAME_LABELS and ent.kb_id and not self._is_body(ent.kb_id)
                  and ent.start not in self._aside]
        if not before or any(ent.label in _COMPANY_LABELS for ent in before):
            return None     # the usual attribution knows glass makers and "we"
        if buyers:
            # the sentence's subject, past an apposition: "CESL, a Ministry of Power company,"
            return before[0].kb_id if before[0].label in ("CUSTOMER", "ORG") else None
        return before[-1].kb_id

    def _served_customers(self, draft: _Draft, company: str, ents: list[_Name], sentence: _Sentence) -> list[str]:
        """The customers a new plant or line serves, listed together after a serving word in the
        cue's clause ("a Pune factory which will serve FCA, Ford and Tata Motors", "where it will
        temper sidelites for Navika Motors and Dhruva Automobiles"), no other glass maker named
        between (not "…, which supplies Navika and Dhruva"); [] if none."""
        lower = self._lower
        cue_end = draft.cues[0][1]
        named = [ent for ent in ents if ent.label == "CUSTOMER" and ent.kb_id and ent.start >= cue_end]
        for index, first in enumerate(named):
            if not any(lower[i] in _SERVING_WORDS for i in range(max(cue_end, first.start - 4), first.start)) \
                    or any(ent.label in _COMPANY_LABELS and ent.kb_id != company and cue_end <= ent.start < first.start
                           for ent in ents) \
                    or not _NOT_SERVED_WORDS.isdisjoint(lower[cue_end:first.start]):
                continue
            group = [first]
            for ent in named[index + 1:]:
                if not self._in_a_list(group[-1].end, ent.start, longest=2):
                    break
                group.append(ent)
            return list(dict.fromkeys(ent.kb_id for ent in group)) if len(group) > 1 else []
        return []

    def _ranked(self, mention: _Mention, sentence: _Sentence) -> bool:
        """Whether a bidder's place in a tender follows the name ("Vitreon placed second,",
        "Sunmarg third."), in a sentence about a tender (not "Sunmarg's third plant", "second
        source")."""
        lower, end = self._lower, mention.end
        at = end + (end < sentence.end and lower[end] in _BEFORE_A_RANK)
        return at < sentence.end and lower[at] in _RANKED_BELOW \
            and (at + 1 >= sentence.end or lower[at + 1] in _AFTER_A_RANK) \
            and not _TENDER_WORDS.isdisjoint(lower[sentence.start:sentence.end])

    def _ahead_of_bidders(self, start: int, end: int) -> bool:
        """Whether "ahead of" at ``start``:``end`` ranks bidders: a winner's place said before it
        in its sentence ("came out L1 in Navika's RFQ, ahead of Vitreon and Sunmarg") and no
        possessive in the words after it (not "ahead of Vitreon's IPO", "Ahead of Diwali, …")."""
        lower = self._lower
        low = start
        while low > 0 and start - low < 30 and lower[low - 1] not in (".", ";", "!", "?"):
            low -= 1
        return not _RANKED_FIRST.isdisjoint(lower[low:start]) \
            and _POSSESSIVE_MARKS.isdisjoint(lower[end:end + 5])

    def _vehicle_maker_bidding(self, sentence: _Sentence, cue_start: int, ents: list[_Name]) -> str | None:
        """The vehicle maker whose bid the cue at ``cue_start`` is: named right before it with a
        possessive ("Tata Motors' lowest bid"), or its clause's subject ("Tata Motors submitted
        the lowest bid", "Ashok Leyland was the lowest bidder")."""
        lower = self._lower
        bid_at = next((i for i in range(cue_start, sentence.end) if lower[i] in _BID_WORDS), None)
        if bid_at is None or (bid_at + 1 < sentence.end and lower[bid_at + 1] in _BID_MODIFIED):
            return None     # "Navika's bid evaluation committee", "Dhruva's bidding rules"
        for ent in ents:
            # "Tata Motors' (lowest) bid was …", "Tata Motors' bid to supply …"
            if ent.label == "CUSTOMER" and ent.kb_id and ent.end < cue_start <= ent.end + 3 \
                    and lower[ent.end] in _POSSESSIVE_MARKS \
                    and bid_at + 1 < sentence.end and lower[bid_at + 1] in _AFTER_A_BID:
                return ent.kb_id
        subject = self._clause_subject(sentence, cue_start, ents)
        if subject is None or not self._is_customer(subject):
            return None
        # "Tata Motors submitted the lowest bid", "Ashok Leyland was the lowest bidder" — its own
        # act, not a buyer's ("Navika rejected all the bids", "Meridian will choose the lowest bidder")
        subject_end = max(ent.end for ent in ents if ent.kb_id == subject and ent.end <= cue_start)
        return subject if all(word in _BIDDING_WORDS for word in lower[subject_end:bid_at]) else None

    def _asides_in(self, sentence: _Sentence, ents: list[_Name]) -> list[tuple[int, int]]:
        """The (opening, closing) commas of asides that say whose part the name before them is:
        "Olectra Greentech, a MEIL subsidiary, has won", "Vitreon, a unit of Sunmarg, said", "VDL
        Bus & Coach, part of VDL Groep, will" — no name in them is the sentence's subject."""
        lower = self._lower
        asides = []
        for ent in ents:
            comma = ent.end
            if comma + 1 >= sentence.end or lower[comma] != "," or ent.label not in _NAME_LABELS \
                    or lower[comma + 1] not in ("a", "an", "the", "part", "itself", "now"):
                continue
            close = next((i for i in range(comma + 2, min(sentence.end, comma + 14))
                          if lower[i] in self.lexicon.boundaries), None)
            if close is not None and lower[close] == "," and any(
                    word in _ASIDE_WORDS for word in lower[comma + 1:close]):
                asides.append((comma, close))
        return asides

    def _carry_headings(self, cues_by_sentence, stored, figures_by_sentence, starts: Sequence[int],
                        ends: Sequence[int]) -> None:
        """A note's heading and the bulleted lines under it ("OTIF Sept:" then "* KSG 97%", "*
        CGW 88%"): a heading that names no supplier (a customer it may) and gives no figure lends
        its cues to each bullet under it that names someone and gives a figure (those of types
        the bullet has no cue of, and that take its figure); the list ends at the first line that
        is no bullet."""
        types = self.lexicon.types
        named, suppliers_named = set(), set()
        for start, _, label, *_ in stored:
            if label in _NAME_LABELS:
                named.add(bisect_right(starts, start) - 1)
                if label != "CUSTOMER":
                    suppliers_named.add(bisect_right(starts, start) - 1)
        # (a heading may name the customer: "NML vendor rating Q1")
        for index in [index for index in cues_by_sentence if index not in suppliers_named
                      and index not in figures_by_sentence and cues_by_sentence[index]]:
            kinds = sorted({kind for _, _, cue_kinds in cues_by_sentence[index] for kind in cue_kinds})
            for line in range(index + 1, len(starts)):
                bullet = next((token for token in range(starts[line], ends[line])
                               if not self._lower[token].isspace()), None)
                if bullet is None or self._lower[bullet] not in _BULLETS:
                    break
                if line in named and line in figures_by_sentence:
                    own = cues_by_sentence.get(line) or []
                    own_types = {name for _, _, cue_kinds in own for name, _ in cue_kinds}
                    units = {fields[3] for fields, _ in figures_by_sentence[line]}
                    # a heading lends what the line's figure measures ("OTIF Sept:" a %), not
                    # what it says was done ("Monthly visit, Kesarpur." above a PPM line)
                    lent = [kind for kind in kinds if kind[0] not in own_types and (
                        units & set(types[kind[0]].units) or (None in units and kind[0] in _IMPLIED_UNITS))]
                    if lent:    # "- KSG 82/100, PPM 40": the heading's rating and the line's PPM
                        cues_by_sentence[line] = [(bullet, bullet + 1, lent), *own]

    def _first_partner(self, cue_start: int, ents: list[_Name]) -> str | None:
        """Whose tie a partnership is: the first glass maker (or our company) named before the cue
        ("Corning … through a partnership with Saint-Gobain"), else, when the sentence names no
        glass maker at all, the first organisation named before it ("Grupo Antolin has completed
        its purchase of Magna's interiors business", "Suzuki, Toshiba and Denso have agreed to set
        up a joint venture"); None when the usual attribution decides. The whole sentence before
        the cue counts: the partners are often listed with commas."""
        named = [ent for ent in ents if ent.label in _NAME_LABELS and ent.kb_id and not self._is_body(ent.kb_id)]
        before = [ent for ent in named if ent.end <= cue_start]
        if not before:
            return None
        glass = [ent for ent in before if ent.label in _COMPANY_LABELS]
        if glass:
            return glass[0].kb_id
        if any(ent.label in _COMPANY_LABELS for ent in named):
            return None
        return before[0].kb_id

    def _owner_before(self, cue_start: int, ents: list[_Name]) -> str | None:
        """Who does what the cue says to its own (its plant): the organisation named right before
        it, whatever its role ("after Meridian Mobility shuts its Halol plant", "after Dhruva
        decided to close its Pune plant"), within _OWNER_REACH words in its clause."""
        for ent in reversed(ents):
            if ent.end > cue_start:
                continue
            if cue_start - ent.end > _OWNER_REACH or ent.label not in _NAME_LABELS or not ent.kb_id \
                    or self._is_body(ent.kb_id) or not self._one_clause(self._lower[ent.end:cue_start]):
                return None
            return ent.kb_id
        return None

    def _tender_buyer(self, sentence: _Sentence, start: int, end: int, ents: list[_Name]) -> str | None:
        """Who floats the tender whose cue is at ``start``:``end`` — the sentence's subject if a
        customer or an organisation outside the trade — when no bidder (a glass maker, our
        company or another vehicle maker) is named after the cue."""
        buyer = self._clause_subject(sentence, start, ents, buyers=True)
        if buyer is None or any(ent.start >= end and ent.label in (*_COMPANY_LABELS, "CUSTOMER")
                                and ent.kb_id != buyer for ent in ents):
            return None     # "invited quotations from Kestrel, Vitreon and Clarity"
        return buyer

    def _tender_owner(self, start: int, ents: list[_Name]) -> str | None:
        """The organisation whose tender, RFQ or enquiry the cue at ``start`` is ("BEST's tender",
        "the Indian Army's RFP"): the buyer (not "Vitreon's bid", "Clarity's quote")."""
        if start < 2 or self._lower[start - 1] not in _POSSESSIVE_MARKS or self._lower[start] not in _TENDER_NOUNS:
            return None
        return next((ent.kb_id for ent in ents if ent.end == start - 1 and ent.label in _NAME_LABELS
                     and ent.kb_id), None)

    def _contract_holder(self, start: int, end: int, mentions: list[_Mention], subject: str) -> str | None:
        """Whose business a cue at ``start``:``end`` names, other than its subject: a name with a
        possessive inside it ("terminated Olectra Greentech's contract") or right after it
        after "with" ("terminated its contract with Custom Products Corporation")."""
        for m in mentions:
            if m.company_id == subject or m.compared or m.kind not in ("entity", "org"):
                continue
            if start < m.start and m.end < end and self._lower[m.end] in _POSSESSIVE_MARKS:
                return m.company_id
            if end <= m.start <= end + 1 and self._lower[m.start - 1] == "with":
                return m.company_id
        return None

    def _part_maker_after(self, low: int, high: int, ents: list[_Name]) -> str | None:
        """A glass or component maker named after "made by", "supplied by", "from" … among
        tokens ``low`` to ``high - 1`` ("to replace airbag inflators made by Takata Corp.")."""
        for ent in ents:
            if ent.start < low or ent.start >= high or ent.label not in ("COMPETITOR", "OWN_COMPANY", "ORG") \
                    or not ent.kb_id or self._is_body(ent.kb_id):
                continue
            if any(word in _PART_MAKER_MARKERS for word in self._lower[max(low, ent.start - 2):ent.start]):
                return ent.kb_id
        return None

    def _bidders_from(self, sentence: _Sentence, start: int, end: int, ents: list[_Name]) -> list[str]:
        """The buyer (the sentence's subject, a customer or an organisation outside the trade)
        and the bidders listed after "from" soon after an enquiry's cue ("invited tenders from
        Ashok Leyland Ltd, Tata Motors Ltd and Ural India Ltd"), buyer first; [] if not so."""
        buyer = self._clause_subject(sentence, start, ents, buyers=True)
        if buyer is None:
            return []
        for ent in ents:
            if ent.start < end or ent.start - end > _BUYER_REACH or ent.label not in _NAME_LABELS \
                    or not ent.kb_id or ent.kb_id == buyer:
                continue
            # (a comma may stand between: "invited tenders on June 13, 2011 from …")
            if "from" not in self._lower[max(end, ent.start - 2):ent.start] or not all(
                    word == "," or word not in self.lexicon.boundaries for word in self._lower[end:ent.start]):
                return []
            bidders, previous = [ent.kb_id], ent
            for other in ents:
                if other.start < previous.end:
                    continue
                if not self._in_a_list(previous.end, other.start) or other.label not in _NAME_LABELS \
                        or not other.kb_id:
                    break
                bidders.append(other.kb_id)
                previous = other
            return [buyer, *dict.fromkeys(bidder for bidder in bidders if bidder != buyer)]
        return []

    def _buyers(self, draft: _Draft, ents: list[_Name], sentence: _Sentence) -> list[str]:
        """Whom business was won from or lost at: a customer or another organisation named after
        "from" or "by" soon after the cue ("bagged an order … from BEST"), and those listed with it."""
        for ent in ents:
            # the nearest cue before it ("won an order to supply … to KSRTC": two cues, the
            # second running past the name), or the start of one around it ("the order from
            # GSRTC for 50 buses has been terminated")
            cue_end = max([end if end <= ent.start else start for start, end in draft.cues
                           if start < ent.start], default=None)
            if cue_end is None or ent.start - cue_end > _BUYER_REACH:
                continue
            if ent.label not in ("CUSTOMER", "ORG") or not ent.kb_id:
                continue
            before = self._lower[max(cue_end, ent.start - 3):ent.start]
            supplied = "to" in before and any(word in _SUPPLY_VERBS for word in self._lower[cue_end:ent.start])
            if (supplied or any(word in ("from", "by") for word in before)) and self._no_boundary(cue_end, ent.start):
                # "… from BEST", "won an order to supply 1,290 buses to GSRTC"; "orders from BMW,
                # Land Rover and GM": each buyer listed
                return self._listed_buyers(ent, ents)
        return []

    def _listed_buyers(self, first: _Name, ents: list[_Name]) -> list[str]:
        """``first`` and the customers or organisations listed right after it ("MSRTC, GSRTC
        and TGSRTC", "the UPSRTC and the Chandigarh Transport Undertaking")."""
        buyers = [first.kb_id]
        previous = first
        for ent in ents:
            if ent.start < previous.end:
                continue
            if not self._in_a_list(previous.end, ent.start, articles=True, places=True) \
                    or ent.label not in ("CUSTOMER", "ORG") or not ent.kb_id:
                break
            if ent.kb_id not in buyers:
                buyers.append(ent.kb_id)
            previous = ent
        return buyers

    def _sentence_has_units(self, token: int, starts: Sequence[int], figures, units: tuple[str, ...]) -> bool:
        """Whether the sentence of ``token`` has a figure in one of ``units``."""
        if not figures:
            return False
        sentence = bisect_right(starts, token) - 1
        low = self._idx[starts[sentence]] if sentence >= 0 else 0
        high = self._idx[starts[sentence + 1]] if sentence + 1 < len(starts) else len(self._text)
        return any(low <= fields[0] < high and fields[3] in units for fields in figures)

    def _a_model_starts(self, verb: int) -> bool:
        """Whether what starts at ``verb`` is a vehicle or a programme: the word before it, past
        helping words ("would", "is due to", "is expected to"), names one ("the Vistar MPV would
        start production", "programmes due to start production")."""
        index = verb - 1
        while index >= 0 and self._lower[index] in _STARTING_HELPERS:
            index -= 1
        return index >= 0 and self._lower[index] in _STARTING_MODELS

    def _maker_tokens(self, low: int, high: int, names: list[tuple[int, int]]) -> int:
        """How many of tokens ``low`` to ``high - 1`` name a maker with its possessive ("Saint-Gobain
        Sekurit's"), when the last of them is such a possessive."""
        count = 0
        for start, end in names:
            if low <= start and end < high and self._lower[end] in _POSSESSIVE_MARKS:
                count += end - start + 1
        return count

    def _only_products_between(self, low: int, high: int, technologies: list[tuple[int, int]]) -> bool:
        """Whether the commas among tokens ``low`` to ``high - 1`` only list products: "feed
        airbags, steering wheels and weatherstrips to Suzuki Motor Gujarat"."""
        inside = bytearray(high - low)
        for start, end in technologies:
            if start < high and end > low:
                inside[max(start, low) - low:min(end, high) - low] = b"\x01" * (min(end, high) - max(start, low))
        words = self._lower[low:high]
        for offset, word in enumerate(words):
            if inside[offset] or word not in self.lexicon.boundaries:
                continue
            # a comma right after a product, before another or "and": "airbags, steering wheels and"
            if not (word == "," and offset and inside[offset - 1] and offset + 1 < len(words)
                    and (inside[offset + 1] or words[offset + 1] in _LIST_JOINERS)):
                return False
        return any(inside)

    def _object_allowed(self, cue_class, low: int, high: int) -> bool:
        """An object, not a place: "opened a plant", not "make chargers at the Pune plant" (nor a
        clause: "adding that its plant will see interruptions")."""
        if cue_class.type == "capacity" and any(word in ("at", "in", "near", "from", "of", "that")
                                                 for word in self._lower[low:high]):
            return False
        if cue_class.type == "capacity" and high - 1 >= low and self._lower[high - 1] in _OFFICE_WORDS:
            return False    # an office, no plant: "opened a global procurement unit"
        if cue_class.type == "vendor_rating" and high - 1 >= low and self._lower[high - 1] in ("contract", "supply"):
            return False    # business, no honour: "handed Bosch a contract award"
        if cue_class.type == "capacity" and low and self._lower[low - 1] in _START_VERBS \
                and any(word in _TRIAL_WORDS for word in self._lower[low:high]):
            return False    # a trial, no output: "has begun trial production of door glass"
        return self._name_object_allowed(cue_class, low, high)

    def _name_object_allowed(self, cue_class, low: int, high: int) -> bool:
        """A name as the object: with one of the class's ``via`` words before it ("supplies
        glass to Maruti"), or, without ``via``, with no "from", "to" or "by" in between
        ("acquired from Ford" acquires no Ford)."""
        if cue_class.objects[0] not in _NAME_OBJECTS:
            return True
        words = self._lower[low:high]
        if cue_class.via:
            if cue_class.type == "supply_win" and not _DIVESTED.isdisjoint(words):
                return False    # a business sold, no parts: "sold its lamp operations to Varroc"
            text = " " + " ".join(words) + " "
            if cue_class.type == "supply_win" and any(phrase in text for phrase in _SHARE_OF_ITS_OWN):
                return False    # a share, no win: "ships nearly 90% of its output to Hyundai Motor"
            for phrase in _NOT_VIA:     # "supplies close to 60% of Meridian's windshields"
                text = text.replace(phrase, " ")
            return any(f" {word} " in text for word in cue_class.via)
        if cue_class.objects[0] == "<TECH>":
            # a product fitted "as standard to the side windows" is still the object
            return not any(word in ("from", "by") for word in words)
        return not any(word in ("from", "to", "by") for word in words)

    def _class_allows(self, index: int, sentence: _Sentence, cues, ents: list[_Name],
                      context: dict) -> bool:
        """A class cue's conditions on its sentence: the words it needs, a customer, and no cue of
        a type it yields to."""
        cue_class = self.lexicon.classes[index]
        if cue_class.yields_to and any(
                name in cue_class.yields_to and mode != _WEAK
                and not (mode.startswith(_CLASS) and self.lexicon.classes[int(mode[len(_CLASS):])].weak)
                for _, _, kinds in cues for name, mode in kinds):
            return False
        if self._transfer_at and TRANSFER in cue_class.yields_to and any(
                self._lower[at] in _MOVE_VERBS for at in self._transfer_at[
                    bisect_left(self._transfer_at, sentence.start):bisect_left(self._transfer_at, sentence.end)]):
            return False    # business moved "from us to Vitreon" is a win and a loss
        return self._class_words_found(index, sentence, ents, context)

    def _class_words_found(self, index: int, sentence: _Sentence, ents: list[_Name], context: dict) -> bool:
        """Whether the sentence has one of the class's words (or a customer, if it takes one)."""
        cue_class = self.lexicon.classes[index]
        if not cue_class.sentence_words and not cue_class.or_customer:
            return True
        if self._norms is None:
            self._norms = self._doc.to_array(NORM).tolist()
        words, phrases = self.class_sentence_words[index]
        norms = self._norms[sentence.start:sentence.end]
        if words and not words.isdisjoint(norms):
            return True
        for phrase in phrases:     # a phrase of several words: its first word, then the rest
            first, size, words_of = phrase[0], len(phrase), list(phrase)
            if any(norm == first and norms[i:i + size] == words_of for i, norm in enumerate(norms)):
                return True
        return cue_class.or_customer and (bool(context.get("customer"))
                                          or any(ent.role.customer for ent in ents))

    def _names_an_existing_tie(self, start: int, end: int) -> bool:
        """"Motherson's lighting joint venture", "its JV": a tie named as a party, not news of one."""
        if " ".join(self._lower[start:end]).replace(" - ", "-") not in _TIE_NOUNS:
            return False
        if any(word in _POSSESSIVE_WORDS for word in self._lower[max(0, start - 3):start]):
            return True
        # "the Marelli Talbros Chassis Systems joint venture", "the joint venture of a Chinese maker",
        # "the joint venture unveiled in October": a tie named, no news of one — unless a verb
        # forms it ("formed the joint venture")
        before = self._lower[max(0, start - 6):start]
        if before[-2:-1] and before[-2] in ("on", "about", "over", "regarding") and before[-1] == "the":
            return False    # "said in a stock market notice on the joint venture": the news
        if "the" in before and not any(word in _TIE_FORMING for word in before):
            return not any(word in _TIE_FORMING for word in self._lower[end:end + 3])
        return False

    def _hypothesis_end(self, sentence: _Sentence) -> int:
        """Where a sentence's opening "If …," clause ends (its start if there is none)."""
        first = sentence.start
        while first < sentence.end and self._lower[first].isspace():
            first += 1
        if first >= sentence.end or self._lower[first] not in _HYPOTHESES:
            return sentence.start
        for index in range(first + 1, min(sentence.end, first + 30)):
            if self._lower[index] == ",":
                return index
        return sentence.start

    def _neutralised(self, name: str, start: int, end: int,
                     neutral: list[tuple[int, int, frozenset[str]]], figures=()) -> bool:
        """A neutral phrase for the type ("prices held", "no change") in the cue's clause, or one
        that says nothing happened ("nothing to report") anywhere in the sentence."""
        for phrase_start, phrase_end, types in neutral:
            if "*" in types:
                return True
            if name not in types:
                continue
            if INSIDE_ONLY in types:
                if phrase_start <= start and end <= phrase_end and not self._priced(figures):
                    return True     # "declared L1": that L1 is no price (with a price beside it, it is)
                continue
            low, high = min(end, phrase_end), max(start, phrase_start)
            if phrase_start >= end and high - low <= 2:     # a note's "Prices: no movement"
                if self._one_clause([word for word in self._lower[low:high] if word != ":"]):
                    return True
            elif self._no_boundary(low, high):      # "paying 60-90 days late": a hyphen in a word
                return True
        return False

    def _priced(self, figures) -> bool:
        """Whether a sentence's figures hold a price: a sum of money that is no contract's, or a
        figure after "@" ("declared L1 @ 3850", "@ Rs 1,180/pc", "a quote 9% lower")."""
        return any((figure.unit in MONEY_UNITS and not _a_contracts_sum(figure)) or figure.unit == "%"
                   or (token and self._lower[token - 1] == "@") for figure, token in figures)

    def _no_boundary(self, low: int, high: int) -> bool:
        """Whether tokens ``low`` to ``high - 1`` hold no clause boundary; a hyphen inside a word
        ("a Rs 231-crore factory") is none."""
        boundaries = self.lexicon.boundaries
        text, idx = self._text, self._idx
        index = low
        while index < high:
            word = self._lower[index]
            if word in boundaries:
                if word == "-" and index > 0 and not text[idx[index] - 1].isspace() \
                        and idx[index] + 1 < len(text) and not text[idx[index] + 1].isspace():
                    index += 1
                    continue
                if word == "," and index > low and text[idx[index - 1]].isupper():
                    # a town and its state between commas: "shut its Brampton, Ontario, plant"
                    after = index + 1
                    while after < high and after - index <= 2 and text[idx[after]].isupper() \
                            and self._lower[after].isalpha():
                        after += 1
                    if after > index + 1 and after < high and self._lower[after] == ",":
                        index = after + 1
                        continue
                return False
            index += 1
        return True

    def _clauses_joined(self, low: int, high: int) -> bool:
        """Whether a conjunction that opens another clause stands between tokens ``low`` and
        ``high``: ", and", ", but", "while", "whereas", ";"."""
        lower = self._lower
        return any(lower[i] in _CLAUSE_CONJUNCTIONS or lower[i] == ";"
                   or (lower[i] in ("and", "but") and lower[i - 1] == ",") for i in range(low + 1, high))

    def _one_clause(self, words: list[str]) -> bool:
        """Whether ``words`` (the tokens between two points) hold no clause boundary."""
        boundaries = self.lexicon.boundaries
        return not any(word in boundaries for word in words)

    def _has_figure_for(self, draft: _Draft, figures: list[tuple[_Figure, int]]) -> bool:
        units = self.lexicon.types[draft.type].units
        return any(figure.unit in units for figure, _ in figures)

    def _weak_satisfied(self, name: str, figures: list[tuple[_Figure, int]], cues=()) -> bool:
        """A weak cue counts when the sentence has a figure of the right kind and size, and no
        strong cue of a type it yields to ("revenue was 8.6% higher" is no price)."""
        signal_type = self.lexicon.types[name]
        yields_to = signal_type.weak_yields_to
        rates = {figure.unit for figure, _ in figures
                 if figure.per is not None and figure.unit not in MONEY_UNITS
                 and figure.unit in signal_type.weak_units} if yields_to else ()
        if yields_to and rates:
            # a rate ("11.8 million gears a year") stays the weak cue's beside a type that cannot
            # take it (an order book's rupees), not beside one that can (an enquiry's volumes)
            yields_to = tuple(name for name in yields_to if rates & set(self.lexicon.types[name].units))
        if yields_to and self._strong_cue_of(yields_to, cues, figures):
            return False
        if signal_type.money_yields_to and self._strong_cue_of(
                signal_type.money_yields_to,
                # an MoU for a plant names the plant's outlay ("signed an MoU for a float glass
                # plant worth INR 2,000 crore"), a venture or a purchase the deal's
                [cue for cue in cues if _MOU_WORDS.isdisjoint(self._lower[cue[0]:cue[1]])], figures):
            # "a joint venture to make PVB … at a cost of ₹320 crore": the venture's outlay
            figures = [(figure, token) for figure, token in figures if figure.unit not in MONEY_UNITS]
        minimum = dict(signal_type.weak_minimum)
        for figure, _ in figures:
            if figure.unit not in signal_type.weak_units:
                continue
            # a rate ("2 lakh units a year") is enough for a count; an amount per period
            # ("₹40 crore a year") is a turnover, and must still reach the minimum
            rate_suffices = figure.per is not None and figure.unit != "INR"
            if not rate_suffices and (figure.value < minimum.get(figure.unit, 0)
                                      or (figure.unit == "INR" and figure.per is not None
                                          and figure.unit in minimum)):
                continue
            return True
        return False

    def _strong_cue_of(self, names: tuple[str, ...], cues, figures: list[tuple[_Figure, int]]) -> bool:
        """Whether one of the cues is a strong cue of these types: a plain one, a class cue that is
        not weak, or a weak class cue with a figure of its kind there ("net sales of Rs 943 crore")."""
        classes = self.lexicon.classes
        for _, _, kinds in cues:
            for other, mode in kinds:
                if other not in names:
                    continue
                if mode in (_STRONG, _FAILURE):
                    return True
                if mode.startswith(_CLASS):
                    cue_class = classes[int(mode[len(_CLASS):])]
                    units = cue_class.units or self.lexicon.types[other].weak_units
                    if not cue_class.weak or any(figure.unit in units for figure, _ in figures):
                        return True
        return False

    def _is_punct(self, token: int) -> bool:
        lower = self._lower_hashes[token]
        found = self._punctuation.get(lower)
        if found is None:
            found = self._punctuation[lower] = self._vocab[lower].is_punct
        return found

    def _word_end(self, end_token: int) -> int:
        return word_end_char(self._text, self._idx, end_token)

    def _end_char_of(self, end_token: int) -> int:
        text, idx = self._text, self._idx
        if text[idx[end_token - 1]].isspace():      # a whitespace token: its length from spaCy
            return end_char(self._doc, idx, end_token)
        return word_end_char(text, idx, end_token)

    # -- negation --------------------------------------------------------------------
    def _negated(self, doc: Doc, sentence: _Sentence, start: int, end: int) -> bool:
        lexicon = self.lexicon
        # most sentences hold no negator at all: skip the scan then
        low = bisect_left(self._negator_at, max(sentence.start, start - 2 * lexicon.window_before - 2))
        if low >= len(self._negator_at) or \
                self._negator_at[low] >= min(sentence.end, end + 2 * lexicon.window_after + 2):
            return False
        i, steps = start - 1, 0
        while i >= sentence.start and steps < lexicon.window_before:
            lower = self._lower[i]
            if lower in lexicon.boundaries or lower in _NEGATION_STOPS:
                break       # ("a part could not be had amid the chip shortage": the shortage stands)
            if (lower in lexicon.negators_before or lower.endswith("n't")) \
                    and not (i + 1 < start and self._lower[i + 1] in lexicon.naming_verbs):
                return True
            if not self._is_punct(i):
                steps += 1
            i -= 1
        i, steps = end, 0
        while i < sentence.end and steps < lexicon.window_after:
            lower = self._lower[i]
            if lower in lexicon.boundaries or lower in _NEGATION_STOPS_AFTER:
                if lower == ":" and i - end <= 1:     # a note's "Price discussion: none"
                    i += 1
                    continue
                break
            if (lower in lexicon.negators_after or lower.endswith("n't")) \
                    and not (lower == "held" and i + 1 < sentence.end and self._doc[i + 1].like_num):
                return True     # (not "has held 14.6 percent so far": a level kept)
            if not self._is_punct(i):
                steps += 1
            i += 1
        return False

    # -- attribution -----------------------------------------------------------------
    def _mentions(self, sentence: _Sentence, ents: list[_Name], context: dict,
                  memory: _DocumentMemory, cues, subjects, pronouns) -> list[_Mention]:
        """Who the sentence's cues may be about, in token order."""
        mentions = [_new_mention((ent.start, ent.end, role.company, role.kind, False))
                    for ent in ents if (role := ent.role).kind is not None]
        if any(m.kind == "plant" for m in mentions):
            # a town that is one of a glass maker's plants is a place when another organisation is
            # named with it: "Cooper Standard has opened a facility at Bawal"
            # (a glass maker named with it does not: "Furnace at Sanaswadi shut; Clarity to fill the gap")
            others = {m.company_id for m in mentions if m.kind == "org"}
            mentions = [m for m in mentions if m.kind != "plant" or not others or m.company_id in others]
        own = self.catalog.our_company
        for position, ours in pronouns:
            if any(start <= position < end for start, end, _kinds in cues) \
                    and not (ours and position and self._lower[position - 1] in ("%", "all")):
                continue        # (a cue's own word: "below ours" is the other's price; "100% ours" is ours)
            if ours:
                if own:
                    mentions.append(_new_mention((position, position + 1, own, "own", False)))
                continue
            if position + 1 < len(self._lower) and self._lower[position + 1] in _BUYER_VERBS:
                continue        # "(they asked 3%)": the customer asking, no competitor
            before = [ent.kb_id for ent in ents if ent.label == "COMPETITOR" and ent.start < position]
            other = (before[-1] if before else None) or context.get("competitor") or memory.competitor
            if other:
                mentions.append(_new_mention((position, position + 1, other, "other", False)))
        for start, end in subjects:
            if memory.subject:
                mentions.append(_new_mention((start, end, memory.subject, "subject", False)))
            elif self._lower[end - 1] in _SUPPLIER_NOUNS:
                # "… cancelled their own orders with the glass maker": the supplier named before
                named = [m for m in mentions if m.end <= start and m.kind in ("entity", "own")
                         and m.company_id and not self._is_customer(m.company_id)]
                if named:
                    mentions.append(_new_mention((start, end, named[-1].company_id, "subject", False)))
        compare_at = self._compare_at
        if compare_at and mentions:
            sentence_start, count = sentence.start, len(compare_at)
            # "below that of incumbent X": a compare word up to four tokens before it
            mentions = [_new_mention((*mention[:4], True))
                        if (low := bisect_left(compare_at, max(sentence_start, mention.start - 4))) < count
                        and compare_at[low] < mention.start else mention
                        for mention in mentions]
        if mentions and self._ranked_at:
            # "with Vitreon placed second and Sunmarg third": bidders ranked below the winner, not
            # the subject — when the winner is named too ("Vitreon L2 in Navika RFQ" is Vitreon's)
            ranked = [not mention.compared and mention.kind in ("entity", "own") and self._ranked(mention, sentence)
                      for mention in mentions]
            if any(ranked) and any(not is_ranked and mention.kind in ("entity", "own")
                                   and not self._is_customer(mention.company_id)
                                   for mention, is_ranked in zip(mentions, ranked, strict=True)):
                mentions = [_new_mention((*mention[:4], True)) if is_ranked else mention
                            for mention, is_ranked in zip(mentions, ranked, strict=True)]
        if pronouns or subjects:     # else in entity order already
            mentions.sort(key=attrgetter("start"))
        return mentions

    def _supplier_of_named_parts(self, company: str, ents: list[_Name], context: dict) -> str:
        """A note's line that names no company is about the note's competitor — unless the parts
        it names ("Vistar WS + sunroof") are ones the account tables say we supply and the
        competitor does not (``context["parts"]``, see compintel.tag.supplied_parts)."""
        parts, ours = context.get("parts"), self.catalog.our_company
        if not parts or not ours:
            return company
        models = [ent.kb_id for ent in ents if ent.label == "VEHICLE" and ent.kb_id]
        families = {self.catalog[ent.kb_id].attrs.get("part_family") for ent in ents
                    if ent.label == "TECHNOLOGY" and ent.kb_id in self.catalog}
        families.discard(None)
        named = [parts.get(f"{model}|{family}") for model in models for family in families]
        if named and all(suppliers and ours in suppliers and company not in suppliers
                         for suppliers in named):
            return ours
        return company

    def _company_for(self, signal_type: str, cue_start: int, mentions: list[_Mention],
                     ents: list[_Name], context: dict) -> str | None:
        """Who the cue at ``cue_start`` is about (see the module docstring)."""
        if signal_type in _SUBJECT_TYPES and (maker := self._the_carmaker(cue_start, ents)) is not None:
            return maker
        best = _nearest_mention(cue_start, mentions, organisations=False, clause_of=self._mention_clause)
        if signal_type == "supply_loss" and best is not None and best.start > cue_start \
                and self._lower[best.start - 1] in _WIN_AFTER:
            # "lost 30% to VAGL": the business went to it; in a KAM's note naming no loser,
            # the loser is the writer's own company
            if context.get("kind") == "note" and self.catalog.our_company:
                return self.catalog.our_company
            best = None
        if best is not None and (signal_type not in _SUBJECT_TYPES or best.start < cue_start):
            return best.company_id
        if signal_type in _SUBJECT_TYPES:
            # an OEM's or another organisation's own plans: the sentence's subject, usually first
            subjects = [(ent.start, owner) for ent in ents
                        if (owner := ent.role.subject) is not None]
            before = [item for item in subjects if item[0] < cue_start]
            if before:
                if best is not None and signal_type in _SUPPLIER_SIDE_TYPES and self._is_customer(before[0][1]):
                    return best.company_id      # "Navika's new MPV gets glass developed by Vitreon"
                return before[0][1]
            if best is not None:
                return best.company_id
            # after the cue, not a partner: "a tie-up with Seoryeong Nano Coatings" is Seoryeong's
            # only as the other party
            after = [owner for start, owner in subjects if self._lower[start - 1] != "with"]
            if after:
                return after[0]
        if signal_type in _OURS_UNNAMED and context.get("kind") == "note" and self.catalog.our_company:
            return self.catalog.our_company     # a KAM's note naming no one: the rating is ours
        found = context.get("competitor") or context.get("company")
        if found:
            return self._supplier_of_named_parts(found, ents, context)
        # no glass maker named: another organisation (a tier-1, a bank), but not the buyer
        # of business won ("an order … from BEST")
        # an organisation after "with", "to", "from" or "by" is the other party ("lodged a
        # recall with NHTSA", "an order from BEST")
        markers = _OBJECT_MARKERS_BY_TYPE.get(signal_type, _OBJECT_MARKERS)
        mentions = [m for m in mentions if m.kind != "org" or not self._after_marker(m.start, markers)
                    or (signal_type == "supply_win" and self._awarded_to(m.start))]
        if self.lexicon.public_buyer_words and len(mentions) > 1:
            # a public buyer last: "Tata, Mahindra and Bharat Forge … bids for the Indian Army's
            # contract" are Bharat Forge's (SignalTagger._sold_to_public_buyers)
            sellers = [m for m in mentions if m.kind != "org" or not self._is_public_buyer(m.company_id)]
            if len(sellers) < len(mentions):
                other = _nearest_mention(cue_start, sellers, organisations=True, clause_of=self._mention_clause)
                if other is not None:
                    return other.company_id
        other = _nearest_mention(cue_start, mentions, organisations=True, clause_of=self._mention_clause)
        return other.company_id if other is not None else None

    def _elliptical_prices(self, drafts: dict, ents: list[_Name], figures: list[tuple[_Figure, int]]) -> None:
        """Prices listed after a price cue, each company with its own figure and no verb of its
        own: "Nissan will raise prices by up to 3 percent, Renault's Indian arm by 3 percent and
        Skoda by as much as Rs 50,000" — each company's price."""
        lower = self._lower
        units = self.lexicon.types["pricing"].units
        first = min(start for key, draft in drafts.items() if key[0] == "pricing" for start, _ in draft.cues)
        at = {token: figure for figure, token in figures if figure.unit in units}
        for ent in ents:
            if ent.start <= first or ent.label not in _NAME_LABELS or not ent.kb_id \
                    or lower[ent.start - 1] not in (",", "and", "while", "whereas") \
                    or ent.end >= len(lower) or lower[ent.end] != "by":
                continue
            token = ent.end + 1
            while token < len(lower) and lower[token] in _ABOUT_WORDS:
                token += 1
            if token not in at:
                continue
            company = None if self._is_customer(ent.kb_id) else ent.kb_id
            key = ("pricing", None, ent.kb_id) if company is None else ("pricing", company)
            draft = _Draft("pricing", company, [(ent.end, token)], figure=at[token], figure_token=token,
                           customer=ent.kb_id if company is None else None)
            if key not in drafts and ("pricing", ent.kb_id) not in drafts:
                drafts[key] = draft

    def _the_carmaker(self, cue_start: int, ents: list[_Name]) -> str | None:
        """The vehicle maker named before "the carmaker" that is the subject of the cue at
        ``cue_start``: "Sunmarg expects orders from Meridian Mobility to drop after the carmaker
        said it would close its Kothvali plant" — Meridian's plant."""
        lower = self._lower
        low = max(0, cue_start - 8)
        at = next((i for i in range(cue_start - 1, low, -1) if lower[i] in _CARMAKER_NOUNS and lower[i - 1] == "the"),
                  None)
        if at is None or not self._one_clause(lower[at:cue_start]):
            return None
        # the owner of the plant it names ("until the carmaker closed the Ambeli plant": Navika's)
        plant = next((ent.role.customer for ent in ents if cue_start <= ent.start <= cue_start + 6
                      and ent.role.customer_plant and ent.role.customer), None)
        if plant is not None:
            return plant
        makers = [ent.kb_id for ent in ents if ent.end <= at and ent.label == "CUSTOMER" and ent.kb_id
                  and self._is_customer(ent.kb_id)]
        return makers[-1] if makers else None

    def _awarded_to(self, start: int) -> bool:
        """Whether the name at ``start`` is the one business went to: "the tender was awarded to
        Evey Trans", "upheld the award to Evey Trans"."""
        lower = self._lower
        return start > 1 and lower[start - 1] == "to" and lower[start - 2] in _AWARDED \
            and not _AWARDED_BUSINESS.isdisjoint(lower[max(0, start - 12):start - 2])   # not "the trademark"

    def _after_marker(self, start: int, markers: frozenset[str]) -> bool:
        """Whether the name at ``start`` follows one of ``markers`` (past an article after "from"
        or "by": "an order from the Gujarat State Road Transport Corporation"), or "from" after an order's word,
        whose buyer it names whatever the type ("the order from X … has been terminated")."""
        before = start - 1
        if before > 0 and self._lower[before] in _ARTICLES and self._lower[before - 1] in ("from", "by"):
            before -= 1
        if before < 0:
            return False
        word = self._lower[before]
        return word in markers or (word == "from" and before > 0 and self._lower[before - 1] in _ORDER_WORDS)

    def _actor(self, doc: Doc, sentence: _Sentence, start: int, end: int,
               mentions: list[_Mention]) -> str | None:
        """Who visited or met: the nearest company named before the cue (not across a "topic:"
        colon), else one inside it or after it in the same clause ("we" may follow the colon)."""
        boundaries = self.lexicon.boundaries
        before = [m for m in mentions if m.start < start and not m.compared
                  and not any(self._lower[i] == ":" for i in range(m.end, start))]
        if before:
            trade = [m for m in before if m.kind != "org"]
            return (trade or before)[-1].company_id
        for mention in mentions:
            # (one inside the cue is the one visited: "spent a day at Clarity Glassworks' plant")
            if mention.start <= start or mention.compared or mention.kind == "org":
                continue        # "met Vaigai Rubber Profiles": the one met, not the visitor
            between = self._lower[end:mention.start] if mention.start >= end else []
            if mention.kind == "own" and not any(t in boundaries and t != ":" for t in between):
                return mention.company_id
            if not any(t in boundaries for t in between):
                return mention.company_id
            if between and between[-1] == "," and len(between) > 1 and between[-2] in _SUPPLIERS_NAMED \
                    and not any(t in boundaries for t in between[:-1]):
                return mention.company_id   # "audited the lines of its glass suppliers, Kestrel and Clarity among them"
        return None

    def _coordinated(self, doc: Doc, company: str | None, mentions: list[_Mention]) -> list[str | None]:
        """The company and those listed with it: "Kestrel, Vitreon and Sunmarg"."""
        if company is None:
            return [company]
        names = [m for m in mentions if m.kind in ("entity", "own", "plant", "org") and not m.compared]
        if len(names) < 2:
            return [company]
        index = next((i for i, m in enumerate(names) if m.company_id == company), None)
        if index is None:
            return [company]
        first, last = self._list_around(names, index)
        return list(dict.fromkeys(m.company_id for m in sorted(names[first:last + 1], key=lambda m: m.start)))

    def _list_around(self, names: Sequence, index: int) -> tuple[int, int]:
        """The first and last of ``names`` (each with ``start`` and ``end``) in the list the one
        at ``index`` belongs to: neighbours joined only by ",", "and" … (:meth:`_in_a_list`)."""
        first = last = index
        while first > 0 and self._in_a_list(names[first - 1].end, names[first].start):
            first -= 1
        while last + 1 < len(names) and self._in_a_list(names[last].end, names[last + 1].start):
            last += 1
        return first, last

    def _bidders_named_after(self, company: str, cue_end: int, ents: list[_Name]) -> list[str]:
        """The bidders listed right after a bidding cue and a comma, with "among them" after the
        list: "Eight bidders, Tata Motors and Evey Trans among them, …"."""
        lower = self._lower
        names = [ent for ent in ents if ent.label in _NAME_LABELS and ent.kb_id]
        index = next((i for i, ent in enumerate(names) if ent.kb_id == company and ent.start >= cue_end), None)
        if index is None:
            return []
        first, last = self._list_around(names, index)
        if first == last or lower[cue_end:names[first].start] != [","] \
                or lower[names[last].end:names[last].end + 2] != ["among", "them"]:
            return []
        return list(dict.fromkeys(ent.kb_id for ent in names[first:last + 1]))

    def _listed_after(self, first: str, start: int, ents: list[_Name]) -> list[str]:
        """``first``, named right after the token at ``start``, and the names listed with it."""
        names = [ent for ent in ents if ent.label in _NAME_LABELS and ent.kb_id]
        index = next((i for i, ent in enumerate(names) if ent.kb_id == first and ent.start > start), None)
        if index is None:
            return [first]
        _, last = self._list_around(names, index)
        return list(dict.fromkeys(ent.kb_id for ent in names[index:last + 1]))

    def _listed_subjects(self, company: str, ents: list[_Name], cue_start: int) -> list[str]:
        """The vehicle maker ``company`` and those listed right beside it ("Navika Motors, Dhruva
        Automobiles and Meridian Mobility"), each its own subject — when the list is the cue's
        subject: in its clause, close before it, after no preposition ("Sales of Navika and
        Dhruva rose, while Meridian opened a plant", "Unlike Navika and Dhruva, Meridian has …")."""
        names = [ent for ent in ents if ent.role.subject is not None]
        index = next((i for i, ent in enumerate(names) if ent.role.subject == company), None)
        if index is None:
            return [company]
        first, last = self._list_around(names, index)
        if first == last or names[last].end > cue_start \
                or not self._one_clause(_past_apposition(self._lower[names[last].end:cue_start])) \
                or (names[first].start and self._lower[names[first].start - 1] in _LIST_PREPOSITIONS):
            return [company]
        return list(dict.fromkeys(ent.role.subject for ent in names[first:last + 1]))

    def _transfers(self, doc: Doc, sentence: _Sentence, mentions: list[_Mention], ents: list[_Name],
                   drafts: dict[tuple[str, str | None], _Draft], nothing_happened: bool,
                   hypothesis_end: int) -> None:
        """Business moving "from X" / "to Y" near a transfer verb: a loss for X, a win for Y."""
        if nothing_happened:
            return
        verbs = self._transfer_at[bisect_left(self._transfer_at, max(sentence.start, hypothesis_end)):
                                  bisect_left(self._transfer_at, sentence.end)]
        # "handed the PPM report to Vitreon" moves no business: an everyday verb needs a part,
        # a vehicle or a word for business near it
        verbs = [verb for verb in verbs
                 if self._lower[verb] not in _GENERIC_TRANSFER_VERBS
                 or self._business_near(verb - 8, verb + 9, ents)]      # within eight words
        if not verbs:
            return
        previous: tuple[int, str] | None = None     # (end, what) of the last company moved
        moved: list[tuple[str, int]] = []           # (what, verb) of each company moved
        # "recalling 3,669 cars to replace inflators from Takata": a repair, no business moved
        recall_at = [cue for key, draft in drafts.items() if key[0] == "quality_ppm"
                     for cue, end in draft.cues if self._recall_cue(cue, end)]
        for mention in mentions:
            if mention.kind not in ("entity", "own", "plant", "org"):
                continue
            before = self._lower[mention.start - 1] if mention.start > sentence.start else ""
            if mention.kind == "own" and self._lower[mention.start] not in ("us", "ours"):
                continue
            lead = self._lower[max(sentence.start, mention.start - 3):mention.start]
            if before in _WIN_AFTER and not (before == "to" and mention.start - 2 >= sentence.start
                                             and self._lower[mention.start - 2] in _CAUSE_BEFORE_TO):
                name = "supply_win"
                if any(self._lower[verb] in _WIN_VERBS for verb in verbs if verb < mention.start) \
                        and any(word in _SUPPLY_VERBS for word in self._lower[max(sentence.start, mention.start - 8):
                                                                              mention.start]):
                    continue    # "won an order to supply 1,290 buses to GSRTC": the buyer
            elif mention.kind == "org" and before == "from" and not any(word in _REPLACING for word in lead) \
                    and any(self._lower[verb] in _WIN_VERBS for verb in verbs if verb < mention.start):
                continue    # "won an order from Orlenhof": the buyer, not a loser
            elif before in _LOSS_AFTER or any(word in _REPLACING for word in lead):
                name = "supply_loss"
            elif previous is not None and 0 < mention.start - previous[0] <= 2 \
                    and all(word in _LIST_JOINERS and word != "," for word in self._lower[previous[0]:mention.start]):
                name = previous[1]      # "moving to us and Sunmarg"
            else:
                continue
            previous = (mention.end, name)
            # the nearest verb before it, in the same stretch of the sentence; "displacing X"
            # is its own verb, however far the winner's verb is
            replacing = any(word in _REPLACING for word in lead)
            reach = sentence.end - sentence.start if replacing else _TRANSFER_REACH
            verb = next((v for v in reversed(verbs) if 0 < mention.start - v <= reach), None)
            if verb is None or self._negated(doc, sentence, verb, verb + 1) \
                    or (self._lower[verb] in _REPLACING and any(
                        self._one_clause(self._lower[min(at, verb):max(at, verb)]) for at in recall_at)) \
                    or self._attempted(verb):
                continue
            if name == "supply_loss" and self._lower[verb].startswith("t") and before != "off" \
                    and "away" not in self._lower[verb:mention.start]:
                continue    # "takes all its windshields from Sunmarg" is where it buys, not a loss
            key = (name, mention.company_id)
            if key not in drafts:
                drafts[key] = _Draft(name, mention.company_id, [(verb, verb + 1)])
                moved.append((name, verb))
        # "Vitreon has replaced Clarity as the supplier": who replaces wins, if no one else does
        if moved and not any(name == "supply_win" for name, _ in moved):
            for _name, verb in moved:
                if self._lower[verb] not in _REPLACING:
                    continue
                winner = next((m for m in reversed(mentions) if m.start < verb
                               and m.kind in ("entity", "own", "plant", "org") and not m.compared
                               and self._one_clause(self._lower[m.end:verb])), None)
                if winner is None and self._lower[verb - 1] == "it":
                    # "Clarity's share …, should reach 60 per cent as it replaces Vitreon": the
                    # sentence's subject
                    winner = next((m for m in mentions if m.kind in ("entity", "own", "org")
                                   and not m.compared), None)
                if winner is not None and ("supply_win", winner.company_id) not in drafts \
                        and ("supply_loss", winner.company_id) not in drafts:
                    drafts[("supply_win", winner.company_id)] = _Draft("supply_win", winner.company_id,
                                                                       [(verb, verb + 1)])
                break
        # "Clarity's share … fell from 48% to 31% as the carmaker moved volumes to Kestrel",
        # "to take over Vitreon's quarter glass work": the supplier whose share fell, or whose
        # business moved, loses it
        if moved and all(name == "supply_win" for name, _ in moved):
            verb = moved[0][1]
            winners = {key[1] for key in drafts if key[0] == "supply_win"}
            for m in mentions:
                if m.kind not in ("entity", "own") or m.compared or m.company_id in winners \
                        or self._is_customer(m.company_id) or ("supply_loss", m.company_id) in drafts:
                    continue
                low, high = (m.end, verb) if m.end <= verb else (verb, m.start)
                # (not its share price: "Vitreon's share price fell 4% after …")
                share_fell = ("share_of_business", m.company_id) in drafts \
                    and not _FALL_WORDS.isdisjoint(self._lower[low:high]) \
                    and _STOCK_WORDS.isdisjoint(self._lower[m.end:m.end + 4]) and "price" not in self._lower[m.end:m.end + 4]
                held = m.end < sentence.end and self._lower[m.end] in _POSSESSIVE_MARKS \
                    and abs(m.start - verb) <= 2 * _TRANSFER_REACH and (
                        any(ent.label in ("TECHNOLOGY", "VEHICLE") and m.end < ent.start <= m.end + 4 for ent in ents)
                        or not _HELD_BUSINESS_WORDS.isdisjoint(self._lower[m.end + 1:m.end + 6]))
                if share_fell or held:
                    drafts[("supply_loss", m.company_id)] = _Draft("supply_loss", m.company_id, [(verb, verb + 1)])
        # "our Kavya backlite gone to Sunmarg": the business was ours
        own = self.catalog.our_company
        if own and moved and all(name == "supply_win" for name, _ in moved) \
                and ("supply_loss", own) not in drafts and ("supply_win", own) not in drafts:
            verb = moved[0][1]
            # "our" opening what moved, in the verb's clause: "our Kavya BL for the FL gone to …"
            if any(m.kind == "own" and m.start < verb and self._lower[m.start] == "our"
                   and self._business_near(m.start + 1, m.start + 4, ents)
                   and self._one_clause(self._lower[m.start:verb])
                   for m in mentions):
                drafts[("supply_loss", own)] = _Draft("supply_loss", own, [(verb, verb + 1)])

    def _attempted(self, verb: int) -> bool:
        """Whether the verb at ``verb`` is only tried: "hopes to dislodge Vitreon", "is trying to
        oust us" — no business has moved."""
        return verb > 1 and self._lower[verb - 1] == "to" and self._lower[verb - 2] in _ATTEMPTS

    def _business_near(self, low: int, high: int, ents: list[_Name]) -> bool:
        """A part, a vehicle or a word for business starting among tokens ``low`` to ``high - 1``."""
        low = max(0, low)
        if any(ent.label in ("TECHNOLOGY", "VEHICLE") and low <= ent.start < high for ent in ents):
            return True
        return any(word in _BUSINESS_WORDS for word in self._lower[low:high])

    def _in_a_list(self, end: int, start: int, longest: int = 3, articles: bool = False,
                   places: bool = False) -> bool:
        """Whether the words between a name ending at ``end`` and one starting at ``start`` only
        join a list (",", "and", "as well as"; with ``articles`` also "the"), at most ``longest``;
        with ``places`` a place may follow the first name ("MSRTC in Mumbai, GSRTC …", "Tata at
        Pantnagar and …", "the Mahindra plant at Haridwar, …")."""
        if places:
            end = self._after_place(end, start)
        gap = self._lower[end:start]
        after = _past_apposition(gap)
        # a name's short apposition is skipped ("Meridian Mobility, the EV maker, and Dhruva"),
        # unless it names someone ("Dhruva Automobiles, a customer of ours, and …")
        if len(after) < len(gap) and not any(self._org_names[end:start - len(after)]) \
                and self._own_or_other.isdisjoint(gap[:len(gap) - len(after)]):
            gap = after
        return bool(gap) and len(gap) <= longest and all(
            word in _LIST_JOINERS or (articles and word == "the") for word in gap)

    def _after_place(self, end: int, start: int) -> int:
        """The token after a place phrase starting at ``end`` ("in Chennai", "plant at Haridwar":
        a site word, "in"/"at" and up to three capitalised words), or ``end`` if none is there."""
        i = end + (end < start and self._lower[end] in _SITE_WORDS)
        if i >= start or self._lower[i] not in ("in", "at"):
            return end
        j = i + 1
        while j < start and j - i <= 3 and self._doc[j].is_title:
            j += 1
        return j if j > i + 1 else end

    def _share_of_a_market(self, figure_at: int, limit: int, ents: list[_Name]) -> bool:
        """A share figure followed by "of … market" in its own phrase, no customer named in it
        ("over 60% of China's automotive OEM glass market"): a market's share, no buyer's."""
        lower = self._lower
        stop = min(limit, figure_at + 12)
        for i in range(figure_at + 1, stop):
            word = lower[i]
            if word in ("market", "markets"):
                # (a customer's own: "of the Vela glass market at Navika", "the windshield market
                # for Meridian Mobility's Aarohi")
                return any(lower[j] == "of" for j in range(figure_at + 1, i)) and not any(
                    ent.label in ("CUSTOMER", "VEHICLE", "PLANT") and figure_at < ent.start < i for ent in ents) \
                    and not (i + 2 < limit and lower[i + 1] in ("at", "for") and any(
                        ent.label in ("CUSTOMER", "VEHICLE", "PLANT") and ent.start == i + 2 for ent in ents))
            if word in (",", ";", "with", "while", "which", "from", "at"):
                return False
        return False

    def _first_listed(self, customers: list[str], ents: list[_Name]) -> list[str]:
        """Of the customers named together, those listed with the first one: a share is one
        buyer's ("Dhruva is its largest customer with 34 percent, followed by Navika and Meridian"),
        or each of several listed at once ("supplies 40% of Navika's and Meridian's glass")."""
        named = [ent for ent in ents if ent.label == "CUSTOMER" and ent.kb_id in customers]
        group = named[:1]
        for first, second in zip(named, named[1:], strict=False):
            if not self._in_a_list(first.end, second.start, longest=2, places=True):
                break
            group.append(second)
        return list(dict.fromkeys(ent.kb_id for ent in group)) or customers[:1]

    def _listed_customers(self, ents: list[_Name]) -> list[str]:
        """Customers named together ("dispatches to Navika and Meridian"): each gets the signal."""
        named = [ent for ent in ents if ent.label == "CUSTOMER" and ent.kb_id]
        for first, second in zip(named, named[1:], strict=False):
            if self._in_a_list(first.end, second.start, longest=2, places=True) and first.kb_id != second.kb_id:
                return list(dict.fromkeys(ent.kb_id for ent in named))
        return []

    def role(self, label: str, kb_id: str) -> _Role:
        """What an entity of ``label`` and catalog id ``kb_id`` means for attribution."""
        key = (label, kb_id)
        role = self._roles.get(key)
        if role is None:
            if kb_id.startswith(ORG_PREFIX):     # names outside the catalog are many: some kept
                role = self._org_roles.get(key)
                if role is None:
                    if len(self._org_roles) >= _ORG_ROLES_KEPT:
                        self._org_roles.clear()
                    role = self._org_roles[key] = self._make_role(label, kb_id)
            else:
                role = self._roles[key] = self._make_role(label, kb_id)
        return role

    def _make_role(self, label: str, kb_id: str) -> _Role:
        catalog = self.catalog
        owner = catalog.owner(kb_id) if kb_id and label in ("PLANT", "VEHICLE") else None
        owner_role = catalog[owner].role if owner else None
        customer = None
        if label == "CUSTOMER":
            customer = kb_id
        elif owner_role == "customer":
            customer = owner
        company, kind = None, None
        if label in _COMPANY_LABELS:
            company, kind = kb_id, "entity"
        elif label == "PLANT" and owner_role in ("competitor", "own"):
            company, kind = owner, "plant"
        elif label == "ORG" and kb_id and not self._is_body(kb_id):
            company, kind = kb_id, "org"
        subject = None
        if label == "CUSTOMER" or (label == "ORG" and kind == "org"):
            subject = kb_id or None
        elif label in ("PLANT", "VEHICLE"):
            subject = customer
        return _Role(customer, company, kind, subject,
                     customer_plant=label == "PLANT" and owner_role == "customer",
                     names_subject=bool(kb_id) and label in (*_COMPANY_LABELS, "CUSTOMER", "ORG"))

    # -- figures ---------------------------------------------------------------------
    def _bare_allowed(self, doc: Doc, signal_type: str, cue_positions: list[int], token: int,
                      figure: _Figure, mentions: list[_Mention]) -> bool:
        """A bare number is a PPM right after a "PPM" cue, an OTIF right after an "OTIF" cue, a
        share or a rating score right after a company or its cue, a price right after "@"."""
        if signal_type == "quality_ppm":
            # "PPM 380", "PPM on the YTA line has gone up to 380" (the candidate's clause is checked)
            reach = 12 if token > 0 and self._lower[token - 1] in _TO_WORDS else 8
            return any(self._lower[start] == "ppm" and 0 < token - start <= reach for start in cue_positions)
        if self._counts_or_names(token):
            return False        # "12 suppliers", "4 out of 5", "Plant 2": a count or a name, no score
        if signal_type == "delivery_performance":
            return figure.value <= 100 and any(self._lower[start] == "otif" and 0 < token - start <= 4
                                               for start in cue_positions)
        if signal_type in ("share_of_business", "vendor_rating") and figure.value <= 100:
            reach = 3 if signal_type == "share_of_business" else 5     # "rating slipped 74 → 68"

            def near(at: int) -> bool:
                return any(0 <= at - m.end <= 1 for m in mentions) or \
                    any(0 < at - start <= reach for start in cue_positions)

            # "our share goes from 70 to 40": the level a number right after a share cue moved to
            # (not a rating's "scale runs from 1 to 5", nor the next company's "Vitreon's from 30 to 60")
            return near(token) or (signal_type == "share_of_business" and token > 1
                                   and self._lower[token - 1] in ("to", "→") and _is_number(self._lower[token - 2])
                                   and any(0 < token - 2 - start <= reach for start in cue_positions))
        if signal_type == "pricing":
            return token > 0 and self._lower[token - 1] == "@"
        return False

    def _counts_or_names(self, token: int) -> bool:
        """Whether the bare number at ``token`` counts something or is part of a name."""
        following = self._lower[token + 1] if token + 1 < len(self._idx) else ""
        previous = self._lower[token - 1] if token > 0 else ""
        return following in ("of", "out") or (len(following) > 2 and following.isalpha()
                                              and following.endswith("s")) \
            or previous in _NUMBERED_NAMES \
            or (previous == "of" and token > 1 and self._lower[token - 2] == "out")

    def _figure_clauses(self, sentence: _Sentence) -> Callable[[int], int]:
        """Which clause of the sentence a token is in, for figures (signals.toml [figures])."""
        boundaries = self.lexicon.figure_boundaries
        start = sentence.start
        words = self._lower[start:sentence.end]
        if boundaries.isdisjoint(words):
            return _single_clause
        ends = [start + offset for offset, word in enumerate(words) if word in boundaries]
        return partial(bisect_right, ends)

    def _figure_candidates(self, doc: Doc, draft: _Draft, figures: list[tuple[_Figure, int]],
                           mentions: list[_Mention], clause_of: Callable[[int], int],
                           context_scores: list[int]) -> list[tuple[int, int]]:
        """(score, figure index) of each figure the draft may take: a unit its type takes, in the
        clause of one of its cues, not a difference unless a price, not a level if an amount moved."""
        units, count_minimum, moved = self._figure_types[draft.type]
        if not units or draft.figureless:
            return []
        cue_positions = [start for start, _ in draft.cues]
        cue_clauses = None      # worked out for the first figure that gets that far
        lower = self._lower
        comparatives = self.lexicon.comparatives
        found = []
        for index, (figure, token) in enumerate(figures):
            unit = figure.unit
            if unit is None:
                if not self._bare_allowed(doc, draft.type, cue_positions, token, figure, mentions):
                    continue
            elif unit not in units:
                continue
            elif unit == "units" and figure.per is None and figure.value < count_minimum:
                continue        # "2 trucks": a count, no capacity
            elif unit == "points" and figure.value > 100:
                continue        # a score is out of 100
            if cue_clauses is None:
                cue_clauses = {clause_of(start) for start in cue_positions}
            if clause_of(token) not in cue_clauses:
                continue        # "PPM 380 vs ours 72; their quote ~6% below": the quote's clause only
            if unit in ("%", None) and draft.type != "pricing" \
                    and any(word in comparatives for word in lower[token + 1:token + 3]):
                continue        # "~6% cheaper": a price difference, nobody's share or rating
            if moved and unit == "%" and token > 0 and (lower[token - 1] in _LEVEL_WORDS
                                                       or context_scores[index] > 0) \
                    and not (token > 2 and lower[token - 2:token] == ["up", "to"] and lower[token - 3] in _MOVING_VERBS):
                continue        # "Vitreon takes 100%", "down to 40%", "from 70%": a share level
                # (not "could lose up to 50% of its volumes": a cap on the amount moved)
            if unit == "%" and draft.type == "pricing" and token > 1 and lower[token - 1] == "to" \
                    and lower[token - 2] in _MOVED_TO:
                continue        # "share fell to 40% as Vitreon's lower price took effect": a level
            if unit in ("%", "INR") and draft.type not in ("financial_result", "pricing") and self._stock_move(token):
                continue        # "shares of Minda Corp climbed 5.5 per cent to a record Rs 307.75"
            if unit == "%" and self._change_of_amount(figures, index, units):
                continue        # "revenue rose 55% to Rs 476 crore": the amount is the figure
            base = (units.index(unit) * 2 if unit else 0) + context_scores[index]
            if unit in ("days", "hours", "minutes") and "-" in figure.text and any(
                    other.unit == "units" and other.value >= count_minimum for other, _ in figures):
                base += _DESCRIBING_DURATION     # "a 13-day strike … 82,000 vehicles": the count lost
            if unit == "%" and draft.type == "share_of_business" and (self._change_after(token) or (
                    self._moved_by(token) and "point" not in figure.text.lower())):
                continue        # "a 3% increase kicks in", "its OEM sales rose 12.2 percent": a change
            if unit == "%" and self._stake_after(token):
                if draft.type != "partnership":
                    continue    # "a 74% stake": a deal's, no win's or share's figure
                if any(other.unit in MONEY_UNITS and clause_of(at) == clause_of(token)
                       for other, at in figures):
                    # "a 26 per cent stake … for Rs 48 crore": the size of the stake describes
                    # the deal, its price is the figure
                    base += _STAKE_PENALTY
            if token and lower[token - 1] in ("worth", "valued") and all(start > token for start in cue_positions):
                base += _WORTH_AFTER_ITS_BUSINESS
            if len(cue_positions) == 1:
                distance = abs(token - cue_positions[0])
                found.append((distance + base, index, distance + base))
                continue
            distance = min([abs(token - start) for start in cue_positions])
            # which figure the signal takes: with several cues, the first one's figure first
            # ("net profit of Rs 48.6 crore … on revenue of Rs 612 crore" is the profit's)
            # (and a later cue in another clause further: "net profit climbed 71 per cent to Rs
            # 294.41 crore …, although revenue slipped to Rs 4,911.62 crore" is the profit's)
            ordered_cues = sorted(cue_positions)
            first_clause = clause_of(ordered_cues[0])
            ranked = min([abs(token - start) + _LATER_CUE * rank
                          + (_OTHER_CLAUSE_CUE if rank and clause_of(start) != first_clause else 0)
                          for rank, start in enumerate(ordered_cues)])
            found.append((distance + base, index, ranked + base))
        return found

    def _stock_move(self, token: int) -> bool:
        """Whether the figure at ``token`` is a share price or its move: "shares of Minda Corp
        climbed more than 5.5 per cent to a record Rs 307.75", "Tata Motors rose as much as 2.6
        per cent on Wednesday after …"."""
        lower = self._lower
        before = lower[max(0, token - 9):token]
        if not any(word in _MOVED_BY or word in ("trading", "traded", "closed", "ended") for word in before):
            return False
        count = len(before)
        if any(word in _STOCK_WORDS and (word != "shares" or (i + 1 < count and (
                before[i + 1] == "of" or before[i + 1] in _MOVED_BY))) for i, word in enumerate(before)):
            return True     # (not "Koru shares: Vitreon fell to 40%": shares of business)
        after = lower[token + 1:token + 6]
        return "on" in after and any(word in _WEEKDAYS for word in after) or "trade" in after

    def _moved_by(self, token: int) -> bool:
        """Whether the percentage at ``token`` is by how much something moved: "profit climbed
        25.8 per cent", "shares fell over 3%", "sales were up 12%" (not "rose to 40%")."""
        i = token - 1
        while i >= 0 and self._lower[i] in _FIGURE_HEDGES and token - i <= 3:
            i -= 1
        if i > 0 and self._lower[i] == "to" and self._lower[i - 1] == "up":
            i -= 2      # "by up to 5%"
        if i >= 0 and self._lower[i] == "by":
            return True     # "stretch an electric car's range by up to 5%": a change
        return i >= 0 and self._lower[i] in _MOVED_BY and not (
            self._lower[i] == "up" and i and self._lower[i - 1] in ("make", "makes", "made", "making"))

    def _change_after(self, token: int) -> bool:
        """Whether the percentage at ``token`` names a change: "a 3% increase", "a 5 per cent cut"."""
        after = self._lower[token + 1:token + 4]
        if after[:1] == ["%"]:
            after = after[1:]
        elif after[:2] == ["per", "cent"]:
            after = after[2:]
        elif after[:1] == ["percent"]:
            after = after[1:]
        return bool(after) and after[0] in _CHANGE_NOUNS

    def _stake_after(self, token: int) -> bool:
        """Whether the percentage at ``token`` is a stake's size: "a 74% stake", "a 26 per cent
        shareholding", "its 49.9 per cent joint venture" (not "interest costs fell 20%")."""
        after = self._lower[token + 1:token + 5]
        if after[:1] == ["%"]:
            after = after[1:]
        elif after[:2] in (["per", "cent"], ["percent"]):
            after = after[2:] if after[:2] == ["per", "cent"] else after[1:]
        return bool(after) and (after[0] in _STAKE_WORDS or after[:2] == ["joint", "venture"]
                                or (after[0] == "holding" and after[1:2] == ["in"]))

    def _change_of_amount(self, figures: list[tuple[_Figure, int]], index: int, units: Sequence[str]) -> bool:
        """Whether the percentage at ``index`` is the change of a sum of money that follows it and
        the type takes: "up 65 per cent to Rs 8,387 crore", "a 31% rise … to £1.9 billion"."""
        if index + 1 >= len(figures):
            return False
        following = figures[index + 1][0]
        if following.unit not in MONEY_UNITS or following.unit not in units:
            return False
        words = self._text[figures[index][0].end:following.start].lower().split()
        return 0 < len(words) <= 6 and words[-1] in ("to", "at")

    def _assign_figures(self, doc: Doc, drafts: list[_Draft], figures: list[tuple[_Figure, int]],
                        used: set[int], mentions: list[_Mention], clause_of: Callable[[int], int]) -> None:
        """Give each draft at most one figure, best fits first; a figure goes to one signal (a win
        and the loss it mirrors share theirs), and "to 50 % from 30 %" gives the previous value."""
        rank = self._unit_rank
        # what the words around each figure say, read once per sentence
        ranges = self._range_starts(figures)
        scores = self._figure_context(figures, ranges)
        candidates = [(score, rank[draft.type], number, index, choice)
                      for number, draft in enumerate(drafts)
                      for score, index, choice in self._figure_candidates(doc, draft, figures, mentions,
                                                                          clause_of, scores)]
        if not candidates:
            return
        # a figure is claimed by the nearest cue (score); a signal then takes, of the figures
        # left to it, the one its first cue stands nearest (choice)
        pairs = sorted(candidates)
        choices = sorted(candidates, key=lambda c: (c[4], c[1], c[2], c[3]))
        moved = self.lexicon.moved_share_types
        # drafts of one group may share a figure: a win and the loss it mirrors (the amount
        # moved); every other type is a group of its own
        # (two signals of one type and company, each its own customer's, take a figure each)
        same = Counter((draft.type, draft.company) for draft in drafts if draft.company and draft.type in moved)
        groups = [("moved" if draft.type in moved else draft.type)
                  + (f"|{draft.customer}" if same[(draft.type, draft.company)] > 1 else "") for draft in drafts]
        previous_of: dict[int, str] = {}  # figure index → the group whose previous value it is
        owner: dict[int, str] = {}      # figure index → the group that took it
        # with one figure, none can be where another came from
        several = len(figures) > 1
        # compared with a figure of a year earlier: where another came from, further away too
        # ("Rs 540 crore for the June quarter, 12 per cent above the Rs 482 crore of a year earlier")
        compared = [self._compared_with_earlier(token, figure) for figure, token in figures] if several else []
        looks_earlier = [self._looks_earlier(token, starts_range, figure, compared_earlier)
                         for (figure, token), starts_range, compared_earlier
                         in zip(figures, ranges, compared, strict=True)] if several else []
        compared_before = [looks and compared_earlier
                           for looks, compared_earlier in zip(looks_earlier, compared, strict=True)]
        rising_from = set()
        if several:
            # "revenue of about Rs 220 crore last fiscal to rise to nearly Rs 400 crore", "now 30
            # per cent, should reach 60 per cent": the first is where the second goes from
            for index, (figure, token) in enumerate(figures[:-1]):
                if not looks_earlier[index] and any(
                        0 < other - token <= _TARGET_REACH and _comparable(current, figure)
                        and clause_of(other) == clause_of(token) and self._a_target(other)
                        # (not another's: "Vitreon's SOB is 60% and ours should reach 40%")
                        and not any(token < m.start < other for m in mentions)
                        for current, other in figures[index + 1:]):
                    looks_earlier[index] = True
                    rising_from.add(index)
        if several and any(looks_earlier):
            # "Kestrel's OTIF was 97% and Vitreon's 89%": a company named between two figures
            # makes the second its own, not where the first went
            # (named right before the second, its possessive between: "and Vitreon's 89%")
            name_ends = [m.end for m in mentions if m.kind in ("entity", "own", "org")]
            for index, (figure, token) in enumerate(figures):
                if looks_earlier[index] and not ranges[index]:
                    later = next((other for current, other in figures if other > token
                                  and _comparable(current, figure)), None)
                    if later is not None and any(token < end <= later and all(
                            word in _POSSESSIVE_MARKS for word in self._lower[end:later]) for end in name_ends):
                        looks_earlier[index] = False
        earlier = self._earlier_figures(figures, clause_of, looks_earlier, compared_before) | rising_from \
            if several else set()
        # each figure is claimed by the nearest cue of a type that takes it, even if that type
        # then takes another figure ("revenue of Rs 318 crore, up 14%, helped by a price
        # revision": the 14% is the revenue's, no price)
        claimant: dict[int, str] = {}
        for _score, _rank, number, index, _choice in pairs:
            claimant.setdefault(index, groups[number])
        for _score, _rank, number, index, _choice in choices:
            draft = drafts[number]
            group = groups[number]
            if draft.figure is not None or owner.get(index, group) != group or index in earlier \
                    or claimant[index] != group:
                continue        # another type's cue claims it, or it is where a figure came from
            draft.figure, draft.figure_token = figures[index]
            owner[index] = group
        # "to 50 % from 30 %": the 30 is the share's previous value, and nobody's figure
        for number, draft in enumerate(drafts) if several else ():
            if draft.figure is not None:
                previous = self._previous_figure(draft, figures, owner, clause_of, ranges, looks_earlier,
                                                 compared_before)
                if previous is not None:
                    draft.previous = figures[previous][0]
                    previous_of[previous] = groups[number]
        used.update([id(figures[index][0]) for index in (*owner, *previous_of)])

    def _met_a_target(self, after: int) -> bool:
        """Whether "met" before token ``after`` meets a figure or a target, not a person."""
        following = self._lower[after:after + 2]
        if not following:
            return False
        return (self._doc[after].like_num or following[0] in _MET_TARGETS
                or (following[0] in ("its", "their", "the", "all") and following[1:] and following[1] in _MET_TARGETS))

    def _a_target(self, token: int) -> bool:
        """Whether the figure at ``token`` is where something rises or falls to: "to rise to
        nearly Rs 400 crore", "should reach 60 per cent", "to double to Rs 600 crore"."""
        lower = self._lower
        before = self._before_hedge(token)
        if before < 1:
            return False
        if lower[before] in _TARGET_VERBS:
            return True
        return lower[before] == "to" and lower[before - 1] in _RISE_TO_VERBS

    def _looks_earlier(self, token: int, starts_range: bool, figure: _Figure, compared: bool) -> bool:
        """Whether the text marks the figure at ``token`` as where another came from: "from 30%",
        "(was 70%)", "30% to 50%" (``starts_range``, see :meth:`_range_starts`), "84% (Jul 92%)",
        "(Q1 was 4)", "93% vs 98% last qtr", "against Rs 71 crore a year ago" (``compared``, see
        :meth:`_compared_with_earlier`)."""
        lower = self._lower
        before = lower[self._before_hedge(token)] if token > 0 else ""
        if starts_range:
            return True
        if before in _PREVIOUS_WORDS:
            # (not one compared with another: "OTIF was 91% against 95% a year earlier")
            if before != "was":
                return True
            after = bisect_left(self._idx, figure.end)
            after += after < len(lower) and lower[after] == ","
            return after >= len(lower) or lower[after] not in ("against", "vs", "vs.", "versus")
        if compared:
            return True
        # "(Jul 92%)", "(Q2: 72)": a period inside brackets right before it
        back = token - 1
        while back > 0 and (lower[back] in _PERIOD_WORDS or lower[back] == ":"):
            back -= 1
        if back < token - 1 and back >= 0 and lower[back] == "(":
            return True
        # "vs 98% last qtr"
        figure_end = token + 1
        while figure_end < len(lower) and lower[figure_end] in ("%", "ppm"):
            figure_end += 1
        after = lower[figure_end] if figure_end < len(lower) else ""
        if after in ("a", "the", "of") and figure_end + 2 < len(lower):
            # "against 84 a year earlier", "against ₹58 crore the quarter before"
            rest = lower[figure_end + 1:figure_end + 4]
            when = next((word for word in rest if word not in ("a", "the", "year", "quarter", "month",
                                                               "year-ago", "period")), "")
            after = when if when in ("earlier", "ago", "before") else after
        return (after in _EARLIER_AFTER or after == "ago") and before in _COMPARED_EARLIER

    def _compared_with_earlier(self, token: int, figure: _Figure) -> bool:
        """Whether the figure at ``token`` is compared as one of an earlier period: after
        "against", "above the", "than the" …, and followed within nine words by "a year
        earlier/ago/before", "last year", "the previous year" or a month and year ("against Rs 71 crore a year ago",
        "12 per cent above the Rs 482 crore of a year earlier", "31 per cent higher than the Rs
        64.5 crore it earned a year earlier", "68% below the Rs 714 crore of June 2019")."""
        lower = self._lower
        before = self._before_hedge(token)
        if before < 0:
            return False
        word = lower[before]
        if word == "the" and before > 0:
            word = lower[before - 1]
        if word not in _COMPARED_EARLIER and word not in _COMPARED_THE:
            return False
        end = bisect_left(self._idx, figure.end)      # the token after the figure
        for index in range(end, min(end + 9, len(lower))):
            after = lower[index]
            following = lower[index + 1:index + 2]
            if after in ("earlier", "ago", "before") or (after in ("last", "previous", "prior", "preceding")
                                                         and following in (["year"], ["fiscal"], ["quarter"], ["month"])):
                return True     # "a year earlier", "in the same quarter last year", "of the previous year"
            if after in _MONTH_WORDS and following and following[0].isdigit() \
                    and len(following[0]) == 4 and lower[index - 1] in ("of", "in"):
                return True     # "of June 2019"
            if after not in _EARLIER_DID and after not in _EARLIER_PERIOD_WORDS:
                return False
        return False

    def _earlier_figures(self, figures: list[tuple[_Figure, int]], clause_of: Callable[[int], int],
                         looks_earlier: list[bool], compared_before: list[bool]) -> set[int]:
        """The figures that say where another figure came from (``looks_earlier``, see
        :meth:`_looks_earlier`), when another figure of their kind stands near: no signal's
        current figure."""
        earlier = set()
        for index, (figure, token) in enumerate(figures):
            if not looks_earlier[index]:
                continue
            if any(other != token and _comparable(current, figure)
                   and ((abs(other - token) <= 8 and clause_of(other) == clause_of(token))
                        or (token - other <= _UP_FROM_REACH and self._up_from_clause(clause_of, other, token))
                        or (0 < token - other <= _COMPARED_REACH and compared_before[index]
                            and clause_of(other) == clause_of(token) and current.unit == figure.unit))
                   for current, other in figures):
                earlier.add(index)
        return earlier

    def _before_hedge(self, token: int) -> int:
        """The word before the figure at ``token``, past a hedge ("from just 0.3 percent",
        "from about 30%"); -1 at the start."""
        before = token - 1
        while before > 0 and self._lower[before] in _FIGURE_HEDGES:
            before -= 1
        return before

    def _up_from_clause(self, clause_of: Callable[[int], int], current: int, earlier: int) -> bool:
        """Whether the figure at ``earlier`` follows the one at ``current`` after ", up from" /
        ", down from", in its clause or the next ("40 per cent of its windshields, up from 25 per
        cent two years ago")."""
        before = self._before_hedge(earlier)
        lower = self._lower
        return earlier > current and clause_of(earlier) - clause_of(current) in (0, 1) and before >= 2 \
            and lower[before] == "from" and lower[before - 1] in ("up", "down") and lower[before - 2] == ","

    def _previous_figure(self, draft: _Draft, figures: list[tuple[_Figure, int]], owner: dict[int, str],
                         clause_of: Callable[[int], int], ranges: list[bool],
                         looks_earlier: list[bool], compared_before: list[bool]) -> int | None:
        """The figure the draft's came from (:meth:`_looks_earlier`): same unit (or a bare
        number), same clause, within eight words; one before it only after "from" or as the
        start of a range ("from 30% to 50%", "30% to 50%")."""
        current, token = draft.figure, draft.figure_token
        for index, (figure, other) in enumerate(figures):
            if other == token or index in owner or not _comparable(current, figure):
                continue
            same_clause = clause_of(other) == clause_of(token)
            if not ((abs(other - token) <= 8 and same_clause)
                    # "fell 30% to Rs 24.87 crore in the September 2020 quarter from Rs 35.55 crore"
                    # (money or a percentage: not "40,000 windshields a year … from 3 locations")
                    or (same_clause and 0 < other - token <= _FROM_REACH and figure.unit == current.unit
                        and (figure.unit in MONEY_UNITS or figure.unit == "%")
                        and self._lower[self._before_hedge(other)] == "from")
                    or (other - token <= _UP_FROM_REACH and self._up_from_clause(clause_of, token, other))
                    # "Rs 540 crore for the June quarter, 12 per cent above the Rs 482 crore of a
                    # year earlier": compared as an earlier period's, after it in its clause
                    or (0 < other - token <= _COMPARED_REACH and compared_before[index]
                        and same_clause and figure.unit == current.unit
                        # (the nearest of its unit: "profit of Rs 45 crore on revenue of Rs 430
                        # crore, against Rs 380 crore a year ago" is the revenue's)
                        and not any(token < between < other and between_figure.unit == current.unit
                                    for between_figure, between in figures))):
                continue
            # one before it: "from 30% to 50%", "30% to 50%", "was 450 in May, now 380" (not "88
            # points, down from 92, citing two late shipments": that one is the 88's)
            word = self._lower[self._before_hedge(other)]
            if word == "by":
                continue    # "rose by 5 percentage points to 45%": by how much, not from where
            if other < token and not ((word in _PREVIOUS_WORDS and (word != "from" or "to" in self._lower[other:token]))
                                      or ranges[index]):
                continue
            if looks_earlier[index]:
                return index
        return None

    def _price_goes_down(self, token: int) -> bool:
        """Whether the nearest price-move word around a price percentage says down ("cut prices
        by 6%", "~6% below ours", "3% price-down"), or a minus sign written before it ("price
        (-1.5%)"); ten words before, five after ("a 1.5% annual price-down"), one clause."""
        if token < 0:
            return False
        lexicon, lower = self.lexicon, self._lower
        if lower[token].startswith(("-", "−")) or (token and lower[token - 1] in ("-", "−")
                                                   and (token < 2 or not lower[token - 2][-1:].isalnum())):
            return True
        boundaries = lexicon.figure_boundaries
        best = None
        for distance in range(1, _PRICE_WORDS_BEFORE + 1):
            for index in (token + distance, token - distance):
                if index < 0 or index >= len(lower) or (index > token and distance > _PRICE_WORDS_AFTER):
                    continue
                low, high = min(index, token), max(index, token)
                if any(word in boundaries for word in lower[low:high + 1]):
                    continue
                word = lower[index]
                if word in lexicon.price_down:
                    best = best or "down"
                elif word in lexicon.price_up:
                    best = best or "up"
            if best:
                return best == "down"
        return False

    def _figure_context(self, figures: list[tuple[_Figure, int]], ranges: list[bool]) -> list[int]:
        """What the words around each figure add to its score (once per sentence; ``ranges`` from
        :meth:`_range_starts`)."""
        lower = self._lower
        scores = []
        for (_figure, token), starts_range in zip(figures, ranges, strict=True):
            score = 0
            previous = lower[token - 1] if token > 0 else ""
            if previous in _TO_WORDS:
                score -= 4      # "up to 380", "at 91%": where it is now
            if previous in _FROM_WORDS or (token > 1 and lower[token - 2] in _COMPARE_WORDS):
                score += 6      # "from 150", "vs ours 72": where it was, or someone else's
            if starts_range:
                score += 6      # "30% to 50%": the start of a range
            scores.append(score)
        return scores

    def _range_starts(self, figures: list[tuple[_Figure, int]]) -> list[bool]:
        """For each figure, whether it starts a range ("30% to 50%"): it is where something came
        from, not where it is."""
        if len(figures) < 2:
            return [False] * len(figures)
        text = self._text
        flags = []
        for figure, _ in figures:
            unit, end = figure.unit, figure.end
            following = next((f for f, _ in figures if f.start >= end
                              and (f.unit == unit or f.unit is None or unit is None)), None)
            if following is None:
                flags.append(False)
                continue
            # read from the text: "92→86%" is one token
            between = text[end:following.start]
            for arrow in ("->", "→", "–"):
                between = between.replace(arrow, " - ")
            words = between.split()
            flags.append(len(words) <= 3 and any(word.lower() in ("to", "-") for word in words))
        return flags

    def _implied_unit(self, signal_type: str) -> str | None:
        return _IMPLIED_UNITS.get(signal_type)

    def _figures_to_who_holds_them(self, drafts: list[_Draft], mentions: list[_Mention],
                                   clause_of: Callable[[int], int]) -> None:
        """A level given before its company is named is the figure of the company named before
        it: "Vitreon leads with a 41% share, followed by Sunmarg at 23%" is Vitreon's 41%."""
        for draft in drafts:
            if draft.figure is None or draft.company is None or draft.type in _PARTY_TYPES:
                continue
            token = draft.figure_token
            named = [m.start for m in mentions if m.company_id == draft.company]
            if not named or min(named) < token:
                continue
            before = [m for m in mentions if m.end <= token and m.kind in ("entity", "own", "org")
                      and not m.compared and clause_of(m.start) == clause_of(token)]
            if before and not any(other.type == draft.type and other.company == before[-1].company_id
                                  for other in drafts):
                draft.company = before[-1].company_id

    def _own_figures(self, doc: Doc, sentence: _Sentence, drafts: list[_Draft], mentions: list[_Mention],
                     figures: list[tuple[_Figure, int]], used: set[int],
                     clause_of: Callable[[int], int]) -> list[_Draft]:
        """A company named with its own figure, in the clause of the signal's cue, gets its own
        signal: "VAGL PPM 380 vs ours 72"."""
        if all(id(figure) in used for figure, _ in figures):
            return []       # every figure has gone to a signal already (a sentence's usual case)
        extra = []
        for draft in drafts:
            if draft.figure is None:
                continue
            cue_clauses = {clause_of(start) for start, _ in draft.cues}
            have = {d.company for d in drafts if d.type == draft.type} | {d.company for d in extra
                                                                          if d.type == draft.type}
            for mention in mentions:
                if mention.company_id in have or mention.kind == "subject":
                    continue
                nxt = [m.start for m in mentions if m.start > mention.start]
                limit = min([mention.end + 5, *nxt])
                found = next(((f, token) for f, token in figures
                              if mention.end <= token < limit and id(f) not in used
                              and clause_of(token) in cue_clauses
                              and (f.unit == draft.figure.unit
                                   or (f.unit is None and draft.figure.unit in ("ppm", "%", "INR", "points")))),
                             None)
                if found is None:
                    continue
                figure, token = found
                used.add(id(figure))
                have.add(mention.company_id)
                previous = None       # its own previous value, not the signal's it was named beside
                if token and self._lower[token - 1] == "from":
                    # "and Vitreon's from 30 to 60": the figure is where it went
                    moved_to = next(((f, at) for f, at in figures if at > token and id(f) not in used
                                     and self._lower[at - 1] in ("to", "→") and at - token <= 3), None)
                    if moved_to is not None:
                        used.add(id(moved_to[0]))
                        previous, figure = figure, moved_to[0]
                if figure.unit is None:   # "vs ours 455": the compared figure's unit
                    figure = figure._replace(unit=draft.figure.unit)
                extra.append(replace(draft, company=mention.company_id, figure=figure, previous=previous,
                                     cues=list(draft.cues)))
        return extra

    def _recall_cue(self, start: int, end: int) -> bool:
        """Whether a cue's words say recall: "recalling", "a voluntary recall", "called back"
        (not "what it called poor quality")."""
        lower = self._lower
        return any(lower[i].startswith("recall") or (lower[i] in _CALL_WORDS and i + 1 < len(lower)
                                                     and lower[i + 1] == "back")
                   for i in range(start, end))

    def _later_shares(self, drafts: list[_Draft], extra: list[_Draft], mentions: list[_Mention],
                      ents: list[_Name], figures: list[tuple[_Figure, int]], used: set[int],
                      clause_of: Callable[[int], int], customers: Sequence[str | None]) -> list[_Draft]:
        """Another company named after a share, with a percentage of its own in its clause, has
        a share of its own: "Tata Motors took 13.75% …, whereas Hyundai slipped to 11.96% from
        13.72%", "Ashok Leyland leads with a 42 percent share, with Tata Motors next at 37
        percent", "VAGL ~55% of NML's spend, we are ~25%"."""
        shares = [draft for draft in (*drafts, *extra) if draft.type == "share_of_business"]
        first = next(draft for draft in shares if draft.figure is not None)
        assert first.figure is not None
        # a vehicle makers' market ("Tata Motors took 13.75% of the market"): makers hold shares
        market = first.company is None or self._is_customer(first.company)
        have = {draft.company for draft in shares} | {customers[0] if first.company is None else first.company}
        holders = [(m.start, m.end, m.company_id) for m in mentions
                   if m.kind in ("entity", "own", "org") and not m.compared]
        if market:
            holders.extend((ent.start, ent.end, ent.kb_id) for ent in ents if ent.label == "CUSTOMER" and ent.kb_id)
        holders.sort()
        lower = self._lower
        found = []
        for number, (start, end, company) in enumerate(holders):
            if start <= first.figure_token or company in have or (company in customers and not market):
                continue        # (not the customer whose business is shared: "38% of Navika's windshields")
            following = holders[number + 1][0] if number + 1 < len(holders) else len(lower)
            clause = clause_of(start)
            index = next((index for index, (figure, token) in enumerate(figures)
                          if end <= token < min(following, end + _LATER_SHARE_REACH)
                          and id(figure) not in used and clause_of(token) == clause), None)
            if index is None:
                continue
            figure, token = figures[index]
            if figure.unit not in ("%", None) or (figure.unit is None and first.figure.unit is not None) \
                    or self._moved_by(token) or self._change_after(token) or self._stake_after(token) \
                    or any(word in self.lexicon.comparatives for word in lower[token + 1:token + 3]):
                continue        # "its revenue rose 12%", "a 26% stake", "6% cheaper": no share
            used.add(id(figure))
            have.add(company)
            previous = None
            later = figures[index + 1] if index + 1 < len(figures) else None
            before_later = self._before_hedge(later[1]) if later is not None else 0
            if later is not None and id(later[0]) not in used and later[0].unit == figure.unit \
                    and 0 < later[1] - token <= 5 and lower[before_later] in ("from", "to") \
                    and lower[before_later - 1] not in _CAUSE_BEFORE_TO:     # (not "9.8% compared to 11.3%")
                used.add(id(later[0]))
                if lower[before_later] == "from":
                    previous = later[0]         # "slipped to 11.96% from 13.72%"
                else:
                    previous, figure, token = figure, later[0], later[1]    # "from 30% to 60%"
            found.append(replace(first, company=company, figure=figure, previous=previous, figure_token=token,
                                 cues=list(first.cues), customer=company if market else first.customer))
        return found

def _defined_abbreviations(stored: Sequence[tuple], text: str, limit: int) -> dict[str, tuple[str, str]]:
    """Abbreviations a document defines in brackets after a name — "Convergence Energy Services
    Ltd (CESL)", "Tata AutoComp Systems (TACO)" — mapped to that name's (label, id): the
    abbreviation is the same organisation wherever the document uses it."""
    defined: dict[str, tuple[str, str]] = {}
    previous = None
    for entity in stored:
        start, _end, label, kb_id, first_char, last_char = entity
        if start >= limit:
            break
        if label == "ORG" and not kb_id and previous is not None \
                and text[previous[5]:first_char] in (" (", "(") and text[last_char:last_char + 1] == ")":
            name = text[first_char:last_char]
            if name.isupper() and name not in defined:
                _s, _e, named_label, named_id, named_first, named_last = previous
                defined[name] = (named_label, named_id or ORG_PREFIX + text[named_first:named_last].rstrip("."))
        previous = entity
    return defined


def _longest_cues(cues: list[tuple[int, int, list[tuple[str, str]]]],
                  length: int) -> list[tuple[int, int, list[tuple[str, str]]]]:
    """Overlapping cue phrases: the longest wins; one phrase under several keys joins its kinds."""
    by_span: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for start, end, kinds in cues:
        found = by_span.get((start, end))
        by_span[(start, end)] = kinds if found is None else sorted({*found, *kinds})
    taken = bytearray(length)
    chosen = []
    for _negative_length, start, end in sorted([(start - end, start, end) for start, end in by_span]):
        if taken.find(1, start, end) != -1:
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append((start, end, by_span[(start, end)]))
    chosen.sort()
    return chosen


def _single_clause(token: int) -> int:
    """The clause of every token of a sentence with no clause boundary."""
    return 0


def _comparable(current: _Figure, earlier: _Figure) -> bool:
    """Whether ``earlier`` can be where ``current`` came from: the same unit, or a bare number
    beside a score or a count ("up to 18,000 cars a month from 15,000")."""
    return (current.unit == earlier.unit or (earlier.unit is None and current.unit is not None)
            or (current.unit is None and earlier.unit in _SCORE_UNITS))


def _nearest_mention(cue_start: int, mentions: list[_Mention], organisations: bool,
                     clause_of: Callable[[int], int] | None = None) -> _Mention | None:
    """The mention nearest the cue, one before it preferred, and one in its clause (``clause_of``):
    among organisations outside the glass trade (``organisations``) or among the others."""
    best = None
    best_distance = None
    several_clauses = clause_of is not None and clause_of is not _single_clause
    cue_clause = clause_of(cue_start) if several_clauses else 0
    # a clause that names no one before its cue shares the subject before it: "lost the Vela
    # windshield at Navika but won the Koru backlite from Clarity"
    own_subject = several_clauses and any(m.start < cue_start and clause_of(m.start) == cue_clause
                                          for m in mentions if not m.compared)
    for mention in mentions:
        if mention.compared or (mention.kind == "org") != organisations:
            continue
        distance = cue_start - mention.start
        # a mention before the cue is the likelier subject; after it, likelier an object
        weighted = distance if distance >= 0 else -distance * 1.5 + 1
        if several_clauses and clause_of(mention.start) != cue_clause and (own_subject or distance < 0):
            weighted += _OTHER_CLAUSE_MENTION   # "…asked for a giveback, while Clarity kept its prices"
        if best_distance is None or weighted < best_distance:
            best, best_distance = mention, weighted
    return best


def _party(key: str | None) -> tuple[str | None, str | None]:
    """(catalog id, name of an organisation outside the catalog) for a party key."""
    if key is not None and key.startswith(ORG_PREFIX):
        return None, key[len(ORG_PREFIX):]
    return key, None


def _nearest(found: list[tuple[int, str]], token: int) -> str:
    """The id of the (start, id) pair nearest ``token``, the first on a tie."""
    best, best_distance = found[0][1], abs(found[0][0] - token)
    for start, found_id in found:
        distance = abs(start - token)
        if distance < best_distance:
            best, best_distance = found_id, distance
    return best


def one_per_document(signals: list[Signal]) -> list[Signal]:
    """One signal per (type, company, customer) and figure unit — a note's OTIF % and its days
    of safety stock are two figures — where one without a figure folds into the first with one;
    company-less ones only if nothing else, and none that names neither a company nor a
    customer."""
    return [Signal(*fields) for fields in _one_per_document([signal_fields(signal) for signal in signals])]


def _one_per_document(signals: list[SignalFields]) -> list[SignalFields]:
    """:func:`one_per_document` for signals as tuples (signal_fields)."""
    kept: dict[tuple[str, str | None, str | None, str | None], SignalFields] = {}
    bases: set[tuple[str, str | None, str | None]] = set()     # every key's first three
    for signal in signals:
        base = (signal[_TYPE], signal[_COMPANY_ID] or signal[_COMPANY_NAME],
                signal[_CUSTOMER_ID] or signal[_CUSTOMER_NAME])
        bare = (*base, None)
        if signal[_VALUE] is None:
            if base not in bases:
                kept[bare] = signal
                bases.add(base)
            continue
        key = (*base, signal[_UNIT])
        if key in kept:
            continue
        # the one with the figure, whole: its evidence sentence is the one that gives the figure
        kept.pop(bare, None)
        kept[key] = signal
        bases.add(base)
    # a company-less signal folds into the attributed one of its type: its figure fills a gap
    attributed = {}
    for key, signal in kept.items():
        if key[1] is not None:
            attributed.setdefault((signal[_TYPE], key[2]), key)
    if len(attributed) == len(kept):
        return list(kept.values())      # every one attributed: nothing folds, none is dropped
    out = dict(kept)
    for key, signal in kept.items():
        target = attributed.get((signal[_TYPE], key[2]))
        if key[1] is not None or target is None:
            continue
        del out[key]
        if out[target][_VALUE] is None and signal[_VALUE] is not None:
            # the figure's own sentence is the evidence, about the company the document names
            company = list(signal)
            company[_COMPANY_ID], company[_COMPANY_NAME] = out[target][_COMPANY_ID], out[target][_COMPANY_NAME]
            out[target] = tuple(company)
    # about no one and at no one's end ("gas prices have gone up"): a market remark, not a signal
    return [signal for key, signal in out.items() if key[1] is not None or key[2] is not None]
