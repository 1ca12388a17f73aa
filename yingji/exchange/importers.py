"""Row importers: how one spreadsheet row becomes a place, enterprise, department or person.

Each importer declares its columns (Chinese header, required or not, format note, dropdown
choices) — the templates, the header mapping and the instructions sheet are all built from that
list — and turns rows into model instances:

1. key: the row's natural key (统一社会信用代码 …); a key seen earlier in the file is an error;
2. existing rows are fetched in batches per chunk (one query per chunk, not per row) and only
   among those the user may change; a key that exists outside the user's reach is an error;
3. cell texts are converted (choice labels → codes, 、-separated flags, normalised identifiers) and
   checked by the **model's own validators** (``Model.clean_fields`` / ``Model.clean``), so the
   rules live in one place (``yingji.utilities.validators``);
4. foreign keys are resolved from batched look-ups (region codes, USCCs, department names);
5. the row is checked against the user's scope with the one access filter
   (``yingji.framework.access.allows_object``).

With ``write=True`` the accepted rows are written per chunk (new rows with
``yingji.framework.bulk.insert_rows`` when the importer names an ``insert_key``, else
``bulk_create``; changed rows with ``bulk_update``) and logged with ``record_bulk`` / ``record``;
the caller owns the transaction. Validation keeps the cleaned values of the accepted rows
(:attr:`Importer.cleaned`), which the commit takes instead of converting the cells again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from yingji.accounts.models import Person
from yingji.audit.services import record, record_bulk, snapshot
from yingji.exchange.choices import ImportKind
from yingji.framework.access import allows_object, can
from yingji.framework.bulk import insert_rows
from yingji.framework.fields import FlagsField
from yingji.framework.masking import mask_value, personal_fields
from yingji.orgs.models import Department, Enterprise
from yingji.places.choices import PlaceLevel
from yingji.places.models import Place
from yingji.utilities import identifiers
from yingji.utilities.identifiers import IdentifierError

CHUNK = 1000
_JSON_TYPES = frozenset({str, int, float, bool})
#: At most this many problems are kept in the report (all are counted).
MAX_REPORT = 1000
_CODE_IN_TEXT = re.compile(r"(\d{12})\s*[）)]?\s*$")
_FLAG_SEPARATORS = re.compile(r"[、,，;；/\s]+")
_EXAMPLE_USCC = identifiers.make_uscc("9", "1", "320602", "MA1N0B7K")


@dataclass(frozen=True)
class Column:
    """One column of an import file."""

    key: str
    header: str
    required: bool = False
    note: str = ""
    #: (code, label) pairs; the template offers the labels in a dropdown, the importer takes either
    choices: tuple = ()
    #: formatted as text in the template, so that codes and phone numbers keep leading zeros
    text: bool = False
    example: str = ""
    width: int = 16


def field_column(model, name: str, **kwargs) -> Column:
    """A column for a model field: header = the field's verbose name, choices from the field."""
    f = model._meta.get_field(name)
    kwargs.setdefault("header", f.verbose_name)
    kwargs.setdefault("required", not f.blank and not f.has_default())
    if f.choices and "choices" not in kwargs:
        kwargs["choices"] = tuple((str(c), label) for c, label in f.flatchoices)
    return Column(key=name, **kwargs)


def in_every_language(text) -> set[str]:
    """A (lazy) label as it reads in each UI language: a template downloaded in English still maps."""
    out = set()
    for code, _name in settings.LANGUAGES:
        with override(code):
            out.add(str(text))
    return out


class Report:
    """Problems found in a file: ``{row, column, value, code, message}``; row 1 is the header row."""

    def __init__(self):
        self.items: list[dict] = []
        self.count = 0
        self.rows: set[int] = set()

    def add(self, row: int | None, column: str, value, code: str, message: str) -> None:
        self.count += 1
        if row is not None:
            self.rows.add(row)
        if len(self.items) < MAX_REPORT:
            text = "" if value is None else str(value)
            self.items.append(
                {"row": row, "column": column, "value": text[:100], "code": code, "message": str(message)}
            )


class RowProblems(Exception):
    """Raised inside a row to stop processing it; the problems are already recorded."""


def _code_from(text: str | None) -> str | None:
    """A 12-digit region code from "320602001201" or "崇川区某村（320602001201）" (an export cell)."""
    if not text:
        return None
    m = _CODE_IN_TEXT.search(text)
    return m.group(1) if m else text.strip()


def _normalised(validate, text: str) -> str:
    """The identifier as its validator normalises it; left as typed when invalid (the model's
    validator then reports it)."""
    try:
        return validate(text)
    except IdentifierError:
        return text.strip()


class _Normalised(dict):
    """Memo of :func:`_normalised` for one chunk (a key is normalised by prefetch, key and assign)."""

    def get_for(self, validate, text: str) -> str:
        key = (validate, text)
        value = self.get(key)
        if value is None:
            value = self[key] = _normalised(validate, text)
        return value


