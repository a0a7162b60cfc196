"""Conditions for taking a post (第十条, with 第四条 and 第三十五条).

第十条 applies to every community worker: 大专 or above, the certificate, urban hukou of the city;
the age limit of 40 binds only a newly hired 专职干事 (续聘人员可不受此年龄限制). A renewal is
asked for with purpose "renewal", or recognised when the worker already held the post.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import CertificateKind, Education, Post, Worker, age_on
from core.results import Eligibility, Reason
from plugins.shenyang.common import cite
from plugins.shenyang.posts import NATIONAL_TITLES, check_post, ever_held

RECRUITMENT = "recruitment"
RENEWAL = "renewal"
PROMOTION = "promotion"


def _city(name: str) -> str:
    return name.strip().removesuffix("市")


def hukou_ok(worker: Worker, ctx: RuleContext, on: dt.date) -> tuple[bool, Reason]:
    """第十条4: 具备本市城镇居民户口."""
    cities = ctx.params.value("eligibility.hukou_cities", on)
    if not isinstance(cities, Sequence) or isinstance(cities, str):
        raise ValidationError(
            "eligibility.hukou_cities", msg("shenyang.invalid.hukou_cities", value=repr(cities))
        )
    accepted = {_city(str(c)) for c in cities}
    h = worker.hukou
    if h is None:
        return False, Reason(msg("shenyang.elig.hukou_unrecorded"), cite("第十条4"))
    ok = h.urban and _city(h.city) in accepted
    key = "shenyang.elig.hukou_ok" if ok else "shenyang.elig.hukou_not_ok"
    kind = msg("shenyang.hukou.urban" if h.urban else "shenyang.hukou.rural")
    return ok, Reason(msg(key, city=h.city, kind=kind), cite("第十条4"), {"city": h.city, "urban": h.urban})


def education_ok(worker: Worker, ctx: RuleContext, on: dt.date) -> tuple[bool, Reason]:
    """第十条2: 具备大专以上学历 (大专 itself qualifies)."""
    raw = str(ctx.params.value("eligibility.min_education", on))
    try:
        minimum = Education(raw)
    except ValueError:
        raise ValidationError(
            "eligibility.min_education",
            msg("shenyang.invalid.choice", value=raw, allowed=" / ".join(Education)),
        ) from None
    ok = worker.education.at_least(minimum)
    key = "shenyang.elig.education_ok" if ok else "shenyang.elig.education_not_ok"
    return ok, Reason(
        msg(
            key,
            education=msg(f"shenyang.education.{worker.education}"),
            minimum=msg(f"shenyang.education.{minimum}"),
        ),
        cite("第十条2"),
        {"education": str(worker.education), "minimum": str(minimum)},
    )


def has_certificate(worker: Worker, on: dt.date, *, national_counts: bool) -> str | None:
    """The certificate that satisfies 第十条3 on `on`, if any (registered on or before it)."""
    if worker.certificate_on(CertificateKind.LOCAL, on) is not None:
        return str(CertificateKind.LOCAL)
    if national_counts:
        for kind in sorted(NATIONAL_TITLES):
            if worker.certificate_on(kind, on) is not None:
                return kind
    return None


def eligibility(
    worker: Worker, purpose: str, target: str, on: dt.date, ctx: RuleContext
) -> Eligibility | None:
    if purpose == PROMOTION:
        return None  # 第五篇 sets no promotion rule: core reports NoAnswer.
    if purpose not in (RECRUITMENT, RENEWAL):
        raise ValidationError(
            "purpose", msg("shenyang.invalid.choice", value=purpose, allowed=f"{RECRUITMENT} / {RENEWAL}")
        )
    check_post(target, "target")
    reasons: list[Reason] = []
    results: list[bool] = []

    ok, why = education_ok(worker, ctx, on)
    results.append(ok)
    reasons.append(why)

    renewal = purpose == RENEWAL or ever_held(worker, target, on)
    new_staff = target == Post.STAFF and not renewal
    if new_staff:
        limit = ctx.params.integer("eligibility.max_age_new_staff", on)
        age = age_on(worker.birth_date, on)
        ok = age <= limit  # 四十岁以下: 40 itself qualifies
        results.append(ok)
        reasons.append(
            Reason(
                msg("shenyang.elig.age_ok" if ok else "shenyang.elig.age_not_ok", age=age, limit=limit),
                cite("第十条3"),
                {"age": age, "limit": limit},
            )
        )
    elif target == Post.STAFF:
        reasons.append(Reason(msg("shenyang.elig.age_renewal"), cite("第十条3")))

    # 第十条3: a new 专职干事 must hold the Shenyang certificate; from 2014 every worker needs it or
    # a social-work title. At recruitment a title stands in (Reading, `eligibility.national_title_counts`).
    from_year = ctx.params.integer("certificate.required_from_year", on)
    needed = new_staff or on.year >= from_year
    if needed:
        national = bool(ctx.params.value("eligibility.national_title_counts", on))
        if not new_staff:
            national = True  # 2014起: 社区工作者职业资格或社会工作职称证书 either suffices
        held = has_certificate(worker, on, national_counts=national)
        ok = held is not None
        results.append(ok)
        if ok:
            reasons.append(
                Reason(
                    msg("shenyang.elig.certificate_ok", kind=msg(f"shenyang.certificate.{held}")),
                    cite("第十条3"),
                )
            )
        else:
            key = (
                "shenyang.elig.certificate_missing_any"
                if national
                else "shenyang.elig.certificate_missing_local"
            )
            reasons.append(Reason(msg(key), cite("第十条3")))

    ok, why = hukou_ok(worker, ctx, on)
    results.append(ok)
    reasons.append(why)

    eligible = all(results)
    reasons.append(Reason(msg("shenyang.elig.summary_ok" if eligible else "shenyang.elig.summary_not_ok")))
    return Eligibility(purpose=purpose, target=target, eligible=eligible, reasons=tuple(reasons))
