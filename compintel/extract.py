"""HTML → article text and metadata, listing-page links, and HTML fragments → text.

Pure functions over strings (no network). The article text is trafilatura's
(``bare_extraction(tree, url=…, include_comments=False)``), the reference extractor of this
field: it chooses the article's blocks and drops navigation, related boxes, captions,
bylines and share tools. What this module keeps, and why:

* **The page budget** (:func:`parse_html`): trafilatura has none. A page with more than
  :data:`MAX_ELEMENTS` elements is refused before parsing (:class:`PageTooComplex`). The page
  is parsed once, by lxml through a parser target, so no nesting depth cuts the document
  short (libxml2's own tree builder silently drops everything after depth 256). Structure
  nested deeper than :data:`MAX_DEPTH` is flattened to its text, and so is structure below
  the depth where the page's nesting exceeds its budget: trafilatura walks each element's
  ancestors (time grows with elements × depth, :data:`MAX_NESTING`) and measures the text of
  every enclosing block (text × depth, :data:`MAX_TEXT_NESTING`).
* **Metadata**, read from the page's markup: title (Open Graph, JSON-LD, the story's
  ``<h1>``, ``<title>``), author, description, canonical URL and the publication date from
  meta tags, JSON-LD, ``itemprop`` and ``<time datetime>``. Markup dates follow
  :func:`iso_date`'s rules; only a page whose markup declares no date at all gets
  trafilatura's date (found in the visible text), and not one read from an ambiguous
  numeric date such as ``05/11/2026`` unless the source names its order.
* **Around trafilatura**: furniture its own cleaning drops anyway (:data:`FURNITURE_TAGS`,
  ``role=navigation``, forms that do not hold the story) is removed first, so that its
  fallbacks (readability, jusText, the whole-page baseline) cannot return a page's
  navigation as the text of a page that has no article (gather rejects such a page). After
  it, a line that only points elsewhere ("Also read: …", "Most read: …", "Sponsored: …", a
  photo credit) is dropped: another story's headline names companies the tagger would
  credit to this one. The headline is the title, not the first paragraph. Paragraphs are
  separated by a blank line, a line break inside one is a newline.
* **Listing links** (:func:`page_links`) and **fragments** (:func:`html_to_text`, for feed
  summaries): trafilatura finds one article per page and expects a whole page.

Dates are ISO 8601 (:func:`iso_date`): with the page's UTC offset when it gives one, naive
when it gives a time without a zone, a plain date when it gives only a date. ``2026/11/05``
is year-month-day; ``05/11/2026`` is read only where the source names its order
(``date_order = "dmy"`` or ``"mdy"``), as ``25/11/2026`` is unambiguous; an impossible date
(an offset of +25:00) is no date.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from dateutil import parser as date_parser
from lxml import etree

from .errors import FetchError, SourceError
from .urls import UrlError, canonical_url, is_http_url

# A page without article text is reported by gather in one line; trafilatura's and htmldate's
# own warnings ("discarding data") would repeat it on stderr.
for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).setLevel(logging.ERROR)

# The budget per page. Real articles and listings have a few thousand elements nested a few
# dozen deep (sum of depths in the tens of thousands, text × depth in the low millions).
MAX_ELEMENTS = 50_000        # counted in the raw text: more is refused before parsing
MAX_DEPTH = 500              # deeper elements become their text
MAX_NESTING = 500_000        # sum over elements of their depth
MAX_TEXT_NESTING = 20_000_000  # sum over characters of text of their depth
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
    description: str | None = None
    canonical_url: str | None = None   # rel=canonical / og:url, else the given url


# Elements that never hold text (fragments and listing pages).
JUNK_TAGS = frozenset({
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "form", "button", "input", "select", "textarea", "label", "dialog", "head", "link",
    "meta", "map", "audio", "video", "picture", "img", "source"})
CODE_TAGS = ("script", "style", "template")   # their text is code, never page text
# Page furniture on a listing page: its links are not the listing's, unless it holds the
# page body (some sites wrap everything in one <header> or role=navigation).
STRUCTURAL_TAGS = frozenset({"nav", "aside", "header", "footer", "menu"})
BOILERPLATE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search",
                               "dialog", "alertdialog", "menu", "menubar", "toolbar"})
# Furniture trafilatura's own cleaning drops too, removed before it so that its fallbacks
# (readability, jusText, the whole-page baseline) cannot bring it back on a page without an
# article. <header> is not among them: an article's or a section's header holds story text.
FURNITURE_TAGS = frozenset({"nav", "footer", "aside", "menu", "noscript"})
# A paragraph that only points elsewhere ("Also read: <another story>"), an advertisement
# label or a photo credit.
_BOILERPLATE_TEXT = re.compile(
    r"^(advertisement|sponsored( content)?|share( this)?( article| story)?|"
    r"(also read|read more|read also|see also|recommended|most read|most popular|trending|"
    r"sponsored|related( stories| articles| news| coverage)?)\s*[:|\u2013\u2014-].{0,160}|"
    r"(photo|photograph|image|picture)( credit)?s?\s*[:|].{0,80}|"
    r"(follow us on|subscribe to our|sign up for our)\b.{0,120})$", re.I)
# Blocks of HTML and of trafilatura's output (p, head, list, item, quote, code, table, row).
BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre",
    "section", "summary", "table", "caption", "tr", "ul", "body", "center",
    "head", "list", "item", "quote", "code", "row"})
CELL_TAGS = frozenset({"td", "th", "cell"})
LINE_BREAKS = frozenset({"br", "lb"})
_PARA, _BREAK = "\ue000", "\ue001"  # private-use markers: cannot come from a real page
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
# Characters libxml2 takes in HTML but lxml's tree builder refuses (C0 controls, surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

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


# -- parsing within the budget ---------------------------------------------------------------

class _Builder:
    """lxml parser target: builds the tree as lxml.html elements and counts, per depth, the
    elements and characters of text on the way, so the budget needs no walk of its own.

    ``</body>`` and ``</html>`` close nothing (browsers put what follows them in the body):
    libxml2 reports them as it reads them and starts a second document for the rest, which
    the tree builder would keep instead of the page."""

    def __init__(self) -> None:
        # the HTML parser only lends its element classes (lxml.html's, as trafilatura needs)
        self._builder = etree.TreeBuilder(parser=lxml.html.HTMLParser())
        self._open: list[str] = []
        self._seen: set[str] = set()    # html and body, once opened
        self.elements: list[int] = [0]  # elements[d]: elements at depth d (the root is 1)
        self.chars: list[int] = [0]     # chars[d]: characters of text directly at depth d

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if any(_NOT_XML.search(value) for value in attrib.values()):
            attrib = {key: _NOT_XML.sub("", value) for key, value in attrib.items()}
        if not self._open and tag != "html":
            self.start("html", {})
        if tag in ("html", "body"):
            if tag in self._seen:
                return
            self._seen.add(tag)
        self._open.append(tag)
        if len(self._open) == len(self.elements):
            self.elements.append(0)
            self.chars.append(0)
        self.elements[len(self._open)] += 1
        try:
            self._builder.start(tag, attrib)
        except ValueError:  # a name lxml refuses, from broken markup ("<mR<frameset>")
            try:
                self._builder.start(tag, {})
            except ValueError:
                self._builder.start("span", {})
                self._open[-1] = "span"

    def end(self, tag: str) -> None:
        if tag not in ("html", "body") and len(self._open) > 1:
            self._builder.end(self._open.pop())

    def data(self, data: str) -> None:
        # a character reference (&#x1b;, &#1;) decodes to a control character only here
        if _NOT_XML.search(data):
            data = _NOT_XML.sub("", data)
        if self._open:   # + 1: the space that joins it to the rest when flattened
            self.chars[len(self._open)] += len(data) + 1
            self._builder.data(data)

    def close(self) -> lxml.html.HtmlElement:
        if not self._open:   # no element at all: an empty page
            self.start("html", {})
        while self._open:
            self._builder.end(self._open.pop())
        return self._builder.close()


def parse_html(html: str, *, for_trafilatura: bool = False) -> lxml.html.HtmlElement:
    """``html`` parsed within the page budget (see the module docstring).

    Raises :class:`PageTooComplex` for a page over :data:`MAX_ELEMENTS`, counted in the raw
    text before parsing; structure deeper than :data:`MAX_DEPTH` becomes its text, and with
    ``for_trafilatura`` also structure below the depth where the page's nesting exceeds
    :data:`MAX_NESTING` or :data:`MAX_TEXT_NESTING`.
    """
    html = html or ""
    elements = len(_ELEMENT_START.findall(html))
    if elements > MAX_ELEMENTS:
        raise PageTooComplex(f"page too complex to extract: about {elements:,} HTML elements "
                             f"(the limit is {MAX_ELEMENTS:,})")
    if _NOT_XML.search(html):
        html = _NOT_XML.sub(" ", html)
    builder = _Builder()
    parser = etree.HTMLParser(target=builder, remove_comments=True, remove_pis=True,
                              collect_ids=False)
    parser.feed(html)
    root = parser.close()
    keep = _kept_depth(builder.elements, builder.chars, for_trafilatura)
    if keep < len(builder.elements) - 1:
        _flatten_below(root, keep)
    return root


def _kept_depth(elements: list[int], chars: list[int], nesting_budget: bool) -> int:
    """The deepest level kept: at most :data:`MAX_DEPTH`; with ``nesting_budget`` also with
    the sum of element depths within :data:`MAX_NESTING` and the sum of text depths (text
    below the level counted at it) within :data:`MAX_TEXT_NESTING`."""
    nesting = text_above = 0
    text_below = sum(chars)
    for depth in range(1, len(elements)):
        nesting += depth * elements[depth]
        text_above += depth * chars[depth]
        text_below -= chars[depth]
        if depth > MAX_DEPTH or nesting_budget and (
                nesting > MAX_NESTING or text_above + depth * text_below > MAX_TEXT_NESTING):
            return max(depth - 1, 1)
    return len(elements) - 1


def _flatten_below(root: etree._Element, keep: int) -> None:
    """Every element at depth ``keep`` with children gets the text of its subtree instead;
    one that held the page body (a ``<main>`` or ``[itemprop=articleBody]``) is marked as
    the body, so the furniture around it stays (:func:`_body_holders`)."""
    stack = [(root, 1)]
    deepest = []
    while stack:  # an explicit stack: a deep page must not hit the recursion limit
        element, depth = stack.pop()
        if depth == keep:
            if len(element):
                deepest.append(element)
        else:
            stack.extend((child, depth + 1) for child in element)
    for element in deepest:  # disjoint subtrees: flattening them all is linear
        if element.xpath("boolean(.//main | .//*[@itemprop='articleBody'])"):
            element.set("itemprop", "articleBody")
        etree.strip_elements(element, *CODE_TAGS, with_tail=False)
        text = " ".join(element.itertext())
        for child in list(element):
            element.remove(child)
        element.text = text


# -- articles --------------------------------------------------------------------------------

def extract_article(html: str, url: str | None = None, *,
                    date_order: str | None = None) -> Article:
    """The main text and metadata of an article page; ``url`` resolves relative links.

    ``date_order`` is the source's order of numeric dates (:func:`iso_date`). Raises
    :class:`PageTooComplex` for a page over the budget.
    """
    root = parse_html(html, for_trafilatura=True)
    meta = _meta_tags(root)
    jsonld = _jsonld_article(root)
    site_name = meta.get("og:site_name") or jsonld.get("publisher")
    headline = _headline(root)
    title = _clean(meta.get("og:title") or jsonld.get("headline") or meta.get("twitter:title")
                   or headline or _strip_site_name(_tag_text(_first(root, "//title")),
                                                   site_name))
    author = _author(root, meta, jsonld)
    published, declared = _published(root, meta, jsonld, date_order)
    description = _clean(meta.get("og:description") or meta.get("description")
                         or meta.get("twitter:description") or jsonld.get("description"))
    canonical = _canonical(root, meta, url)

    _remove_furniture(root)
    paragraphs = _article_paragraphs(root, url)
    if paragraphs and paragraphs[0] in (title, headline):
        paragraphs = paragraphs[1:]   # the headline is the title, not body text
    if published is None and not declared:
        published = _text_date(root, html, url, date_order)
    return Article(title=title, author=author, published_at=published,
                   text="\n\n".join(paragraphs), description=description,
                   canonical_url=canonical)


def _article_paragraphs(root: etree._Element, url: str | None) -> list[str]:
    """trafilatura's article text as paragraphs, without lines that only point elsewhere."""
    document = trafilatura.bare_extraction(root, url=url, include_comments=False)
    if document is None or document.body is None:
        return []
    return [paragraph for paragraph in _paragraphs(document.body, newline_is_break=True)
            if not _BOILERPLATE_TEXT.match(paragraph)]


