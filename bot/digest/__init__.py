"""Scheduled chart digests: schedules and slots, the composed content (from the sections the
features write, bot/<feature>/digest_sections.py, against bot.shared.digest_section),
delivery to Slack with retries, and the runner that claims each post in the database so it
happens exactly once. Handlers call `bot.digest.manage`; the scheduler calls the runner."""
