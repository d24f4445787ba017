"""Load the demo catalogue of the five municipalities through the real services.

`plan_demo` turns `region` into dated opportunities (pure, no database), so the same seed and the
same day give the same catalogue. `load_demo` writes it with `catalog.services`, so the workflow
and the audit log are what a real provider and coordinator would leave behind.
"""

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from manabiya.core import services as core_services
from manabiya.core.models import AuditEntry, Municipality, Organization, User
from manabiya.facilities.demo import demo_facilities, reset_demo_facilities
from manabiya.passport.demo import demo_passport, reset_demo_passport
from manabiya.registration.demo import demo_applications
from manabiya.talent.demo import demo_talent, reset_demo_talent

from .. import services
from ..models import LOCAL_ZONE, AccessibilityFeature, Audience, Category, LearningOpportunity, Status, Venue
from ..reference import AUDIENCES
from .region import ACCOUNTS, DEMO_PASSWORD, MUNICIPALITIES, POOL, Account, MunicipalityData, Programme

DEFAULT_SEED = 2025
HORIZON_DAYS = 120  # dates spread over the coming four months
SLOTS = {
    "morning": ((9, 30), (10, 0), (10, 30)),
    "afternoon": ((13, 0), (13, 30), (14, 0)),
    "evening": ((18, 30), (19, 0)),
}
AUDIENCE_NAMES = {slug: name for slug, name, _ in AUDIENCES}


@dataclass
class PlannedOpportunity:
    municipality: str  # code
    provider: str  # provider key
    venue: str | None  # venue key
    fields: dict[str, Any]  # editable fields; "category" is a slug here
    audiences: tuple[str, ...]
    accessibility: tuple[str, ...]
    sessions: list[tuple[dt.datetime, dt.datetime]]
    status: str = Status.PUBLISHED
    reason: str = ""


@dataclass
class LoadResult:
    loaded: bool  # False when the demo was already there and nothing was written
    seconds: float = 0.0
    counts: Counter = field(default_factory=Counter)  # opportunities by status
    municipalities: int = 0
    providers: int = 0
    venues: int = 0
    loaded_on: dt.date | None = None
    applications: int = 0  # the demo citizen's


# --- planning (no database) ----------------------------------------------------------------------


def _phone(area_code: str, key: str) -> str:
    """A fictitious number: Japanese subscriber numbers never start with 0."""
    rng = random.Random(f"phone:{key}")
    if len(area_code) == 4:
        return f"{area_code}-0{rng.randint(1, 9)}-{rng.randint(0, 9999):04d}"
    return f"{area_code}-0{rng.randint(10, 99)}-{rng.randint(0, 9999):04d}"


def _start_time(rng: random.Random, slot: str) -> dt.time:
    if slot in SLOTS:
        hour, minute = rng.choice(SLOTS[slot])
    else:
        hour, minute = (int(part) for part in slot.split(":"))
    return dt.time(hour, minute)


def _move_to_days(rng: random.Random, day: dt.date, days: str, every_days: int) -> dt.date:
    """Shift `day` forward onto a weekday or a weekend day as the programme asks."""
    if days == "weekend":
        # A two-day event starts on Saturday; a one-day one is on Saturday or Sunday.
        wanted = {6} if every_days == 1 else {rng.choice((6, 6, 7))}
    elif days == "weekday":
        wanted = {rng.randint(1, 5)}
    else:
        return day
    while day.isoweekday() not in wanted:
        day += dt.timedelta(days=1)
    return day


