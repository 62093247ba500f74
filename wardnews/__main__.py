"""``python -m wardnews``: the same as the ``wardnews`` command."""

from wardnews.cli import run

run()
