"""A batch run's summary as one self-contained HTML page (`--report report.html`).

No scripts, fonts or stylesheets are fetched: bars are CSS widths, the confidence
histogram is inline SVG, so the file can be mailed or archived as it is. The page shows
counts by primary code and by route, the confidence histogram and the errors table (ids
and messages only: never report text).
"""

from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path

from nlp.batch.summary import CONFIDENCE_BINS, Summary

_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 2em; }
table { border-collapse: collapse; width: 100%; }
td, th { padding: .25em .5em; text-align: left; border-bottom: 1px solid #eee; }
td.n { text-align: right; font-variant-numeric: tabular-nums; width: 6em; }
.bar { background: #3a7bd5; height: 1em; min-width: 1px; }
.route-error .bar { background: #c0392b; } .route-review .bar { background: #e6a23c; }
.route-out_of_scope .bar { background: #888; }
.stats span { display: inline-block; margin-right: 2em; }
.stats b { display: block; font-size: 1.4em; }
"""


def _bars(counter: Counter[str], css_prefix: str = "") -> str:
    if not counter:
        return "<p>None.</p>"
    top = max(counter.values())
    rows = []
    for key, n in counter.most_common():
        width = 100 * n / top
        css = f' class="{escape(css_prefix + key)}"' if css_prefix else ""
        rows.append(
            f"<tr{css}><th>{escape(key)}</th><td class=n>{n:,}</td>"
            f'<td style="width:60%"><div class=bar style="width:{width:.1f}%"></div></td></tr>'
        )
    return "<table>" + "".join(rows) + "</table>"


def _histogram(bins: list[int]) -> str:
    width, height, pad = 600, 180, 24
    top = max(bins) or 1
    step = (width - 2 * pad) / CONFIDENCE_BINS
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 2 * pad}" '
        'role="img" aria-label="confidence histogram">'
    ]
    for i, n in enumerate(bins):
        h = height * n / top
        x = pad + i * step
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{pad + height - h:.1f}" width="{step - 4:.1f}" '
            f'height="{h:.1f}" fill="#3a7bd5"><title>{i / 10:.1f}–{(i + 1) / 10:.1f}: '
            f"{n:,}</title></rect>"
            f'<text x="{x + step / 2:.1f}" y="{pad + height - h - 4:.1f}" font-size="11" '
            f'text-anchor="middle">{n:,}</text>'
            f'<text x="{x:.1f}" y="{pad + height + 16}" font-size="11">{i / 10:.1f}</text>'
        )
    parts.append(
        f'<text x="{width - pad:.1f}" y="{pad + height + 16}" font-size="11">1.0</text>'
        f'<line x1="{pad}" y1="{pad + height}" x2="{width - pad}" y2="{pad + height}" '
        'stroke="#999"/></svg>'
    )
    return "".join(parts)


def render_html(summary: Summary) -> str:
    """The report page for a summary."""
    if summary.errors:
        shown = "".join(
            f"<tr><td>{escape(id)}</td><td>{escape(message)}</td></tr>"
            for id, message in summary.errors
        )
        more = (
            f"<p>Showing the first {len(summary.errors):,} of {summary.error_count:,} errors; "
            'every one is in the output with <code>"route": "error"</code>.</p>'
            if summary.error_count > len(summary.errors)
            else ""
        )
        errors = f"<table><tr><th>id</th><th>error</th></tr>{shown}</table>{more}"
    else:
        errors = "<p>No errors.</p>"
    versions = ", ".join(escape(v) for v in summary.model_versions) or "unknown"
    title = f"spectcoder scoring report: {escape(str(summary.out))}"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>{_STYLE}</style></head><body>
<h1>{title}</h1>
<p class=stats>
<span><b>{summary.records:,}</b>records</span>
<span><b>{summary.scored:,}</b>scored this run</span>
<span><b>{summary.error_count:,}</b>errors</span>
<span><b>{summary.elapsed:,.1f} s</b>elapsed</span>
<span><b>{summary.rate:,.1f}</b>reports/s</span>
</p>
<p>Model version: {versions}.{" The run was interrupted." if summary.interrupted else ""}</p>
<h2>By route</h2>{_bars(summary.by_route, "route-")}
<h2>By primary code</h2>{_bars(summary.by_code)}
<h2>Confidence</h2>{_histogram(summary.confidence_bins)}
<h2>Errors</h2>{errors}
</body></html>
"""


def write_html(summary: Summary, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(summary), encoding="utf-8")
