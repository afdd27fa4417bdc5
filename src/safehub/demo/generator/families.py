"""Families: who lives together, how they are related, where they live and their
identifiers. Casework (involvements, restricted records, chronology) is `casework.py`."""

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from safehub.demo.generator import data
from safehub.demo.generator.identifiers import NhsNumbers, Upns, postcode
from safehub.demo.generator.organisations import OrgPlan
from safehub.demo.generator.plan import (
    PlannedFamily,
    PlannedName,
    PlannedPerson,
    PlannedRelationship,
    PlannedResidence,
)
from safehub.people.codes import (
    INVERSE,
    OLDER_GENERATION,
    GenderCurrent,
    NameKind,
    PersonKind,
    RelationshipType,
    Sex,
)

YEAR = 365
STRUCTURES = [
    ("couple", 44),
    ("single", 26),
    ("blended", 14),
    ("grandparent", 5),
    ("young", 5),
    ("three_generation", 6),
]
CHILD_COUNTS = [(1, 30), (2, 35), (3, 20), (4, 10), (5, 5)]
Heritage = tuple[str, float, str, str, str, float]


# Why a school-age child in the demo has no UPN: newly referred, never at a maintained school
# in England, records that disagree, educated elsewhere.
NO_UPN_REASONS = ("UN4", "UN2", "UN5", "UN3")


@dataclass
class Shape:
    """What the casework planner may ask of the next family (showcase families)."""

    structure: str = ""
    min_children: int = 1
    eldest_days: int | None = None
    town: str = ""
    primary: str = ""


