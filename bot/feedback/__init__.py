"""Creator notes: reading quick notes, guessing topic and sentiment, cards, lists, the form,
the report and its chart, the export and the follow-up reminders' note kind. Handlers call
these; storage.feedback.notes keeps the data."""
