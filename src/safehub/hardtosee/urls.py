from django.urls import path

from safehub.hardtosee import views

app_name = "hardtosee"

urlpatterns = [
    path("registers/", views.registers_view, name="registers"),
    path("registers/<slug:register>/", views.register_view, name="register"),
    path("registers/<slug:register>/export.csv", views.register_export_view, name="export"),
    path(
        "registers/elective-home-education/<int:person_id>/officer/",
        views.ehe_officer_view,
        name="ehe-officer",
    ),
    path("contexts/", views.contexts_view, name="contexts"),
    path("contexts/new/", views.context_new_view, name="context-new"),
    path("contexts/<int:context_id>/", views.context_view, name="context"),
    path("contexts/<int:context_id>/edit/", views.context_edit_view, name="context-edit"),
    path("contexts/<int:context_id>/note/", views.context_note_view, name="context-note"),
    path("contexts/<int:context_id>/link/", views.context_link_view, name="context-link"),
    path(
        "contexts/<int:context_id>/links/<int:link_id>/end/",
        views.context_unlink_view,
        name="context-unlink",
    ),
    path("mace/", views.panels_view, name="panels"),
    path("mace/new/", views.panel_new_view, name="panel-new"),
    path("mace/<int:panel_id>/", views.panel_view, name="panel"),
    path("mace/<int:panel_id>/children/", views.panel_child_view, name="panel-child"),
    path("mace/<int:panel_id>/contexts/", views.panel_context_view, name="panel-context"),
    path("mace/<int:panel_id>/actions/", views.panel_action_view, name="panel-action"),
    path("mace/<int:panel_id>/notes/", views.panel_notes_view, name="panel-notes"),
    path("mace/actions/", views.my_actions_view, name="my-actions"),
    path("mace/actions/<int:action_id>/done/", views.action_done_view, name="action-done"),
]
