"""General rules found on the real-pages corpus (issue 10), each on a small page of its own."""

from datetime import date, datetime

import pytest

from wardnews.dates import VN_TZ, single_zone_of, url_date
from wardnews.extract import extract_article

NOW = datetime(2026, 1, 10, 12, 0, tzinfo=VN_TZ)
PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the story tells what the council decided about the new school and why it"
    f" matters to the families of the district, with the figures the clerk gave.</p>"
    for n in range(4)
)


def page(head: str = "", header: str = "", lang: str = "en") -> str:
    return (
        f"<html lang='{lang}'><head><title>The council votes for a new school</title>{head}</head>"
        f"<body><article><h1>The council votes for a new school</h1>{header}"
        f"<div class='content'>{PARAGRAPHS}</div></article></body></html>"
    )


def extract(html: str, url: str = "https://news.example.org/story/council-school"):
    article = extract_article(html, url, site=None, fetched_at=NOW)
    assert article is not None
    return article


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.example/2023/11/08/st-louis-park-mayor/", date(2023, 11, 8)),
        ("https://a.example/news/2025-01-31/portugal-emergency", date(2025, 1, 31)),
        ("https://a.example/2020/01/ravenous-wild-goats", None),  # a month is no day
        ("https://a.example/story-20260701-p60bhj.html", None),  # eight digits: as often an id
        ("https://a.example/2023/13/08/x", None),
        ("https://2023.example/08/01/x", None),  # the host is not the path
    ],
)
def test_url_date(url, expected):
    assert url_date(url) == expected


def test_single_zone_languages():
    assert str(single_zone_of("de-AT")) == "Europe/Berlin"
    assert str(single_zone_of("ja")) == "Asia/Tokyo"
    assert single_zone_of("en-US") is None  # English is read in many zones
    assert single_zone_of(None) is None


def test_utc_instant_takes_the_day_of_the_url():
    """05:30 UTC on the 9th is still the 8th for a US publisher whose URL says the 8th."""
    head = "<meta property='article:published_time' content='2023-11-09T05:30:59Z'>"
    article = extract(page(head), "https://news.example.com/2023/11/08/new-mayor/")
    assert article.published_on == "2023-11-08"
    assert article.published_at == "2023-11-09T12:30:59+07:00"  # the instant is kept as it was


def test_utc_instant_takes_the_day_of_a_single_zone_language():
    head = "<meta property='article:published_time' content='2022-11-06T23:00:00.000Z'>"
    assert extract(page(head, lang="de")).published_on == "2022-11-07"
    assert extract(page(head, lang="en")).published_on == "2022-11-06"


def test_time_marked_updated_is_the_modification_date():
    header = (
        "<span class='posted-on'><time class='entry-date published' datetime='2019-02-10T09:30:10+01:00'>"
        "10. Februar 2019</time><time class='updated' datetime='2019-02-09T23:00:55+01:00'>"
        "9. Februar 2019</time></span>"
    )
    article = extract(page(header=header, lang="de"))
    assert article.published_on == "2019-02-10"


def test_time_after_an_update_label_is_the_modification_date():
    header = (
        "<ul class='meta'><li><span>Aktualisiert am</span> <time datetime='2020-01-28T15:49:07+0100'>"
        "28.01.2020</time></li></ul>"
    )
    article = extract(page(header=header, lang="de"))
    assert article.modified_at is not None and article.modified_at.startswith("2020-01-28")


def test_jsonld_author_by_graph_reference():
    graph = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":['
        '{"@type":"Article","headline":"The council votes for a new school",'
        '"author":{"@id":"https://news.example.org/#/schema/person/1"}},'
        '{"@type":"Person","@id":"https://news.example.org/#/schema/person/1","name":"Irmela Schwab"}]}'
        "</script>"
    )
    assert extract(page(graph)).authors == ["Irmela Schwab"]


def test_meta_author_that_is_an_address_gives_way_to_written_by():
    head = (
        "<meta name='author' content='d.kuckelkorn@example.org'>"
        "<meta name='twitter:label1' content='Written by'>"
        "<meta name='twitter:data1' content='Dieter Kuckelkorn'>"
    )
    assert extract(page(head)).authors == ["Dieter Kuckelkorn"]


def test_declared_user_name_needs_no_capital():
    head = (
        '<script type="application/ld+json">{"@type":"BlogPosting","headline":"x",'
        '"author":{"@type":"Person","name":"Mobasir hassan"}}</script>'
    )
    assert extract(page(head)).authors == ["Mobasir hassan"]


