"""Panels about the films themselves: completeness, distributions, categories."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.genres import genre_label
from catalog.insights.panels.base import (
    NORMAL_COLOUR,
    OUTLIER_COLOUR,
    TIMES,
    Data,
    Numbers,
    Panel,
    Table,
    bars,
    bin_labels,
    compact,
    fmt,
    fmt_share,
    fmt_year,
    log_scale,
    no_data,
    stats_list,
    style,
)
from catalog.languages import language_label

if TYPE_CHECKING:  # matplotlib is imported only when a chart is drawn (panels.render_png)
    from matplotlib.figure import Figure


def _field_labels() -> dict[str, str]:
    return {
        "tmdb_id": _("TMDB id"),
        "imdb_id": _("IMDb id"),
        "release_date": _("release date"),
        "runtime": _("runtime (missing or 0)"),
        "budget": _("budget (0 = unknown)"),
        "revenue": _("revenue (0 = unknown)"),
        "vote_count": _("TMDB votes (none)"),
        "original_language": _("original language"),
        "overview": _("overview"),
        "tagline": _("tagline"),
        "poster_path": _("poster"),
        "homepage": _("homepage"),
        "genres": _("genres (none)"),
        "credits": _("cast and crew (none)"),
        "keywords": _("keywords (none)"),
        "countries": _("production countries (none)"),
        "companies": _("production companies (none)"),
        "ratings": _("ratings (none)"),
    }


# --- Completeness -----------------------------------------------------------
def _draw_completeness(fig: Figure, data: Data) -> None:
    ax = fig.subplots()
    films = data["completeness"]["films"]
    if not films:
        no_data(ax)
        return
    labels = _field_labels()
    missing = data["completeness"]["missing"]
    keys = sorted(missing, key=lambda key: -missing[key])
    shares = [missing[key] / films * 100 for key in keys]
    bars(ax, [labels[key] for key in keys], shares, horizontal=True)
    ax.set_xlim(0, 100)
    style(ax, xlabel=_("films missing it (%)"))


def _numbers_completeness(data: Data) -> Numbers:
    films = data["completeness"]["films"]
    missing = data["completeness"]["missing"]
    labels = _field_labels()
    rows = [
        [labels[key], fmt(count), fmt_share(count / films if films else None)]
        for key, count in sorted(missing.items(), key=lambda item: (-item[1], item[0]))
    ]
    return Numbers(
        stats=[(_("Films"), fmt(films))],
        tables=[Table(_("Films missing each field"), [_("Field"), _("Films"), _("Share")], rows)],
    )


def _draw_streaming_matches(fig: Figure, data: Data) -> None:
    ax = fig.subplots()
    rows = data["completeness"]["streaming"]
    if not rows:
        no_data(ax)
        return
    names = data["streaming"].get("names", {})
    labels = [names.get(slug, slug) for slug, _titles, _unmatched in rows]
    matched = [titles - unmatched for _slug, titles, unmatched in rows]
    unmatched = [unmatched for _slug, _titles, unmatched in rows]
    positions = list(range(len(rows)))
    ax.bar(positions, matched, label=_("matched to a film"), color=NORMAL_COLOUR)
    ax.bar(positions, unmatched, bottom=matched, label=_("no matching film"), color=OUTLIER_COLOUR)
    ax.set_xticks(positions, labels)
    ax.legend(fontsize=8, frameon=False)
    style(ax, ylabel=_("streaming titles"))


def _numbers_streaming_matches(data: Data) -> Numbers:
    names = data["streaming"].get("names", {})
    rows = [
        [names.get(slug, slug), fmt(titles), fmt(unmatched), fmt_share(unmatched / titles if titles else None)]
        for slug, titles, unmatched in data["completeness"]["streaming"]
    ]
    return Numbers(
        tables=[
            Table(
                _("Streaming titles without a matched film"),
                [_("Platform"), _("Titles"), _("Without a film"), _("Share")],
                rows,
            )
        ]
    )


# --- Distributions ----------------------------------------------------------
def _distribution_panel_draw(
    key: str, *, xlabel: Promise, log_x: bool = False, integer: bool = False, label: Callable[..., str] | None = None
) -> Callable[[Figure, Data], None]:
    def draw(fig: Figure, data: Data) -> None:
        ax = fig.subplots()
        dist = data["distributions"][key]
        if not dist["stats"]["count"]:
            no_data(ax)
            return
        bars(ax, bin_labels(dist["edges"], integer=integer, label=label), dist["counts"])
        style(ax, xlabel=str(xlabel), ylabel=_("films"))
        if log_x:
            log_scale(ax, "y")

    return draw


def _distribution_numbers(
    key: str, *, integer: bool = False, missing_label: Promise, label: Callable[..., str] | None = None
) -> Callable[[Data], Numbers]:
    """`label` writes the bins and the statistics (`fmt_year` for years); counts are always grouped."""

    def numbers(data: Data) -> Numbers:
        dist = data["distributions"][key]
        rows = [
            [bin_label, fmt(count)]
            for bin_label, count in zip(
                bin_labels(dist["edges"], integer=integer, label=label), dist["counts"], strict=True
            )
        ]
        return Numbers(
            stats=[*stats_list(dist["stats"], formatter=label), (str(missing_label), fmt(dist["missing"]))],
            tables=[Table(_("Films per bin"), [_("Range"), _("Films")], rows)],
        )

    return numbers


def _numbers_release_year(data: Data) -> Numbers:
    numbers = _distribution_numbers(
        "release_year", integer=True, missing_label=gettext_lazy("Without a release year"), label=fmt_year
    )(data)
    first_of_january = data["distributions"]["release_year"].get("first_of_january")
    if first_of_january is not None:
        numbers.stats.append((_("Dated 1 January (often a film known only by its year)"), fmt(first_of_january)))
    return numbers


def _draw_vote_count(fig: Figure, data: Data) -> None:
    """Log-spaced bins on a log x axis: vote counts span five orders of magnitude."""
    ax = fig.subplots()
    dist = data["distributions"]["vote_count"]
    if not dist["stats"]["count"]:
        no_data(ax)
        return
    edges = [
        edge if edge is not None else max(dist["stats"]["max"] + 1, dist["edges"][-2] * 10) for edge in dist["edges"]
    ]
    widths = np.diff(edges)
    ax.bar(edges[:-1], dist["counts"], width=widths, align="edge", color=NORMAL_COLOUR, edgecolor="white")
    log_scale(ax, "x", symmetric=False)
    style(ax, xlabel=_("TMDB vote count (log scale)"), ylabel=_("films"))


# --- Money: budget, revenue, return ------------------------------------------
def _money_draw(key: str, *, xlabel: Promise, money: bool) -> Callable[[Figure, Data], None]:
    def draw(fig: Figure, data: Data) -> None:
        ax = fig.subplots()
        block = data["money"][key]
        if not block["stats"]["count"]:
            no_data(ax)
            return
        low, high = block["fences"]
        edges = list(block["edges"])
        open_top = edges[-2] * 10**0.5
        edges = [edge if edge is not None else open_top for edge in edges]
        if edges[0] == 0:
            edges[0] = edges[1] / 10**0.5
        centres = [math.sqrt(a * b) for a, b in itertools.pairwise(edges)]
        colours = [OUTLIER_COLOUR if (low is not None and c < low) or (high is not None and c > high) else NORMAL_COLOUR
                   for c in centres]  # fmt: skip
        ax.bar(edges[:-1], block["counts"], width=np.diff(edges), align="edge", color=colours, edgecolor="white")
        log_scale(ax, "x", symmetric=False)
        for fence in (low, high):
            if fence is not None and edges[0] <= fence <= edges[-1]:
                ax.axvline(fence, color=OUTLIER_COLOUR, linestyle="--", linewidth=1)
        prefix = "$" if money else ""
        suffix = "" if money else TIMES
        ax.xaxis.set_major_formatter(lambda value, _pos: f"{prefix}{compact(value)}{suffix}")
        style(ax, xlabel=str(xlabel), ylabel=_("films"))
        ax.set_title(_("Red: outliers beyond the dashed fences"), fontsize=9, color="#555")

    return draw


def _money_numbers(key: str, *, money: bool) -> Callable[[Data], Numbers]:
    def numbers(data: Data) -> Numbers:
        block = data["money"][key]
        prefix, suffix = ("$", "") if money else ("", TIMES)

        def show(value: float | None) -> str:
            return "—" if value is None else f"{prefix}{fmt(value, 0 if money else 2)}{suffix}"

        low, high = block["fences"]
        stats = [
            *stats_list(block["stats"], formatter=show),
            (_("Unknown (0)"), fmt(block["missing"])),
            (_("Lower fence"), show(low)),
            (_("Upper fence"), show(high)),
            (_("Outliers below"), fmt(block["outliers_low"])),
            (_("Outliers above"), fmt(block["outliers_high"])),
        ]
        bins = [
            [f"{prefix}{label}{suffix}", fmt(count)]
            for label, count in zip(bin_labels(block["edges"]), block["counts"], strict=True)
            if count
        ]

        def known_money(value: int) -> str:
            """TMDB writes 0 for an unknown budget or revenue, and then the return is unknown too."""
            return f"${fmt(value)}" if value else "—"

        outliers = [
            [
                item["title"],
                fmt_year(item["year"]),
                known_money(item["budget"]),
                known_money(item["revenue"]),
                f"{fmt(item['return_ratio'], 2)}{TIMES}" if item["budget"] and item["revenue"] else "—",
            ]
            for item in block["outliers"]
        ]
        listed = len(block["outliers"])
        total = block["outliers_low"] + block["outliers_high"]
        return Numbers(
            stats=stats,
            tables=[
                Table(_("Films per bin (non-empty bins)"), [_("Range"), _("Films")], bins),
                Table(
                    _("Outliers, most extreme first (%(listed)s of %(total)s)") % {"listed": listed, "total": total},
                    [_("Film"), _("Year"), _("Budget"), _("Revenue"), _("Return")],
                    outliers,
                ),
            ],
            notes=[
                _(
                    "Outlier rule: Tukey's far-out fences on the log10 scale, among films where the value is known "
                    "(> 0): below Q1 - 3 IQR or above Q3 + 3 IQR of log10(value)."
                )
            ],
        )

    return numbers


# --- Correlation ------------------------------------------------------------
def _correlation_labels() -> dict[str, str]:
    return {
        "release_year": _("release year"),
        "runtime": _("runtime"),
        "budget": _("budget"),
        "revenue": _("revenue"),
        "return_ratio": _("return"),
        "popularity": _("popularity"),
        "vote_average": _("vote average"),
        "vote_count": _("vote count"),
        "ratings_count": _("ratings here"),
        "ratings_average": _("average here"),
    }


def _draw_correlation(fig: Figure, data: Data) -> None:
    ax = fig.subplots()
    block = data["correlation"]
    if not data["completeness"]["films"]:
        no_data(ax)
        return
    labels = _correlation_labels()
    names = [labels[field] for field in block["fields"]]
    matrix = np.array([[np.nan if value is None else value for value in row] for row in block["matrix"]], dtype=float)
    image = ax.imshow(matrix, cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    for row in range(len(names)):
        for column in range(len(names)):
            value = matrix[row, column]
            if not np.isnan(value):
                ax.text(column, row, fmt(value, 2), ha="center", va="center", fontsize=6,
                        color="white" if abs(value) > 0.6 else "black")  # fmt: skip
    fig.colorbar(image, ax=ax, shrink=0.8, label=_("Spearman rank correlation"))


def _numbers_correlation(data: Data) -> Numbers:
    block = data["correlation"]
    labels = _correlation_labels()
    names = [labels[field] for field in block["fields"]]
    rows = [[name, *[fmt(value, 2) for value in row]] for name, row in zip(names, block["matrix"], strict=True)]
    known = [
        (_("Films with a known %(field)s") % {"field": labels[field]}, fmt(count))
        for field, count in block["known"].items()
    ]
    return Numbers(
        stats=known,
        tables=[Table(_("Spearman rank correlation"), ["", *names], rows)],
        notes=[
            _(
                "Rank correlation, pairwise over films where both values are known; zero runtime, budget, revenue, "
                "return and average here count as unknown, and so does the vote average of a film without votes."
            )
        ],
    )


# --- Categories -------------------------------------------------------------
def _as_stored(name: str) -> str:
    return name


def _top_draw(key: str, *, label: Callable[[str], str] = _as_stored) -> Callable[[Figure, Data], None]:
    """A bar per category; `label` names a stored value (a genre, a language code) in the reader's language."""

    def draw(fig: Figure, data: Data) -> None:
        ax = fig.subplots()
        block = data["categories"][key]
        pairs = block["top"] if isinstance(block, dict) else block
        if not pairs:
            no_data(ax)
            return
        labels = [label(name) for name, _count in pairs]
        counts = [count for _name, count in pairs]
        if isinstance(block, dict) and block["other"]:
            labels.append(_("other"))
            counts.append(block["other"])
        bars(ax, labels, counts, horizontal=True)
        style(ax, xlabel=_("films"))

    return draw


