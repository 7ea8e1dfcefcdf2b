"""HTML → article text and metadata, listing-page links, and HTML fragments → text.

Pure functions over strings (no network). Extraction works in three steps:

1. **Metadata** is read from the untouched page: Open Graph / ``article:`` meta tags, plain
   meta tags, JSON-LD (``NewsArticle``/``Article``…, also inside a list or ``@graph``;
   malformed JSON-LD is ignored), ``rel=author``, ``itemprop`` and ``<time datetime>``.
2. **Boilerplate** is removed: scripts, styles, forms and embeds; ``nav``, ``aside``,
   ``header``, ``footer`` and their ARIA roles; hidden elements; and elements whose class or
   id names a cookie/consent banner, share widget, related-story box, newsletter box, comments
   and the like (:data:`BOILERPLATE_NAMES`) — except the article body itself and its
   ancestors, so a wrapper named ``has-sidebar`` does not take the story with it.
3. **Body**: the ``[itemprop=articleBody]``, the largest ``<article>``, ``<main>`` or
   ``[role=main]`` that holds the densest block of paragraph text, else that block itself.
   Link lists and "Also read" lines inside it are dropped; paragraphs are separated by a
   blank line.

Dates are ISO 8601 (:func:`iso_date`): with the page's UTC offset when it gives one, naive
when it gives a time without a zone, a plain date when it gives only a date. ``2026/11/05``
is year-month-day; ``05/11/2026`` is read only where the source names its order
(``date_order = "dmy"`` or ``"mdy"``), as ``25/11/2026`` is unambiguous; an impossible date
(an offset of +25:00) is no date.

Every page is held to a budget (:data:`MAX_ELEMENTS`, :data:`MAX_DEPTH`): a page with more
elements is refused before parsing (:class:`PageTooComplex`), and structure nested deeper is
flattened to its text, so cleaning stays linear in the page's size.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Comment, Tag
from bs4.element import (
    CData,
    NavigableString,
    PageElement,
    PreformattedString,
    Script,
    Stylesheet,
    TemplateString,
)
from dateutil import parser as date_parser

from .errors import FetchError, SourceError
from .urls import UrlError, canonical_url, is_http_url

# The budget per page. Real articles and listings have a few thousand elements nested a few
# dozen deep; parsing costs about 16 µs per element, so the limit keeps a page under a second.
MAX_ELEMENTS = 50_000
MAX_DEPTH = 500
DATE_ORDERS = ("dmy", "mdy")


class PageTooComplex(FetchError):
    """The HTML is over the element budget: refused before parsing."""


@dataclass
class Article:
    """What :func:`extract_article` found on a page."""

    title: str | None
    author: str | None
    published_at: str | None           # ISO 8601
    text: str                          # paragraphs separated by a blank line
    links: list[str] = field(default_factory=list)  # canonical absolute in-content links
    description: str | None = None
    canonical_url: str | None = None   # rel=canonical / og:url, else the given url


# Elements that never hold article text.
JUNK_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
             "canvas", "form", "button", "input", "select", "textarea", "label", "dialog",
             "head", "link", "meta", "map", "audio", "video", "picture", "img", "source")
# Page furniture: removed wherever it is, unless it holds the article body.
STRUCTURAL_TAGS = ("nav", "aside", "header", "footer", "menu")
BOILERPLATE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search",
                               "dialog", "alertdialog", "menu", "menubar", "toolbar"})
# Words in a class or id that mark page furniture; matched as whole dash/underscore parts.
BOILERPLATE_NAMES = (
    "cookies?", "consent", "gdpr", "cmp", "share", "sharing", "sharebar", "social", "related",
    "recommended", "recommendations", "more-stories", "newsletter", "subscribe", "subscription",
    "signup", "promo", "advert", "advertisement", "ads?", "sponsor", "sponsored", "comments?",
    "breadcrumbs?", "byline", "tags", "tag-list", "pagination", "pager", "popup", "modal",
    "overlay", "sidebar", "widget", "footer", "header", "masthead", "nav", "navbar",
    "navigation", "menu", "toolbar", "trending", "most-read", "mostread", "most-popular",
    "outbrain", "taboola", "paywall", "skip-link", "sr-only", "visually-hidden",
    "screen-reader-text", "author-bio", "read-next", "also-read")
_BOILERPLATE_RE = re.compile(r"(?:^|[-_])(?:" + "|".join(BOILERPLATE_NAMES) + r")(?:$|[-_])",
                             re.I)
_BOILERPLATE_TEXT = re.compile(
    r"^(advertisement|sponsored( content)?|share( this)?( article| story)?|"
    r"(also read|read more|read also|see also|recommended|"
    r"related( stories| articles| news| coverage)?)\s*[:|\u2013\u2014-].{0,160}|"
    r"(follow us on|subscribe to our|sign up for our)\b.{0,120})$", re.I)
# What may remain of a byline once its author and date elements are taken out.
_BYLINE_REST = re.compile(r"(?:[\W\s]|\b(?:by|and|updated|published|posted|on|at|written)\b)*",
                          re.I)
BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre",
    "section", "summary", "table", "caption", "tr", "ul", "body", "center"})
_NOT_TEXT = (PreformattedString, Script, Stylesheet, TemplateString)  # comments, code, doctype
_PARA, _BREAK = "\ue000", "\ue001"  # private-use markers: cannot come from a real page
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")

# Listing pages: path parts and file types that are not articles.
NON_ARTICLE_PATH = re.compile(
    r"/(tags?|topics?|category|categories|author|authors|page|search|login|signin|register|"
    r"subscribe|newsletter|about|about-us|contact|contact-us|privacy|privacy-policy|terms|"
    r"cookie-policy|advertise|feed|rss|amp-stories)(/|$)", re.I)
NON_ARTICLE_EXT = re.compile(
    r"\.(jpe?g|png|gif|webp|svg|bmp|ico|tiff?|avif|heic|pdf|zip|gz|rar|7z|docx?|xlsx?|pptx?|"
    r"csv|mp3|mp4|m4a|mov|avi|webm|css|js|json|xml|rss|atom)$", re.I)
_SKIP_SCHEMES = ("mailto:", "javascript:", "tel:", "data:", "sms:", "whatsapp:", "ftp:")

_TZINFOS = {"IST": 19800, "UTC": 0, "GMT": 0, "Z": 0}  # IST is India's (+05:30) here
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"(?<!\d)(19|20|21)\d\d(?!\d)")
_HAS_TIME = re.compile(r"\d:\d\d|T\d")
# Numeric dates: 2026/11/05 (year first) or 05/11/2026 (day and month in some order).
_NUMERIC_DATE = re.compile(r"(?P<a>\d{1,4})[/.-](?P<b>\d{1,2})[/.-](?P<c>\d{1,4})(?![\d/.-])")
_ELEMENT_START = re.compile(r"<[A-Za-z]")
_DATE_META = ("article:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
              "dcterms.created", "dcterms.date", "pubdate", "publishdate", "publish-date",
              "publication_date", "parsely-pub-date", "sailthru.date", "og:published_time")


def iso_date(value: str | None, date_order: str | None = None) -> str | None:
    """``value`` (ISO 8601, RFC 822 or a written date) as ISO 8601, or None if unreadable.

    ``date_order`` ("dmy" or "mdy") says how the source writes a numeric date whose day and
    month could be either (``05/11/2026``); without it such a date is not guessed (None).
    Year-first forms (``2026/11/05``) are always year-month-day.
    """
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        return _iso_date(text, date_order)
    except (ValueError, OverflowError, TypeError):
        return None  # an impossible date (a +25:00 offset, a 31 February) is no date


def _iso_date(text: str, date_order: str | None) -> str | None:
    # ISO first: dateutil with dayfirst would read 2026-07-08 as 7 August.
    if _ISO_DATE.fullmatch(text):
        return date.fromisoformat(text).isoformat()
    try:
        parsed = datetime.fromisoformat(text)
        return parsed.isoformat() if _HAS_TIME.search(text) else parsed.date().isoformat()
    except ValueError:
        pass
    if not _YEAR.search(text):  # dateutil would fill a missing year from today
        return None
    dayfirst, yearfirst = date_order == "dmy", False
    numeric = _NUMERIC_DATE.search(text)
    if numeric and len(numeric["a"]) == 4:
        dayfirst, yearfirst = False, True
    elif numeric and len(numeric["c"]) == 4:
        first, second = int(numeric["a"]), int(numeric["b"])
        if first <= 12 and second <= 12 and first != second and date_order not in DATE_ORDERS:
            return None  # 05/11/2026: 5 November or 11 May; the source must say which
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unknown zone names: the time is kept naive
        parsed = date_parser.parse(text, dayfirst=dayfirst, yearfirst=yearfirst,
                                   tzinfos=_TZINFOS, default=datetime(2000, 1, 1))
    if not _HAS_TIME.search(text):
        return parsed.date().isoformat()
    return parsed.isoformat()


def parse_html(html: str) -> BeautifulSoup:
    """``html`` parsed, within the page budget (see the module docstring).

    Raises :class:`PageTooComplex` for a page over :data:`MAX_ELEMENTS`, counted in the raw
    text before parsing; elements nested deeper than :data:`MAX_DEPTH` become their text.
    """
    html = html or ""
    elements = len(_ELEMENT_START.findall(html))
    if elements > MAX_ELEMENTS:
        raise PageTooComplex(f"page too complex to extract: about {elements:,} HTML elements "
                             f"(the limit is {MAX_ELEMENTS:,})")
    soup = BeautifulSoup(html, "lxml")
    depth: dict[int, int] = {}
    too_deep: list[Tag] = []
    for tag in soup.find_all(True):  # document order: a parent before its children
        level = depth[id(tag)] = depth.get(id(tag.parent), 0) + 1
        if level == MAX_DEPTH and tag.contents:
            too_deep.append(tag)
    for tag in too_deep:  # disjoint subtrees: flattening them all is linear
        tag.string = tag.get_text(" ")
    return soup


def extract_article(html: str, url: str | None = None, *,
                    date_order: str | None = None) -> Article:
    """The main text and metadata of an article page; ``url`` resolves relative links.

    ``date_order`` is the source's order of numeric dates (:func:`iso_date`). Raises
    :class:`PageTooComplex` for a page over the budget.
    """
    soup = parse_html(html)
    base = _base_url(soup, url)
    meta = _meta_tags(soup)
    jsonld = _jsonld_article(soup)
    site_name = meta.get("og:site_name") or jsonld.get("publisher")
    title = _clean(meta.get("og:title") or jsonld.get("headline") or meta.get("twitter:title")
                   or _headline(soup)
                   or _strip_site_name(_tag_text(soup.title), site_name))
    author = _author(soup, meta, jsonld)
    published = _published(soup, meta, jsonld, date_order)
    description = _clean(meta.get("og:description") or meta.get("description")
                         or meta.get("twitter:description") or jsonld.get("description"))
    canonical = _canonical(soup, meta, url)

    body = soup.body or soup
    _remove_junk(body)
    _remove_structural(body)
    root = _content_root(body)
    _remove_boilerplate_names(body, keep=root)
    _remove_link_lists(root)
    _remove_bylines(root)
    first_h1 = root.find("h1")
    if first_h1 is not None:  # the headline is the title, not body text
        first_h1.extract()
    links = _links_in(root, base, skip={canonical})
    paragraphs = _paragraphs(root)
    if paragraphs and title and _clean(paragraphs[0]) == title:
        paragraphs = paragraphs[1:]
    return Article(title=title, author=author, published_at=published,
                   text="\n\n".join(paragraphs), links=links, description=description,
                   canonical_url=canonical)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed summary): paragraphs kept, entities decoded."""
    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment and "&" not in fragment:
        return "\n\n".join(_split_plain(fragment))
    soup = parse_html(fragment)
    _remove_junk(soup)
    return "\n\n".join(_paragraphs(soup))


