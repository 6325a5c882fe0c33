"""Small server-rendered SVG charts (no chart library, no script): bars, stacked columns, a viewpoint strip and
rates with intervals.

Each chart is an accessible image (`role="img"` with a `<title>`), uses presentation attributes only (the pages'
Content-Security-Policy forbids inline styles), and scales to its container through `viewBox`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

PALETTE = (
    "#2f6db5",
    "#d9822b",
    "#3a9a5b",
    "#c2410c",
    "#7c3aed",
    "#0f766e",
    "#b91c1c",
    "#a16207",
    "#475569",
    "#db2777",
    "#0369a1",
    "#65a30d",
)
VOTE_COLOURS = {"uphold": "#b91c1c", "overturn": "#2f6db5", "abstain": "#94a3b8"}
RISK_COLOURS = {
    "none": "#94a3b8",
    "low": "#eab308",
    "medium": "#ea580c",
    "high": "#dc2626",
    "floor": "#7f1d1d",
}
"""Colour that means risk: grey for none, then yellow, orange, red and dark red for the floor (never green)."""


def _svg(width: int, height: int, title: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" class="chart" preserveAspectRatio="xMinYMin meet">'
        f"<title>{escape(title)}</title>"
    )
    return Markup(head + "".join(body) + "</svg>")


def _text(
    x: float, y: float, text: Any, *, anchor: str = "start", size: int = 12, fill: str = "#1f2937"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">'
        f"{escape(str(text))}</text>"
    )


def bar_chart(
    items: Sequence[tuple[str, float]], *, title: str, width: int = 480, label_width: int = 170
) -> Markup:
    """Horizontal bars, one per (label, value), largest scale = the largest value."""
    if not items:
        return _svg(width, 30, title, [_text(4, 20, "—")])
    row = 24
    height = row * len(items) + 8
    top = max(v for _, v in items) or 1
    span = width - label_width - 60
    body = []
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        w = max(1.0, span * value / top)
        body.append(_text(label_width - 6, y + 15, label, anchor="end"))
        body.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {value:g}</title></rect>'
        )
        body.append(_text(label_width + w + 6, y + 15, f"{value:g}"))
    return _svg(width, height, title, body)


def stacked_columns(
    buckets: Sequence[dict[str, Any]],
    *,
    title: str,
    width: int = 640,
    height: int = 260,
    colours: Mapping[str, str] | None = None,
    link: Callable[[str, str], str] | None = None,
) -> Markup:
    """One column per time bucket ({"start": label, "counts": {series: n}}), stacked by series, with a legend.

    `colours` fixes a series' colour (risk tiers must read as risk whatever their order); `link(bucket, series)`
    makes each segment a link to the rows behind it (the advertiser's drill-down)."""
    if not buckets:
        return _svg(width, 30, title, [_text(4, 20, "—")])
    series: list[str] = []
    for b in buckets:
        for name in b["counts"]:
            if name not in series:
                series.append(name)
    fixed: Mapping[str, str] = colours or {}
    order = list(fixed)
    series.sort(key=lambda name: order.index(name) if name in fixed else len(order))
    palette = {name: fixed.get(name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(series)}
    legend_rows = (len(series) + 1) // 2
    plot_top, plot_left, plot_bottom = 10, 40, height - 30 - 18 * legend_rows
    plot_h = plot_bottom - plot_top
    top = max(sum(b["counts"].values()) for b in buckets) or 1
    slot = (width - plot_left - 10) / len(buckets)
    col = min(48.0, slot * 0.7)
    body = [
        f'<line x1="{plot_left}" y1="{plot_bottom}" x2="{width - 10}" y2="{plot_bottom}" stroke="#94a3b8"/>',
        _text(plot_left - 6, plot_top + 10, f"{top:g}", anchor="end", size=11),
        _text(plot_left - 6, plot_bottom, "0", anchor="end", size=11),
    ]
    for i, b in enumerate(buckets):
        x = plot_left + i * slot + (slot - col) / 2
        y = float(plot_bottom)
        for name in series:
            n = b["counts"].get(name, 0)
            if not n:
                continue
            h = plot_h * n / top
            y -= h
            rect = (
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{col:.1f}" height="{h:.1f}" fill="{palette[name]}">'
                f"<title>{escape(b['start'])} — {escape(name)}: {n}</title></rect>"
            )
            if link is not None:
                rect = f'<a href="{escape(link(str(b["start"]), name))}">{rect}</a>'
            body.append(rect)
        if len(buckets) <= 12 or i % max(1, len(buckets) // 8) == 0:
            body.append(_text(x + col / 2, plot_bottom + 14, b["start"], anchor="middle", size=10))
    for i, name in enumerate(series):
        lx = 10 + (i % 2) * (width - 20) / 2
        ly = plot_bottom + 30 + (i // 2) * 18
        body.append(f'<rect x="{lx:.1f}" y="{ly - 9:.1f}" width="10" height="10" fill="{palette[name]}"/>')
        short = name if len(name) <= 40 else name[:39] + "…"
        body.append(_text(lx + 14, ly, short, size=11))
    return _svg(width, height, title, body)


def viewpoint_strip(
    members: Sequence[tuple[str, float | None, str | None]],
    *,
    title: str,
    width: int = 480,
    sides: Mapping[str, str] | None = None,
    vote_labels: Mapping[str, str] | None = None,
    unplaced: str = "no position yet",
) -> Markup:
    """Council members placed on the viewpoint axis, coloured by vote, each labelled with the side the decision rule
    put them on (`sides`: name -> side label; the rule splits the panel into halves by position at draw time).
    A member with too little voting history has no position: drawn hollow on the centre line, labelled `unplaced`
    (never with a side)."""
    height = 60 + 22 * max(1, len(members))
    left, right = 30, width - 30
    mid = (left + right) / 2
    values = [abs(v) for _, v, _ in members if v is not None]
    scale = max(values) if values and max(values) > 0 else 1.0
    body = [
        f'<line x1="{left}" y1="30" x2="{right}" y2="30" stroke="#64748b"/>',
        f'<line x1="{mid:.1f}" y1="18" x2="{mid:.1f}" y2="{height - 8}" stroke="#94a3b8" stroke-dasharray="4 3"/>',
        _text(left, 18, "−", size=14),
        _text(right, 18, "+", anchor="end", size=14),
    ]
    for i, (name, value, vote) in enumerate(members):
        y = 52 + i * 22
        colour = VOTE_COLOURS.get(vote or "", "#cbd5e1")
        # A member without enough voting history has no position yet: drawn hollow on the centre line.
        x = mid if value is None else mid + (right - mid) * max(-1.0, min(1.0, value / scale))
        where = unplaced if value is None else f"{value:+.2f}"
        hollow = ' stroke="#1f2937" stroke-width="2" fill-opacity="0.4"' if value is None else ""
        body.append(f'<line x1="{x:.1f}" y1="30" x2="{x:.1f}" y2="{y}" stroke="#e2e8f0"/>')
        body.append(
            f'<circle cx="{x:.1f}" cy="{y}" r="7" fill="{colour}"{hollow} data-member="{escape(name)}">'
            f"<title>{escape(name)}: {escape(vote or '—')} ({where})</title></circle>"
        )
        # at the centre, the left half is free for the label of a member without a position
        anchor = "end" if value is None else ("start" if x < mid + 1 else "end")
        dx = 12 if anchor == "start" else -12
        side = f"{sides[name]}, " if sides and name in sides and value is not None else ""
        shown = (vote_labels or {}).get(vote or "", vote or "…")
        body.append(_text(x + dx, y + 4, f"{name} — {shown} ({side}{where})", anchor=anchor, size=11))
    legend_y = height - 6
    for i, (vote, colour) in enumerate(VOTE_COLOURS.items()):
        body.append(f'<circle cx="{left + 8 + i * 110}" cy="{legend_y - 4}" r="5" fill="{colour}"/>')
        body.append(_text(left + 18 + i * 110, legend_y, (vote_labels or {}).get(vote, vote), size=11))
    return _svg(width, height + 10, title, body)


def rate_intervals(
    rows: Sequence[tuple[str, float | None, float | None, float | None]], *, title: str, width: int = 640
) -> Markup:
    """Rates in [0, 1] with their interval, one row per (label, rate, low, high)."""
    if not rows:
        return _svg(width, 30, title, [_text(4, 20, "—")])
    label_w, row = 180, 28
    left, right = label_w, width - 50
    height = row * len(rows) + 30
    body = [f'<line x1="{left}" y1="{height - 22}" x2="{right}" y2="{height - 22}" stroke="#94a3b8"/>']
    for tick in (0.0, 0.5, 1.0):
        tx = left + (right - left) * tick
        body.append(_text(tx, height - 6, f"{tick * 100:.0f} %", anchor="middle", size=10))
    for i, (label, rate, low, high) in enumerate(rows):
        y = 14 + i * row
        body.append(_text(label_w - 8, y + 4, label, anchor="end"))
        if rate is None:
            body.append(_text(left + 4, y + 4, "—"))
            continue
        if low is not None and high is not None:
            x1, x2 = left + (right - left) * low, left + (right - left) * high
            body.append(
                f'<line x1="{x1:.1f}" y1="{y}" x2="{x2:.1f}" y2="{y}" stroke="#1f2937" stroke-width="2"/>'
            )
            body.append(f'<line x1="{x1:.1f}" y1="{y - 5}" x2="{x1:.1f}" y2="{y + 5}" stroke="#1f2937"/>')
            body.append(f'<line x1="{x2:.1f}" y1="{y - 5}" x2="{x2:.1f}" y2="{y + 5}" stroke="#1f2937"/>')
        cx = left + (right - left) * rate
        body.append(
            f'<circle cx="{cx:.1f}" cy="{y}" r="6" fill="{PALETTE[2]}">'
            f"<title>{escape(label)}: {rate * 100:.1f} %</title></circle>"
        )
        body.append(_text(right + 6, y + 4, f"{rate * 100:.1f} %", size=11))
    return _svg(width, height, title, body)
