"""The sentiment of a note, read from its German and English words, negations and emoji:
reader.py holds the rules, words_de.py, words_en.py and words_emoji.py the word lists."""
