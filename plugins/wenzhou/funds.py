"""A community's yearly operating funds (第二十二条), shown to the operator as an info finding.

Urban (市区) communities: a base of 100,000 a year plus 60 per household, households counted as
常住户数 × 70% + 户籍户数 × 30% (the text says this weighting is only for these funds). County
towns and other towns "有条件的…参照执行": they follow the urban formula by default
(`funds.county_town.follows_urban`). Rural new communities get 5–10 per household a year under
another document (温委办发〔2011〕103号): the county's own figure is `funds.rural.per_household`,
unset by default, and until it is set the finding gives the range the text allows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.errors import ValidationError
from core.hookspecs import RuleContext
from core.i18n import msg
from core.model import Community, CommunityKind
from core.results import Finding, Severity, round_money
from plugins.wenzhou.common import cite, households, weighted_households

RURAL_BASES = ("resident", "registered", "weighted")


def _rural_households(community: Community, on: dt.date, ctx: RuleContext) -> Decimal:
    basis = str(ctx.params.value("funds.rural.households_basis", on))
    if basis == "weighted":
        return weighted_households(community, ctx.params, on)
    if basis not in RURAL_BASES:
        raise ValidationError(
            "funds.rural.households_basis",
            msg("wenzhou.error.basis", value=basis, allowed=", ".join(RURAL_BASES)),
        )
    return Decimal(households(community, basis, "funds.rural.households_basis"))


def urban_funds(community: Community, on: dt.date, ctx: RuleContext, *, county_town: bool) -> Finding:
    p = ctx.params
    base = p.decimal("funds.urban.base", on)
    per = p.decimal("funds.urban.per_household", on)
    counted = weighted_households(community, p, on)
    total = round_money(base + per * counted)
    key = "wenzhou.finding.funds_county_town" if county_town else "wenzhou.finding.funds_urban"
    return Finding(
        code="operating_funds",
        severity=Severity.INFO,
        message=msg(
            key,
            amount=total,
            base=base,
            per=per,
            households=counted,
            resident=community.households_resident,
            registered=community.households_registered,
        ),
        citation=cite("第二十二条"),
        subject=f"community:{community.id}",
        inputs={
            "amount": total,
            "base": base,
            "per_household": per,
            "households_weighted": counted,
            "households_resident": community.households_resident,
            "households_registered": community.households_registered,
        },
    )


def rural_funds(community: Community, on: dt.date, ctx: RuleContext) -> list[Finding]:
    p = ctx.params
    counted = _rural_households(community, on, ctx)
    low, high = p.decimal("funds.rural.per_household_min", on), p.decimal("funds.rural.per_household_max", on)
    subject = f"community:{community.id}"
    if not p.is_set("funds.rural.per_household", on):
        return [
            Finding(
                code="operating_funds",
                severity=Severity.INFO,
                message=msg(
                    "wenzhou.finding.funds_rural_range",
                    households=counted,
                    low=low,
                    high=high,
                    amount_low=round_money(low * counted),
                    amount_high=round_money(high * counted),
                    name="funds.rural.per_household",
                ),
                citation=cite("第二十二条"),
                subject=subject,
                inputs={"households": counted, "per_household_min": low, "per_household_max": high},
            )
        ]
    rate = p.decimal("funds.rural.per_household", on)
    total = round_money(rate * counted)
    findings = [
        Finding(
            code="operating_funds",
            severity=Severity.INFO,
            message=msg("wenzhou.finding.funds_rural", amount=total, per=rate, households=counted),
            citation=cite("第二十二条"),
            subject=subject,
            inputs={"amount": total, "per_household": rate, "households": counted},
        )
    ]
    if not low <= rate <= high:  # "每年每户5-10元": both ends allowed
        findings.append(
            Finding(
                code="operating_funds_rate_out_of_range",
                severity=Severity.WARNING,
                message=msg("wenzhou.finding.funds_rate_out_of_range", per=rate, low=low, high=high),
                citation=cite("第二十二条"),
                subject=subject,
                inputs={"per_household": rate, "per_household_min": low, "per_household_max": high},
            )
        )
    return findings


def funds_findings(community: Community, on: dt.date, ctx: RuleContext) -> list[Finding]:
    if community.kind == CommunityKind.URBAN:
        return [urban_funds(community, on, ctx, county_town=False)]
    if community.kind == CommunityKind.COUNTY_TOWN:
        if ctx.params.value("funds.county_town.follows_urban", on):
            return [urban_funds(community, on, ctx, county_town=True)]
        return [
            Finding(
                code="operating_funds_not_computed",
                severity=Severity.INFO,
                message=msg("wenzhou.finding.funds_county_town_own", name="funds.county_town.follows_urban"),
                citation=cite("第二十二条"),
                subject=f"community:{community.id}",
            )
        ]
    return rural_funds(community, on, ctx)
