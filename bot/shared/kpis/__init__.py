"""The KPIs every feature reads alike: the catalogue (definitions: how each KPI is computed,
explained and named), the engine that turns summed seller-days into figures and comparisons,
and the judge of unusual days. `/kpi`, the digest, the Home, alerts and the seller card all use
them; like the rest of bot/shared, they import bot/shared and storage, never a feature."""
