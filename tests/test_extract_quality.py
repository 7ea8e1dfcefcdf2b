"""Issue 14: article text by trafilatura. Pages of the kinds the old extractor got wrong —
the story inside wrappers named like sidebars, widgets or modals; story text in a section's
<header>; captions, photo credits and author boxes left in; no date where the date is only in
the visible text — and a page with no article, which gather still rejects.

Every page here is written for these tests; every story is invented and concerns only the
fictional demo companies. Local server on 127.0.0.1 only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gatherweb import article_page, make_workspace, source_table
from localweb import LocalWeb, Response
from test_gather import counts, documents, gather, row_of

from compintel.extract import extract_article

URL = "https://glass-ledger.example/news/2025/03/kestrel-laminating-line"
STORY = [
    "Kestrel Safety Glass will add a second laminating line at its Dharuhera plant, the company "
    "told suppliers at a meeting on Monday, and expects the line to run by March.",
    "The new line is meant for acoustic windshields for the Prayan and Koru models, which "
    "Navika Motors moved to a laminated side glass specification last year.",
    "Two equipment makers said presses and autoclaves had been ordered, and that installation "
    "would start once the building extension is finished in the winter.",
    "A purchase manager at Navika said the additional capacity would make Kestrel the only "
    "supplier able to deliver both windshields and laminated sidelites from one plant.",
]
HEAD = ("<!doctype html><html><head><meta charset='utf-8'>"
        "<title>Kestrel adds a laminating line | Glass Ledger</title></head><body>")
NAV = ("<header class='site-header'><nav><ul><li><a href='/'>Home</a></li>"
       "<li><a href='/markets'>Markets desk</a></li><li><a href='/suppliers'>Supplier desk</a>"
       "</li></ul></nav></header>")
RELATED = ("<aside class='related'><h3>More from Glass Ledger</h3><ul>"
           "<li><a href='/news/vitreon-prices'>Vitreon cuts windshield prices at Kesarpur</a></li>"
           "<li><a href='/news/sunmarg-line'>Sunmarg opens a tempering line</a></li></ul></aside>")
FOOTER = ("<footer class='site-footer'><p>Copyright Glass Ledger, a fictional publication. "
          "All rights reserved.</p></footer></body></html>")
FURNITURE = ("Home", "Markets desk", "Supplier desk", "More from Glass Ledger",
             "Vitreon cuts windshield prices", "Sunmarg opens", "All rights reserved")
H1 = "<h1>Kestrel adds a laminating line</h1>"


def paras(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def assert_story_in_order(text: str, story: list[str] = STORY) -> None:
    positions = [text.find(paragraph) for paragraph in story]
    assert -1 not in positions, [p[:30] for p, at in zip(story, positions, strict=True) if at < 0]
    assert positions == sorted(positions)


# -- the story inside wrappers named like page furniture -------------------------------------

WRAPPED = {
    # a page builder's text widgets (the old class filter removed every "widget")
    "widgets": (H1 + "<div class='entry-content'><div class='elementor-widget-container'>"
                + paras(STORY[:2]) + "</div><div class='elementor-widget-container'>"
                + paras(STORY[2:]) + "</div></div>"),
    # a two-column layout inside the article: text column and a rail of most-read stories
    "sidebar layout": (H1 + "<div class='with-sidebar'><div class='with-sidebar__content'>"
                       + paras(STORY) + "</div><div class='with-sidebar__rail'>"
                       "<p>Most read: Vitreon cuts windshield prices at Kesarpur</p></div></div>"),
    # one paragraph is also the trigger of a photo gallery shown in a modal
    "modal trigger": (H1 + "<div class='story'>" + paras(STORY[:2])
                      + f"<div class='modal-gallery-trigger'><p>{STORY[2]}</p></div>"
                      + paras(STORY[3:]) + "</div>"),
}


@pytest.mark.parametrize("kind", list(WRAPPED))
def test_story_inside_wrappers_named_like_widgets_sidebars_and_modals(kind: str) -> None:
    html = HEAD + NAV + "<main><article>" + WRAPPED[kind] + "</article>" + RELATED + "</main>" + FOOTER
    article = extract_article(html, URL)
    assert_story_in_order(article.text)
    assert article.text.split("\n\n") == STORY
    for furniture in (*FURNITURE, "Most read"):
        assert furniture not in article.text


def test_section_header_with_story_text_next_to_nav_and_aside() -> None:
    """Navigation, a related-stories aside and the footer go; a section's <header> inside the
    article is story text (the old extractor removed every <header> not holding <main>)."""
    lead = ("Kestrel Safety Glass plans to spend 180 crore rupees on laminated glass capacity "
            "over two years, its managing director said in Gurugram this week.")
    html = (HEAD + NAV + "<div class='layout'><article>" + H1 + "<section><header>"
            f"<h2>The plan</h2><p>{lead}</p></header>" + paras(STORY) + "</section></article>"
            + RELATED + "</div>" + FOOTER)
    article = extract_article(html, URL)
    assert_story_in_order(article.text, [lead, *STORY])
    for furniture in FURNITURE:
        assert furniture not in article.text


def test_captions_photo_credits_share_and_author_boxes_are_not_text() -> None:
    figure = ("<figure class='wp-block-image'><img src='/img/line.jpg' alt='Press line'>"
              "<figcaption>The autoclave hall at Dharuhera in January. <span class='credit'>"
              "Photo: Rakesh Menon / Glass Ledger</span></figcaption></figure>")
    share = ("<div class='post-actions'><a href='https://facebook.example/sharer?u=x'>Facebook"
             "</a> <a href='https://x.example/intent?u=x'>X</a> <a href='https://linkedin.example"
             "/share?u=x'>LinkedIn</a> <a href='mailto:?body=x'>Email</a></div>")
    author = ("<div class='about-the-author'><img src='/img/asha.jpg' alt=''><p><strong>Asha "
              "Verma</strong> is Glass Ledger's supplier reporter. She has covered the glass "
              "industry since 2014.</p></div>")
    credit = "<p class='photo-credit'>Photo: Glass Ledger archive</p>"
    html = (HEAD + NAV + "<main><article>" + H1 + "<div class='article-body'>" + share
            + "<img src='/img/plant.jpg' alt=''>" + credit + paras(STORY[:2]) + figure
            + paras(STORY[2:]) + author + "</div></article></main>" + FOOTER)
    article = extract_article(html, URL)
    assert article.text.split("\n\n") == STORY
    for absent in ("autoclave hall", "Rakesh Menon", "Glass Ledger archive", "Facebook",
                   "LinkedIn", "Asha Verma", "covered the glass industry"):
        assert absent not in article.text


# -- dates -----------------------------------------------------------------------------------

def dated_page(dateline: str, head: str = "") -> str:
    return (HEAD.replace("</head>", head + "</head>") + NAV + "<main><article>" + H1
            + f"<p class='dateline'>{dateline}</p>" + paras(STORY) + "</article></main>" + FOOTER)


def test_a_date_only_in_the_visible_text_is_found() -> None:
    article = extract_article(dated_page("Published 4 March 2025, 9:10 am"), URL)
    assert article.published_at == "2025-03-04"
    assert_story_in_order(article.text)


@pytest.mark.parametrize("order,expected", [(None, None), ("dmy", "2025-03-05"),
                                            ("mdy", "2025-05-03")])
def test_an_ambiguous_visible_date_is_read_in_the_sources_order(order: str | None,
                                                                expected: str | None) -> None:
    """05/03/2025 is 5 March or 3 May: as for markup dates (issue 12), only the source's
    date_order decides; the visible-text reader alone would guess day first."""
    article = extract_article(dated_page("Updated 05/03/2025"), URL, date_order=order)
    assert article.published_at == expected


def test_a_date_the_markup_declares_but_cannot_be_read_is_no_date() -> None:
    """The markup's date rules stand (an impossible offset is no date); the visible text
    is read only where the markup names no date at all."""
    head = "<meta property='article:published_time' content='2025-03-04T09:10:00+25:00'>"
    article = extract_article(dated_page("Published 4 March 2025", head), URL)
    assert article.published_at is None


# -- a page without an article ---------------------------------------------------------------

NO_ARTICLE = {
    # an app shell that renders everything with JavaScript
    "/news/app-shell": (HEAD + NAV + "<div id='app'></div><noscript>Please enable JavaScript "
                        "to read Glass Ledger.</noscript>" + FOOTER),
    # a sign-in wall instead of the story
    "/news/sign-in": (HEAD + NAV + "<main><h1>Sign in</h1><form action='/login'><label>Email "
                      "<input name='email'></label><label>Password <input type='password' "
                      "name='password'></label><button>Sign in</button></form></main>" + FOOTER),
}


@pytest.mark.parametrize("path", list(NO_ARTICLE))
def test_a_page_without_an_article_has_no_text(path: str) -> None:
    assert extract_article(NO_ARTICLE[path], URL).text == ""


def test_gather_rejects_a_page_without_an_article(local_web: LocalWeb, tmp_path: Path) -> None:
    for path, html in NO_ARTICLE.items():
        local_web.route(path, Response(body=html))
    local_web.route("/news/story", Response(body=article_page("Kestrel adds a laminating line",
                                                              STORY)))
    sources = "".join(source_table(name=path.rsplit("/", 1)[-1], kind="page",
                                   url=local_web.url(path))
                      for path in [*NO_ARTICLE, "/news/story"])
    root = make_workspace(tmp_path / "ws", sources)

    report = gather(root)
    assert sorted(report.failures) == sorted(
        f"{path.rsplit('/', 1)[-1]}: {local_web.url(path)}: no article text found on the page"
        for path in NO_ARTICLE)
    assert counts(row_of(report, "story")) == (1, 0, 0, 0, 0)
    (stored,) = documents(root).values()
    assert stored["text"] == "\n\n".join(STORY)
