"""One throttle for every password login: allauth's form, the admin's (routed through allauth), reauthentication.

Failures slow whoever makes them, not the account's owner (OWASP's "device cookie" design):

- a client without a device cookie for the account is counted twice: by its **address** (IPv6 by /64) and
  against the **account** it tries (keyed by a hash of the typed email, whether or not the account exists);
- a browser that has logged in to the account before carries a signed **device cookie** naming it; there
  only that device's own failures count, so a stranger's failures never hold the owner back.

Each key allows `free` failures, then asks for a wait that doubles with every further failure up to
`max_wait` — a back-off, never a lock that outlasts the last wait. A key is forgotten `forget_after`
seconds after its last failure. An attempt counts as a failure when it begins, under a lock, and is taken
back when the password proves right, so that guesses sent in parallel cannot slip past the count.

Counters live in the shared cache (`django.core.cache.cache`: a database table by default), so every
worker process sees the same counts and they survive a restart.
"""

import hashlib
import math
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from ipaddress import ip_address, ip_network

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext, ngettext


@dataclass(frozen=True)
class Schedule:
    free: int
    first_wait: float
    max_wait: float
    forget_after: float

    def wait_after(self, failures: int) -> float:
        """Seconds to wait after the `failures`-th failure: none for the free ones, then doubling."""
        if failures <= self.free:
            return 0.0
        doublings = min(failures - self.free - 1, 64)
        return float(min(self.max_wait, self.first_wait * 2**doublings))


# From one address: 5 free, then 1 s, 2 s, 4 s … 15 min; forgotten after an hour without failures.
ADDRESS = Schedule(free=5, first_wait=1, max_wait=15 * 60, forget_after=60 * 60)
# Against one account, from clients it does not know: 20 free (an attacker at one address is slowed by the
# address long before), then the same doubling; remembered for a day, to slow attacks spread over addresses.
ACCOUNT = Schedule(free=20, first_wait=1, max_wait=15 * 60, forget_after=24 * 60 * 60)
# From a browser that has logged in to the account before: only its own failures count.
DEVICE = Schedule(free=5, first_wait=1, max_wait=15 * 60, forget_after=60 * 60)

DEVICE_COOKIE = "manabiya_device"
DEVICE_COOKIE_AGE = 365 * 24 * 60 * 60
DEVICE_ACCOUNTS_KEPT = 10
_DEVICE_SALT = "manabiya.core.accounts.device"
_ACCOUNT_SALT = "manabiya.core.accounts.account"
_CACHE_PREFIX = "manabiya:login-throttle"
_LOCK_WAIT = 2.0


def now() -> float:
    return time.time()


class Throttled(Exception):
    def __init__(self, wait: float) -> None:
        super().__init__(wait)
        self.wait = wait

    @property
    def message(self) -> str:
        return gettext("Too many failed logins. Please wait %(wait)s, then try again.") % {"wait": wait_text(self.wait)}


def wait_text(seconds: float) -> str:
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def account_tag(login: str) -> str:
    """The account a login names, as the throttle and the device cookie know it: no email in the clear."""
    return salted_hmac(_ACCOUNT_SALT, (login or "").strip().lower()).hexdigest()[:32]


def client_address(request) -> str:
    """The client's address as allauth reads it (ALLAUTH_TRUSTED_PROXY_COUNT / _CLIENT_IP_HEADER behind a
    proxy); an IPv6 client is counted by its /64, which one subscriber usually holds whole."""
    address = get_adapter(request).get_client_ip(request)
    try:
        parsed = ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)


# --- the device cookie ---------------------------------------------------------------------------


@dataclass
class Device:
    nonce: str
    accounts: list[str] = field(default_factory=list)

    def knows(self, tag: str) -> bool:
        return tag in self.accounts


def device_from(request) -> Device | None:
    """The browser's device cookie, if it carries a valid signature and is less than a year old."""
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=_DEVICE_SALT, max_age=DEVICE_COOKIE_AGE)
        return Device(nonce=str(data["d"]), accounts=[str(tag) for tag in data["a"]])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def device_cookie_value(device: Device) -> str:
    return signing.dumps({"d": device.nonce, "a": device.accounts}, salt=_DEVICE_SALT, compress=True)


