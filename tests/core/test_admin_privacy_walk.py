"""The admin shows and searches only what the staff pages show.

A registrant keeps items of their talent-bank registration to themselves ("only me"); the
coordinators' own page never shows them. Every admin page — each registered ModelAdmin's changelist,
change, history and delete-confirmation pages, for real rows the demo loader and the services built —
is walked as each person who reaches the admin (the municipality's coordinator, another
municipality's coordinator, a provider's member who is staff, a superuser), and no page may hold a
value marked private, nor may searching or filtering the changelist by one find its row.
"""

import itertools
import re

import pytest
from django.contrib import admin
from django.core import checks
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from manabiya.catalog.demo.loader import load_demo
from manabiya.core import services as core_services
from manabiya.core.admin_scoping import FieldPrivacyMixin, field_privacy, privacy_errors
from manabiya.core.models import Municipality, Organization, User
from manabiya.talent import selectors as talent_selectors
from manabiya.talent import services as talent_services
from manabiya.talent.models import LectureRequest, LectureTopic, TalentProfile

pytestmark = pytest.mark.django_db

CHITOSE = "012246"
ROLES = ("coordinator", "other_coordinator", "provider_staff", "superuser")
OBJECTS_PER_ADMIN = 3  # besides every row that is, or points at, a private one
_serial = itertools.count(4711)


def marker(label: str, field: models.Field | None = None, *, prefix: str = "秘密") -> str:
    text = f"{prefix}-{label}-{next(_serial)}"
    return text[: field.max_length] if field is not None and field.max_length else text


# --- the rows --------------------------------------------------------------------------------------


class Seeded:
    """The private rows, the marker in each of their private fields, and rows that point at them."""

    def __init__(self):
        self.private: dict[type[models.Model], list[int]] = {}
        self.markers: dict[str, tuple[type[models.Model], str]] = {}  # marker → (model, field)
        self.related: list[models.Model] = []  # rows pointing at a private row, or pointed at by one
        self.visible: dict[str, str] = {}  # field → marker of a registration shown to coordinators


def _seed_field(profile: models.Model, field: models.Field, seeded: Seeded, *, prefix: str = "秘密") -> None:
    model = type(profile)
    if field.many_to_many:
        # Reference rows of its own that only this registration uses: naming them gives it away.
        related = field.related_model
        text = marker(field.name, related._meta.get_field("name"), prefix=prefix)
        values = {"name": text, "slug": f"private-{field.name}-{next(_serial)}"}
        row = related.objects.create(**{k: v for k, v in values.items() if hasattr(related, k)})
        getattr(profile, field.name).add(row)
    elif isinstance(field, models.JSONField):
        text = marker(field.name, prefix=prefix)
        model.objects.filter(pk=profile.pk).update(**{field.name: [text]})
    else:
        text = marker(field.name, field, prefix=prefix)
        model.objects.filter(pk=profile.pk).update(**{field.name: text})
    seeded.markers[text] = (model, field.name)


