"""The neglect app's writes, by area: templates (loading the JSON file), training (records
and the CSV import), profiles (start, fill in, complete, sign off)."""

from safehub.neglect.services.profiles import (
    profile_complete,
    profile_draft_save,
    profile_record_grades,
    profile_record_plan,
    profile_sign_off,
    profile_start,
)
from safehub.neglect.services.templates import (
    TemplateFileError,
    template_load,
    template_load_file,
    template_upload,
)
from safehub.neglect.services.training import (
    TrainingRow,
    practitioner_by_login,
    require_current_training,
    training_csv_template,
    training_import_confirm,
    training_import_preview,
    training_record,
    training_refusal,
)

__all__ = [
    "TemplateFileError",
    "TrainingRow",
    "practitioner_by_login",
    "profile_complete",
    "profile_draft_save",
    "profile_record_grades",
    "profile_record_plan",
    "profile_sign_off",
    "profile_start",
    "require_current_training",
    "template_load",
    "template_load_file",
    "template_upload",
    "training_csv_template",
    "training_import_confirm",
    "training_import_preview",
    "training_record",
    "training_refusal",
]
