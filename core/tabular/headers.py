"""The columns of the worker and community sheets: field, headers in both languages, how a cell is
read and written, whether it is required, and the spellings people use for the header.

Header texts and notes live in the catalogs (`tabular.col.*`, `tabular.note.*`), so a template is
written in the operator's language and a file in either language (or with a common synonym such
as 公民身份号码 for 身份证号) is read back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from core.i18n import t
from core.model import (
    CertificateKind,
    CommunityKind,
    ContractKind,
    Education,
    Entry,
    PartyStatus,
    Post,
    Status,
)
from core.tabular.cells import (
    Choices,
    is_blank,
    normalise,
    parse_area,
    parse_choice,
    parse_count,
    parse_date,
    parse_free_text,
    parse_id_number,
    parse_many,
    parse_phone,
    parse_text,
)

WORKER = "worker"
COMMUNITY = "community"


def _key(prefix: str) -> Callable[[str], str]:
    def key(code: str) -> str:
        return f"{prefix}.{code}"

    return key


# --- vocabularies --------------------------------------------------------------------------------

SEX = Choices(
    "sex",
    ("male", "female"),
    _key("sex"),
    {"男性": "male", "女性": "female", "m": "male", "f": "female"},
)
EDUCATION = Choices(
    "education",
    tuple(e.value for e in Education),
    _key("tabular.enum.education"),
    {
        "小学及以下": "primary",
        "中技": "secondary_vocational",
        "技校": "secondary_vocational",
        "职高": "secondary_vocational",
        "中职": "secondary_vocational",
        "专科": "associate",
        "大学专科": "associate",
        "高职": "associate",
        "大学本科": "bachelor",
        "学士": "bachelor",
        "研究生": "master",
        "硕士": "master",
        "博士": "doctor",
    },
)
PARTY = Choices(
    "party",
    tuple(p.value for p in PartyStatus),
    _key("tabular.enum.party"),
    {
        "党员": "member",
        "共产党员": "member",
        "预备党员": "probationary",
        "共青团员": "none",
        "团员": "none",
        "民主党派": "none",
        "无党派人士": "none",
        "无": "none",
    },
)
ENTRY = Choices(
    "entry",
    tuple(e.value for e in Entry),
    _key("tabular.enum.entry"),
    {"选举": "elected", "选举产生": "elected", "公开招聘": "hired", "聘用": "hired"},
)
HUKOU = Choices(
    "hukou",
    ("urban", "rural"),
    _key("tabular.enum.hukou"),
    {"非农业": "urban", "非农": "urban", "城市": "urban", "居民": "urban", "农业": "rural"},
)
CONTRACT = Choices(
    "contract",
    tuple(c.value for c in ContractKind),
    _key("tabular.enum.contract"),
    {"聘用合同": "labour", "任期制": "term", "试用": "probation"},
)
CERTIFICATE = Choices(
    "certificate",
    tuple(c.value for c in CertificateKind),
    _key("tabular.enum.certificate"),
    {
        "初级社会工作师": "assistant_social_worker",
        "助理社工师": "assistant_social_worker",
        "中级社会工作师": "social_worker",
        "社工师": "social_worker",
        "高级社工师": "senior_social_worker",
    },
    listed=(
        CertificateKind.ASSISTANT_SOCIAL_WORKER,
        CertificateKind.SOCIAL_WORKER,
        CertificateKind.SENIOR_SOCIAL_WORKER,
    ),
)
STATUS = Choices(
    "status",
    tuple(s.value for s in Status),
    _key("status"),
    {
        "在职": "active",
        "试用": "probation",
        "退休": "retired",
        "离职": "left",
        "辞职": "left",
        "解聘": "dismissed",
    },
)
COMMUNITY_KIND = Choices(
    "community_kind",
    tuple(k.value for k in CommunityKind),
    _key("tabular.enum.community_kind"),
    {"农村新社区": "rural", "城市": "urban", "县城": "county_town", "农村": "rural"},
)
POSTS = Choices(
    "post",
    tuple(p.value for p in Post),
    _key("post"),
    {
        "书记": "party_secretary",
        "党组织书记": "party_secretary",
        "党委书记": "party_secretary",
        "党总支书记": "party_secretary",
        "党支部书记": "party_secretary",
        "社区书记": "party_secretary",
        "副书记": "party_deputy_secretary",
        "主任": "committee_director",
        "居委会主任": "committee_director",
        "副主任": "committee_deputy_director",
        "站长": "station_head",
        "副站长": "station_deputy_head",
        "委员": "committee_member",
        "居委会委员": "committee_member",
        "监督委员会主任": "supervisory_director",
        "监委会委员": "supervisory_member",
        "党务工作者": "party_worker",
        "专职干事": "staff",
        "一般工作人员": "staff",
        "工作人员": "staff",
        "后备干部": "reserve_cadre",
        "网格员": "grid_worker",
        "辅警": "police_assistant",
    },
)


# --- columns -------------------------------------------------------------------------------------


@attrs.frozen
class Column:
    """One column of a sheet. `kind` picks the parser and formatter:

    text, free (notes), id (resident ID), phone, date, count, area, choice, many (several choices).
    A column that is not `importable` is written by exports for reading only and ignored on import.
    """

    table: str
    field: str
    kind: str = "text"
    required: bool = False
    choices: Choices | None = None
    width: int = 14
    importable: bool = True
    synonyms: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"tabular.col.{self.table}.{self.field}"

    def header(self, lang: str | None = None) -> str:
        return t(self.key, lang)

    @property
    def zh(self) -> str:
        return self.header("zh")

    @property
    def en(self) -> str:
        return self.header("en")

    def note(self, lang: str | None = None) -> str:
        return t(f"tabular.note.{self.table}.{self.field}", lang)

    @property
    def is_text(self) -> bool:
        """Written as a text cell (`@`): digits that must never become a number."""
        return self.kind in ("id", "phone", "text")

    def parse(self, value: object, index: Mapping[str, str] | None = None, lang: str | None = None) -> Any:
        """The model value of a non-blank cell, or `CellError`."""
        return self.parser(index, lang)(value)

    def parser(
        self, index: Mapping[str, str] | None = None, lang: str | None = None
    ) -> Callable[[object], Any]:
        """The function from a non-blank cell to its value (`parse` without choosing it per cell)."""
        simple = _PARSERS.get(self.kind)
        if simple is not None:
            return simple
        choices = self.choices
        assert choices is not None, self.field
        vocabulary = index if index is not None else choices.index()
        if self.kind == "many":
            return lambda value: parse_many(value, choices, vocabulary, lang)
        return lambda value: parse_choice(value, choices, vocabulary, lang)

    def format(self, value: Any, lang: str | None = None) -> object:
        """The cell written for a model value: labels for codes, real dates, exact numbers."""
        if value is None or value == "" or value == ():
            return None
        if self.kind == "many" and self.choices is not None:
            return "、".join(self.choices.label(code, lang) for code in value)
        if self.kind == "choice" and self.choices is not None:
            return self.choices.label(str(value), lang)
        if isinstance(value, dt.date | Decimal | int):
            return value
        return str(value)


_PARSERS: dict[str, Callable[[object], Any]] = {
    "text": parse_text,
    "free": parse_free_text,
    "id": parse_id_number,
    "phone": parse_phone,
    "date": parse_date,
    "count": parse_count,
    "area": parse_area,
}


def _w(field: str, kind: str = "text", **kw: Any) -> Column:
    return Column(WORKER, field, kind, **kw)


def _c(field: str, kind: str = "text", **kw: Any) -> Column:
    return Column(COMMUNITY, field, kind, **kw)


WORKER_COLUMNS: tuple[Column, ...] = (
    _w("worker_id", "count", importable=False, width=8),
    _w("name", required=True, width=10, synonyms=("名字", "人员姓名", "姓 名")),
    _w("sex", "choice", required=True, choices=SEX, width=6, synonyms=("gender",)),
    _w("birth_date", "date", width=12, synonyms=("出生年月日", "出生年月", "生日", "birth date", "birthday")),
    _w(
        "id_number",
        "id",
        required=True,
        width=21,
        synonyms=(
            "公民身份号码",
            "身份证号码",
            "身份证",
            "居民身份证号码",
            "居民身份证号",
            "证件号码",
            "id number",
            "resident id",
        ),
    ),
    _w("community_id", required=True, width=12, synonyms=("社区代码", "所在社区编号", "community")),
    _w("community_name", importable=False, width=14),
    _w("street", importable=False, width=14),
    _w(
        "service_start",
        "date",
        required=True,
        width=12,
        synonyms=("参加社区工作日期", "社区工作开始时间", "从事社区工作时间", "service start"),
    ),
    _w("work_start", "date", width=12, synonyms=("参加工作日期", "work start")),
    _w("entry", "choice", required=True, choices=ENTRY, width=8, synonyms=("进入方式", "产生途径")),
    _w("education", "choice", required=True, choices=EDUCATION, width=10, synonyms=("文化程度", "最高学历")),
    _w("phone", "phone", width=14, synonyms=("电话", "手机", "手机号", "手机号码", "联系方式", "电话号码")),
    _w("hukou_city", width=10, synonyms=("户籍地", "户籍所在地", "户口所在地")),
    _w("hukou_kind", "choice", choices=HUKOU, width=8, synonyms=("户口性质", "户籍类型")),
    _w("party", "choice", choices=PARTY, width=10, synonyms=("政治面貌（党派）",)),
    _w("posts", "many", choices=POSTS, width=22, synonyms=("职务", "现任职务", "岗位职务", "现任岗位")),
    _w("post_start", "date", width=12, synonyms=("任职时间", "任职日期", "任现职时间")),
    _w("contract_kind", "choice", choices=CONTRACT, width=10, synonyms=("合同种类",)),
    _w("contract_start", "date", width=12, synonyms=("合同起始日期", "合同开始时间")),
    _w("contract_end", "date", width=12, synonyms=("合同到期日期", "合同终止日期", "合同结束时间")),
    _w("certificate", "choice", choices=CERTIFICATE, width=14, synonyms=("职业资格", "社会工作职业资格")),
    _w("certificate_date", "date", width=12, synonyms=("取证时间", "证书取得日期", "证书登记时间")),
    _w("status", "choice", choices=STATUS, width=8, synonyms=("人员状态", "在岗状态")),
    _w("status_since", "date", width=12, synonyms=("状态变更日期", "状态开始日期")),
    _w("note", "free", width=20, synonyms=("说明",)),
)

COMMUNITY_COLUMNS: tuple[Column, ...] = (
    _c("id", required=True, width=12, synonyms=("社区代码", "community id")),
    _c("name", required=True, width=14, synonyms=("社区",)),
    _c("street", required=True, width=14, synonyms=("街道办事处", "街道（乡镇）", "乡镇（街道）")),
    _c("district", required=True, width=12, synonyms=("区", "县", "区县", "区（县）", "所属区县", "county")),
    _c("city", required=True, width=10, synonyms=("市", "所属城市")),
    _c("jurisdiction", required=True, width=16, synonyms=("辖区规则", "规则", "jurisdiction")),
    _c("kind", "choice", choices=COMMUNITY_KIND, width=10, synonyms=("社区类型", "type")),
    _c("households_resident", "count", width=10, synonyms=("常住户",)),
    _c("households_registered", "count", width=10, synonyms=("户籍户",)),
    _c("population", "count", width=10, synonyms=("常住人口数", "人口")),
    _c("new_residents", "count", width=10, synonyms=("新居民", "新市民人数")),
    _c("grid_count", "count", width=8, synonyms=("网格数量", "网格")),
    _c("office_area", "area", width=12, synonyms=("办公用房面积", "办公面积", "office area")),
)

# Columns the errors file adds after the original cells; a corrected errors file is imported as is.
EXTRA_HEADER_KEYS = ("tabular.col.errors", "tabular.col.source_row")


def columns_of(table: str) -> tuple[Column, ...]:
    return WORKER_COLUMNS if table == WORKER else COMMUNITY_COLUMNS


def column(table: str, field: str) -> Column:
    for col in columns_of(table):
        if col.field == field:
            return col
    raise KeyError(field)


# --- finding the header row ----------------------------------------------------------------------


def header_index(columns: Iterable[Column]) -> dict[str, Column | None]:
    """normalised header → column; `None` for headers known but not imported."""
    out: dict[str, Column | None] = {}
    for col in columns:
        target = col if col.importable else None
        for spelling in (col.zh, col.en, *col.synonyms):
            out.setdefault(_header_norm(spelling), target)
        out[_header_norm(col.zh)] = target
        out[_header_norm(col.en)] = target
    for key in EXTRA_HEADER_KEYS:
        for lang in ("zh", "en"):
            out.setdefault(_header_norm(t(key, lang)), None)
    return out


def _header_norm(text: str) -> str:
    return normalise(text).strip("*＊:：")


@attrs.frozen
class HeaderMatch:
    """Where the header row is and which column each position holds."""

    row: int  # the row number as Excel shows it
    positions: Mapping[int, Column]  # 0-based cell position → column
    texts: Mapping[str, str]  # field → the header as typed in the file
    unknown: tuple[str, ...]  # headers not recognised (ignored)
    repeated: tuple[tuple[Column, tuple[str, ...]], ...]  # a field named by more than one header
    width: int  # the number of header cells (the errors file copies that many)


def match_header(number: int, cells: Sequence[object], columns: Iterable[Column]) -> HeaderMatch:
    index = header_index(columns)
    positions: dict[int, Column] = {}
    texts: dict[str, str] = {}
    seen: dict[str, list[str]] = {}
    unknown: list[str] = []
    by_field: dict[str, Column] = {}
    width = 0
    for pos, cell in enumerate(cells):
        if is_blank(cell):
            continue
        width = pos + 1
        text = str(cell).strip()
        norm = _header_norm(text)
        if norm not in index:
            unknown.append(text)
            continue
        col = index[norm]
        if col is None:
            continue
        seen.setdefault(col.field, []).append(text)
        by_field[col.field] = col
        if col.field not in texts:
            texts[col.field] = text
            positions[pos] = col
    repeated = tuple((by_field[f], tuple(names)) for f, names in seen.items() if len(names) > 1)
    return HeaderMatch(number, positions, texts, tuple(unknown), repeated, width)


def find_header(
    rows: Iterable[tuple[int, Sequence[object]]], columns: Sequence[Column], look: int = 20
) -> HeaderMatch | None:
    """The first of the first `look` non-empty rows naming at least two known columns (a title row
    above the headers is allowed); the best-matching one if none names two."""
    best: HeaderMatch | None = None
    for seen, (number, cells) in enumerate(rows):
        if seen >= look:
            break
        found = match_header(number, cells, columns)
        if len(found.positions) >= 2:
            return found
        if found.positions and best is None:
            best = found
    return best