@pytest.fixture
def region(db):
    """The demo region, plus in Chitose a registration whose every item is "only me", with a marker in
    each private field, asked to give a lecture and named on the menu; and one shown to coordinators."""
    load_demo(today=timezone.localdate())
    chitose = Municipality.objects.get(code=CHITOSE)
    coordinator = User.objects.filter(coordinator_assignments__municipality=chitose).first()
    library = Organization.objects.filter(municipality=chitose).order_by("pk").first()
    registrant = User.objects.create_user(email="registrant@example.jp", password=None)
    core_services.membership_add(actor=None, user=registrant, organization=library)

    assert set(field_privacy.models()) == {TalentProfile}, "seed markers into the new model's private fields"
    policy = field_privacy.policy_for(TalentProfile)
    seeded = Seeded()
    profiles = {}
    for visibility in ("private", "coordinators"):
        user = registrant if visibility == "private" else User.objects.create_user(email="shown@example.jp")
        profile = talent_services.profile_register(
            user=user, municipality=chitose, agrees_to_rules=True,
            organization=library if visibility == "private" else None,
            name="placeholder", name_kana="プレースホルダー", is_instructor=True, is_volunteer=True,
            keywords="", topics="", areas="", weekdays=[1], times=["morning"], fee_policy="free",
            residency="lives", contact_email=user.email,
            visibility=dict.fromkeys(TalentProfile.ITEMS, visibility),
        )  # fmt: skip
        profiles[visibility] = talent_services.profile_decide(actor=coordinator, profile=profile, approve=True)
    secret, shown = profiles["private"], profiles["coordinators"]

    # The registration takes part in the menu and in a request before its values are marked.
    office = Organization.objects.get(municipality=chitose, name="千歳市教育委員会 生涯学習課")
    topic = talent_services.topic_save(
        actor=coordinator, provider=office, title="秘密の講座の題ではない", description="説明",
        duration_minutes=60, min_group_size=5, talent=secret,
    )  # fmt: skip
    # The demo's request waits for another lecturer's answer: withdraw it and ask this one, who accepts.
    request = LectureRequest.objects.get(municipality=chitose, state=LectureRequest.State.ASKED)
    for waiting in request.invitations.filter(state="asked"):
        talent_services.invitation_withdraw(actor=coordinator, invitation=waiting)
    request.refresh_from_db()
    invitation = talent_services.lecturer_invite(actor=coordinator, request=request, talent=secret)
    talent_services.invitation_answer(actor=registrant, invitation=invitation, accept=True)

    for name in sorted(policy.fields):
        field = TalentProfile._meta.get_field(name)
        _seed_field(secret, field, seeded)
        if field.get_internal_type() in ("CharField", "TextField") and not field.choices:
            text = marker(name, field, prefix="見える")
            TalentProfile.objects.filter(pk=shown.pk).update(**{name: text})
            seeded.visible[name] = text
    seeded.private[TalentProfile] = [secret.pk]
    seeded.related = [topic, LectureRequest.objects.get(pk=request.pk, lecturer=secret), secret.user, library, chitose]
    return {
        "secret": TalentProfile.objects.get(pk=secret.pk),
        "shown": shown,
        "seeded": seeded,
        "chitose": chitose,
        "coordinator": coordinator,
        "library": library,
    }


def _role(role: str, region) -> User:
    chitose = region["chitose"]
    if role == "coordinator":
        return region["coordinator"]
    if role == "other_coordinator":
        return User.objects.filter(coordinator_assignments__isnull=False).exclude(
            coordinator_assignments__municipality=chitose
        )[0]
    if role == "provider_staff":
        # A provider's member whose account is staff (a former coordinator, say): no role in the admin.
        member = User.objects.filter(memberships__organization__municipality=chitose).exclude(is_superuser=True)[0]
        User.objects.filter(pk=member.pk).update(is_staff=True)
        member.refresh_from_db()
        assert not member.coordinator_assignments.exists()
        return member
    return User.objects.filter(is_superuser=True).first()


# --- the walk --------------------------------------------------------------------------------------


def _url(model_admin, action: str, *args) -> str | None:
    opts = model_admin.model._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=args)
    except NoReverseMatch:
        return None


def _rows_to_open(model: type[models.Model], seeded: Seeded) -> list:
    pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:OBJECTS_PER_ADMIN])
    pks += seeded.private.get(model, [])
    pks += [row.pk for row in seeded.related if isinstance(row, model)]
    for field in model._meta.get_fields():
        if field.is_relation and field.concrete and field.related_model in seeded.private:
            pointing = model._default_manager.filter(**{f"{field.name}__in": seeded.private[field.related_model]})
            pks += list(pointing.values_list("pk", flat=True))
    return list(dict.fromkeys(pks))


def _markers_for(model_admin, seeded: Seeded) -> list[str]:
    """The markers no page of this admin may show. A reference row made for a private many-to-many
    value (a category) is the category admin's own row: only the registration must not name it."""
    found = []
    for text, (model, name) in seeded.markers.items():
        if model._meta.get_field(name).many_to_many and model_admin.model is not model:
            continue
        found.append(text)
    return found


