"""Every URL of the project, fetched with hostile values as anonymous and as each role, answers
without a server error.

The URL patterns are read from the URLconf (recursively, so a new page is walked the day it is
added). Each path converter is filled with hostile values (NUL, huge and negative numbers, 0, years
0001 and 9999, over-long strings, values of the wrong type) and with ids of real demo objects, so
the views get past their 404. Each page is then asked with hostile query parameters: the names the
view itself reads from `request.GET` (found by reading its source) and a list of common names.
Data comes from the demo loader, which builds it through the real services.

The roles: anonymous, a citizen, a provider's staff member (who is also the staff of its community
hall), a coordinator, the superuser. What is answered before a view (the resolver's 404, the 400
for a NUL) is the same for every role, so only the anonymous walk asks it; the admin's pages are
walked by the roles it lets in.
"""

import ast
import datetime as dt
import inspect
import io
import logging
import re
import textwrap
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter, PathConverter, StringConverter, UUIDConverter
from django.urls.exceptions import Resolver404
from django.utils import timezone

from manabiya.catalog.demo.region import ACCOUNTS
from manabiya.core import services as core_services
from manabiya.core.models import Municipality, User

ROLES = {
    "anonymous": None,
    "citizen": next(a.email for a in ACCOUNTS if a.role == "citizen"),
    # The kominkan's staff are also the staff of its community hall (the facility's operator).
    "provider_and_facility_staff": "kominkan.koganei@example.jp",
    # Koganei's coordinator, made Chitose's too: Koganei has the facilities, Chitose the passport
    # and the talent bank.
    "coordinator": "coordinator.koganei@example.jp",
    "superuser": next(a.email for a in ACCOUNTS if a.role == "superuser"),
}
ALSO_COORDINATES = "012246"  # Chitose

NUL = "\x00"
LONG = "長" * 300 + "x" * 3000
# What a path converter is filled with, besides real ids. Values that do not match the converter's
# pattern exercise the resolver's 404; the rest reach the view.
HOSTILE_PATH = {
    IntConverter: ["0", "2147483648", "9223372036854775808", "9" * 40, "abc", NUL],
    UUIDConverter: ["00000000-0000-0000-0000-000000000000", NUL],
    StringConverter: [NUL, "0", "-1", "0001", "9999", "9" * 40, LONG, "'\"<>&", ".."],
    PathConverter: [NUL, "-1", "9" * 40, LONG, "1/2"],
}
HOSTILE_REGEX = [NUL, "-1", "9" * 40, LONG]
# Zero (a year 0, a page 0), one below, a number that overflows any column or C long, text far too
# long (and not a number), days and months at both ends of the calendar.
HOSTILE_QUERY = [NUL, "0", "-1", "9" * 40, LONG, "0001-01-01", "9999-12-31", "0001-01", "9999-12"]
# Names many views read, asked of every page together with each hostile value.
COMMON_QUERY_KEYS = [
    "page", "q", "week", "month", "date", "year", "fiscal_year", "municipality", "category", "audience",
    "format", "kind", "sort", "order", "o", "status", "next", "code", "unit", "from", "to", "org", "e", "p",
    "accessibility", "weekday", "time_of_day", "limit", "offset", "lang", "_to_field", "_popup",
]  # fmt: skip

# Which model a path parameter names, by the URL segment before it (or the parameter's own name).
MODELS_BY_SEGMENT = {
    "opportunities": ["catalog.LearningOpportunity"],
    "reviews": ["catalog.LearningOpportunity"],
    "providers": ["core.Organization"],
    "organizations": ["core.Organization"],
    "venues": ["catalog.Venue"],
    "applications": ["registration.Application"],
    "sessions": ["catalog.Session"],
    "programmes": ["passport.Programme"],
    "participations": ["passport.Participation"],
    "reports": ["passport.LearningReport"],
    "levels": ["passport.Level"],
    "certifications": ["passport.Certification"],
    "facilities": ["facilities.Facility"],
    "rooms": ["facilities.Room"],
    "registrations": ["facilities.Booker"],
    "lotteries": ["facilities.LotteryRound"],
    "bookings": ["facilities.Booking"],
    "blocks": ["facilities.Block"],
    "talent": ["talent.TalentProfile"],
    "profiles": ["talent.TalentProfile"],
    "demae": ["talent.LectureTopic", "talent.LectureRequest"],
    "topics": ["talent.LectureTopic"],
    "requests": ["talent.LectureRequest"],
    "invitations": ["talent.LecturerInvitation"],
    "volunteer": ["talent.VolunteerNeed", "talent.VolunteerAssignment"],
}
# Parameters that are not primary keys: (model, field).
VALUES_BY_PARAMETER = {
    "code": [("core.Municipality", "code")],
    "municipality_code": [("core.Municipality", "code")],
    "number": [("passport.Passport", "number")],
    "credential_id": [("passport.Award", "credential_id")],
    "org_pk": [("core.Organization", "pk")],
}


