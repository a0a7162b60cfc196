"""Recruitment conditions for 服务站 staff (第四篇 第四条(二), 第六条(六); Haidian 第一篇 第四条(二)).

"招录对象应当具备如下基本条件：……(3)品行端正，身体健康，年龄一般在40岁以下。(4)具有大专以上(应届
毕业生大学本科以上)学历。(5)具有本市城镇户口。" and "新招录的社区服务站工作人员，一般要持有国家社会
工作者(社会工作师、助理社会工作师)职业水平证书或北京市社区专职工作者执业资格证书" (Haidian: the
national certificate only).

- Age: 40 or under on the day (以下 includes 40), completed years. "一般" makes it a usual limit,
  not a bar: an older applicant stays eligible, with a reason asking the panel to review the age
  (the one reading of "一般" in every jurisdiction: a warning to review, never a refusal).
- Education: 大专 or above; a fresh graduate (应届毕业生) needs 本科. The registry does not record
  whether an applicant is a fresh graduate, so an applicant with 大专 passes with a reason saying so.
- Hukou: a Beijing (`recruitment.hukou_city`) urban hukou; no hukou on file fails, named.
- Certificate: "一般要持有" — shown as a reason; a bar only if `recruitment.certificate_required`.
- Conduct and health are for the recruiting panel: said, not judged.

Only 服务站 posts are recruited (第四条(二)); 两委 members are elected (第四条(一)), so asking for
the recruitment conditions of a 两委 post is refused with that reason. The texts set no conditions
for promotion: that purpose gets no answer from Beijing.
"""

from __future__ import annotations

import datetime as dt

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Education, Worker, age_on
from core.results import Eligibility, Reason
from plugins.beijing.common import city, text_list, text_param, yes_no
from plugins.beijing.posts import LIANGWEI_POSTS, STATION_POSTS, check_posts

EDUCATIONS = tuple(e.value for e in Education)


def eligibility(
    worker: Worker, purpose: str, target: str, on: dt.date, ctx: RuleContext
) -> Eligibility | None:
    if purpose == "promotion":
        return None  # no promotion conditions in the Beijing texts: core answers NoAnswer
    if purpose != "recruitment":
        raise ValidationError("purpose", msg("beijing.error.purpose", purpose=purpose))
    check_posts([target])
    if target in LIANGWEI_POSTS:
        raise ValidationError("target", msg("beijing.error.elected_post", post=msg(f"post.{target}")))
    assert target in STATION_POSTS
    cite = city("第四条(二)")
    max_age = ctx.params.integer("recruitment.max_age", on)
    minimum = Education(text_param(ctx, "recruitment.min_education", on, EDUCATIONS))
    graduate = Education(text_param(ctx, "recruitment.fresh_graduate_min_education", on, EDUCATIONS))
    hukou_city = str(ctx.params.value("recruitment.hukou_city", on))
    required = bool(ctx.params.value("recruitment.certificate_required", on))
    accepted = text_list(ctx, "certificates.accepted", on)

    age = age_on(worker.birth_date, on)
    age_ok = age <= max_age
    edu_ok = worker.education.at_least(minimum)
    hukou = worker.hukou
    hukou_ok = hukou is not None and hukou.urban and _same_city(hukou.city, hukou_city)
    certificates = sorted(c.kind for c in worker.certificates if c.kind in accepted and c.registered <= on)
    cert_ok = bool(certificates) or not required

    reasons = [
        Reason(
            msg("beijing.entry.age", age=age, max_age=max_age, ok=yes_no(age_ok)),
            cite,
            {"birth_date": worker.birth_date, "age": age, "max_age": max_age},
        ),
        *(
            []
            if age_ok
            else [Reason(msg("beijing.entry.age_review", age=age, max_age=max_age), cite, {"soft": True})]
        ),
        Reason(
            msg(
                "beijing.entry.education",
                education=msg(f"beijing.education.{worker.education}"),
                minimum=msg(f"beijing.education.{minimum}"),
                ok=yes_no(edu_ok),
            ),
            cite,
            {"education": str(worker.education), "minimum": str(minimum)},
        ),
    ]
    if edu_ok and not worker.education.at_least(graduate):
        reasons.append(
            Reason(
                msg("beijing.entry.fresh_graduate", minimum=msg(f"beijing.education.{graduate}")),
                cite,
                {"fresh_graduate_minimum": str(graduate)},
            )
        )
    if hukou is None:
        hukou_text = msg("beijing.entry.no_hukou", city=hukou_city)
    else:
        hukou_text = msg(
            "beijing.entry.hukou",
            city=hukou.city,
            kind=msg("beijing.hukou.urban" if hukou.urban else "beijing.hukou.rural"),
            wanted=hukou_city,
            ok=yes_no(hukou_ok),
        )
    reasons.append(
        Reason(
            hukou_text,
            cite,
            {"hukou_city": hukou.city if hukou else None, "urban": hukou.urban if hukou else None},
        )
    )
    cert_cite = city("第六条(六)")
    if certificates:
        cert_text = msg("beijing.entry.certificate_held")
    elif required:
        cert_text = msg("beijing.entry.certificate_missing_required")
    else:
        cert_text = msg("beijing.entry.certificate_missing")
    reasons.append(Reason(cert_text, cert_cite, {"certificates": certificates, "required": required}))
    reasons.append(Reason(msg("beijing.entry.panel"), cite))
    # "年龄一般在40岁以下": the age is a reason to review, never a refusal (see the module docstring).
    return Eligibility(purpose, target, edu_ok and hukou_ok and cert_ok, tuple(reasons))


def _same_city(recorded: str, wanted: str) -> bool:
    return recorded.strip().removesuffix("市") == wanted.strip().removesuffix("市")
