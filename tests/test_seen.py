"""The run's memory on disk (wardnews.seen) answers like Python's sets and dicts would."""

from __future__ import annotations

import pytest

from wardnews.seen import CACHE_KEYS, RunMemory


@pytest.fixture
def memory():
    run = RunMemory()
    yield run
    run.close()


def test_a_set_says_whether_a_text_was_met_before(memory):
    urls = memory.set("scheduled")
    assert urls.add("https://laodongthudo.vn/a-1.html") is True
    assert urls.add("https://laodongthudo.vn/a-1.html") is False
    assert "https://laodongthudo.vn/a-1.html" in urls
    assert "https://laodongthudo.vn/b-2.html" not in urls
    assert len(urls) == 1 and urls


def test_sets_of_one_memory_are_apart(memory):
    scheduled, sighted = memory.set("scheduled"), memory.set("sighted")
    scheduled.add("x")
    assert "x" not in sighted
    assert sighted.add("x") is True


def test_a_set_beyond_its_memory_cache_still_knows_every_member(memory):
    urls = memory.set("scheduled")
    count = 2 * CACHE_KEYS + 10  # two generations rolled over: the first keys live on disk only
    for n in range(count):
        assert urls.add(f"https://laodongthudo.vn/tin-{n}.html")
    assert len(urls) == count
    assert all(f"https://laodongthudo.vn/tin-{n}.html" in urls for n in range(0, count, 97))
    assert not urls.add("https://laodongthudo.vn/tin-0.html")


def test_a_set_that_keeps_its_text_lists_it_back_and_subtracts(memory):
    capped = memory.set("capped", keep_text=True)
    capped.update(["a", "b", "c"])
    assert sorted(capped) == ["a", "b", "c"]
    assert capped - {"b"} == {"a", "c"}
    with pytest.raises(TypeError):
        list(memory.set("plain"))


def test_a_map_keeps_the_first_claim(memory):
    claims = memory.map()
    assert claims.claim("laodongthudo:12345", ["https://laodongthudo.vn/a-12345.html", None]) is None
    assert claims.claim("laodongthudo:12345", ["https://laodongthudo.vn/other.html", "x"]) == (
        "https://laodongthudo.vn/a-12345.html",
        None,
    )
