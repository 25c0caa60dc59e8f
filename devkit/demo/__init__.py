"""The demo data set: planned (data, sellers, matchmaking) and loaded (seed)."""
