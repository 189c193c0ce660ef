from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.middleware import SESSION_LANGUAGE_KEY
from moviesite.throttling import ScopedRateThrottle
from tests.factories import DEFAULT_PASSWORD, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/login/"
PROFILE = "/api/v1/me/profile/"


def _token_for(api: APIClient, username: str, password: str = DEFAULT_PASSWORD, ip: str = "127.0.0.1") -> str:
    response = api.post(LOGIN, {"username": username, "password": password}, format="json", REMOTE_ADDR=ip)
    assert response.status_code == 200, response.content
    return str(response.json()["token"])


def _authed(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def test_login_returns_a_token_that_expires_after_the_configured_lifetime() -> None:
    user = UserFactory()
    before = timezone.now()

    response = APIClient().post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD}, format="json")

    assert response.status_code == 200
    body = response.json()
    expiry = timezone.datetime.fromisoformat(body["expiry"].replace("Z", "+00:00"))
    assert before + settings.REST_KNOX["TOKEN_TTL"] - timedelta(minutes=1) < expiry
    assert expiry < timezone.now() + settings.REST_KNOX["TOKEN_TTL"] + timedelta(minutes=1)
    assert _authed(body["token"]).get(PROFILE).status_code == 200


def test_a_wrong_password_gets_400_and_no_token() -> None:
    user = UserFactory()

    response = APIClient().post(LOGIN, {"username": user.username, "password": "wrong"}, format="json")

    assert response.status_code == 400
    # One message as a string, as `detail` is everywhere else in the API.
    assert response.json() == {"detail": "Wrong username or password."}
    assert AuthToken.objects.count() == 0


def test_missing_fields_get_400_naming_them() -> None:
    response = APIClient().post(LOGIN, {"username": "someone"}, format="json")

    assert response.status_code == 400
    assert "password" in response.json()


def test_an_expired_token_is_refused() -> None:
    user = UserFactory()
    token = _token_for(APIClient(), user.username)
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - timedelta(seconds=1))

    assert _authed(token).get(PROFILE).status_code == 401


def test_logout_ends_only_the_token_used() -> None:
    user = UserFactory()
    first, second = _token_for(APIClient(), user.username), _token_for(APIClient(), user.username)

    assert _authed(first).post("/api/v1/auth/logout/").status_code == 204

    assert _authed(first).get(PROFILE).status_code == 401
    assert _authed(second).get(PROFILE).status_code == 200


def test_logoutall_ends_every_token_of_the_user() -> None:
    user = UserFactory()
    first, second = _token_for(APIClient(), user.username), _token_for(APIClient(), user.username)

    assert _authed(first).post("/api/v1/auth/logoutall/").status_code == 204

    assert _authed(first).get(PROFILE).status_code == 401
    assert _authed(second).get(PROFILE).status_code == 401


def test_api_login_failures_lock_out_like_the_site() -> None:
    user = UserFactory()
    api = APIClient()
    for n in range(5):
        api.post(LOGIN, {"username": user.username, "password": f"wrong{n}"}, format="json", REMOTE_ADDR="203.0.113.9")

    locked = api.post(
        LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD}, format="json", REMOTE_ADDR="203.0.113.9"
    )
    elsewhere = api.post(
        LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD}, format="json", REMOTE_ADDR="198.51.100.1"
    )

    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    assert "token" not in locked.json()
    assert elsewhere.status_code == 200


def test_logout_without_a_token_is_401() -> None:
    assert APIClient().post("/api/v1/auth/logout/").status_code == 401


def test_the_login_endpoint_is_throttled_under_its_own_scope(monkeypatch: pytest.MonkeyPatch) -> None:
    # DRF reads the rates once at import; the suite's settings raise them for every other test.
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"login": "3/minute"})
    monkeypatch.setattr(ScopedRateThrottle, "timer", lambda self: 1_800_000_030.0)  # mid-window: no rollover
    cache.clear()
    api = APIClient()

    statuses = [
        api.post(LOGIN, {"username": "nobody", "password": "x"}, format="json", REMOTE_ADDR="192.0.2.50").status_code
        for _ in range(4)
    ]
    cache.clear()

    assert statuses == [400, 400, 400, 429]


