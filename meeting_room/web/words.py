"""Words in the current language, one shape for every feature's word tables.

A closed set of values (a period's state, a topic's source, a channel) is worded by a table of
its values' translated words and ``named``, which gives the words of one value, or the value
itself where the table does not know it (shown as it is, never lost). ``gettext`` and
``ngettext`` are Flask-Babel's as plain ``str`` (Babel extracts the calls by these names; a
module may import ``gettext as _``).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import gettext as _gettext
from flask_babel import ngettext as _ngettext


def gettext(message: str, **values: object) -> str:
    """The message in the current language."""
    return str(_gettext(message, **values))


def ngettext(singular: str, plural: str, num: int, **values: object) -> str:
    """The message for ``num`` in the current language."""
    return str(_ngettext(singular, plural, num, **values))


def named(value: str | None, names: Mapping[str | None, str]) -> str:
    """The words of ``value`` in ``names``, or the value itself where the table has none."""
    return names.get(value, value or "")
