"""The App Home dashboard's sections: each one a function of the person's `HomeContext` that
returns a few blocks (see bot.home for the list and how a feature adds its own)."""
