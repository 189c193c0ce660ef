from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Profile
from accounts.services import user_deactivate, user_delete
from moviesite.admin_lists import deleted_objects_summarised
from ratings.models import Dismissal, Rating, WatchlistEntry


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "onboarded_at"]
    list_filter = ["language", "platforms"]
    search_fields = ["user__username", "user__email"]
    filter_horizontal = ["platforms"]
    raw_id_fields = ["user"]


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    filter_horizontal = ["platforms"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class SiteUserAdmin(UserAdmin):
    inlines = [ProfileInline]
    actions = ["deactivate_users"]

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        """A user's ratings, watchlist and dismissals as one count each: thousands of lines, a query each."""
        return deleted_objects_summarised(objs, request, self.admin_site, counted=[Rating, WatchlistEntry, Dismissal])

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        user_delete(user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        """Each through user_delete, so the films they rated have their figures refreshed within the minute."""
        for user in queryset:
            user_delete(user=user)

    @admin.action(description=_("Deactivate and end their sessions and API tokens"), permissions=["change"])
    def deactivate_users(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for user in queryset.exclude(pk=request.user.pk):
            user_deactivate(user=user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d account deactivated.", "%(count)d accounts deactivated.", count) % {"count": count},
            messages.SUCCESS,
        )