def page_links(html: str, base_url: str, *, allowed_hosts: Iterable[str],
               pattern: str | re.Pattern[str] | None = None, limit: int = 50) -> list[str]:
    """Article links of a listing page: canonical, deduplicated, in document order.

    Only http(s) links to ``allowed_hosts`` (exact host names, case-insensitive), matching
    ``pattern`` (``re.search`` on the canonical URL) if given; links in navigation, headers,
    footers and sidebars, the page itself, and tag/category/author/… pages and files (images,
    PDFs…) are skipped. An invalid ``pattern`` raises :class:`~compintel.errors.SourceError`.
    """
    regex = _compile_pattern(pattern)
    hosts = {_host(host) for host in allowed_hosts if host.strip()}
    soup = parse_html(html)
    base = _base_url(soup, base_url)
    body = soup.body or soup
    _remove_junk(body)
    _remove_structural(body)
    try:
        skip = {canonical_url(base_url)}
    except UrlError:
        skip = set()
    found: list[str] = []
    for anchor in body.find_all("a", href=True):
        link = _absolute(anchor["href"], base)
        if link is None or link in skip or link in found:
            continue
        parts = urlsplit(link)
        if parts.hostname not in hosts or parts.path in ("", "/"):
            continue
        if NON_ARTICLE_PATH.search(parts.path) or NON_ARTICLE_EXT.search(parts.path):
            continue
        if regex is not None and not regex.search(link):
            continue
        found.append(link)
        if len(found) >= limit:
            break
    return found


