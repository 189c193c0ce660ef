"""Account forms: they validate input and hand it to accounts.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UsernameField
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.selectors import user_language
from catalog.languages import language_own_name
from catalog.models import Platform


class LoginForm(AuthenticationForm):
    """Django's login form, whose fields point at its one error ("Please enter a correct username and password").

    That error belongs to no field, so Django ties it to neither: a screen
    reader landing back on the username field heard nothing of it.
    """

    error_id = "login-error"

    def full_clean(self) -> None:
        super().full_clean()
        if self.non_field_errors():
            for field in self.fields.values():
                field.widget.attrs.update({"aria-invalid": "true", "aria-describedby": self.error_id})


class LocalizedPasswordResetForm(PasswordResetForm):
    """Django's reset form, writing each message in its recipient's language.

    Django writes it in the language of whoever asked, so a Spanish user asking
    from a browser in English (a new phone, a library computer) got the mail in English.
    """

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        language = user_language(user=context["user"]) or translation.get_language()
        with translation.override(language):
            super().send_mail(
                subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name
            )


class SignupForm(forms.Form):
    """Whether the email address has an account is not the form's to say (accounts.services.user_signup)."""

    username = UsernameField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        username_validator = get_user_model().username_validator  # type: ignore[attr-defined]
        username_validator(username)
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken."), code="username_taken")
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", ValidationError(_("The two passwords differ."), code="password_mismatch"))
        elif password1:
            user = get_user_model()(username=cleaned.get("username", ""), email=cleaned.get("email", ""))
            try:
                password_validation.validate_password(password1, user=user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class AccountDeleteForm(forms.Form):
    """The account's own password, asked again: a session left open must not be enough to delete everything."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That is not your password."), code="password_incorrect")
        return password


class ProfileForm(forms.Form):
    # Each language in its own name ("English", "Español"): a reader of either finds theirs.
    language = forms.ChoiceField(
        label=_("Language"), choices=[(code, capfirst(language_own_name(code))) for code, _name in settings.LANGUAGES]
    )
    platforms = forms.ModelMultipleChoiceField(
        label=_("Streaming platforms you subscribe to"),
        queryset=Platform.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
