"""The creator registry as people see it: the card (`card`), the form that adds or edits a
creator (`form`), and level growth and onboarding checklists (`levels`)."""