# -- metadata --------------------------------------------------------------------------------

def _meta_tags(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        value = tag.get("content")
        if isinstance(key, str) and isinstance(value, str) and value.strip():
            found.setdefault(key.strip().lower(), value.strip())
    return found


def _jsonld_article(soup: BeautifulSoup) -> dict[str, str]:
    """headline, author, datePublished, description, publisher of the first Article."""
    nodes: list[dict] = []
    for script in soup.find_all("script", type=re.compile(r"ld\+json", re.I)):
        try:
            data = json.loads(script.string or script.get_text() or "")
        except (ValueError, TypeError):
            continue  # malformed JSON-LD is ignored, as search engines do
        _collect_nodes(data, nodes)
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    for node in nodes:
        if not any(_is_article_type(kind) for kind in _as_list(node.get("@type"))):
            continue
        names = [_node_name(author, by_id) for author in _as_list(node.get("author"))]
        publisher = _node_name(node.get("publisher"), by_id)
        return {key: value for key, value in {
            "headline": _first_str(node.get("headline")) or _first_str(node.get("name")),
            "author": ", ".join(name for name in names if name) or None,
            "datePublished": _first_str(node.get("datePublished")),
            "description": _first_str(node.get("description")),
            "publisher": publisher,
        }.items() if value}
    return {}


def _collect_nodes(data: object, out: list[dict], depth: int = 0) -> None:
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            _collect_nodes(item, out, depth + 1)
    elif isinstance(data, dict):
        out.append(data)
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "item"):
            if isinstance(data.get(key), list | dict):
                _collect_nodes(data[key], out, depth + 1)