def test_printed_name_with_furniture_takes_the_declared_spelling():
    head = "<meta name='dc.creator' content='Elizabeth Gibney'>"
    header = "<div class='author'><a rel='author' href='/author/eg'>Elizabeth Gibney</a> Search</div>"
    assert extract(page(head, header)).authors == ["Elizabeth Gibney"]


def test_a_desk_alone_is_the_source():
    article = extract(page(header="<span class='author'>Redaktion</span>", lang="de"))
    assert article.authors == [] and article.source == "Redaktion"


def test_a_desk_gives_way_to_a_declared_person():
    head = "<meta name='author' content='Anna Sleegers'>"
    article = extract(page(head, "<span class='author'>Redaktion</span>", lang="de"))
    assert article.authors == ["Anna Sleegers"] and article.source is None


LONG = [
    f"Paragraph {n}: the council met on Tuesday evening and agreed, after a long debate about the budget,"
    f" that the new school on the river road will open its doors to {n + 120} pupils next September."
    for n in range(6)
]


def test_description_that_copies_the_body_is_no_sapo():
    # The whole story run together, from its second paragraph on: not the lead alone.
    head = f"<meta name='description' content='{' '.join(LONG[1:4])}'>"
    html = (
        f"<html><head><title>The council votes</title>{head}</head><body><article><h1>The council votes</h1>"
        + "<div class='text'>"
        + "".join(f"<p>{p}</p>" for p in LONG)
        + "</div></article></body></html>"
    )
    article = extract(html)
    assert article.sapo is None and "copy of its body" in article.missing["sapo"]
    assert article.body.count("Paragraph 0:") == 1


def test_body_cut_into_wrapped_chunks_is_read_whole():
    def chunk(paragraphs):
        inner = "".join(f"<p>{p}</p>" for p in paragraphs)
        return f"<div class='chunk'><div class='inner'><div>{inner}</div></div></div>"

    html = (
        "<html><body><article><h1>The council votes</h1>"
        f"{chunk(LONG[:3])}<div class='ad'>Anzeige</div>{chunk(LONG[3:5])}<div class='ad'>Anzeige</div>"
        f"{chunk(LONG[5:])}</article></body></html>"
    )
    body = extract(html).body
    assert all(p in body for p in LONG)


def test_list_of_headline_links_is_no_text():
    stories = "".join(
        f"<li><a href='/news/story-{n}-12345.html'>Another story number {n} about the council</a></li>"
        for n in range(4)
    )
    article = extract(page(header="").replace("</div></article>", f"</div><ul>{stories}</ul></article>"))
    assert "Another story number" not in article.body
    assert any("/news/story-1-12345.html" in link.url for link in article.links)


def test_short_lines_after_the_last_paragraph_are_furniture():
    html = page().replace(
        "</div></article>", "<p>Comments</p><p>Related Stories</p><p>“We will build it.”</p></div></article>"
    )
    body = extract(html).body
    assert "Comments" not in body and "Related Stories" not in body
    assert body.endswith("“We will build it.”")  # a line that closes like a sentence stays


def test_reading_time_line_is_no_text():
    assert "Lesezeit" not in extract(page(header="<p>Lesezeit: 3 Minuten</p>", lang="de")).body


def test_the_body_under_the_headline_not_the_next_story():
    first = "".join(f"<p>{p}</p>" for p in LONG[:3])
    second = "".join(
        f"<p>{p.replace('council', 'club')} And more words for the other story.</p>" for p in LONG
    )
    html = (
        "<html><body><article><h1>The council votes</h1><div class='a'>"
        f"{first}</div></article><article><h1>Football club wins the derby again</h1><div class='b'>{second}"
        "</div></article></body></html>"
    )
    body = extract(html).body
    assert LONG[0] in body and "club" not in body


def with_after_text(html_after: str, lang: str = "en") -> str:
    """The council page with ``html_after`` printed inside the body block, after the story."""
    return page(lang=lang).replace("</div></article>", f"{html_after}</div></article>")


