"""The OpenAPI schema at /api/schema/, generated once per process and language, rendered once per format."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils import translation
from django.utils.http import parse_header_parameters
from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request
from rest_framework.response import Response

# The generated schema per language code of settings.LANGUAGES, never anything a client wrote.
_SCHEMAS: dict[str, dict[str, Any]] = {}
# Its bytes per (language, renderer format: "yaml" or "json"): keys from those two fixed sets only.
_RENDERED: dict[tuple[str, str], bytes] = {}


def schema_language() -> str:
    """The language the schema's texts come out in: the active one, or the default when it is not offered."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


UNREADABLE_BODY = "A body whose Content-Type this operation does not read (JSON; forms where it takes them)."


def document_unreadable_bodies(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every operation that takes a body documents its 415.

    DRF answers 415 to a Content-Type none of the view's parsers reads, on any
    such operation; a client (and schemathesis) should find that in the schema.
    """
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault("415", {"description": UNREADABLE_BODY})
    return result


@receiver(setting_changed)
def schemas_forget(**kwargs: Any) -> None:
    """Drop every generated schema (settings changed under a test, which may change the schema)."""
    _SCHEMAS.clear()
    _RENDERED.clear()


class SchemaApi(SpectacularAPIView):
    """drf-spectacular's schema view, generating the schema once per process and language.

    Generating walks every endpoint and serializer: 60-90 ms a request on an idle machine, up to
    260 ms under load. The schema depends only on the code, which a deploy restarts, and on the
    language of its texts; it is public (SERVE_PUBLIC), so it is generated without the caller's
    request, the same for every client. The API has no versions: a `?version=` is not written into
    the schema, so no client can make the process keep one schema per word it sends. Two threads
    that miss at once both generate; the second copy replaces an identical first.

    Rendering it took another 7 ms (JSON) or 19 ms (YAML) a request, so the bytes are kept too, per
    language and format; the format is the negotiated renderer's, never the text of an Accept
    header or a query string. An Accept header that asks for an `indent` (JSON's only parameter)
    is still honoured, rendered for that request alone.
    """

    def _get_schema_response(self, request: Request) -> HttpResponse:
        language = schema_language()
        schema = _SCHEMAS.get(language)
        if schema is None:
            generator = self.generator_class(urlconf=self.urlconf, api_version=self.api_version, patterns=self.patterns)
            with translation.override(language):
                schema = _SCHEMAS[language] = generator.get_schema(request=None, public=self.serve_public)
        filename = self._get_filename(request, self.api_version)
        headers = {"Content-Disposition": f'inline; filename="{filename}"'}
        renderer, media_type = request.accepted_renderer, request.accepted_media_type
        if "indent" in parse_header_parameters(media_type)[1]:
            return Response(data=schema, headers=headers)
        key = (language, renderer.format)
        content = _RENDERED.get(key)
        if content is None:
            rendered = renderer.render(schema, media_type, self.get_renderer_context())
            content = _RENDERED[key] = rendered.encode() if isinstance(rendered, str) else rendered
        # What DRF's Response would say: the negotiated media type, with the renderer's charset if it has one.
        content_type = f"{media_type}; charset={renderer.charset}" if renderer.charset else media_type
        return HttpResponse(content, content_type=content_type, headers=headers)
