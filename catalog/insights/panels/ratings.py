"""Panels about ratings: scores, the long tail per rater and per film, activity, sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.insights.panels.base import (
    PALETTE,
    Data,
    Numbers,
    Panel,
    Table,
    bin_labels,
    fmt,
    fmt_share,
    grouped_bars,
    log_scale,
    no_data,
    style,
)

if TYPE_CHECKING:  # matplotlib is imported only when a chart is drawn (panels.render_png)
    from matplotlib.figure import Figure


def _source_names() -> dict[str, str]:
    return {"site": _("site users"), "dataset": _("dataset raters")}


def _draw_scores(fig: Figure, data: Data) -> None:
    ax = fig.subplots()
    scores = data["ratings"]["scores"]
    if not scores:
        no_data(ax)
        return
    # Shares, not counts: 26M dataset ratings would flatten a handful of site ratings.
    names = _source_names()
    series = {}
    for index, key in ((1, "site"), (2, "dataset")):
        total = sum(row[index] for row in scores)
        series[names[key]] = [row[index] / total * 100 if total else 0 for row in scores]
    grouped_bars(ax, [fmt(row[0], 1) for row in scores], series)
    style(ax, xlabel=_("score"), ylabel=_("share of the source's ratings (%)"))


def _numbers_scores(data: Data) -> Numbers:
    names = _source_names()
    rows = [[fmt(score, 1), fmt(site), fmt(dataset)] for score, site, dataset in data["ratings"]["scores"]]
    return Numbers(tables=[Table(_("Ratings per score"), [_("Score"), names["site"], names["dataset"]], rows)])


def _tail_stats(summary: dict[str, float | int | None], holder: str) -> list[tuple[str, str]]:
    return [
        (holder, fmt(summary["holders"])),
        (_("Ratings"), fmt(summary["items"])),
        (_("Median"), fmt(summary["median"], 1)),
        (_("Mean"), fmt(summary["mean"], 1)),
        (_("Maximum"), fmt(summary["max"])),
        (_("Share held by the top 1%"), fmt_share(summary["top_1_percent_share"])),
        (_("Share held by the top 10%"), fmt_share(summary["top_10_percent_share"])),
    ]


def _draw_per_rater(fig: Figure, data: Data) -> None:
    ax = fig.subplots()
    block = data["ratings"]["per_rater"]
    if not (block["site"]["summary"]["holders"] or block["dataset"]["summary"]["holders"]):
        no_data(ax)
        return
    names = _source_names()
    labels = bin_labels(data["ratings"]["tail_edges"], integer=True)
    grouped_bars(ax, labels, {names["site"]: block["site"]["counts"], names["dataset"]: block["dataset"]["counts"]})
    log_scale(ax, "y")
    style(ax, xlabel=_("ratings given"), ylabel=_("raters (symmetric log scale)"))


def _numbers_per_rater(data: Data) -> Numbers:
    block = data["ratings"]["per_rater"]
    names = _source_names()
    labels = bin_labels(data["ratings"]["tail_edges"], integer=True)
    rows = [
        [label, fmt(site), fmt(dataset)]
        for label, site, dataset in zip(labels, block["site"]["counts"], block["dataset"]["counts"], strict=True)
        if site or dataset
    ]
    site = [(f"{names['site']}: {label}", value) for label, value in _tail_stats(block["site"]["summary"], _("Raters"))]
    dataset = [
        (f"{names['dataset']}: {label}", value)
        for label, value in _tail_stats(block["dataset"]["summary"], _("Raters"))
    ]
    return Numbers(
        stats=site + dataset,
        tables=[Table(_("Raters per number of ratings given"), [_("Ratings given"), names["site"], names["dataset"]],
                      rows)],
    )  # fmt: skip


def _draw_per_film(fig: Figure, data: Data) -> None:
    ax = fig.subplots()
    block = data["ratings"]["per_film"]
    if not block["summary"]["holders"] and not block["unrated"]:
        no_data(ax)
        return
    labels = [_("none"), *bin_labels(data["ratings"]["tail_edges"], integer=True)]
    counts = [block["unrated"], *block["counts"]]
    ax.bar(range(len(labels)), counts, color=[PALETTE[3], *[PALETTE[0]] * (len(labels) - 1)])
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
    style(ax, xlabel=_("ratings received (site users and dataset raters)"), ylabel=_("films"))


def _numbers_per_film(data: Data) -> Numbers:
    block = data["ratings"]["per_film"]
    labels = bin_labels(data["ratings"]["tail_edges"], integer=True)
    rows = [[_("none"), fmt(block["unrated"])]] + [
        [label, fmt(count)] for label, count in zip(labels, block["counts"], strict=True) if count
    ]
    return Numbers(
        stats=[*_tail_stats(block["summary"], _("Rated films")), (_("Films without ratings"), fmt(block["unrated"]))],
        tables=[Table(_("Films per number of ratings received"), [_("Ratings received"), _("Films")], rows)],
    )


def _draw_years(fig: Figure, data: Data) -> None:
    ax = fig.subplots()
    years = data["ratings"]["years"]
    if not years:
        no_data(ax)
        return
    names = _source_names()
    labels = [str(year) for year, _site, _dataset in years]
    grouped_bars(ax, labels, {names["site"]: [row[1] for row in years], names["dataset"]: [row[2] for row in years]},
                 stacked=True)  # fmt: skip
    style(ax, xlabel=_("year"), ylabel=_("ratings"))


def _numbers_years(data: Data) -> Numbers:
    names = _source_names()
    rows = [[str(year), fmt(site), fmt(dataset)] for year, site, dataset in data["ratings"]["years"]]
    return Numbers(tables=[Table(_("Ratings per year"), [_("Year"), names["site"], names["dataset"]], rows)])


def _draw_sources(fig: Figure, data: Data) -> None:
    sources = data["ratings"]["sources"]
    names = _source_names()
    axes = fig.subplots(1, 3)
    labels = [names["site"], names["dataset"]]
    for ax, key, title in zip(
        axes, ("ratings", "raters", "films"), (_("ratings"), _("raters"), _("films rated")), strict=True
    ):
        ax.bar([0, 1], [sources["site"][key], sources["dataset"][key]], color=PALETTE[:2])
        ax.set_xticks([0, 1], labels, fontsize=8)
        log_scale(ax, "y")
        style(ax, title=title)


def _numbers_sources(data: Data) -> Numbers:
    sources = data["ratings"]["sources"]
    names = _source_names()
    rows = [
        [_("Ratings"), fmt(sources["site"]["ratings"]), fmt(sources["dataset"]["ratings"])],
        [_("Raters"), fmt(sources["site"]["raters"]), fmt(sources["dataset"]["raters"])],
        [_("Films rated"), fmt(sources["site"]["films"]), fmt(sources["dataset"]["films"])],
        [_("Mean score"), fmt(sources["site"]["mean_score"], 2), fmt(sources["dataset"]["mean_score"], 2)],
    ]
    return Numbers(tables=[Table(_("Site users and dataset raters"), ["", names["site"], names["dataset"]], rows)])


PANELS = [
    Panel("rating_scores", "ratings", gettext_lazy("Distribution of scores"), _draw_scores, _numbers_scores),
    Panel("ratings_per_rater", "ratings", gettext_lazy("Ratings per rater (the long tail)"), _draw_per_rater,
          _numbers_per_rater),
    Panel("ratings_per_film", "ratings", gettext_lazy("Ratings per film (the long tail)"), _draw_per_film,
          _numbers_per_film),
    Panel("rating_years", "ratings", gettext_lazy("Rating activity over time"), _draw_years, _numbers_years),
    Panel("rating_sources", "ratings", gettext_lazy("Site users versus dataset raters"), _draw_sources,
          _numbers_sources, (9, 3.5)),
]  # fmt: skip
