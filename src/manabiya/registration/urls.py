from django.urls import path

from .views import citizen, provider

app_name = "registration"
urlpatterns = [
    path("opportunities/<int:pk>/apply/", citizen.apply, name="apply"),
    path("mypage/", citizen.mypage, name="mypage"),
    path("mypage/profile/", citizen.profile, name="profile"),
    path("mypage/applications/<int:pk>/", citizen.application_detail, name="application_detail"),
    path("mypage/applications/<int:pk>/cancel/", citizen.application_cancel, name="application_cancel"),
    path("mypage/applications/<int:pk>/confirm/", citizen.offer_confirm, name="offer_confirm"),
    path("manage/opportunities/<int:pk>/applications/", provider.roster, name="roster"),
    path("manage/opportunities/<int:pk>/applications.csv", provider.roster_csv, name="roster_csv"),
    path("manage/opportunities/<int:pk>/applications.xlsx", provider.roster_xlsx, name="roster_xlsx"),
    path("manage/opportunities/<int:pk>/application-settings/", provider.rules_edit, name="rules"),
    path("manage/opportunities/<int:pk>/apply-for/", provider.apply_for, name="apply_for"),
    path("manage/opportunities/<int:pk>/message/", provider.message_all, name="message_all"),
    path("manage/opportunities/<int:pk>/lottery/", provider.lottery, name="lottery"),
    path("manage/applications/<int:pk>/cancel/", provider.application_cancel, name="staff_cancel"),
    path("manage/sessions/<int:pk>/check-in/", provider.checkin, name="checkin"),
]
