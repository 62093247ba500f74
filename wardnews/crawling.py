"""Running a Scrapy spider from the ``wardnews`` command, with our settings and overrides.

- ``build_settings``: wardnews.settings, then the command's values, then
  ``-s NAME=VALUE`` (checked: a name Scrapy and wardnews do not know, or a
  value that does not fit the setting, is a usage error);
- ``log_file``: where a command's log goes (``<db folder>/logs/`` unless told),
  named with the same clock, offset included, as the lines inside it;
- ``run_spider``: one crawl in this process, stopping cleanly on SIGTERM and
  SIGINT (``wardnews.stopping``).
"""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.settings import default_settings as scrapy_defaults

from wardnews import settings as project_settings
from wardnews.dates import VN_TZ
from wardnews.stopping import Stopper

STAMP_FORMAT = "%Y%m%d-%H%M%S%z"  # crawl-20260111-021703+0700.log


class SettingError(ValueError):
    """A ``-s`` override that cannot be used; the message is one sentence."""


def _known_defaults() -> dict[str, object]:
    names = {name: getattr(scrapy_defaults, name) for name in dir(scrapy_defaults) if name.isupper()}
    names.update({name: getattr(project_settings, name) for name in dir(project_settings) if name.isupper()})
    return names


_BOOL_WORDS = {"0", "1", "true", "false"}
# Scrapy settings whose default is a whole number but which Scrapy reads as a float.
_READ_AS_FLOAT = {
    "AUTOTHROTTLE_MAX_DELAY",
    "AUTOTHROTTLE_START_DELAY",
    "AUTOTHROTTLE_TARGET_CONCURRENCY",
    "CLOSESPIDER_TIMEOUT",
    "CLOSESPIDER_TIMEOUT_NO_ITEM",
    "DNS_TIMEOUT",
    "DOWNLOAD_DELAY",
    "DOWNLOAD_DELAY_JITTER",
    "DOWNLOAD_TIMEOUT",
    "LOGSTATS_INTERVAL",
}


def check_override(name: str, value: str) -> None:
    """Raise SettingError unless ``name`` is a Scrapy or wardnews setting and ``value`` fits it.

    Known: every name in ``scrapy.settings.default_settings`` and in
    ``wardnews.settings``, and any ``WARDNEWS_*``. The value must parse as the
    default's type (bool, int, float; JSON for a dict).
    """
    defaults = _known_defaults()
    if name not in defaults and not name.startswith("WARDNEWS_"):
        raise SettingError(
            f"-s {name}: unknown setting (not a Scrapy setting and not WARDNEWS_*); check its spelling"
        )
    default = defaults.get(name)
    problem = None
    if isinstance(default, bool):
        if value.strip().lower() not in _BOOL_WORDS:
            problem = "takes 0, 1, true or false"
    elif isinstance(default, int) and name not in _READ_AS_FLOAT:
        try:
            int(value)
        except ValueError:
            problem = "takes a whole number"
    elif isinstance(default, (int, float)):
        try:
            float(value)
        except ValueError:
            problem = "takes a number"
    elif isinstance(default, dict):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            problem = 'takes a JSON object, e.g. {"name": 100}'
    if problem:
        raise SettingError(f"-s {name}={value}: {name} {problem}")


def parse_override(override: str) -> tuple[str, str]:
    """``NAME=VALUE`` as (name, value), checked; SettingError otherwise."""
    name, sep, value = override.partition("=")
    name = name.strip()
    if not sep or not name:
        raise SettingError(f"-s takes NAME=VALUE, not {override!r}")
    check_override(name, value)
    return name, value


def log_stamp(now: datetime | None = None) -> str:
    """The run's time in Hà Nội, with its offset, for log file names: ``20260111-021703+0700``."""
    return (now or datetime.now(VN_TZ)).astimezone(VN_TZ).strftime(STAMP_FORMAT)


def default_log_dir(db: str | Path) -> Path:
    """``<db folder>/logs``: logs live beside the database, whatever the working directory."""
    return Path(db).resolve().parent / "logs"


def log_file(db: str | Path, command: str, log_dir: str | Path | None = None) -> Path:
    """A new log file for ``command`` (crawl, fetch), in ``log_dir`` or beside the database."""
    folder = Path(log_dir) if log_dir else default_log_dir(db)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{command}-{log_stamp()}.log"


def build_settings(
    db: str, overrides: list[str] | None = None, extra: dict | None = None, log_path: str | Path | None = None
) -> Settings:
    """wardnews.settings, then ``extra``, then ``-s NAME=VALUE`` overrides (which win).

    Raises SettingError for an override that Scrapy and wardnews do not know or cannot read.
    """
    settings = Settings()
    settings.setmodule("wardnews.settings", priority="project")
    settings.set("WARDNEWS_DB", db, priority="cmdline")
    for name, value in (extra or {}).items():
        settings.set(name, value, priority="cmdline")
    if log_path:
        settings.set("LOG_FILE", str(log_path), priority="cmdline")
    for override in overrides or []:
        name, value = parse_override(override)
        settings.set(name, value, priority="cmdline")
    return settings


def hanoi_struct_time(seconds: float | None = None) -> time.struct_time:
    """``time.localtime`` on the Hà Nội clock, offset included (``%z`` gives +0700)."""
    when = datetime.fromtimestamp(time.time() if seconds is None else seconds, VN_TZ)
    offset = int(when.utcoffset().total_seconds())
    return time.struct_time((*when.timetuple()[:9], when.tzname(), offset))


def use_hanoi_clock_for_logs() -> None:
    """Every log line of this process on the clock the log file is named with, whatever TZ says."""
    logging.Formatter.converter = staticmethod(hanoi_struct_time)


def _level_number(value) -> int:
    """A LOG_LEVEL setting (``INFO``, ``20`` or 20) as a number; NOTSET when it is none of those."""
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    if text.isdigit():
        return int(text)
    named = logging.getLevelName(text.upper())
    return named if isinstance(named, int) else logging.NOTSET


def run_spider(spider_cls, settings: Settings, **spider_args):
    """Run one spider to the end in this process; returns its crawler (stats, spider).

    SIGTERM and SIGINT stop it as ``wardnews.stopping`` says; what the stop
    kept from being fetched goes back on the frontier.
    """
    use_hanoi_clock_for_logs()
    # A log line that cannot be written (the log's disk is full) is dropped, not printed on
    # stderr as a traceback: the run's summary line still says what happened.
    logging.raiseExceptions = False
    process = CrawlerProcess(settings)  # installs the log handler (LOG_INSTALL_ROOT_HANDLER)
    # Scrapy's handler drops what is below LOG_LEVEL, but only after a record was built for
    # each DEBUG line (one per response, one per item: a few per cent of the reactor's time).
    root_level = logging.root.level
    if settings.getbool("LOG_ENABLED", True):
        logging.root.setLevel(max(root_level, _level_number(settings.get("LOG_LEVEL"))))
    crawler = process.create_crawler(spider_cls)
    stopper = Stopper.of(crawler)
    stopper.install_signal_handlers()
    process.crawl(crawler, **spider_args)
    try:
        process.start(install_signal_handlers=False)
    finally:
        logging.root.setLevel(root_level)
    if stopper.stopping:
        stopper.restore_frontier(settings.get("WARDNEWS_DB"))
    return crawler
