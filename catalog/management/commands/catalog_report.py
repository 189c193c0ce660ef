"""Write the insights report (catalog, ratings, streaming, imports, models) as one HTML file.

    python manage.py catalog_report --out report.html [--language es] [--cached]

By default the figures are recomputed first (which also refreshes /insights/);
`--cached` reuses the snapshot the page is showing, when there is one. The
file is self-contained: styles inline and every chart a data: URI, so it can
be mailed or archived and opened offline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.insights.report import ReportLanguageError, insights_report_html
from catalog.insights.selectors import insights_snapshot_current
from catalog.insights.services import insights_refresh


class Command(BaseCommand):
    help = "Compute the catalog insights and write them as one self-contained HTML file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="Where to write the HTML file.")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="Language of the labels and charts (default: %(default)s).",
        )
        parser.add_argument(
            "--cached",
            action="store_true",
            help="Reuse the current snapshot instead of recomputing (recomputes when there is none).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        if not out.parent.is_dir():
            raise CommandError(f"{out}: the directory {out.parent} does not exist")
        snapshot = insights_snapshot_current() if options["cached"] else None
        if snapshot is None:
            self.stdout.write("Computing the insights...")
            snapshot = insights_refresh(progress=lambda step: self.stdout.write(f"  {step} done"))
        else:
            self.stdout.write(f"Using snapshot {snapshot.id} ({snapshot.generated_at:%Y-%m-%d %H:%M} UTC)")
        try:
            html = insights_report_html(snapshot=snapshot, language=options["language"])
        except ReportLanguageError as exc:
            raise CommandError(f"{exc}; run without --cached to redraw them") from exc
        out.write_text(html, encoding="utf-8")
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {out} ({out.stat().st_size / 1024:.0f} KiB, {len(snapshot.chart_keys)} charts, "
                f"snapshot {snapshot.id}, computed in {snapshot.data['compute_seconds']:.1f}s, "
                f"drawn in {snapshot.data['charts']['render_seconds']:.1f}s)"
            )
        )
