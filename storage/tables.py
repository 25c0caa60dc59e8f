"""Every table module, imported once so that SQLModel.metadata holds the whole schema: Alembic's
migrations (storage/migrations/env.py) and the schema tests compare it with a database. Only this
module imports them all; code imports a table from the module that defines it."""

from types import ModuleType

import storage.alerts.models
import storage.creators.models
import storage.delivery.models
import storage.feedback.models
import storage.kpis.models
import storage.matchmaking.models
import storage.models
import storage.reviews.models
import storage.sellers.models

MODULES: tuple[ModuleType, ...] = (
    storage.models,
    storage.sellers.models,
    storage.creators.models,
    storage.feedback.models,
    storage.matchmaking.models,
    storage.reviews.models,
    storage.kpis.models,
    storage.delivery.models,
    storage.alerts.models,
)