def _leaks(body: str, markers: list[str]) -> list[str]:
    return [text for text in markers if text in body]


def walk(client, user: User, seeded: Seeded) -> list[str]:
    """Every admin page `user` can open, and every search and filter by a private value; what leaked."""
    client.force_login(user)
    problems = []
    index = client.get(reverse("admin:index"))
    problems += [f"admin index shows {m}" for m in _leaks(index.content.decode(), list(seeded.markers))]
    for model, model_admin in admin.site._registry.items():
        markers = _markers_for(model_admin, seeded)
        changelist = _url(model_admin, "changelist")
        response = client.get(changelist)
        if response.status_code >= 500:
            problems.append(f"{changelist}: {response.status_code}")
        problems += [f"{changelist} shows {m}" for m in _leaks(response.content.decode(), markers)]
        if response.status_code != 200:
            continue
        for pk in _rows_to_open(model, seeded):
            for action in ("change", "history", "delete"):
                url = _url(model_admin, action, pk)
                page = client.get(url)
                if page.status_code >= 500:
                    problems.append(f"{url}: {page.status_code}")
                problems += [f"{url} shows {m}" for m in _leaks(page.content.decode(), markers)]
        if model_admin.get_search_fields(response.wsgi_request):
            for text in markers:
                found = client.get(changelist, {"q": text})
                if found.status_code == 200 and found.context["cl"].result_count:
                    problems.append(f"{changelist}?q={text} finds {found.context['cl'].result_count} row(s)")
        for text, (private_model, name) in seeded.markers.items():
            field = private_model._meta.get_field(name)
            if private_model is not model or field.many_to_many or isinstance(field, models.JSONField):
                continue
            for lookup in (name, f"{name}__contains", f"{name}__startswith"):
                probe = client.get(changelist, {lookup: text[:4] if lookup.endswith("startswith") else text})
                if probe.status_code == 200 and probe.context["cl"].result_count:
                    problems.append(f"{changelist}?{lookup}=… finds {probe.context['cl'].result_count} row(s)")
    problems += _autocomplete_leaks(client, seeded)
    client.logout()
    return problems


def _autocomplete_leaks(client, seeded: Seeded) -> list[str]:
    """The admin's autocomplete (a related row's choices, typed for) names every row it lists: for each
    relation of a registered model to one that has an admin with search, every page of its choices."""
    problems = []
    for model in admin.site._registry:
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and field.related_model in admin.site._registry):
                continue
            if not admin.site._registry[field.related_model].search_fields:
                continue
            # The choices are rows of the related model: they may show what its own admin may.
            markers = _markers_for(admin.site._registry[field.related_model], seeded)
            query = {"app_label": model._meta.app_label, "model_name": model._meta.model_name, "field_name": field.name}
            for page in range(1, 20):
                response = client.get(reverse("admin:autocomplete"), {**query, "term": "", "page": page})
                if response.status_code >= 500:
                    problems.append(f"autocomplete {query}: {response.status_code}")
                if response.status_code != 200:
                    break
                texts = " ".join(result["text"] for result in response.json()["results"])  # JSON escapes kanji
                problems += [f"autocomplete {query} shows {m}" for m in _leaks(texts, markers)]
                if not response.json()["pagination"]["more"]:
                    break
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_no_admin_page_shows_or_finds_a_private_value(client, region, role):
    """Walked as `role`, no admin page holds a value its registrant kept to themselves, and neither
    search nor a filter in the address finds the registration by one."""
    problems = walk(client, _role(role, region), region["seeded"])
    assert problems == [], "\n".join(problems)


def test_what_the_coordinators_may_see_is_still_shown_and_found(client, region):
    """The walk is not vacuous: the items a registrant shows the coordinators are in the admin, and
    found by search, as on the coordinators' own page."""
    shown, seeded = region["shown"], region["seeded"]
    client.force_login(region["coordinator"])
    changelist = reverse("admin:talent_talentprofile_changelist")
    page = client.get(changelist).content.decode()
    assert seeded.visible["name"] in page
    change = client.get(reverse("admin:talent_talentprofile_change", args=[shown.pk])).content.decode()
    for name, text in seeded.visible.items():
        assert text in change, name
    for name in ("name", "name_kana", "keywords"):
        found = client.get(changelist, {"q": seeded.visible[name]})
        assert [row.pk for row in found.context["cl"].result_list] == [shown.pk], name