def _is_article_type(kind: object) -> bool:
    if not isinstance(kind, str):
        return False
    name = re.split(r"[/:#]", kind)[-1]
    return name.endswith("Article") or name in ("BlogPosting", "LiveBlogPosting", "Report")


def _node_name(value: object, by_id: dict[str, dict]) -> str | None:
    if isinstance(value, str):
        return None if is_http_url(value) else _clean(value)
    if isinstance(value, dict):
        if "name" not in value and isinstance(value.get("@id"), str):
            value = by_id.get(value["@id"], value)
        return _clean(_first_str(value.get("name")))
    return None


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first_str(value: object) -> str | None:
    for item in _as_list(value):
        if isinstance(item, str) and item.strip():
            return item
    return None


def _author(soup: BeautifulSoup, meta: dict[str, str], jsonld: dict[str, str]) -> str | None:
    candidates = [meta.get("author"), jsonld.get("author"), meta.get("article:author"),
                  meta.get("dc.creator"), meta.get("parsely-author")]
    for selector in ("[rel~=author]", "[itemprop=author] [itemprop=name]", "[itemprop=author]"):
        tag = soup.select_one(selector)
        if tag is not None:
            candidates.append(tag.get("content") if tag.name == "meta" else _tag_text(tag))
    for candidate in candidates:
        if candidate and not is_http_url(candidate.strip()):
            name = re.sub(r"^\s*by\s+", "", _clean(candidate) or "", flags=re.I)
            if name:
                return name
    return None