def _top_numbers(key: str, *, column: Promise, label: Callable[[str], str] = _as_stored) -> Callable[[Data], Numbers]:
    def numbers(data: Data) -> Numbers:
        block = data["categories"][key]
        pairs = block["top"] if isinstance(block, dict) else block
        rows = [[label(name), fmt(count)] for name, count in pairs]
        if isinstance(block, dict) and block["other"]:
            rows.append([_("other"), fmt(block["other"])])
        return Numbers(tables=[Table(_("Films per category"), [str(column), _("Films")], rows)])

    return numbers


def _draw_collections(fig: Figure, data: Data) -> None:
    ax = fig.subplots()
    sizes = data["categories"]["collection_sizes"]
    if not sizes:
        no_data(ax)
        return
    bars(ax, [str(size) for size, _count in sizes], [count for _size, count in sizes])
    style(ax, xlabel=_("films in the collection"), ylabel=_("collections"))


def _numbers_collections(data: Data) -> Numbers:
    block = data["categories"]
    return Numbers(
        tables=[
            Table(
                _("Collections by size"),
                [_("Films in the collection"), _("Collections")],
                [[fmt(size), fmt(count)] for size, count in block["collection_sizes"]],
            ),
            Table(
                _("Largest collections"),
                [_("Collection"), _("Films")],
                [[name, fmt(count)] for name, count in block["largest_collections"]],
            ),
        ]
    )


