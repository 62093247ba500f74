"""Site profiles: everything we know about one portal, as data.

Adding a portal means adding one module here that defines a ``SiteProfile``
and registering it in ``SITES``; extraction and crawling read only the profile.
"""

from __future__ import annotations

from wardnews.sites.base import SiteProfile
from wardnews.sites.laodongthudo import LAODONGTHUDO

SITES: dict[str, SiteProfile] = {LAODONGTHUDO.key: LAODONGTHUDO}
DEFAULT_SITE = LAODONGTHUDO


def site_for_url(url: str, sites: dict[str, SiteProfile] | None = None) -> SiteProfile | None:
    """The profile whose hosts serve ``url``, or None for a foreign URL."""
    for site in (sites or SITES).values():
        if site.owns(url):
            return site
    return None


__all__ = ["DEFAULT_SITE", "SITES", "SiteProfile", "site_for_url"]
