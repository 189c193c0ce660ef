"""Compile the .po files of LOCALE_PATHS (locale/, locale_overrides/) into .mo files with polib.

Django's own compilemessages needs GNU gettext from the system; this needs
only what requirements.txt installs, so `make run` works on a bare machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the .po translation catalogs to .mo (no system gettext needed)."

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                catalog = polib.pofile(str(po_path))
                catalog.save_as_mofile(str(mo_path))
                compiled += 1
                self.stdout.write(f"compiled {po_path} ({catalog.percent_translated()}% translated)")
        self.stdout.write(self.style.SUCCESS(f"{compiled} catalog(s) compiled"))
