"""A real OpenID Connect provider in a process of its own (tests/oidc/provider.mjs, the npm
package `oidc-provider`), and a client that walks its sign-in and consent pages like a browser.

Under CI a missing node or npm package fails the test (tests/services.py `require`)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

from tests.services import free_port, require

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("provider.mjs")
CLIENT_ID = "scopegrowth-test"
CLIENT_SECRET = "scopegrowth-test-secret-0123456789"  # noqa: S105  (a test provider's)
CALLBACK_PATH = "/accounts/oidc/organisation/login/callback/"


class OpenIDProvider:
    def __init__(self, users: dict[str, dict], redirect_uris: list[str]) -> None:
        self.users = users
        self.redirect_uris = redirect_uris
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        node = shutil.which("node")
        require(bool(node), "node is not installed (the OpenID provider runs on it)")
        require(
            (ROOT / "node_modules" / "oidc-provider" / "package.json").exists(),
            "the npm package oidc-provider is not installed (npm ci)",
        )
        env = {
            **os.environ,
            "OIDC_PORT": str(self.port),
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_REDIRECT_URIS": ",".join(self.redirect_uris),
            "OIDC_USERS": json.dumps(self.users),
            "NODE_NO_WARNINGS": "1",
        }
        self.process = subprocess.Popen(
            [node, str(SCRIPT)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        output = []  # oidc-provider warns that its in-memory store and keys are for development
        while not (line := self.process.stdout.readline()).startswith("ready "):
            output.append(line)
            if not line or len(output) > 50:
                self.stop()
                raise RuntimeError("the OpenID provider did not start:\n" + "".join(output))

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def settings(self, name: str = "NHSmail") -> dict:
        """Django settings that point allauth at this provider (as SSO_OIDC_* would)."""
        from django.conf import settings

        from scopegrowth.settings.sso import csp_allowing, oidc_providers

        return {
            "SSO_OIDC_ISSUER": self.issuer,
            "SSO_OIDC_CLIENT_ID": CLIENT_ID,
            "SSO_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "SSO_OIDC_NAME": name,
            "SOCIALACCOUNT_PROVIDERS": oidc_providers(self.issuer, CLIENT_ID, CLIENT_SECRET, name),
            "CONTENT_SECURITY_POLICY": csp_allowing(settings.CONTENT_SECURITY_POLICY, self.issuer),
        }

    def sign_in(self, authorize_url: str, login: str) -> str:
        """Follow the app's redirect to the provider, sign in as `login` and consent, as a
        browser would; return the callback URL the provider sends the browser back to."""
        session = requests.Session()
        url = authorize_url
        for _ in range(12):
            response = session.get(url, allow_redirects=False, timeout=10)
            if response.is_redirect:
                url = urljoin(url, response.headers["Location"])
                if url.startswith(tuple(self.redirect_uris)):
                    return url
                continue
            response.raise_for_status()
            action = re.search(r'action="([^"]+)"', response.text).group(1)
            data = {"login": login} if action.endswith("/login") else {}
            response = session.post(
                urljoin(url, action), data=data, allow_redirects=False, timeout=10
            )
            assert response.is_redirect, response.text
            url = urljoin(url, response.headers["Location"])
            if url.startswith(tuple(self.redirect_uris)):
                return url
        raise AssertionError("the provider never sent the browser back")


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@contextmanager
def running(users: dict[str, dict], redirect_uris: list[str]):
    provider = OpenIDProvider(users, redirect_uris)
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()
