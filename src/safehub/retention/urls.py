from django.urls import path

from safehub.retention import views

app_name = "retention"

urlpatterns = [
    path("retention/", views.review_view, name="review"),
    path("retention/reviews/<int:review_id>/", views.decide_view, name="decide"),
    path("retention/holds/<int:hold_id>/lift/", views.lift_view, name="lift"),
]
