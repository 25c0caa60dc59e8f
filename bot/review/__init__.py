"""Livestream reviews: the form, cards, lists, the report, export and the tracker import."""
