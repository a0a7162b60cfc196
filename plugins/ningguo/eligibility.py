"""Entry conditions (第3条): who may become a new 两委 member or be hired as a reserve cadre.

"新任的社区两委成员一般应具有3年及以上社区或村工作经验" — 3 completed years of community service or
more (及以上 includes 3). "新招录的社区后备干部年龄一般要在35周岁以下，具有大专以上学历，同等条件下，
对持有国家社会工作者证书的优先录用" — age 35 or under, 大专 or above; a social-work certificate is a
preference among equals, shown as a reason and never a condition. Community service is counted
from `service_start`, which should be the first day of community or village work.

"一般" makes the experience and the age usual conditions, not bars: a candidate short of them stays
eligible, with a reason asking for a review (the one reading of "一般" in every jurisdiction: a
warning to review, never a refusal). The education (具有大专以上学历) carries no "一般" and bars.
"""

from __future__ import annotations

import datetime as dt

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Education, Worker, age_on
from core.results import Eligibility, Reason
from core.rulekit import service_years
from plugins.ningguo.common import cite
from plugins.ningguo.posts import CERTIFICATE_CODES, LIANGWEI, RESERVE, post_type

PURPOSES = ("recruitment", "promotion")


def eligibility(worker: Worker, purpose: str, target: str, on: dt.date, ctx: RuleContext) -> Eligibility:
    if purpose not in PURPOSES:
        raise ValidationError(
            "purpose", msg("ningguo.error.purpose", purpose=purpose, allowed=" / ".join(PURPOSES))
        )
    kind = post_type(target)
    if kind is None:
        raise ValidationError("target", msg("ningguo.error.unknown_post", post=target))
    if kind == LIANGWEI:
        return _liangwei(worker, purpose, target, on, ctx)
    assert kind == RESERVE
    return _reserve(worker, purpose, target, on, ctx)


def _liangwei(worker: Worker, purpose: str, target: str, on: dt.date, ctx: RuleContext) -> Eligibility:
    needed = ctx.params.integer("entry.liangwei.min_experience_years", on)
    years = service_years(worker, on)
    ok = years >= needed
    reason = Reason(
        msg("ningguo.entry.experience", years=years, needed=needed, since=worker.service_start, ok=_yes(ok)),
        cite(3),
        {"service_start": worker.service_start, "years": years, "needed": needed},
    )
    review = (
        () if ok else (Reason(msg("ningguo.entry.experience_review", years=years, needed=needed), cite(3)),)
    )
    return Eligibility(purpose, target, True, (reason, *review))


def _reserve(worker: Worker, purpose: str, target: str, on: dt.date, ctx: RuleContext) -> Eligibility:
    max_age = ctx.params.integer("entry.reserve.max_age", on)
    raw = str(ctx.params.value("entry.reserve.min_education", on))
    try:
        minimum = Education(raw)
    except ValueError:
        raise ValidationError(
            "entry.reserve.min_education",
            msg("ningguo.error.choice", value=raw, allowed=" / ".join(e.value for e in Education)),
        ) from None
    age = age_on(worker.birth_date, on)
    age_ok = age <= max_age
    edu_ok = worker.education.at_least(minimum)
    certificates = sorted(
        c.kind for c in worker.certificates if c.kind in CERTIFICATE_CODES and c.registered <= on
    )
    reasons: tuple[Reason, ...] = (
        Reason(
            msg("ningguo.entry.age", age=age, max_age=max_age, ok=_yes(age_ok)),
            cite(3),
            {"birth_date": worker.birth_date, "age": age, "max_age": max_age},
        ),
        Reason(
            msg(
                "ningguo.entry.education",
                education=msg(f"ningguo.education.{worker.education}"),
                minimum=msg(f"ningguo.education.{minimum}"),
                ok=_yes(edu_ok),
            ),
            cite(3),
            {"education": str(worker.education), "minimum": str(minimum)},
        ),
        Reason(
            msg("ningguo.entry.certificate_preferred" if certificates else "ningguo.entry.no_certificate"),
            cite(3),
            {"certificates": certificates},
        ),
    )
    if not age_ok:
        reasons += (Reason(msg("ningguo.entry.age_review", age=age, max_age=max_age), cite(3)),)
    return Eligibility(purpose, target, edu_ok, reasons)


def _yes(flag: bool) -> object:
    return msg("ningguo.yes" if flag else "ningguo.no")
