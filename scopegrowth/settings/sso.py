"""Sign in with the organisation's account (OpenID Connect through allauth's provider,
`scopegrowth/sso.py`). Off unless SSO_OIDC_ISSUER is set; every variable is in `.env.example`.

The provider is configured here, not in the database: allauth reads SOCIALACCOUNT_PROVIDERS'
APPS. Authorization-code flow with PKCE; allauth checks the ID token (issuer, audience, expiry;
its signature too when the token did not come straight from the token endpoint over TLS)."""

from __future__ import annotations

import copy
import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from scopegrowth.settings.environment import env_bool, env_secret
from scopegrowth.settings.security import CONTENT_SECURITY_POLICY as _CSP

SSO_OIDC_ISSUER = os.environ.get("SSO_OIDC_ISSUER", "").strip().rstrip("/")
SSO_OIDC_CLIENT_ID = os.environ.get("SSO_OIDC_CLIENT_ID", "").strip()
SSO_OIDC_CLIENT_SECRET = env_secret("SSO_OIDC_CLIENT_SECRET", "") or ""
# The button says "Sign in with <name>".
SSO_OIDC_NAME = os.environ.get("SSO_OIDC_NAME", "").strip() or "your organisation"
# The claim that carries the employee number (matched to the people file's employee_number when
# the token has no verified email); empty: email only.
SSO_OIDC_EMPLOYEE_NUMBER_CLAIM = os.environ.get("SSO_OIDC_EMPLOYEE_NUMBER_CLAIM", "").strip()
# Trust the provider's MFA (its `amr` claim says "mfa") for roles that need a second factor.
# Off: the app's authenticator is asked for, as after a password.
SSO_OIDC_TRUST_MFA = env_bool("SSO_OIDC_TRUST_MFA", False)
# Only admins may sign in with a password; everyone else uses the organisation's button.
SSO_ONLY = env_bool("SSO_ONLY", False)

if SSO_OIDC_ISSUER and not (SSO_OIDC_CLIENT_ID and SSO_OIDC_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "SSO_OIDC_ISSUER needs SSO_OIDC_CLIENT_ID and SSO_OIDC_CLIENT_SECRET"
    )
if SSO_ONLY and not SSO_OIDC_ISSUER:
    raise ImproperlyConfigured("SSO_ONLY=1 needs SSO_OIDC_ISSUER (nobody but admins could sign in)")

# The provider's id: part of the redirect URI to register with the identity provider,
# {SITE_URL}/accounts/oidc/organisation/login/callback/
SSO_PROVIDER_ID = "organisation"


def oidc_providers(issuer: str, client_id: str, secret: str, name: str) -> dict:
    """allauth's SOCIALACCOUNT_PROVIDERS for one OpenID Connect app (empty without an issuer)."""
    apps = []
    if issuer:
        apps.append(
            {
                "provider_id": SSO_PROVIDER_ID,
                "name": name,
                "client_id": client_id,
                "secret": secret,
                "settings": {"server_url": issuer, "oauth_pkce_enabled": True},
            }
        )
    return {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": apps}}


SOCIALACCOUNT_ADAPTER = "scopegrowth.sso.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = oidc_providers(
    SSO_OIDC_ISSUER, SSO_OIDC_CLIENT_ID, SSO_OIDC_CLIENT_SECRET, SSO_OIDC_NAME
)
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # scopegrowth/sso.py matches people itself
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # the person exists already: nothing to verify
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the button POSTs (a GET shows allauth's confirm page)
SOCIALACCOUNT_ONLY = False


def csp_allowing(policy: dict, issuer: str) -> dict:
    """The content security policy with the issuer's origin allowed as a form's destination:
    the button posts to us, and browsers apply `form-action` to the redirect that follows."""
    if not issuer:
        return policy
    parts = urlsplit(issuer)
    policy = copy.deepcopy(policy)
    policy["DIRECTIVES"]["form-action"] = [
        *policy["DIRECTIVES"]["form-action"],
        f"{parts.scheme}://{parts.netloc}",
    ]
    return policy


CONTENT_SECURITY_POLICY = csp_allowing(_CSP, SSO_OIDC_ISSUER)
