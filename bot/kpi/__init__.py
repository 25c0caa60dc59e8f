"""KPI snapshots: periods, definitions, the engine, formatting, rendering and charts."""