class FamilyBuilder:
    """Makes one family at a time from a shared seeded Random."""

    def __init__(self, org: OrgPlan, rng: random.Random, today: date, households: int) -> None:
        self.org = org
        self.rng = rng
        self.today = today
        self.nhs = NhsNumbers()
        self.upns = Upns()
        self.heritage_weights = [h[1] for h in data.HERITAGES]
        self.towns = [t for t, _, _ in data.TOWNS]
        self.town_weights = [w for _, w, _ in data.TOWNS]
        self.streets = self._street_pool(max(20, households // 120))
        self.all_primaries = [s.establishment for s in org.primaries]
        self.establishment = {s.name: s.establishment for s in org.primaries}

    # --- addresses -------------------------------------------------------------------------

    def _street_pool(self, per_town_base: int) -> dict[str, list[tuple[str, str, int]]]:
        """Per town: (street, postcode, highest house number). Each street is one postcode
        unit; units are numbered within their sector so none repeats."""
        rng = self.rng
        stems = data.STREET_STEMS + data.BRITISH_SURNAMES
        suffixes = [s for s, _ in data.STREET_SUFFIXES]
        weights = [w for _, w in data.STREET_SUFFIXES]
        total_weight = sum(self.town_weights)
        pool: dict[str, list[tuple[str, str, int]]] = {}
        for town, weight, districts in data.TOWNS:
            count = max(20, round(per_town_base * 8 * weight / total_weight))
            names: set[str] = set()
            streets: list[tuple[str, str, int]] = []
            units: dict[tuple[int, int], int] = {}
            while len(streets) < count:
                name = f"{rng.choice(stems)} {rng.choices(suffixes, weights)[0]}"
                if name in names:
                    continue
                names.add(name)
                district, sector = rng.choice(districts), rng.randint(1, 9)
                unit = units.get((district, sector), 0)
                units[(district, sector)] = unit + 1
                code = postcode(district, sector, unit, data.POSTCODE_UNIT_LETTERS)
                streets.append((name, code, rng.choice([12, 24, 40, 60, 90, 140])))
            pool[town] = streets
        return pool

    def address(self, town: str) -> tuple[str, str, str, str]:
        street, code, highest = self.rng.choice(self.streets[town])
        number = self.rng.randint(1, highest)
        if self.rng.random() < 0.12:
            block = f"{self.rng.choice(data.STREET_STEMS)} {self.rng.choice(data.FLAT_BLOCKS)}"
            return f"Flat {self.rng.randint(1, 24)}, {block}", street, town, code
        return f"{number} {street}", "", town, code

    # --- names -----------------------------------------------------------------------------

    def given(self, pool: str, sex: str, *, child: bool, age_days: int = 0) -> str:
        rng = self.rng
        female = sex == Sex.FEMALE
        if pool == "british" or (child and rng.random() < 0.45):
            if child:
                return rng.choice(data.CHILD_FEMALE if female else data.CHILD_MALE)
            if age_days < 45 * YEAR and rng.random() < 0.75:
                return rng.choice(data.YOUNGER_ADULT_FEMALE if female else data.YOUNGER_ADULT_MALE)
            return rng.choice(data.ADULT_FEMALE if female else data.ADULT_MALE)
        male_names, female_names, _ = data.HERITAGE_NAMES[pool]
        return rng.choice(female_names if female else male_names)

    def surname(self, pool: str) -> str:
        if pool == "british":
            return self.rng.choices(data.BRITISH_SURNAMES, data.BRITISH_SURNAME_WEIGHTS)[0]
        return self.rng.choice(data.HERITAGE_NAMES[pool][2])

    @staticmethod
    def gendered(surname: str, sex: str) -> str:
        """Polish surnames agree with sex: Kowalski, Kowalska."""
        if sex == Sex.FEMALE and surname.endswith(("ski", "cki", "dzki")):
            return surname[:-1] + "a"
        return surname

    # --- people ----------------------------------------------------------------------------

    def person(
        self,
        fam: PlannedFamily,
        *,
        role: str,
        sex: str,
        age_days: int,
        family_name: str,
        pool: str,
        heritage: Heritage,
        ethnicity: str = "",
        given: str = "",
        former: str = "",
        resident: bool = True,
    ) -> int:
        """Add a born person aged `age_days`; returns their index in the family."""
        rng = self.rng
        adult = age_days >= 18 * YEAR + 5
        child = not adult
        given = given or self.given(pool, sex, child=child and role == "child", age_days=age_days)
        family_name = self.gendered(family_name, sex)
        middle = ""
        if rng.random() < (0.45 if pool == "british" else 0.15):
            middle = self.given(pool, sex, child=role == "child", age_days=age_days)
            if middle == given:
                middle = ""
        names = [PlannedName(NameKind.CURRENT, given, middle, family_name)]
        if former and self.gendered(former, sex) != family_name:
            names.append(PlannedName(NameKind.FORMER, given, middle, self.gendered(former, sex)))
        alias_chance = 0.07 if adult else 0.015
        if rng.random() < alias_chance:
            nickname = data.NICKNAMES.get(given)
            if nickname:
                names.append(PlannedName(NameKind.ALIAS, nickname, "", family_name))
            elif adult:
                names.append(PlannedName(NameKind.ALIAS, given, "", self.surname("british")))
        _, _, code, _, language, interpreter = heritage
        if adult:
            disabilities = (
                ["NONE"]
                if rng.random() < 0.83
                else ([] if rng.random() < 0.4 else self._disabilities(data.ADULT_DISABILITIES))
            )
            first_language = language
            needs_interpreter = rng.random() < interpreter
        else:
            disabilities = (
                ["NONE"] if rng.random() < 0.89 else self._disabilities(data.CHILD_DISABILITIES)
            )
            first_language = "English" if (pool == "british" or rng.random() < 0.5) else language
            needs_interpreter = False
        gender = GenderCurrent.FEMALE if sex == Sex.FEMALE else GenderCurrent.MALE
        if rng.random() < 0.015:
            gender = GenderCurrent.NOT_RECORDED
        ethnicity = ethnicity or code
        if adult and rng.random() < 0.01:
            ethnicity = "NOBT"
        person = PlannedPerson(
            kind=PersonKind.ADULT if adult else PersonKind.CHILD,
            sex=sex,
            gender_current=gender,
            date_of_birth=self.today - timedelta(days=age_days),
            expected_date_of_birth=None,
            ethnicity=ethnicity,
            names=names,
            first_language=first_language,
            interpreter_needed=needs_interpreter,
            date_of_birth_estimated=adult and rng.random() < (0.08 if interpreter else 0.01),
            disabilities=disabilities,
            resident=resident,
            role=role,
            age=age_days,
        )
        fam.persons.append(person)
        return len(fam.persons) - 1

    def unborn(self, fam: PlannedFamily, family_name: str, ethnicity: str) -> int:
        expected = self.today + timedelta(days=self.rng.randint(7, 180))
        fam.persons.append(
            PlannedPerson(
                kind=PersonKind.UNBORN,
                sex=Sex.UNKNOWN,
                gender_current=GenderCurrent.NOT_RECORDED,
                date_of_birth=None,
                expected_date_of_birth=expected,
                ethnicity=ethnicity,
                names=[PlannedName(NameKind.CURRENT, "Unborn", "", family_name)],
                role="child",
                age=(self.today - expected).days,
            )
        )
        return len(fam.persons) - 1

    def _disabilities(self, weighted: list[tuple[str, int]]) -> list[str]:
        codes = [c for c, _ in weighted]
        weights = [w for _, w in weighted]
        first = self.rng.choices(codes, weights)[0]
        second = self.rng.choices(codes, weights)[0]
        return [first] if first == second or self.rng.random() < 0.8 else [first, second]

    def relate(
        self,
        fam: PlannedFamily,
        subject: int,
        other: int,
        type_: str,
        *,
        pr: bool = False,
        start: date | None = None,
        end: date | None = None,
    ) -> None:
        """Both directions, sharing a pair key; PR sits on the older generation's row."""
        key = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        inverse = INVERSE[type_]
        fam.relationships.append(
            PlannedRelationship(
                subject, other, str(type_), key, pr and type_ in OLDER_GENERATION, start, end
            )
        )
        fam.relationships.append(
            PlannedRelationship(
                other, subject, str(inverse), key, pr and inverse in OLDER_GENERATION, start, end
            )
        )

    # --- families --------------------------------------------------------------------------

    def family(self, index: int, shape: Shape | None) -> PlannedFamily:
        rng = self.rng
        shape = shape or Shape()
        town = shape.town or rng.choices(self.towns, self.town_weights)[0]
        fam = PlannedFamily(index=index, town=town)
        fam.primary = shape.primary or rng.choice(self.org.primary_for(town)).name
        fam.secondary = rng.choice(self.org.secondary_for(town)).name
        fam.gp = rng.choice(self.org.gp_for(town)).name
        heritage = rng.choices(data.HERITAGES, self.heritage_weights)[0]
        structure = (
            shape.structure
            or rng.choices([s for s, _ in STRUCTURES], [w for _, w in STRUCTURES])[0]
        )
        if heritage[0] == "mixed" and structure in ("grandparent", "young"):
            heritage = data.HERITAGES[0]  # mixed heritage needs two parents' lines
        lineage: dict[int, tuple[object, object]] = {}
        getattr(self, f"_{structure}")(fam, heritage, shape, lineage)
        self._lineage(fam, lineage)
        self._residences(fam)
        self._identifiers(fam)
        return fam

    def _children_ages(self, shape: Shape, low: int = 1, high: int = 5) -> list[int]:
        rng = self.rng
        counts = [(n, w) for n, w in CHILD_COUNTS if low <= n <= high]
        n = max(shape.min_children, rng.choices([c for c, _ in counts], [w for _, w in counts])[0])
        eldest = shape.eldest_days or rng.randint(60, 17 * YEAR + 300)
        ages = [eldest]
        while len(ages) < n:
            age = ages[-1] - rng.randint(330, 1800)
            if age < 30:
                break
            ages.append(age)
        # Too young a family for the children asked for: add twins rather than fewer.
        while len(ages) < shape.min_children:
            ages.append(ages[-1])
        return ages

    def _pregnant(self, ages: list[int]) -> bool:
        return self.rng.random() < 0.08 and (not ages or ages[-1] >= 300)

    def _mixed(self, heritage: Heritage) -> tuple[Heritage, Heritage, str]:
        """(mother's heritage, father's heritage, the children's ethnicity code)."""
        if heritage[0] != "mixed":
            return heritage, heritage, heritage[2]
        partner = self.rng.choices(data.MIXED_PARTNERS, [w for *_, w in data.MIXED_PARTNERS])[0]
        by_key = {h[0]: h for h in data.HERITAGES}
        return by_key["white_british"], by_key[partner[0]], partner[2]

    def _couple(
        self,
        fam: PlannedFamily,
        heritage: Heritage,
        shape: Shape,
        lineage: dict,
        *,
        grandparent: bool = False,
    ) -> None:
        rng = self.rng
        ages = self._children_ages(shape)
        mum_h, dad_h, kids_code = self._mixed(heritage)
        mother_age = ages[0] + rng.randint(19 * YEAR, 36 * YEAR)
        father_age = max(mother_age + rng.randint(-3 * YEAR, 7 * YEAR), ages[0] + 18 * YEAR)
        dad_surname = self.surname(dad_h[3])
        maiden = self.surname(mum_h[3])
        married = rng.random() < 0.6
        mother = self.person(
            fam,
            role="mother",
            sex=Sex.FEMALE,
            age_days=mother_age,
            family_name=dad_surname if married else maiden,
            former=maiden if married else "",
            pool=mum_h[3],
            heritage=mum_h,
        )
        father = self.person(
            fam,
            role="father",
            sex=Sex.MALE,
            age_days=father_age,
            family_name=dad_surname,
            pool=dad_h[3],
            heritage=dad_h,
        )
        together = min(
            ages[0] + rng.randint(200, 6 * YEAR), mother_age - 16 * YEAR, father_age - 16 * YEAR
        )
        fam.together_since = self.today - timedelta(days=together)
        self.relate(fam, mother, father, RelationshipType.PARTNER, start=fam.together_since)
        surname = dad_surname
        if not married and rng.random() < 0.05:
            surname = f"{maiden}-{dad_surname}"
        pool = dad_h[3] if kids_code == dad_h[2] else "british"
        for age in ages:
            child = self.person(
                fam,
                role="child",
                sex=rng.choice([Sex.MALE, Sex.FEMALE]),
                age_days=age,
                family_name=surname,
                pool=pool,
                heritage=dad_h,
                ethnicity=kids_code,
            )
            lineage[child] = (mother, father)
        if self._pregnant(ages):
            lineage[self.unborn(fam, surname, kids_code)] = (mother, father)
        if grandparent:
            if rng.random() < 0.7:
                self._resident_grandparent(fam, mother, mum_h)
            else:
                self._resident_grandparent(fam, father, dad_h)

    def _three_generation(
        self, fam: PlannedFamily, heritage: Heritage, shape: Shape, lineage: dict
    ) -> None:
        if self.rng.random() < 0.6:
            self._couple(fam, heritage, shape, lineage, grandparent=True)
        else:
            self._single(fam, heritage, shape, lineage, grandparent=True)

    def _resident_grandparent(self, fam: PlannedFamily, parent: int, heritage: Heritage) -> None:
        rng = self.rng
        parent_person = fam.persons[parent]
        parent_age = parent_person.age
        sex = Sex.FEMALE if rng.random() < 0.75 else Sex.MALE
        formers = [n.family for n in parent_person.names if n.kind == NameKind.FORMER]
        surname = formers[0] if formers else parent_person.current.family
        grandparent = self.person(
            fam,
            role="grandparent",
            sex=sex,
            age_days=min(parent_age + rng.randint(18 * YEAR, 32 * YEAR), 88 * YEAR),
            family_name=surname,
            pool=heritage[3],
            heritage=heritage,
        )
        self.relate(
            fam, grandparent, parent, RelationshipType.PARENT, start=parent_person.date_of_birth
        )
        for child in fam.children():
            self.relate(
                fam,
                grandparent,
                child,
                RelationshipType.GRANDPARENT,
                start=fam.persons[child].date_of_birth,
            )

    def _single(
        self,
        fam: PlannedFamily,
        heritage: Heritage,
        shape: Shape,
        lineage: dict,
        *,
        grandparent: bool = False,
    ) -> None:
        rng = self.rng
        ages = self._children_ages(shape)
        mum_h, dad_h, kids_code = self._mixed(heritage)
        mother_led = rng.random() < 0.88
        parent_age = ages[0] + rng.randint(18 * YEAR, 36 * YEAR)
        sex = Sex.FEMALE if mother_led else Sex.MALE
        own_h = mum_h if mother_led else dad_h
        parent_surname = self.surname(own_h[3])
        parent = self.person(
            fam,
            role="mother" if mother_led else "father",
            sex=sex,
            age_days=parent_age,
            family_name=parent_surname,
            pool=own_h[3],
            heritage=own_h,
        )
        # Children by one or two other parents, each recorded (living elsewhere) or not.
        split = rng.randint(1, len(ages) - 1) if len(ages) > 1 and rng.random() < 0.25 else 0
        groups = [ages[:split], ages[split:]] if split else [ages]
        other_h = dad_h if mother_led else mum_h
        youngest_surname = parent_surname
        for g, group in enumerate(groups):
            other_surname = self.surname(other_h[3])
            other: object = f"absent-{fam.index}-{g}"
            if rng.random() < 0.35:
                other = self.person(
                    fam,
                    role="father" if mother_led else "mother",
                    sex=Sex.MALE if mother_led else Sex.FEMALE,
                    age_days=group[0] + rng.randint(18 * YEAR, 38 * YEAR),
                    family_name=other_surname,
                    pool=other_h[3],
                    heritage=other_h,
                    resident=False,
                )
            surname = other_surname if rng.random() < 0.45 else parent_surname
            youngest_surname = surname
            for age in group:
                child = self.person(
                    fam,
                    role="child",
                    sex=rng.choice([Sex.MALE, Sex.FEMALE]),
                    age_days=age,
                    family_name=surname,
                    pool=own_h[3],
                    heritage=own_h,
                    ethnicity=kids_code,
                )
                lineage[child] = (parent, other) if mother_led else (other, parent)
        if mother_led and self._pregnant(ages):
            lineage[self.unborn(fam, youngest_surname, kids_code)] = (
                parent,
                f"absent-{fam.index}-unborn",
            )
        if grandparent:
            self._resident_grandparent(fam, parent, own_h)

    def _blended(self, fam: PlannedFamily, heritage: Heritage, shape: Shape, lineage: dict) -> None:
        rng = self.rng
        ages = self._children_ages(
            Shape(min_children=max(2, shape.min_children), eldest_days=shape.eldest_days), low=2
        )
        mum_h, dad_h, kids_code = self._mixed(heritage)
        older = rng.randint(1, len(ages) - 1)
        mother_age = ages[0] + rng.randint(18 * YEAR, 33 * YEAR)
        maiden = self.surname(mum_h[3])
        ex_surname = self.surname(dad_h[3])
        partner_surname = self.surname(heritage[3] if heritage[0] != "mixed" else "british")
        married = rng.random() < 0.4
        mother = self.person(
            fam,
            role="mother",
            sex=Sex.FEMALE,
            age_days=mother_age,
            family_name=partner_surname if married else maiden,
            former=maiden if married else "",
            pool=mum_h[3],
            heritage=mum_h,
        )
        # The new partner moved in before the first joint child was born.
        joint_eldest_dob = ages[older]
        together = min(joint_eldest_dob + rng.randint(300, 900), ages[older - 1] - 60)
        together = max(together, joint_eldest_dob + 1)
        partner_age = max(mother_age + rng.randint(-4 * YEAR, 8 * YEAR), together + 17 * YEAR)
        partner = self.person(
            fam,
            role="partner",
            sex=Sex.MALE,
            age_days=partner_age,
            family_name=partner_surname,
            pool=heritage[3] if heritage[0] != "mixed" else "british",
            heritage=mum_h,
        )
        partner_start = fam.together_since = self.today - timedelta(days=together)
        self.relate(fam, mother, partner, RelationshipType.PARTNER, start=partner_start)
        ex: object = f"absent-{fam.index}-ex"
        if rng.random() < 0.6:
            ex = self.person(
                fam,
                role="ex_partner",
                sex=Sex.MALE,
                age_days=ages[0] + rng.randint(18 * YEAR, 36 * YEAR),
                family_name=ex_surname,
                pool=dad_h[3],
                heritage=dad_h,
                resident=False,
            )
            began = ages[0] + rng.randint(100, 4 * YEAR)
            began = min(began, mother_age - 16 * YEAR, fam.persons[ex].age - 16 * YEAR)
            ended = rng.randint(together + 30, together + 400)
            self.relate(
                fam,
                mother,
                ex,
                RelationshipType.PARTNER,
                start=self.today - timedelta(days=max(began, ended + 1)),
                end=self.today - timedelta(days=ended),
            )
        old_surname = ex_surname if rng.random() < 0.6 else maiden
        changed = married and rng.random() < 0.5
        for age in ages[:older]:
            child = self.person(
                fam,
                role="child",
                sex=rng.choice([Sex.MALE, Sex.FEMALE]),
                age_days=age,
                family_name=partner_surname if changed else old_surname,
                former=old_surname if changed else "",
                pool=mum_h[3],
                heritage=dad_h,
                ethnicity=kids_code,
            )
            lineage[child] = (mother, ex)
            self.relate(
                fam,
                partner,
                child,
                RelationshipType.STEP_PARENT,
                pr=rng.random() < 0.1,
                start=max(partner_start, fam.persons[child].born),
            )
        for age in ages[older:]:
            child = self.person(
                fam,
                role="child",
                sex=rng.choice([Sex.MALE, Sex.FEMALE]),
                age_days=age,
                family_name=partner_surname,
                pool=mum_h[3],
                heritage=mum_h,
                ethnicity=mum_h[2],
            )
            lineage[child] = (mother, partner)
        if rng.random() < 0.3 and together + 200 < 17 * YEAR:
            # The partner's own child from before, who lives here too.
            age = rng.randint(together + 100, 17 * YEAR)
            child = self.person(
                fam,
                role="child",
                sex=rng.choice([Sex.MALE, Sex.FEMALE]),
                age_days=age,
                family_name=partner_surname,
                pool=mum_h[3],
                heritage=mum_h,
                ethnicity=mum_h[2],
            )
            lineage[child] = (f"absent-{fam.index}-partner", partner)
            self.relate(fam, mother, child, RelationshipType.STEP_PARENT, start=partner_start)
        if self._pregnant(ages):
            lineage[self.unborn(fam, partner_surname, mum_h[2])] = (mother, partner)

    def _grandparent(
        self, fam: PlannedFamily, heritage: Heritage, shape: Shape, lineage: dict
    ) -> None:
        rng = self.rng
        ages = self._children_ages(shape, high=3)
        mother_age = ages[0] + rng.randint(17 * YEAR, 30 * YEAR)
        surname = self.surname(heritage[3])
        grandma = self.person(
            fam,
            role="grandparent",
            sex=Sex.FEMALE,
            age_days=min(mother_age + rng.randint(18 * YEAR, 28 * YEAR), 85 * YEAR),
            family_name=surname,
            former=self.surname(heritage[3]),
            pool=heritage[3],
            heritage=heritage,
        )
        carers = [grandma]
        if rng.random() < 0.45:
            grandpa = self.person(
                fam,
                role="grandparent",
                sex=Sex.MALE,
                age_days=fam.persons[grandma].age + rng.randint(-3 * YEAR, 6 * YEAR),
                family_name=surname,
                pool=heritage[3],
                heritage=heritage,
            )
            self.relate(
                fam,
                grandma,
                grandpa,
                RelationshipType.PARTNER,
                start=self.today - timedelta(days=mother_age + rng.randint(300, 4000)),
            )
            carers.append(grandpa)
        mother: object = f"absent-{fam.index}-mother"
        if rng.random() < 0.8:
            mother = self.person(
                fam,
                role="mother",
                sex=Sex.FEMALE,
                age_days=mother_age,
                family_name=surname,
                pool=heritage[3],
                heritage=heritage,
                resident=False,
            )
            for carer in carers:
                self.relate(
                    fam,
                    carer,
                    mother,
                    RelationshipType.PARENT,
                    start=fam.persons[mother].date_of_birth,
                )
        kids_surname = surname if rng.random() < 0.5 else self.surname(heritage[3])
        care_began = rng.randint(60, max(61, min(ages[-1], 8 * YEAR)))
        special_guardianship = rng.random() < 0.6
        for age in ages:
            child = self.person(
                fam,
                role="child",
                sex=rng.choice([Sex.MALE, Sex.FEMALE]),
                age_days=age,
                family_name=kids_surname,
                pool=heritage[3],
                heritage=heritage,
            )
            lineage[child] = (mother, f"absent-{fam.index}-father")
            for carer in carers:
                self.relate(
                    fam,
                    carer,
                    child,
                    RelationshipType.GRANDPARENT,
                    pr=special_guardianship,
                    start=fam.persons[child].date_of_birth,
                )
                self.relate(
                    fam,
                    carer,
                    child,
                    RelationshipType.CARER,
                    start=self.today - timedelta(days=min(care_began, age)),
                )

    def _young(self, fam: PlannedFamily, heritage: Heritage, shape: Shape, lineage: dict) -> None:
        rng = self.rng
        mother_age = rng.randint(16 * YEAR, 20 * YEAR)
        surname = self.surname(heritage[3])
        mother = self.person(
            fam,
            role="mother",
            sex=Sex.FEMALE,
            age_days=mother_age,
            family_name=surname,
            pool=heritage[3],
            heritage=heritage,
        )
        father: object = f"absent-{fam.index}-father"
        if rng.random() < 0.4:
            father = self.person(
                fam,
                role="father",
                sex=Sex.MALE,
                age_days=mother_age + rng.randint(0, 5 * YEAR),
                family_name=self.surname(heritage[3]),
                pool=heritage[3],
                heritage=heritage,
                resident=False,
            )
        baby_max = min(mother_age - int(15.5 * YEAR), 2 * YEAR)
        if baby_max > 30 and (shape.min_children > 0 and rng.random() < 0.6):
            child = self.person(
                fam,
                role="child",
                sex=rng.choice([Sex.MALE, Sex.FEMALE]),
                age_days=rng.randint(30, baby_max),
                family_name=surname,
                pool=heritage[3],
                heritage=heritage,
            )
            lineage[child] = (mother, father)
        else:
            lineage[self.unborn(fam, surname, heritage[2])] = (mother, father)
        if mother_age < 18 * YEAR or rng.random() < 0.5:
            self._resident_grandparent(fam, mother, heritage)
            # Her own mother keeps parental responsibility while she is a child.
            if mother_age < 18 * YEAR:
                for rel in fam.relationships:
                    if rel.other == mother and rel.type == RelationshipType.PARENT:
                        rel.has_parental_responsibility = True

    # --- links, homes, numbers --------------------------------------------------------------

    def _lineage(self, fam: PlannedFamily, lineage: dict[int, tuple[object, object]]) -> None:
        """Birth parents (with parental responsibility) and sibling types from who each
        child's parents are: both shared = sibling, one = half, none = step."""
        for child, parents in lineage.items():
            born = fam.persons[child].date_of_birth
            for parent in parents:
                if isinstance(parent, int):
                    self.relate(fam, parent, child, RelationshipType.PARENT, pr=True, start=born)
        children = list(lineage)
        for i, a in enumerate(children):
            for b in children[i + 1 :]:
                shared = len(set(lineage[a]) & set(lineage[b]))
                kind = {2: RelationshipType.SIBLING, 1: RelationshipType.HALF_SIBLING}.get(
                    shared, RelationshipType.STEP_SIBLING
                )
                dobs = [d for x in (a, b) if (d := fam.persons[x].date_of_birth)]
                start = max(dobs) if len(dobs) == 2 else None
                self.relate(fam, a, b, kind, start=start)

    def _residences(self, fam: PlannedFamily) -> None:
        rng = self.rng
        born = [i for i, p in enumerate(fam.persons) if p.kind != PersonKind.UNBORN]
        home = [i for i in born if fam.persons[i].resident]
        longest = 12 * YEAR
        if fam.together_since:
            longest = max(61, min(longest, (self.today - fam.together_since).days))
        moved_in = self.today - timedelta(days=rng.randint(60, longest))
        fam.residences.append(
            PlannedResidence(
                *self.address(fam.town), start_date=moved_in, end_date=None, members=home
            )
        )
        if rng.random() < 0.35:
            before = [i for i in home if fam.persons[i].born < moved_in]
            if before:
                town = (
                    fam.town
                    if rng.random() < 0.7
                    else rng.choices(self.towns, self.town_weights)[0]
                )
                fam.residences.append(
                    PlannedResidence(
                        *self.address(town),
                        start_date=moved_in - timedelta(days=rng.randint(200, 8 * YEAR)),
                        end_date=moved_in - timedelta(days=1),
                        members=before,
                    )
                )
        for i in born:
            if not fam.persons[i].resident:
                town = rng.choices(self.towns, self.town_weights)[0]
                fam.residences.append(
                    PlannedResidence(
                        *self.address(town),
                        start_date=self.today - timedelta(days=rng.randint(30, 6 * YEAR)),
                        end_date=None,
                        members=[i],
                    )
                )

    def _identifiers(self, fam: PlannedFamily) -> None:
        rng = self.rng
        establishments = [self.establishment.get(fam.primary, self.all_primaries[0])]
        for person in fam.persons:
            if person.kind == PersonKind.UNBORN:
                continue
            if rng.random() < (0.93 if person.kind == PersonKind.ADULT else 0.96):
                person.nhs_number = self.nhs.next()
            years = person.age // YEAR
            if person.kind == PersonKind.CHILD and years >= 4:
                if rng.random() < 0.93:
                    offset = rng.randrange(len(self.all_primaries))
                    fallback = self.all_primaries[offset:] + self.all_primaries[:offset]
                    person.upn = self.upns.next(establishments + fallback, years)
                else:  # the census asks why; chosen without the rng, so nothing else moves
                    reasons = NO_UPN_REASONS
                    person.upn_unknown = reasons[len(person.current.given) % len(reasons)]
                if person.role == "child":
                    person.primary = fam.primary
                    if years >= 11 and (years < 16 or rng.random() < 0.7):
                        person.secondary = fam.secondary
            elif person.kind == PersonKind.CHILD:
                person.upn_unknown = "UN1"  # not of school age yet
