"""Panels about the streaming catalogs: kinds, age ratings, durations, years, overlap."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.insights.panels.base import (
    Data,
    Numbers,
    Panel,
    Table,
    bin_labels,
    fmt,
    grouped_bars,
    no_data,
    style,
)

if TYPE_CHECKING:  # matplotlib is imported only when a chart is drawn (panels.render_png)
    from matplotlib.figure import Figure


def _platform_names(data: Data) -> list[str]:
    block = data["streaming"]
    return [block["names"].get(slug, slug) for slug in block["platforms"]]


def _has_titles(data: Data) -> bool:
    return bool(data["streaming"].get("titles"))


def _draw_kinds(fig: Figure, data: Data) -> None:
    ax = fig.subplots()
    if not _has_titles(data):
        no_data(ax)
        return
    rows = data["streaming"]["by_kind"]
    grouped_bars(ax, _platform_names(data), {_("films"): [r[1] for r in rows], _("TV shows"): [r[2] for r in rows]},
                 stacked=True)  # fmt: skip
    style(ax, ylabel=_("titles"))


def _numbers_kinds(data: Data) -> Numbers:
    if not _has_titles(data):
        return Numbers()
    rows = [
        [name, fmt(movies), fmt(shows), fmt(movies + shows)]
        for name, (_slug, movies, shows) in zip(_platform_names(data), data["streaming"]["by_kind"], strict=True)
    ]
    return Numbers(
        tables=[Table(_("Titles per platform"), [_("Platform"), _("Films"), _("TV shows"), _("Total")], rows)]
    )


def _age_label(code: str) -> str:
    return {"": _("(none)"), "*": _("other")}.get(code, code)


def _draw_age(fig: Figure, data: Data) -> None:
    ax = fig.subplots()
    if not _has_titles(data):
        no_data(ax)
        return
    rows = data["streaming"]["age_ratings"]
    labels = [_age_label(row[0]) for row in rows]
    series = {name: [row[index + 1] for row in rows] for index, name in enumerate(_platform_names(data))}
    grouped_bars(ax, labels, series, stacked=True)
    style(ax, xlabel=_("age rating"), ylabel=_("titles"))


def _numbers_age(data: Data) -> Numbers:
    if not _has_titles(data):
        return Numbers()
    rows = [[_age_label(row[0]), *[fmt(value) for value in row[1:]]] for row in data["streaming"]["age_ratings"]]
    return Numbers(
        tables=[Table(_("Titles per age rating"), [_("Age rating"), *_platform_names(data)], rows)],
        notes=[_("The most frequent ratings are shown; the rest are counted under “other”.")],
    )


def _draw_duration(fig: Figure, data: Data) -> None:
    if not _has_titles(data):
        no_data(fig.subplots())
        return
    block = data["streaming"]["duration"]
    names = _platform_names(data)
    minutes_ax, seasons_ax = fig.subplots(1, 2)
    grouped_bars(minutes_ax, bin_labels(block["minute_edges"], integer=True),
                 {name: p["minute_counts"] for name, p in zip(names, block["platforms"], strict=True)})  # fmt: skip
    style(minutes_ax, title=_("in minutes"), xlabel=_("minutes"), ylabel=_("titles"))
    grouped_bars(seasons_ax, bin_labels(block["season_edges"], integer=True),
                 {name: p["season_counts"] for name, p in zip(names, block["platforms"], strict=True)})  # fmt: skip
    style(seasons_ax, title=_("in seasons"), xlabel=_("seasons"))


def _numbers_duration(data: Data) -> Numbers:
    if not _has_titles(data):
        return Numbers()
    block = data["streaming"]["duration"]
    names = _platform_names(data)
    summary = [
        [
            name,
            fmt(p["minutes"]["count"]),
            fmt(p["minutes"]["median"], 1),
            fmt(p["minutes"]["max"]),
            fmt(p["seasons"]["count"]),
            fmt(p["seasons"]["median"], 1),
            fmt(p["seasons"]["max"]),
        ]
        for name, p in zip(names, block["platforms"], strict=True)
    ]
    minute_rows = [
        [label, *[fmt(p["minute_counts"][index]) for p in block["platforms"]]]
        for index, label in enumerate(bin_labels(block["minute_edges"], integer=True))
    ]
    season_rows = [
        [label, *[fmt(p["season_counts"][index]) for p in block["platforms"]]]
        for index, label in enumerate(bin_labels(block["season_edges"], integer=True))
    ]
    return Numbers(
        stats=[(_("Titles without a duration"), fmt(block["unknown"]))],
        tables=[
            Table(
                _("Duration per platform"),
                [
                    _("Platform"),
                    _("Titles in minutes"),
                    _("Median minutes"),
                    _("Longest (minutes)"),
                    _("Titles in seasons"),
                    _("Median seasons"),
                    _("Most seasons"),
                ],
                summary,
            ),
            Table(_("Titles per length in minutes"), [_("Minutes"), *names], minute_rows),
            Table(_("Titles per number of seasons"), [_("Seasons"), *names], season_rows),
        ],
        notes=[
            _(
                "Titles are grouped by the unit of their duration, not by their type: some catalogs give a "
                "film's length in seasons."
            )
        ],
    )


def _year_table_draw(key: str, *, xlabel: Promise) -> Callable[[Figure, Data], None]:
    def draw(fig: Figure, data: Data) -> None:
        ax = fig.subplots()
        if not _has_titles(data):
            no_data(ax)
            return
        block = data["streaming"][key]
        rows = block["years"] if isinstance(block, dict) else block
        if not rows:
            no_data(ax)
            return
        positions = list(range(len(rows)))
        for index, name in enumerate(_platform_names(data)):
            ax.plot(positions, [row[index + 1] for row in rows], marker="o", label=name)
        ax.legend(fontsize=8, frameon=False)
        ax.set_xticks(positions, [str(row[0]) for row in rows], rotation=45 if len(rows) > 10 else 0, fontsize=8)
        style(ax, xlabel=str(xlabel), ylabel=_("titles"))

    return draw


def _numbers_year_added(data: Data) -> Numbers:
    if not _has_titles(data):
        return Numbers()
    block = data["streaming"]["year_added"]
    names = _platform_names(data)
    rows = [[str(row[0]), *[fmt(value) for value in row[1:]]] for row in block["years"]]
    rows.append([_("unknown"), *[fmt(value) for value in block["unknown"]]])
    return Numbers(tables=[Table(_("Titles added per year"), [_("Year added"), *names], rows)])


def _numbers_release_decades(data: Data) -> Numbers:
    if not _has_titles(data):
        return Numbers()
    rows = [[f"{row[0]}s", *[fmt(value) for value in row[1:]]] for row in data["streaming"]["release_decades"]]
    return Numbers(tables=[Table(_("Titles per release decade"), [_("Decade"), *_platform_names(data)], rows)])


def _draw_overlap(fig: Figure, data: Data) -> None:
    ax = fig.subplots()
    if not _has_titles(data):
        no_data(ax)
        return
    names = _platform_names(data)
    matrix = np.array(data["streaming"]["overlap"]["matrix"], dtype=float)
    ax.imshow(matrix, cmap="Blues", vmin=0, vmax=max(1.0, float(matrix.max(initial=0))))
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    top = matrix.max() if matrix.size else 0
    for row in range(len(names)):
        for column in range(len(names)):
            value = matrix[row, column]
            ax.text(column, row, fmt(value), ha="center", va="center", fontsize=9,
                    color="white" if value > top * 0.6 else "black")  # fmt: skip
    ax.set_title(_("Diagonal: distinct titles on the platform"), fontsize=9, color="#555")


def _numbers_overlap(data: Data) -> Numbers:
    if not _has_titles(data):
        return Numbers()
    block = data["streaming"]["overlap"]
    names = _platform_names(data)
    rows = [[name, *[fmt(value) for value in row]] for name, row in zip(names, block["matrix"], strict=True)]
    spread = [[fmt(platforms), fmt(titles)] for platforms, titles in block["by_platform_count"]]
    return Numbers(
        stats=[(_("Distinct titles"), fmt(block["distinct"]))],
        tables=[
            Table(_("Titles shared by two platforms"), ["", *names], rows),
            Table(_("Titles by number of platforms"), [_("Platforms"), _("Titles")], spread),
        ],
        notes=[
            _(
                "Two titles are the same when they are matched to the same film, otherwise when their normalised "
                "title and release year agree."
            )
        ],
    )


PANELS = [
    Panel("streaming_kinds", "streaming", gettext_lazy("Titles per platform by type"), _draw_kinds, _numbers_kinds),
    Panel("streaming_age_ratings", "streaming", gettext_lazy("Age ratings"), _draw_age, _numbers_age, (9, 4.5)),
    Panel("streaming_duration", "streaming", gettext_lazy("Duration"), _draw_duration, _numbers_duration, (10, 4)),
    Panel("streaming_year_added", "streaming", gettext_lazy("Year added to the platform"),
          _year_table_draw("year_added", xlabel=gettext_lazy("year added")), _numbers_year_added),
    Panel("streaming_release_decades", "streaming", gettext_lazy("Release decade of the titles"),
          _year_table_draw("release_decades", xlabel=gettext_lazy("release decade")), _numbers_release_decades),
    Panel("streaming_overlap", "streaming", gettext_lazy("Overlap between platforms"), _draw_overlap,
          _numbers_overlap, (6, 5)),
]  # fmt: skip
