"""What a panel is (one chart plus the numbers drawn in it) and shared helpers.

A panel knows how to draw itself on a matplotlib Figure and how to list its
numbers as tables, both from the snapshot's language-neutral data; both run
under the reader's language (translation.override), so labels come out in
English or Spanish.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _

if TYPE_CHECKING:  # matplotlib is imported only when a chart is drawn (panels.render_png)
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


Data = dict[str, Any]
Cell = str | int | float | None

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]
OUTLIER_COLOUR = "#d62728"
NORMAL_COLOUR = "#1f77b4"
# Typography kept out of the source as escapes (ruff flags look-alike characters).
TIMES = "\u00d7"


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]


@dataclass
class Numbers:
    """What a screen reader (and a test) reads next to the chart."""

    stats: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Panel:
    key: str
    section: str
    title: Promise
    draw: Callable[[Figure, Data], None]
    numbers: Callable[[Data], Numbers]
    size: tuple[float, float] = (8.0, 4.0)


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    intro: Promise | None = None


# --- Formatting -------------------------------------------------------------
def fmt(value: Cell, decimals: int | None = None, *, grouped: bool = True) -> str:
    """A number in the active language's format, '—' for missing.

    Digits are grouped as the language groups them (14,075; 14 075 in Spanish), as the
    site's counts are (`count_label`): a bare 14075 reads as a code. Years are not (`fmt_year`).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, str):
        return value
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
    if decimals == 0:
        return number_format(round(float(value)), force_grouping=grouped)
    return number_format(round(float(value), decimals), decimals, force_grouping=grouped)


def fmt_year(value: Cell, decimals: int | None = None) -> str:
    """A year, or a statistic of years, written as years are: 1986, never 1,986."""
    return fmt(value, decimals, grouped=False)


def fmt_share(value: float | None) -> str:
    return "—" if value is None else f"{fmt(value * 100, 1)} %"


def compact(value: float | None) -> str:
    """1500 → 1.5k, 2500000 → 2.5M: axis ticks and bin labels of skewed values."""
    if value is None:
        return "∞"
    for threshold, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= threshold:
            scaled = value / threshold
            return fmt(scaled, 0 if scaled >= 10 or scaled.is_integer() else 1) + suffix
    if value and abs(value) < 1:
        return fmt(value, max(2, -math.floor(math.log10(abs(value)))))
    return fmt(value, 0 if float(value).is_integer() else 1)


def bin_labels(
    edges: Sequence[float | None], *, integer: bool = False, label: Callable[..., str] | None = None
) -> list[str]:
    """'10-20' (an en dash) for [10, 20); '>= 240' for an open last bin; '5' for a one-integer bin.

    Integer bins (years, minutes, counts) are written in full; others compactly (1.5k, 2M).
    """
    label = label or (fmt if integer else compact)
    labels = []
    for low, high in itertools.pairwise(edges):
        assert low is not None  # only the last edge is open
        if high is None:
            labels.append(f"≥ {label(low)}")
        elif integer and high - low == 1:
            labels.append(label(low))
        elif integer:
            labels.append(f"{label(low)}\u2013{label(high - 1)}")
        else:
            labels.append(f"{label(low)}\u2013{label(high)}")
    return labels


def stats_list(stats: dict[str, Any], *, formatter: Callable[[Any], str] | None = None) -> list[tuple[str, str]]:
    # Whole numbers stay whole (a median year of 1986, not 1986.00).
    show = formatter or fmt
    names = [
        ("count", _("Known values")),
        ("min", _("Minimum")),
        ("q1", _("First quartile")),
        ("median", _("Median")),
        ("q3", _("Third quartile")),
        ("max", _("Maximum")),
        ("mean", _("Mean")),
    ]
    return [(label, fmt(stats.get(key)) if key == "count" else show(stats.get(key))) for key, label in names]


# --- Drawing ----------------------------------------------------------------
def no_data(ax: Axes) -> None:
    ax.text(0.5, 0.5, _("No data yet"), ha="center", va="center", transform=ax.transAxes, fontsize=14, color="#777")
    ax.set_axis_off()


def log_scale(ax: Axes, axis: str, *, symmetric: bool = True, label: Callable[[float], str] = compact) -> None:
    """A log scale on `axis` ("x" or "y"; symlog, which allows zero, unless not `symmetric`), labelled in plain text.

    matplotlib labels log ticks in TeX (`$\\mathdefault{10^{3}}$`), and charts are drawn
    with math off (render_png: names from the data may hold `$`), which would show that
    TeX as written. The labels are compact numbers instead (1k, 10k, 1M), the minor ticks
    unlabelled.
    """
    from matplotlib.ticker import FuncFormatter, NullFormatter

    scale = "symlog" if symmetric else "log"
    if axis == "x":
        ax.set_xscale(scale)
    else:
        ax.set_yscale(scale)
    scaled = ax.xaxis if axis == "x" else ax.yaxis
    scaled.set_major_formatter(FuncFormatter(lambda value, _pos: label(value)))
    scaled.set_minor_formatter(NullFormatter())


def style(ax: Axes, *, title: str | None = None, xlabel: str | None = None, ylabel: str | None = None) -> None:
    if title:
        ax.set_title(title, fontsize=11)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", alpha=0.3)


def bars(ax: Axes, labels: Sequence[str], counts: Sequence[float], *, colours: Sequence[str] | None = None,
         horizontal: bool = False) -> None:  # fmt: skip
    positions = range(len(labels))
    if horizontal:
        ax.barh(list(positions), counts, color=colours or NORMAL_COLOUR)
        ax.set_yticks(list(positions), labels, fontsize=8)
        ax.invert_yaxis()
        ax.grid(axis="x", alpha=0.3)
    else:
        ax.bar(list(positions), counts, color=colours or NORMAL_COLOUR)
        ax.set_xticks(
            list(positions),
            labels,
            rotation=45 if len(labels) > 8 else 0,
            ha="right" if len(labels) > 8 else "center",
            fontsize=8,
        )


def grouped_bars(
    ax: Axes, labels: Sequence[str], series: Mapping[str, Sequence[float]], *, stacked: bool = False
) -> None:
    positions = list(range(len(labels)))
    width = 0.8 if stacked else 0.8 / max(1, len(series))
    bottom = [0.0] * len(labels)
    for index, (name, values) in enumerate(series.items()):
        if stacked:
            ax.bar(positions, values, width, bottom=bottom, label=name, color=PALETTE[index % len(PALETTE)])
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        else:
            offset = (index - (len(series) - 1) / 2) * width
            ax.bar([p + offset for p in positions], values, width, label=name, color=PALETTE[index % len(PALETTE)])
    ax.set_xticks(
        positions,
        labels,
        rotation=45 if len(labels) > 8 else 0,
        ha="right" if len(labels) > 8 else "center",
        fontsize=8,
    )
    ax.legend(fontsize=8, framealpha=0.85)
