"""What the features share and no feature owns: replies and Block Kit pieces, pages, Slack text,
commands and help, forms, readers of what people type (handles, tags, periods, a note's text),
days, charts and workbooks, direct messages, the follow-up reminder engine, the delivery life
cycle of scheduled posts, and the KPIs (kpis/: their catalogue, engine and unusual days). Nothing
here imports a feature."""