def _today() -> dt.date:
    return timezone.localdate()


# Values that are right for a name, whether in the path or the query: they take a page past its
# checks, so that the hostile value beside them is what it reads.
REAL_BY_NAME = {
    "fiscal_year": lambda: str(_today().year if _today().month >= 4 else _today().year - 1),
    "year": lambda: str(_today().year),
    "month": lambda: _today().strftime("%Y-%m"),
    "week": lambda: _today().isoformat(),
    "date": lambda: _today().isoformat(),
    "municipality": lambda: "132101",
}
# Rows a role is likely to own or manage, so that its pages get past the permission check.
OWNED = [
    {"user__email": ROLES["citizen"]},
    {"booker__user__email": ROLES["citizen"]},
    {"passport__user__email": ROLES["citizen"]},
    {"application__user__email": ROLES["citizen"]},
    {"provider__memberships__user__email": ROLES["provider_and_facility_staff"]},
    {"opportunity__provider__memberships__user__email": ROLES["provider_and_facility_staff"]},
    {"operator__memberships__user__email": ROLES["provider_and_facility_staff"]},
    {"facility__operator__memberships__user__email": ROLES["provider_and_facility_staff"]},
    {"municipality__code": ALSO_COORDINATES},
    {"programme__municipality__code": ALSO_COORDINATES},
]
# The admin's pages that read query parameters (its change forms read only `_to_field` and `_popup`,
# which its change list reads too).
ADMIN_QUERIED = {"changelist_view", "index", "app_index", "autocomplete_view"}


def _project_apps() -> list:
    return [config for config in apps.get_app_configs() if config.name.startswith("manabiya.")]


# --- The URLconf, walked ----------------------------------------------------------------------------


@dataclass
class Route:
    """One URL pattern: its parts (text and parameters in turn) and the view it resolves to."""

    parts: list  # str for literal text, (name, converter or None, regex) for a parameter
    callback: object
    text: str
    params: list = field(default_factory=list)


def _split_route(route: str, converters: dict) -> list:
    parts, pos = [], 0
    for match in re.finditer(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>", route):
        parts.append(route[pos : match.start()])
        parts.append((match["name"], converters.get(match["name"]), None))
        pos = match.end()
    parts.append(route[pos:])
    return parts


def _split_regex(regex: str) -> list | None:
    """A regex pattern as text and named groups; None when it holds anything else a URL cannot spell."""
    regex = regex.removeprefix("^").removesuffix("$")
    parts, pos = [], 0
    for match in re.finditer(r"\(\?P<(?P<name>\w+)>(?P<body>(?:[^()]|\([^()]*\))*)\)", regex):
        parts.append(regex[pos : match.start()])
        parts.append((match["name"], None, match["body"]))
        pos = match.end()
    parts.append(regex[pos:])
    literal = [p for p in parts if isinstance(p, str)]
    if any(re.search(r"[\\^$*+?()\[\]|{}]", text.replace(r"\.", "")) for text in literal):
        return None
    return [p.replace(r"\.", ".") if isinstance(p, str) else p for p in parts]


def walk_urlconf(patterns=None, prefix: list | None = None, converters: dict | None = None) -> Iterator[Route]:
    prefix = prefix or []
    converters = converters or {}
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        own = getattr(pattern.pattern, "converters", {})
        route = str(pattern.pattern)
        if hasattr(pattern.pattern, "_route"):
            parts = _split_route(route, {**converters, **own})
        else:
            parts = _split_regex(route)
            if parts is None:
                continue
        if isinstance(pattern, URLResolver):
            yield from walk_urlconf(pattern.url_patterns, prefix + parts, {**converters, **own})
        elif isinstance(pattern, URLPattern):
            all_parts = prefix + parts
            yield Route(
                parts=all_parts,
                callback=pattern.callback,
                text="".join(p if isinstance(p, str) else f"<{p[0]}>" for p in all_parts),
                params=[p for p in all_parts if not isinstance(p, str)],
            )


# --- What a view reads from request.GET ---------------------------------------------------------


def _is_request_get(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "GET"


def _text(node: ast.AST) -> set[str]:
    """The string a node spells out, as a set of at most one."""
    return {node.value} if isinstance(node, ast.Constant) and isinstance(node.value, str) else set()


def _function_source(function) -> ast.AST | None:
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(inspect.unwrap(function))))
    except (OSError, TypeError, SyntaxError):
        return None


