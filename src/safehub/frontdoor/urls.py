from django.urls import path

from safehub.frontdoor import views

app_name = "frontdoor"

urlpatterns = [
    # The MASH
    path("mash/", views.queue_view, name="contact-queue"),
    path("mash/health/", views.queue_health_view, name="queue-health"),
    path("mash/phone-contact/", views.phone_contact_view, name="phone-contact"),
    path("mash/contacts/<str:reference>/", views.contact_detail_view, name="contact-detail"),
    path("mash/contacts/<str:reference>/take/", views.contact_take_view, name="contact-take"),
    path("mash/contacts/<str:reference>/rate/", views.contact_rate_view, name="contact-rate"),
    path(
        "mash/contacts/<str:reference>/link/<int:subject_id>/",
        views.contact_link_view,
        name="contact-link",
    ),
    path(
        "mash/contacts/<str:reference>/unlink/<int:subject_id>/",
        views.contact_unlink_view,
        name="contact-unlink",
    ),
    path(
        "mash/contacts/<str:reference>/new-person/<int:subject_id>/",
        views.contact_new_person_view,
        name="contact-new-person",
    ),
    path(
        "mash/contacts/<str:reference>/carry-over/",
        views.contact_carry_over_view,
        name="contact-carry-over",
    ),
    path(
        "mash/contacts/<str:reference>/request/", views.contact_request_view, name="contact-request"
    ),
    path(
        "mash/contacts/<str:reference>/consent/", views.contact_consent_view, name="contact-consent"
    ),
    path("mash/contacts/<str:reference>/decide/", views.contact_decide_view, name="contact-decide"),
    path(
        "mash/contacts/<str:reference>/sign-off/",
        views.contact_sign_off_view,
        name="contact-sign-off",
    ),
    # Partner professionals
    path("referrals/", views.referral_list_view, name="referral-list"),
    path("referrals/new/", views.referral_create_view, name="referral-create"),
    path("referrals/<str:reference>/", views.referral_detail_view, name="referral-detail"),
    path("requests/", views.request_list_view, name="request-list"),
    path("requests/<int:request_id>/", views.request_answer_view, name="request-answer"),
]
