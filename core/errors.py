"""Domain errors: each carries a translatable message that says what is wrong and where.

The CLI maps `ShegongError` to exit code 1 and prints `str(error)`; the TUI shows the same text.
"""

from __future__ import annotations

from typing import Any

from core.i18n import Message, msg


class ShegongError(Exception):
    """Base of every error a user can cause or fix; never a programming error."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.key)
        self.message = message

    def __str__(self) -> str:
        return self.message.render()

    def render(self, lang: str | None = None) -> str:
        return self.message.render(lang)


class ValidationError(ShegongError):
    """A value does not fit its field; `field` is a path such as `posts[1].start`."""

    def __init__(self, field: str, problem: Message, *, where: str = "") -> None:
        self.field = field
        self.problem = problem
        self.where = where
        super().__init__(msg("error.validation", field=field, problem=problem, where=where))


class ValidationErrors(ShegongError):
    """Several fields are wrong at once; each error is kept so a form can mark every field."""

    def __init__(self, errors: list[ValidationError]) -> None:
        self.errors = errors
        lines = [msg("error.validation_line", field=e.field, problem=e.problem) for e in errors]
        super().__init__(msg("error.validation_many", count=len(errors), details=lines))


class NotFound(ShegongError):
    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(msg("error.not_found", kind=msg(f"kind.{kind}"), key=key))


class DuplicateRecord(ShegongError):
    def __init__(self, kind: str, field: str, value: object, existing: object) -> None:
        self.kind, self.field, self.value, self.existing = kind, field, value, existing
        if isinstance(value, str):  # a personal number is masked in messages, which end up in logs
            from core.privacy import mask_field

            value = mask_field(field, value)
        super().__init__(
            msg(
                "error.duplicate",
                kind=msg(f"kind.{kind}"),
                field=field,
                value=value,
                existing=existing,
            )
        )


class StaleRevision(ShegongError):
    """Someone saved the record after this operator loaded it; their copy is kept, not lost."""

    def __init__(
        self,
        kind: str,
        key: object,
        *,
        changed_by: str,
        changed_at: str,
        theirs: Any,
        yours: Any,
        kept_at: str,
    ) -> None:
        self.kind, self.key = kind, key
        self.changed_by, self.changed_at = changed_by, changed_at
        self.theirs, self.yours, self.kept_at = theirs, yours, kept_at
        super().__init__(
            msg(
                "error.stale",
                kind=msg(f"kind.{kind}"),
                key=key,
                who=changed_by,
                when=changed_at,
                kept=kept_at,
            )
        )


class RegistryCorrupt(ShegongError):
    def __init__(self, path: str, reason: str, backup: str | None) -> None:
        self.path, self.reason, self.backup = path, reason, backup
        if backup:
            super().__init__(msg("error.corrupt", path=path, reason=reason, backup=backup))
        else:
            super().__init__(msg("error.corrupt_no_backup", path=path, reason=reason))


class RegistryBusy(ShegongError):
    def __init__(self, path: str, seconds: float) -> None:
        self.path, self.seconds = path, seconds
        super().__init__(msg("error.busy", path=path, seconds=seconds))


class RegistryMissing(ShegongError):
    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(msg("error.no_registry", path=path))


class RegistryWriteFailed(ShegongError):
    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(msg("error.write_failed", path=path, reason=reason))


class MissingParameter(ShegongError):
    """A rule needs a number nobody has set: the documents leave it to a district or a year."""

    def __init__(
        self, jurisdiction: str, name: str, on: object, citation: str = "", detail: str = ""
    ) -> None:
        """`detail` names the missing part of a table parameter, e.g. `沈河区.posts.staff`."""
        self.jurisdiction, self.name, self.on, self.citation = jurisdiction, name, on, citation
        self.detail = detail
        if detail:
            name = f"{name} [{detail}]"
        key = "error.missing_parameter" if citation else "error.missing_parameter_uncited"
        super().__init__(msg(key, jurisdiction=jurisdiction, name=name, on=on, cite=citation))


class PluginError(ShegongError):
    def __init__(self, plugin: str, reason: str) -> None:
        self.plugin, self.reason = plugin, reason
        super().__init__(msg("error.plugin", plugin=plugin, reason=reason))


class UnknownJurisdiction(ShegongError):
    def __init__(self, key: str, known: list[str]) -> None:
        self.key, self.known = key, known
        super().__init__(msg("error.unknown_jurisdiction", key=key, known=", ".join(known)))


class NoAnswer(ShegongError):
    """No plugin in a jurisdiction's chain implements a rule it was asked for."""

    def __init__(self, jurisdiction: str, rule: str) -> None:
        self.jurisdiction, self.rule = jurisdiction, rule
        super().__init__(msg("error.no_answer", jurisdiction=jurisdiction, rule=rule))


class AccessDenied(ShegongError):
    """The operator's role or scope does not allow this; the refusal is in the audit trail.

    `action` is what was tried (`read`, `change`, `reveal`, `export_full`, `manage`, `open`),
    `kind` and `key` the record it was tried on.
    """

    def __init__(
        self, message: Message, *, login: str, action: str, kind: str = "", key: object = ""
    ) -> None:
        self.login, self.action, self.kind, self.key = login, action, kind, key
        super().__init__(message)
