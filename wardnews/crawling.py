"""Running a Scrapy spider from the ``wardnews`` command, with our settings and overrides."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from wardnews.dates import VN_TZ


def build_settings(
    db: str, overrides: list[str] | None = None, extra: dict | None = None, log_dir: str | None = None
) -> Settings:
    """wardnews.settings, then ``extra``, then ``-s NAME=VALUE`` overrides (which win)."""
    settings = Settings()
    settings.setmodule("wardnews.settings", priority="project")
    settings.set("WARDNEWS_DB", db, priority="cmdline")
    for name, value in (extra or {}).items():
        settings.set(name, value, priority="cmdline")
    if log_dir:
        Path(log_dir).mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(VN_TZ).strftime("%Y%m%d-%H%M%S")
        settings.set("LOG_FILE", str(Path(log_dir) / f"crawl-{stamp}.log"), priority="cmdline")
    for override in overrides or []:
        name, sep, value = override.partition("=")
        if not sep or not name:
            raise ValueError(f"-s takes NAME=VALUE, not {override!r}")
        settings.set(name.strip(), value, priority="cmdline")
    return settings


def run_spider(spider_cls, settings: Settings, **spider_args):
    """Run one spider to the end in this process; returns its crawler (stats, spider)."""
    process = CrawlerProcess(settings, install_root_handler=True)
    crawler = process.create_crawler(spider_cls)
    process.crawl(crawler, **spider_args)
    process.start()
    return crawler
