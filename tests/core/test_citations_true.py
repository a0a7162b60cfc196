"""Every citation a plugin can show names a document that has that article, under its own title.

File 000 bundles five texts; a Shenyang rule once showed as 《北京市社区工作者管理办法》第五篇 …, the
first text's title. Each plugin ships `articles.toml` (the headings each of its documents has,
extracted once from the seed texts by docs/seed_articles.py, with the title the seeds' README
gives): every citation reachable from the plugins' parameters, their rule cases and their rules
run over the demo registry must carry a title that begins with its document's, and name only
articles that document has. A document with no seed file (a national law) is listed by its title in
the national root's `articles.toml` (written by hand from the published laws) and checked the same
way; only a national text core cites whose numbering that list leaves out (`NATIONAL_DOCUMENTS`)
passes on its title alone. The seeds themselves are never read here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest

from core.cases import case_files, compute_case, load_cases
from core.conformance.checks import NATIONAL_DOCUMENTS
from core.demo import build_demo, demo_parameters, write_params
from core.errors import ShegongError
from core.hookspecs import JurisdictionInfo, SourceDocument
from core.jurisdictions import ROOT_KEY, Jurisdictions
from core.memory import MemoryRegistry
from core.results import Citation, Month
from core.rules import Rules

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 25)
ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条")
CLAUSE = re.compile(r"(?<![\d.])\d+(?:\.\d+)+")
# "…见《海淀区社区工作者管理办法(试行)》第六条(二)2": a reference into another document, by title.
REFERENCE = re.compile(r"《[^》]*》(?:第[一二三四五六七八九十百零]+条)?")
# "六、15.完善薪酬体系（解读：本文未规定…按劳社部发〔2008〕3号 二 月工资 ÷ 21.75 …）": a reading notes
# what the text leaves to another; the figures and sections inside it are not this text's articles.
READING = re.compile(r"（解读[^）]*）")


@attrs.frozen
class Listed:
    title: str
    articles: frozenset[str]


def _folder(info: JurisdictionInfo) -> Path | None:
    """The plugin's package folder: where its catalogs, cases and parameters sit."""
    for path in (info.catalog_dir, info.cases_dir, info.parameter_file):
        if path is not None:
            return Path(path).parent
    return None


def _listed(folder: Path) -> dict[tuple[str, str], Listed]:
    """Keyed by (file, 篇); a text with no seed file (`file` "") by ("", its title)."""
    data = tomllib.loads((folder / "articles.toml").read_text(encoding="utf-8"))
    return {
        (d["file"], d["part"] if d["file"] else d["title"]): Listed(d["title"], frozenset(d["articles"]))
        for d in data["document"]
    }


def problem(citation: Citation, listed: Mapping[tuple[str, str], Listed]) -> str | None:
    """Why `citation` is untrue to its document, or None."""
    if not citation.title:
        return "has no document title"
    if citation.document:
        doc = listed.get((citation.document, citation.part))
    else:  # a national text with no seed file: listed by its title
        doc = listed.get(("", citation.title))
        if doc is None and citation.title in NATIONAL_DOCUMENTS:
            return None  # a text core cites whose articles are not listed: its title is all we hold
    if doc is None:
        return "names a document with no article list"
    if not citation.title.startswith(doc.title):
        return f"is titled 《{citation.title}》 but {citation.part or 'the file'} is 《{doc.title}》"
    clause = READING.sub("", REFERENCE.sub("", citation.clause))
    named = ARTICLE.findall(clause) or CLAUSE.findall(clause)
    if named:
        missing = [a for a in named if a not in doc.articles]
        return f"names {'、'.join(missing)}, not in 《{doc.title}》" if missing else None
    if any(clause.startswith(heading) for heading in doc.articles):
        return None  # Ningguo numbers items under headings: "五、14.完善退出机制(2)"
    return f"names no article 《{doc.title}》 has"


