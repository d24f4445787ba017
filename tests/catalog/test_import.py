"""Importing the 「イベント一覧」 CSV: the services, the command and the coordinator's upload pages."""

import datetime as dt
import io
import os
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from manabiya.catalog import importing
from manabiya.catalog.models import LearningOpportunity, Session, Status, Venue
from manabiya.catalog.services import opportunity_withdraw
from manabiya.core.audit import history_for
from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.models import AuditEntry, Municipality, Organization

from ..conftest import local
from .test_eventcsv import BASE_ROW, event_csv, row

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _private_staging(settings, tmp_path):
    settings.IMPORT_STAGING_DIR = tmp_path / "imports"


def three_rows() -> list[dict[str, str]]:
    return [
        row(),
        row(
            NO="2",
            イベント名="夏休み工作教室",
            開始日="2027/7/28",
            終了日="2027/7/30",
            開始時間="10:00",
            終了時間="12:00",
            主催者="こがねい工作クラブ",
            料金基本="５００円",
            定員="20人",
            開始日時特記事項="",
        ),
        row(
            NO="3",
            イベント名="郷土資料展",
            開始日="2027-10-01",
            終了日="2027-10-31",
            開始時間="",
            終了時間="",
            場所名称="小金井市文化財センター",
            住所="東京都小金井市緑町3-6-4",
            緯度="35.711",
            経度="139.512",
            主催者="",
            連絡先名称="文化財センター",
            定員="",
            参加申込終了日="",
            参加申込終了時間="",
            参加申込方法="",
        ),
    ]


def run(data: bytes, actor=None, code="132101", **kwargs) -> importing.ImportResult:
    return importing.events_import(actor=actor, data=data, municipality_code=code, **kwargs)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_import_reads_utf8_utf8_bom_and_cp932(koganei, coordinator, encoding):
    """The same file saved as UTF-8, UTF-8 with BOM or Shift_JIS imports the same opportunities."""
    result = run(event_csv(three_rows(), encoding=encoding), actor=coordinator)
    assert len(result.created) == 3
    titles = sorted(LearningOpportunity.objects.values_list("title", flat=True))
    assert titles == sorted(["親子で楽しむ星空観察会", "夏休み工作教室", "郷土資料展"])
    workshop = LearningOpportunity.objects.get(title="夏休み工作教室")
    assert workshop.fee == 500
    assert workshop.capacity == 20
    assert workshop.provider.name == "こがねい工作クラブ"


