"""Loading a profile template from its JSON file (the format: docs/how-to/neglect-templates.md).

The whole file is checked before anything is written, and every problem is named by its
place ("area 2, item 3: ..."); then the template is written in one transaction, so a bad
file changes nothing. A template is stamped by name and version: loading the same file again
changes nothing, and a different file under a stamp already loaded is refused.
"""

import hashlib
import json
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction

from safehub.access.policy import can_load_neglect_templates
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.core.exceptions import PermissionDeniedError
from safehub.neglect.models import Area, Item, ProfileTemplate, RollUp, SubArea
from safehub.organisations.models import User

GRADES = 5
MAX_TITLE = 200
_TOP_FIELDS = {"format", "name", "version", "licence", "description", "roll_up", "areas"}
_AREA_FIELDS = {"title", "guidance", "items", "sub_areas"}
_SUB_AREA_FIELDS = {"title", "items"}
_ITEM_FIELDS = {"title", "descriptors"}
FORMAT = "safehub-neglect-template/1"


class TemplateFileError(ValueError):
    """The file is not a template SafeHub can load; `problems` says each place that is
    wrong, in plain English."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _text(value: Any, where: str, what: str, problems: list[str], *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(f"{where}: needs {what} (some text)")
        return ""
    if len(value.strip()) > MAX_TITLE and what.endswith("title"):
        problems.append(f"{where}: {what} is longer than {MAX_TITLE} characters")
    return value.strip()


def _unknown(data: dict[str, Any], allowed: set[str], where: str, problems: list[str]) -> None:
    for key in sorted(set(data) - allowed):
        problems.append(f"{where}: has a field SafeHub does not know, '{key}'")


def _items(raw: Any, where: str, problems: list[str]) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        problems.append(f"{where}: 'items' must be a list")
        return []
    items = []
    for n, item in enumerate(raw, start=1):
        place = f"{where}, item {n}"
        if not isinstance(item, dict):
            problems.append(f"{place}: must be an object with a title and descriptors")
            continue
        _unknown(item, _ITEM_FIELDS, place, problems)
        title = _text(item.get("title"), place, "a title", problems)
        descriptors = item.get("descriptors")
        if not isinstance(descriptors, list):
            problems.append(f"{place}: needs five grade descriptors, as a list")
            descriptors = []
        elif len(descriptors) != GRADES:
            problems.append(f"{place}: needs five grade descriptors, has {len(descriptors)}")
        for grade, text in enumerate(descriptors, start=1):
            if not isinstance(text, str) or not text.strip():
                problems.append(f"{place}: the descriptor for grade {grade} is empty")
        items.append({"title": title, "descriptors": [str(d).strip() for d in descriptors]})
    return items


def _roll_up(raw: Any, problems: list[str]) -> tuple[str, str]:
    if raw is None:
        return RollUp.MEAN, RollUp.MEAN
    if not isinstance(raw, dict):
        problems.append("roll_up: must be an object with 'area' and 'overall'")
        return RollUp.MEAN, RollUp.MEAN
    _unknown(raw, {"area", "overall"}, "roll_up", problems)
    rules = []
    for key in ("area", "overall"):
        value = raw.get(key, RollUp.MEAN)
        if value not in RollUp.values:
            problems.append(f"roll_up, {key}: must be 'mean' or 'max', not {value!r}")
            value = RollUp.MEAN
        rules.append(value)
    return rules[0], rules[1]


def template_check(data: Any) -> dict[str, Any]:
    """The template `data` describes, tidied; raises TemplateFileError naming every problem."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise TemplateFileError(["The file must hold one JSON object (a template)"])
    _unknown(data, _TOP_FIELDS, "the template", problems)
    if data.get("format") != FORMAT:
        problems.append(f"the template: 'format' must be \"{FORMAT}\"")
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool):
        version = str(version)
    checked: dict[str, Any] = {
        "name": _text(data.get("name"), "the template", "a name", problems),
        "version": _text(version, "the template", "a version", problems),
        "licence": _text(data.get("licence"), "the template", "a licence note", problems),
        "description": _text(
            data.get("description"), "the template", "a description", problems, required=False
        ),
    }
    if len(checked["version"]) > 40:
        problems.append("the template: the version is longer than 40 characters")
    checked["area_roll_up"], checked["overall_roll_up"] = _roll_up(data.get("roll_up"), problems)
    areas = data.get("areas")
    if not isinstance(areas, list) or not areas:
        problems.append("the template: needs a list of areas, with at least one")
        areas = []
    checked["areas"] = []
    for a, area in enumerate(areas, start=1):
        where = f"area {a}"
        if not isinstance(area, dict):
            problems.append(f"{where}: must be an object with a title and items")
            continue
        _unknown(area, _AREA_FIELDS, where, problems)
        items = _items(area.get("items", []), where, problems)
        sub_areas = area.get("sub_areas", [])
        if not isinstance(sub_areas, list):
            problems.append(f"{where}: 'sub_areas' must be a list")
            sub_areas = []
        subs = []
        for s, sub in enumerate(sub_areas, start=1):
            place = f"{where}, sub-area {s}"
            if not isinstance(sub, dict):
                problems.append(f"{place}: must be an object with a title and items")
                continue
            _unknown(sub, _SUB_AREA_FIELDS, place, problems)
            sub_items = _items(sub.get("items", []), place, problems)
            if not sub_items:
                problems.append(f"{place}: needs at least one item")
            subs.append(
                {"title": _text(sub.get("title"), place, "a title", problems), "items": sub_items}
            )
        if not items and not subs:
            problems.append(f"{where}: needs at least one item")
        checked["areas"].append(
            {
                "title": _text(area.get("title"), where, "a title", problems),
                "guidance": _text(
                    area.get("guidance"), where, "guidance", problems, required=False
                ),
                "items": items,
                "sub_areas": subs,
            }
        )
    if problems:
        raise TemplateFileError(problems)
    return checked


