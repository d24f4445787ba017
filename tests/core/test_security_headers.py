"""Every response carries a Content-Security-Policy without inline code and a Permissions-Policy;
the health check answers plain http; no template holds inline script, style or event handlers."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "manabiya"


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy_and_a_permissions_policy(client):
    response = client.get(reverse("catalog:home"))
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["default-src"] == "'self'"
    assert re.fullmatch(r"'self'( 'nonce-[A-Za-z0-9+/=]+')?", policy["script-src"])
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    assert "camera=(self)" in permissions
    assert "microphone=()" in permissions and "geolocation=()" in permissions


@pytest.mark.django_db
def test_the_json_ld_block_carries_the_nonce_of_its_response(client, make_opportunity, kominkan, provider_member):
    opportunity = make_opportunity(kominkan, provider_member, status="published")
    response = client.get(reverse("catalog:opportunity_detail", args=[opportunity.pk]))
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    assert f'<script type="application/ld+json" nonce="{nonce}">' in response.content.decode()


@pytest.mark.django_db
def test_the_health_check_answers_plain_http_when_everything_else_goes_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("catalog:home")).status_code == 301


INLINE = [
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "a style attribute"),
    (re.compile(r"<style[\s>]", re.IGNORECASE), "a <style> element"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE), "an inline event handler"),
    (re.compile(r"javascript:", re.IGNORECASE), "a javascript: URL"),
    (re.compile(r"\shx-on[:-]", re.IGNORECASE), "an hx-on handler (needs eval)"),
]
SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>", re.IGNORECASE)


def test_no_template_holds_inline_code_or_style():
    """The policy allows no inline code or style; a template that brings some back fails here."""
    found = []
    for template in sorted(TEMPLATES.rglob("templates/**/*.html")):
        text = template.read_text()
        for pattern, what in INLINE:
            if pattern.search(text):
                found.append(f"{template.relative_to(ROOT)}: {what}")
        for match in SCRIPT.finditer(text):
            attrs = match.group("attrs")
            data_block = re.search(r'type="application/(ld\+)?json"', attrs)
            if "src=" not in attrs and not data_block:
                found.append(f"{template.relative_to(ROOT)}: an inline <script> that would run")
    assert not found, "\n".join(found)


def test_production_sends_the_policies_and_answers_the_health_check_over_http(tmp_path):
    """Under MANABIYA_PROFILE=production (https redirect on), the headers are there and /healthz is 200."""
    env = {
        **os.environ,
        "MANABIYA_PROFILE": "production",
        "SECRET_KEY": "x" * 64 + "production-test-key-with-enough-entropy-0123456789",
        "ALLOWED_HOSTS": "manabiya.example.jp",
        "MANABIYA_VAR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    script = (
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='manabiya.example.jp')\n"
        "r = c.get('/healthz')\n"
        "print(r.status_code)\n"
        "print(r['Content-Security-Policy'])\n"
        "print(r['Permissions-Policy'])\n"
        "print(c.get('/opportunities/').status_code)\n"
    )
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "manabiya.cli", "shell", "-c", script],
        env=env, capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    status, policy, permissions, other = result.stdout.strip().splitlines()[-4:]
    assert status == "200"
    assert "default-src 'self'" in policy and "script-src 'self'" in policy and "unsafe" not in policy
    assert "camera=(self)" in permissions
    assert other == "301"  # the rest of the site goes to https