def _first_days(rng: random.Random, programme: Programme, today: dt.date) -> list[dt.date]:
    """The first date of each of the programme's runs, spread over the horizon."""
    span = (programme.sessions - 1) * programme.every_days
    latest = max(HORIZON_DAYS - span - 7, 8)
    if programme.repeat > 1:
        segment = latest // programme.repeat
        offsets = [i * segment + rng.randint(2, max(segment - 1, 2)) for i in range(programme.repeat)]
    elif programme.sessions >= 4 and rng.random() < 0.2:
        # A weekly course that began recently and is still running.
        offsets = [-rng.randint(1, span // 2)]
    else:
        offsets = [rng.randint(2, latest)]
    return [_move_to_days(rng, today + dt.timedelta(days=o), programme.days, programme.every_days) for o in offsets]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LOCAL_ZONE)


def _application(rng: random.Random, method: str, first: dt.datetime) -> dict[str, Any]:
    """Windows as halls run them: first come opens weeks ahead, a lottery closes two weeks ahead."""
    day = first.date()
    if method == "first_come":
        return {
            "application_opens_at": _at(day - dt.timedelta(days=rng.randint(21, 35)), 9),
            "application_closes_at": _at(day - dt.timedelta(days=rng.randint(1, 3)), 17),
            "application_note": "電話、窓口、または電子申請で受け付けます（先着順、定員になり次第締切）。",
        }
    if method == "lottery":
        closes = day - dt.timedelta(days=rng.randint(10, 16))
        return {
            "application_opens_at": _at(closes - dt.timedelta(days=14), 9),
            "application_closes_at": _at(closes, 17),
            "application_note": "電子申請または往復はがきでお申し込みください。応募多数の場合は抽選し、"
            "締切後1週間以内に結果をお知らせします。",
        }
    return {"application_note": "申込不要です。当日直接会場へお越しください。"}


def _description(programme: Programme, municipality: MunicipalityData) -> str:
    parts = [programme.description]
    details = []
    if programme.lecturer:
        details.append(f"【講師】{programme.lecturer}")
    audience = "、".join(AUDIENCE_NAMES[a] for a in programme.audiences)
    low, high = programme.age
    if low is not None or high is not None:
        audience += f"（{low if low is not None else ''}〜{high if high is not None else ''}歳）"
    details.append(f"【対象】{audience}")
    if programme.bring:
        details.append(f"【持ち物】{programme.bring}")
    if programme.childcare:
        details.append("【保育】1歳以上の未就学児。申込時にお子さんの名前と年齢をお知らせください。")
    parts.append("\n".join(details))
    if municipality.footer:
        parts.append(municipality.footer)
    return "\n\n".join(parts)


def _plan_runs(
    rng: random.Random, municipality: MunicipalityData, programme: Programme, host: str, today: dt.date
) -> list[PlannedOpportunity]:
    providers = {p.key: p for p in municipality.providers}
    provider = providers[host]
    venue = None if programme.format == "online" else (programme.venue or provider.venue)
    runs = []
    for index, first_day in enumerate(_first_days(rng, programme, today)):
        start = dt.datetime.combine(first_day, _start_time(rng, programme.slot), tzinfo=LOCAL_ZONE)
        sessions = []
        for n in range(programme.sessions):
            # Add days to the local date so the wall-clock time stays put.
            day = first_day + dt.timedelta(days=n * programme.every_days)
            begins = dt.datetime.combine(day, start.time(), tzinfo=LOCAL_ZONE)
            sessions.append((begins, begins + dt.timedelta(minutes=programme.minutes)))
        fields: dict[str, Any] = {
            "title": programme.title,
            "title_en": programme.title_en,
            "summary": programme.summary,
            "description": _description(programme, municipality),
            "category": programme.category,
            "age_min": programme.age[0],
            "age_max": programme.age[1],
            "format": programme.format,
            "fee": programme.fee,
            "fee_note": programme.fee_note,
            "capacity": programme.capacity,
            "application_method": programme.application,
            "childcare_offered": programme.childcare,
            "childcare_capacity": 5 if programme.childcare else None,
            "childcare_ages": "1歳〜未就学児" if programme.childcare else "",
            "languages": list(programme.languages),
            "contact_name": provider.name,
            "contact_phone": _phone(municipality.area_code, provider.key),
            "contact_email": f"{provider.key}@{municipality.slug}.example.jp",
            **_application(rng, programme.application, start),
        }
        if programme.format != "in_person":
            fields["online_url"] = (
                f"https://meet.example.jp/{municipality.slug}/{provider.key}-{rng.randint(1000, 9999)}"
            )
        runs.append(
            PlannedOpportunity(
                municipality=municipality.code,
                provider=host,
                venue=venue,
                fields=fields,
                audiences=programme.audiences,
                accessibility=programme.accessibility,
                sessions=sessions,
                # Only the first run carries a non-published state; the rest are ordinary.
                status=programme.status if index == 0 else Status.PUBLISHED,
                reason=programme.reason if index == 0 else "",
            )
        )
    return runs


def plan_demo(*, today: dt.date, seed: int = DEFAULT_SEED) -> list[PlannedOpportunity]:
    """Every demo opportunity, dated relative to `today`; the same arguments give the same plan."""
    rng = random.Random(seed)
    planned = []
    for municipality in MUNICIPALITIES:
        providers = {p.key: p for p in municipality.providers}
        for programme in municipality.programmes:
            for host in programme.hosts:
                if programme.status in (Status.SUBMITTED, Status.RETURNED) and providers[host].trusted:
                    raise ValueError(f"{programme.title}: a trusted provider's submission publishes at once")
                planned.extend(_plan_runs(rng, municipality, programme, host, today))
        for programme in rng.sample(POOL, k=min(municipality.pool_courses, len(POOL))):
            hosts = [p.key for p in municipality.providers if p.kind in programme.kinds]
            if hosts:
                planned.extend(_plan_runs(rng, municipality, programme, rng.choice(hosts), today))
    return planned


# --- writing -------------------------------------------------------------------------------------


def _demo_organizations():
    q = Q(pk__in=[])
    for municipality in MUNICIPALITIES:
        q |= Q(municipality__code=municipality.code, name__in=[p.name for p in municipality.providers])
    return Organization.objects.filter(q)


def _demo_venues():
    q = Q(pk__in=[])
    for municipality in MUNICIPALITIES:
        for venue in municipality.venues:
            q |= Q(municipality__code=municipality.code, name=venue.name, address=venue.address)
    return Venue.objects.filter(q)


def demo_loaded_on() -> dt.date | None:
    """The day the demo was loaded, or None if it is not in the database."""
    first = _demo_organizations().aggregate(first=Min("created_at"))["first"]
    return timezone.localdate(first) if first else None


def _ensure_user(account: Account, password_hash: str) -> User:
    user = User.objects.filter(email__iexact=account.email).first() or User(email=account.email)
    user.display_name = account.display_name
    user.password = password_hash
    user.is_active = True
    if account.role == "superuser":
        user.is_staff = user.is_superuser = True
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=account.email, defaults={"verified": True, "primary": True})
    return user