def test_imported_row_fills_every_field(koganei, coordinator, venue, kominkan):
    """One row becomes a published opportunity with its provider, venue, sessions and details."""
    plan = importing.events_import_plan(actor=coordinator, data=event_csv(three_rows()), municipality_code="132101")
    assert plan.new_providers == sorted(["小金井市生涯学習課", "こがねい工作クラブ", "文化財センター"])
    assert plan.new_venues == ["小金井市文化財センター"]  # 小金井市公民館本館 exists already
    progress = []
    result = run(
        event_csv(three_rows()),
        actor=coordinator,
        progress=lambda done, total: progress.append((done, total)),
    )
    assert progress[0] == (0, 3) and progress[-1] == (3, 3)
    stars = LearningOpportunity.objects.get(source_key="no:1")
    assert stars.status == Status.PUBLISHED and stars.published_at is not None
    assert stars.municipality == koganei
    assert stars.title_kana == "オヤコデタノシムホシゾラカンサツカイ"
    assert stars.title_en == "Stargazing for families"
    assert stars.fee == 0 and stars.fee_note == "保険料50円"
    assert stars.contact_name == "小金井市生涯学習課"
    assert stars.contact_phone == "042-387-9876 内線1234"
    assert stars.capacity == 30
    assert stars.application_closes_at == local(2027, 1, 10, 17)
    assert stars.application_note == "電話で生涯学習課へ"
    assert stars.url == "https://www.city.koganei.example.jp/hoshizora"
    assert stars.provider.name == "小金井市生涯学習課"
    assert stars.provider.kind == Organization.Kind.CITY_DEPARTMENT
    # The existing venue of the same name and address is reused and its details filled in.
    assert stars.venue == venue
    venue.refresh_from_db()
    assert (venue.latitude, venue.longitude) == (Decimal("35.699"), Decimal("139.503"))
    assert venue.address_detail == "3階 講座室" and venue.access == "JR武蔵小金井駅から徒歩5分"
    assert [(s.starts_at, s.ends_at, s.note) for s in stars.sessions.all()] == [
        (local(2027, 1, 16, 18, 30), local(2027, 1, 16, 20), "雨天中止")
    ]
    assert (stars.first_starts_at, stars.last_ends_at) == (local(2027, 1, 16, 18, 30), local(2027, 1, 16, 20))

    workshop = LearningOpportunity.objects.get(source_key="no:2")
    assert [(s.starts_at, s.ends_at) for s in workshop.sessions.all()] == [
        (local(2027, 7, d, 10), local(2027, 7, d, 12)) for d in (28, 29, 30)
    ]
    assert {s.weekday for s in workshop.sessions.all()} == {3, 4, 5}
    assert workshop.provider.kind == Organization.Kind.CITIZENS_GROUP

    exhibition = LearningOpportunity.objects.get(source_key="no:3")
    assert exhibition.provider.name == "文化財センター"  # 連絡先名称 stands in for an empty 主催者
    assert exhibition.venue.name == "小金井市文化財センター"
    assert exhibition.capacity is None and exhibition.application_closes_at is None
    assert [(s.starts_at, s.ends_at) for s in exhibition.sessions.all()] == [
        (local(2027, 10, 1, 0), local(2027, 11, 1, 0))
    ]
    assert result.venues_created == 1 and result.providers_created == 3
    # The import and each opportunity it published are in the audit log.
    entry = AuditEntry.objects.get(action="events.import")
    assert entry.actor == coordinator and entry.municipality == koganei
    assert sorted(entry.data["created"]) == sorted(result.created)
    assert [e.action for e in history_for(stars)] == ["opportunity.import"]


def test_full_width_brackets_and_extra_columns(koganei, coordinator):
    header = [c.replace("(", "（").replace(")", "）") for c in BASE_ROW]
    plan = importing.events_import_plan(
        actor=coordinator,
        data=event_csv([row(料金基本="1,200円")], header=header, extra=3),
        municipality_code="132101",
    )
    assert plan.ok and plan.ignored_columns == ["独自項目1", "独自項目2", "独自項目3"]
    run(event_csv([row(料金基本="1,200円")], header=header, extra=3), actor=coordinator)
    assert LearningOpportunity.objects.get().fee == 1200


def test_swapped_coordinates_are_corrected_with_a_warning(koganei, coordinator):
    result = run(event_csv([row(緯度="139.503", 経度="35.699")]), actor=coordinator)
    venue = Venue.objects.get()
    assert (venue.latitude, venue.longitude) == (Decimal("35.699"), Decimal("139.503"))
    assert [(w.line, w.column) for w in result.warnings] == [(2, "緯度")]


def test_bad_rows_are_all_reported_and_nothing_is_saved(koganei, coordinator):
    """Every bad row is listed with its line and column, and not one row is saved."""
    rows = [
        row(),  # line 2: fine
        row(NO="2", 開始日="2027-02-30"),  # line 3
        row(NO="3", 開始日="2027-03-10", 終了日="2027-03-01", 料金基本="お気持ち"),  # line 4
        row(NO="4"),  # line 5: fine
        row(NO="4", イベント名="同じNOの別行"),  # line 6: NO repeated
        row(NO="6", 場所名称="", 住所="", 市区町村名="小金井市", 都道府県コード又は市区町村コード="012246"),  # line 7
        row(NO="7", イベント名="あ" * 201),  # line 8
    ]
    organizations = Organization.objects.count()
    with pytest.raises(importing.EventImportRefused) as refused:
        run(event_csv(rows), actor=coordinator)
    assert [(p.line, p.column) for p in refused.value.errors] == [
        (3, "開始日"),
        (4, "終了日"),
        (4, "料金(基本)"),
        (6, "NO"),
        (7, "都道府県コード又は市区町村コード"),
        (7, "場所名称"),
        (8, "イベント名"),
    ]
    assert LearningOpportunity.objects.count() == 0
    assert Venue.objects.count() == 0
    assert Organization.objects.count() == organizations
    assert not AuditEntry.objects.filter(action="events.import").exists()