def _digest(checked: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(checked, sort_keys=True).encode()).hexdigest()


def template_load(*, data: Any) -> tuple[ProfileTemplate, bool]:
    """Load the template `data` describes. Returns it and whether it was new: the same
    template loaded again is left as it was; a different one under a name and version
    already loaded is refused (TemplateFileError)."""
    checked = template_check(data)
    digest = _digest(checked)
    stamp = {"name": checked["name"], "version": checked["version"]}
    existing = ProfileTemplate.objects.filter(**stamp).first()
    if existing is not None:
        if existing.digest == digest:
            return existing, False
        raise TemplateFileError([_different(checked)])
    try:
        with transaction.atomic():
            return _write(checked, digest), True
    except IntegrityError as error:  # loaded by someone else a moment ago
        raise TemplateFileError([_different(checked)]) from error


def _different(checked: dict[str, Any]) -> str:
    return (
        f"A different template called '{checked['name']}' version {checked['version']} is "
        "already loaded. Give the changed template a new version number."
    )


def _write(checked: dict[str, Any], digest: str) -> ProfileTemplate:
    template = ProfileTemplate.objects.create(
        name=checked["name"],
        version=checked["version"],
        licence_note=checked["licence"],
        description=checked["description"],
        area_roll_up=checked["area_roll_up"],
        overall_roll_up=checked["overall_roll_up"],
        digest=digest,
    )
    for a, raw_area in enumerate(checked["areas"], start=1):
        area = Area.objects.create(
            template=template, position=a, title=raw_area["title"], guidance=raw_area["guidance"]
        )
        position = 0
        rows = []
        for raw_item in raw_area["items"]:
            position += 1
            rows.append(Item(area=area, position=position, **raw_item))
        for s, raw_sub in enumerate(raw_area["sub_areas"], start=1):
            sub = SubArea.objects.create(area=area, position=s, title=raw_sub["title"])
            for raw_item in raw_sub["items"]:
                position += 1
                rows.append(Item(area=area, sub_area=sub, position=position, **raw_item))
        Item.objects.bulk_create(rows)
    return template


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise TemplateFileError(
            [f"The file is not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from error


def template_load_file(*, path: str | Path) -> tuple[ProfileTemplate, bool]:
    """`template_load` from a file, with its JSON mistakes said in plain English."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise TemplateFileError([f"There is no file at {path}"]) from error
    except UnicodeDecodeError as error:
        raise TemplateFileError(["The file is not UTF-8 text"]) from error
    return template_load(data=_parse(text))


MAX_UPLOAD_BYTES = 2_000_000


@transaction.atomic
def template_upload(*, actor: User, filename: str, content: bytes) -> tuple[ProfileTemplate, bool]:
    """The templates page's upload: the same checks and load as the command, for a role the
    policy lets load templates; a new template is audited as created."""
    if not can_load_neglect_templates(actor):
        raise PermissionDeniedError("Only a system administrator can load profile templates.")
    if len(content) > MAX_UPLOAD_BYTES:
        raise TemplateFileError(["The file is larger than 2 MB; a template file is much smaller"])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TemplateFileError(["The file is not UTF-8 text"]) from error
    template, new = template_load(data=_parse(text))
    if new:
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="neglect.ProfileTemplate",
            object_id=template.pk,
            detail={"file": filename[:200], "template": str(template)},
        )
    return template, new