def _ensure_venue(municipality: Municipality, data) -> Venue:
    venue, _ = Venue.objects.update_or_create(
        municipality=municipality,
        name=data.name,
        address=data.address,
        defaults={
            "name_kana": data.kana,
            "latitude": round(data.lat, 6),
            "longitude": round(data.lon, 6),
            "access": data.access,
            "parking": data.parking,
        },
    )
    venue.barrier_free.set(AccessibilityFeature.objects.filter(slug__in=data.features))
    return venue


def _ensure_organization(actor: User, municipality: Municipality, data, area_code: str, slug: str) -> Organization:
    existing = Organization.objects.filter(municipality=municipality, name=data.name).first()
    if existing:
        return existing
    return core_services.organization_create(
        actor=actor,
        municipality=municipality,
        name=data.name,
        name_kana=data.kana,
        kind=data.kind,
        description=data.description,
        contact_email=f"{data.key}@{slug}.example.jp",
        contact_phone=_phone(area_code, data.key),
        trusted=data.trusted,
    )


def _walk_workflow(
    plan: PlannedOpportunity, opportunity: LearningOpportunity, *, actor: User, coordinator: User
) -> LearningOpportunity:
    """Take a new draft to the planned state the way a provider and a coordinator would."""
    if plan.status == Status.DRAFT:
        return opportunity
    opportunity = services.opportunity_submit(actor=actor, opportunity=opportunity)
    if plan.status == Status.RETURNED:
        return services.opportunity_return(actor=coordinator, opportunity=opportunity, reason=plan.reason)
    if plan.status == Status.SUBMITTED:
        return opportunity
    if opportunity.status == Status.SUBMITTED:
        opportunity = services.opportunity_approve(actor=coordinator, opportunity=opportunity)
    if plan.status == Status.CANCELLED:
        opportunity = services.opportunity_cancel(actor=actor, opportunity=opportunity, reason=plan.reason)
    return opportunity


