"""German words for reading a note's sentiment, as creator managers write them.

Written as they are spelled; the reader folds case, umlauts and ß (ä → ae, ß → ss), so
"enttaeuscht" and "enttäuscht" are one word. Inflected forms the reader does not find by
dropping an ending (-e, -en, -er, -es, -em, -s, -n) are listed. Weights: ½ lukewarm, 1 a hint,
2 a clear word, 3 a strong one. Compounds ending in a listed word ("Lieferprobleme") and "un-"
before a listed word ("unzuverlässig") are read without being listed.
"""

POSITIVE = {
    3: """
        hervorragend großartig grossartig perfekt perfekte genial fantastisch traumhaft
        überragend spitze spitzenmäßig bombe begeistert begeisterung übertroffen
        ausgezeichnet wahnsinn wahnsinnig sensationell liebt liebe geliebt lieben
        hammer bombastisch grandios phänomenal herausragend exzellent erstklassig knaller
        volltreffer gefeiert
    """,
    2: """
        zufrieden glücklich toll super klasse prima stark starke starken mega top erfolg
        erfolgreich zuverlässig professionell freut freuen gefreut gefällt gefallen
        empfiehlt empfehle empfohlen empfehlung lobt lob gelobt überzeugt überzeugend
        danke dankbar bedankt reibungslos schön wunderbar angenehm sympathisch kreativ
        motiviert happy viral cool verdoppelt gesteigert verlängert verlängern
        positiv positive positives pünktlich heil unbeschädigt beste besten bestens
        gelungen geklappt klappt funktioniert schnell spaß lieblingsprodukt nett
        einwandfrei tadellos wunderschön hübsch angetan engagiert empfehlenswert treffer
        erfreulich beeindruckend beeindruckt liebevoll geil lohnenswert gelohnt rekord
        bestseller ausverkauft kompetent hilfreich unkompliziert problemlos dankeschön
        verdreifacht vervielfacht boomt
    """,
    1: """
        gut gute guten gutes solide gerne gern interesse interessiert
        zuverlässigkeit lohnt gewachsen wächst steigt gestiegen zugesagt zusage
        bedanken freundlich hilfsbereit erreicht
        flexibel zugenommen
    """,
    0.5: "ok okay passt",  # lukewarm: alone, no clear sentiment
}
NEGATIVE = {
    3: """
        katastrophe katastrophal furchtbar schrecklich miserabel unverschämt
        frechheit betrug sauer wütend stinksauer
        unterirdisch zumutung desaster albtraum alptraum inakzeptabel
    """,
    2: """
        unzufrieden enttäuscht enttäuschend enttäuschung schlecht schlechte schlechter
        mies beschädigt kaputt defekt zerbrochen ausgelaufen verloren verärgert ärgerlich
        genervt nervig frustriert frust beschwert beschwerde beschweren reklamation
        problem probleme problematisch mangelhaft unfair unzuverlässig ignoriert ignoriert
        ghostet geghostet gekündigt beendet abgebrochen eingebrochen gesperrt verstoß
        abgelehnt lehnt fehlt fehlen fehlte falsch falsche chaotisch chaos schwach
        unprofessionell unhöflich unfreundlich verpasst gelöscht schade
        zerdrückt zerkratzt verschmutzt dreckig eingedrückt undicht ärger verstimmt
        gereizt stinkig aussteigen abgesprungen überfällig reklamiert mängel mangel
        minderwertig flop reinfall vergessen versäumt nervt abmahnung strafe
        zurückgetreten verweigert weigert beleidigt meckert beklagt
    """,
    1: """
        leider verspätet verspätung verzögert verzögerung spät langsam teuer
        skeptisch abgesagt kritik kritisiert zurückgezogen gekürzt weniger gesunken sinkt
        umständlich
        zweifel zweifelt eingeschlafen stagniert rückläufig schleppend mühsam
        anstrengend stressig bedauerlich bedenken riskant warnung billig
        schwierig schwierigkeiten sorge sorgen fehler
    """,
}
# Fixed expressions, read as one piece (not turned around by a negation before them).
PHRASES = {
    "kein problem": 1.5,
    "keine probleme": 1.5,
    "keine beschwerden": 1.5,
    "keine beschwerde": 1.5,
    "gerne wieder": 2,
    "weiter so": 2,
    "voller erfolg": 3,
    "kann es kaum erwarten": 2,
    "nie wieder": -3,
    "ohne grund": -1,
    "ohne absage": -2,
    "ohne rückmeldung": -2,
    "ist raus": -2,
    "ist sie raus": -2,
    "ist er raus": -2,
    "gut an": 2,
    "sagt zu": 1.5,
    "sagt ab": -1,
    "ist dabei": 1.5,
    "wie geschmiert": 2,
    "feuer und flamme": 3,
    "durch die decke": 3,
    "in ordnung": 1.5,
    "läuft rund": 2,
    "lief rund": 2,
    "hängen lassen": -3,
    "hängen gelassen": -3,
    "im stich gelassen": -3,
    "platzen lassen": -2,
    "springt ab": -2,
    "steigt aus": -2,
}
# Words that look like a listed one without their ending or with one typo, and are not:
# "erfolgt" is no "Erfolg", "Guthaben" no "gut".
NOT_SENTIMENT = "erfolgt erfolgen guthaben"
# Words that turn the next few words around ("nicht zufrieden"), or the one before when
# nothing follows ("meldet sich nicht").
NEGATORS = "nicht nichts nix kein keine keinen keinem keiner keines nie niemals ohne kaum null"
# Words that make the next sentiment word stronger, and by how much.
INTENSIFIERS = {
    1.5: "sehr total mega extrem echt richtig wirklich voll absolut ganz besonders gar "
    "überhaupt komplett völlig äußerst super so sowas dermaßen",
}
DOWNTONERS = {0.5: "etwas bisschen eher ziemlich relativ halbwegs einigermaßen"}
# After these, the rest of the note weighs more than what came before ("gut, aber …").
CONTRASTS = "aber jedoch allerdings trotzdem dennoch"
# What a creator or seller is expected to do: not doing it is a complaint ("meldet sich
# nicht", "keine Antwort", "will nicht mehr posten").
DUTIES = """
    posten postet gepostet poste postest antworten antwortet geantwortet antwort melden
    meldet gemeldet meldung rückmeldung reagieren reagiert reaktion liefern liefert
    geliefert zahlen zahlt gezahlt bezahlt zahlung auszahlung schicken schickt geschickt
    senden sendet gesendet ankommen angekommen erreichbar erreichen performt verkauft
    verkaufen verkäufe bestellungen umsatz sales will wollen möchte mag arbeiten
    eingehalten einhalten gehalten klicks aufrufe views
    mitmachen weitermachen lust zeit
"""
# "zu" before these is a complaint ("zu niedrig", "zu spät").
TOO = "zu"
TOO_MUCH = """
    niedrig hoch spät lange lang langsam teuer wenig viel viele klein groß kurz früh
    kompliziert streng selten gering schwer
"""
