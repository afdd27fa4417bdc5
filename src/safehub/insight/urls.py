from django.urls import path

from safehub.insight import views

app_name = "insight"

_FIGURE = "performance/figures/<slug:code>/<str:month>"

urlpatterns = [
    path("performance/", views.dashboard_view, name="dashboard"),
    path("performance/figures.csv", views.dashboard_csv_view, name="dashboard-csv"),
    path("performance/refresh/", views.figures_refresh_view, name="figures-refresh"),
    path(f"{_FIGURE}/", views.figure_view, name="figure"),
    path(f"{_FIGURE}.csv", views.figure_csv_view, name="figure-csv"),
    path("performance/committee-report/", views.report_view, name="report"),
    path("performance/committee-report/commentary/", views.commentary_view, name="commentary"),
    path("performance/jobs/<int:job_id>/", views.job_view, name="job"),
    path("performance/jobs/<int:job_id>/file", views.job_file_view, name="job-file"),
]
