"""English words for reading a note's sentiment, as creator managers write them.

Folded to lower case by the reader; inflected forms it does not find by dropping an ending
(-s, -es, -ed, -d) are listed. Weights: 1 a hint, 2 a clear word, 3 a strong one. Compounds
ending in a listed word and "un-" before a listed word ("unreliable") are read without being
listed.
"""

POSITIVE = {
    3: """
        excellent amazing awesome perfect perfectly fantastic outstanding brilliant
        brilliantly thrilled delighted love loves loved exceeded superb stoked incredible
        phenomenal wonderful
    """,
    2: """
        great happy glad pleased satisfied super top success successful reliable dependable
        professional enjoy enjoying enjoyed recommend recommended recommends praise praised
        convinced thanks thank thx thanked grateful smooth smoothly beautiful lovely
        pleasant likeable friendly creative motivated viral cool doubled extended hit
        positive strong strongly impressed impressive best quickly undamaged nice
        keen excited exciting solid fun worked kudos
    """,
    1: """
        good ok okay fine interested interest worth grew growing agreed well quick fast
        helpful
    """,
}
NEGATIVE = {
    3: """
        disaster terrible awful horrible furious outrageous scam worst unacceptable
    """,
    2: """
        unhappy disappointed disappointing disappointment bad poor poorly damaged broken
        defective leaked lost annoyed annoying upset angry frustrated frustrating
        complain complains complained complaint complaints problem problems issue issues
        unfair unreliable ignored ghosted ghosting terminated ended dropped suspended
        banned violation rejected declined missing wrong mess messy weak badly missed
        deleted unprofessional rude sadly
    """,
    1: """
        unfortunately late delayed delay delays slow slowly expensive overpriced
        sceptical skeptical cancelled canceled refund cut decreased worse difficult
        concern concerns mistake error
    """,
}
PHRASES = {
    "no problem": 1.5,
    "no problems": 1.5,
    "no complaints": 1.5,
    "no issues": 1.5,
    "keep it up": 2,
    "well done": 2,
    "as well": 0,
    "can't wait": 2,
    "cant wait": 2,
    "looking forward": 2,
    "fed up": -2,
    "no show": -2,
    "let down": -2,
    "never again": -3,
    "she's out": -2,
    "he's out": -2,
    "they're out": -2,
    "without any reason": -1,
    "without reason": -1,
    "without cancelling": -2,
    "fell through": -2,
    "on time": 1.5,
    "she's in": 1.5,
    "he's in": 1.5,
}
# Words that look like a listed one without their ending or with one typo, and are not:
# "goods" are no "good", "please" is no "pleased".
NOT_SENTIMENT = "goods please"
NEGATORS = """
    not no never nothing none nor without hardly barely zero cannot dont didnt doesnt
    isnt wasnt werent hasnt havent hadnt wont cant couldnt wouldnt shouldnt aint
    don't didn't doesn't isn't wasn't weren't hasn't haven't hadn't won't can't
    couldn't wouldn't shouldn't
"""
INTENSIFIERS = {
    1.5: "very really so super extremely totally absolutely truly way highly incredibly "
    "completely utterly particularly mega",
}
DOWNTONERS = {0.5: "somewhat slightly bit rather fairly kinda quite"}
CONTRASTS = "but however though nevertheless"
DUTIES = """
    post posts posted posting reply replies replied respond responds responded response
    answer answers answered deliver delivers delivered ship ships shipped send sends
    sent pay pays paid paying payout arrive arrives arrived perform performs performing
    reach reachable sell sells sold sales orders want wants work show showed mood
"""
TOO = "too"
TOO_MUCH = """
    low high late long slow expensive pricey costly few little much many small big short
    early hard complicated strict rarely
"""
