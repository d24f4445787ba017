"""The login throttle: an attacker's failures slow the attacker, never the owner; the admin's login is the same
form; the counts live in the shared cache."""

import threading

import pytest
from allauth.account.models import EmailAddress
from asgiref.local import Local
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from manabiya.core.accounts import throttle

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
ATTACKER = "203.0.113.66"
OWNER_HOME = "198.51.100.7"


class Clock:
    """The throttle's clock, moved by hand."""

    def __init__(self) -> None:
        self.t = 1_800_000_000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    # Hundreds of password checks: the production hasher's cost would only slow the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(throttle, "now", fake)
    return fake


@pytest.fixture
def no_burst_limit(settings):
    """Turn off allauth's 30 logins a minute per address, which counts in real seconds: the tests below send
    more than that in a moment while the throttle's clock is moved by hand. It stays on in production."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": ""}


@pytest.fixture
def owner(coordinator):
    EmailAddress.objects.create(user=coordinator, email=coordinator.email, verified=True, primary=True)
    return coordinator


def log_in(client: Client, email: str, password: str, *, address: str, next_url: str = ""):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": email, "password": password}, REMOTE_ADDR=address)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def throttled(response) -> bool:
    form = response.context["form"] if response.context else None
    return bool(form and any(e.code == "too_many_login_attempts" for e in form.errors.as_data().get("__all__", [])))


def known_device(owner) -> Client:
    """The owner's browser, which has logged in before and carries the device cookie."""
    browser = Client()
    assert log_in(browser, owner.email, PASSWORD, address=OWNER_HOME).status_code == 302
    assert throttle.DEVICE_COOKIE in browser.cookies
    browser.post(reverse("account_logout"))
    assert not logged_in(browser)
    return browser


def test_an_address_that_keeps_failing_waits_longer_each_time_and_is_told_how_long(
    client, owner, clock, english, no_burst_limit
):
    """Five free failures, then a wait that doubles up to 15 minutes; the message says how long and keeps
    the typed email. A refused attempt tests no password, so even the right one waits."""
    for _ in range(5):
        response = log_in(client, owner.email, "wrong", address=ATTACKER)
        assert response.status_code == 200 and not throttled(response)
    waits = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    told = []
    for wait in waits:
        assert not throttled(log_in(client, owner.email, "wrong", address=ATTACKER))
        response = log_in(client, owner.email, PASSWORD, address=ATTACKER)
        assert throttled(response) and not logged_in(client)
        page = response.content.decode()
        assert "Too many failed logins. Please wait " in page and ", then try again." in page
        told.append(page.split("Please wait ", 1)[1].split(",", 1)[0])
        assert f'value="{owner.email}"' in page
        clock.advance(wait)
    assert told == [
        "1 second", "2 seconds", "4 seconds", "8 seconds", "16 seconds", "32 seconds", "2 minutes", "3 minutes",
        "5 minutes", "9 minutes", "15 minutes", "15 minutes",
    ]  # fmt: skip


def test_one_attacking_address_gets_about_eleven_guesses_a_minute_and_the_owner_still_logs_in(
    owner, clock, no_burst_limit
):
    """An attacker guessing once a second from one address is let through 11 times in the first minute and 18
    in the first hour (before: allauth let 10 a minute through, the admin's form 60 in 32 s); meanwhile the
    owner logs in from their own address with no device cookie, and from their known device at the
    attacker's address."""
    device = known_device(owner)
    attacker = Client()
    tested = 0
    for second in range(60):
        tested += not throttled(log_in(attacker, owner.email, f"guess-{second}", address=ATTACKER))
        clock.advance(1)
    assert tested == 11
    # The rest of the hour at the throttle itself, guess by guess (the form adds nothing but time).
    request = RequestFactory().post("/", REMOTE_ADDR=ATTACKER)
    for _ in range(60, 3600):
        try:
            throttle.attempt_begin(request, owner.email)
            tested += 1
        except throttle.Throttled:
            pass
        clock.advance(1)
    assert tested == 18

    # The attacker is still being slowed, and even the right password from there waits.
    assert throttled(log_in(attacker, owner.email, PASSWORD, address=ATTACKER))
    assert not logged_in(attacker)

    fresh_browser = Client()
    assert log_in(fresh_browser, owner.email, PASSWORD, address=OWNER_HOME).status_code == 302
    assert logged_in(fresh_browser)
    assert log_in(device, owner.email, PASSWORD, address=ATTACKER).status_code == 302
    assert logged_in(device)


