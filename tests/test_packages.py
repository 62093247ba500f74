"""PyPI has unrelated packages called ``spiders`` and ``pipelines``: ours must be the ones imported."""

from pathlib import Path

import pipelines
import spiders
import wardnews

REPO = Path(__file__).resolve().parent.parent


def test_top_level_packages_are_this_repository():
    for package in (wardnews, spiders, pipelines):
        assert Path(package.__file__).resolve().parent.parent == REPO, package.__file__


def test_scrapy_finds_our_spiders():
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    settings = Settings()
    settings.setmodule("wardnews.settings")
    assert set(SpiderLoader.from_settings(settings).list()) == {"portal", "article"}
