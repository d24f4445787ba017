from django.urls import path

from .views import citizen, public, staff

app_name = "passport"

urlpatterns = [
    path("passport/", citizen.home, name="home"),
    path("passport/programmes/<int:pk>/join/", citizen.join, name="join"),
    path("passport/my/<str:number>/", citizen.detail, name="detail"),
    path("passport/my/<str:number>/card.pdf", citizen.card_pdf, name="card_pdf"),
    path("passport/my/<str:number>/history.pdf", citizen.history_pdf, name="history_pdf"),
    path("passport/my/<str:number>/history.csv", citizen.history_csv, name="history_csv"),
    path("passport/my/<str:number>/report/", citizen.report, name="report"),
    path("passport/awards/<uuid:credential_id>/certificate.pdf", citizen.certificate, name="certificate"),
    path("passport/awards/<uuid:credential_id>/credential.jwt", citizen.credential, name="credential"),
    path("passport/verify/", public.verify_presented, name="verify_presented"),
    path("passport/verify/<uuid:credential_id>/", public.verify, name="verify"),
    path("passport/issuers/<str:code>/", public.issuer, name="issuer"),
    path("passport/issuers/<str:code>/jwks.json", public.jwks, name="jwks"),
    path("passport/issuers/<str:code>/revocations.json", public.revocations, name="revocations"),
    path("passport/levels/<int:pk>/", public.level, name="level"),
    path("passport/certifications/<int:pk>/", public.certification, name="certification"),
    path("manage/passport/", staff.index, name="staff_index"),
    path("manage/passport/<str:code>/programmes/new/", staff.programme_new, name="programme_new"),
    path("manage/passport/programmes/<int:pk>/", staff.programme, name="programme"),
    path("manage/passport/participations/<int:pk>/decide/", staff.participation_decide, name="participation_decide"),
    path("manage/passport/reports/<int:pk>/photo/", staff.report_photo, name="report_photo"),
    path("manage/passport/reports/<int:pk>/decide/", staff.report_decide, name="report_decide"),
    path("manage/passport/passports/<str:number>/", staff.staff_passport, name="staff_passport"),
    path("manage/passport/passports/<str:number>/history.pdf", staff.staff_history_pdf, name="staff_history_pdf"),
    path("manage/passport/opportunities/<int:pk>/", staff.opportunity_programmes, name="opportunity_programmes"),
    path("manage/passport/sessions/<int:pk>/stamps/", staff.session_stamps, name="session_stamps"),
    path("manage/passport/awards/<uuid:credential_id>/revoke/", staff.award_revoke, name="award_revoke"),
    path("manage/passport/<str:code>/certifications/new/", staff.certification_new, name="certification_new"),
    path("manage/passport/certifications/<int:pk>/", staff.certification_grant, name="certification_grant"),
]
