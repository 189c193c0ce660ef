"""API authentication (expiring knox tokens) and the current user's profile."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in, user_logged_out
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_serializer
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import TokenAuthentication
from accounts.middleware import remember_language
from accounts.services import (
    TokenLimitError,
    api_token_create,
    profile_get_or_create,
    profile_update,
    user_delete,
    user_tokens_end,
)
from catalog.api.common import NOT_AUTHENTICATED, VALIDATION_ERROR_SCHEMA, ErrorSerializer, platform_slugs_known
from moviesite.throttling import ScopedRateThrottle


class NotFromAnotherSite(BasePermission):
    """Refuse a browser's request sent from another site's page, before anything reads or counts it.

    The login takes forms and has no session, so no CSRF check: a page elsewhere
    could make its visitors' browsers post wrong passwords for a username, which
    locked that username out from the visitor's own address (django-axes) and
    spent the address's login budget (shared with the site's and the admin's
    log-in forms). Browsers name the page's origin in `Origin` on such a POST;
    API clients send none. No other origin has a use for this endpoint: the site
    sends no CORS headers, so a page elsewhere could never read the token anyway.
    """

    message = gettext_lazy("A page on another site cannot log in here.")

    def has_permission(self, request: Request, view: Any) -> bool:
        origin = request.headers.get("Origin")
        return origin is None or origin == f"{request.scheme}://{request.get_host()}"


class LoginApi(APIView):
    """Exchange a username and password for an expiring token.

    Goes through django.contrib.auth.authenticate with the request, so failed
    attempts count towards the same lockout (django-axes) as the site login.
    """

    authentication_classes: list[type] = []
    # Permissions are checked before throttles: a refused request spends nothing.
    permission_classes = [NotFromAnotherSite]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema_serializer(component_name="LoginCredentials")
    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150)
        password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})

    @extend_schema_serializer(component_name="LoginToken")
    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
        expiry = serializers.DateTimeField(help_text="The token stops working after this moment unless used.")

    @extend_schema(
        operation_id="auth_login",
        summary="Log in and get an API token",
        description=(
            "Returns a token to send as `Authorization: Token <token>`. Tokens expire after the configured "
            "lifetime (API_TOKEN_TTL_HOURS, a week by default); each use extends it. After repeated failures the "
            "username is locked out from the caller's address (429)."
        ),
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(
                VALIDATION_ERROR_SCHEMA,
                description=(
                    "Missing fields (messages per field), or wrong username or password (`detail`: one message)."
                ),
                examples=[
                    OpenApiExample("Wrong password", value={"detail": "Wrong username or password."}),
                    OpenApiExample("Missing field", value={"password": ["This field is required."]}),
                ],
            ),
            403: OpenApiResponse(
                ErrorSerializer,
                description=(
                    "The user already holds the most API tokens allowed (20): end one or let it expire. Or a "
                    "browser sent the request from another site's page (its `Origin`)."
                ),
            ),
            415: OpenApiResponse(description="A body the server cannot read as JSON, a form or multipart data."),
            429: OpenApiResponse(description="Locked out after too many failures, or throttled."),
        },
        examples=[
            OpenApiExample(
                "Credentials", value={"username": "ana", "password": "a long passphrase"}, request_only=True
            ),
            OpenApiExample(
                "Token",
                value={"token": "3f1c9a…", "expiry": "2026-12-01T10:00:00Z"},
                response_only=True,
                status_codes=["200"],
            ),
        ],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        user = authenticate(
            request=request._request,
            username=payload.validated_data["username"],
            password=payload.validated_data["password"],
        )
        if user is None:
            # On lockout AxesMiddleware replaces this answer with the 429 from accounts.lockout.
            raise serializers.ValidationError({"detail": _("Wrong username or password.")})
        try:
            instance, token = api_token_create(user=user)
        except TokenLimitError as exc:
            message = _(
                "You have %(limit)d API tokens in use, the most allowed: end one with /api/v1/auth/logout/ "
                "or all of them with /api/v1/auth/logoutall/, or wait for one to expire."
            ) % {"limit": exc.limit}
            return Response({"detail": message}, status=status.HTTP_403_FORBIDDEN)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response(self.OutputSerializer({"token": token, "expiry": instance.expiry}).data)


class LogoutApi(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_logout",
        summary="End this token",
        description="The token used for this request stops working; other tokens of the user are untouched.",
        request=None,
        responses={204: OpenApiResponse(description="The token is ended."), 401: NOT_AUTHENTICATED},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        if isinstance(request.auth, AuthToken):
            request.auth.delete()
        user_logged_out.send(sender=request.user.__class__, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllApi(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_logoutall",
        summary="End every token of the user",
        description="All API tokens of the calling user stop working (browser sessions are not affected).",
        request=None,
        responses={204: OpenApiResponse(description="All tokens are ended."), 401: NOT_AUTHENTICATED},
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        user_tokens_end(user=request.user)  # type: ignore[arg-type]
        user_logged_out.send(sender=request.user.__class__, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


MAX_PLATFORMS = 50


class ProfileApi(APIView):
    """The caller's own profile; the user is always the authenticated one, never taken from input."""

    permission_classes = [IsAuthenticated]

    @extend_schema_serializer(component_name="MyProfileUpdate")
    class InputSerializer(serializers.Serializer):
        language = serializers.ChoiceField(choices=[code for code, _name in settings.LANGUAGES], required=False)
        # Bounded: a 2 MB body of 200,000 slugs took over a second to validate, and echoed every unknown one.
        platforms = serializers.ListField(
            child=serializers.SlugField(max_length=50),
            required=False,
            max_length=MAX_PLATFORMS,
            help_text="Platform slugs, e.g. netflix, hulu.",
        )

        def validate_platforms(self, slugs: list[str]) -> list[str]:
            return platform_slugs_known(slugs)

    @extend_schema_serializer(component_name="MyProfile")
    class OutputSerializer(serializers.Serializer):
        username = serializers.CharField()
        email = serializers.EmailField()
        language = serializers.CharField()
        platforms = serializers.ListField(child=serializers.SlugField())

    def _output(self, request: Request) -> dict[str, Any]:
        user_profile = profile_get_or_create(user=request.user)  # type: ignore[arg-type]
        return self.OutputSerializer(
            {
                "username": request.user.get_username(),
                "email": getattr(request.user, "email", ""),
                "language": user_profile.language,
                "platforms": sorted(user_profile.platforms.values_list("slug", flat=True)),
            }
        ).data

    @extend_schema(
        operation_id="me_profile_retrieve",
        summary="Your profile",
        description="Language and the streaming platforms you subscribe to.",
        responses={200: OutputSerializer, 401: NOT_AUTHENTICATED},
        examples=[
            OpenApiExample(
                "Profile",
                value={"username": "ana", "email": "ana@example.com", "language": "es", "platforms": ["netflix"]},
                response_only=True,
            )
        ],
        tags=["me"],
    )
    def get(self, request: Request) -> Response:
        return Response(self._output(request))

    @extend_schema(
        operation_id="me_profile_update",
        summary="Change your language or platforms",
        description=(
            "Send only what changes. `platforms` replaces the whole set. Fields other than `language` and "
            "`platforms` (such as `user` or `is_staff`) are ignored."
        ),
        request=InputSerializer,
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(description="Unknown language or platform."),
            401: NOT_AUTHENTICATED,
            403: OpenApiResponse(description="A session write without the CSRF token."),
        },
        examples=[
            OpenApiExample("Change", value={"language": "es", "platforms": ["netflix", "hulu"]}, request_only=True)
        ],
        tags=["me"],
    )
    def patch(self, request: Request) -> Response:
        payload = self.InputSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        user_profile = profile_get_or_create(user=request.user)  # type: ignore[arg-type]
        language = payload.validated_data.get("language")
        profile_update(profile=user_profile, language=language, platform_slugs=payload.validated_data.get("platforms"))
        response = Response(self._output(request))
        # A browser's session takes the new language at once, as the site's profile page does;
        # a token client has no session or language cookie to change.
        if language and isinstance(request.successful_authenticator, SessionAuthentication):
            remember_language(request._request, response, language)
        return response


