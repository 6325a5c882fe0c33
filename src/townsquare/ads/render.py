"""Brand-safety report renderings: a tidy CSV and a chart (PNG or SVG, matplotlib's Agg backend, no display)."""

from __future__ import annotations

import csv
import io
from typing import Any

from townsquare.ads.report import REPORT_TIERS

TIER_COLOURS = {"low": "#9ecae1", "medium": "#fdae6b", "high": "#e6550d", "floor": "#7f0000"}


def to_csv(report: dict[str, Any]) -> str:
    """Rows ``metric,campaign,category,tier,value``: adjacency counts, then the summary figures."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["metric", "campaign", "category", "tier", "value"])
    camp = report.get("campaign_id") or ""
    for cat, tiers in report["adjacent"].items():
        for tier in REPORT_TIERS:
            w.writerow(["impressions_adjacent", camp, cat, tier, tiers.get(tier, 0)])
    w.writerow(["impressions_adjacent", camp, "none", "none", report["adjacent_none"]])
    for cid, count in report["by_campaign"].items():
        w.writerow(["impressions", cid, "", "", count])
    v = report["verification"]
    ci = v["ci95"] or [None, None]
    for metric, value in (
        ("impressions_total", report["impressions"]),
        ("served_eligible_rate", report["served_eligible_rate"]),
        ("brand_safety_rate", v["brand_safety_rate"]),
        ("brand_safety_ci95_low", ci[0]),
        ("brand_safety_ci95_high", ci[1]),
        ("verification_sample_size", v["sample_size"]),
        ("verification_safe", v["safe"]),
        ("verification_seed", v["seed"]),
    ):
        w.writerow([metric, camp, "", "", "" if value is None else value])
    return buf.getvalue()


def chart(report: dict[str, Any], fmt: str = "png") -> bytes:
    """Left: impressions by adjacent GARM category, stacked by tier. Right: brand-safety rate with its 95 % CI."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    if fmt not in ("png", "svg"):
        raise ValueError("format must be png or svg")
    fig = Figure(figsize=(11, 4.8), layout="constrained")
    ax, ax2 = fig.subplots(1, 2, width_ratios=[3, 1])
    cats = list(report["adjacent"])
    left = [0] * len(cats)
    for tier in REPORT_TIERS:
        vals = [report["adjacent"][c][tier] for c in cats]
        ax.barh(cats, vals, left=left, color=TIER_COLOURS[tier], label=tier)
        left = [a + b for a, b in zip(left, vals, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("impressions next to content in this category")
    ax.legend(title="tier", loc="lower right")
    ax.set_title(
        f"{report['advertiser_id']} · {report['since'][:10]} → {report['until'][:10]} · "
        f"{report['impressions']} impressions ({report['adjacent_none']} next to no sensitive content)",
        fontsize=9,
    )
    v = report["verification"]
    ax2.set_ylim(0, 1.05)
    ax2.set_xlim(-0.5, 1.5)
    ax2.set_xticks([0, 1], ["verified\n(sample)", "served\n(snapshots)"])
    if v["brand_safety_rate"] is not None:
        rate, (lo, hi) = v["brand_safety_rate"], v["ci95"]
        ax2.errorbar([0], [rate], yerr=[[rate - lo], [hi - rate]], fmt="o", color="#08519c", capsize=8)
        ax2.annotate(
            f"{rate:.1%}\n[{lo:.1%}, {hi:.1%}]\nn={v['sample_size']}",
            (0, rate),
            textcoords="offset points",
            xytext=(12, -30),
            fontsize=8,
        )
    if report["served_eligible_rate"] is not None:
        ax2.plot([1], [report["served_eligible_rate"]], "s", color="#636363")
    ax2.set_title("brand-safety rate, 95 % Wilson CI", fontsize=9)
    ax2.grid(axis="y", alpha=0.3)
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=100)
    return buf.getvalue()
