import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from manabiya.core.models import User

pytestmark = pytest.mark.django_db


def test_signup_requires_email_verification(client):
    """A new account cannot log in until the emailed link is followed."""
    response = client.post(
        reverse("account_signup"),
        {
            "email": "hanako@example.jp",
            "password1": "kogane-i 2026 learn",
            "password2": "kogane-i 2026 learn",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email="hanako@example.jp").exists()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body).group(0)

    client.logout()
    response = client.post(reverse("account_login"), {"login": "hanako@example.jp", "password": "kogane-i 2026 learn"})
    assert "_auth_user_id" not in client.session

    path = link.split("testserver", 1)[1]
    client.post(path)
    response = client.post(reverse("account_login"), {"login": "hanako@example.jp", "password": "kogane-i 2026 learn"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email="hanako@example.jp").pk)


def test_login_page_uses_site_layout_in_japanese(client):
    body = client.get(reverse("account_login")).content.decode()
    assert '<html lang="ja">' in body
    assert 'class="skip-link"' in body


def test_production_profile_passes_deploy_checks(tmp_path):
    """With MANABIYA_PROFILE=production the deploy checks find nothing to warn about."""
    env = {
        **os.environ,
        "MANABIYA_PROFILE": "production",
        "SECRET_KEY": "x" * 64 + "production-test-key-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "manabiya.example.jp",
        "MANABIYA_VAR": str(tmp_path),
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' conftest for Playwright
    result = subprocess.run(
        [sys.executable, "-m", "manabiya.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_profile_refuses_to_start_without_secret_key(tmp_path):
    env = {**os.environ, "MANABIYA_PROFILE": "production", "MANABIYA_VAR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "manabiya.cli", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
