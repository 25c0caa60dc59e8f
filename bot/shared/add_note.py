"""The "Add a note" button's action: it opens the creator note form for the handle it carries.

Two features show the button, the creator card (bot.creators.card) and a matched pair's row
(bot.matchmaking.render), and the feedback listeners answer it by opening the note form
(bot.feedback.note_form): the action id is none of theirs alone, so it lives here.
"""

ADD_NOTE = "feedback_add_note"
