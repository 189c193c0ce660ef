"""Issue 9, item 1: no secret in the repository; DEBUG stays off unless asked for.

The deploy checks and the refusal of a missing or weak DJANGO_SECRET_KEY are
proved in tests/moviesite/test_settings.py
(test_the_deploy_checks_pass_with_production_settings,
test_production_without_a_secret_key_refuses_to_start_and_says_what_to_do,
test_production_refuses_a_weak_secret_key); not repeated here.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----"),
    "AWS access key": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b"),
    "Slack token": re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    # SECRET_KEY = "..." / DJANGO_SECRET_KEY=... with a literal long enough to be a real key.
    "secret key literal": re.compile(r"""SECRET_KEY['"]?\s*[:=]\s*['"]?[^\s'"$({]{30,}"""),
    "password in a URL": re.compile(r"\b(?:postgres(?:ql)?|redis|amqp)://[^:/\s]+:(?P<value>[^@/\s]{6,})@"),
}
# Documentation placeholders, not secrets (README: postgres://user:password@host/name).
PLACEHOLDERS = {"password", "passwd", "secret", "changeme", "<password>"}
SECRET_FILES = re.compile(r"(^|/)(\.env(\..+)?|.*\.pem|.*\.key|id_rsa|id_ed25519|dev-secret-key)$")


def _tracked_files() -> list[str]:
    result = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True, timeout=60)
    return [name for name in result.stdout.decode().split("\0") if name]


def test_no_secret_is_committed_to_the_repository() -> None:
    tracked = _tracked_files()
    assert "manage.py" in tracked
    found = [f"{name}: a secret file" for name in tracked if SECRET_FILES.search(name)]
    for name in tracked:
        path = PROJECT_ROOT / name
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        for what, pattern in SECRET_PATTERNS.items():
            for match in pattern.finditer(text):
                if (match.groupdict().get("value") or "").lower() in PLACEHOLDERS:
                    continue
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{name}:{line}: {what}")
    assert found == []


def test_the_scan_would_catch_a_committed_key() -> None:
    """The patterns are not vacuous: a settings line with a real key matches."""
    line = f'SECRET_KEY = "{secrets.token_urlsafe(50)}"'
    assert SECRET_PATTERNS["secret key literal"].search(line)
    # Built here, so this file does not itself hold what the scan looks for.
    url_with_password = "postgres://app:" + secrets.token_hex(8) + "@db:5432/app"
    assert SECRET_PATTERNS["password in a URL"].search(url_with_password)
    assert not SECRET_PATTERNS["secret key literal"].search('SECRET_KEY = env_secret_key("DJANGO_SECRET_KEY")')


NOT_FOUND_PAGE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
response = Client(raise_request_exception=False).get("/no-such-page/", HTTP_HOST="example.com", secure=True)
print(settings.DEBUG, response.status_code)
print(response.content.decode())
"""


def test_with_only_a_secret_key_set_debug_is_off_and_an_error_page_shows_nothing_inside(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "moviesite.settings",
        "MOVIESITE_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "example.com",
        # The site's 404 page links its stylesheet; without collectstatic's
        # manifest (which production has) the static tag would fail the page.
        "DJANGO_MANIFEST_STATIC": "0",
    }
    result = subprocess.run(
        [sys.executable, "-c", NOT_FOUND_PAGE], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stderr
    first_line, page = result.stdout.split("\n", 1)
    assert first_line == "False 404"
    assert "URLconf" not in page
    assert "Traceback" not in page
    assert "SECRET_KEY" not in page
