"""The developer's kit beside the product: the Slack sandbox, the demo data set, the offline bot
and its shell, terminal rendering and transcripts. The composition root (app.py) adds its
`shopbot demo` and `shopbot shell`; the product (bot, handlers, storage) never imports it."""