def test_failures_spread_over_many_addresses_slow_strangers_but_not_the_owners_device(owner, clock):
    """An attack spread over 60 addresses, two guesses each, slows every client the account does not know
    once 20 failures are counted against it — and the owner's own browser logs in all the while."""
    device = known_device(owner)
    attacker = Client()
    let_through = 0
    for n in range(120):
        address = f"192.0.2.{n % 60 + 1}"
        if not throttled(log_in(attacker, owner.email, f"guess-{n}", address=address)):
            let_through += 1
        clock.advance(0.5)
    assert let_through == 26  # 20 free, then after waits of 1, 2, 4, 8 and 16 s; the next is 32 s off
    counts = throttle.failures(RequestFactory().post("/", REMOTE_ADDR="192.0.2.200"), owner.email)
    assert max(counts.values()) == let_through  # the account's count

    stranger = Client()
    response = log_in(stranger, owner.email, PASSWORD, address="192.0.2.200")
    assert throttled(response) and not logged_in(stranger)

    response = log_in(device, owner.email, PASSWORD, address="192.0.2.201")
    assert response.status_code == 302 and logged_in(device)

    # A back-off, not a lock: once the last wait is over, the right password works from anywhere.
    clock.advance(15 * 60)
    assert log_in(stranger, owner.email, PASSWORD, address="192.0.2.200").status_code == 302
    assert logged_in(stranger)


def test_a_forged_or_foreign_device_cookie_counts_for_nothing(owner, citizen, clock):
    """The cookie is signed, and names the accounts it logged in to: another account's cookie or a tampered
    one leaves the client a stranger, counted by address."""
    EmailAddress.objects.create(user=citizen, email=citizen.email, verified=True, primary=True)
    attacker = Client()
    assert log_in(attacker, citizen.email, PASSWORD, address=ATTACKER).status_code == 302  # their own account
    attacker.post(reverse("account_logout"))
    cookie = attacker.cookies[throttle.DEVICE_COOKIE].value
    for value in (cookie, cookie[:-2] + "xx"):
        request = RequestFactory().post("/", REMOTE_ADDR=ATTACKER)
        request.COOKIES[throttle.DEVICE_COOKIE] = value
        assert [key for key, _ in throttle.keys_for(request, owner.email)] == [
            key for key, _ in throttle.keys_for(RequestFactory().post("/", REMOTE_ADDR=ATTACKER), owner.email)
        ]
    for n in range(6):
        log_in(attacker, owner.email, f"guess-{n}", address=ATTACKER)
    assert throttled(log_in(attacker, owner.email, "guess", address=ATTACKER))


def test_a_right_password_does_not_wipe_the_count_of_the_address(owner, citizen, clock):
    """Logging in to one's own account between guesses takes back only that attempt."""
    EmailAddress.objects.create(user=citizen, email=citizen.email, verified=True, primary=True)
    attacker = Client()
    for n in range(5):
        log_in(attacker, owner.email, f"guess-{n}", address=ATTACKER)
    assert log_in(Client(), citizen.email, PASSWORD, address=ATTACKER).status_code == 302
    log_in(attacker, owner.email, "guess-5", address=ATTACKER)
    assert throttled(log_in(attacker, owner.email, "guess-6", address=ATTACKER))


def test_parallel_guesses_cannot_slip_past_the_count(owner, clock):
    """Twenty guesses sent at once: only the five free ones and the first slowed one test a password."""
    factory = RequestFactory()
    outcomes: list[str] = []
    barrier = threading.Barrier(20)

    def guess() -> None:
        barrier.wait()
        try:
            throttle.attempt_begin(factory.post("/", REMOTE_ADDR=ATTACKER), owner.email)
            outcomes.append("tested")
        except throttle.Throttled:
            outcomes.append("refused")

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("tested") == 6 and outcomes.count("refused") == 14