def citations(value: Any) -> Iterator[Citation]:
    """Every citation inside a rule's result, however deep."""
    if isinstance(value, Citation):
        yield value
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from citations(getattr(value, field.name))
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from citations(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from citations(item)


@pytest.fixture(scope="module")
def jurisdictions() -> Jurisdictions:
    js = Jurisdictions()
    js.load_entry_points()
    assert not js.broken, js.broken
    return js


@pytest.fixture(scope="module")
def listed(jurisdictions: Jurisdictions) -> dict[str, dict[tuple[str, str], Listed]]:
    """Each jurisdiction's article lists, from the folder of each plugin in its chain: a local
    plugin may cite the national laws its chain ends in."""
    own = {}
    for key in jurisdictions.keys:
        folder = _folder(jurisdictions.info(key))
        assert folder is not None and (folder / "articles.toml").exists(), f"{key} ships no articles.toml"
        own[key] = _listed(folder)
    return {key: {k: v for j in jurisdictions.chain(key) for k, v in own[j.info.key].items()} for key in own}


def _check(found: dict[str, set[Citation]], listed: Mapping[str, Mapping[tuple[str, str], Listed]]) -> None:
    wrong = sorted(
        f"{key}: {c.document} {c.article} 《{c.title}》 {why}"
        for key, cs in found.items()
        for c in cs
        if (why := problem(c, listed[key])) is not None
    )
    assert not wrong, "\n".join(wrong)


def test_the_check_catches_the_wrong_title_and_a_missing_article(
    listed: dict[str, dict[tuple[str, str], Listed]],
) -> None:
    """The bug this guards against, and an article 第五篇 (48 articles) does not have."""
    beijing_title = "北京市社区工作者管理办法(试行)(京办发[2008]20号)"
    wrong_title = Citation("000_a0ecfbd89ce21d4d.txt", "第五篇 第二十八条", beijing_title)
    assert problem(wrong_title, listed["shenyang"]) is not None
    right = Citation("000_a0ecfbd89ce21d4d.txt", "第五篇 第二十八条", "沈阳市社区工作者管理办法")
    assert problem(right, listed["shenyang"]) is None
    beyond = attrs.evolve(right, article="第五篇 第四十九条")
    assert problem(beyond, listed["shenyang"]) is not None
    untitled = Citation("000_a0ecfbd89ce21d4d.txt", "第五篇 第二十八条")
    assert problem(untitled, listed["shenyang"]) is not None
    # Ningguo's items: item 14 sits under heading 五, not 六.
    ningguo = "关于建立“六定”工作机制激励社区工作者干事创业担当作为的实施意见"
    item = Citation("003_7015e226fcf2d031.txt", "五、14.完善退出机制(2)", ningguo)
    assert problem(item, listed["ningguo"]) is None
    assert problem(attrs.evolve(item, article="六、14.完善退出机制"), listed["ningguo"]) is not None


def test_a_national_text_is_cited_by_title_without_a_file(
    listed: dict[str, dict[tuple[str, str], Listed]],
) -> None:
    """A document with no seed file (a national law) is shown by title and article, and held to
    the articles it has: the paid leave regulation (2007) ends at 第十条, its date of effect."""
    law = SourceDocument("", "职工带薪年休假条例(国务院令第514号)")
    citation = law.cite("第三条")
    assert citation.document == "" and citation.shown("zh") == "《职工带薪年休假条例(国务院令第514号)》第三条"
    assert problem(citation, listed[ROOT_KEY]) is None
    assert problem(citation, listed["shenyang"]) is None  # a local chain ends in the national root
    assert problem(law.cite("第十一条"), listed["shenyang"]) is not None
    # The 1980 notice numbers its provisions 一、二、三: "第一条" is not one of them.
    notice = "国家劳动总局、财政部关于国营企业职工请婚丧假和路程假问题的通知((80)劳总薪字29号)"
    assert problem(SourceDocument("", notice).cite("一"), listed["wenzhou"]) is None
    assert problem(SourceDocument("", notice).cite("第一条"), listed["wenzhou"]) is not None
    # A title no list holds and core does not cite is refused, not passed on its title.
    assert problem(SourceDocument("", "某某条例").cite("第一条"), listed["shenyang"]) is not None


def test_every_national_text_the_root_declares_is_listed(
    jurisdictions: Jurisdictions, listed: dict[str, dict[tuple[str, str], Listed]]
) -> None:
    """The national root's documents all have an article list under their exact title, and the
    conformance kit lets any jurisdiction cite them (`NATIONAL_DOCUMENTS`)."""
    declared = jurisdictions.info(ROOT_KEY).documents
    assert len(declared) >= 7 and all(not d.file for d in declared)
    assert {d.zh for d in declared} <= {title for file, title in listed[ROOT_KEY] if not file}
    assert {d.zh for d in declared} <= NATIONAL_DOCUMENTS


def test_parameter_citations_are_true(
    jurisdictions: Jurisdictions, listed: dict[str, dict[tuple[str, str], Listed]]
) -> None:
    """Every dated value a plugin ships cites an article its document has, under its title."""
    found: dict[str, set[Citation]] = {}
    for key in jurisdictions.keys:
        for spec in jurisdictions.params(key):
            for value in spec.values:
                if value.citation is not None and spec.jurisdiction == key:
                    found.setdefault(key, set()).add(value.citation)
    assert sum(len(v) for v in found.values()) > 50
    _check(found, listed)


def test_case_citations_are_true(
    jurisdictions: Jurisdictions, listed: dict[str, dict[tuple[str, str], Listed]]
) -> None:
    """Every citation in the result of every rule case a plugin ships is true to its document."""
    folders = [Path(p) for k in jurisdictions.keys if (p := jurisdictions.info(k).cases_dir) is not None]
    found: dict[str, set[Citation]] = {}
    for path in case_files(sorted(set(folders))):
        for case in load_cases(path):
            try:
                result = compute_case(case, jurisdictions)
            except ShegongError:
                continue
            found.setdefault(case.jurisdiction, set()).update(citations(result))
    assert {"beijing", "beijing.haidian", "shenyang", "wenzhou", "ningguo", "jiulongpo"} <= set(found)
    _check(found, listed)


def test_demo_registry_citations_are_true(
    tmp_path: Path, listed: dict[str, dict[tuple[str, str], Listed]]
) -> None:
    """Every citation the rules give over the demo registry (pay, grades and what follows from
    them, quotas, pools, retirement, leave, staffing, findings) is true to its document."""
    js = Jurisdictions()
    js.load_entry_points()
    written, _ = demo_parameters(js)
    params = tmp_path / "params.toml"
    write_params(params, written)
    js.load_override_file(params)
    registry = MemoryRegistry(user="test")
    build_demo(registry, workers=80, today=TODAY, jurisdictions=js)
    rules = Rules(registry, js, today=TODAY)
    found: dict[str, set[Citation]] = {}
    by_community: dict[str, list[Any]] = {}
    for w in registry.workers():
        by_community.setdefault(w.community_id, []).append(w)

    def collect(key: str, call: Any, *args: Any) -> None:
        with contextlib.suppress(ShegongError):  # a rule refused (a parameter unset): nothing cited
            found.setdefault(key, set()).update(citations(call(*args)))

    for c in registry.communities():
        workers = by_community.get(c.id, [])
        key = c.jurisdiction
        info = js.info(key)
        collect(key, rules.staffing, c, workers)
        collect(key, rules.community_findings, c, workers, TODAY)
        unit = f"community:{c.id}" if info.quota_unit == "community" else f"street:{c.district}/{c.street}"
        collect(key, rules.grade_quotas, unit, workers, 2026, c)
        collect(key, rules.pool_shares, workers, 2026, c)
        for w in workers:
            collect(key, rules.pay_lines, w, Month(2026, 11))
            collect(key, rules.retirement, w)
            collect(key, rules.annual_leave, w, 2026)
            collect(key, rules.worker_findings, w, TODAY)
            collect(key, rules.propose_grade, w, 2026)
            for grade in info.grades:
                collect(key, rules.grade_consequences, w, 2026, grade.code)
    assert {"beijing", "shenyang", "wenzhou", "ningguo", "jiulongpo"} <= {k for k, v in found.items() if v}
    _check(found, listed)


def test_a_national_parameter_is_shown_by_its_title_in_either_language(jurisdictions: Jurisdictions) -> None:
    """A national parameter names its law by the Chinese title alone (`document = ""`); the English
    title comes from the root's declared document, so an English reader never sees a bare file."""
    english = {d.zh: d.en for d in jurisdictions.info(ROOT_KEY).documents}
    cited = [
        v.citation
        for spec in jurisdictions.params(ROOT_KEY)
        if spec.jurisdiction == ROOT_KEY
        for v in spec.values
        if v.citation is not None
    ]
    assert len(cited) >= 15
    for c in cited:
        assert c.document == "" and c.title in english and c.title_en == english[c.title], c
    leave = next(c for c in cited if c.article == "第三条")
    assert (
        leave.shown("en") == "Regulation on Paid Annual Leave of Employees (State Council Decree 514), 第三条"
    )
