"""The neglect app's writes, by area: templates (loading the JSON file), training (records
and the CSV import), profiles (start, fill in, complete, sign off)."""

from safehub.neglect.services.profiles import (
    profile_complete,
    profile_record_grades,
    profile_record_plan,
    profile_sign_off,
    profile_start,
)
from safehub.neglect.services.templates import (
    TemplateFileError,
    template_load,
    template_load_file,
)
from safehub.neglect.services.training import (
    TrainingRow,
    require_current_training,
    training_csv_template,
    training_import_confirm,
    training_import_preview,
    training_record,
)

__all__ = [
    "TemplateFileError",
    "TrainingRow",
    "profile_complete",
    "profile_record_grades",
    "profile_record_plan",
    "profile_sign_off",
    "profile_start",
    "require_current_training",
    "template_load",
    "template_load_file",
    "training_csv_template",
    "training_import_confirm",
    "training_import_preview",
    "training_record",
]
