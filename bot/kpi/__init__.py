"""`/kpi`: its words, scope, answers, headline and full snapshot, charts and usage."""
