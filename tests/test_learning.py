"""The crawl learns the portal's boilerplate from its own pages (wardnews.learning, issue 9 point 4)."""

from __future__ import annotations

from wardnews.extract import extract_article
from wardnews.learning import LEARN_AFTER, MIN_PAGES_TO_SAVE, RunBoilerplate, combined
from wardnews.testing.portal import LAYOUTS, Portal

BASE = "https://laodongthudo.vn"


def _pages(n: int):
    portal = Portal(2 * n, seed=5, **LAYOUTS["mastercms"])
    articles = [a for a in portal.expected_articles() if not a.long_read][:n]
    return portal, [(a, portal.render(a.path, base_url=BASE).body) for a in articles]


def test_a_run_learns_the_masthead_and_sidebar_after_its_first_pages():
    portal, pages = _pages(LEARN_AFTER + 2)
    run = RunBoilerplate()
    assert run.current is None
    for _, body in pages[: LEARN_AFTER - 1]:
        run.observe(body)
    assert run.current is None  # too few pages to tell a template from a prolific reporter
    run.observe(pages[LEARN_AFTER - 1][1])
    learnt = run.current
    assert learnt is not None and learnt.is_boilerplate(portal._today())
    assert learnt.is_boilerplate("Đọc nhiều")
    # What differs from page to page never is: headlines, leads, bylines.
    for article, _ in pages:
        assert not learnt.is_boilerplate(article.title)
        assert not learnt.is_boilerplate(article.sapo)


def test_the_next_run_starts_from_what_this_one_saved_and_adds_tonights_texts():
    portal, pages = _pages(LEARN_AFTER)
    first = RunBoilerplate()
    for _, body in pages:
        first.observe(body)
    saved = first.to_save().to_json()
    second = RunBoilerplate(saved, learn_after=LEARN_AFTER)
    assert second.current is not None and second.current.is_boilerplate(portal._today())
    assert combined(None, None) is None


def test_a_quiet_night_keeps_the_last_runs_texts():
    _, pages = _pages(MIN_PAGES_TO_SAVE - 1)
    run = RunBoilerplate()
    for _, body in pages:
        run.observe(body)
    assert run.to_save() is None  # too few pages: the stored texts are not replaced


def test_a_document_of_another_format_is_learnt_again_not_fatal():
    assert RunBoilerplate('{"format": "something-else"}').current is None
    assert RunBoilerplate("not json at all").current is None


def test_extraction_with_the_learnt_texts_keeps_every_field():
    _, pages = _pages(LEARN_AFTER)
    run = RunBoilerplate()
    for _, body in pages:
        run.observe(body)
    for article, body in pages[:5]:
        url = BASE + article.path
        with_texts = extract_article(body, url, site=None, boilerplate=run.current)
        assert with_texts is not None
        assert with_texts.title == article.title
        assert with_texts.published_at == article.published_at.isoformat()