def _text_date(root: etree._Element, html: str, url: str | None,
               date_order: str | None) -> str | None:
    """trafilatura's date (htmldate, which also reads the visible text), for a page whose
    markup declares none; a date it may have read from an ambiguous numeric date on the
    page is read by :func:`iso_date` instead (no date unless the source names its order)."""
    found = trafilatura.extract_metadata(root, default_url=url).date
    parsed = iso_date(found)
    if parsed is None:
        return None
    for numeric in _NUMERIC_DATE.finditer(html):
        a, b, year = numeric["a"], numeric["b"], numeric["c"]
        if len(a) > 2 or len(year) not in (2, 4) or a == b or int(a) > 12 or int(b) > 12:
            continue
        year = year if len(year) == 4 else "20" + year
        readings = {f"{year}-{int(a):02d}-{int(b):02d}", f"{year}-{int(b):02d}-{int(a):02d}"}
        if parsed in readings:
            return iso_date(f"{a}/{b}/{year}", date_order)
    return parsed


# -- fragments and listing pages -------------------------------------------------------------

def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed summary): paragraphs kept, entities decoded."""
    if not fragment or not fragment.strip():
        return ""
    if "<" not in fragment and "&" not in fragment:
        return "\n\n".join(_split_plain(fragment))
    root = parse_html(fragment)
    page_chars = _page_chars(root)
    return "\n\n".join(_paragraphs(root, skip=lambda element: _is_junk(element, set(),
                                                                        page_chars)))


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
    root = parse_html(html)
    base = _base_url(root, base_url)
    holders, page_chars = _body_holders(root), _page_chars(root)
    try:
        skip = {canonical_url(base_url)}
    except UrlError:
        skip = set()
    for element in _outermost(root, lambda element: _is_junk(element, holders, page_chars)
                              or _is_furniture(element, holders)):
        element.drop_tree()
    found: list[str] = []
    for anchor in root.iter("a"):
        href = anchor.get("href")
        link = _absolute(href, base) if href else None
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


def _outermost(root: etree._Element,
               match: Callable[[etree._Element], bool]) -> list[etree._Element]:
    """The elements below ``root`` that ``match``, but none inside another that does."""
    found = []
    stack = list(root)
    while stack:  # an explicit stack: a deep page must not hit the recursion limit
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        if match(element):
            found.append(element)
        else:
            stack.extend(element)
    return found


def _remove_furniture(root: etree._Element) -> None:
    """Drop :data:`FURNITURE_TAGS`, ``role=navigation`` and forms that do not hold the
    story, unless they hold the page body."""
    holders, page_chars = _body_holders(root), _page_chars(root)

    def furniture(element: etree._Element) -> bool:
        if element in holders:
            return False
        if element.tag == "form":
            return not _holds_story(element, holders, page_chars)
        return (element.tag in FURNITURE_TAGS
                or (element.get("role") or "").lower() == "navigation")
    for element in _outermost(root, furniture):
        element.drop_tree()   # its tail stays


def _holds_story(form: etree._Element, holders: set[etree._Element], page_chars: int) -> bool:
    """Some sites wrap the whole page in one <form>: one with three paragraphs, the page body
    or half the page's text is kept (forms do not nest, so this is linear)."""
    return (form in holders or len(list(islice(form.iter("p"), 3))) >= 3
            or len(form.text_content()) > page_chars / 2)


