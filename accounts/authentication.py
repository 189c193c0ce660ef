"""API token authentication: knox's, with the sweep of expired tokens moved off the request path."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.signals import token_expired


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token authentication without a query per request for the caller's other tokens.

    knox deletes every expired token of the caller on each request (one more
    query on every API call). Here only the token presented is checked: expired,
    it is deleted and refused exactly as knox does; the user's other expired
    tokens are deleted by the `accounts.expired_tokens_delete` beat task.
    """

    def _cleanup_token(self, auth_token: Any) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI security scheme of this class: knox's own (registered by being defined)."""

    target_class = "accounts.authentication.TokenAuthentication"