def test_an_api_call_leaves_the_caller_s_other_expired_tokens_to_the_hourly_task() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.tasks import expired_tokens_delete_task

    user = UserFactory()
    token = _token_for(APIClient(), user.username)
    for _ in range(2):
        _token_for(APIClient(), user.username)
    AuthToken.objects.filter(user=user).exclude(token_key=token[:15]).update(expiry=timezone.now() - timedelta(days=1))
    client = _authed(token)

    with CaptureQueriesContext(connection) as captured:
        assert client.get(PROFILE).status_code == 200
    assert not any("DELETE" in query["sql"] for query in captured.captured_queries)
    assert AuthToken.objects.filter(user=user).count() == 3

    assert expired_tokens_delete_task() == 2
    assert list(AuthToken.objects.filter(user=user).values_list("token_key", flat=True)) == [token[:15]]
    assert client.get(PROFILE).status_code == 200


def test_the_lean_token_lookup_builds_the_same_token_and_user_as_the_orm() -> None:
    """accounts.authentication reads tokens with plain SQL: the objects must equal knox's queryset's, field by field."""
    from accounts.authentication import _tokens_with_user

    user = UserFactory(first_name="Ana", is_staff=True)
    token_object, _token = AuthToken.objects.create(user)

    (lean,) = list(_tokens_with_user(token_object.token_key))
    orm = AuthToken.objects.select_related("user").get(pk=token_object.pk)

    for field in AuthToken._meta.concrete_fields:
        assert getattr(lean, field.attname) == getattr(orm, field.attname), field.name
    for field in type(user)._meta.concrete_fields:
        assert getattr(lean.user, field.attname) == getattr(orm.user, field.attname), field.name
    assert timezone.is_aware(lean.expiry) and timezone.is_aware(lean.created)
    assert lean.user.is_active is True and lean.user.is_staff is True
    assert list(_tokens_with_user("no-such-key")) == []


def test_login_refuses_a_token_beyond_the_per_user_limit_until_one_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    """REST_KNOX's TOKEN_LIMIT_PER_USER was configured but never enforced: the login API created tokens itself."""
    from knox.settings import knox_settings

    monkeypatch.setattr(knox_settings, "TOKEN_LIMIT_PER_USER", 2)
    user = UserFactory()
    expired, _key = AuthToken.objects.create(user=user, expiry=timedelta(hours=1))
    AuthToken.objects.filter(pk=expired.pk).update(expiry=timezone.now() - timedelta(minutes=1))
    api = APIClient()
    credentials = {"username": user.username, "password": DEFAULT_PASSWORD}

    first, second = (_token_for(api, user.username) for _ in range(2))
    refused = api.post(LOGIN, credentials, format="json")
    _authed(first).post("/api/v1/auth/logout/")
    again = api.post(LOGIN, credentials, format="json")

    assert refused.status_code == 403
    assert "2 API tokens" in refused.json()["detail"]
    assert again.status_code == 200
    assert _authed(second).get(PROFILE).status_code == 200


def test_a_token_login_keeps_no_language_in_the_callers_anonymous_session() -> None:
    # The login signal keeps a profile's language in the session a log-in opens; a token login opens none,
    # and the caller's session stays anonymous (else it would answer Content-Language: es while signed out).
    user = UserFactory()
    ProfileFactory(user=user, language="es")
    api = APIClient()

    api.post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD}, format="json")
    cookie = api.cookies.get(settings.SESSION_COOKIE_NAME)
    session = SessionStore(session_key=cookie.value if cookie else None)

    assert SESSION_LANGUAGE_KEY not in session
