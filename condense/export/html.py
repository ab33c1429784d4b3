"""report.html: one self-contained page (inline CSS, script and data; nothing fetched) in the codebook's
language, rendered with Jinja2 with autoescaping on. Transcript text is untrusted: it reaches the page
only through autoescaped template variables and through one JSON block that the script reads and puts
into the page with ``textContent`` — never as markup.

The units are not one DOM node each: they live in ``<script type="application/json" id="report-data">``
and the script builds the few nodes a list or a unit view needs, so a report of 100,000 units stays usable.
"""
from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path

from markupsafe import Markup

from ..i18n import localise_frame, percent, quoted
from .report_data import ReportData, build_report_data
from .strings import number, strings

__all__ = ["script_json", "shade", "script_hash", "render_html", "write_html"]

_UNSAFE_IN_SCRIPT = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(data) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``</script>``, no ``<!--``, no
    U+2028/U+2029 can end or change the block, whatever the strings hold. ``JSON.parse`` reads it back unchanged.

    >>> script_json({"t": "</script><!--"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003c!--"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    for char, escape in _UNSAFE_IN_SCRIPT.items():
        text = text.replace(char, escape)
    return text


def shade(value: int, maximum: int) -> tuple[str, str]:
    """Background and text colour of a heatmap cell: one hue, lightness falling with the value, so the
    order of the cells survives greyscale printing; dark cells get white text."""
    if value <= 0 or maximum <= 0:
        return "#ffffff", "#222222"
    share = value / maximum
    lightness = round(94 - 64 * share)
    return f"hsl(210, 45%, {lightness}%)", "#ffffff" if lightness < 58 else "#111111"


def script_hash(script: str) -> str:
    """The Content-Security-Policy source of our one script: only it may run, never anything a transcript
    smuggled into the page."""
    import base64
    import hashlib

    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


@functools.cache
def _environment():
    """One per process: the environment keeps the template it compiled (about 0.1 CPU s a compile), so a
    process that writes many reports (a notebook, the tests) compiles it once."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("condense.export", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["shade"] = shade
    return env


def _asset(name: str) -> str:
    return resources.files("condense.export").joinpath("templates", name).read_text(encoding="utf-8")


def render_html(result, data: ReportData | None = None) -> str:
    """The report as a string (see :func:`write_html`)."""
    from .. import __version__

    data = data or build_report_data(result)
    s = strings(data.language)
    agreement = None
    if data.agreement is not None:
        df = localise_frame(data.agreement, data.language)  # the codebook's language, as in report.md
        agreement = {"columns": [str(c) for c in df.columns],
                     "rows": [[_fmt(v, data.language) for v in row] for row in df.itertuples(index=False)]}
    js = "\n" + _asset("report.js")
    template = _environment().get_template("report.html.j2")
    return template.render(
        d=data, s=s, lang=data.language, version=__version__, agreement=agreement,
        num=lambda n: number(n, data.language), quoted=lambda text: quoted(text, data.language),
        pct=lambda x: percent(x, data.language),
        css=Markup(_asset("report.css")),  # our own files, not user input
        js=Markup(js),
        script_hash=script_hash(js),
        payload=Markup(script_json(data.payload)),
    )


def _fmt(value, language: str | None = "en") -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        text = f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
        return text.replace(".", ",") if language == "da" else text  # decimal comma in Danish
    return str(value)


def write_html(result, folder: Path, data: ReportData | None = None) -> Path:
    """Write ``report.html`` into a results folder; returns its path."""
    from ..io import write_file

    return write_file(Path(folder) / "report.html", render_html(result, data))
