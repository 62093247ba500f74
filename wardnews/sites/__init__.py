"""Site profiles: everything we know about one portal, as data.

Adding a portal means adding one module here that defines a ``SiteProfile``
and registering it in ``SITES``; extraction and crawling read only the profile.
"""

from __future__ import annotations

import os

from wardnews.sites.base import SiteProfile
from wardnews.sites.laodongthudo import LAODONGTHUDO

SITES: dict[str, SiteProfile] = {LAODONGTHUDO.key: LAODONGTHUDO}
DEFAULT_SITE = LAODONGTHUDO


def selectors_enabled() -> bool:
    """False when ``WARDNEWS_SITE_SELECTORS=off``: every profile is used without its CSS selectors."""
    return os.environ.get("WARDNEWS_SITE_SELECTORS", "on").strip().lower() not in ("off", "0", "no", "false")


def as_configured(site: SiteProfile | None) -> SiteProfile | None:
    """``site`` itself, or ``site.without_selectors()`` when the selectors are switched off."""
    if site is None or selectors_enabled():
        return site
    return site.without_selectors()


def site_for_url(url: str, sites: dict[str, SiteProfile] | None = None) -> SiteProfile | None:
    """The profile whose hosts serve ``url`` (as configured), or None for a foreign URL."""
    for site in (sites or SITES).values():
        if site.owns(url):
            return as_configured(site)
    return None


__all__ = ["DEFAULT_SITE", "SITES", "SiteProfile", "as_configured", "selectors_enabled", "site_for_url"]
