"""robots.txt, our User-Agent, and URLs that are gone for good not asked for every night."""

from __future__ import annotations

from wardnews.testing import Portal, PortalServer, Response
from wardnews.testing.portal import ROBOTS_TXT

from .helpers import ARTICLE_PATH_RE, query, run_crawl

GONE = "/bai-viet-da-go-199999.html"  # article-shaped, 404


class RobotsPortal(Portal):
    """The mirror, whose robots.txt also disallows the nav-only section "Xã - Phường"."""

    def render(self, path_and_query, *, base_url=None):
        if path_and_query == "/robots.txt":
            text = ROBOTS_TXT + "Disallow: /xa-phuong\n"
            return Response(200, {"Content-Type": "text/plain; charset=utf-8"}, text.encode())
        return super().render(path_and_query, base_url=base_url)


def test_robots_user_agent_and_gone_urls(db):
    portal = RobotsPortal(40, seed=13)
    hidden = {a.key for a in portal.expected_articles() if a.section == "/xa-phuong"}
    assert hidden
    with PortalServer(portal) as server:
        starts = [server.url(p) for p in ("/", GONE)]
        args = [arg for url in starts for arg in ("--start-url", url)]
        first = run_crawl(server, db, *args)
        first_requests = list(server.requests)
        server.reset_log()
        second = run_crawl(server, db, *args)
        second_paths = server.paths()
    assert first.code == 0, first.stdout + first.stderr
    paths = [r.path_and_query for r in first_requests]
    assert paths[0] == "/robots.txt"
    assert not [p for p in paths + second_paths if p.startswith(("/admin", "/search", "/xa-phuong"))]
    assert hidden.isdisjoint(m.group(1) for p in paths if (m := ARTICLE_PATH_RE.search(p)))
    assert query(db, "SELECT count(*) FROM articles WHERE category = 'Xã - Phường'") == [(0,)]
    # Every request named the project and a contact.
    agents = {r.user_agent for r in first_requests}
    assert (
        len(agents) == 1 and agents.pop().startswith("wardnews/") and "+http" in first_requests[0].user_agent
    )
    # The 404 is a fetch error; robots.txt refusals are not errors.
    errors = query(db, "SELECT url, status, error FROM fetch_errors")
    assert (server.url(GONE), 404, "http_404") in errors
    assert not [e for e in errors if "/xa-phuong" in e[0]]
    # The next night does not ask for it again.
    assert GONE in paths and GONE not in second_paths
    assert second.code == 0
    # Not a terminal: no progress line, just the summary on stdout.
    assert "pages/s" not in first.stderr and "\r" not in first.stderr
    assert first.stdout.count("\n") == 1 and first.stdout.startswith("wardnews ok:")
