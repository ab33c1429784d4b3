"""Danish-safe filler removal for condensate drafts: real spoken patterns and the output a researcher accepts.

The cases are written after patterns found in the Danish interviews of ../shared/data/ecape_da (tag
questions, modal "jo"/"altså", hesitations, restarts, repeats, non-verbal marks) and in the sample
transcripts; none is copied from the data. Each expected output keeps every word that carries meaning and
never produces broken Danish such as "har været ikke godt", "det er det er" or "Ja. jeg tror".
"""
import pytest

from condense.condensation import clean_speech

CASES = [
    # hesitations
    ("Øh, vi lavede en undersøgelse.", "Vi lavede en undersøgelse."),
    ("Vi lavede, øh, en undersøgelse i starten.", "Vi lavede en undersøgelse i starten."),
    ("Ja, øh, det var de ældre damer.", "Ja, det var de ældre damer."),
    ("Det var øhm ret svært.", "Det var ret svært."),
    ("Ja. Øh, jeg tror det var godt.", "Ja. Jeg tror det var godt."),
    ("Mm, det kan godt være.", "Det kan godt være."),
    ("Æh … vi havde ikke så mange penge.", "Vi havde ikke så mange penge."),
    ("Hmm … måske det med sundhed som ord.", "Måske det med sundhed som ord."),
    ("Øh … ja, måske bare, at det tager tid.", "Ja, måske bare, at det tager tid."),
    # tag questions: only when set off by a comma
    ("Det er jo svært, ikke?", "Det er svært."),
    ("Vi havde fritid hele tiden, ikke?", "Vi havde fritid hele tiden."),
    ("Det er lidt svært, er det ikke?", "Det er lidt svært, er det ikke?"),
    ("Hvorfor bruger du den ikke?", "Hvorfor bruger du den ikke?"),
    ("Man hører utrolig meget på sådan en gåtur, ikke også.", "Man hører utrolig meget på sådan en gåtur."),
    ("Det var det, ikke også, der gjorde forskellen.", "Det var det, der gjorde forskellen."),
    ("Det er ikke så tit, ikk.", "Det er ikke så tit."),
    ("Vi har ikke gjort det.", "Vi har ikke gjort det."),
    ("De kommer ikke, hvis det hedder sundhed.", "De kommer ikke, hvis det hedder sundhed."),
    ("Det er ikke også noget for mændene.", "Det er ikke også noget for mændene."),
    # modal "jo", never in "jo mere … jo bedre" and never as an answer word removed mid-meaning
    ("Det er jo svært at få fat i mændene.", "Det er svært at få fat i mændene."),
    ("Vi skulle jo tælle til fonden.", "Vi skulle tælle til fonden."),
    ("Jo mere de er med, jo bedre går det.", "Jo mere de er med, jo bedre går det."),
    ("Det var jo mere end vi havde regnet med.", "Det var jo mere end vi havde regnet med."),
    ("Jo, det gjorde vi faktisk.", "Jo, det gjorde vi faktisk."),
    ("Der er jo varme derovre.", "Der er varme derovre."),
    ("Det meste af det var jo før min tid.", "Det meste af det var før min tid."),
    # "altså", "ligesom", "du ved": only set off by commas or opening a sentence
    ("Altså, vi var ikke så mange i sekretariatet.", "Vi var ikke så mange i sekretariatet."),
    ("Men der er altså ikke isoleret i gulvet.", "Men der er altså ikke isoleret i gulvet."),
    ("Det er, altså, ikke så let.", "Det er – ikke så let."),
    ("Det var ligesom vores opgave.", "Det var ligesom vores opgave."),
    ("Det er det samme som med skemaet, ligesom med madklubben.", "Det er det samme som med skemaet, ligesom med madklubben."),
    ("Du ved, folk kommer for fællesskabet.", "Folk kommer for fællesskabet."),
    ("Ved du, hvem der kom?", "Ved du, hvem der kom?"),
    ("Tja … det er svært at sige.", "Det er svært at sige."),
    ("Jamen, det var de unge mødre.", "Det var de unge mødre."),
    # repeats: collapsed without a comma between; "Det, det handler om" is Danish
    ("Det er det er svært at forklare.", "Det er svært at forklare."),
    ("og og så kom de igen", "Og så kom de igen."),
    ("Vi havde en – en undersøgelse.", "Vi havde en undersøgelse."),
    ("Det, det handler om, er fællesskab.", "Det, det handler om, er fællesskab."),
    ("Det det handler om er at have nogen at snakke med.", "Det det handler om er at have nogen at snakke med."),
    ("Nej nej, det var ikke noget problem.", "Nej nej, det var ikke noget problem."),
    ("Ja ja, det gik fint.", "Ja ja, det gik fint."),
    ("Der der kom mange den dag.", "Der der kom mange den dag."),
    ("Vi vi prøvede at lave et mandehold.", "Vi prøvede at lave et mandehold."),
    ("Sådan nogle sådan nogle kurser.", "Sådan nogle kurser."),
    ("Ved at ved at gå rundt fik vi fat i dem.", "Ved at gå rundt fik vi fat i dem."),
    # restarts and dashes: never join the halves into broken Danish
    ("Det har været – øh, ikke godt.", "Det har været – ikke godt."),
    ("Samarbejdet med kommunen har været … altså, ikke godt.", "Samarbejdet med kommunen har været – ikke godt."),
    ("Det har været, øh, ikke godt.", "Det har været – ikke godt."),
    ("Vi lavede en – eller, vi lånte nogle spørgsmål.", "Vi lavede en – eller, vi lånte nogle spørgsmål."),
    # non-verbal marks and ellipses
    ("Vi har talt. (griner) Altså, det er det, det handler om.", "Vi har talt. Det er det, det handler om."),
    ("Han fik dem vist tre gange. [griner]", "Han fik dem vist tre gange."),
    ("De kom … og så gik de igen.", "De kom og så gik de igen."),
    ("Det var vist … tre år siden.", "Det var vist tre år siden."),
    # sentence starts stay capitalised after a removal
    ("Nej. Øh, det havde de ikke.", "Nej. Det havde de ikke."),
    ("Ja. Altså, det var godt.", "Ja. Det var godt."),
    # "sådan en slags"
    ("Det var sådan en slags klub.", "Det var en slags klub."),
    # nothing to do
    ("Vi holdt et møde med deltagerne.", "Vi holdt et møde med deltagerne."),
]


