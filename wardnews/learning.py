"""The portal's boilerplate during a run: last night's, then tonight's once enough pages arrived.

``wardnews.extract.boilerplate`` learns, from many pages of one site, the
short texts that stand on most of them (the masthead with today's date, the
publisher's name, the footer, the "Đọc nhiều" list) so that extraction never
takes them for a field. A run starts with what the previous run learnt (kept
in the ``boilerplate`` table), watches its own first article pages, and from
then on uses both: the masthead date of tonight is only on tonight's pages.
What the run learnt is saved for the next one.
"""

from __future__ import annotations

from wardnews.extract.boilerplate import Boilerplate

LEARN_AFTER = 30  # article pages; fewer can take a prolific reporter's name for boilerplate
MIN_PAGES_TO_SAVE = 20  # a run that saw fewer (a quiet night) keeps the last run's texts


def combined(first: Boilerplate | None, second: Boilerplate | None) -> Boilerplate | None:
    """Texts that are boilerplate by either (None when both are None or empty)."""
    parts = [b for b in (first, second) if b is not None and len(b)]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    counts = {**parts[0].counts, **parts[1].counts}
    return Boilerplate(parts[0].texts | parts[1].texts, max(p.pages for p in parts), counts)


class RunBoilerplate:
    """What a run knows of its site's boilerplate; ``current`` is what extraction gets."""

    def __init__(self, stored: str | None = None, learn_after: int = LEARN_AFTER):
        self.previous = _load(stored)
        self.learn_after = learn_after
        self.tonight: Boilerplate | None = None
        self._sample: list[bytes] = []
        self.current = combined(self.previous, None)

    def observe(self, body: bytes) -> None:
        """One whole article page of this run; after ``learn_after`` of them tonight's texts are learnt."""
        if self.tonight is not None:
            return
        self._sample.append(body)
        if len(self._sample) >= self.learn_after:
            self.tonight = Boilerplate.learn(self._sample)
            self._sample = []
            self.current = combined(self.previous, self.tonight)

    def to_save(self) -> Boilerplate | None:
        """What the next run should start from: tonight's texts when there were enough pages."""
        if self.tonight is None and len(self._sample) >= MIN_PAGES_TO_SAVE:
            self.tonight = Boilerplate.learn(self._sample)
        return self.tonight if self.tonight is not None and len(self.tonight) else None


def _load(stored: str | None) -> Boilerplate | None:
    if not stored:
        return None
    try:
        return Boilerplate.from_json(stored)
    except ValueError:  # written by another version: learnt again tonight
        return None
