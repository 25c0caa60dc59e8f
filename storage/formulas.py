"""Spreadsheet formulas in the team's text: what a spreadsheet would take for one, and how
text is kept from ever becoming one, on the way out (exports) and in (imports).

A spreadsheet takes a typed cell, or a CSV cell it opens, for a formula when it starts with
`=`, `+`, `-` or `@` (also after a tab or carriage return, which Excel skips). That says
nothing about the text: "@maria nailed the hook", "+20% GMV", "- slow start" and "= same as
last week" are ordinary notes, and the form saves them as they are. So:

- Out (bot.shared.workbooks): every text cell is written as a text cell, never a formula; one that
  starts like a formula (`FORMULA_STARTS`) is also quote-prefixed, Excel's own "this is
  text", so editing it keeps it text. The value is the text exactly.
- In (storage.importers.values.texts): text is kept exactly as written, whatever it starts
  with; an XLSX formula cell is read as the value it shows, never as its formula. Only a cell
  that is an active formula (`ACTIVE_FORMULA`: a formula sign, then a function call or a DDE
  link, such as `=HYPERLINK(…)`, `@SUM(…)`, `+IMPORTXML(…)`, `=cmd|' /C calc'!A0`) is stored
  as inert text (`inert`): with a leading apostrophe, the way Excel shows text typed with one,
  so wherever it is pasted it stays text. Text that starts with the apostrophe is no formula,
  so importing an export again changes nothing more.
- Numbers, dates and durations: a formula there is no value at all, and the import refuses
  the cell (storage.importers.values).
"""

from __future__ import annotations

import re

# What a spreadsheet would read, typed into a cell, as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
INERT_MARK = "'"
# Formula signs (after what Excel skips), then at once a function's name and its opening
# parenthesis, or a DDE link's application and its pipe. Text with a space after the sign
# ("- Great (ish) start") or without a call ("@maria", "+20%", "=1+1") does nothing harmful
# and is no active formula.
ACTIVE_FORMULA = re.compile(r"[\t\r\n ]*[=+\-@]+(?:[A-Za-z_][A-Za-z0-9_.]*\(|[^|\s]+\|)")


def inert(text: str) -> str:
    """`text` as it is, unless it is an active formula: then with a leading apostrophe."""
    return INERT_MARK + text if ACTIVE_FORMULA.match(text) else text