def test_the_private_registration_is_listed_by_its_number_and_says_what_is_kept(client, region):
    secret = region["secret"]
    client.force_login(region["coordinator"])
    page = client.get(reverse("admin:talent_talentprofile_changelist")).content.decode()
    label = talent_selectors.shown_name(secret, reader=talent_selectors.COORDINATORS)
    assert label != secret.name and label in page
    change = client.get(reverse("admin:talent_talentprofile_change", args=[secret.pk]))
    assert change.status_code == 200
    assert secret.contact_email in change.content.decode()  # contact details: the coordinators' to see


def test_no_column_of_a_private_field_sorts_the_changelist(client, region):
    """Sorting by a private column would tell where a hidden name falls among the others."""
    client.force_login(region["coordinator"])
    changelist = reverse("admin:talent_talentprofile_changelist")
    response = client.get(changelist)
    cl = response.context["cl"]
    policy = field_privacy.policy_for(TalentProfile)

    def private_orderings(response) -> list[str]:
        cl = response.context["cl"]
        ordering = cl.get_ordering(response.wsgi_request, cl.root_queryset)
        return [o for o in ordering if isinstance(o, str) and o.lstrip("-") in policy.fields]

    assert private_orderings(response) == []
    private_columns = [i for i, name in enumerate(cl.list_display) if name in policy.fields]
    assert private_columns  # the name column is there, only not sortable
    for index in private_columns:
        assert cl.get_ordering_field(cl.list_display[index]) is None
        assert private_orderings(client.get(changelist, {"o": str(index)})) == []


# --- the rule, for admins to come -----------------------------------------------------------------


def test_every_registered_admin_goes_through_the_privacy_rule():
    """The system check passes for the project's admin site, and every project admin is privacy-aware."""
    assert privacy_errors(admin.site) == []
    for model, model_admin in admin.site._registry.items():
        if model.__module__.startswith("manabiya."):
            assert isinstance(model_admin, FieldPrivacyMixin), model


def test_an_admin_that_bypasses_the_rule_is_refused_by_the_system_check():
    site = admin.AdminSite(name="scratch")

    class PlainAdmin(admin.ModelAdmin):
        pass

    class LeakyFilterAdmin(FieldPrivacyMixin, admin.ModelAdmin):
        list_filter = ("keywords",)

    site.register(TalentProfile, PlainAdmin)
    site.register(LectureTopic, type("TopicAdmin", (FieldPrivacyMixin, admin.ModelAdmin), {"list_filter": ("talent",)}))
    errors = privacy_errors(site)
    assert {e.id for e in errors} >= {"manabiya.E101", "manabiya.E102"}
    assert all(isinstance(e, checks.Error) for e in errors)
    site.unregister(TalentProfile)
    site.register(TalentProfile, LeakyFilterAdmin)
    assert any(e.id == "manabiya.E102" and re.search("keywords", e.msg) for e in privacy_errors(site))


def test_masking_the_rows_of_a_list_takes_no_query_a_row(client, region, django_assert_max_num_queries):
    """The private rows a list's rows point at are read in one query, however many rows there are."""
    client.force_login(region["coordinator"])
    changelist = reverse("admin:talent_lecturetopic_changelist")
    with CaptureQueriesContext(connection) as few:
        assert client.get(changelist).status_code == 200
    office = Organization.objects.get(municipality=region["chitose"], name="千歳市教育委員会 生涯学習課")
    for n in range(6):
        talent_services.topic_save(
            actor=region["coordinator"], provider=office, title=f"追加の講座 {n}", description="説明",
            duration_minutes=60, min_group_size=5, talent=region["secret"],
        )  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(changelist)
    assert page.context["cl"].result_count >= 7