def _published(soup: BeautifulSoup, meta: dict[str, str], jsonld: dict[str, str],
               date_order: str | None = None) -> str | None:
    candidates = [meta.get("article:published_time"), jsonld.get("datePublished")]
    candidates += [meta.get(name) for name in _DATE_META[1:]]
    for tag in soup.select("[itemprop=datePublished]"):
        candidates.append(tag.get("content") or tag.get("datetime"))
    times = soup.select("time[pubdate][datetime]") + soup.select("article time[datetime]")
    times += [tag for tag in soup.select("time[datetime]")
              if not tag.find_parent(["header", "nav", "footer", "aside"])]
    candidates += [tag.get("datetime") for tag in times]
    for candidate in candidates:
        parsed = iso_date(candidate, date_order)
        if parsed:
            return parsed
    return None


def _canonical(soup: BeautifulSoup, meta: dict[str, str], url: str | None) -> str | None:
    link = soup.find("link", rel="canonical", href=True)
    for candidate in (link["href"] if link else None, meta.get("og:url"), url):
        if candidate:
            absolute = _absolute(candidate, url)
            if absolute:
                return absolute
    return None


def _base_url(soup: BeautifulSoup, url: str | None) -> str | None:
    tag = soup.find("base", href=True)
    if tag is None:
        return url
    return _absolute(tag["href"], url) or url


def _absolute(href: str, base: str | None) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith("#") or href.lower().startswith(_SKIP_SCHEMES):
        return None
    try:
        link = canonical_url(href, base)
    except UrlError:
        return None
    return link if is_http_url(link) else None


def _host(name: str) -> str:
    """A host name as canonical URLs spell it (lower case, IDNA, no trailing dot)."""
    try:
        return urlsplit(canonical_url(f"http://{name.strip()}/")).hostname or ""
    except UrlError:
        return name.strip().lower()


def _strip_site_name(title: str | None, site_name: str | None) -> str | None:
    if title and site_name:
        for separator in (" | ", " - ", " – ", " — ", " :: "):
            head, sep, tail = title.rpartition(separator)
            if sep and head and tail.strip().lower() == site_name.strip().lower():
                return head
    return title


# -- cleaning --------------------------------------------------------------------------------

def _prune(root: Tag, remove: Callable[[Tag], bool], names: object = True) -> None:
    """Detach every element below ``root`` for which ``remove`` is true.

    Elements are visited in document order, so a parent goes before its children and the
    children of a detached element are skipped without a look.
    """
    gone: set[int] = set()
    for tag in root.find_all(names):
        if id(tag.parent) in gone:
            gone.add(id(tag))
        elif tag is not root and remove(tag):
            gone.add(id(tag))
            tag.extract()


def _remove_junk(root: Tag) -> None:
    for comment in root.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    holders = _body_holders(root)

    def junk(tag: Tag) -> bool:
        if tag.name == "form":
            # Some sites wrap the whole page in one <form>: keep a form that holds the story.
            return not (len(tag.find_all("p", limit=3)) >= 3 or id(tag) in holders)
        return tag.name in JUNK_TAGS or _is_hidden(tag)
    _prune(root, junk)