def _is_junk(element: etree._Element, holders: set[etree._Element], page_chars: int) -> bool:
    if element.tag == "form":
        return not _holds_story(element, holders, page_chars)
    return element.tag in JUNK_TAGS or _is_hidden(element)


def _page_chars(root: etree._Element) -> int:
    """The length of the page's text, for :func:`_holds_story` (0 if it has no form)."""
    return len(root.text_content()) if root.find(".//form") is not None else 0


def _is_hidden(element: etree._Element) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def _is_furniture(element: etree._Element, holders: set[etree._Element]) -> bool:
    role = (element.get("role") or "").lower()
    return ((element.tag in STRUCTURAL_TAGS or role in BOILERPLATE_ROLES)
            and element not in holders)


def _body_holders(root: etree._Element) -> set[etree._Element]:
    """The elements whose removal would remove the page body: an ``[itemprop=articleBody]``
    and its ancestors, and the ancestors of a ``<main>``. Found once, walking up from the
    body (a search below each candidate would be quadratic in a deeply nested page)."""
    holders: set[etree._Element] = set()
    for mark in root.xpath("//main | //*[@itemprop='articleBody']"):
        if mark.get("itemprop") == "articleBody":
            holders.add(mark)
        for parent in mark.iterancestors():
            if parent in holders:
                break       # its ancestors are in already
            holders.add(parent)
    return holders


