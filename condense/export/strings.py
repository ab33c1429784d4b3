"""The words of report.html and figures/: kept in the project's one localisation table,
:data:`condense.i18n.PAGE`; this module only keeps the names the export modules import."""
from __future__ import annotations

from .. import i18n
from ..i18n import page_strings as strings

__all__ = ["number", "strings"]


def number(n: int | float, language: str | None) -> str:
    """A count with the language's thousands separator (28.784 / 28,784)."""
    return i18n.number(int(n), language)