def get_keys_read_by(callback) -> tuple[set[str], set[str]]:
    """Names read from request.GET by the view and by module functions it calls; and the fields of
    forms bound to request.GET there."""
    function = inspect.unwrap(callback)
    namespace = getattr(function, "__globals__", {})
    keys: set[str] = set()
    form_keys: set[str] = set()
    seen: set = set()
    todo = [function]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        tree = _function_source(current)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                reads = isinstance(func, ast.Attribute) and func.attr in {"get", "getlist"}
                if reads and _is_request_get(func.value) and node.args:
                    keys.update(_text(node.args[0]))
                target = namespace.get(func.id) if isinstance(func, ast.Name) else None
                bound = any(
                    _is_request_get(arg) or (isinstance(arg, ast.BoolOp) and any(map(_is_request_get, arg.values)))
                    for arg in node.args
                )
                if bound and isinstance(target, type) and issubclass(target, forms.BaseForm):
                    form_keys.update(target.base_fields)
                elif inspect.isfunction(target) and target.__module__ == function.__module__:
                    todo.append(target)
            elif isinstance(node, ast.Subscript) and _is_request_get(node.value):
                keys.update(_text(node.slice))
    return keys, form_keys - keys


# --- Real values for path parameters -----------------------------------------------------------------


def _interesting_values(model, field_name: str) -> list[str]:
    """The first and last row, and one row each role owns or manages, where the model has the path."""
    rows = model._default_manager.order_by("pk")
    values = []
    for query in (rows, rows.reverse()):
        value = query.values_list(field_name, flat=True).first()
        if value is not None:
            values.append(value)
    for lookup in OWNED:
        try:
            value = rows.filter(**lookup).values_list(field_name, flat=True).first()
        except FieldError:
            continue
        if value is not None:
            values.append(value)
    return list(dict.fromkeys(str(v) for v in values))[:4]


def real_values(route: Route, param: tuple) -> list[str]:
    name = param[0]
    values: list[str] = []
    if name in VALUES_BY_PARAMETER:
        for label, field_name in VALUES_BY_PARAMETER[name]:
            values += _interesting_values(apps.get_model(label), field_name)
        return values
    if name in REAL_BY_NAME:
        return [REAL_BY_NAME[name]()]
    text = "".join(p if isinstance(p, str) else f"<{p[0]}>" for p in route.parts)
    before = text.split(f"<{name}>")[0].rstrip("/").split("/")
    if text.startswith("admin/") and name == "object_id" and len(before) >= 3:
        try:
            model = apps.get_model(before[-2], before[-1])
        except LookupError:
            return values
        # The admin's pages are alike for every row: one that a role owns, or the first.
        return _interesting_values(model, "pk")[-1:]
    if text.startswith("admin/r/"):
        opportunity = apps.get_model("catalog.LearningOpportunity")
        if name == "content_type_id":
            return [str(ContentType.objects.get_for_model(opportunity).pk)]
        return _interesting_values(opportunity, "pk")[:1]
    for label in MODELS_BY_SEGMENT.get(before[-1], []):
        values += _interesting_values(apps.get_model(label), "pk")
    return list(dict.fromkeys(values))


def hostile_values(param: tuple) -> list[str]:
    _name, converter, _regex = param
    if converter is not None:
        return HOSTILE_PATH.get(type(converter), HOSTILE_PATH[StringConverter])
    return HOSTILE_REGEX


def _spell(route: Route, values: dict[str, str]) -> str:
    from urllib.parse import quote

    return "/" + "".join(p if isinstance(p, str) else quote(values[p[0]], safe="/") for p in route.parts)


def _reaches_the_view(route: Route, param: tuple, value: str) -> bool:
    """Whether `value` in `param` passes the resolver and the middleware to the view: what does
    not is answered alike for every role (a 404 from the resolver, a 400 for a control character)."""
    _name, converter, regex = param
    if any(ord(c) < 32 for c in value):
        return False
    pattern = converter.regex if converter is not None else regex
    return re.fullmatch(pattern, value) is not None


