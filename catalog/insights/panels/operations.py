"""Panels about how the data got here and what was trained on it: imports, models."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.insights.panels.base import (
    PALETTE,
    Data,
    Numbers,
    Panel,
    Table,
    bars,
    fmt,
    grouped_bars,
    log_scale,
    no_data,
    style,
)

if TYPE_CHECKING:  # matplotlib is imported only when a chart is drawn (panels.render_png)
    from matplotlib.figure import Figure


# Metrics drawn over time, when a version or evaluation has them; the rest stay in the tables.
PREFERRED_METRICS = (
    "holdout_rmse",
    "rmse",
    "holdout_mae",
    "mae",
    "ndcg@10",
    "precision@10",
    "recall@10",
    "hit_rate@10",
    "coverage",
)
MAX_METRIC_PANELS = 4


def _when(iso: str | None) -> str:
    return "—" if not iso else date_format(datetime.fromisoformat(iso), "SHORT_DATETIME_FORMAT")


def _draw_import_runs(fig: Figure, data: Data) -> None:
    ax = fig.subplots()
    runs = data["imports"]["runs"]
    if not runs:
        no_data(ax)
        return
    series = {
        _("inserted"): [run["rows_inserted"] for run in runs],
        _("updated"): [run["rows_updated"] for run in runs],
        _("unchanged"): [run["rows_unchanged"] for run in runs],
        _("rejected"): [run["rows_rejected"] for run in runs],
    }
    grouped_bars(ax, [f"#{run['id']}" for run in runs], series, stacked=True)
    log_scale(ax, "y")
    style(ax, xlabel=_("import run"), ylabel=_("rows (symmetric log scale)"))


def _numbers_import_runs(data: Data) -> Numbers:
    block = data["imports"]
    rows = [
        [
            f"#{run['id']}",
            _when(run["started_at"]),
            run["status"],
            fmt(run["rows_read"]),
            fmt(run["rows_inserted"]),
            fmt(run["rows_updated"]),
            fmt(run["rows_unchanged"]),
            fmt(run["rows_rejected"]),
            fmt(run["duration_seconds"], 1),
        ]
        for run in reversed(block["runs"])
    ]
    return Numbers(
        stats=[(_("Import runs"), fmt(block["total_runs"]))],
        tables=[
            Table(
                _("Recent import runs, newest first"),
                [
                    _("Run"),
                    _("Started"),
                    _("Status"),
                    _("Read"),
                    _("Inserted"),
                    _("Updated"),
                    _("Unchanged"),
                    _("Rejected"),
                    _("Seconds"),
                ],
                rows,
            )
        ],
    )


def _draw_rejects(fig: Figure, data: Data) -> None:
    ax = fig.subplots()
    reasons = data["imports"]["rejects_by_reason"][:20]
    if not reasons:
        no_data(ax)
        return
    bars(ax, [reason[:60] for reason, _count in reasons], [count for _reason, count in reasons], horizontal=True)
    log_scale(ax, "x")
    style(ax, xlabel=_("rejected rows, all runs"))


def _numbers_rejects(data: Data) -> Numbers:
    rows = [[reason, fmt(count)] for reason, count in data["imports"]["rejects_by_reason"]]
    return Numbers(tables=[Table(_("Rejected rows by reason, all runs"), [_("Reason"), _("Rows")], rows)])


# Figures stored beside the metrics (sizes, timings, ids) are not drawn.
METRIC_WORDS = ("rmse", "mae", "ndcg", "precision", "recall", "hit", "coverage", "map", "auc", "mrr")


def _metric_names(entries: list[dict[str, float]]) -> list[str]:
    present = {name for entry in entries for name in entry if any(word in name.lower() for word in METRIC_WORDS)}
    preferred = [name for name in PREFERRED_METRICS if name in present]
    others = sorted(present - set(preferred))
    return (preferred + others)[:MAX_METRIC_PANELS]


def _draw_model_versions(fig: Figure, data: Data) -> None:
    versions = data["recommender"]["versions"]
    names = _metric_names([version["metrics"] for version in versions])
    if not names:
        no_data(fig.subplots())
        return
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    kinds = sorted({version["kind"] for version in versions})
    # Versions in training order, one tick each: dates of a few retrains bunch up on a time axis.
    position = {version["id"]: index for index, version in enumerate(versions)}
    for ax, metric in zip(axes, names, strict=True):
        for index, kind in enumerate(kinds):
            points = [v for v in versions if v["kind"] == kind and metric in v["metrics"]]
            if not points:
                continue
            xs = [position[v["id"]] for v in points]
            ax.plot(xs, [v["metrics"][metric] for v in points], marker="o", color=PALETTE[index % len(PALETTE)],
                    label=kind)  # fmt: skip
            active = [v for v in points if v["status"] == "active"]
            ax.scatter([position[v["id"]] for v in active], [v["metrics"][metric] for v in active], s=120,
                       facecolors="none", edgecolors="black", zorder=3)  # fmt: skip
        shown = [v for v in versions if metric in v["metrics"]]
        ax.set_xticks([position[v["id"]] for v in shown], [f"v{v['id']}" for v in shown], fontsize=7)
        style(ax, title=metric, xlabel=_("version"))
    axes[0].legend(fontsize=7, frameon=False)
    fig.suptitle(_("Circled: the active version"), fontsize=9, color="#555")


def _numbers_model_versions(data: Data) -> Numbers:
    block = data["recommender"]
    versions = block["versions"]
    names = sorted({name for version in versions for name in version["metrics"]})
    rows = [
        [
            f"v{version['id']}",
            version["kind"],
            version["status"],
            _when(version["created_at"]),
            _when(version["activated_at"]),
            fmt(version["data_size"].get("n_ratings")),
            *[fmt(version["metrics"].get(name), 4) if name in version["metrics"] else "—" for name in names],
        ]
        for version in reversed(versions)
    ]
    return Numbers(
        stats=[(_("Active versions"), ", ".join(f"v{pk}" for pk in block["active"]) or "—")],
        tables=[
            Table(
                _("Model versions, newest first"),
                [_("Version"), _("Kind"), _("Status"), _("Trained"), _("Activated"), _("Ratings"), *names],
                rows,
            )
        ],
    )


def _draw_evaluations(fig: Figure, data: Data) -> None:
    evaluations = data["recommender"]["evaluations"]
    names = _metric_names([metrics for run in evaluations for metrics in run["results"].values()])
    if not names:
        no_data(fig.subplots())
        return
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    recommenders = sorted({name for run in evaluations for name in run["results"]})
    positions = list(range(len(evaluations)))
    ticks = [f"#{run['id']}\n{_when(run['created_at'])}" for run in evaluations]
    for ax, metric in zip(axes, names, strict=True):
        for index, recommender in enumerate(recommenders):
            points = [
                (position, run["results"][recommender][metric])
                for position, run in zip(positions, evaluations, strict=True)
                if metric in run["results"].get(recommender, {})
            ]
            if points:
                ax.plot([p[0] for p in points], [p[1] for p in points], marker="o",
                        color=PALETTE[index % len(PALETTE)], label=recommender)  # fmt: skip
        ax.set_xticks(positions, ticks, fontsize=6)
        ax.set_xlim(-0.5, len(positions) - 0.5)
        style(ax, title=metric)
    axes[0].legend(fontsize=7, frameon=False)


def _numbers_evaluations(data: Data) -> Numbers:
    evaluations = data["recommender"]["evaluations"]
    names = sorted({name for run in evaluations for metrics in run["results"].values() for name in metrics})
    rows = [
        [f"#{run['id']}", _when(run["created_at"]), recommender, *[fmt(metrics.get(name), 4) for name in names]]
        for run in reversed(evaluations)
        for recommender, metrics in sorted(run["results"].items())
    ]
    return Numbers(
        tables=[Table(_("Offline evaluations, newest first"), [_("Run"), _("Date"), _("Recommender"), *names], rows)]
    )


PANELS = [
    Panel("import_runs", "imports", gettext_lazy("Rows per import run"), _draw_import_runs, _numbers_import_runs),
    Panel("import_rejects", "imports", gettext_lazy("Rejected rows by reason"), _draw_rejects, _numbers_rejects,
          (8, 4.5)),
    Panel("model_versions", "recommender", gettext_lazy("Model versions and their metrics over time"),
          _draw_model_versions, _numbers_model_versions, (10, 3.8)),
    Panel("evaluations", "recommender", gettext_lazy("Offline evaluation over time"), _draw_evaluations,
          _numbers_evaluations, (10, 3.8)),
]  # fmt: skip
