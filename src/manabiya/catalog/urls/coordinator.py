from django.urls import path

from ..views import coordinator

urlpatterns = [
    path("coordinate/", coordinator.coordinator_home, name="coordinator_home"),
    path("coordinate/reviews/", coordinator.review_queue, name="review_queue"),
    path("coordinate/reviews/<int:pk>/", coordinator.review_detail, name="review_detail"),
    path("coordinate/reviews/<int:pk>/approve/", coordinator.opportunity_approve, name="opportunity_approve"),
    path("coordinate/reviews/<int:pk>/return/", coordinator.opportunity_return, name="opportunity_return"),
]