class Importer:
    """Base importer; subclasses declare ``model``, ``columns`` and the key and resolution hooks."""

    kind: str = ""
    model = None
    columns: tuple[Column, ...] = ()
    #: the sheet title of the template (looked for first when reading a file)
    sheet_title: str = ""
    #: the column holding the natural key, and the one blamed for an out-of-scope row
    key_column: str = ""
    scope_column: str = "place"
    #: column keys that are foreign keys resolved by the importer itself
    resolved: frozenset = frozenset()
    #: identifier normalisers (from yingji.utilities.identifiers) by field name
    normalisers: dict = {}
    #: a unique field by which new rows are written with ``yingji.framework.bulk.insert_rows``
    #: (one prepared INSERT for all rows) instead of ``bulk_create``
    insert_key: str | None = None

    def __init__(self, user, *, write: bool = False):
        self.user = user  # None: the system (CLI without --user), not limited by any scope
        self.write = write
        self.report = Report()
        self.seen: dict = {}
        self.created = self.updated = self.unchanged = 0
        self.values: dict = {}
        self._creates: list = []
        self._updates: list = []
        self._update_fields: set[str] = set()
        self.by_key = {c.key: c for c in self.columns}
        meta = self.model._meta
        self.field_names = {f.name for f in meta.concrete_fields}
        self._fk_fields = {f.name for f in meta.concrete_fields if f.is_relation}
        self._field_by_attname = {f.attname: f.name for f in meta.concrete_fields}
        self._choice_maps = {c.key: self._choice_map(c.choices) for c in self.columns if c.choices}
        for f in meta.concrete_fields:
            if isinstance(f, FlagsField):
                self._choice_maps[f.name] = self._choice_map([(str(c), lb) for c, lb in f.flag_choices])
        self._flag_fields = {f.name for f in meta.concrete_fields if isinstance(f, FlagsField)}
        self._personal = personal_fields(self.model)
        self.places_by_code: dict[str, Place | None] = {}
        self.places_by_id: dict[int, Place] = {}
        self._departments: dict[str, list[Department]] = {}
        self._norm = _Normalised()
        self._fields = {f.name: f for f in meta.concrete_fields}
        self._clean_memo: dict = {}
        self._required = {
            f.name
            for f in meta.concrete_fields
            if not f.blank and not f.has_default() and not f.is_relation and not f.primary_key
        }
        #: validation: ``(row number, cleaned values)`` of the rows accepted in the current chunk
        #: (taken by the caller after each chunk, see :meth:`run`)
        self.cleaned: list[tuple[int, dict]] = []
        #: commit: the cleaned values staged by the validation, by row number (current chunk)
        self._staged_clean: dict[int, dict] = {}

    def normalised(self, validate, text: str) -> str:
        return self._norm.get_for(validate, text)

    # -- headers ---------------------------------------------------------------------------------

    @classmethod
    def header_map(cls, headers) -> tuple[dict[str, int], list[tuple[str, str, str]]]:
        """Column key → index in the file, and (code, column, message) problems of the header row.

        A header matches a column by its Chinese header or its field name; a trailing "*" or
        "（必填）" is ignored. Unknown columns are ignored; a missing required column is an error.
        """
        lookup = {}
        for c in cls.columns:
            for text in in_every_language(c.header):
                lookup[text] = c.key
            lookup[c.key] = c.key
        found: dict[str, int] = {}
        problems = []
        for i, text in enumerate(headers):
            if not text:
                continue
            clean = text.replace("（必填）", "").replace("(必填)", "").strip().rstrip("*＊").strip()
            key = lookup.get(clean)
            if key is None:
                continue
            if key in found:
                problems.append(
                    ("duplicate_column", clean, _("表头“%(h)s”出现了两次，请删除重复的列。") % {"h": clean})
                )
                continue
            found[key] = i
        if not found:
            problems.append(
                (
                    "missing_column",
                    "",
                    _("第1行应为表头（列名），但没有找到任何模板中的列：请使用本类数据的导入模板。"),
                )
            )
            return found, problems
        for c in cls.columns:
            if c.required and c.key not in found:
                problems.append(
                    (
                        "missing_column",
                        str(c.header),
                        _("缺少必填列“%(h)s”：请使用导入模板，不要修改表头。") % {"h": c.header},
                    )
                )
        return found, problems

    # -- running ---------------------------------------------------------------------------------

    def run(self, rows):
        """Process ``(row_number, {key: text})`` pairs chunk by chunk; yields the rows done so far.

        When writing, a row may come as ``(row_number, {key: text}, cleaned)`` with the values the
        validation produced for its plain fields (:attr:`cleaned`): those cells are not converted
        or normalised again (the field validators are pure functions of the cell text, which has
        not changed). Everything that depends on the database is checked again.
        """
        done = 0
        rows = iter(rows)
        while chunk := list(islice(rows, CHUNK)):
            self._norm.clear()
            self._staged_clean = {}
            self.cleaned = []
            if len(chunk[0]) == 3:
                chunk = self._take_cleaned(chunk)
            self.prefetch(chunk)
            for number, values in chunk:
                self.values = values
                try:
                    obj = self.process_row(number, values)
                except RowProblems:
                    continue
                self.accepted(obj)
            if self.write:
                self.flush()
            done += len(chunk)
            yield done

    def _take_cleaned(self, chunk) -> list:
        """Remember the staged cleaned values of a chunk (only when writing) and seed the
        normaliser memo with them; returns the ``(row_number, values)`` pairs."""
        pairs = []
        for number, values, cleaned in chunk:
            pairs.append((number, values))
            if not self.write or cleaned is None:
                continue
            self._staged_clean[number] = cleaned
            for key, validate in self.normalisers.items():
                text = values.get(key)
                if text is not None and isinstance(cleaned.get(key), str):
                    self._norm[(validate, text)] = cleaned[key]
        return pairs

    def process(self, rows):
        """Run to the end without progress reporting."""
        for _done in self.run(rows):
            pass
        return self

    def problem(self, number, key: str | None, value, code: str, message: str) -> None:
        header = self.by_key[key].header if key in self.by_key else (key or "")
        self.report.add(number, str(header), value, code, message)

    def process_row(self, number: int, values: dict):
        """Check one row; queue it for writing; return the accepted instance or raise RowProblems."""
        count = self.report.count
        key = self.row_key(number, values)
        if self.report.count > count:
            raise RowProblems
        if key is not None:
            if key in self.seen:
                self.problem(
                    number,
                    self.key_column,
                    values.get(self.key_column),
                    "duplicate_in_file",
                    _("与第%(row)d行重复：同一条记录在文件中只能出现一次。") % {"row": self.seen[key]},
                )
                raise RowProblems
            self.seen[key] = number
        existing = self.existing(number, key, values)
        new = existing is None
        obj = self.model() if new else existing
        before = None if new else snapshot(obj)
        touched = self.assign(number, obj, values, new=new)
        self.validate_fields(number, obj, touched, new=new)
        if self.report.count == count:
            self.resolve(number, obj, values, new=new)
        if self.report.count == count:
            self.validate_object(number, obj)
        if self.report.count == count:
            self.check_scope(number, obj, values, new=new)
        if self.report.count > count:
            raise RowProblems
        if not self.write:
            self.keep_cleaned(number, obj, touched)
        if new:
            self.created += 1
            if self.write:
                self.queue_create(obj)
            return obj
        after = snapshot(obj)
        if after == before:
            self.unchanged += 1
        else:
            self.updated += 1
            if self.write:
                obj.updated = timezone.now()
                self._updates.append((obj, before))
                self._update_fields.update(
                    self._field_by_attname[k] for k in after if after[k] != before.get(k)
                )
        return obj

    # -- hooks -----------------------------------------------------------------------------------

    def row_key(self, number, values):
        """The row's natural key (normalised), or None when it has none."""
        raise NotImplementedError

    def prefetch(self, chunk) -> None:
        """Batch look-ups for one chunk of rows (existing rows, places …)."""

    def existing(self, number, key, values):
        """The stored instance with this key that the user may change, or None for a new row."""
        return None

    def resolve(self, number, obj, values, *, new: bool) -> None:
        """Set foreign keys from the row's codes and names."""

    def accepted(self, obj) -> None:
        """Called with every accepted row's instance."""

    # -- conversion and validation ---------------------------------------------------------------

    def keep_cleaned(self, number, obj, touched) -> None:
        """Note the validated values of the row's plain fields (JSON types only) for the commit."""
        fields = self._fields
        out = {}
        for name in touched:
            if name in self._fk_fields:
                continue
            value = getattr(obj, fields[name].attname)
            if type(value) in _JSON_TYPES or (type(value) is list and all(type(v) is str for v in value)):
                out[name] = value
        self.cleaned.append((number, out))

    @staticmethod
    def _choice_map(choices) -> dict[str, str]:
        out = {}
        for code, lazy_label in choices:
            out[code] = code
            for label in in_every_language(lazy_label):
                out[label] = code
                out[label.replace(" ", "")] = code
                parts = label.split(" ", 2)  # "C 26 化学原料…" may also be written "26 化学原料…" or by name
                if len(parts) == 3 and len(parts[0]) == 1:
                    out[parts[2]] = code
                    out[f"{parts[1]} {parts[2]}"] = code
        return out

    def convert(self, key: str, text: str):
        """Cell text → the value the model field takes (checked afterwards by the model's validators)."""
        if key in self._flag_fields:
            mapping = self._choice_maps[key]
            return [mapping.get(t, t) for t in _FLAG_SEPARATORS.split(text) if t]
        if key in self._choice_maps:
            mapping = self._choice_maps[key]
            return mapping.get(text) or mapping.get(text.replace(" ", ""), text)
        normalise = self.normalisers.get(key)
        if normalise is not None:
            return self.normalised(normalise, text)
        return text

    def assign(self, number, obj, values, *, new: bool) -> set[str]:
        """Set the plain fields given in the row; an empty cell keeps the stored (or default) value."""
        touched = set()
        staged = self._staged_clean.get(number) if self.write else None
        for key, text in values.items():
            if text is None or key in self.resolved or key not in self.field_names:
                continue
            if (
                not new
                and key in self._personal
                and text == mask_value(self._personal[key], getattr(obj, key))
            ):
                continue  # the masked form of the stored value sent back unchanged (a re-imported export)
            if staged is not None and key in staged:
                setattr(obj, key, staged[key])  # converted and validated at validation time
            else:
                setattr(obj, key, self.convert(key, text))
            touched.add(key)
        return touched

    def report_validation(self, number, exc: ValidationError, default_key: str | None = None) -> None:
        """Turn a model ValidationError into report lines (field → column, code kept)."""
        errors = exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
        for name, errs in errors.items():
            key = name if name in self.by_key else default_key
            for e in errs:
                code, message = e.code or "invalid", " ".join(e.messages)
                if code in ("blank", "null", "required"):
                    header = self.by_key[key].header if key in self.by_key else name
                    code, message = "required", _("必填：请填写“%(h)s”。") % {"h": header}
                self.problem(number, key, self.values.get(key) if key else None, code, message)

    def validate_fields(self, number, obj, touched: set[str], *, new: bool) -> None:
        """The model's own field validators on the cells given (and, for a new row, the required fields).

        This is ``Model.clean_fields`` restricted to those fields, with one addition: the outcome of
        ``Field.clean`` is remembered per (field, value). Field validators are pure functions of the
        value, and most columns repeat a few values (industry, scale, status …), so a 100,000-row
        file is validated without running the same check 100,000 times.

        When writing, the staged cells have passed these validators already (they cannot change in
        between): the values are only converted to Python types.
        """
        fields = self._fields
        if self.write:
            staged = self._staged_clean.get(number, ())
            for name in touched - self._fk_fields:
                if name in staged:
                    continue
                f = fields[name]
                setattr(obj, f.attname, f.to_python(getattr(obj, f.attname)))
            return
        errors = {}
        memo = self._clean_memo
        for name in (touched | self._required) if new else touched:
            if name in self._fk_fields:
                continue
            f = fields[name]
            raw = getattr(obj, f.attname)
            if f.blank and raw in f.empty_values:
                continue
            key = (name, tuple(raw) if isinstance(raw, list) else raw)
            outcome = memo.get(key)
            if outcome is None:
                try:
                    outcome = (True, f.clean(raw, obj))
                except ValidationError as exc:
                    outcome = (False, exc.error_list)
                if len(memo) > 200_000:
                    memo.clear()
                memo[key] = outcome
            if outcome[0]:
                setattr(obj, f.attname, outcome[1])
            else:
                errors[name] = outcome[1]
        if errors:
            self.report_validation(number, ValidationError(errors))

    def validate_object(self, number, obj) -> None:
        """The model's cross-field rules (``Model.clean``)."""
        try:
            obj.clean()
        except ValidationError as exc:
            self.report_validation(number, exc, default_key=self.key_column)

    def check_scope(self, number, obj, values, *, new: bool) -> None:
        """The one access filter decides whether the user may write this row."""
        action = "add" if new else "change"
        if self.user is None or allows_object(self.user, action, obj):
            return
        name = self.model._meta.verbose_name
        if not can(self.user, action, self.model):
            message = (
                _("您的角色不能新建%(name)s，只能更新已有的记录。")
                if new
                else _("您的角色不能修改%(name)s。")
            ) % {"name": name}
            self.problem(number, self.key_column, values.get(self.key_column), "permission_denied", message)
        else:
            self.problem(
                number,
                self.scope_column,
                values.get(self.scope_column),
                "out_of_scope",
                _("该行的地区或单位不在您的管辖范围内：只能导入本辖区的数据。"),
            )

    def visible(self, model, action: str = "view"):
        """Rows of ``model`` the importing user may ``action`` (every row for the system)."""
        if self.user is None:
            return model.objects.all()
        return model.objects.visible_to(self.user, action)

    # -- places ----------------------------------------------------------------------------------

    def load_places(self, codes=(), ids=()) -> None:
        """Cache places by code and id: one query for all not cached yet."""
        codes = {c for c in codes if c and c not in self.places_by_code}
        ids = {i for i in ids if i is not None and i not in self.places_by_id}
        if not codes and not ids:
            return
        for p in Place.objects.filter(Q(code__in=codes) | Q(pk__in=ids)).only(
            "id", "code", "name", "level", "path", "parent_id"
        ):
            self.places_by_code[p.code] = p
            self.places_by_id[p.pk] = p
        for c in codes:
            self.places_by_code.setdefault(c, None)

    def place_for(self, number, key: str, text: str):
        """The place a cell names by its 12-digit code (also "名称（代码）"); unknown codes are reported."""
        code = _code_from(text)
        try:
            identifiers.validate_region_code(code)
        except IdentifierError as exc:
            self.problem(number, key, text, exc.code, exc.message)
            return None
        self.load_places([code])
        place = self.places_by_code.get(code)
        if place is None:
            self.problem(
                number,
                key,
                text,
                "place_unknown",
                _("区划代码“%(c)s”在系统中不存在：请核对，或先导入该行政区划。") % {"c": code},
            )
        return place

    # -- departments -----------------------------------------------------------------------------

    def load_departments(self, names) -> None:
        """Cache the departments the user may see with these names or short names."""
        cache = self._departments
        names = {n for n in names if n and n not in cache}
        if not names:
            return
        for n in names:
            cache[n] = []
        qs = (
            self.visible(Department)
            .filter(Q(name__in=names) | Q(short_name__in=names))
            .select_related("place")
        )
        for d in qs:
            for n in {d.name, d.short_name} & names:
                cache[n].append(d)

    def department_for(self, number, key: str, name: str, place):
        """The department called ``name`` nearest above ``place`` (itself or an ancestor).

        Without a place the name must be unique among the departments the user may see.
        """
        self.load_departments([name])
        candidates = self._departments.get(name, [])
        if place is not None:
            candidates = [d for d in candidates if place.path.startswith(d.place.path)]
            candidates.sort(key=lambda d: (-len(d.place.path), d.name != name))
            if candidates:
                return candidates[0]
        elif len(candidates) == 1:
            return candidates[0]
        elif candidates:
            self.problem(
                number,
                key,
                name,
                "department_ambiguous",
                _("有多个名为“%(n)s”的部门：请同时填写所属地区的区划代码。") % {"n": name},
            )
            return None
        self.problem(
            number,
            key,
            name,
            "department_unknown",
            _("在所属地区及其上级地区找不到名为“%(n)s”的部门：请核对部门全称。") % {"n": name},
        )
        return None

    # -- writing ---------------------------------------------------------------------------------

    def queue_create(self, obj) -> None:
        self._creates.append(obj)

    def flush(self) -> None:
        """Write the queued rows: creates in bulk, then updates in bulk; both logged."""
        if self._creates:
            objs, self._creates = self._creates, []
            if self.insert_key:
                insert_rows(self.model, objs, key=self.insert_key)
            else:
                self.model.objects.bulk_create(objs)
            record_bulk(objs)
        if self._updates:
            pairs, self._updates = self._updates, []
            fields = sorted(self._update_fields | {"updated"})
            self._update_fields = set()
            self.model.objects.bulk_update([o for o, _b in pairs], fields)
            for obj, before in pairs:
                record(obj, "update", before, snapshot(obj))


