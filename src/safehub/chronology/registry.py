"""The closed vocabulary of chronology events. Each app's `events.py` declares EVENT_TYPES, a
list of EventType; `autodiscover` collects them at start-up, and `chronology_append` refuses
a code nobody declared."""

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps


@dataclass(frozen=True)
class EventType:
    code: str
    label: str
    category: str  # one of chronology.models.Category


_registry: dict[str, EventType] = {}


def register(*event_types: EventType) -> None:
    for event_type in event_types:
        existing = _registry.get(event_type.code)
        if existing and existing != event_type:
            raise ValueError(f"Chronology event {event_type.code} declared twice differently")
        _registry[event_type.code] = event_type


def autodiscover() -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("safehub."):
            continue
        try:
            module = import_module(f"{config.name}.events")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.events":
                raise
            continue
        register(*getattr(module, "EVENT_TYPES", []))


def get(code: str) -> EventType:
    return _registry[code]


def all_types() -> list[EventType]:
    return sorted(_registry.values(), key=lambda e: e.code)
