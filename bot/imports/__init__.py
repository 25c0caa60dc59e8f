"""File imports, whichever way a file arrives: one path for all (`run`), the share of memory
and the queue (`gate`), files shared in Slack and their download (`shared_files`), the
`/kpi import` form (`form`), and what an import that wrote days sets off (`after_import`)."""