def _is_hidden(tag: Tag) -> bool:
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    style = str(tag.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _remove_structural(root: Tag) -> None:
    holders = _body_holders(root)

    def structural(tag: Tag) -> bool:
        role = str(tag.get("role") or "").lower()
        return ((tag.name in STRUCTURAL_TAGS or role in BOILERPLATE_ROLES)
                and id(tag) not in holders)
    _prune(root, structural)


def _remove_boilerplate_names(root: Tag, keep: Tag) -> None:
    holders = _body_holders(root, keep)

    def boilerplate(tag: Tag) -> bool:
        if tag.name in ("html", "body", "main"):
            return False
        names = [*(tag.get("class") or []), str(tag.get("id") or "")]
        return (any(_BOILERPLATE_RE.search(name) for name in names if name)
                and id(tag) not in holders)
    _prune(root, boilerplate)


def _body_holders(root: Tag, keep: Tag | None = None) -> set[int]:
    """The ids of the elements whose removal would remove the article body: an
    ``[itemprop=articleBody]`` and its ancestors, the ancestors of a ``<main>``, and ``keep``
    and its ancestors. Found once, walking up from the body (a search below each candidate
    would be quadratic in a deeply nested page)."""
    holders: set[int] = set()
    marks = root.find_all(lambda tag: tag.name == "main" or tag.get("itemprop") == "articleBody")
    for mark in [*marks, *([keep] if keep is not None else [])]:
        if mark.name != "main" or mark is keep or mark.get("itemprop") == "articleBody":
            holders.add(id(mark))
        for parent in mark.parents:
            if id(parent) in holders:
                break       # its ancestors are in already
            holders.add(id(parent))
    return holders


def _contains(tag: Tag, other: Tag) -> bool:
    return tag is other or any(parent is tag for parent in other.parents)


def _remove_link_lists(root: Tag) -> None:
    texts, link_lengths = _short_texts(root)

    def link_list(tag: Tag) -> bool:
        text = texts[id(tag)]
        if not text:  # empty, or None: over 400 characters, no link list nor boilerplate line
            return False
        if link_lengths[id(tag)] / len(text) >= 0.6:
            return True
        return tag.name == "p" and _BOILERPLATE_TEXT.match(text) is not None
    _prune(root, link_list, ["ul", "ol", "dl", "p", "div", "section", "table"])


def _short_texts(root: Tag, limit: int = 400) -> tuple[dict[int, str | None], dict[int, int]]:
    """Each element's space-normalised text if at most ``limit`` characters (else None), and
    the length of the link text in it, computed bottom-up in one pass.

    An element's text contains each child's, so a child over the limit puts its parents over
    too; no text longer than the limit is ever joined, which keeps deep nesting linear.
    """
    texts: dict[int, str | None] = {}
    link_lengths: dict[int, int] = {}
    for tag in reversed([root, *root.find_all(True)]):  # children before their parent
        pieces: list[str] = []
        links = 0
        too_long = False
        for child in tag.contents:
            if isinstance(child, Tag):
                child_text = texts[id(child)]
                links += link_lengths[id(child)]
                if child_text is None:
                    too_long = True
                elif not too_long:
                    pieces.append(child_text)
            elif isinstance(child, NavigableString) and not too_long and (
                    isinstance(child, CData) or not isinstance(child, _NOT_TEXT)):
                pieces.append(child)
        text = None if too_long else _SPACE.sub(" ", " ".join(pieces)).strip()
        if text is not None and len(text) > limit:
            text = None
        if tag.name == "a":
            links += len(text) if text is not None else limit + 1
        texts[id(tag)] = text
        link_lengths[id(tag)] = links
    return texts, link_lengths


def _remove_bylines(root: Tag) -> None:
    """Drop short blocks that hold only an author link or name and a date."""
    marks = root.find_all("time") + root.select("[rel~=author], [itemprop=author]")
    for mark in marks:
        block = mark.find_parent(["p", "div", "span", "address", "ul"])
        if block is None or block is root or not _contains(root, block):
            continue
        text = _SPACE.sub(" ", block.get_text(" ")).strip()
        if len(text) > 200:
            continue
        for inner in block.find_all("time") + block.select("[rel~=author], [itemprop=author]"):
            text = text.replace(_SPACE.sub(" ", inner.get_text(" ")).strip(), " ")
        if _BYLINE_REST.fullmatch(text):
            block.extract()


def _content_root(body: Tag) -> Tag:
    dense = _densest_block(body)
    explicit = [body.find(attrs={"itemprop": "articleBody"})]
    # the longest article: an outer one holds the text of those inside it, so only the
    # outermost are measured (nested articles made this quadratic)
    articles = [article for article in body.find_all("article") if article.find_parent("article") is None]
    if articles:
        explicit.append(max(articles, key=_text_length))
    explicit += [body.find("main"), body.find(attrs={"role": "main"})]
    for candidate in explicit:
        if candidate is None:
            continue
        if dense is None or _contains(candidate, dense) or (
                _text_length(candidate) >= 0.3 * _text_length(dense)):
            return candidate
    return dense or body


def _densest_block(body: Tag) -> Tag | None:
    """The element whose paragraphs (and its children's, at half weight) hold most text."""
    scores: dict[int, float] = {}
    elements: dict[int, Tag] = {}
    for tag in body.find_all(["p", "pre", "blockquote", "div", "td"]):
        if tag.name == "blockquote" and tag.find("blockquote") is not None:
            continue    # the innermost quote is measured: nested quotes made this quadratic
        if tag.name in ("div", "td"):
            own = "".join(str(s) for s in tag.find_all(string=True, recursive=False))
            length = len(_SPACE.sub(" ", own).strip())
        else:
            length = _text_length(tag)
        if length < 25:
            continue
        parent = tag.parent if tag.name not in ("div", "td") else tag
        for weight, target in ((1.0, parent), (0.5, getattr(parent, "parent", None))):
            if isinstance(target, Tag):
                scores[id(target)] = scores.get(id(target), 0.0) + weight * length
                elements[id(target)] = target
    if not scores:
        return None
    return elements[max(scores, key=lambda key: scores[key])]


def _text_length(tag: Tag | None) -> int:
    """Length of the text in ``tag`` that is not link text."""
    if tag is None:
        return 0
    total = len(_SPACE.sub(" ", tag.get_text(" ")).strip())
    links = sum(len(_SPACE.sub(" ", a.get_text(" ")).strip()) for a in tag.find_all("a"))
    return max(total - links, 0)


# -- text ------------------------------------------------------------------------------------

def _paragraphs(root: Tag) -> list[str]:
    """The text under ``root`` as paragraphs: block elements and <br><br> separate them."""
    pieces: list[str] = []
    stack: list[PageElement | tuple[str]] = [root]
    while stack:  # an explicit stack: deeply nested pages must not hit the recursion limit
        node = stack.pop()
        if isinstance(node, tuple):
            pieces.append(node[0])
        elif isinstance(node, NavigableString):
            if isinstance(node, CData) or not isinstance(node, _NOT_TEXT):
                pieces.append(str(node))
        elif isinstance(node, Tag):
            if node.name == "br":
                pieces.append(_BREAK)
                continue
            if node.name in BLOCK_TAGS:
                pieces.append(_PARA)
                stack.append((_PARA,))
            elif node.name in ("td", "th"):
                stack.append((" ",))
            stack.extend(reversed(node.contents))
    # Two line breaks in a row (text laid out with <br><br>) also end a paragraph.
    blocks = re.split(f"{_PARA}|{_BREAK}\\s*{_BREAK}", "".join(pieces))
    paragraphs = []
    for block in blocks:
        lines = [_SPACE.sub(" ", line).strip() for line in block.split(_BREAK)]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return paragraphs


def _split_plain(text: str) -> list[str]:
    blocks = re.split(r"\n\s*\n", text)
    return [para for para in (_SPACE.sub(" ", block).strip() for block in blocks) if para]


def _links_in(root: Tag, base: str | None, skip: set[str | None]) -> list[str]:
    links: list[str] = []
    for anchor in root.find_all("a", href=True):
        link = _absolute(anchor["href"], base)
        if link and link not in skip and link not in links:
            links.append(link)
    return links


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    cleaned = _SPACE.sub(" ", text).strip()
    return cleaned or None


def _tag_text(tag: Tag | None) -> str | None:
    return _clean(tag.get_text(" ")) if tag is not None else None


def _headline(soup: BeautifulSoup) -> str | None:
    """The story's <h1>: one in the article or main, else one outside the site header."""
    for selector in ("article h1", "main h1", "[itemprop=headline]"):
        text = _tag_text(soup.select_one(selector))
        if text:
            return text
    for tag in soup.find_all("h1"):
        if not tag.find_parent(["header", "nav", "footer", "aside"]):
            return _tag_text(tag)
    return None


def _compile_pattern(pattern: str | re.Pattern[str] | None) -> re.Pattern[str] | None:
    if pattern is None or isinstance(pattern, re.Pattern):
        return pattern
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise SourceError(f"invalid regular expression {pattern!r}: {exc}",
                          field="link_pattern", hint="fix the pattern or remove it") from None
