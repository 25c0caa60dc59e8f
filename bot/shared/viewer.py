"""Who is asking: the workspace, the person, and whether they are an admin."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Viewer:
    team_id: str
    user_id: str
    is_admin: bool
