"""``WARDNEWS_SITE_SELECTORS=off``: the portal's profile without its CSS guesses."""

from wardnews.sites import DEFAULT_SITE, site_for_url
from wardnews.sites.base import SELECTOR_FIELDS

SEED_URL = "https://laodongthudo.vn/phuong-tay-tuu-xay-dung-nen-tang-203248.html"


def test_without_selectors_keeps_urls_and_drops_css():
    bare = DEFAULT_SITE.without_selectors()
    assert all(getattr(bare, name) == () for name in SELECTOR_FIELDS)
    assert bare.block_selectors == {}
    assert any(getattr(DEFAULT_SITE, name) for name in SELECTOR_FIELDS)
    assert bare.hosts == DEFAULT_SITE.hosts and bare.start_paths == DEFAULT_SITE.start_paths
    assert bare.article_path_re.pattern == DEFAULT_SITE.article_path_re.pattern


def test_environment_switch(monkeypatch):
    monkeypatch.setenv("WARDNEWS_SITE_SELECTORS", "off")
    assert site_for_url(SEED_URL).title_selectors == ()
    monkeypatch.setenv("WARDNEWS_SITE_SELECTORS", "on")
    assert site_for_url(SEED_URL) is DEFAULT_SITE