def test_at_least_fifty_cases():
    assert len(CASES) >= 50


@pytest.mark.parametrize("text,expected", CASES)
def test_danish_filler_removal(text, expected):
    assert clean_speech(text, "da") == expected


@pytest.mark.parametrize("bad", ["har været ikke godt", "det er det er", "Ja. jeg tror", "er det?"])
def test_never_produces_broken_danish(bad):
    outputs = [clean_speech(text, "da") for text, _ in CASES]
    assert not any(bad in out for out in outputs)


def test_cleaned_word_count_is_the_word_count_of_the_cleaned_text(sample_units):
    """A quote's readability counts the words clean_speech leaves (condensation.cleaned_word_count) without its
    last rules, which only set spaces, punctuation and capitals: the count is the same for every case here,
    every respondent sentence and run of sentences of the sample, in both languages, and for texts opening on a
    character whose capital is two words to ``\\w`` ("ǰ" → "J̌")."""
    from condense.condensation import cleaned_word_count, word_count
    from condense.quotes import sentences

    texts = [text for text, _ in CASES] + ["ǰeg ved det.", "ǰ… altså, nej.", "\u0345x y.", ", ΐa b."]
    for u in sample_units.units:
        if u.role == "respondent":
            spans = sentences(u.text)
            texts += [u.text[a:b] for a, b in spans] + [u.text[spans[i][0]:spans[min(i + 2, len(spans) - 1)][1]]
                                                         for i in range(len(spans))]
    assert len(texts) > 3000
    for language in ("da", "en"):
        for text in texts:
            assert cleaned_word_count(text, language) == word_count(clean_speech(text, language)), text


def test_only_the_listed_characters_change_kind_when_capitalised():
    """condensation._CAPITAL_SPLITS holds every lower-case character whose capital is not all word characters as
    it is one, or all other characters as it is not (``\\w``: ``str.isalnum`` or "_")."""
    import re
    import sys

    from condense.condensation import _CAPITAL_SPLITS

    word = re.compile(r"\w")
    for c in map(chr, range(sys.maxunicode + 1)):
        if c.islower() and not _CAPITAL_SPLITS.match(c):
            assert all(bool(word.match(x)) == bool(word.match(c)) for x in c.upper()), hex(ord(c))
