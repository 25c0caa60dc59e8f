"""The App Home, a summariser of the features: the tab itself (`tab`: building the view from
the sections the features place, and publishing it), its own sections (`sections`: the
category picker, the buttons, the status) and the form that subscribes a channel to the digest
(`subscribe_form`). What every section is given is bot.shared.home_section; the features'
sections are in their own packages (bot/<feature>/home_sections.py)."""
