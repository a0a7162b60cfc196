"""shegong's core: the community-worker model, the shared registry, and every jurisdiction's rules.

This is the public API testers script against; everything here is typed and documented, and
nothing here imports the terminal UI.

    import datetime as dt
    import core

    registry = core.open_registry("/tmp/demo", create=True)
    scoped = core.open_scoped("/tmp/demo", login="zhangwei")  # as that operator sees it (below)
    rules = core.rules_for(registry)                      # the registry's params.toml applied
    worker = registry.workers(core.WorkerQuery(status=core.Status.ACTIVE))[0]
    for line in rules.pay_lines(worker, core.Month(2026, 11)):
        print(line.label, line.amount, line.citation)     # citation: source file + article
    print(rules.retirement(worker).date)

Access: `open_registry` trusts its caller with everything. `open_scoped(path, login=...)` (or
`scoped(registry, login)` over any registry, e.g. a `MemoryRegistry`) applies the registry's
`operators.toml` (see `core.access`): only records in the login's scope are listed; reading one
outside it, or a change outside it or by a viewer, raises `AccessDenied` and is audited.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from core import assessment, payroll, review
from core.access import Grant, Role
from core.errors import (
    AccessDenied,
    DuplicateRecord,
    MissingParameter,
    NoAnswer,
    NotFound,
    PluginError,
    RegistryBusy,
    RegistryCorrupt,
    RegistryMissing,
    RegistryWriteFailed,
    ShegongError,
    StaleRevision,
    UnknownJurisdiction,
    ValidationError,
    ValidationErrors,
)
from core.explain import Trace, explain
from core.i18n import current_language, set_language, translate
from core.jurisdictions import Jurisdictions
from core.memory import MemoryRegistry
from core.model import (
    Absence,
    AbsenceKind,
    Assessment,
    Award,
    Certificate,
    CertificateKind,
    Community,
    CommunityKind,
    Contract,
    ContractKind,
    Decision,
    Education,
    Entry,
    FlexibleRetirement,
    Grade,
    Hukou,
    PartyStatus,
    Period,
    Post,
    PostTerm,
    RetirementTrack,
    Secondment,
    Sex,
    Status,
    StatusChange,
    Training,
    TrainingKind,
    TrainingLevel,
    Worker,
)
from core.registry import Registry, init_registry, open_registry
from core.registry_config import config_of
from core.report import to_data
from core.repository import Change, Repository, WorkerQuery
from core.results import (
    Citation,
    Consequence,
    Eligibility,
    Finding,
    GradeProposal,
    LeaveEntitlement,
    Month,
    PayLine,
    PoolShare,
    Quota,
    Reason,
    RetirementDate,
    Severity,
    StaffingRequirement,
)
from core.rules import Rules
from core.scope import Scope
from core.scoped import ScopedRepository, open_scoped, scoped


def load_jurisdictions(params_file: Path | None = None) -> Jurisdictions:
    """Every installed jurisdiction plugin, with an operators' parameter file applied if given.

    Plugins that fail to load are listed in `.broken` with their error; the others work.
    """
    js = Jurisdictions()
    js.load_entry_points()
    if params_file is not None:
        js.load_override_file(params_file)
    return js


def rules_for(
    registry: Repository, *, jurisdictions: Jurisdictions | None = None, today: dt.date | None = None
) -> Rules:
    """The rules for `registry`'s communities, with the registry's own `params.toml` applied."""
    if jurisdictions is None:
        jurisdictions = load_jurisdictions(config_of(registry).params_file())
    return Rules(registry, jurisdictions, today=today)


__all__ = [
    "Absence",
    "AbsenceKind",
    "AccessDenied",
    "Assessment",
    "Award",
    "Certificate",
    "CertificateKind",
    "Change",
    "Citation",
    "Community",
    "CommunityKind",
    "Consequence",
    "Contract",
    "ContractKind",
    "Decision",
    "DuplicateRecord",
    "Education",
    "Eligibility",
    "Entry",
    "Finding",
    "FlexibleRetirement",
    "Grade",
    "GradeProposal",
    "Grant",
    "Hukou",
    "Jurisdictions",
    "LeaveEntitlement",
    "MemoryRegistry",
    "MissingParameter",
    "Month",
    "NoAnswer",
    "NotFound",
    "PartyStatus",
    "PayLine",
    "Period",
    "PluginError",
    "PoolShare",
    "Post",
    "PostTerm",
    "Quota",
    "Reason",
    "Registry",
    "RegistryBusy",
    "RegistryCorrupt",
    "RegistryMissing",
    "RegistryWriteFailed",
    "Repository",
    "RetirementDate",
    "RetirementTrack",
    "Role",
    "Rules",
    "Scope",
    "ScopedRepository",
    "Secondment",
    "Severity",
    "Sex",
    "ShegongError",
    "StaffingRequirement",
    "StaleRevision",
    "Status",
    "StatusChange",
    "Trace",
    "Training",
    "TrainingKind",
    "TrainingLevel",
    "UnknownJurisdiction",
    "ValidationError",
    "ValidationErrors",
    "Worker",
    "WorkerQuery",
    "assessment",
    "current_language",
    "explain",
    "init_registry",
    "load_jurisdictions",
    "open_registry",
    "open_scoped",
    "payroll",
    "review",
    "rules_for",
    "scoped",
    "set_language",
    "to_data",
    "translate",
]