def test_reimport_updates_instead_of_duplicating(koganei, coordinator):
    """Importing the same file again changes nothing; an edited file updates the same rows,
    and a session whose start did not move keeps its row."""
    run(event_csv(three_rows()), actor=coordinator)
    workshop = LearningOpportunity.objects.get(source_key="no:2")
    kept_session = workshop.sessions.get(starts_at=local(2027, 7, 28, 10))
    result = run(event_csv(three_rows()), actor=coordinator)
    assert len(result.created) == 0 and len(result.updated) == 3
    assert LearningOpportunity.objects.count() == 3 and Session.objects.count() == 1 + 3 + 1

    edited = three_rows()
    edited[1].update({"イベント名": "夏休み工作教室（木工）", "料金(基本)": "800", "終了日": "2027/7/29"})
    plan = importing.events_import_plan(actor=coordinator, data=event_csv(edited), municipality_code="132101")
    assert (plan.new_count, plan.update_count) == (0, 3)
    run(event_csv(edited), actor=coordinator)
    workshop.refresh_from_db()
    assert workshop.title == "夏休み工作教室（木工）" and workshop.fee == 800
    assert list(workshop.sessions.values_list("starts_at", flat=True)) == [
        local(2027, 7, 28, 10),
        local(2027, 7, 29, 10),
    ]
    assert workshop.sessions.filter(pk=kept_session.pk).exists()
    assert workshop.last_ends_at == local(2027, 7, 29, 12)
    assert LearningOpportunity.objects.count() == 3


def test_rows_without_no_are_identified_by_name_date_and_place(koganei, coordinator):
    rows = [row(NO=""), row(NO="", 開始日="2027-01-17", 終了日="")]
    run(event_csv(rows), actor=coordinator)
    run(event_csv(rows), actor=coordinator)
    keys = list(LearningOpportunity.objects.values_list("source_key", flat=True))
    assert len(keys) == 2 and all(k.startswith("hash:") for k in keys)


def test_withdrawn_opportunity_stays_withdrawn_on_reimport(koganei, coordinator):
    run(event_csv([row()]), actor=coordinator)
    opportunity = LearningOpportunity.objects.get()
    opportunity_withdraw(actor=coordinator, opportunity=opportunity, reason="会場工事のため")
    run(event_csv([row(料金基本="100")]), actor=coordinator)
    opportunity.refresh_from_db()
    assert opportunity.status == Status.WITHDRAWN and opportunity.fee == 100


def test_only_a_coordinator_of_the_municipality_may_import(
    koganei, chitose_coordinator, provider_member, citizen, coordinator
):
    """Provider members, citizens and another municipality's coordinator are refused."""
    data = event_csv([row()])
    for actor in (chitose_coordinator, provider_member, citizen):
        with pytest.raises(PermissionDenied):
            importing.events_import_plan(actor=actor, data=data, municipality_code="132101")
        with pytest.raises(PermissionDenied):
            run(data, actor=actor)
    assert LearningOpportunity.objects.count() == 0
    assert importing.events_import_plan(actor=coordinator, data=data, municipality_code="132101").ok


def test_missing_municipality_is_created_from_the_file(db):
    """With a 5-digit code the check digit is added, and the names come from the file."""
    rows = [row(都道府県コード又は市区町村コード="13214", 都道府県名="東京都", 市区町村名="国分寺市")]
    result = run(event_csv(rows), code="13214")
    municipality = Municipality.objects.get(code="132144")
    assert (municipality.name, municipality.prefecture) == ("国分寺市", "東京都")
    assert result.municipality_created
    assert LearningOpportunity.objects.get().municipality == municipality


