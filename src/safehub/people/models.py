from django.db import models
from django.db.models import Q

from safehub.core.models import TimeStampedModel, VersionedModel
from safehub.people.codes import (
    Ethnicity,
    GenderCurrent,
    NameKind,
    PersonKind,
    RelationshipType,
    Sex,
    UpnUnknown,
)


class Person(VersionedModel):
    """The hub record: a child, an unborn child or an adult. Every other record points here.

    `given_name`/`family_name` mirror the current PersonName so lists need no join.
    """

    kind = models.CharField(max_length=10, choices=PersonKind.choices)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    date_of_birth_estimated = models.BooleanField(default=False)
    expected_date_of_birth = models.DateField(null=True, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    gender_current = models.CharField(
        max_length=1, choices=GenderCurrent.choices, default=GenderCurrent.NOT_RECORDED
    )
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default="NOBT")
    first_language = models.CharField(max_length=60, blank=True, default="")
    interpreter_needed = models.BooleanField(default=False)
    # DfE disability codes; ["NONE"] or a list of impairment codes.
    disabilities = models.JSONField(default=list, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True, default="", db_index=True)
    upn = models.CharField(max_length=13, blank=True, default="", db_index=True)
    # Census: why a child has no UPN, and the UPN they had before the current one.
    upn_unknown = models.CharField(max_length=3, choices=UpnUnknown.choices, blank=True, default="")
    former_upn = models.CharField(max_length=13, blank=True, default="")
    # The school the child attends now, by identity: a school agency (known by its URN), to
    # which Operation Encompass notices go (ADR 0033). `school` is its name then; without
    # one, the school or nursery as named (a referrer's words need not be a school SafeHub
    # knows; `manage.py schools_unmatched` lists them).
    school_agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "school"},
    )
    school = models.CharField(max_length=120, blank=True, default="")
    # Restricted records (adoption, staff relative, high profile) are hidden from search and
    # open only for their allow-list or through break-glass.
    is_restricted = models.BooleanField(default=False)
    restriction_reason = models.CharField(max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=PersonKind.UNBORN) | Q(expected_date_of_birth__isnull=False),
                name="person_unborn_has_expected_dob",
            ),
        ]
        indexes = [models.Index(fields=["date_of_birth"], name="person_dob_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class PersonName(TimeStampedModel):
    """A name a person has, had or is known by. Search runs over these, so an alias or a
    former surname finds the person too."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    kind = models.CharField(max_length=10, choices=NameKind.choices)
    given_name = models.CharField(max_length=100)
    middle_names = models.CharField(max_length=100, blank=True, default="")
    family_name = models.CharField(max_length=100)
    # Normalised and phonetic forms, written by the service, read by search.
    given_key = models.CharField(max_length=100, db_index=True)
    family_key = models.CharField(max_length=100)
    given_sound = models.CharField(max_length=20, db_index=True)
    family_sound = models.CharField(max_length=20)
    # The person's date of birth, copied here (by the service, whenever it changes) so that
    # a name with an age ("Olivia, about 7") is one index range, not thousands of names
    # each joined to its person to read a birthday (ADR 0031).
    born = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["family_key", "given_key"], name="name_family_given_idx"),
            models.Index(fields=["family_sound", "given_sound"], name="name_sound_idx"),
            models.Index(fields=["given_key", "born"], name="name_given_born_idx"),
            models.Index(fields=["family_key", "born"], name="name_family_born_idx"),
        ]


class NameSpelling(models.Model):
    """One way a stored name key can be reached (`people.names.spelling_lookups`): the key,
    the key with a letter left out, a sound code, or a part of a double-barrelled name.

    One row per distinct (lookup, key) across everyone's names, so the table grows with the
    number of different names, not with the number of people. Written with the names (the
    services, the demo loader); search resolves what was typed to stored keys through it.
    """

    lookup = models.CharField(max_length=101)
    key = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lookup", "key"], name="namespelling_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.lookup} -> {self.key}"


class Address(TimeStampedModel):
    line_1 = models.CharField(max_length=120)
    line_2 = models.CharField(max_length=120, blank=True, default="")
    town = models.CharField(max_length=80)
    postcode = models.CharField(max_length=8, db_index=True)

    def __str__(self) -> str:
        return ", ".join(p for p in [self.line_1, self.line_2, self.town, self.postcode] if p)


class Household(TimeStampedModel):
    """People living together at an address for a period."""

    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="households")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)


class PersonAddress(TimeStampedModel):
    """Where a person lived, and when; the open-ended row is their current address."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="residents")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "end_date"], name="personaddress_current_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="personaddress_dates_ordered",
            ),
        ]


class Relationship(TimeStampedModel):
    """ "subject is <type> of other". Stored in both directions (the pair shares `pair_key`) so
    each person's relationships are one indexed read; services keep the pair consistent."""

    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=20, choices=RelationshipType.choices)
    has_parental_responsibility = models.BooleanField(default=False)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    pair_key = models.UUIDField(db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(subject=models.F("other")), name="relationship_not_self"
            ),
            models.UniqueConstraint(
                fields=["subject", "other", "type"],
                condition=Q(end_date__isnull=True),
                name="relationship_unique_open",
            ),
        ]
        indexes = [models.Index(fields=["subject", "type"], name="relationship_subject_idx")]
