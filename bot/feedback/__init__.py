"""Creator feedback and the creator registry: parsing, rendering, forms, reports, export and
follow-up reminders. Handlers call these; storage.feedback and storage.creators keep the data."""