PANELS = [
    Panel("completeness", "catalog", gettext_lazy("Missing values per field"), _draw_completeness,
          _numbers_completeness, (8, 5.5)),
    Panel("streaming_matches", "catalog", gettext_lazy("Streaming titles matched to a film"),
          _draw_streaming_matches, _numbers_streaming_matches),
    Panel("release_year", "distributions", gettext_lazy("Release year"),
          _distribution_panel_draw("release_year", xlabel=gettext_lazy("release decade"), integer=True,
                                   label=fmt_year),
          _numbers_release_year),
    Panel("runtime", "distributions", gettext_lazy("Runtime"),
          _distribution_panel_draw("runtime", xlabel=gettext_lazy("minutes"), integer=True),
          _distribution_numbers("runtime", integer=True, missing_label=gettext_lazy("Unknown (missing or 0)"))),
    Panel("vote_average", "distributions", gettext_lazy("TMDB vote average"),
          _distribution_panel_draw("vote_average", xlabel=gettext_lazy("vote average (0 to 10)")),
          _distribution_numbers("vote_average", missing_label=gettext_lazy("Without votes"))),
    Panel("vote_count", "distributions", gettext_lazy("TMDB vote count (log scale)"), _draw_vote_count,
          _distribution_numbers("vote_count", integer=True, missing_label=gettext_lazy("Without votes"))),
    Panel("popularity", "distributions", gettext_lazy("Popularity"),
          _distribution_panel_draw("popularity", xlabel=gettext_lazy("TMDB popularity"), log_x=True),
          _distribution_numbers("popularity", missing_label=gettext_lazy("Missing"))),
    Panel("budget", "distributions", gettext_lazy("Budget"),
          _money_draw("budget", xlabel=gettext_lazy("budget (US$, log scale)"), money=True),
          _money_numbers("budget", money=True)),
    Panel("revenue", "distributions", gettext_lazy("Revenue"),
          _money_draw("revenue", xlabel=gettext_lazy("revenue (US$, log scale)"), money=True),
          _money_numbers("revenue", money=True)),
    Panel("return_ratio", "distributions", gettext_lazy("Return (revenue / budget)"),
          _money_draw("return_ratio", xlabel=gettext_lazy("return (log scale)"), money=False),
          _money_numbers("return_ratio", money=False)),
    Panel("correlation", "distributions", gettext_lazy("Correlation of the numeric fields"), _draw_correlation,
          _numbers_correlation, (8, 7)),
    Panel("genres", "categories", gettext_lazy("Films per genre"), _top_draw("genres", label=genre_label),
          _top_numbers("genres", column=gettext_lazy("Genre"), label=genre_label), (8, 5.5)),
    Panel("languages", "categories", gettext_lazy("Films per original language"),
          _top_draw("languages", label=language_label),
          _top_numbers("languages", column=gettext_lazy("Language"), label=language_label), (8, 5.5)),
    Panel("countries", "categories", gettext_lazy("Films per production country"), _top_draw("countries"),
          _top_numbers("countries", column=gettext_lazy("Country")), (8, 5.5)),
    Panel("collections", "categories", gettext_lazy("Collection size"), _draw_collections, _numbers_collections),
]  # fmt: skip