# ---------------------------------------------------------------------------------------------
# Places


def _parent_code(code: str) -> str | None:
    """The code of the region directly above, from the 12-digit structure (None above a county)."""
    level = identifiers.region_level(code)
    if level == "village":
        return code[:9] + "000"
    if level == "town":
        return code[:6] + "000000"
    if level == "county":
        return code[:4] + "00000000"
    return None


class PlaceImporter(Importer):
    """行政区划 by 统计用区划代码; the parent by code, from the database or an earlier row of the file."""

    kind = ImportKind.PLACES
    model = Place
    sheet_title = "行政区划"
    key_column = "code"
    scope_column = "code"
    resolved = frozenset({"code", "parent", "level"})
    columns = (
        field_column(
            Place,
            "code",
            required=True,
            text=True,
            note=gettext_lazy("12位数字，如 320602001201"),
            example="320602001201",
        ),
        field_column(Place, "name", required=True, example="新城桥社区"),
        field_column(Place, "level", note=gettext_lazy("可不填：按区划代码自动判断"), example="村/社区"),
        Column(
            "parent",
            gettext_lazy("上级区划代码"),
            text=True,
            note=gettext_lazy("12位数字；可不填，按区划代码推算。上级须已存在，或写在本文件前面的行中"),
            example="320602001000",
        ),
        field_column(Place, "population", note=gettext_lazy("整数"), example="5200"),
        field_column(Place, "area_km2", note=gettext_lazy("数字"), example="2.35"),
        field_column(Place, "centroid_lon", note=gettext_lazy("WGS84 经度，如 120.894"), example="120.8942"),
        field_column(Place, "centroid_lat", note=gettext_lazy("WGS84 纬度，如 31.981"), example="32.0121"),
    )
    _LEVELS = {
        "city": PlaceLevel.CITY,
        "county": PlaceLevel.COUNTY,
        "town": PlaceLevel.TOWN,
        "village": PlaceLevel.VILLAGE,
    }

    def __init__(self, user, *, write=False):
        super().__init__(user, write=write)
        self._in_file: dict[str, Place] = {}  # accepted rows of this file, by code
        self._pending: set[str] = set()  # codes queued but not inserted yet

    def row_key(self, number, values):
        text = values.get("code")
        if not text:
            self.problem(
                number,
                "code",
                None,
                "required",
                _("必填：请填写“%(h)s”。") % {"h": self.by_key["code"].header},
            )
            return None
        try:
            return identifiers.validate_region_code(text)
        except IdentifierError as exc:
            self.problem(number, "code", text, exc.code, exc.message)
            return None

    def prefetch(self, chunk):
        codes, parents = set(), set()
        for _n, v in chunk:
            code = (v.get("code") or "").strip()
            codes.add(code)
            if v.get("parent"):
                parents.add(_code_from(v["parent"]))
            else:
                try:
                    parents.add(_parent_code(code))
                except IdentifierError:
                    pass
        self.load_places(codes | parents)
        self._existing = {p.code: p for p in self.visible(Place, "change").filter(code__in=codes)}
        self._taken = set(Place.objects.filter(code__in=codes).values_list("code", flat=True))

    def existing(self, number, key, values):
        if key in self._existing:
            return self._existing[key]
        if key in self._taken:
            self.problem(
                number,
                "code",
                key,
                "out_of_scope",
                _("该区划代码已存在且不在您的管辖范围内，不能通过导入修改。"),
            )
            raise RowProblems
        return None

    def assign(self, number, obj, values, *, new):
        touched = super().assign(number, obj, values, new=new)
        if new:
            obj.code = values["code"].strip()
            touched.add("code")
        if values.get("level"):
            obj.level = self.convert("level", values["level"])
            touched.add("level")
        elif new:
            level = identifiers.region_level(obj.code)
            if level not in self._LEVELS:
                self.problem(
                    number,
                    "code",
                    obj.code,
                    "level_unsupported",
                    _("平台的区划树以市为根，不能导入省级区划。"),
                )
                raise RowProblems
            obj.level = self._LEVELS[level]
            touched.add("level")
        return touched

    def resolve(self, number, obj, values, *, new):
        text = values.get("parent")
        code = _code_from(text) if text else _parent_code(obj.code)
        parent = None
        if code is not None:
            parent = self._in_file.get(code) or self.places_by_code.get(code)
            if parent is None:
                self.problem(
                    number,
                    "parent",
                    text or code,
                    "parent_unknown",
                    _("上级区划“%(c)s”不存在：请先导入上级区划（可写在本文件前面的行中）。") % {"c": code},
                )
                return
        if not new:
            if (parent.pk if parent else None) != obj.parent_id:
                self.problem(
                    number,
                    "parent",
                    text or code,
                    "parent_change",
                    _("导入不能调整区划的上级：请在行政区划编辑页面中调整。"),
                )
            return
        obj.parent = parent
        obj.path = (parent.path if parent else "") + obj.code + "/"

    def accepted(self, obj):
        self._in_file[obj.code] = obj

    def queue_create(self, obj):
        # a child is inserted after its parent: flush first when the parent is still queued
        if obj.parent is not None and obj.parent.code in self._pending:
            self.flush()
        self._creates.append(obj)
        self._pending.add(obj.code)

    def flush(self):
        super().flush()
        self._pending.clear()


