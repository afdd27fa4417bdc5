"""Loading a template file: the shipped demo template loads; each kind of mistake is named
by its place and changes nothing; a stamp already used by another template is refused."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from safehub.demo.generator.neglect import DEMO_TEMPLATE
from safehub.neglect.models import Area, Item, ProfileTemplate, SubArea
from safehub.neglect.services import TemplateFileError, template_load, template_load_file
from safehub.neglect.tests.conftest import descriptors, template_data

pytestmark = pytest.mark.django_db


def problems_of(data: Any) -> list[str]:
    with pytest.raises(TemplateFileError) as raised:
        template_load(data=data)
    assert not ProfileTemplate.objects.exists()
    assert not Item.objects.exists()
    return raised.value.problems


def test_the_template_loads_with_its_areas_sub_areas_and_items() -> None:
    template, new = template_load(data=template_data())
    assert new
    assert (template.name, template.version, template.area_roll_up) == ("Test profile", "1", "mean")
    assert [a.title for a in Area.objects.filter(template=template)] == ["Physical care", "Safety"]
    items = list(Item.objects.filter(area__template=template))
    assert [(i.area.position, i.position, i.title) for i in items] == [
        (1, 1, "Food"),
        (1, 2, "Clothing"),
        (2, 1, "Supervision"),
    ]
    assert items[2].sub_area == SubArea.objects.get(title="At home")
    assert items[0].descriptors == descriptors("Food")


def test_the_shipped_demoshire_template_loads() -> None:
    template, _ = template_load_file(path=DEMO_TEMPLATE)
    assert template.name == "Demoshire neglect profile"
    titles = [a.title for a in template.areas.all()]
    assert titles[:3] == ["Physical care", "Safety and supervision", "Health"]
    assert all(len(i.descriptors) == 5 for i in Item.objects.filter(area__template=template))


def test_loading_the_same_file_again_changes_nothing() -> None:
    first, _ = template_load(data=template_data())
    again, new = template_load(data=template_data())
    assert again == first
    assert not new
    assert ProfileTemplate.objects.count() == 1


def test_a_different_template_under_the_same_name_and_version_is_refused() -> None:
    template_load(data=template_data())
    changed = template_data(licence="Another licence")
    with pytest.raises(TemplateFileError) as raised:
        template_load(data=changed)
    assert raised.value.problems == [
        "A different template called 'Test profile' version 1 is already loaded. "
        "Give the changed template a new version number."
    ]
    assert ProfileTemplate.objects.get().licence_note == "Written for SafeHub's tests."
    template_load(data=template_data(licence="Another licence", version=2))
    assert sorted(ProfileTemplate.objects.values_list("version", flat=True)) == ["1", "2"]


def test_an_item_with_four_descriptors_is_named_by_its_place() -> None:
    data = template_data()
    data["areas"][1]["sub_areas"][0]["items"][0]["descriptors"].pop()
    data["areas"][0]["items"][1]["descriptors"].pop()
    assert problems_of(data) == [
        "area 1, item 2: needs five grade descriptors, has 4",
        "area 2, sub-area 1, item 1: needs five grade descriptors, has 4",
    ]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"name": ""}, "the template: needs a name (some text)"),
        ({"version": None}, "the template: needs a version (some text)"),
        ({"licence": 3}, "the template: needs a licence note (some text)"),
        ({"format": "gcp"}, "the template: 'format' must be \"safehub-neglect-template/1\""),
        ({"areas": []}, "the template: needs a list of areas, with at least one"),
        ({"roll_up": {"area": "median"}}, "roll_up, area: must be 'mean' or 'max', not 'median'"),
        ({"colour": "blue"}, "the template: has a field SafeHub does not know, 'colour'"),
    ],
)
def test_each_mistake_at_the_top_is_named(change: dict[str, Any], problem: str) -> None:
    assert problems_of(template_data(**change)) == [problem]


def test_mistakes_inside_areas_are_named_by_their_place() -> None:
    data = template_data()
    data["areas"][0]["items"][0]["descriptors"][2] = " "
    data["areas"][0]["items"][1]["title"] = ""
    data["areas"][1]["sub_areas"][0]["items"] = []
    data["areas"].append({"title": "Empty"})
    data["areas"].append("Health")
    assert problems_of(data) == [
        "area 1, item 1: the descriptor for grade 3 is empty",
        "area 1, item 2: needs a title (some text)",
        "area 2, sub-area 1: needs at least one item",
        "area 3: needs at least one item",
        "area 4: must be an object with a title and items",
    ]


def test_a_file_that_is_not_json_says_where(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"name": "x",\n "version": }', encoding="utf-8")
    with pytest.raises(TemplateFileError) as raised:
        template_load_file(path=path)
    assert raised.value.problems == [
        "The file is not valid JSON: line 2, column 13: Expecting value"
    ]


def test_the_command_loads_a_file_and_names_each_mistake(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(template_data()), encoding="utf-8")
    call_command("load_neglect_template", str(good))
    assert ProfileTemplate.objects.filter(name="Test profile").exists()
    bad = tmp_path / "bad.json"
    data = template_data(version="2")
    data["areas"][0]["items"][0]["descriptors"] = ["only one"]
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match="area 1, item 1: needs five grade descriptors, has 1"):
        call_command("load_neglect_template", str(bad))
    assert ProfileTemplate.objects.count() == 1
