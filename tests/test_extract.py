"""HTML → article text (trafilatura's, issue 14), metadata from each source, listing links,
fragments → text, and the page budget (issue 12)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from compintel.errors import SourceError
from compintel.extract import (
    MAX_DEPTH,
    MAX_NESTING,
    MAX_TEXT_NESTING,
    PageTooComplex,
    extract_article,
    html_to_text,
    iso_date,
    page_links,
    parse_html,
)

PAGES = Path(__file__).parent / "data" / "pages"
STORY_URL = "https://autoglass-daily.example/news/2026/09/sunmarg-tempered-line-sagarpet"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def story():
    return extract_article(page("autoglass_daily_article.html"), STORY_URL + "?utm_source=x")


def test_body_sentences_present_in_order(story) -> None:
    first = ("Sunmarg Safety Glass will build a tempered glass line close to Dhruva Automobiles' "
             "Sagarpet plant, the company told its suppliers on Tuesday.")
    assert story.text.startswith(first)
    assert "two equipment vendors said furnaces have been ordered" in story.text
    assert ("a Vistar ramp-up at Sagarpet means more sidelites and backlites will be needed "
            "each shift") in story.text
    assert story.text.endswith('"to be the supplier that never stops a line".')
    assert story.text.index("Pressure on incumbents") < story.text.index("Buyers at Dhruva")


def test_paragraphs_are_separated_by_blank_lines(story) -> None:
    paragraphs = story.text.split("\n\n")
    assert len(paragraphs) == 6
    assert paragraphs[3] == "Pressure on incumbents"
    assert all(p == p.strip() and "\n" not in p for p in paragraphs)


@pytest.mark.parametrize("absent", [
    "We use cookies",                     # cookie banner
    "Accept all",
    "Latest news", "OEM desk",            # navigation
    "Skip to content",
    "SCRIPT TEXT", "dataLayer",           # scripts in head and body
    "INLINE SCRIPT", "NOSCRIPT TEXT", "STYLE TEXT", "position: fixed",
    "Share on Chirp", "Email this story", "Copy link",   # share widget
    "Also read", "Clarity's delivery record slips",      # inline related link
    "Advertisement",
    "SCRIPT IN BODY", "NOSCRIPT IN BODY", "interactive map",   # code and embeds in the body
    "Will Sunmarg win", "HIDDEN TEXT", "IFRAME FALLBACK",
    "Read more", "green rating", "Vitreon PPM climbs", "technology day",  # link lists
    "Vitreon undercuts rivals", "six per cent gap",      # related stories aside
    "briefing in your inbox", "Sign up",                 # newsletter box and form
    "Reader comment", "3 comments",                      # comments
    "All rights reserved", "About us",                   # site footer
    "Rhea Kulkarni covers suppliers",                    # author bio in the story footer
    "By Rhea", "8:40 am",                                # byline
    "Photo: Autoglass Daily",                            # figure caption
])
def test_boilerplate_is_absent(story, absent: str) -> None:
    assert absent not in story.text


def test_title_is_not_repeated_in_text(story) -> None:
    assert story.title == "Sunmarg to build tempered glass line near Sagarpet"
    assert story.title not in story.text


def test_full_page_metadata(story) -> None:
    assert story.author == "Rhea Kulkarni, Arjun Das"  # JSON-LD list of Person objects
    assert story.published_at == "2026-09-03T08:40:00+05:30"
    assert story.description.startswith("The new line would add 1.2 million sets")
    assert story.canonical_url == STORY_URL


def test_opengraph_and_meta_author() -> None:
    article = extract_article(page("meta_opengraph.html"), "https://kesarpur-times.example/a/1")
    assert article.title == ("Navika quality team flags optical distortion on "
                             "second-source windshields")
    assert article.author == "Meena Raghavan"
    assert article.published_at == "2026-08-20T08:15:00+05:30"
    assert article.description == ("Supplier quality engineers at Kesarpur raised the issue in "
                                   "the monthly review.")
    assert article.text.startswith("Supplier quality engineers at Navika Motors' Kesarpur")
    assert "Distortion complaints at Kesarpur" not in article.text  # the page's <h1>
    assert "Subscribe" not in article.text


def test_jsonld_graph_with_author_reference() -> None:
    article = extract_article(page("meta_jsonld_graph.html"))
    assert article.title == "Meridian seeks quotes for HUD-ready Aarohi windshields"
    assert article.author == "Anjali Menon"
    assert article.published_at == "2026-05-21T16:20:00+00:00"
    assert "wedge interlayer" in article.text


def test_jsonld_list_with_mixed_author_list_and_date_only() -> None:
    article = extract_article(page("meta_jsonld_list.html"))
    assert article.title == "Vitreon posts higher quarterly sales on replacement demand"
    assert article.author == "Karan Bhatt, Lata Iyer"
    assert article.published_at == "2026-04-03"
    assert article.text.startswith("Vitreon Auto Glass reported higher sales")


def test_malformed_jsonld_is_ignored_and_h1_rel_author_time_used() -> None:
    article = extract_article(page("meta_jsonld_malformed.html"), "https://notes.example/x")
    assert article.title == "Clarity Glassworks misses two delivery slots at Mirajganj"
    assert article.author == "Sanjay Pillai"
    assert article.published_at == "2026-07-29T19:05:00+05:30"
    assert "WRONG" not in repr(article)
    assert article.text.startswith("Two trucks of Prayan sidelites")
    assert "Sanjay Pillai" not in article.text


def test_title_tag_meta_date_and_line_breaks_without_article_markup() -> None:
    article = extract_article(page("plain_divs.html"), "https://old-site.example/news/17.html")
    assert article.title == "Kestrel opens training centre for line operators"
    assert article.published_at == "2026-02-17"
    assert article.author is None
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("Kestrel Safety Glass has opened a training centre")
    # a single <br> is a line break inside a paragraph, <br><br> a paragraph break
    assert paragraphs[1].endswith("room for forty trainees at a time.")
    assert "\nThe centre has room" in paragraphs[1]
    for absent in ("Older item", "Sponsored", "Archive", "17/02/2026"):
        assert absent not in article.text
    # Not asserted: the cookie note in a plain <div class="cookie-note"> ("This site stores
    # small files…"). On a page without article markup trafilatura keeps that line; class
    # names alone no longer remove text (issue 14: they removed story text too).


def test_related_word_in_a_real_sentence_is_kept() -> None:
    html = ("<article><p>Related developments at Navika include a second paint shop.</p>"
            "<p>Related: <b>Kestrel wins Vistar order</b></p>"
            "<p>Read more about the plant in our earlier report from last year.</p></article>")
    assert extract_article(html).text == (
        "Related developments at Navika include a second paint shop.\n\n"
        "Read more about the plant in our earlier report from last year.")


def test_empty_and_textless_pages() -> None:
    empty = extract_article("")
    assert empty.text == "" and empty.title is None and empty.published_at is None
    bare = extract_article("<html><head><title> Just a title </title></head></html>")
    assert bare.title == "Just a title" and bare.text == ""


def test_page_wrapped_in_one_form_keeps_its_story() -> None:
    html = ("<body><form id='aspnetForm'><div class='nav'>Home Sections</div><div id='story'>"
            + "".join(f"<p>Paragraph {i} about Vitreon's Sanaswadi plant and its furnace.</p>"
                      for i in range(4)) + "</div></form></body>")
    article = extract_article(html)
    assert article.text.count("Sanaswadi plant") == 4
    assert "Home Sections" not in article.text


@pytest.mark.parametrize("raw,expected", [
    ("2026-07-08", "2026-07-08"),
    ("2026-07-08T09:30:00+05:30", "2026-07-08T09:30:00+05:30"),
    ("2026-07-08T04:00:00Z", "2026-07-08T04:00:00+00:00"),
    ("2026-07-08T09:30:00", "2026-07-08T09:30:00"),
    ("20260708", "2026-07-08"),
    ("Wed, 08 Jul 2026 09:30:00 +0530", "2026-07-08T09:30:00+05:30"),
    ("Wed, 08 Jul 2026 04:00:00 GMT", "2026-07-08T04:00:00+00:00"),
    ("8 July 2026", "2026-07-08"),
    ("July 8, 2026 9:30 AM IST", "2026-07-08T09:30:00+05:30"),
    ("08/07/2026", None),           # 8 July or 7 August: the source must say (issue 12)
    ("25/11/2026", "2026-11-25"),   # only one reading
    ("2026/11/05", "2026-11-05"),   # year first is year-month-day, never 11 May
    ("2026/11/05 10:00", "2026-11-05T10:00:00"),
    ("2026-11-05T10:00:00+25:00", None),    # no such offset: no date, and no exception
    ("31/02/2026", None),
    ("not a date", None),
    ("2", None),                    # no year: dateutil would invent one
    ("Page 3 of 12", None),
    ("", None),
    (None, None),
])
def test_iso_date(raw: str | None, expected: str | None) -> None:
    assert iso_date(raw) == expected


@pytest.mark.parametrize("raw,order,expected", [
    ("05/11/2026", "dmy", "2026-11-05"),
    ("05/11/2026", "mdy", "2026-05-11"),
    ("05.11.2026 10:30", "dmy", "2026-11-05T10:30:00"),
    ("2026/11/05", "dmy", "2026-11-05"),    # year first stays year-month-day
    ("25/11/2026", "mdy", "2026-11-25"),    # unambiguous whatever the source says
    ("5 Nov 2026", None, "2026-11-05"),
])
def test_iso_date_reads_day_first_only_where_the_source_says_so(raw: str, order: str | None,
                                                                 expected: str) -> None:
    assert iso_date(raw, order) == expected


def test_a_page_date_in_the_sources_order_and_an_impossible_one_is_no_date() -> None:
    def page_dated(value: str) -> str:
        return (f'<html><head><meta property="article:published_time" content="{value}">'
                f"</head><body><article><p>{'Vitreon shipped glass. ' * 5}</p></article></body></html>")
    assert extract_article(page_dated("05/11/2026"), date_order="dmy").published_at == "2026-11-05"
    assert extract_article(page_dated("05/11/2026")).published_at is None
    bad = extract_article(page_dated("2026-11-05T10:00:00+25:00"))
    assert bad.published_at is None and bad.text.startswith("Vitreon shipped glass.")


def test_deeply_nested_prose_with_links_is_linear_and_kept() -> None:
    """Issue 12, case 6: 8,000 nested divs took 15 s in link-list removal (quadratic); the
    page now goes to trafilatura flattened within the budget: under a second (0.5 s here),
    every sentence kept, and a link list and an "Also read" line still dropped."""
    depth = 8_000
    html = ("<body><article>" + "<div>Vitreon shipped glass <a href='/x'>to the plant</a> today. "
            * depth + "</div>" * depth + "</article></body>")
    started = time.perf_counter()
    article = extract_article(html)
    assert time.perf_counter() - started < 3.0
    assert article.text.count("Vitreon shipped glass to the plant today.") == depth
    text = extract_article("<body><article><p>Long story " + "text " * 100 + "</p>"
                           "<ul><li><a href='/a'>One link</a></li><li><a href='/b'>Two</a></li></ul>"
                           "<p>Read more: <a href='/c'>an older story</a></p></article></body>").text
    assert text.startswith("Long story text")
    assert "One link" not in text and "older story" not in text


def test_furniture_around_a_deeply_nested_body_is_linear() -> None:
    """Furniture holding the article body is kept; finding that out searched below every
    candidate (450 nested navigation wrappers around 20,000 elements and the body: 20 s)."""
    depth, filler = 450, 20_000
    html = ("<body><nav><a href='/'>Home</a></nav>" + "<div role='navigation'>" * depth
            + "<span>a</span>" * filler + "<div itemprop='articleBody'><p>Vitreon shipped "
            "glass.</p></div>" + "</div>" * depth + "</body>")
    started = time.perf_counter()
    article = extract_article(html)
    links = page_links(html.replace("<span>a</span>", "<a href='/news/x'>a</a>", 1),
                       "https://glassline.example/", allowed_hosts=["glassline.example"])
    assert time.perf_counter() - started < 3.0
    assert "Vitreon shipped glass." in article.text and "Home" not in article.text
    assert links == ["https://glassline.example/news/x"]   # inside the wrappers that hold the body


def test_listing_furniture_is_skipped_unless_it_holds_the_body() -> None:
    html = ("<body><div class='share'><main><a href='/news/story'>Story</a></main></div>"
            "<nav><a href='/news/in-nav'>Nav</a></nav><header><main><a href='/news/kept'>Kept"
            "</a></main></header><form><main><a href='/news/form-story'>Form story</a></main>"
            "</form><form><a href='/news/log-in'>Log in</a></form>"
            "<aside><a href='/news/aside'>Aside</a></aside><div hidden><a href='/news/h'>H</a>"
            "</div></body>")
    assert page_links(html, LISTING, allowed_hosts=["autoglass-daily.example"]) == [
        "https://autoglass-daily.example/news/story", "https://autoglass-daily.example/news/kept",
        "https://autoglass-daily.example/news/form-story"]


def test_pages_over_the_element_and_depth_budget() -> None:
    """A 2 MB page of 200,000 nested divs is refused at once; deep nesting is flattened."""
    huge = "<html><body>" + "<div>" * 200_000 + "x" + "</div>" * 200_000 + "</body></html>"
    started = time.perf_counter()
    with pytest.raises(PageTooComplex, match="page too complex to extract: about 200,0"):
        extract_article(huge)
    with pytest.raises(PageTooComplex):
        page_links(huge, LISTING, allowed_hosts=["autoglass-daily.example"])
    with pytest.raises(PageTooComplex):
        html_to_text(huge)
    assert time.perf_counter() - started < 1.0

    deep = 8_000
    html = ("<html><body><article>" + "<div>Vitreon shipped glass to the plant today. " * deep
            + "</div>" * deep + "</article></body></html>")
    started = time.perf_counter()
    article = extract_article(html)
    assert time.perf_counter() - started < 3.0
    assert article.text.count("Vitreon shipped glass") == deep      # no text lost
    assert deep > MAX_DEPTH


def test_text_after_deep_nesting_is_not_cut() -> None:
    """libxml2's tree builder stops at depth 256 and drops the rest of the page: 300 nested
    wrappers in a sidebar would hide the story after them."""
    first = "Vitreon commissioned a laminating line at Sanaswadi this week. " * 3
    second = "The line makes windshields for the Koru and the Prayan. " * 3
    html = ("<html><body><aside>" + "<div>" * 300 + "Trending" + "</div>" * 300 + "</aside>"
            f"<article><p>{first}</p><p>{second}</p></article></body></html>")
    assert extract_article(html).text == f"{first.strip()}\n\n{second.strip()}"
    assert page_links(html.replace("<p>", "<p><a href='/news/1'>x</a>"), LISTING,
                      allowed_hosts=["autoglass-daily.example"]) == [
        "https://autoglass-daily.example/news/1"]


def test_content_after_the_closing_html_tag_and_control_characters() -> None:
    """Text after </html> is in the body, as browsers show it (libxml2 reports a second
    document, which the tree builder would keep instead of the first); C0 controls, which
    lxml refuses, are white space; a tag name it refuses is a span."""
    story = "Kestrel shipped the first laminated sidelites from Dharuhera on Monday. " * 3
    html = (f"<html><body><article><p>{story}</p></article></body></html>"
            f"<p>Kestrel\x01 expects\x0c a <b<i>second</b<i>\x00 line by March.</p>")
    text = extract_article(html).text
    assert text.startswith(story.strip())
    assert text.endswith("Kestrel expects a second line by March.")


def test_character_references_to_control_characters_are_removed() -> None:
    """``&#x1b;`` and ``&#1;`` decode to characters lxml refuses (after the raw control
    bytes are gone): in text, a title or an attribute they are dropped, not a ValueError."""
    story = "Kestrel shipped the first laminated sidelites from Dharuhera on Monday. " * 3
    html = (f"<html><head><title>Kestrel&#x1b; news</title></head><body><article>"
            f"<p title='a&#1;b'>{story}</p><p>Kestrel&#x1b; expects&#1; a second&#xfffe; line "
            f"by March.</p></article></body></html>")
    article = extract_article(html)
    assert article.title == "Kestrel news"
    assert article.text.startswith(story.strip())
    assert article.text.endswith("Kestrel expects a second line by March.")
    assert html_to_text("<p>Pune&#x1b; plant&#1;</p>") == "Pune plant"


def _nesting(root) -> tuple[int, int, int]:
    """(deepest level, sum of element depths, sum of text characters times their depth)."""
    deepest = elements = chars = 0
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest, elements = max(deepest, depth), elements + depth
        chars += depth * len(element.text or "") + (depth - 1) * len(element.tail or "")
        stack.extend((child, depth + 1) for child in element)
    return deepest, elements, chars


@pytest.mark.parametrize("shape", ["chain of paragraphs", "comb", "deep text"])
def test_the_tree_given_to_trafilatura_fits_the_nesting_budget(shape: str) -> None:
    """trafilatura walks each element's ancestors and measures each enclosing block's text,
    so its time grows with depth × elements and depth × text (45,000 paragraphs 60 deep:
    16 s; 750 chains 60 deep: over 2 minutes). Structure below the depth that fits the
    budget is flattened to its text; none is lost."""
    sentence = "Vitreon shipped glass. "
    html = {
        "chain of paragraphs": ("<html><body>" + "<div>" * 60 + f"<p>{sentence}</p>" * 45_000
                                + "</div>" * 60 + "</body></html>"),
        "comb": "<html><body>" + ("<div>" + f"<div>{sentence}" * 60 + "</div>" * 61) * 750
                + "</body></html>",
        "deep text": "<html><body>" + f"<div>{sentence}" * 40_000 + "</div>" * 40_000
                     + "</body></html>",
    }[shape]
    root = parse_html(html, for_trafilatura=True)
    deepest, elements, chars = _nesting(root)
    assert deepest <= MAX_DEPTH and elements <= MAX_NESTING and chars <= MAX_TEXT_NESTING
    assert root.text_content().count(sentence.strip()) == html.count(sentence)
    assert _nesting(parse_html(html))[0] > deepest   # listing pages: only MAX_DEPTH applies


def test_html_to_text_strips_code_keeps_paragraphs_and_decodes_entities() -> None:
    fragment = ("<p>Vitreon &amp; Kestrel both quoted&nbsp;for the <b>Koru</b> backlite.</p>"
                "<script>alert('SCRIPT')</script><style>p{color:red}</style>"
                "<p onclick=\"steal('HANDLER')\">Decision due in&#160;October.<br>Navika "
                "declined to comment.</p><ul><li>one</li><li>two</li></ul>")
    assert html_to_text(fragment) == (
        "Vitreon & Kestrel both quoted for the Koru backlite.\n\n"
        "Decision due in October.\nNavika declined to comment.\n\none\n\ntwo")
    assert html_to_text("Plain text &amp; entities") == "Plain text & entities"
    assert html_to_text("Plain text\n\nsecond para") == "Plain text\n\nsecond para"
    assert html_to_text("") == ""


LISTING = "https://autoglass-daily.example/category/suppliers/"


def test_page_links_in_document_order_canonical_and_filtered() -> None:
    links = page_links(page("listing_supplier_desk.html"), LISTING,
                       allowed_hosts=["autoglass-daily.example"])
    assert links == [
        "https://autoglass-daily.example/news/2026/09/sunmarg-tempered-line-sagarpet",
        "https://autoglass-daily.example/news/2026/08/clarity-otif-slide",
        "https://autoglass-daily.example/news/2026/07/vitreon-quote",
        "https://autoglass-daily.example/news/2026/06/kestrel-oragadam",
        "http://autoglass-daily.example/news/2026/05/dhruva-weekly-otif",
        "https://autoglass-daily.example/events/2026/glass-summit",
    ]


def test_page_links_pattern_limit_and_hosts() -> None:
    html = page("listing_supplier_desk.html")
    assert page_links(html, LISTING, allowed_hosts=["autoglass-daily.example"],
                      pattern=r"/news/2026/0[89]/") == [
        "https://autoglass-daily.example/news/2026/09/sunmarg-tempered-line-sagarpet",
        "https://autoglass-daily.example/news/2026/08/clarity-otif-slide"]
    assert len(page_links(html, LISTING, allowed_hosts=["autoglass-daily.example"],
                          limit=2)) == 2
    assert page_links(html, LISTING, allowed_hosts=["Partner.example"]) == [
        "https://partner.example/news/sunmarg-interview"]
    assert page_links(html, LISTING, allowed_hosts=[]) == []
    assert page_links("<a href='https://xn--bcher-kva.example/news/1'>x</a>", LISTING,
                      allowed_hosts=["Bücher.example"]) == ["https://xn--bcher-kva.example/news/1"]


def test_page_links_invalid_pattern_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="link_pattern"):
        page_links("<a href='/x'>x</a>", LISTING, allowed_hosts=["autoglass-daily.example"],
                   pattern="news/(")


def test_nested_articles_and_quotes_are_linear() -> None:
    """An outer <article> holds the text of those inside it (450 nested articles around a
    large body took 26 s when each was measured); nested quotes likewise."""
    inner = "<p>" + "Vitreon commissioned a new laminating line at Sanaswadi this week. " * 5 + "</p>"
    articles = ("<html><body>" + "<article><div>" * 300 + inner * 200 + "</div></article>" * 300
                + "<article><p>A second, short story.</p></article></body></html>")
    quote = "<p>" + "Sunmarg opened a tempering line near Sagarpet this month. " * 5 + "</p>"
    quotes = ("<html><body><main>" + "<blockquote>" * 300 + quote * 200 + "</blockquote>" * 300
              + "</main></body></html>")
    started = time.perf_counter()
    assert extract_article(articles).text.count("laminating line at Sanaswadi") == 1_000
    assert extract_article(quotes).text.count("tempering line near Sagarpet") == 1_000
    assert time.perf_counter() - started < 3.0
