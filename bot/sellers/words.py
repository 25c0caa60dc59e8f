"""The registry's words in the answer's language: a seller's status, its programs and the
profile fields it lacks.

The registry keeps them as English keys (storage.sellers, which knows no language, and the
seller import reads them so); they are marked here for the sellers' catalog and shown with
`_()` where a person reads them.
"""

from __future__ import annotations

from bot.shared.language import N_, _

STATUS_LABELS: dict[str, str] = {
    "prospect": N_("Prospect"),
    "onboarding": N_("Onboarding"),
    "active": N_("Active"),
    "paused": N_("Paused"),
    "churned": N_("Churned"),
    "inactive": N_("Inactive"),
}
PROGRAM_LABELS: dict[str, str] = {
    "live": "LIVE",
    "affiliate": N_("affiliate"),
    "video": N_("video"),
    "campaigns": N_("campaigns"),
}
# storage.sellers.profiles.REQUIRED_FIELDS, as a gap names a missing one.
FIELD_LABELS: dict[str, str] = {
    "owner": N_("owner"),
    "main category": N_("main category"),
    "market": N_("market"),
    "tier": N_("tier"),
    "a contact": N_("a contact"),
}


def status_text(status: str) -> str:
    """`Active` · `Aktiv` (a status the registry does not know, as it is, capitalised)."""
    label = STATUS_LABELS.get(status)
    return _(label) if label else status.title()


def program_text(program: str) -> str:
    """`LIVE`, `affiliate` · `Affiliate`."""
    label = PROGRAM_LABELS.get(program)
    return _(label) if label else program


def programs_text(programs: list[str] | tuple[str, ...]) -> str:
    """The programs with commas: `LIVE, affiliate`."""
    return ", ".join(program_text(p) for p in programs)


def field_text(label: str) -> str:
    """A missing profile field as a gap names it (`main category` · `Hauptkategorie`)."""
    known = FIELD_LABELS.get(label)
    return _(known) if known else label
