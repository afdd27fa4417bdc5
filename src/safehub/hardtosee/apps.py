from django.apps import AppConfig


class HardToSeeConfig(AppConfig):
    name = "safehub.hardtosee"
    label = "hardtosee"
    verbose_name = "Hard-to-see children"

    def ready(self) -> None:
        # Each professional contact appended moves the person's stored last contact on
        # (ADR 0033), each education event their stored register status (ADR 0053), each
        # entry beyond record keeping their stored first service event (ADR 0057); every
        # person appended to has their register row worked out again (ADR 0060). The
        # chronology sits below this app: it calls us through its listeners.
        from safehub.chronology.services import on_append
        from safehub.hardtosee.services import (
            first_service_on_append,
            last_contact_on_append,
            register_facts_on_append,
            register_status_on_append,
        )

        on_append(last_contact_on_append)
        on_append(register_status_on_append)
        on_append(first_service_on_append)
        # Last: each person's register row copies the facts above (ADR 0060).
        on_append(register_facts_on_append)
