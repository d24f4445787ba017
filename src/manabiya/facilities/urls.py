from django.urls import path

from .views import citizen, public, staff

app_name = "facilities"

urlpatterns = [
    path("facilities/", public.facility_list, name="list"),
    path("facilities/export.csv", public.open_data, name="open_data"),
    path("facilities/<int:pk>/", public.facility_detail, name="detail"),
    path("facilities/<int:pk>/month/", public.facility_month, name="month"),
    path("facilities/rooms/<int:pk>/availability/", public.availability, name="availability"),
    path("facilities/rooms/<int:pk>/book/", citizen.book, name="book"),
    path("facilities/rooms/<int:pk>/watch/", citizen.watch, name="watch"),
    path("facilities/register/<str:code>/", citizen.register, name="register"),
    path("facilities/mine/", citizen.mine, name="mine"),
    path("facilities/registrations/<int:pk>/renew/", citizen.renew, name="renew"),
    path("facilities/lotteries/<int:pk>/", citizen.lottery, name="lottery"),
    path("facilities/bookings/<int:pk>/confirm/", citizen.confirm, name="confirm"),
    path("manage/facilities/<int:pk>/lotteries/", staff.lotteries, name="staff_lotteries"),
    path("manage/facilities/<int:pk>/occupancy/", staff.occupancy, name="occupancy"),
    path("facilities/bookings/<int:pk>/cancel/", citizen.cancel, name="cancel"),
    path("manage/facilities/", staff.index, name="staff_index"),
    path("manage/facilities/registrations/<int:pk>/decide/", staff.booker_decide, name="booker_decide"),
    path("manage/facilities/<int:pk>/day/", staff.day_sheet, name="day_sheet"),
    path("manage/facilities/bookings/<int:pk>/", staff.booking_action, name="booking_action"),
    path("manage/facilities/blocks/<int:pk>/remove/", staff.block_remove, name="block_remove"),
]
