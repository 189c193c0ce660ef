"""`make run`'s server: Django's development server, plus beat's schedule in a thread in the embedded mode.

See moviesite.embedded_beat for why. With the autoreloader on, runserver
re-executes this command in a child process that does the serving (and is
restarted on each code change); beat starts there, so there is one beat and it
sees the current code. In the services mode beat is its own process (the
Procfile's), so none is started here.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

from moviesite.celery import app
from moviesite.embedded_beat import embedded_beat_start


class Command(BaseCommand):
    help = "Run the development server; in the embedded mode also beat's schedule (CELERY_BEAT_SCHEDULE), in a thread."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", help="as runserver's: [address:]port (default 127.0.0.1:8000)")
        parser.add_argument("--noreload", action="store_true", help="as runserver's: no autoreloader")

    def handle(self, *args: Any, **options: Any) -> None:
        serving_here = options["noreload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        if serving_here:
            self._beat_start()
        runserver_options: dict[str, Any] = {"use_reloader": not options["noreload"]}
        if options["addrport"]:
            runserver_options["addrport"] = options["addrport"]
        call_command("runserver", **runserver_options)

    def _beat_start(self) -> None:
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            self.stdout.write("Beat: not started here (tasks go to the broker; beat is its own process: make serve).")
            return
        # Two lines a minute for the outbox and rating-figures checks would bury the request log;
        # the tasks' own loggers still say what they did (a retrain, a rebuild).
        for name in ("celery.beat", "celery.app.trace"):
            logging.getLogger(name).setLevel(logging.WARNING)
        embedded_beat_start(app, schedule_filename=settings.VAR_DIR / "celerybeat-schedule-embedded")
        names = ", ".join(sorted(settings.CELERY_BEAT_SCHEDULE))
        self.stdout.write(f"Beat: running its schedule in this process ({names}).")
