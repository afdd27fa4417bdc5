"""Structured logs (LOG_FORMAT=json, production's default): one JSON object a line, each
carrying the request id the response's X-Request-ID gives, and one line per request
(LOG_REQUESTS) with the path but never the query string, which can hold a searched-for
name. Configured from the settings' own LOGGING, with only the stream swapped."""

import copy
import io
import json
import logging.config
from typing import Any

import pytest
from django.conf import settings
from django.test import Client


@pytest.fixture
def json_log() -> Any:
    stream = io.StringIO()
    config: dict[str, Any] = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"]["formatter"] = "json"
    config["handlers"]["console"]["stream"] = stream
    config["loggers"]["safehub.request"]["level"] = "INFO"
    logging.config.dictConfig(config)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logging.config.dictConfig(settings.LOGGING)


@pytest.mark.django_db
def test_each_request_logs_one_json_line_with_its_request_id(json_log: Any) -> None:
    response = Client().get("/report/?child=Amelia+Hart")
    lines = [line for line in json_log() if line["logger"] == "safehub.request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["method"] == "GET"
    assert line["path"] == "/report/"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert isinstance(line["duration_ms"], float)
    assert "Amelia" not in json.dumps(line)


@pytest.mark.django_db
def test_a_warning_written_during_a_request_carries_its_request_id(json_log: Any) -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    warnings = [line for line in json_log() if line["logger"] == "django.request"]
    assert warnings, "Django logs a 404 as a warning"
    assert {line["request_id"] for line in warnings} == {response["X-Request-ID"]}


def test_a_line_outside_any_request_has_an_empty_request_id(json_log: Any) -> None:
    logging.getLogger("safehub.test").warning("outside a request")
    (line,) = [line for line in json_log() if line["logger"] == "safehub.test"]
    assert line == {
        "time": line["time"],
        "level": "WARNING",
        "logger": "safehub.test",
        "message": "outside a request",
        "request_id": "",
    }