# ---------------------------------------------------------------------------------------------
# Enterprises


class EnterpriseImporter(Importer):
    """企业 by 统一社会信用代码 (update or create); 属地 by code or from the location."""

    kind = ImportKind.ENTERPRISES
    model = Enterprise
    sheet_title = "企业"
    key_column = "uscc"
    insert_key = "uscc"
    resolved = frozenset({"place", "regulator"})
    normalisers = {
        "uscc": identifiers.validate_uscc,
        "principal_mobile": identifiers.validate_mobile,
        "safety_manager_mobile": identifiers.validate_mobile,
    }
    columns = (
        field_column(Enterprise, "name", required=True, example="南通某某化工有限公司", width=28),
        field_column(
            Enterprise,
            "uscc",
            required=True,
            text=True,
            note=gettext_lazy("18位，末位为校验码（GB 32100-2015），字母大写，不使用 I、O、S、V、Z"),
            example=_EXAMPLE_USCC,
            width=22,
        ),
        field_column(
            Enterprise,
            "industry",
            required=True,
            note=gettext_lazy("GB/T 4754-2017 行业大类，从下拉列表选择，或填两位代码如 26"),
            example="C 26 化学原料和化学制品制造业",
            width=30,
        ),
        field_column(Enterprise, "scale", example="小型"),
        field_column(Enterprise, "operating_status", example="在营"),
        field_column(Enterprise, "address", example="南通市崇川区某某路1号", width=28),
        field_column(
            Enterprise,
            "longitude",
            note=gettext_lazy("WGS84 经度，如 120.894；不填属地时据此确定属地"),
            example="120.8942",
        ),
        field_column(Enterprise, "latitude", note=gettext_lazy("WGS84 纬度，如 31.981"), example="32.0121"),
        field_column(
            Enterprise,
            "place",
            text=True,
            note=gettext_lazy("村/社区的12位区划代码；可不填，由经纬度自动确定（二者至少填一项）"),
            example="320602001201",
            width=16,
        ),
        field_column(
            Enterprise,
            "regulator",
            note=gettext_lazy("部门全称或简称，在属地及其上级地区中查找"),
            example="南通市应急管理局",
        ),
        field_column(
            Enterprise,
            "risk_flags",
            note=gettext_lazy("中文名称，多个用“、”分隔，如 危险化学品、有限空间"),
            example="危险化学品、有限空间",
            width=24,
        ),
        field_column(Enterprise, "employees", note=gettext_lazy("整数"), example="120"),
        field_column(Enterprise, "principal_name", example="张三"),
        field_column(
            Enterprise,
            "principal_mobile",
            text=True,
            note=gettext_lazy("11位手机号码"),
            example="13812345678",
        ),
        field_column(Enterprise, "safety_manager_name", example="李四"),
        field_column(
            Enterprise,
            "safety_manager_mobile",
            text=True,
            note=gettext_lazy("11位手机号码"),
            example="13912345678",
        ),
    )

    def row_key(self, number, values):
        text = values.get("uscc")
        if not text:
            self.problem(
                number,
                "uscc",
                None,
                "required",
                _("必填：请填写“%(h)s”。") % {"h": self.by_key["uscc"].header},
            )
            return None
        return self.normalised(identifiers.validate_uscc, text)

    def prefetch(self, chunk):
        from yingji.places.services import locate_point_id

        usccs, codes, ids, names = set(), set(), set(), set()
        for _n, v in chunk:
            if v.get("uscc"):
                usccs.add(self.normalised(identifiers.validate_uscc, v["uscc"]))
            if v.get("place"):
                codes.add(_code_from(v["place"]))
            elif v.get("longitude") and v.get("latitude"):
                try:
                    ids.add(locate_point_id(float(v["longitude"]), float(v["latitude"])))
                except ValueError:
                    pass
            if v.get("regulator"):
                names.add(v["regulator"])
        # the keys stored at all first (usually few or none), then those among them the user may change
        stored = (
            set(Enterprise.objects.filter(uscc__in=usccs).values_list("uscc", flat=True)) if usccs else set()
        )
        self._existing = (
            {
                e.uscc: e
                for e in self.visible(Enterprise, "change")
                .filter(uscc__in=stored)
                .select_related("place", "regulator")
            }
            if stored
            else {}
        )
        self._taken = stored - self._existing.keys()
        self.load_places(codes, ids)
        self.load_departments(names)

    def existing(self, number, key, values):
        if key in self._existing:
            return self._existing[key]
        if key in self._taken:
            self.problem(
                number,
                "uscc",
                values.get("uscc"),
                "out_of_scope",
                _("该统一社会信用代码已登记为您管辖范围以外的企业，不能通过导入修改：请联系其属地监管部门。"),
            )
            raise RowProblems
        return None

    def resolve(self, number, obj, values, *, new):
        from yingji.orgs.services import derive_place

        if values.get("place"):
            place = self.place_for(number, "place", values["place"])
            if place is None:
                return
            obj.place = place
        else:
            try:
                derive_place(obj)  # the form's rule: the village containing the location
            except ValidationError as exc:
                self.report_validation(number, exc, default_key="place")
                return
            if obj.place_id not in self.places_by_id:
                self.load_places(ids=[obj.place_id])
            if obj.place_id in self.places_by_id:
                obj.place = self.places_by_id[obj.place_id]
        if values.get("regulator"):
            department = self.department_for(number, "regulator", values["regulator"], obj.place)
            if department is not None:
                obj.regulator = department