def test_the_admin_login_is_allauths_login_and_comes_back_to_the_admin(client, owner):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"
    # The admin's own form no longer checks a password at all.
    response = client.post(reverse("admin:login"), {"username": owner.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not logged_in(client)

    response = log_in(client, owner.email, PASSWORD, address=OWNER_HOME, next_url="/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_sixty_wrong_admin_passwords_then_the_right_one_no_longer_get_in(client, owner, clock, no_burst_limit):
    """The probe of issue 23 again: 60 wrong passwords in 30 seconds at /admin/login/, then the right one.
    Routed through allauth, they meet the one throttle: 10 are tested, the rest and the right one wait."""
    tested = 0
    for n in range(60):
        response = client.post(reverse("admin:login") + "?next=/admin/", follow=True, REMOTE_ADDR=ATTACKER)
        login_url = response.redirect_chain[-1][0]
        assert login_url.startswith(reverse("account_login"))
        response = client.post(login_url, {"login": owner.email, "password": f"guess-{n}"}, REMOTE_ADDR=ATTACKER)
        tested += not throttled(response)
        clock.advance(0.5)
    assert tested == 10
    response = log_in(client, owner.email, PASSWORD, address=ATTACKER, next_url="/admin/")
    assert throttled(response) and not logged_in(client)


def test_a_trusted_proxy_header_names_the_client(owner, clock, settings):
    """Behind a proxy the address comes from the header the operator trusts; a header nobody trusts is
    ignored, so forging it does not give an attacker fresh addresses."""
    factory = RequestFactory()

    def address_key(request):
        return throttle.keys_for(request, owner.email)[0][0]

    forged = [factory.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP=f"192.0.2.{n}") for n in (1, 2)]
    assert address_key(forged[0]) == address_key(forged[1])

    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    assert address_key(forged[0]) != address_key(forged[1])
    assert throttle.client_address(forged[1]) == "192.0.2.2"

    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = factory.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert throttle.client_address(request) == "198.51.100.9"


def test_an_ipv6_client_is_counted_by_its_slash_64(clock):
    request = RequestFactory().post("/", REMOTE_ADDR="2001:db8:1:2:aaaa:bbbb:cccc:dddd")
    assert throttle.client_address(request) == "2001:db8:1:2::"


def test_the_counts_live_in_the_shared_database_cache(owner, clock, settings):
    """With the database cache every worker process reads and adds to the same counts: failures counted by
    one process slow the attacker in another, and survive a restart."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "manabiya_cache"}
    }
    assert isinstance(caches["default"], DatabaseCache)

    worker_one = Client()
    for n in range(6):
        assert not throttled(log_in(worker_one, owner.email, f"guess-{n}", address=ATTACKER))

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM manabiya_cache WHERE cache_key LIKE %s", ["%login-throttle%"])
        assert cursor.fetchone()[0] >= 2  # the address and the account

    # Another process: its own cache objects, nothing in memory from the first.
    other_process = DatabaseCache("manabiya_cache", {})
    request = RequestFactory().post("/", REMOTE_ADDR=ATTACKER)
    address_key = throttle.keys_for(request, owner.email)[0][0]
    assert other_process.get(address_key)["n"] == 6
    caches._connections = Local()  # forget this process's handlers, as a restart would
    worker_two = Client()
    assert throttled(log_in(worker_two, owner.email, PASSWORD, address=ATTACKER))
    assert not logged_in(worker_two)


def test_other_traffic_in_the_shared_cache_does_not_wipe_the_counts(owner, clock, settings):
    """The database cache, as configured, keeps a count however many other entries come after it (its
    default of 300 entries culled a third of them, counts included, when traffic passed it)."""
    from manabiya.settings import _cache_settings

    settings.CACHES = {"default": _cache_settings("db:")}
    attacker = Client()
    for n in range(6):
        log_in(attacker, owner.email, f"guess-{n}", address=ATTACKER)
    cache = caches["default"]
    cache.set_many({f"unrelated-{n}": n for n in range(1000)}, timeout=600)
    request = RequestFactory().post("/", REMOTE_ADDR=ATTACKER)
    address_key = throttle.keys_for(request, owner.email)[0][0]
    assert cache.get(address_key)["n"] == 6
    assert throttled(log_in(attacker, owner.email, PASSWORD, address=ATTACKER))
