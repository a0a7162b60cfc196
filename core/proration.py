"""One proration rule for a month served in part, used by every jurisdiction's pay.

RULES.md ("Part months"): monthly pay ÷ 21.75 × paid days — the working days and statutory
holidays in service — per 劳社部发〔2008〕3号《关于职工全年月平均工作时间和工资折算问题的通知》
(月计薪天数 = (365 − 104) ÷ 12 = 21.75), unless a local text says otherwise. The reading is each
jurisdiction's parameter `pay.proration`: `pay_days` (the notice, default) or `calendar_days`
(days in service ÷ the month's days).

- A month served whole is paid whole, whatever its number of paid days (the 21.75 is an average
  over the year; it does not make a long month pay more or a short one less).
- A part month never pays more than the whole month: a share above 1 (23 paid days served in a
  month of 23) is capped at 1.
- When the month is paid at several rates (a change of post), each rate is paid on its share of
  the counted days: rate × share × its counted days ÷ all counted days served.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from core.errors import ValidationError
from core.i18n import msg
from core.results import Citation, Month, PayLine, Reason, round_money
from core.workdays import WorkCalendar

if TYPE_CHECKING:
    from core.hookspecs import RuleContext

PARAMETER = "pay.proration"
PAY_DAYS = "pay_days"
CALENDAR_DAYS = "calendar_days"
BASES = (PAY_DAYS, CALENDAR_DAYS)
MONTHLY_PAY_DAYS = Decimal("21.75")
NOTICE = Citation(
    "",
    "二",
    "关于职工全年月平均工作时间和工资折算问题的通知(劳社部发〔2008〕3号)",
    "Notice on the average monthly working time and pay conversion of employees (MOLSS 2008 No. 3)",
)


@attrs.frozen
class MonthShare:
    """How much of a month's pay a worker's days in service earn."""

    basis: str
    served: frozenset[dt.date]  # the days in service this month
    counted: int  # of them, those that count: paid days (pay_days) or all (calendar_days)
    divisor: Decimal  # 21.75, or the month's days
    whole: bool  # served the whole month
    share: Decimal  # of the monthly amount, 0..1
    calendar: WorkCalendar = attrs.field(eq=False, repr=False)

    def _counts(self, days: Iterable[dt.date]) -> int:
        if self.basis == CALENDAR_DAYS:
            return sum(1 for _ in days)
        return sum(1 for d in days if self.calendar.is_paid_day(d))

    def _whole_month(self) -> int:
        """The counted days of a month served whole: every day of it is served, so the calendar's
        cached count for the span stands for a count day by day (asked once per pay line)."""
        if self.basis == CALENDAR_DAYS:
            return len(self.served)
        return self.calendar.paid_days_between(min(self.served), max(self.served))

    def part(self, days: Iterable[dt.date]) -> Decimal:
        """The share of the month earned on `days`, some of the days served (a stretch at one rate).

        Each stretch takes the month's share in proportion to its counted days among all those
        served, so the stretches of a whole month add up to the whole month."""
        wanted = self.served.intersection(days)
        if wanted == self.served:
            return self.share
        total = self.counted if not self.whole else self._whole_month()
        if total == 0:
            return Decimal(0)
        return self.share * self._counts(wanted) / total

    def reasons(self) -> tuple[Reason, ...]:
        """Why a part month is paid what it is; nothing for a whole month."""
        if self.whole:
            return ()
        share = self.share.quantize(Decimal("0.0001"))
        facts = {"basis": self.basis, "days": self.counted, "divisor": self.divisor, "share": share}
        if self.basis == CALENDAR_DAYS:
            text = msg("proration.reason.calendar_days", days=self.counted, of=self.divisor, share=share)
            return (Reason(text, None, facts),)
        out = [Reason(msg("proration.reason.pay_days", days=self.counted, share=share), NOTICE, facts)]
        if self.counted > MONTHLY_PAY_DAYS:
            out.append(Reason(msg("proration.reason.capped"), NOTICE))
        return tuple(out)


def check_basis(basis: str, where: str = PARAMETER) -> str:
    if basis not in BASES:
        raise ValidationError(where, msg("proration.invalid.basis", value=basis, allowed=" / ".join(BASES)))
    return basis


def month_share(month: Month, served: Sequence[dt.date], basis: str, calendar: WorkCalendar) -> MonthShare:
    """The share of `month` earned by the days in `served`, under `basis`."""
    check_basis(basis)
    days = frozenset(d for d in served if month.first_day <= d <= month.last_day)
    month_days = month.last_day.day
    whole = len(days) == month_days
    if basis == CALENDAR_DAYS:
        share = Decimal(len(days)) / Decimal(month_days)
        return MonthShare(basis, days, len(days), Decimal(month_days), whole, share, calendar)
    if whole:
        # Paid whole: the calendar is asked only to split a month between two rates, so a year
        # it does not know yet stops only the months that need it.
        return MonthShare(basis, days, len(days), MONTHLY_PAY_DAYS, True, Decimal(1), calendar)
    counted = sum(1 for d in days if calendar.is_paid_day(d))
    share = min(Decimal(1), Decimal(counted) / MONTHLY_PAY_DAYS)
    return MonthShare(basis, days, counted, MONTHLY_PAY_DAYS, False, share, calendar)


def share_for(ctx: RuleContext, month: Month, served: Sequence[dt.date]) -> MonthShare:
    """The month's share under the jurisdiction's `pay.proration` reading and the registry's calendar."""
    basis = str(ctx.params.value(PARAMETER, month.last_day))
    return month_share(month, served, basis, ctx.params.calendar)


def prorate(line: PayLine, share: MonthShare) -> PayLine:
    """A monthly line paid on the month's share: the whole month unchanged, a part month cut."""
    if share.whole:
        return line
    return attrs.evolve(
        line,
        amount=round_money(line.amount * share.share),
        inputs={**line.inputs, "monthly": line.amount, "proration": share.basis, "share": share.share},
        reasons=(*line.reasons, *share.reasons()),
    )
