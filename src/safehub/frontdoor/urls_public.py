"""The public "report a worry about a child" form (no account needed)."""

app_name = "report"

urlpatterns: list = []
