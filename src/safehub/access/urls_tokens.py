from django.urls import path

from safehub.access import views_tokens

app_name = "api-tokens"
urlpatterns = [
    path("", views_tokens.api_token_list_view, name="token-list"),
    path("<int:token_id>/revoke/", views_tokens.api_token_revoke_view, name="token-revoke"),
]
