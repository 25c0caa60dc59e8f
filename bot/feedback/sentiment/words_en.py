"""English words for reading a note's sentiment, as creator managers write them.

Folded to lower case by the reader; inflected forms it does not find by dropping an ending
(-s, -es, -ed, -d, -ly) are listed. Weights: ½ lukewarm, 1 a hint, 2 a clear word, 3 a strong
one. Compounds ending in a listed word and "un-" before a listed word ("unreliable") are read
without being listed.
"""

POSITIVE = {
    3: """
        excellent amazing awesome perfect perfectly fantastic outstanding brilliant
        brilliantly thrilled delighted love loves loved exceeded superb stoked incredible
        phenomenal wonderful
        stellar flawless exceptional terrific adore adored adores stunning
    """,
    2: """
        great happy glad pleased satisfied super top success successful reliable dependable
        professional enjoy enjoying enjoyed recommend recommended recommends praise praised
        convinced thanks thank thx thanked grateful smooth smoothly beautiful lovely
        pleasant likeable friendly creative motivated viral cool doubled extended hit
        positive strong strongly impressed impressive best quickly undamaged nice
        keen excited exciting solid fun worked kudos
        banger nailed pleasure win winner bestseller responsive seamless tripled
        boosted eager enthusiastic gorgeous rave killer
    """,
    1: """
        good interested interest worth grew growing agreed well quick fast
        helpful
        flexible easy record improved improving boost sweet
    """,
    0.5: "ok okay fine",  # lukewarm: alone, no clear sentiment
}
NEGATIVE = {
    3: """
        disaster terrible awful horrible furious outrageous scam worst unacceptable
        livid nightmare dreadful appalling disgusted horrendous abysmal
    """,
    2: """
        unhappy disappointed disappointing disappointment bad poor poorly damaged broken
        defective leaked lost annoyed annoying upset angry frustrated frustrating
        complain complains complained complaint complaints problem problems issue issues
        unfair unreliable ignored ghosted ghosting terminated ended dropped suspended
        banned violation rejected declined missing wrong mess messy weak badly missed
        deleted unprofessional rude sadly
        crushed dented scratched dirty stained leaking irritated pissed mad trouble
        troubles overdue flopped flop bailed griping gripe moaning whining breach
        penalty forgot forgotten neglected sloppy careless mediocre underwhelming
        plummeted tanked refused refuses quit quitting withdrew fake hassle unusable
        useless
    """,
    1: """
        unfortunately late delayed delay delays slow slowly expensive overpriced
        sceptical skeptical cancelled canceled refund cut decreased worse difficult
        concern concerns mistake error
        doubt doubts stuck rushed meh lacking struggling stalled declining decline
        warning stressful confusing confused
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
    "over the moon": 3,
    "blown away": 3,
    "through the roof": 3,
    "like clockwork": 2,
    "crushed it": 3,
    "smashed it": 3,
    "nailed it": 2,
    "won her over": 2,
    "won him over": 2,
    "won them over": 2,
    "on board": 1.5,
    "spot on": 2,
    "top notch": 3,
    "well received": 2,
    "sold out": 2,
    "went crazy": 2,
    "pulled out": -2,
    "wants out": -2,
    "fizzled out": -2,
    "backed out": -2,
    "dropped out": -2,
    "left us hanging": -3,
    "turned down": -2,
    "fell apart": -2,
    "went wrong": -2,
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
    honoured honored honour honor stick kept keep revenue clicks views reaction reactions
"""
TOO = "too"
TOO_MUCH = """
    low high late long slow expensive pricey costly few little much many small big short
    early hard complicated strict rarely
"""