# ---------------------------------------------------------------------------------------------
# Departments


class DepartmentImporter(Importer):
    """政府部门 by (所属地区代码, 名称)."""

    kind = ImportKind.DEPARTMENTS
    model = Department
    sheet_title = "政府部门"
    key_column = "name"
    resolved = frozenset({"place"})
    normalisers = {"phone": identifiers.validate_landline}
    columns = (
        field_column(
            Department,
            "place",
            required=True,
            text=True,
            note=gettext_lazy("12位区划代码"),
            example="320602000000",
        ),
        field_column(Department, "name", required=True, example="崇川区应急管理局", width=24),
        field_column(Department, "short_name", example="区应急局"),
        field_column(Department, "kind", example="应急管理部门", width=22),
        field_column(
            Department,
            "phone",
            text=True,
            note=gettext_lazy("区号-号码，如 0513-85123456"),
            example="0513-85123456",
        ),
        field_column(Department, "address", example="南通市崇川区某某路2号", width=28),
        field_column(
            Department,
            "duties",
            note=gettext_lazy("每行一项职责（单元格内换行：Alt+Enter）"),
            width=40,
            example="负责本区安全生产综合监督管理",
        ),
        field_column(Department, "longitude", note=gettext_lazy("WGS84 经度"), example="120.8942"),
        field_column(Department, "latitude", note=gettext_lazy("WGS84 纬度"), example="32.0121"),
    )

    def row_key(self, number, values):
        missing = False
        for key in ("place", "name"):
            if not values.get(key):
                self.problem(
                    number, key, None, "required", _("必填：请填写“%(h)s”。") % {"h": self.by_key[key].header}
                )
                missing = True
        return None if missing else (_code_from(values["place"]), values["name"])

    def prefetch(self, chunk):
        codes = {_code_from(v.get("place")) for _n, v in chunk if v.get("place")}
        names = {v["name"] for _n, v in chunk if v.get("name")}
        self.load_places(codes)
        rows = (
            self.visible(Department, "change")
            .filter(place__code__in=codes, name__in=names)
            .select_related("place")
        )
        self._existing = {(d.place.code, d.name): d for d in rows}
        self._taken = set(
            Department.objects.filter(place__code__in=codes, name__in=names).values_list(
                "place__code", "name"
            )
        )

    def existing(self, number, key, values):
        if key in self._existing:
            return self._existing[key]
        if key in self._taken:
            self.problem(
                number,
                "place",
                values.get("place"),
                "out_of_scope",
                _("该地区的同名部门已存在且不在您的管辖范围内，不能通过导入修改。"),
            )
            raise RowProblems
        return None

    def resolve(self, number, obj, values, *, new):
        if new:
            place = self.place_for(number, "place", values["place"])
            if place is not None:
                obj.place = place


