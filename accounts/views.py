"""Account pages: sign up, log in, profile. Password change/reset are Django's views with our templates."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from accounts.forms import AccountDeleteForm, LoginForm, ProfileForm, SignupForm
from accounts.middleware import SESSION_LANGUAGE_KEY, remember_language
from accounts.services import (
    password_reset_request,
    profile_get_or_create,
    profile_update,
    user_delete,
    user_signup,
)
from ratings.selectors import user_rating_count


class SiteLoginView(LoginView):
    """Django's login (with its `next` validation) that also restores the user's language."""

    redirect_authenticated_user = True
    authentication_form = LoginForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        # An account made in the admin or the shell has no profile yet: it keeps the language being read.
        profile = profile_get_or_create(user=self.request.user, language=translation.get_language())  # type: ignore[arg-type]
        remember_language(self.request, response, profile.language)
        return response


class QueuedPasswordResetView(PasswordResetView):
    """Django's reset form and pages; a task decides on and sends the mail (services.password_reset_request)."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        password_reset_request(
            email=form.cleaned_data["email"],
            language=translation.get_language() or settings.LANGUAGE_CODE,
            domain=self.request.get_host(),
            use_https=self.request.is_secure(),
        )
        return HttpResponseRedirect(self.get_success_url())


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        language = translation.get_language() or settings.LANGUAGE_CODE
        language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        try:
            user = user_signup(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                language=language,
                login_url=request.build_absolute_uri(reverse("login")),
                password_reset_url=request.build_absolute_uri(reverse("password_reset")),
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            if user is None:
                return redirect("signup-address-taken")
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            response = redirect("onboarding")
            remember_language(request, response, language)
            messages.success(
                request,
                _("Welcome, %(username)s! Rate a few films to get recommendations.")
                % {"username": user.get_username()},
            )
            return response
    return render(request, "accounts/signup.html", {"form": form})


@require_http_methods(["GET"])
def signup_address_taken(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_address_taken.html")


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user_profile = profile_get_or_create(user=request.user)  # type: ignore[arg-type]
    initial = {"language": user_profile.language, "platforms": list(user_profile.platforms.all())}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(
                profile=user_profile,
                language=form.cleaned_data["language"],
                platform_slugs=[platform.slug for platform in form.cleaned_data["platforms"]],
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            response = HttpResponseRedirect(request.path)
            remember_language(request, response, user_profile.language)
            messages.success(request, _("Your profile is saved."))
            return response
    return render(request, "accounts/profile.html", {"form": form, "profile": user_profile})


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete one's own account, and everything it holds, after typing its password again."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        rated = user_delete(user=request.user)  # type: ignore[arg-type]
        logout(request)
        messages.success(
            request,
            ngettext(
                "Your account is deleted, with its %(count)d rating.",
                "Your account is deleted, with its %(count)d ratings.",
                rated,
            )
            % {"count": rated},
        )
        return redirect("home")
    ratings_count = user_rating_count(user=request.user)  # type: ignore[arg-type]
    return render(request, "accounts/account_delete.html", {"form": form, "ratings_count": ratings_count})


def _attach_errors(form: SignupForm | ProfileForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (cookie, validated `next`), plus the signed-in user's profile and session.

    Without this, the session language the middleware applies would win over
    the header's language switch for signed-in users.
    """
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        profile_update(profile=profile_get_or_create(user=request.user), language=language)  # type: ignore[arg-type]
        request.session[SESSION_LANGUAGE_KEY] = language
    return response