# -- metadata --------------------------------------------------------------------------------

def _first(root: etree._Element, xpath: str) -> etree._Element | None:
    found = root.xpath(xpath)
    return found[0] if found else None


def _has_token(attribute: str, token: str) -> str:
    """An XPath test: ``attribute`` holds ``token`` among its space-separated words."""
    return f"contains(concat(' ', normalize-space(@{attribute}), ' '), ' {token} ')"


def _meta_tags(root: etree._Element) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in root.iter("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        value = tag.get("content")
        if key and value and value.strip():
            found.setdefault(key.strip().lower(), value.strip())
    return found


def _jsonld_article(root: etree._Element) -> dict[str, str]:
    """headline, author, datePublished, description, publisher of the first Article."""
    nodes: list[dict] = []
    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        try:
            data = json.loads(script.text or "")
        except (ValueError, TypeError, RecursionError):
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


def _author(root: etree._Element, meta: dict[str, str], jsonld: dict[str, str]) -> str | None:
    candidates = [meta.get("author"), jsonld.get("author"), meta.get("article:author"),
                  meta.get("dc.creator"), meta.get("parsely-author")]
    for xpath in (f"//*[{_has_token('rel', 'author')}]",
                  "//*[@itemprop='author']//*[@itemprop='name']", "//*[@itemprop='author']"):
        tag = _first(root, xpath)
        if tag is not None:
            candidates.append(tag.get("content") if tag.tag == "meta" else _tag_text(tag))
    for candidate in candidates:
        if candidate and not is_http_url(candidate.strip()):
            name = re.sub(r"^\s*by\s+", "", _clean(candidate) or "", flags=re.I)
            if name:
                return name
    return None


def _published(root: etree._Element, meta: dict[str, str], jsonld: dict[str, str],
               date_order: str | None = None) -> tuple[str | None, bool]:
    """The markup's publication date, and whether the markup declares one at all (a date
    it declares but :func:`iso_date` refuses, ambiguous or impossible, is no date)."""
    candidates = [meta.get("article:published_time"), jsonld.get("datePublished")]
    candidates += [meta.get(name) for name in _DATE_META[1:]]
    for tag in root.xpath("//*[@itemprop='datePublished']"):
        candidates.append(tag.get("content") or tag.get("datetime"))
    times = root.xpath("//time[@pubdate][@datetime]") + root.xpath("//article//time[@datetime]")
    times += root.xpath("//time[@datetime][not(ancestor::header or ancestor::nav "
                        "or ancestor::footer or ancestor::aside)]")
    candidates += [tag.get("datetime") for tag in times]
    for candidate in candidates:
        parsed = iso_date(candidate, date_order)
        if parsed:
            return parsed, True
    return None, any(candidate and _YEAR.search(candidate) for candidate in candidates)


def _canonical(root: etree._Element, meta: dict[str, str], url: str | None) -> str | None:
    link = _first(root, f"//link[{_has_token('rel', 'canonical')}][@href]")
    for candidate in (link.get("href") if link is not None else None, meta.get("og:url"), url):
        if candidate:
            absolute = _absolute(candidate, url)
            if absolute:
                return absolute
    return None


def _base_url(root: etree._Element, url: str | None) -> str | None:
    tag = _first(root, "//base[@href]")
    if tag is None:
        return url
    return _absolute(tag.get("href"), url) or url


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


def _headline(root: etree._Element) -> str | None:
    """The story's <h1>: one in the article or main, else one outside the site header."""
    for xpath in ("//article//h1", "//main//h1", "//*[@itemprop='headline']"):
        text = _tag_text(_first(root, xpath))
        if text:
            return text
    return _tag_text(_first(root, "//h1[not(ancestor::header or ancestor::nav "
                                   "or ancestor::footer or ancestor::aside)]"))


# -- text ------------------------------------------------------------------------------------

def _paragraphs(root: etree._Element, *, newline_is_break: bool = False,
                skip: Callable[[etree._Element], bool] | None = None) -> list[str]:
    """The text under ``root`` as paragraphs: block elements and two line breaks in a row
    separate them, one line break is a newline inside one.

    ``newline_is_break``: a newline in the text is a line break (trafilatura's output, whose
    text is already normalised), not white space (HTML). ``skip`` names subtrees to leave out.
    """
    pieces: list[str] = []
    stack: list[etree._Element | str] = [root]
    while stack:  # an explicit stack: deeply nested pages must not hit the recursion limit
        node = stack.pop()
        if isinstance(node, str):
            pieces.append(node)
            continue
        if node is not root and node.tail:
            stack.append(node.tail)
        if not isinstance(node.tag, str) or (skip is not None and skip(node)):
            continue
        if node.tag in LINE_BREAKS:
            pieces.append(_BREAK)
            continue
        if node.tag in BLOCK_TAGS:
            pieces.append(_PARA)
            stack.append(_PARA)
        elif node.tag in CELL_TAGS:
            stack.append(" ")
        stack.extend(reversed(node))
        if node.text:
            stack.append(node.text)
    text = "".join(pieces)
    if newline_is_break:
        text = text.replace("\n", _BREAK)
    paragraphs = []
    for block in re.split(f"{_PARA}|{_BREAK}\\s*{_BREAK}", text):
        lines = [_SPACE.sub(" ", line).strip() for line in block.split(_BREAK)]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return paragraphs


def _split_plain(text: str) -> list[str]:
    blocks = re.split(r"\n\s*\n", text)
    return [para for para in (_SPACE.sub(" ", block).strip() for block in blocks) if para]


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    cleaned = _SPACE.sub(" ", text).strip()
    return cleaned or None


def _tag_text(tag: etree._Element | None) -> str | None:
    """The text of ``tag`` without code (scripts, styles), space-normalised."""
    if tag is None:
        return None
    return _clean(" ".join(_paragraphs(tag, skip=lambda element: element.tag in CODE_TAGS)))


def _compile_pattern(pattern: str | re.Pattern[str] | None) -> re.Pattern[str] | None:
    if pattern is None or isinstance(pattern, re.Pattern):
        return pattern
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise SourceError(f"invalid regular expression {pattern!r}: {exc}",
                          field="link_pattern", hint="fix the pattern or remove it") from None
