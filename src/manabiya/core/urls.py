from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("manage/emails/<int:email_id>/resend/", views.email_resend, name="email_resend"),
]