@transaction.atomic
def load_demo(*, today: dt.date | None = None, seed: int = DEFAULT_SEED) -> LoadResult:
    """Load the demo unless it is already there. One transaction: all of it or nothing."""
    loaded_on = demo_loaded_on()
    if loaded_on is not None:
        return LoadResult(loaded=False, loaded_on=loaded_on)
    started = time.monotonic()
    today = today or timezone.localdate()
    # Hash once: every demo account shares the published password.
    password_hash = make_password(DEMO_PASSWORD)
    users = {a.email: _ensure_user(a, password_hash) for a in ACCOUNTS}
    superuser = next(users[a.email] for a in ACCOUNTS if a.role == "superuser")

    categories = {c.slug: c for c in Category.objects.all()}
    audiences = {a.slug: a for a in Audience.objects.all()}
    support = {f.slug: f for f in AccessibilityFeature.objects.filter(scope=AccessibilityFeature.Scope.OPPORTUNITY)}

    municipalities, venues, organizations, coordinators = {}, {}, {}, {}
    for data in MUNICIPALITIES:
        municipality = core_services.municipality_get_or_create(
            code=data.code, name=data.name, name_kana=data.kana, prefecture=data.prefecture
        )
        municipalities[data.code] = municipality
        for venue in data.venues:
            venues[venue.key] = _ensure_venue(municipality, venue)
        for provider in data.providers:
            organizations[provider.key] = _ensure_organization(
                superuser, municipality, provider, data.area_code, data.slug
            )
    members = {}
    for account in ACCOUNTS:
        user = users[account.email]
        if account.role == "coordinator":
            municipality = municipalities[account.municipality]
            core_services.coordinator_assign(actor=superuser, user=user, municipality=municipality)
            coordinators[account.municipality] = user
        elif account.role == "provider":
            core_services.membership_add(actor=superuser, user=user, organization=organizations[account.provider])
            members[account.provider] = user

    counts: Counter = Counter()
    for plan in plan_demo(today=today, seed=seed):
        fields = dict(plan.fields)
        fields["category"] = categories[fields["category"]]
        fields["venue"] = venues[plan.venue] if plan.venue else None
        coordinator = coordinators[plan.municipality]
        # Providers without a demo account have their listings entered by the coordinator's office.
        actor = members.get(plan.provider, coordinator)
        opportunity = services.opportunity_create(
            actor=actor,
            provider=organizations[plan.provider],
            sessions=[services.SessionSpec(starts_at=s, ends_at=e) for s, e in plan.sessions],
            audiences=[audiences[slug] for slug in plan.audiences],
            accessibility=[support[slug] for slug in plan.accessibility],
            **fields,
        )
        opportunity = _walk_workflow(plan, opportunity, actor=actor, coordinator=coordinator)
        counts[opportunity.status] += 1
    citizen = next(a for a in ACCOUNTS if a.role == "citizen")
    applications = demo_applications(
        citizen=users[citizen.email], municipality=municipalities[MUNICIPALITIES[0].code], name=citizen.display_name
    )
    demo_facilities(
        venue=venues["kg-kominkan-honkan"],
        operator=organizations["kg-kominkan-honkan"],
        staff=members["kg-kominkan-honkan"],
        citizen=users[citizen.email],
        name=citizen.display_name,
        today=today,
    )
    chitose = next(m for m in MUNICIPALITIES if m.slug == "chitose").code
    demo_passport(
        coordinator=coordinators[chitose],
        municipality=municipalities[chitose],
        citizen=users[citizen.email],
        name=citizen.display_name,
        today=today,
    )
    demo_talent(
        coordinator=coordinators[chitose],
        municipality=municipalities[chitose],
        citizen=users[citizen.email],
        name=citizen.display_name,
        today=today,
    )
    return LoadResult(
        loaded=True,
        seconds=time.monotonic() - started,
        counts=counts,
        municipalities=len(municipalities),
        providers=len(organizations),
        venues=len(venues),
        loaded_on=today,
        applications=applications,
    )


@transaction.atomic
def reset_demo() -> dict[str, int]:
    """Remove what the demo created: its providers' opportunities, the providers and venues nothing
    else uses any more, the demo accounts and their audit entries. The municipalities stay, since
    other data may belong to them."""
    deleted: Counter = Counter()
    emails = [a.email for a in ACCOUNTS]
    # First: stamps and awards hold on to the opportunities and the accounts.
    deleted["passports"] = reset_demo_passport(emails=emails)
    deleted["talent"] = reset_demo_talent(emails=emails, municipality_codes=[m.code for m in MUNICIPALITIES])
    deleted["facilities"] = reset_demo_facilities(emails=emails, venues=_demo_venues())
    organizations = _demo_organizations()
    opportunities = LearningOpportunity.objects.filter(provider__in=organizations)
    _delete_audit_entries(LearningOpportunity, opportunities.values_list("pk", flat=True))
    deleted["opportunities"] = opportunities.count()
    opportunities.delete()

    unused_organizations = organizations.filter(opportunities__isnull=True)
    _delete_audit_entries(Organization, unused_organizations.values_list("pk", flat=True))
    deleted["providers"] = unused_organizations.count()
    unused_organizations.delete()

    venues = _demo_venues().filter(opportunities__isnull=True, sessions__isnull=True).distinct()
    deleted["venues"] = venues.count()
    Venue.objects.filter(pk__in=list(venues.values_list("pk", flat=True))).delete()

    AuditEntry.objects.filter(action="coordinator.assign", data__user__in=emails).delete()
    users = User.objects.filter(email__in=emails)
    deleted["accounts"] = users.count()
    users.delete()
    return dict(deleted)


def _delete_audit_entries(model, pks) -> None:
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in pks]
    ).delete()


def account_rows() -> list[tuple[str, str, str, str]]:
    """(role, e-mail, password, acts for) of every demo account, for the table `load-demo` prints."""
    providers = {p.key: p for m in MUNICIPALITIES for p in m.providers}
    names = {m.code: m.name for m in MUNICIPALITIES}
    rows = []
    for account in ACCOUNTS:
        if account.role == "superuser":
            role, scope = "superuser", "all municipalities (/admin/)"
        elif account.role == "coordinator":
            role, scope = "coordinator", names[account.municipality]
        elif account.role == "provider":
            provider = providers[account.provider]
            role = "provider (trusted)" if provider.trusted else "provider (reviewed)"
            scope = provider.name
        else:
            role, scope = "citizen", "-"
        rows.append((role, account.email, DEMO_PASSWORD, scope))
    return rows