def test_rows_of_another_municipality_are_refused(koganei, coordinator):
    plan = importing.events_import_plan(
        actor=coordinator,
        data=event_csv([row(都道府県コード又は市区町村コード="012246")]),
        municipality_code="132101",
    )
    assert [(p.line, p.column) for p in plan.errors] == [(2, "都道府県コード又は市区町村コード")]


# --- the command ---------------------------------------------------------------------------------


def write(tmp_path, data: bytes, name="events.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_command_dry_run_saves_nothing(koganei, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_events",
        write(tmp_path, event_csv(three_rows())),
        municipality="132101",
        dry_run=True,
        stdout=out,
        stderr=err,
    )
    assert "3 new, 0 updated" in out.getvalue()
    assert LearningOpportunity.objects.count() == 0
    assert not AuditEntry.objects.filter(action="events.import").exists()


def test_command_imports_with_a_progress_bar(koganei, coordinator, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_events",
        write(tmp_path, event_csv(three_rows(), encoding="cp932")),
        municipality="132101",
        as_email=coordinator.email,
        stdout=out,
        stderr=err,
    )
    assert "3 new, 0 updated" in out.getvalue()
    assert "3/3" in err.getvalue()  # tqdm's bar
    assert LearningOpportunity.objects.count() == 3
    assert AuditEntry.objects.get(action="events.import").actor == coordinator


def test_command_prints_every_bad_row_and_fails(koganei, tmp_path):
    rows = [row(), row(NO="2", 開始時間="25:00"), row(NO="3", 定員="多数", 緯度="北緯35度")]
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_events",
            write(tmp_path, event_csv(rows)),
            municipality="132101",
            stderr=err,
            stdout=io.StringIO(),
        )
    lines = err.getvalue().splitlines()
    assert any(line.startswith("line 3, column 開始時間: ") for line in lines)
    assert any(line.startswith("line 4, column 緯度: ") for line in lines)
    assert any(line.startswith("line 4, column 定員: ") for line in lines)
    assert LearningOpportunity.objects.count() == 0


