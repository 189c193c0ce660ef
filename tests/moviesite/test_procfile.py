"""The Procfile's processes start as `make serve` runs them (honcho runs each line with sh -c)."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def procfile_command(name: str) -> str:
    for line in (PROJECT_ROOT / "Procfile").read_text().splitlines():
        process, _, command = line.partition(":")
        if process.strip() == name:
            return command.strip()
    raise AssertionError(f"no {name} process in the Procfile")


def procfile_start(name: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """Run a Procfile line as honcho does, in its own process group (stop it with os.killpg)."""
    return subprocess.Popen(
        ["sh", "-c", procfile_command(name)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def web_env(tmp_path: Path, port: int, **extra: str) -> dict[str, str]:
    """Production settings, one worker on `port`; the database is never reached by what these tests ask."""
    return {
        "DATABASE_URL": "postgres://moviesite@127.0.0.1:9/moviesite",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "MOVIESITE_VAR_DIR": str(tmp_path / "var"),
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        **extra,
    }


def test_beat_starts_when_the_var_directory_does_not_exist_yet(tmp_path: Path) -> None:
    """In the services mode nothing else creates it before beat opens its schedule file there."""
    var_dir = tmp_path / "fresh" / "var"
    env = {
        # Beat reads no row at start-up; the database only has to select the services mode.
        "DATABASE_URL": "postgres://moviesite@127.0.0.1:9/moviesite",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        # Production settings: debug mode would create the directory for its generated key.
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "MOVIESITE_VAR_DIR": str(var_dir),
    }
    beat = procfile_start("beat", env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and beat.poll() is None:
            if list(var_dir.glob("celerybeat-schedule*")):
                break
            time.sleep(0.2)
        still_running = beat.poll() is None
    finally:
        os.killpg(beat.pid, signal.SIGTERM)
        output, _ = beat.communicate(timeout=30)

    assert still_running, output
    assert list(var_dir.glob("celerybeat-schedule*")), output


def test_the_web_process_opens_no_control_socket_another_site_on_the_host_could_take(tmp_path: Path) -> None:
    """gunicorn 27 binds $HOME/.gunicorn/gunicorn.ctl by default: one path for every instance of the user."""
    port = free_port()
    web = procfile_start("web", web_env(tmp_path, port))
    try:
        deadline = time.monotonic() + 60
        listening = False
        while time.monotonic() < deadline and web.poll() is None and not listening:
            with socket.socket() as client:
                listening = client.connect_ex(("127.0.0.1", port)) == 0
            time.sleep(0.2)
        time.sleep(1)  # the control socket, when there is one, is bound as the arbiter starts
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        output, _ = web.communicate(timeout=30)

    assert listening, output
    assert not (tmp_path / ".gunicorn").exists(), output


def _web_answers(tmp_path: Path, headers: dict[str, str], **extra_env: str) -> tuple[int, str]:
    """(status, Location) of GET /api/v1/ping on the Procfile's web process (production settings, loopback)."""
    port = free_port()
    web = procfile_start("web", web_env(tmp_path, port, **extra_env))
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and web.poll() is None:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                connection.request("GET", "/api/v1/ping", headers=headers)
                response = connection.getresponse()
                return response.status, response.getheader("Location") or ""
            except ConnectionRefusedError:
                time.sleep(0.2)
            finally:
                connection.close()
        raise AssertionError("the web process did not answer")
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.communicate(timeout=30)


def test_a_forwarded_https_header_is_not_trusted_without_behind_proxy(tmp_path: Path) -> None:
    """gunicorn itself trusts X-Forwarded-Proto from 127.0.0.1; the site trusts it only with DJANGO_BEHIND_PROXY=1.

    Otherwise any local process could present plain HTTP as HTTPS and skip the redirect to it.
    """
    forwarded = {"X-Forwarded-Proto": "https"}

    plain = _web_answers(tmp_path / "plain", forwarded)
    behind_proxy = _web_answers(tmp_path / "proxy", forwarded, DJANGO_BEHIND_PROXY="1")

    assert plain[0] == 301 and plain[1].startswith("https://"), plain
    assert behind_proxy[0] == 200, behind_proxy