@pytest.mark.parametrize(
    "label",
    ["Explore further", "Das könnte Sie auch interessieren!", "Le puede interesar", "Zum Weiterlesen:"],
)
def test_a_read_also_label_and_its_link_are_no_text(label):
    box = (
        f"<p>{label}</p><p><a href='https://news.example.org/other/story'>Schools in the next district"
        " close for the winter as the heating fails</a></p>"
    )
    body = extract(page().replace("<p>Paragraph 3", box + "<p>Paragraph 3")).body
    assert label not in body and "heating fails" not in body
    assert "Paragraph 3 of the story" in body


@pytest.mark.parametrize("label", ["À lire aussi »", "Le puede interesar:", "Auch lesen:", "Siehe auch"])
def test_a_read_also_line_with_its_linked_headline_is_no_text(label):
    teaser = (
        f"<p><strong>{label}</strong> <a href='https://news.example.org/sante/ventre-179270'>"
        "Ballonnements, lourdeurs... Quel est votre profil digestif ?</a></p>"
    )
    html = page().replace("<p>Paragraph 2", teaser + "<p>Paragraph 2")
    body = extract(html).body
    assert "Ballonnements" not in body and "Paragraph 2 of the story" in body
    # Prose that starts with the same words is kept: its link is a small part of it.
    prose = (
        "<p>See also the <a href='/report'>report</a> the clerk wrote on the school's roof, which"
        " the council read before it voted.</p>"
    )
    assert "the clerk wrote on the school's roof" in extract(with_after_text(prose)).body


def test_a_contact_card_is_no_text():
    """A press office's card (name, position, telephone, e-mail) by class, and by its text."""
    card = (
        "<div class='contact__person'><div class='contact__person-name'>Mathilde Langendorf</div>"
        "<div class='contact__person-position'>Pressesprecherin des Verbandes</div>"
        "<div class='contact__telephone'>+49 30 28444-743</div></div>"
    )
    article = extract(with_after_text(card, lang="de"))
    assert "Pressesprecherin" not in article.body and "28444" not in article.body
    unclassed = (
        "<div><strong>Kontakt</strong><p>Dirk Schmechel<br>Landesanstalt für Wald, Abt. Wissenstransfer<br>"
        "Hans-Carl-v.-Carlowitz-P. 1<br>D - 85354 Freising Tel: +49 8161 4591 801<br>"
        "<a href='mailto:dirk@example.org'>E-Mail</a></p></div>"
    )
    assert "Wissenstransfer" not in extract(with_after_text(unclassed, lang="de")).body
    # A story that gives a hotline number keeps it.
    hotline = "<p>Parents with questions can call the school office, phone 0243 555 0100, from Monday.</p>"
    assert "0243 555 0100" in extract(with_after_text(hotline)).body


def test_a_last_line_ending_in_a_colon_is_a_label_for_what_is_not_there():
    body = extract(with_after_text("<p>Die Karte zum Abspeichern:</p>", lang="de")).body
    assert "Karte" not in body
    sentence = "<p>Twitter seemed a bit confused by the new school campaign:</p>"
    assert extract(with_after_text(sentence)).body.endswith("campaign:")  # a sentence, then a tweet


def test_a_stock_photo_credit_line_is_no_text():
    html = page().replace("<p>Paragraph 1", "<p>Photo by ev on Unsplash</p><p>Paragraph 1")
    assert "Unsplash" not in extract(html).body


def test_a_share_call_is_no_text():
    html = with_after_text("<div class='ShariffHeadline'><h4>Like it? Share it!</h4></div>")
    assert "Share it" not in extract(html).body


def test_the_writers_bio_is_no_sapo():
    bio = (
        "<div class='author-bio'><p class='bio-name'><a href='/author/floyd/'>Floyd</a></p>"
        "<p class='bio-desc'>Das Internet behauptet, dass Informationen zum Autoren total wichtig sind,"
        " also schreibe ich hier etwas über mich.</p></div>"
    )
    html = page(lang="de").replace("<div class='content'>", bio + "<div class='content'>")
    article = extract(html)
    assert "Das Internet behauptet" not in (article.sapo or "") + article.body


def test_a_custom_element_named_newsletter_is_no_text():
    module = (
        "<ps-newsletter-module class='NewsletterModule'><p class='NewsletterModule-description'>"
        "The latest news, analysis and insights from our bureau chiefs in Sacramento and D.C.</p>"
        "</ps-newsletter-module>"
    )
    html = page().replace("<div class='content'>", "<div class='content'>" + module)
    article = extract(html)
    assert "bureau chiefs" not in (article.sapo or "") + article.body
