"""Sellers as the category team sees them: the card, the list, notes, and gaps and
opportunities."""
