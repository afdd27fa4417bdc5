from django.urls import path

from safehub.notifications import views

app_name = "notifications"

urlpatterns = [path("", views.inbox_view, name="inbox")]