class AccountDeleteApi(APIView):
    """Delete the caller's own account; the password is asked again, and limited like a login.

    A POST, not a DELETE on the account: OpenAPI 3.0 gives a DELETE no body to document, and
    proxies may drop one, while the password must be sent.
    """

    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    @extend_schema_serializer(component_name="AccountDeletion")
    class InputSerializer(serializers.Serializer):
        password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})

        def validate_password(self, password: str) -> str:
            if not self.context["user"].check_password(password):
                raise serializers.ValidationError(_("That is not your password."))
            return password

    @extend_schema(
        operation_id="me_account_delete",
        summary="Delete your account",
        description=(
            "Deletes the account for good with its ratings, watchlist, dismissals, every API token (this one "
            "included) and every browser session. The body repeats the account's password. To keep your ratings, "
            "read them first from `GET /api/v1/me/ratings/`."
        ),
        request=InputSerializer,
        responses={
            204: OpenApiResponse(description="The account is deleted."),
            400: OpenApiResponse(
                VALIDATION_ERROR_SCHEMA,
                description="No password, or not the account's password.",
                examples=[OpenApiExample("Wrong password", value={"password": ["That is not your password."]})],
            ),
            401: NOT_AUTHENTICATED,
            403: OpenApiResponse(description="A session write without the CSRF token."),
            429: OpenApiResponse(description="Too many attempts from this address (the login's limit)."),
        },
        examples=[OpenApiExample("Password", value={"password": "a long passphrase"}, request_only=True)],
        tags=["me"],
    )
    def post(self, request: Request) -> Response:
        self.InputSerializer(data=request.data, context={"user": request.user}).is_valid(raise_exception=True)
        user_delete(user=request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)