def test_command_as_a_non_coordinator_is_refused(koganei, chitose_coordinator, tmp_path):
    with pytest.raises(CommandError):
        call_command(
            "import_events",
            write(tmp_path, event_csv([row()])),
            municipality="132101",
            as_email=chitose_coordinator.email,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert LearningOpportunity.objects.count() == 0


# --- the upload pages ----------------------------------------------------------------------------


def upload(client, data: bytes, municipality="132101", name="events.csv"):
    return client.post(
        reverse("catalog:import_upload"),
        {"municipality": municipality, "file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def test_upload_preview_then_confirm_imports_in_the_background(
    client, koganei, coordinator, django_capture_on_commit_callbacks
):
    """The preview saves nothing; confirming runs the task (inline in tests) and the status page
    shows the outcome."""
    client.force_login(coordinator)
    assert client.get(reverse("catalog:import_upload")).status_code == 200
    response = upload(client, event_csv(three_rows(), encoding="cp932"))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert (plan.new_count, plan.update_count, plan.encoding) == (3, 0, "cp932")
    assert LearningOpportunity.objects.count() == 0
    job = response.context["job"]
    assert job is not None
    assert reverse("catalog:import_confirm") in response.content.decode()

    # The task runs inline here, inside the test's transaction: "done" is written on its commit.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("catalog:import_confirm"), {"job": job.id})
    status_url = reverse("catalog:import_status", args=[job.id])
    assert response.status_code == 302 and response["Location"] == status_url
    assert LearningOpportunity.objects.filter(status=Status.PUBLISHED).count() == 3
    response = client.get(status_url)
    assert response.status_code == 200
    assert response.context["job"].state == importing.JobState.DONE
    assert response.context["job"].created == 3
    assert not (importing.staging_dir() / f"{job.id}.confirmed.csv").exists()  # used up
    # A second confirmation (a double click) does not import again.
    client.post(reverse("catalog:import_confirm"), {"job": job.id})
    assert AuditEntry.objects.filter(action="events.import").count() == 1
    # htmx asks for the partial only.
    partial = client.get(status_url, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"import-status" in partial.content


def test_upload_with_bad_rows_lists_them_and_offers_no_confirmation(client, koganei, coordinator):
    client.force_login(coordinator)
    response = upload(client, event_csv([row(), row(NO="2", イベント名=""), row(NO="3", 終了日="2026-01-01")]))
    assert response.status_code == 200
    assert response.context["job"] is None
    assert [(p.line, p.column) for p in response.context["plan"].errors] == [(3, "イベント名"), (4, "終了日")]
    body = response.content.decode()
    assert reverse("catalog:import_confirm") not in body
    assert re.search(r"<td>3</td><td>イベント名</td>", body)
    assert LearningOpportunity.objects.count() == 0


def test_upload_of_a_file_that_is_not_text_shows_a_form_error(client, koganei, coordinator):
    client.force_login(coordinator)
    response = upload(client, b"\x00\x01\x02\xff")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


@pytest.mark.parametrize("who", ["provider_member", "citizen"])
def test_upload_pages_refuse_non_coordinators(client, request, koganei, coordinator, who):
    user = request.getfixturevalue(who)
    client.force_login(coordinator)
    job = upload(client, event_csv([row()])).context["job"]
    client.force_login(user)
    assert client.get(reverse("catalog:import_upload")).status_code == 403
    assert upload(client, event_csv([row()])).status_code == 403
    assert client.post(reverse("catalog:import_confirm"), {"job": job.id}).status_code == 403
    assert client.get(reverse("catalog:import_status", args=[job.id])).status_code == 403
    assert LearningOpportunity.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("catalog:import_upload"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_another_municipalitys_coordinator_cannot_import_into_koganei(
    client, koganei, coordinator, chitose_coordinator
):
    client.force_login(chitose_coordinator)
    page = client.get(reverse("catalog:import_upload"))
    assert [m.code for m in page.context["form"].fields["municipality"].queryset] == ["012246"]
    response = upload(client, event_csv([row()]), municipality="132101")
    assert response.status_code == 200 and response.context["form"].errors["municipality"]

    client.force_login(coordinator)
    job = upload(client, event_csv([row()])).context["job"]
    client.force_login(chitose_coordinator)
    assert client.post(reverse("catalog:import_confirm"), {"job": job.id}).status_code == 403
    assert client.get(reverse("catalog:import_status", args=[job.id])).status_code == 403
    assert LearningOpportunity.objects.count() == 0


def test_failed_background_import_reports_its_rows(client, koganei, coordinator):
    """Rows that became bad between preview and confirmation are reported on the status page."""
    client.force_login(coordinator)
    job = upload(client, event_csv([row(主催者="新しい会")])).context["job"]
    # Stand-in for a change between preview and confirmation: the staged file now has a bad row.
    staged = importing.staging_dir() / f"{job.id}.csv"
    staged.write_bytes(event_csv([row(イベント名="")]))
    client.post(reverse("catalog:import_confirm"), {"job": job.id})
    response = client.get(reverse("catalog:import_status", args=[job.id]))
    shown = response.context["job"]
    assert shown.state == importing.JobState.FAILED
    assert [(e["line"], e["column"]) for e in shown.errors] == [(2, "イベント名")]
    assert LearningOpportunity.objects.count() == 0
    assert dt.datetime.fromisoformat(shown.finished_at)


def test_status_page_of_a_running_import_polls_and_offers_a_refresh_link(client, koganei, coordinator):
    """While an import runs the page shows its progress; htmx polls it, a link refreshes it without JS."""
    client.force_login(coordinator)
    job = upload(client, event_csv(three_rows())).context["job"]
    url = reverse("catalog:import_status", args=[job.id])
    assert reverse("catalog:import_confirm") in client.get(url).content.decode()  # not confirmed yet
    job.state, job.done, job.total = importing.JobState.RUNNING, 1, 3
    importing._job_save(job)
    body = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert f'href="{url}"' in body
    assert 'value="33"' in body


# --- confirming once, progress, clean-up ---------------------------------------------------------


def stage(coordinator, koganei, data: bytes | None = None) -> importing.ImportJob:
    return importing.import_job_stage(
        actor=coordinator,
        municipality=koganei,
        data=data or event_csv(three_rows()),
        filename="events.csv",
        language="en",
    )


@pytest.fixture
def queue_only(settings):
    """Tasks are queued but not run, so a test can run them when it chooses."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


def test_a_confirmation_that_loses_the_claim_queues_nothing(koganei, coordinator, queue_only):
    """Two confirmations that both read the upload as waiting: the first renames (claims) the
    file and queues the import; the second finds the file claimed and gets the job back."""
    job = stage(coordinator, koganei)
    stale = importing.import_job_get(job_id=job.id)
    assert importing.import_job_confirm(actor=coordinator, job_id=job.id).state == importing.JobState.QUEUED
    assert not (importing.staging_dir() / f"{job.id}.csv").exists()
    assert (importing.staging_dir() / f"{job.id}.confirmed.csv").exists()
    # The second request read the job before the first saved "queued".
    importing._job_save(stale)
    assert importing.import_job_confirm(actor=coordinator, job_id=job.id).state == importing.JobState.UPLOADED
    assert len(queue_only.results) == 1
    queued = importing.import_job_get(job_id=job.id)
    queued.state = importing.JobState.QUEUED  # what the first request wrote
    importing._job_save(queued)
    for result in list(queue_only.results):
        importing.import_job_run(**result.kwargs)
    assert AuditEntry.objects.filter(action="events.import").count() == 1
    assert LearningOpportunity.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_import_once(koganei, coordinator):
    """A double click sends two confirmations at the same moment; the file is imported once."""
    from .test_concurrency import race

    for number in range(3):
        job = stage(coordinator, koganei, event_csv([row(NO=str(number))]))
        outcomes = race(
            lambda j=job: importing.import_job_confirm(actor=coordinator, job_id=j.id),
            lambda j=job: importing.import_job_confirm(actor=coordinator, job_id=j.id),
        )
        assert all(isinstance(o, importing.ImportJob) for o in outcomes), outcomes
        assert importing.import_job_get(job_id=job.id).state == importing.JobState.DONE
    assert AuditEntry.objects.filter(action="events.import").count() == 3
    assert LearningOpportunity.objects.count() == 3


def test_done_is_recorded_only_when_the_import_commits(
    koganei, coordinator, queue_only, django_capture_on_commit_callbacks
):
    """Run inside a transaction, the job says "importing" until that transaction commits."""
    job = importing.import_job_confirm(actor=coordinator, job_id=stage(coordinator, koganei).id)
    with django_capture_on_commit_callbacks() as callbacks:
        importing.import_job_run(job_id=job.id)
    running = importing.import_job_get(job_id=job.id)
    assert running.state == importing.JobState.RUNNING and (running.done, running.total) == (3, 3)
    for callback in callbacks:
        callback()
    done = importing.import_job_get(job_id=job.id)
    assert (done.state, done.created) == (importing.JobState.DONE, 3)


def test_an_import_that_fails_after_writing_rows_reports_none_done(koganei, coordinator, queue_only, monkeypatch):
    """The job file counted rows as they were written; the failure rolls them back, so the job
    ends "not imported" with its message and no rows done, and the upload is deleted."""
    job = importing.import_job_confirm(actor=coordinator, job_id=stage(coordinator, koganei).id)
    seen = []
    log_action = importing.log_action

    def failing_log_action(**kwargs):
        if kwargs["action"] == "events.import":
            seen.append(importing.import_job_get(job_id=job.id).done)
            raise RuntimeError("disk full")
        return log_action(**kwargs)

    monkeypatch.setattr(importing, "log_action", failing_log_action)
    with pytest.raises(RuntimeError):
        importing.import_job_run(job_id=job.id)
    assert seen == [3]  # progress was on disk while the transaction was open
    failed = importing.import_job_get(job_id=job.id)
    assert failed.state == importing.JobState.FAILED and failed.done == 0
    assert failed.message == "The import stopped on an unexpected error; nothing was saved."
    assert LearningOpportunity.objects.count() == 0
    assert list(importing.staging_dir().glob(f"{job.id}*.csv")) == []


def test_a_refused_import_deletes_its_upload(koganei, coordinator, queue_only):
    job = stage(coordinator, koganei)
    importing.import_job_confirm(actor=coordinator, job_id=job.id)
    (importing.staging_dir() / f"{job.id}.confirmed.csv").write_bytes(event_csv([row(イベント名="")]))
    importing.import_job_run(job_id=job.id)
    failed = importing.import_job_get(job_id=job.id)
    assert failed.state == importing.JobState.FAILED and failed.done == 0 and failed.errors
    assert list(importing.staging_dir().glob(f"{job.id}*.csv")) == []


# --- prune-imports -------------------------------------------------------------------------------


def age(job_id: str, days: float) -> None:
    """Make every file of the job look `days` old."""
    moment = dt.datetime.now(tz=dt.UTC).timestamp() - days * 86400
    for path in importing.staging_dir().glob(f"{job_id}*"):
        os.utime(path, (moment, moment))


def with_state(job: importing.ImportJob, state: str) -> importing.ImportJob:
    job.state = state
    importing._job_save(job)
    if state != importing.JobState.UPLOADED:
        (importing.staging_dir() / f"{job.id}.csv").unlink()
    return job


def test_prune_imports_deletes_old_unconfirmed_uploads_and_finished_jobs(koganei, coordinator):
    """Old uploads never confirmed and old finished imports go; recent ones, imports under way and
    files that are not a job's stay."""
    staging = importing.staging_dir()
    old_upload = stage(coordinator, koganei)
    new_upload = stage(coordinator, koganei)
    old_done = with_state(stage(coordinator, koganei), importing.JobState.DONE)
    old_failed = with_state(stage(coordinator, koganei), importing.JobState.FAILED)
    new_done = with_state(stage(coordinator, koganei), importing.JobState.DONE)
    old_queued = with_state(stage(coordinator, koganei), importing.JobState.QUEUED)
    (staging / f"{old_queued.id}.confirmed.csv").write_bytes(b"queued")
    stray = "0b5a8d1e-9a3f-4c1b-8e7d-2f6a5c4b3a21"
    (staging / f"{stray}.csv").write_bytes(b"half staged")
    (staging / "README.txt").write_text("not a job")
    for job_id in (old_upload.id, old_done.id, old_failed.id, old_queued.id, stray):
        age(job_id, 3)
    os.utime(staging / "README.txt", (0, 0))

    out = io.StringIO()
    call_command("prune_imports", stdout=out)
    assert out.getvalue().strip() == "Unconfirmed uploads deleted: 2. Finished imports deleted: 2."
    left = {path.name for path in staging.iterdir()}
    assert left == {
        f"{new_upload.id}.json",
        f"{new_upload.id}.csv",
        f"{new_done.id}.json",
        f"{old_queued.id}.json",
        f"{old_queued.id}.confirmed.csv",
        "README.txt",
    }
    with pytest.raises(RuleViolation):
        importing.import_job_confirm(actor=coordinator, job_id=old_upload.id)


def test_prune_imports_takes_the_age_in_days(koganei, coordinator):
    job = stage(coordinator, koganei)
    age(job.id, 3)
    call_command("prune_imports", older_than_days=5, stdout=io.StringIO())
    assert importing.import_job_get(job_id=job.id) is not None
    call_command("prune_imports", "--older-than-days", "0", stdout=io.StringIO())
    assert importing.import_job_get(job_id=job.id) is None
    with pytest.raises(CommandError):
        call_command("prune_imports", older_than_days=-1, stdout=io.StringIO())


def test_prune_imports_without_a_staging_directory_does_nothing(db):
    out = io.StringIO()
    call_command("prune_imports", stdout=out)
    assert out.getvalue().strip() == "Unconfirmed uploads deleted: 0. Finished imports deleted: 0."


def test_command_as_someone_who_is_not_a_coordinator_is_refused_plainly(koganei, citizen, tmp_path):
    """`--as` a citizen: a clear refusal on the command line, not a traceback, and nothing saved."""
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="coordinator"):
        call_command(
            "import_events", write(tmp_path, event_csv(three_rows())), municipality="132101",
            as_email=citizen.email, stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    assert LearningOpportunity.objects.count() == 0
