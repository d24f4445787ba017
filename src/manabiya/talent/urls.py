from django.urls import path

from .views import citizen, public, staff

app_name = "talent"

urlpatterns = [
    # The public: the directory, the 出前講座 menu, volunteer needs.
    path("talent/", public.directory, name="directory"),
    path("talent/<int:pk>/", public.profile_detail, name="profile_detail"),
    path("talent/<int:pk>/contact/", citizen.contact, name="contact"),
    path("demae/", public.menu, name="menu"),
    path("demae/<int:pk>/", public.topic_detail, name="topic_detail"),
    path("demae/<int:pk>/request/", citizen.request_new, name="request_new"),
    path("volunteer/", public.needs, name="needs"),
    path("volunteer/<int:pk>/", public.need_detail, name="need_detail"),
    path("volunteer/<int:pk>/apply/", citizen.need_apply, name="need_apply"),
    # A citizen's own: registration, requests, invitations, activities.
    path("mypage/talent/", citizen.my_profile, name="my_profile"),
    path("mypage/talent/register/<str:code>/", citizen.register, name="register"),
    path("mypage/talent/<int:pk>/edit/", citizen.profile_edit, name="profile_edit"),
    path("mypage/talent/<int:pk>/renew/", citizen.profile_renew, name="profile_renew"),
    path("mypage/demae/", citizen.my_requests, name="my_requests"),
    path("mypage/demae/<int:pk>/cancel/", citizen.request_cancel, name="request_cancel"),
    path("mypage/demae/<int:pk>/report/", citizen.lecture_report, name="lecture_report"),
    path("mypage/demae/invitations/", citizen.my_invitations, name="my_invitations"),
    path("mypage/demae/invitations/<int:pk>/answer/", citizen.invitation_answer, name="invitation_answer"),
    path("mypage/volunteer/", citizen.my_activities, name="my_activities"),
    path("mypage/volunteer/<int:pk>/answer/", citizen.volunteer_answer, name="volunteer_answer"),
    # Coordinators and the organizations' staff.
    path("manage/talent/", staff.index, name="staff_index"),
    path("manage/talent/profiles/<int:pk>/", staff.profile_review, name="profile_review"),
    path("manage/talent/figures/", staff.figures, name="figures"),
    path("manage/demae/topics/new/", staff.topic_edit, name="topic_new"),
    path("manage/demae/topics/<int:pk>/", staff.topic_edit, name="topic_edit"),
    path("manage/demae/requests/<int:pk>/", staff.request_detail, name="request_detail"),
    path("manage/demae/invitations/<int:pk>/withdraw/", staff.invitation_withdraw, name="invitation_withdraw"),
    path("manage/volunteer/", staff.needs, name="staff_needs"),
    path("manage/volunteer/new/", staff.need_new, name="need_new"),
    path("manage/volunteer/<int:pk>/", staff.need_manage, name="need_manage"),
]