# ---------------------------------------------------------------------------------------------
# Persons


class PersonImporter(Importer):
    """人员 by 身份证号, else by (姓名, 手机); organisation by enterprise USCC or department name.

    Persons the user may not change count as not found (a new record is created): unlike
    enterprises, nothing in the database makes a person unique, and revealing that someone with
    this ID number exists elsewhere would leak personal data.
    """

    kind = ImportKind.PERSONS
    model = Person
    sheet_title = "人员"
    key_column = "name"
    resolved = frozenset({"place", "enterprise", "department"})
    normalisers = {
        "mobile": identifiers.validate_mobile,
        "landline": identifiers.validate_landline,
        "id_number": identifiers.validate_resident_id,
    }
    columns = (
        field_column(Person, "name", required=True, example="王五"),
        field_column(
            Person,
            "mobile",
            text=True,
            note=gettext_lazy("11位手机号码；手机和身份证号至少填一项（用于识别同一人员）"),
            example="13712345678",
        ),
        field_column(
            Person,
            "landline",
            text=True,
            note=gettext_lazy("区号-号码，如 0513-85123456"),
            example="0513-85123456",
        ),
        field_column(
            Person, "id_number", text=True, note=gettext_lazy("18位居民身份证号码，末位校验码"), example=""
        ),
        field_column(Person, "email", example="wangwu@example.cn"),
        field_column(
            Person,
            "place",
            required=False,
            text=True,
            note=gettext_lazy("12位区划代码；可不填，默认为所在单位的地区"),
            example="320602001201",
        ),
        field_column(
            Person, "enterprise", text=True, note=gettext_lazy("填写企业的统一社会信用代码"), example=""
        ),
        field_column(
            Person,
            "department",
            note=gettext_lazy("部门全称或简称，在所属地区及其上级地区中查找"),
            example="崇川区应急管理局",
        ),
        field_column(Person, "position", example="安全员"),
    )

    def row_key(self, number, values):
        if values.get("id_number"):
            return ("id", self.normalised(identifiers.validate_resident_id, values["id_number"]))
        if values.get("mobile"):
            return (
                "mobile",
                values.get("name") or "",
                self.normalised(identifiers.validate_mobile, values["mobile"]),
            )
        self.problem(
            number,
            "mobile",
            None,
            "person_key_required",
            _("手机和身份证号至少填写一项，以便再次导入时识别同一人员。"),
        )
        return None

    def key_text(self, values):
        return values.get("id_number") or values.get("mobile")

    def prefetch(self, chunk):
        ids, mobiles, codes, usccs, names = set(), set(), set(), set(), set()
        for _n, v in chunk:
            if v.get("id_number"):
                ids.add(self.normalised(identifiers.validate_resident_id, v["id_number"]))
            if v.get("mobile"):
                mobiles.add(self.normalised(identifiers.validate_mobile, v["mobile"]))
            if v.get("place"):
                codes.add(_code_from(v["place"]))
            if v.get("enterprise"):
                usccs.add(self.normalised(identifiers.validate_uscc, v["enterprise"]))
            if v.get("department"):
                names.add(v["department"])
        self._by_id, self._by_mobile = {}, {}
        if ids or mobiles:
            for p in (
                self.visible(Person, "change")
                .filter(Q(id_number__in=ids) | Q(mobile__in=mobiles))
                .select_related("place", "enterprise", "department")
                .order_by("id")
            ):
                if p.id_number:
                    self._by_id.setdefault(p.id_number, p)
                if p.mobile:
                    self._by_mobile.setdefault((p.name, p.mobile), p)
        self._enterprises = {}
        if usccs:
            self._enterprises = {
                e.uscc: e for e in self.visible(Enterprise).filter(uscc__in=usccs).select_related("place")
            }
        self.load_places(codes)
        self.load_departments(names)

    def existing(self, number, key, values):
        if key is None:
            return None
        if key[0] == "id":
            return self._by_id.get(key[1])
        return self._by_mobile.get((key[1], key[2]))

    def resolve(self, number, obj, values, *, new):
        place = None
        if values.get("place"):
            place = self.place_for(number, "place", values["place"])
            if place is None:
                return
            obj.place = place
        if values.get("enterprise"):
            text = values["enterprise"]
            enterprise = self._enterprises.get(self.normalised(identifiers.validate_uscc, text))
            if enterprise is None:
                self.problem(
                    number,
                    "enterprise",
                    text,
                    "enterprise_unknown",
                    _("找不到统一社会信用代码为“%(c)s”的企业（或不在您的管辖范围内）：请核对。")
                    % {"c": text},
                )
                return
            obj.enterprise = enterprise
        if values.get("department"):
            department = self.department_for(
                number, "department", values["department"], place or (None if new else obj.place)
            )
            if department is None:
                return
            obj.department = department
        if obj.place_id is None:  # the person's place defaults to the organisation's (as on the form)
            org = obj.enterprise if obj.enterprise_id else obj.department if obj.department_id else None
            if org is None:
                self.problem(
                    number,
                    "place",
                    None,
                    "required",
                    _("必填：请填写“所属地区”，或填写所在企业/部门（默认取其地区）。"),
                )
                return
            obj.place = org.place


IMPORTERS: dict[str, type[Importer]] = {
    cls.kind: cls for cls in (PlaceImporter, EnterpriseImporter, DepartmentImporter, PersonImporter)
}