def requests_for(route: Route, *, role_independent: bool = True, admin_ids: bool = True) -> Iterator[tuple[str, dict]]:
    """(path, query) pairs to ask: each parameter hostile in turn with the others real, then the page
    with real values and hostile query parameters. `role_independent=False` leaves out values
    answered before the view, which one role's walk tries for all; `admin_ids=False` leaves out
    hostile ids on the admin's pages, whose one get_object() answers them alike for every staff role."""
    reals = {p[0]: real_values(route, p) for p in route.params}
    base = {p[0]: (reals[p[0]] or hostile_values(p))[0] for p in route.params}
    bases = [base]
    hostile = admin_ids or not route.text.startswith("admin/")
    for param in route.params:
        name = param[0]
        for value in reals[name][1:] + (hostile_values(param) if hostile else []):
            if role_independent or _reaches_the_view(route, param, value):
                bases.append({**base, name: value})
    for values in bases:
        yield _spell(route, values), {}
    # Only pages that resolve to the view are worth the query parameters.
    path = _spell(route, base)
    try:
        match = resolve(path)
    except Resolver404:
        return
    if inspect.unwrap(match.func) is not inspect.unwrap(route.callback):
        return
    raw, form_fields = (sorted(keys) for keys in get_keys_read_by(route.callback))
    if route.text.startswith("admin/") and getattr(match.func, "__name__", "") not in ADMIN_QUERIED:
        return
    # Every name at once: a form cleans each field on its own, so one request per value tries them all.
    values = HOSTILE_QUERY if role_independent else [v for v in HOSTILE_QUERY if NUL not in v]
    for value in values:
        yield path, dict.fromkeys(COMMON_QUERY_KEYS + raw + form_fields, value)
    # Names the view reads itself, one at a time, beside right values for the others it reads: its
    # code may branch on the first it finds, or stop at a missing one.
    real = {key: REAL_BY_NAME[key]() for key in raw + form_fields if key in REAL_BY_NAME}
    if real:
        yield path, real
    for key in raw:
        for value in values:
            yield path, {**{k: v for k, v in real.items() if k != key}, key: value}
    if role_independent:
        yield path, {f"{(raw or form_fields or COMMON_QUERY_KEYS)[0]}\x00": "1"}


# --- The walk ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module inside transactions a test case would open, rolled back
    at the end, so every role's walk reads the same rows and the rest of the suite sees none."""
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
        try:
            with override_settings(DEBUG=True):
                call_command("load_demo", stdout=io.StringIO())
            core_services.coordinator_assign(
                actor=None,
                user=User.objects.get(email=ROLES["coordinator"]),
                municipality=Municipality.objects.get(code=ALSO_COORDINATES),
            )
            yield
        finally:
            TestCase._rollback_atomics(atomics)


def _request(client: Client, path: str, query: dict) -> tuple[int, str | None]:
    """GET the page: its status, and the problem as text when the answer is a server error."""
    # A savepoint per request, marked as a test case's so that services needing a durable
    # transaction still run, and so that one failed statement does not spoil the next request.
    atomic = transaction.atomic()
    atomic._from_testcase = True
    try:
        with atomic:
            status = client.get(path, query).status_code
            transaction.set_rollback(True)
    except Exception as error:
        frames = traceback.extract_tb(error.__traceback__)
        where = next((f for f in reversed(frames) if "/manabiya/" in f.filename), frames[-1])
        return 500, f"{type(error).__name__}: {str(error)[:200]} at {where.filename}:{where.lineno}"
    return status, f"status {status}" if status >= 500 else None


@pytest.fixture
def quiet_logs():
    """Refused requests log a warning each; thousands of them only slow the walk down."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.mark.parametrize("role", list(ROLES))
def test_no_get_answers_with_a_server_error(role, demo, db, client, settings, quiet_logs):
    """GET of every URL pattern with hostile path values and query parameters never answers 5xx."""
    settings.DEBUG = False
    if ROLES[role]:
        client.force_login(User.objects.get(email=ROLES[role]))
    started, cpu = time.monotonic(), time.process_time()
    failures, asked, routes, shown_ok = [], 0, 0, 0
    # AdminSite.admin_view sends a user it does not let in to its login page, whatever the page:
    # for such a role, the admin's index stands for every admin page.
    admin_closed = role != "anonymous" and client.get("/admin/").status_code == 302
    for route in walk_urlconf():
        if admin_closed and route.text.startswith("admin/") and route.text != "admin/":
            continue
        routes += 1
        statuses = set()
        for path, query in requests_for(
            route, role_independent=role == "anonymous", admin_ids=role in ("anonymous", "superuser")
        ):
            asked += 1
            status, problem = _request(client, path, query)
            statuses.add(status)
            if problem:
                shown = {k: (v[:20] + "…" if len(v) > 20 else v) for k, v in query.items()}
                failures.append(f"{route.text} GET {path[:120]!r} {shown if query else ''}: {problem}")
        shown_ok += 200 in statuses
    print(
        f"{role}: {routes} URL patterns, {asked} requests, {shown_ok} patterns answered 200 at least once, "
        f"{time.monotonic() - started:.1f} s ({time.process_time() - cpu:.1f} s CPU)"
    )
    assert not failures, f"{len(failures)} server errors as {role}:\n" + "\n".join(failures[:80])
    if role == "superuser":
        # The real ids took the walk past the 404s: to someone who may see all, at least half the
        # pages were shown (the others take only POST, or redirect: the admin's shortcuts, logins).
        assert shown_ok > routes * 0.5, f"only {shown_ok} of {routes} URL patterns were shown"
