"""Real-browser fixtures: Debian's chromium driven by Playwright against pytest-django's live server.

The browser is never downloaded (no `playwright install`): tests use /usr/bin/chromium, which
scripts/ensure-browser installs. When it or axe-core is missing, the tests fail under CI=true
and are skipped loudly elsewhere.
"""

import os
import warnings
import weakref
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from manabiya.catalog.models import AccessibilityFeature, Audience, Category
from manabiya.catalog.reference import load_reference_data

# Playwright's sync API runs an event loop in this thread; Django refuses database calls from a
# thread with a running loop unless told they are safe (they are: the loop only drives the browser).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 360, "height": 740}
# What Chromium logs when the page's Content-Security-Policy blocks a script, a style or a request.
CSP_REFUSAL = "Content Security Policy"

_unavailable_reasons: list[str] = []
_broken_assets: "weakref.WeakKeyDictionary[object, list[str]]" = weakref.WeakKeyDictionary()


class BrowserTestsSkipped(UserWarning):
    """The browser or the accessibility checker is missing: real-browser tests did not run."""


def unavailable(reason: str) -> None:
    """Fail under CI (a missing browser must not pass a build); skip loudly otherwise."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"Browser tests cannot run under CI: {reason}", pytrace=False)
    if reason not in _unavailable_reasons:
        _unavailable_reasons.append(reason)
        warnings.warn(f"BROWSER TESTS SKIPPED: {reason}", BrowserTestsSkipped, stacklevel=2)
    pytest.skip(f"!!! BROWSER TESTS SKIPPED !!! {reason}")


def pytest_terminal_summary(terminalreporter):
    for reason in _unavailable_reasons:
        terminalreporter.write_sep("!", "BROWSER TESTS SKIPPED", red=True, bold=True)
        terminalreporter.write_line(reason, red=True, bold=True)
        terminalreporter.write_line("Run `make browser-deps` (as root: Debian's chromium, fonts, axe-core).", red=True)


@pytest.fixture(scope="module")
def browser():
    """One headless chromium per test module; Playwright's loop stops with it."""
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium, or run scripts/ensure-browser).")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    except Exception as exc:
        playwright.stop()
        unavailable(f"{CHROMIUM} did not start: {exc}")
    yield browser
    browser.close()
    # While Playwright runs, Django sees a running event loop and keeps this thread's database
    # connections apart from the ones it opened before; close those before the loop goes away.
    connections.close_all()
    playwright.stop()


@pytest.fixture
def axe_js() -> Path:
    if not AXE_JS.exists():
        unavailable(f"axe-core is missing ({AXE_JS}); run `npm ci` (or `make browser-deps`).")
    return AXE_JS


def new_phone_context(browser, *, javascript: bool = True):
    """A Japanese-speaking citizen's phone: 360×740, Japanese preferred, JS on or off."""
    return browser.new_context(
        viewport=PHONE,
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        java_script_enabled=javascript,
    )


@pytest.fixture
def reference_data(transactional_db):
    """The categories, audiences and accessibility features the migrations load.

    The live server needs a transactional database, which is flushed after each test, reference
    data included. Serialized rollback cannot restore it here: with Playwright running, Django
    uses another connection than the one that holds the serialized copy. So load it again.
    """
    load_reference_data(Category=Category, Audience=Audience, AccessibilityFeature=AccessibilityFeature)


@pytest.fixture
def open_phone(browser, live_server, reference_data):
    """Open pages on a phone: `open_phone(javascript=False)` gives a page in a fresh context."""
    contexts = []

    def _open(*, javascript: bool = True):
        context = new_phone_context(browser, javascript=javascript)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        broken = _broken_assets.setdefault(page, [])

        def note(problem: str, url: str) -> None:
            if urlparse(url).path.startswith("/static/") and not any(url in b for b in broken):
                broken.append(f"{problem} {url}")

        page.on("response", lambda r: note(str(r.status), r.url) if r.status >= 400 else None)
        page.on("requestfailed", lambda r: note(r.failure or "failed", r.url))
        page.on("console", lambda m: refused.append(f"{page.url}: {m.text}") if CSP_REFUSAL in m.text else None)
        return page

    refused: list[str] = []
    yield _open
    for context in contexts:
        context.close()
    # Every page a browser test opens is also checked against the Content-Security-Policy.
    assert not refused, "The Content-Security-Policy blocked something:\n" + "\n".join(refused)


def assert_assets_served(page) -> None:
    """The stylesheet and scripts loaded: without them the checks would judge an unstyled page."""
    broken = _broken_assets.get(page, [])
    assert not broken, (
        "Static files were not served: "
        + ", ".join(broken)
        + ". Is src/manabiya/static listed in settings.STATICFILES_DIRS?"
    )


def format_violations(violations: list[dict]) -> str:
    """One block per rule: its id, impact and help, then each failing node's target and why."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} <{v.get('helpUrl', '')}>")
        for node in v["nodes"]:
            why = "; ".join(line.strip() for line in node.get("failureSummary", "").splitlines()[1:])
            lines.append(f"    {node['target']}: {why}")
            lines.append(f"      {node.get('html', '')[:200]}")
    return "\n".join(lines)


@pytest.fixture
def axe(axe_js):
    """Run axe-core's WCAG 2.1 A/AA rules on a page; returns the list of violations."""

    source = axe_js.read_text()

    def run(page) -> list[dict]:
        # Evaluated through the DevTools protocol: an injected <script> would break the page's
        # Content-Security-Policy (and `bypass_csp` would hide the violations the tests look for).
        if not page.evaluate("() => typeof axe !== 'undefined'"):
            page.evaluate(f"{{ {source}\n}}")
        return page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
                return result.violations;
            }""",
            AXE_TAGS,
        )

    return run
