"""Crew jobs as shown to people: TMDB's English job names, the common ones translated.

As with genres, the stored job stays what TMDB wrote (the API sends it as is);
only the label on a page is translated. Spanish names the function, not the
person ("Dirección", "Guion"), so a label needs no grammatical gender. A job
not listed here (TMDB has a long tail of rare ones) is shown as stored.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

CREW_JOB_LABELS: dict[str, Promise] = {
    "Art Direction": pgettext_lazy("crew job", "Art Direction"),
    "Associate Producer": pgettext_lazy("crew job", "Associate Producer"),
    "Author": pgettext_lazy("crew job", "Author"),
    "Book": pgettext_lazy("crew job", "Book"),
    "Casting": pgettext_lazy("crew job", "Casting"),
    "Characters": pgettext_lazy("crew job", "Characters"),
    "Co-Producer": pgettext_lazy("crew job", "Co-Producer"),
    "Costume Design": pgettext_lazy("crew job", "Costume Design"),
    "Director": pgettext_lazy("crew job", "Director"),
    "Director of Photography": pgettext_lazy("crew job", "Director of Photography"),
    "Editor": pgettext_lazy("crew job", "Editor"),
    "Executive Producer": pgettext_lazy("crew job", "Executive Producer"),
    "Makeup Artist": pgettext_lazy("crew job", "Makeup Artist"),
    "Music": pgettext_lazy("crew job", "Music"),
    "Novel": pgettext_lazy("crew job", "Novel"),
    "Original Music Composer": pgettext_lazy("crew job", "Original Music Composer"),
    "Producer": pgettext_lazy("crew job", "Producer"),
    "Production Design": pgettext_lazy("crew job", "Production Design"),
    "Screenplay": pgettext_lazy("crew job", "Screenplay"),
    "Set Decoration": pgettext_lazy("crew job", "Set Decoration"),
    "Sound Designer": pgettext_lazy("crew job", "Sound Designer"),
    "Story": pgettext_lazy("crew job", "Story"),
    "Teleplay": pgettext_lazy("crew job", "Teleplay"),
    "Theatre Play": pgettext_lazy("crew job", "Theatre Play"),
    "Visual Effects Supervisor": pgettext_lazy("crew job", "Visual Effects Supervisor"),
    "Writer": pgettext_lazy("crew job", "Writer"),
}


def crew_job_label(job: str) -> str:
    """The job's name in the active language ("Screenplay" -> "Guion" in Spanish), else as stored."""
    label = CREW_JOB_LABELS.get(job)
    return job if label is None else str(label)