def device_remember(request, emails: list[str]) -> Device:
    """Record that this browser logged in to the account with these addresses; its own failure count starts
    again. `middleware.LoginDeviceCookieMiddleware` puts the cookie on the response."""
    device = device_from(request)
    if device is None:
        device = Device(nonce=secrets.token_urlsafe(18))
    else:
        cache.delete(_cache_key(f"device:{device.nonce}"))
    tags = [account_tag(email) for email in dict.fromkeys(e.strip().lower() for e in emails if e)]
    device.accounts = [tag for tag in device.accounts if tag not in tags] + tags
    device.accounts = device.accounts[-DEVICE_ACCOUNTS_KEPT:]
    request.login_device_cookie = device_cookie_value(device)
    return device


# --- counting ------------------------------------------------------------------------------------


def _cache_key(name: str) -> str:
    return f"{_CACHE_PREFIX}:{hashlib.sha256(name.encode()).hexdigest()}"


def keys_for(request, login: str) -> list[tuple[str, Schedule]]:
    """The counters an attempt on `login` from this request is checked against and counted on."""
    tag = account_tag(login)
    device = device_from(request)
    if device is not None and device.knows(tag):
        return [(_cache_key(f"device:{device.nonce}"), DEVICE)]
    return [
        (_cache_key(f"address:{client_address(request)}"), ADDRESS),
        (_cache_key(f"account:{tag}"), ACCOUNT),
    ]


@contextmanager
def _locked(keys: list[str]) -> Iterator[bool]:
    """Hold a cache lock on each key (in a fixed order); yields False if one stayed busy too long."""
    held: list[str] = []
    try:
        for key in sorted(keys):
            lock = f"{key}:lock"
            deadline = time.monotonic() + _LOCK_WAIT
            while not cache.add(lock, True, timeout=10):
                if time.monotonic() > deadline:
                    yield False
                    return
                time.sleep(0.01)
            held.append(lock)
        yield True
    finally:
        for lock in held:
            cache.delete(lock)


def _state(key: str) -> dict:
    state = cache.get(key)
    if not isinstance(state, dict):
        return {"n": 0, "until": 0.0}
    return state


@dataclass
class Attempt:
    """An attempt counted as a failure when it began; `succeeded` takes it back."""

    counted: list[tuple[str, Schedule, dict]]


def attempt_begin(request, login: str) -> Attempt:
    """Check every counter the attempt falls under and count it on each; raise `Throttled` with the longest
    wait if one still asks to wait (a refused attempt tests no password and is not counted)."""
    keys = keys_for(request, login)
    with _locked([key for key, _ in keys]) as locked:
        if not locked:
            raise Throttled(1)
        moment = now()
        states = {key: _state(key) for key, _ in keys}
        wait = max(state["until"] - moment for state in states.values())
        if wait > 0:
            raise Throttled(wait)
        counted = []
        for key, schedule in keys:
            before = states[key]
            failures = before["n"] + 1
            until = moment + schedule.wait_after(failures)
            cache.set(key, {"n": failures, "until": until}, timeout=until - moment + schedule.forget_after)
            counted.append((key, schedule, before))
    return Attempt(counted=counted)


def attempt_succeeded(attempt: Attempt) -> None:
    """Take back the failure counted when the attempt began: a right password is not a failure. The other
    failures stay counted, so that logging in to one's own account cannot wipe an attacker's count."""
    keys = [key for key, _, _ in attempt.counted]
    with _locked(keys) as locked:
        if not locked:
            return  # the attempt stays counted: stricter, never looser
        moment = now()
        for key, schedule, before in attempt.counted:
            state = _state(key)
            # Nothing else counted meanwhile: back to how it was; else only this attempt comes off.
            undone = {"n": max(0, state["n"] - 1), "until": state["until"]}
            state = before if state["n"] == before["n"] + 1 else undone
            if state["n"] == 0:
                cache.delete(key)
            else:
                remaining = max(0.0, state["until"] - moment)
                cache.set(key, state, timeout=remaining + schedule.forget_after)


def failures(request, login: str) -> dict[str, int]:
    """How many failures each counter of an attempt on `login` holds (for tests and support)."""
    return {key: _state(key)["n"] for key, _ in keys_for(request, login)}


def forget_account(login: str) -> None:
    """Forget the failures against an account (its owner proved control of the email, e.g. by a reset)."""
    cache.delete(_cache_key(f"account:{account_tag(login)}"))


def cookie_kwargs() -> dict:
    return {
        "max_age": DEVICE_COOKIE_AGE,
        "secure": settings.SESSION_COOKIE_SECURE,
        "httponly": True,
        "samesite": "Lax",
        "path": "/",
    }
