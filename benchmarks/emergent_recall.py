"""Emergent-theme recall: plant topics nobody coded into copies of real corpora and see if they come back.

Usage:  python benchmarks/emergent_recall.py [--corpus sample,en,ecape] [--seed 0] [--topics main,dev6,checks,...]
        [--ecape DIR]

Each planted topic is a handful of answers written for this benchmark (in varied registers: spoken,
formal, short; Danish: rats, bees, graffiti, chess, bicycles (a word the lemmatiser gets wrong: "cykler" →
"cyklus"), mould (next to the energy corpus' damp and airing talk), noise (told in varied words), a broken
lift (small, two interviews), dogs, the laundry room; English: pigeons, mobility scooters, parking,
fireworks, noise (varied words), dogs; fourth round: snow told in compounds of an ordinary word
(Danish), litter over every English interview with no word in more than two answers; fifth round: burglary
told in Danish synonyms, wifi in a formal English register over two interviews; sixth round, everyday things
in varied words, three of them in three answers: water damage, stair cleaning, hens; foxes, benefits and rent
arrears), inserted as new question/answer turns into 2–4 interviews of a temporary copy of
the Danish sample, the English sample, and the 30 real interviews of ``../shared/data/ecape_da``
(skipped when absent). The copies are discarded afterwards. Per planted topic it prints

* ``recall``: the share of the topic's discoverable units (the ones the codebook's emergent dimension
  does not cover) that land in the one candidate holding most of them;
* ``purity``: the share of that candidate's units that are on the topic: planted units, and units the
  corpus held before planting that talk about the topic in its own key words (``Topic.keys``: a word
  starting with "hund", "skimmel" …; ``native`` counts them). ecape_da's own residents talk about
  their dogs, bicycles and mould; a candidate that gathers that talk together with the planted answers
  is right, and counting it as impurity measured the corpus, not the method. Such a unit is judged by
  the topic's key words alone, never by which candidate holds it;
* ``strict``: the share of planted units alone (the earlier figure), printed beside it;
* ``also``: the topic's units that a codebook theme covers (``units`` − ``uncov``) and that the candidate
  lists as "also in coded units" (:func:`condense.emergent.also_coded`). They are not in the recall: the
  denominator stays the discoverable units, those discovery is run on, and a covered unit is never moved
  into a candidate; this column shows how much of the rest of the topic the researcher is pointed to;
* ``rank``: that candidate's place in the ranked list (:func:`condense.emergent.rank_score`); the report and
  candidates.yaml show the first ``Discovery.shortlist`` (40), candidates.csv all of them;

A topic whose discoverable units cannot make a candidate at all (fewer than three, or all in one interview:
the thresholds every candidate must meet) is marked ``not findable`` with its count, and the summary counts
the ``findable`` ones. English ``wifi`` is one: of its three answers, "a digital skills course" is coded
*kompetenceopbygning* on the codebook's term "skills" and its pair "course … residents" (the codebook's
capacity-building theme, rightly), and "the housing association paid for a proper wifi router" is coded
*samarbejdsrelationer* on the two-word term "housing association", which the coder matches as two words of one
sentence, like any pair, and so is not the one-word evidence that leaves a unit open (``weak_evidence``).
One uncovered answer is left: the planting, not the cover, keeps it from being found.

``--topics checks`` plants a second set instead (``CHECK_DA_TOPICS``, ``CHECK_EN_TOPICS``: pigeons, parking,
bulky waste, allotments, rehousing, speeding; damp, lifts, needles, buses, heating), written to see whether a
change generalises beyond the topics above. Never tune the method on it. ``--topics fresh`` plants a third set
(``FRESH_DA_TOPICS``, ``FRESH_EN_TOPICS``: cats, smoke from neighbours, e-scooters, a broken entry door, trees and
hedges; lighting, parcels, cannabis smoke), written and measured on main before the change it was made to judge,
again never to tune on; ``--topics fresh2`` plants a fourth (``FRESH2_DA_TOPICS``, ``FRESH2_EN_TOPICS``: a
playground, waste sorting, barbecues on balconies, rent; mice, a play area, street drinking, draughty windows),
written and measured on main before the change of the session that added it, never to tune on;
``--topics fresh3`` plants a fifth (``FRESH3_DA_TOPICS``, ``FRESH3_EN_TOPICS``: mopeds, satellite dishes,
cockroaches, scaffolding and building works; bedbugs, repairs, ball games, CCTV), written the same way and
never to tune on; ``--topics fresh4`` a sixth (``FRESH4_DA_TOPICS``, ``FRESH4_EN_TOPICS``: sleep, quitting smoking,
teeth, medication; GP appointments, children's screens, the food bank), the same way; ``--topics fresh5`` a seventh
(``FRESH5_DA_TOPICS``, ``FRESH5_EN_TOPICS``: letterboxes, interpreters, renting the party room, hot water,
vandalism; loneliness, prepayment meters, step-free access), the same way; ``--topics dev6`` plants a set to tune on
(``DEV6_DA_TOPICS``, ``DEV6_EN_TOPICS``: locked out and keys, gulls, grass cutting; English classes, overheating
flats), written before the change it was made for, as ``main`` is; ``--topics all`` plants all eight.
``--topics`` with several sets, comma-separated (``main,dev6,checks,fresh,fresh2,fresh3,fresh4,fresh5``), plants and
measures each on its own, as if run one by one, and ends in a table of the sets (found, findable and planted topics,
mean recall and purity over the set's topics, the largest candidate's share) and a ``HELDOUT`` line summing the six
sets never tuned on. ``--ecape DIR``: where ecape_da's interviews are (a git worktree has no ``../shared`` beside
it); each SUMMARY line ends with the set's mean recall and mean purity.

and per corpus the largest candidate's share of the uncovered units and whether any label contains a
stop word, and ``shortlisted``: the found topics whose candidate ranks among the first
``Discovery.shortlist``, the ones a researcher reads. The last line sums it up (``found``: topics meeting
both bars; ``shortlisted``: of those, the ones shown first). Target: recall ≥ 0.6 and purity ≥ 0.7 for every topic, no
candidate above 25% of the uncovered units, no stop word in a label.

``--why`` adds, under each topic below target, the stage of discovery that loses it (:func:`why_lost`), and a
``LOST`` line counting them: ``not findable`` (its answers are coded); ``no shared word`` (no word of discovery's
representation, compounds' first parts and family terms included, is in three of its uncovered answers over two
interviews: no word, and so no pair of words, can gather it); ``shared word no anchor`` (that word is no column
of the pool, or too common in the language); ``merged`` or ``split`` (its answers went into a candidate mostly
about other things, or over several); ``cut`` (a word anchors it, but no group of it passed the quality cut and
stability).

``--links`` adds, under each topic below target, how many pairs of its uncovered answers share one word that
may anchor a group and how many share two (:func:`link_counts`), and per corpus the same over the whole pool with
the largest chain of such links: whether units linked through different words could gather the topic at all.
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ECAPE = ROOT.parent / "shared" / "data" / "ecape_da"


@dataclass
class Topic:
    name: str
    question: str
    answers: list[str]
    spread: int  # number of interviews it is spread over
    keys: tuple[str, ...] = ()  # starts of the topic's own key words: a native unit using one is on the topic


DA_TOPICS = [
    Topic("rotter", "Var der andre ting, der fyldte i bebyggelsen?", [
        "Øh, og så var der jo rotterne. Vi havde rotter i kælderen i flere måneder, og folk turde ikke gå ned med skraldet.",
        "Altså rotterne kom op gennem en utæt kloak, og skadedyrsfirmaet satte fælder op ved skraldeskurene.",
        "En periode var der rotter ved containerne hver nat, og vi fik en skadedyrsbekæmper ud en gang om ugen.",
        "Rottefælderne hjalp ikke meget, før kloakken blev repareret. Først da forsvandt rotterne fra kælderen.",
        "Nogle børn havde set en rotte ved sandkassen, og så blev der ret stor uro om skadedyr i gården.",
        "Vi hængte sedler op om at binde skraldeposerne til, fordi rotterne går efter madaffald i containerne.",
    ], 3, keys=('rotte', 'skadedyr')),
    Topic("bier", "Hvad med udearealerne, blev de brugt til noget?", [
        "På taget af vaskehuset satte vi to bistader op, og en pensioneret biavler lærte beboerne at passe bierne.",
        "Honningen blev slynget i fælleshuset i august, og glassene med vores egen honning blev solgt på sommerfesten.",
        "Biavlerholdet var lille, fem-seks stykker, men de passede bistaderne hele sæsonen og fik dragter og handsker.",
        "Folk var bange for at blive stukket af bierne i starten, men bistaderne står jo oppe på taget, langt fra legepladsen.",
        "Honningsalget gav faktisk penge nok til nye bistader året efter.",
    ], 3, keys=('bistade', 'honning', 'biavl')),
    Topic("graffiti", "Var der episoder, som påvirkede arbejdet?", [
        "Der kom graffiti på gavlene næsten hver weekend, og viceværterne brugte timer på at male over tags.",
        "Hærværket toppede i foråret: knuste ruder i opgangene og graffiti på legehuset, og så meldte vi det til politiet.",
        "Vi lod de unge male en lovlig graffitimur ved boldburet, og efter det faldt hærværket faktisk mærkbart.",
        "Ja. Graffitien og hærværket. Det kostede boligselskabet mange penge.",
    ], 2, keys=('graffiti', 'hærværk')),
    Topic("skak", "Hvad med aktiviteter for de ældre børn?", [
        "Skakklubben om onsdagen i kælderlokalet blev et samlingssted for de store børn.",
        "En af beboerne var tidligere klubmester i skak, og han underviste børnene i åbninger og slutspil.",
        "Vi fik skakbrætter og skakure foræret, og der var en lille skakturnering hver anden fredag med præmier.",
        "Skakturneringen mod naboafdelingens skakklub var et højdepunkt.",
    ], 2, keys=('skak',)),
    # second round: a word the lemmatiser gets wrong ("cykler" → "cyklus"), a small topic next to the energy
    # corpus' damp and airing talk, one over three interviews, and a small one in two
    Topic("cykler", "Var der noget for de unge om eftermiddagen?", [
        "Vi startede et cykelværksted i den gamle cykelkælder, hvor børnene kunne få lappet deres cykler.",
        "Mange af cyklerne stod bare og rustede, så en frivillig viste de unge, hvordan man skifter kæde og lapper en slange.",
        "Cykelværkstedet havde åbent hver torsdag, og der kom tit ti-femten stykker med punkterede cykler.",
        "Vi fik også gamle cykler fra politiets hittegods, som de unge satte i stand og måtte beholde.",
    ], 2, keys=('cykel', 'cykl')),
    Topic("skimmel", "Hvordan var boligerne i det hele taget?", [
        "Mange lejligheder havde skimmelsvamp på badeværelset, sorte pletter i loftet, og forældrene var bange for børnenes astma.",
        "Skimmelsvampen kom igen og igen, selvom boligselskabet malede over pletterne.",
        "Vi hjalp nogle familier med at klage over skimmel, og til sidst blev hele blokken undersøgt for skimmelsvamp.",
    ], 2, keys=('skimmel',)),
    Topic("hunde", "Var der konflikter mellem beboerne?", [
        "Hundeejerne og de andre beboere var uenige om, hvor hundene måtte luftes.",
        "Der lå hundelorte på græsplænen ved legepladsen, og forældrene var rasende over hundene.",
        "Vi lavede en hundeskov bag garagerne, så hundene kunne løbe uden snor.",
        "Nogle af de ældre var bange for de store hunde i opgangen.",
    ], 3, keys=('hund',)),
    # third round: a topic told in varied words (no word in every answer: støj, larm, musik, klager, ro) and
    # a small one in two interviews
    Topic("støj", "Hvordan var naboskabet i opgangene?", [
        "Støjen fra festlokalet var et evigt problem, folk klagede over høj musik til langt ud på natten.",
        "Der blev spillet musik med bas hele natten, og naboerne bankede i væggen og klagede over larmen.",
        "Vi lavede en husorden med ro efter klokken 22, fordi larmen fra festlokalet holdt folk vågne.",
        "Klager over støj fyldte meget på afdelingsmødet, især musikken om natten i weekenderne.",
    ], 3, keys=('støj', 'larm')),
    Topic("elevator", "Var der praktiske ting, der gjorde det svært for de ældre?", [
        "Elevatoren var i stykker i flere uger, så de ældre på sjette sal kunne slet ikke komme ned.",
        "Da elevatoren stod stille, bar vi indkøb op til de ældre, der ikke kunne klare trapperne.",
        "Reparationen af elevatorerne trak ud, og nogle af de ældre sad helt isolerede i lejligheden.",
    ], 2, keys=('elevator',)),
    Topic("vaskeri", "Hvad fyldte i hverdagen?", [
        "Vaskekælderen gav mange konflikter, folk tog hinandens vasketider og smed tøjet ud af tørretumbleren.",
        "Vi fik et elektronisk bookingsystem til vaskekælderen, og så faldt klagerne over vasketiderne.",
        "Vaskemaskinerne i vaskekælderen var tit i stykker, så der var kø til vasketiderne.",
    ], 2, keys=('vaskekælder', 'vasketid')),
    # fourth round: told mostly in compounds of an ordinary word ("sne" on its own and in snerydning,
    # sneskovle, snevagt, snekastere), no rare word shared by all answers
    Topic("sne", "Hvordan gik det om vinteren?", [
        "Snerydningen var et problem hver vinter, for sneskovlene forsvandt fra depotet, og ingen ryddede stierne for sne.",
        "Vi fik en snerydningsordning, hvor de unge tjente lommepenge ved at skovle sne for de ældre.",
        "Når sneen lå, kunne dem med rollator ikke komme ud, så vi lavede en snevagt i hver opgang.",
        "Snekasterne hørte egentlig under ejendomskontoret, men sneen blev liggende i dagevis på stierne.",
    ], 3, keys=("sne",)),
    # fifth round: burglary told in synonyms (indbrud, tyvene, tyverierne, stjal, brød op): no word in more
    # than two answers, and the word of two ("stjålet", "stjal") a common verb
    Topic("indbrud", "Skete der noget, der gjorde folk utrygge?", [
        "Der var indbrud i flere kældre den vinter, og folk fik stjålet barnevogne og værktøj.",
        "Tyvene kom om natten og brød dørene op til depotrummene, så mange turde ikke have noget stående dernede.",
        "Efter alle tyverierne satte boligselskabet nye låse på og lys med bevægelsessensor i kældergangen.",
        "Nogen stjal også pakker fra opgangene, så vi fik en pakkeboks med kode ved indgangen.",
    ], 3, keys=("indbrud", "tyv", "stjal", "stjål", "stjæl")),
    # sixth round (a later session, to tune on, as the first five): everyday things told in varied words,
    # some in three answers only, written like the held-out sets below but never measured against them
    Topic("vandskade", "Var der problemer med selve bygningerne?", [
        "Vi havde vandskade to gange fra lejligheden ovenover, og det dryppede ned gennem loftet i køkkenet.",
        "Taget var utæt, så når det regnede meget, stod der spande på femte sal for at fange vandet.",
        "Efter et rørbrud i kælderen var der fugtpletter op ad væggene, og forsikringen ville ikke betale for skaden.",
    ], 2, keys=("vandskade", "rørbrud", "utæt", "drypp")),
    Topic("trappevask", "Hvordan blev der holdt rent?", [
        "Trappevasken blev sparet væk, så opgangene var snavsede i ugevis.",
        "Rengøringsfirmaet kom kun hver anden uge, og gulvene på trapperne var klistrede.",
        "Til sidst lavede vi en liste, hvor hver opgang skiftedes til at feje og vaske trapperne.",
        "Folk var trætte af at gå i skidt og sand på trapperne, og nogle klagede til ejendomskontoret.",
    ], 3, keys=("trappe", "rengøring", "snavs", "feje")),
    Topic("høns", "Kom beboerne selv med idéer til fællesarealerne?", [
        "Nogle af beboerne ville holde høns i gården, og vi fik faktisk lov til et lille hønsehus.",
        "Hønsene blev passet af børnene om morgenen, og æggene blev delt mellem opgangene.",
        "Der var en del, der var bekymrede for rotter på grund af hønsefoderet, men det gik fint.",
    ], 2, keys=("høn", "æg")),
]

EN_TOPICS = [
    Topic("pigeons", "Was there anything else residents raised with you?", [
        "Erm, the pigeons, honestly. Pigeons nesting on the balconies, droppings everywhere, and people couldn't dry their washing out there.",
        "The housing association put netting and spikes on the balconies, but the pigeons just moved to the stairwell windows.",
        "One resident kept feeding the pigeons from her balcony, which caused a proper feud with the neighbours below.",
        "Pest control came twice about the pigeons and the droppings on the walkways.",
        "If I'm honest the pigeon business took up more of the tenants' forum than anything to do with health.",
    ], 3, keys=('pigeon',)),
    Topic("scooters", "Were there practical problems for older residents?", [
        "Mobility scooters were a real headache: there was nowhere to charge them, so people left them in the corridors.",
        "The fire officer said the scooters blocking the corridors were a hazard, and we had to find a scooter store.",
        "In the end the association converted an old bin store into a charging room for scooters.",
    ], 2, keys=('scooter',)),
    Topic("parking", "What else came up at the residents' meetings?", [
        "Parking permits were the big row. The council brought in permits for the estate car park and lots of residents couldn't afford them.",
        "People were getting parking tickets outside their own flats because visitors' permits ran out after two hours.",
        "We helped a few residents appeal their parking fines, and eventually the council gave every flat one free permit.",
    ], 2, keys=('parking', 'permit')),
    Topic("fireworks", "Was anything else going on around the estate?", [
        "Bonfire night was a nightmare, lads letting fireworks off in the stairwells and the older residents terrified.",
        "We ran a proper fireworks display on the green the next year so the rockets weren't going off between the blocks.",
        "The fire brigade came twice that November for bins set alight after fireworks.",
    ], 2, keys=('firework',)),
    # third round: told in varied words (noise, music, racket, quiet hours; no word in every answer)
    Topic("noise", "How did neighbours get on in the blocks?", [
        "The noise from the flat upstairs was constant, music thumping until three in the morning.",
        "Neighbours kept complaining about loud parties and the racket on the landings at night.",
        "We brought in quiet hours after eleven because the noise complaints were getting out of hand.",
        "A lot of the rows between tenants started with someone playing music too loud late at night.",
    ], 3, keys=('noise',)),
    Topic("dogs", "Were there disputes between neighbours?", [
        "Dogs, mainly. Dog mess on the grass where the kids play, and owners who wouldn't pick up after their dogs.",
        "A couple of big dogs off the lead in the courtyard frightened the younger children.",
        "We got the council to put dog bins up and a sign saying dogs on leads.",
        "Some of the dog owners felt picked on, to be fair to them.",
    ], 3, keys=('dog',)),
    # fourth round: spread over every interview of the English sample, no word in more than two answers
    Topic("litter", "What about the outside spaces?", [
        "Rubbish was piling up by the bins because the collections kept being missed.",
        "Fly-tipping behind the garages was awful, old mattresses and fridges dumped there every week.",
        "The council finally sent a crew to clear the dumped rubbish and all the litter round the bins.",
        "We organised a litter pick with the kids, and after that people stopped dumping stuff by the garages.",
    ], 3, keys=("rubbish", "litter", "fly-tip", "dump")),
    # fifth round: a small topic in a formal register over two interviews only
    Topic("wifi", "Were there obstacles to the activities you planned?", [
        "The wifi in the community room never worked properly, so the online sessions kept dropping out.",
        "We tried to run a digital skills course, but without a decent broadband connection half the residents could not get online.",
        "Eventually the housing association paid for a proper wifi router in the community room, and the online bookings took off.",
    ], 2, keys=("wifi", "online", "broadband")),
    # sixth round (a later session, to tune on): everyday things in varied words, two of three answers
    Topic("foxes", "Were there animals about the estate?", [
        "Foxes got into the bins most nights and dragged rubbish all over the car park.",
        "There was a vixen with cubs under the shed at the back, and the kids loved watching them.",
        "Some residents were scared of the foxes, the screaming at night kept people awake.",
    ], 2, keys=("fox", "vixen", "cub")),
    Topic("credit", "Did money worries come up?", [
        "Loads of tenants had moved onto Universal Credit and the first payment took five weeks, so they fell behind on the rent.",
        "We sat with people filling in benefit forms, because the online claim was so confusing.",
        "Rent arrears went up a lot that year, and a couple of families got letters threatening eviction.",
        "The advice worker from the council came in on Thursdays to help with claims and debts.",
    ], 3, keys=("credit", "benefit", "arrears", "claim", "debt", "evict")),
]


# A second set, to check that a change generalises (see the module docstring): never tune on these.
CHECK_DA_TOPICS = [
    Topic("duer", "Var der noget ved bygningerne, som beboerne tog op?", [
        "Duerne sad på altanerne hele dagen, og der var dueklatter over det hele, så folk kunne ikke hænge vasketøj ud.",
        "Boligselskabet satte net og pigge op på altanerne, men duerne flyttede bare over på taget af cykelskuret.",
        "En ældre dame fodrede duerne fra sin altan, og det gav en del ballade med underboerne.",
        "Vi fik en skadedyrsmand ud to gange på grund af duerne og dueklatterne i opgangene.",
    ], 3, keys=("due",)),
    Topic("parkering", "Hvad blev der ellers snakket om på møderne?", [
        "Parkeringen var et stort emne. Der var alt for få P-pladser, og folk parkerede på græsset.",
        "Kommunen indførte betalingsparkering, og så fik mange beboere parkeringsbøder uden for deres egen opgang.",
        "Vi fik lavet gæsteparkering ved indkørslen, så parkeringsproblemerne blev lidt mindre.",
    ], 2, keys=("parker", "p-plads")),
    Topic("storskrald", "Hvordan så der ud på fællesarealerne?", [
        "Storskraldet stod i ugevis ved containerne, gamle sofaer og madrasser, og det så forfærdeligt ud.",
        "Storskraldsrummet var altid fyldt, fordi folk smed alt muligt derind, også køleskabe og møbler.",
        "Viceværten klagede over, at han brugte halvdelen af sin tid på at køre storskrald væk.",
        "Vi lavede en aftale med kommunen om afhentning af storskrald hver anden uge, og så blev det bedre.",
    ], 3, keys=("storskrald",)),
    Topic("nyttehaver", "Blev udearealerne brugt til noget?", [
        "Bag blok C lavede vi nyttehaver, hvor beboerne kunne dyrke kartofler, jordbær og krydderurter.",
        "Haveholdet mødtes hver lørdag i sæsonen og passede højbedene sammen.",
        "Nyttehaverne blev et sted, hvor folk fra forskellige opgange faktisk lærte hinanden at kende.",
        "Det var svært at få vand ud til højbedene, så vi fik gravet en vandhane ned ved nyttehaverne.",
    ], 2, keys=("nyttehave", "højbed", "havehold")),
    Topic("genhusning", "Skete der store ændringer i perioden?", [
        "Under renoveringen blev mange familier genhuset i et halvt år, og det splittede fællesskabet.",
        "Genhusningen var hård for de ældre, de skulle pakke flyttekasser og bo i midlertidige boliger.",
        "Nogle af dem, der blev genhuset, kom aldrig tilbage efter renoveringen.",
    ], 2, keys=("genhus", "renover")),
    Topic("fart", "Var der noget, der gjorde forældrene bekymrede?", [
        "Bilerne kørte alt for stærkt på vejen gennem bebyggelsen, lige der hvor børnene legede.",
        "Forældrene samlede underskrifter for at få bump på vejen, fordi folk kørte som vanvittige.",
        "Efter at kommunen lavede fartbump og en tredive-zone, blev det meget mere trygt at krydse vejen.",
    ], 2, keys=("fart", "bump", "kørte")),
]

CHECK_EN_TOPICS = [
    Topic("damp", "What were the homes themselves like?", [
        "Half the flats had damp, condensation running down the windows and black mould in the bathrooms.",
        "The landlord kept painting over the mould, but the damp came straight back every winter.",
        "We helped families report the damp and mould, and in the end the whole block was surveyed.",
        "Kids with asthma were living in rooms with mould on the ceiling, which was awful to see.",
    ], 3, keys=("damp", "mould")),
    Topic("lifts", "Were there problems getting in and out of the blocks?", [
        "The lift in Tower B was out of order for six weeks, so people on the eighth floor were stuck indoors.",
        "When the lifts broke down we carried shopping up the stairs for the older tenants.",
        "The lift repairs dragged on for months and some residents never left their flats.",
    ], 2, keys=("lift",)),
    Topic("needles", "Did residents feel safe on the estate?", [
        "There were needles in the stairwells, and parents were frightened for their kids.",
        "People were dealing drugs by the garages, and the police hardly ever came out.",
        "The caretakers found needles in the bin store nearly every week.",
    ], 2, keys=("needle", "drug", "dealing")),
    Topic("buses", "How did people get around?", [
        "The council cut the bus route, so the estate was left with one bus an hour.",
        "Older residents couldn't get to the surgery once the number 42 bus stopped running.",
        "We campaigned to get the bus route back and in the end they restored an evening bus.",
        "Without a bus, people had to walk twenty minutes to the nearest stop.",
    ], 3, keys=("bus",)),
    Topic("heating", "Were there problems with the homes in winter?", [
        "The boilers kept breaking down, so families went days without heating or hot water.",
        "Radiators were stone cold in half the flats and people sat in their coats.",
        "The heating bills went through the roof when the district heating prices went up.",
    ], 2, keys=("heating", "boiler", "radiator")),
]

# A third set, written before any change of the session that added it and measured on main first: everyday
# things residents raise, told in varied words as people speak (no keyword in every answer), some of three
# answers only. Like ``checks``, it measures whether a change generalises: never tune on it.
FRESH_DA_TOPICS = [
    Topic("katte", "Var der noget med dyr i bebyggelsen?", [
        "Øh, ja, kattene. Der var en flok løse katte, som boede under skuret, og de fik killinger hvert forår.",
        "En ældre dame stillede kattemad ud på trappen hver aften, og så kom der jo endnu flere af dem.",
        "Folk klagede over, at missekatte tissede i sandkassen, så vi måtte dække den til om natten.",
        "Til sidst fik vi Dyrenes Beskyttelse til at fange de vilde katte og få dem neutraliseret.",
    ], 3, keys=("katte", "katten", "killing", "missekat")),
    Topic("røg", "Hvad gik naboerne op i?", [
        "Naboen nedenunder røg på altanen hele tiden, og røgen trak lige op i vores soveværelse.",
        "Der var mange klager over, at folk stod og smøgede ved indgangen, så hele opgangen lugtede af cigaretter.",
        "Vi prøvede at lave rygeregler for fællesarealerne, men det er svært at sige noget til dem, der ryger.",
    ], 2, keys=("røg", "ryge", "ryger", "cigaret", "smøg")),
    Topic("løbehjul", "Var der noget, der gjorde det utrygt at færdes?", [
        "De der el-løbehjul lå og flød overalt på fortovet, folk smed dem bare, hvor de stod af.",
        "Nogle af de unge susede rundt på løbehjulene på stierne, og en ældre mand med stok blev væltet.",
        "Vi skrev til udlejningsfirmaerne og bad dem hente de løbehjul, der lå smidt i buskene.",
    ], 2, keys=("løbehjul",)),
    Topic("hoveddør", "Hvordan var det med sikkerheden i opgangene?", [
        "Hoveddøren til opgangen kunne ikke låses i et halvt år, så hvem som helst kunne gå ind og ud.",
        "Dørtelefonen var død, så gæsterne måtte ringe på mobilen, og folk satte en kile i døren.",
        "Låsen blev brækket op igen og igen, og først efter en masse klager fik vi nye låse med nøglebrik.",
        "Da porttelefonen endelig blev skiftet, kunne de gamle igen lukke hjemmeplejen ind selv.",
    ], 3, keys=("hoveddør", "dørtelefon", "opgangsdør", "porttelefon", "nøglebrik", "låsen")),
    Topic("træer", "Var der uenighed om udearealerne?", [
        "De store træer ud mod vejen tog alt lyset fra stuerne nederst, og folk ville have dem beskåret.",
        "Der var ballade om hækken, for nogle ville have den klippet ned, mens andre syntes, den gav læ og ro.",
        "Til sidst kom en gartner og beskar træer og buske, men så var der nogen, der savnede fuglene.",
    ], 2, keys=("træer", "træerne", "hæk", "beskår", "beskær", "busk")),
]

FRESH_EN_TOPICS = [
    Topic("lighting", "Did people feel safe getting about the estate?", [
        "The path lights behind the blocks were out for months, so people wouldn't walk back from the shop once it got dark.",
        "Half the lamp posts on the estate didn't work and a lot of women said they felt unsafe coming home at night.",
        "We kept reporting broken bulbs in the stairwells, but the caretaker said it wasn't his job.",
        "Once they put new LED lighting along the walkway, more people started coming to the evening sessions.",
    ], 3, keys=("light", "lamp", "bulb", "dark")),
    Topic("parcels", "Were there everyday problems people brought to you?", [
        "Parcels kept going missing from the entrance hall, people were having deliveries nicked before they got home.",
        "The couriers just left boxes by the front door of the block, and anyone could walk off with them.",
        "In the end the association put lockers in the lobby so people could collect their post safely.",
    ], 2, keys=("parcel", "deliver", "courier", "locker")),
    Topic("cannabis", "Were there tensions between neighbours?", [
        "The smell of weed on the landing was so strong you could taste it, and families with babies were upset.",
        "People smoking cannabis in the stairwell, every evening, the smoke getting under the doors.",
        "A few residents asked to move because the skunk from next door was making their kids poorly.",
    ], 2, keys=("weed", "cannabis", "skunk", "smok")),
]

# A fourth set, written by the session that added it before any change of its own and measured on main first:
# everyday things residents raise, as people tell them. Some repeat a plain word ("legepladsen", "mice"), some
# are told in compounds whose shared word is their last part ("kulgrill", "elgrill", "engangsgrill"), some in
# varied words ("drinking", "cans", "drinkers"); four of eight in three answers only. Never tune on it.
FRESH2_DA_TOPICS = [
    Topic("legeplads", "Hvad sagde forældrene om stedet?", [
        "Legepladsen var i en elendig stand, gyngerne var brækket, og der stak søm ud af klatrestativet.",
        "Børnene havde ikke noget sted at lege, for rutsjebanen var spærret af med tape i over et år.",
        "Vi skrev til boligselskabet om legepladsen flere gange, før de endelig kom og skiftede sandet og satte nye gynger op.",
        "Den nye legeplads blev indviet med kage og saftevand, og så var der pludselig liv i gården igen.",
    ], 3, keys=("legeplads", "gynge", "rutsjebane", "klatrestativ")),
    Topic("affald", "Var der noget, der skabte irritation i hverdagen?", [
        "Det med at sortere affald var nyt for mange, og pap og plastik endte tit i den forkerte container.",
        "Affaldsøerne flød over, især i weekenderne, og så stod sækkene bare ved siden af.",
        "Vi lavede små skilte på flere sprog om sorteringen, for mange forstod simpelthen ikke, hvad der skulle hvor.",
    ], 2, keys=("affald", "sorter", "pap", "plastik")),
    Topic("grill", "Var der uenigheder om altanerne?", [
        "Om sommeren grillede folk på altanerne, og røgen fra kulgrillen gik lige ind ad vinduerne ovenover.",
        "Husordenen sagde, at man kun måtte bruge elgrill på altanen, men det var der ikke mange, der tog sig af.",
        "Engang brændte en engangsgrill hul i altangulvet, og så blev det forbudt at grille i det hele taget.",
    ], 2, keys=("grill", "kulgrill", "elgrill", "engangsgrill")),
    Topic("husleje", "Fyldte økonomien meget for beboerne?", [
        "Huslejen steg med næsten tusind kroner efter renoveringen, og det kunne mange familier slet ikke klare.",
        "Nogle kom til mig med rykkere, fordi de var bagud med lejen, og de var bange for at blive sat ud.",
        "Vi hjalp folk med at søge boligstøtte, for mange vidste ikke engang, at de havde ret til det.",
        "Huslejestigningen blev stemt igennem på et afdelingsmøde, hvor næsten ingen var mødt op.",
    ], 3, keys=("husleje", "lejen", "boligstøtte", "rykker", "bagud")),
]

FRESH2_EN_TOPICS = [
    Topic("mice", "Were there problems inside the flats?", [
        "We had mice in the kitchens all along the ground floor, droppings in the cupboards and chewed-up cereal boxes.",
        "One mum said she could hear them scratching behind the skirting boards every night and couldn't sleep.",
        "The council put traps and poison down but the mice kept coming back through the gaps round the pipes.",
    ], 2, keys=("mice", "mouse", "trap", "dropping")),
    Topic("playground", "What did parents say about the estate?", [
        "The play area was a disgrace, broken swings and glass in the sandpit, so mums took their kids to the park over the main road.",
        "There was nothing for the little ones, the slide had been taped off for over a year.",
        "We kept on at the association about the playground until they finally put new swings and a climbing frame in.",
        "When the new play area opened, you suddenly saw kids outside again after school.",
    ], 3, keys=("play", "swing", "slide", "sandpit", "climbing")),
    Topic("drinking", "Did anything make the estate feel unsafe?", [
        "A group of men used to sit drinking on the benches by the shops from about ten in the morning.",
        "You'd find empty cans and bottles all over the grass on a Monday, and sometimes worse.",
        "Some of the older ladies wouldn't walk past the drinkers, so they'd go the long way round to the chemist.",
    ], 2, keys=("drink", "cans", "bottle", "booze")),
    Topic("windows", "What state were the flats in?", [
        "The windows were the original single glazing from the seventies, and the draught through them was unbelievable.",
        "People taped cling film over their windows in winter just to keep some of the cold out.",
        "Some window frames were so rotten they wouldn't shut properly, and one actually fell out on the third floor.",
        "When the new double glazing finally went in, people said their flats felt like different homes.",
    ], 3, keys=("window", "glazing", "draught", "frame")),
]


# A fifth set, written by the session that added it before any change of its own and measured on main first:
# everyday things residents of social housing raise, as people tell them. Some repeat a plain word
# ("parabolerne", "bedbugs", "cameras"), some are told in compounds ("parabolantenne", "byggepladsen",
# "boremaskinerne"), some in varied words ("knallerterne", "scootere", "motorcykel"; "repairs", "leak",
# "contractors"); four of eight in three answers only. Never tune on it.
FRESH3_DA_TOPICS = [
    Topic("knallerter", "Var der noget, der gav uro om aftenen?", [
        "Og så var der knallerterne, altså. Drengene kørte rundt på stierne om aftenen og gassede op lige under vinduerne.",
        "Nogle af de unge havde fået fat i nogle gamle scootere, som de havde trimmet, og de larmede helt vildt nede på parkeringspladsen.",
        "En gang var der en knallert, der nær havde kørt en lille pige ned ved indgangen til børnehaven.",
        "Vi fik kommunen til at sætte bomme op, så man ikke kunne køre ind på gangstierne på knallert eller motorcykel.",
    ], 3, keys=("knallert", "scooter", "motorcykel")),
    Topic("paraboler", "Var der beslutninger, som beboerne var utilfredse med?", [
        "Boligselskabet ville have parabolerne ned fra altanerne, men for mange af de ældre var det den eneste måde at se tv hjemmefra på.",
        "Der var et stort møde om paraboler, og stemningen var meget ophedet, folk følte, at man ville tage noget fra dem.",
        "Til sidst fandt man en løsning med en fælles parabolantenne på taget, så altanerne kunne blive fri.",
    ], 2, keys=("parabol",)),
    Topic("kakerlakker", "Var der noget, folk havde svært ved at tale om?", [
        "I den ene blok havde de kakerlakker i køkkenerne, og folk skammede sig så meget, at de ikke ville sige det til nogen.",
        "Skadedyrsfolkene kom og sprøjtede i alle lejlighederne på én gang, ellers flytter krybet bare over til naboen.",
        "Det var værst om natten, når man tændte lyset i køkkenet, og kakerlakkerne løb ind under komfuret.",
    ], 2, keys=("kakerlak", "kryb", "sprøjt")),
    Topic("stillads", "Hvordan mærkede beboerne byggeriet?", [
        "Stilladset stod op ad vores blok i over et år, og der hang net for vinduerne, så stuerne var mørke hele vinteren.",
        "Håndværkerne startede med boremaskinerne klokken syv om morgenen, og dem, der havde haft nattevagt, blev jo vækket.",
        "Man kunne ikke bruge altanen, mens stilladserne stod der, og der lå støv over det hele.",
        "Byggepladsen tog halvdelen af parkeringspladsen, og lastbilerne holdt og spærrede indkørslen.",
    ], 3, keys=("stillads", "byggeplads", "håndværker", "boremaskin")),
]

FRESH3_EN_TOPICS = [
    Topic("bedbugs", "Were there things people found hard to talk about?", [
        "A couple of families had bedbugs, the kids were covered in bites and they had to throw their mattresses out.",
        "Pest control said every flat on the landing had to be treated at once, otherwise the bugs just move next door.",
        "People were embarrassed about the bedbugs, so nobody said anything until they had spread through the block.",
    ], 2, keys=("bedbug", "bug", "bite", "mattress")),
    Topic("repairs", "What did tenants complain about most?", [
        "Repairs were the thing people moaned about most, you'd report a leak and nobody came for weeks.",
        "The contractors would turn up, look at it, say they needed a part, and then you never saw them again.",
        "She had a broken toilet for a month and rang the repairs line every single day.",
        "We started keeping a log of every job people had reported and took it to the housing officer.",
    ], 3, keys=("repair", "leak", "contractor", "broken")),
    Topic("ballgames", "Where did the children play?", [
        "There were No Ball Games signs all over the estate, so the kids had nowhere to kick a ball about.",
        "The lads played football against the garage doors, and the banging drove the neighbours mad.",
        "In the end we got a bit of the green marked out for ball games and a couple of goals put up.",
    ], 2, keys=("ball", "football", "goal")),
    Topic("cctv", "Was there anything done about safety on the estate?", [
        "After the break-ins on the car park the association put up CCTV by the garages.",
        "Some residents liked the cameras, others felt watched every time they went out to the bins.",
        "The CCTV footage was useless anyway, it was so grainy you couldn't recognise anybody.",
        "People asked whether the cameras could see into their windows, and nobody could give them a straight answer.",
    ], 3, keys=("cctv", "camera", "footage")),
]


# sixth held-out set (written and measured on main e600b47 before the change of the session that added it,
# never to tune on): everyday health matters residents raise in a health-promotion project, told the way people
# talk, some with one plain word repeated, some in compounds, some in varied words, three of them in three answers
FRESH4_DA_TOPICS = [
    Topic("søvn", "Hvad spurgte folk om, når de kom til sundhedscaféen?", [
        "Mange fortalte, at de sov dårligt, de lå vågne om natten og tænkte på regningerne.",
        "Søvnen var faktisk det, folk spurgte mest ind til, især dem med skiftende arbejdstider.",
        "En kvinde sagde, at hun ikke havde fået en ordentlig nats søvn i månedsvis, og at hun var begyndt på sovepiller.",
        "Vi holdt et aftenmøde om søvnproblemer, og der kom flere end til noget andet, vi har lavet.",
    ], 3, keys=("søvn", "sov", "vågn", "vågen")),
    Topic("rygestop", "Var der nogen, der ville ændre vaner?", [
        "Der var en del, der gerne ville holde op med at ryge, så vi fik kommunens rygestopinstruktør ud i fælleshuset.",
        "Cigaretterne fylder jo meget i økonomien, nogle røg for over halvtreds kroner om dagen.",
        "Rygestopholdet startede med otte deltagere, og tre var stadig røgfri efter et halvt år.",
    ], 2, keys=("ryg", "røg", "cigaret", "smøg")),
    Topic("tænder", "Var der ting, folk sparede på?", [
        "Tandlægen er dyr, så mange af de voksne havde ikke været hos tandlægen i årevis.",
        "En mor fortalte, at hun selv gik rundt med tandpine, men børnene kom til børnetandplejen, for den er gratis.",
        "Vi fik en tandplejer til at komme og fortælle om tænder, og hun delte tandbørster ud til alle ungerne.",
    ], 3, keys=("tand", "tænd")),
    Topic("medicin", "Hvad fyldte for de ældre beboere?", [
        "Nogle af de ældre tog rigtig mange slags medicin og kunne ikke holde styr på, hvornår de skulle tage hvad.",
        "Vi havde en sygeplejerske, der kom og hjalp med at sortere pillerne i doseringsæsker.",
        "Der var en, der var holdt op med sine blodtrykspiller, fordi de var blevet for dyre på apoteket.",
        "Medicinen og bivirkningerne var noget, mange ikke turde spørge deres læge om.",
    ], 2, keys=("medicin", "pille", "apotek", "dosering", "bivirkning")),
]

FRESH4_EN_TOPICS = [
    Topic("gp", "What did people say about health services?", [
        "Getting a GP appointment was impossible, you'd ring at eight in the morning and be fortieth in the queue.",
        "A lot of people just gave up on the doctor's and went to A&E instead, because at least you'd be seen there.",
        "The surgery moved everything online, and the older ones couldn't book an appointment without their grandkids helping.",
    ], 2, keys=("gp", "doctor", "surgery", "appointment")),
    Topic("screens", "Did parents raise anything about the children?", [
        "Parents worried about screen time, the kids were on their phones or the Xbox till gone midnight.",
        "One dad said his lad hadn't been outside all summer, just gaming in his bedroom.",
        "We did a session on screens and sleep, and half the mums admitted they were on their phones just as much.",
        "The youth worker took the teenagers camping for a weekend, no phones allowed, and they moaned for about an hour.",
    ], 3, keys=("screen", "phone", "gaming", "xbox")),
    Topic("foodbank", "Did money worries come up?", [
        "The food bank at the church hall had run out by eleven most Saturdays.",
        "People were ashamed to be seen queuing for food parcels, so we started dropping them at the door.",
        "We had families who'd never needed a voucher before, working families, and that was new.",
    ], 3, keys=("foodbank", "parcel", "voucher")),
]


# seventh held-out set (written and measured on main a50cc8c before the change of the session that added it,
# never to tune on): everyday estate matters not in the sets above, some told through compounds whose shared part
# is the last one ("postkassen", "brevkasserne", "reklamer"), some in varied words ("tolk", "oversatte",
# "sproget"; "lonely", "isolated"), three of them in three answers only
FRESH5_DA_TOPICS = [
    Topic("postkasser", "Var der småting, der irriterede folk i opgangene?", [
        "Postkasserne nede i opgangen var så gamle, at lågerne hang og slingrede, og folk fik stjålet breve.",
        "Der blev proppet så mange reklamer i brevkasserne, at de vigtige breve fra kommunen forsvandt i bunken.",
        "Vi fik til sidst nye postkasser med lås, og navneskiltene blev skrevet om, så posten kom det rigtige sted hen.",
    ], 2, keys=("postkass", "brevkass", "reklame", "breve", "posten")),
    Topic("tolk", "Hvordan nåede I dem, der ikke talte dansk?", [
        "Mange af de ældre kvinder forstod ikke, hvad der blev sagt på møderne, så vi fik en tolk med.",
        "Vi oversatte indkaldelsen til arabisk, somali og tyrkisk, og så kom der pludselig langt flere.",
        "Sproget var en barriere, især når det handlede om regler og papirer fra boligselskabet.",
        "Nogle gange var det børnene, der måtte tolke for deres forældre, og det er jo ikke rimeligt.",
    ], 3, keys=("tolk", "oversat", "sprog", "arabisk")),
    Topic("selskabslokale", "Hvordan blev fælleshuset brugt?", [
        "Selskabslokalet kunne lejes for et par hundrede kroner, så der var fødselsdage og bryllupper næsten hver weekend.",
        "Der var ballade om udlejningen af festlokalet, for nogle bookede det hele året og andre kom aldrig til.",
        "Efter en fest blev lokalet efterladt svineri, og så indførte vi depositum og nøgleudlevering hos varmemesteren.",
    ], 2, keys=("selskabslokal", "festlokal", "lokalet", "udlejning", "depositum")),
    Topic("varmtvand", "Var der tekniske problemer i lejlighederne?", [
        "I flere måneder var der ikke ordentligt varmt vand, folk måtte stå og vente i ti minutter, før bruseren blev varm.",
        "Varmtvandsbeholderen i kælderen var for lille til blokken, så om morgenen var der kun koldt vand tilbage.",
        "Familierne med mange børn måtte varme vand i gryder for at kunne bade de mindste.",
    ], 2, keys=("varmtvand", "bruser")),
    Topic("hærværk", "Var der noget, der gik ud over fællesskabet?", [
        "Der var hærværk næsten hver weekend, ruderne i fælleshuset blev smadret, og bænkene blev væltet.",
        "Nogen havde sparket dørene ind til cykelkælderen og ødelagt lamperne på stien.",
        "Det kostede afdelingen mange penge at udbedre skaderne, og folk blev trætte af at betale for andres ødelæggelser.",
        "Efter endnu en runde med knuste ruder lavede vi en aftale med klubben om at have voksne ude om aftenen.",
    ], 3, keys=("hærværk", "smadr", "ødelag", "knust", "ruder", "skade")),
]

FRESH5_EN_TOPICS = [
    Topic("loneliness", "Who did the project struggle to reach?", [
        "A lot of the older tenants were really lonely, some of them hadn't spoken to anyone for days.",
        "There was one chap who'd lost his wife and just sat indoors with the telly on, completely isolated.",
        "We started a knock-on-the-door scheme so the people living on their own had somebody checking in on them.",
    ], 2, keys=("lonel", "isolat", "alone")),
    Topic("meters", "Did money worries come up around bills?", [
        "Most flats had prepayment meters, and people were topping up the key at the corner shop every couple of days.",
        "When the meter ran out on a Sunday night there was nowhere to top up, so families sat in the dark.",
        "Some were on the emergency credit all winter and then owed it all back as soon as they put money on.",
    ], 3, keys=("meter", "topping", "top-up")),
    Topic("access", "Was the estate easy to get around?", [
        "There were steps everywhere, so anyone in a wheelchair or with a pushchair basically couldn't get to the community room.",
        "One lady with a walking frame had to wait for her son to carry her down the stairs to get out.",
        "After a lot of pushing the council put a ramp in by the main entrance and lowered the kerbs.",
        "The lift to the upper walkway was broken so often that the wheelchair users just stopped coming.",
    ], 3, keys=("wheelchair", "pushchair", "ramp", "kerb")),
]


# An eighth set, to tune on (like ``main``), written by the session that tried gathering answers without one
# shared word (issue 13) before any change of its own: everyday estate matters not in the sets above, told as
# people tell them, in varied words and compounds ("låst ude", "ekstranøgle", "låsesmed"; "græsset",
# "plæneklippere", "græsslåmaskine"; "sweltering", "heatwave", "overheating"), three or four answers over two or
# three interviews each.
DEV6_DA_TOPICS = [
    Topic("nøgler", "Hvad kom folk ellers til jer med?", [
        "Der var mange, der låste sig ude, og låsesmeden kostede jo over tusind kroner om aftenen.",
        "Vi foreslog, at man kunne aflevere en ekstranøgle hos viceværten, hvis man smækkede døren i.",
        "En ældre dame stod ude på trappen i to timer, fordi hun havde glemt nøglerne inde i lejligheden.",
        "Så skulle der laves nye nøgler, og det tog tre uger, før boligselskabet fik dem bestilt.",
    ], 3, keys=("nøgle", "ekstranøgle", "låsesmed")),
    Topic("måger", "Var der noget ved gården, som generede folk?", [
        "Mågerne flænsede skraldeposerne, så der lå affald over hele gården hver morgen.",
        "Om sommeren skreg fuglene fra klokken fire, og folk kunne ikke sove med åbne vinduer.",
        "Nogen fodrede mågerne fra altanen med brødkrummer, og så kom der endnu flere.",
    ], 2, keys=("måge", "fugl", "fodre")),
    Topic("græsslåning", "Hvordan blev udearealerne passet?", [
        "Græsset blev kun slået en gang om måneden, så det stod helt op til knæene ved legepladsen.",
        "Gartnerne kom med de store plæneklippere klokken syv om morgenen, og det larmede helt vildt.",
        "Nogle beboere gik selv ud med deres egen græsslåmaskine, fordi boligselskabet ikke fik slået plænerne.",
        "Vi bad om, at der blev sået blomster i stedet for bare at klippe græsplænen.",
    ], 3, keys=("græs", "plæne", "gartner")),
]

DEV6_EN_TOPICS = [
    Topic("esol", "How did you reach residents who did not speak much English?", [
        "A lot of the mums wanted English classes, so we started an ESOL group on Tuesday mornings in the community room.",
        "Learning the language was the big thing for them; they wanted to read letters from the council and talk to the teachers.",
        "The conversation café helped more than the lessons, people practised speaking over tea without being afraid of mistakes.",
    ], 2, keys=("english", "esol", "language", "lesson", "conversation")),
    Topic("heat", "What were the flats like to live in?", [
        "In the summer the top floors were unbearable, it was sweltering and the windows only open a crack.",
        "During the heatwave people slept on their balconies because the bedrooms were so hot.",
        "We handed out electric fans to the older residents, some of them were really struggling with the heat.",
        "The cladding makes the flats like ovens, residents said they were overheating even at night.",
    ], 3, keys=("heat", "hot", "swelter", "fans", "overheat", "oven")),
]


TOPIC_SETS = {"main": (DA_TOPICS, EN_TOPICS), "checks": (CHECK_DA_TOPICS, CHECK_EN_TOPICS),
              "fresh": (FRESH_DA_TOPICS, FRESH_EN_TOPICS), "fresh2": (FRESH2_DA_TOPICS, FRESH2_EN_TOPICS),
              "fresh3": (FRESH3_DA_TOPICS, FRESH3_EN_TOPICS), "fresh4": (FRESH4_DA_TOPICS, FRESH4_EN_TOPICS),
              "fresh5": (FRESH5_DA_TOPICS, FRESH5_EN_TOPICS), "dev6": (DEV6_DA_TOPICS, DEV6_EN_TOPICS),
              "all": (DA_TOPICS + CHECK_DA_TOPICS + FRESH_DA_TOPICS + FRESH2_DA_TOPICS + FRESH3_DA_TOPICS + FRESH4_DA_TOPICS
                      + FRESH5_DA_TOPICS + DEV6_DA_TOPICS,
                      EN_TOPICS + CHECK_EN_TOPICS + FRESH_EN_TOPICS + FRESH2_EN_TOPICS + FRESH3_EN_TOPICS + FRESH4_EN_TOPICS
                      + FRESH5_EN_TOPICS + DEV6_EN_TOPICS)}


def _labels(path: Path, language: str) -> tuple[str, str] | None:
    """(interviewer label, respondent label) of a transcript, as condense reads it."""
    from condense.ingest import ingest

    try:
        corpus = ingest([path], language=language)
    except Exception:
        return None
    for t in corpus.transcripts:
        ivw = [s for s, role in t.speakers.items() if role == "interviewer"]
        resp = [turn.speaker for turn in t.turns if turn.role == "respondent"]
        if ivw and resp:
            return ivw[0], max(set(resp), key=lambda s: (resp.count(s), s))
    return None


def _plant_text(path: Path, pairs: list[tuple[str, str]], labels: tuple[str, str]) -> bool:
    text = path.read_text(encoding="utf-8")
    paras = text.split("\n\n")
    ivw = labels[0]
    spots = [i for i, p in enumerate(paras) if p.startswith(f"{ivw}:")]
    if len(spots) < 4:
        return False
    for n, (q, a) in enumerate(pairs):
        at = spots[(n + 1) * len(spots) // (len(pairs) + 2)] + 2 * n
        paras[at:at] = [f"{ivw}: {q}", f"{labels[1]}: {a}"]
    path.write_text("\n\n".join(paras), encoding="utf-8")
    return True


def _plant_docx(path: Path, pairs: list[tuple[str, str]], labels: tuple[str, str]) -> bool:
    import docx

    doc = docx.Document(str(path))
    ivw = labels[0]
    pat = re.compile(rf"^(?:\S+\s*=\s*)?{re.escape(ivw)}\s*:")
    spots = [p for p in doc.paragraphs if pat.match(p.text.strip())]
    if len(spots) < 4:
        return False
    for n, (q, a) in enumerate(pairs):
        before = spots[(n + 1) * len(spots) // (len(pairs) + 2)]
        before.insert_paragraph_before(f"{ivw}: {q}")
        before.insert_paragraph_before(f"{labels[1]}: {a}")
    doc.save(str(path))
    return True


def plant(folder: Path, topics: list[Topic], language: str) -> dict[str, str]:
    """Insert each topic's answers into ``spread`` interviews of ``folder``; returns answer → topic."""
    files = sorted(p for p in folder.iterdir() if p.suffix in (".txt", ".md", ".docx") and "guide" not in p.name.lower()
                   and "noter" not in p.name and p.name != "README.md")
    usable = []
    for p in files:
        labels = _labels(p, language)
        if labels and (p.suffix != ".docx" or "22" not in p.stem):
            usable.append((p, labels))
    planted: dict[str, str] = {}
    for t_index, topic in enumerate(topics):
        step = max(1, len(usable) // topic.spread)
        targets = []
        for s in range(len(usable)):
            candidate = usable[(t_index * 2 + s * step + s // topic.spread) % len(usable)]
            if candidate not in targets:
                targets.append(candidate)
        for i, answer in enumerate(topic.answers):
            if not _plant_answer(targets, topic, i, answer):
                raise RuntimeError(f"{topic.name}: no interview of {folder} takes the answer {answer[:40]!r}")
            planted[answer] = topic.name
    return planted


def _plant_answer(targets: list, topic: Topic, i: int, answer: str) -> bool:
    """Plant answer ``i`` of ``topic``: into its own interview first, then the others of its stride, then any
    other (a stride that divides the number of targets visits only some of them: two of the sample's four
    noise answers were silently never planted when those few were files the planter cannot write into)."""
    order = [(i % topic.spread + attempt * topic.spread) % len(targets) for attempt in range(len(targets))]
    order += [k for k in range(len(targets)) if k not in order]
    for k in order:
        path, labels = targets[k]
        if (_plant_docx if path.suffix == ".docx" else _plant_text)(path, [(topic.question, answer)], labels):
            return True
    return False


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _native_on_topic(group, topic: Topic, topic_of: dict[str, str], by_id: dict) -> int:
    """Units of the candidate that were in the corpus before planting and talk about the topic in its own key
    words (a word starting with one of ``topic.keys``): ecape's own talk about dogs or mould is on the topic."""
    out = 0
    for uid in group.unit_ids:
        if uid in topic_of or uid not in by_id:
            continue
        words = re.findall(r"[\w-]+", by_id[uid].text.lower())
        out += any(w.startswith(k) for w in words for k in topic.keys)
    return out


def _topic_row(d, topic: Topic, topic_of: dict[str, str], by_id: dict) -> dict:
    """One line of the table: the topic's recall in the candidate holding most of it, and that candidate's purity."""
    pool = set(d.not_grouped) | {uid for g in d.groups for uid in g.unit_ids}
    mine = {uid for uid, name in topic_of.items() if name == topic.name}
    found = mine & pool
    best = max(d.groups, key=lambda g: (len(found & set(g.unit_ids)), -g.size), default=None)
    hit = len(found & set(best.unit_ids)) if best else 0
    native = _native_on_topic(best, topic, topic_of, by_id) if best and hit else 0
    also = len((mine - pool) & set(best.also_coded)) if best and hit else 0
    return {"topic": topic.name, "planted": len(topic.answers), "units": len(mine), "uncovered": len(found), "also": also,
            "interviews": len({uid.rsplit(":", 2)[0] for uid in found}),
            "recall": hit / len(found) if found else 0.0,
            "strict": hit / best.size if best and hit else 0.0,
            "purity": (hit + native) / best.size if best and hit else 0.0, "native": native,
            "candidate": best.label if best and hit else "-",
            "rank": d.groups.index(best) + 1 if best and hit else 0}


def _needs() -> tuple[int, int]:
    """Units and interviews every candidate needs (the defaults of :class:`condense.emergent.Thresholds`)."""
    from condense.emergent import Thresholds

    th = Thresholds()
    return th.min_size, th.min_interviews


def _findable(row: dict) -> bool:
    """The topic's discoverable units could make a candidate at all: enough of them, in enough interviews."""
    size, interviews = _needs()
    return row["uncovered"] >= size and row["interviews"] >= interviews


def _verdict(row: dict, good: bool) -> str:
    """The mark after a row: nothing for a topic found; why not, otherwise."""
    if good:
        return ""
    if not _findable(row):
        size, interviews = _needs()
        return (f"   <-- not findable: {row['uncovered']} uncovered unit(s) in {row['interviews']} interview(s) "
                f"(a candidate needs {size} in {interviews})")
    return "   <-- below target"



def _shared_word(mine: list, docs: dict[str, list[str]]) -> tuple[str, int, int]:
    """The word of discovery's representation (``docs``: each unit's words) that most of a topic's uncovered
    units use, one said in as many units and interviews as a candidate needs first: (word, units,
    interviews); ("", 0, 0) when they share none."""
    units: dict[str, set[str]] = {}
    for u in mine:
        for w in set(docs[u.unit_id]):
            units.setdefault(w, set()).add(u.unit_id)
    size, interviews = _needs()
    shared = [(w, len(ids), len({uid.rsplit(":", 2)[0] for uid in ids})) for w, ids in units.items() if len(ids) >= 2]
    if not shared:
        return "", 0, 0
    return min(shared, key=lambda s: (not (s[1] >= size and s[2] >= interviews), -s[1], -s[2], s[0]))


def _anchor_verdict(word: str, space) -> str:
    """Why a word several of a topic's answers share anchors no group, or "" when it may anchor one."""
    from condense.emergent import MIN_RARITY

    if word not in space["index"]:
        return f"shared word no anchor: '{word}' is no column of the pool (in too few units or interviews there, a name, or corpus-wide)"
    rarity = float(space["rarity"][space["index"][word]])
    if rarity < MIN_RARITY:
        return f"shared word no anchor: '{word}' is too common in the language (rarity {rarity:.2f} < {MIN_RARITY})"
    return ""


def _pool_space(units: list, pool_ids: set[str], language: str) -> dict:
    """The pool's columns, their rarity and each unit's words (content lemmas, the first parts of its
    compounds, family terms), as discovery's representation makes them."""
    from condense.emergent import TermSpace, corpus_common, corpus_words

    display, lemmas = corpus_words(units, language)
    by_unit = dict(zip((u.unit_id for u in units), lemmas))
    rep = TermSpace(language, display=display, common=corpus_common(units, language, by_unit), sentence_starts=True)
    pool = sorted((u for u in units if u.unit_id in pool_ids), key=lambda u: u.unit_id)
    rep.fit_transform(pool)
    return {"index": {w: j for j, w in enumerate(rep.vocabulary or [])}, "rarity": rep.rarity,
            "docs": {u.unit_id: doc for u, doc in zip(pool, rep.docs)}}


def why_lost(d, row: dict, mine: list, space: dict) -> str:
    """The stage of discovery that loses a topic below target: its units are coded (not findable); no word is
    shared by as many of its uncovered answers as a candidate needs (no single word, hence no pair of words,
    can gather it); the shared word anchors no group; the answers are split over candidates or merged into a
    bigger one; or a group of them was cut (quality cut or stability; neither is told apart here)."""
    if not _findable(row):
        return "not findable: its answers are coded"
    size, interviews = _needs()
    word, n, spread = _shared_word(mine, space["docs"])
    if n < size or spread < interviews:
        return (f"no shared word: none in {size} of its uncovered answers over {interviews} interviews"
                + (f" (best: '{word}', {n} answers, {spread} interview(s))" if word else ""))
    verdict = _anchor_verdict(word, space)
    if verdict:
        return verdict
    ids = {u.unit_id for u in mine}
    holders = [g.label for g in d.groups if ids & set(g.unit_ids)]
    if row["recall"] >= 0.6:
        return f"merged: {1 - row['purity']:.0%} of the units of its candidate are on other things"
    if holders:
        return "split: over " + "; ".join(holders[:3])
    return f"cut: anchored by '{word}', but no group of it passed the quality cut and stability"


def _add_why(d, rows: list[dict], topics: list[Topic], topic_of: dict[str, str], units: list, language: str) -> None:
    """Each row below target gets ``why`` (:func:`why_lost`)."""
    pool_ids = set(d.not_grouped) | {uid for g in d.groups for uid in g.unit_ids}
    space = _pool_space(units, pool_ids, language)
    for row, topic in zip(rows, topics):
        if row["recall"] >= 0.6 and row["purity"] >= 0.7:
            continue
        mine = [u for u in units if topic_of.get(u.unit_id) == topic.name and u.unit_id in pool_ids]
        row["why"] = why_lost(d, row, mine, space)


def link_counts(docs: list[list[str]], anchors: set[str]) -> dict[int, tuple[int, int]]:
    """For units linked when they share at least k words that may anchor a group (k = 1, 2): (pairs linked,
    units in the largest chain of links, i.e. connected component). A topic told in varied words can only be
    gathered by chains if its answers are linked and the chains do not run through the whole pool."""
    from scipy import sparse
    import numpy as np
    from scipy.sparse.csgraph import connected_components

    vocab = {w: j for j, w in enumerate(sorted(anchors))}
    rows = [(i, vocab[w]) for i, doc in enumerate(docs) for w in set(doc) if w in vocab]
    B = sparse.csr_matrix(([1] * len(rows), ([r for r, _ in rows], [c for _, c in rows])),
                          shape=(len(docs), max(len(vocab), 1)), dtype=int)
    S = (B @ B.T).tolil()
    S.setdiag(0)
    S = S.tocsr()
    out = {}
    for k in (1, 2):
        linked = (S >= k).astype(int)
        _, label = connected_components(linked, directed=False)
        out[k] = (int(linked.nnz // 2), int(np.bincount(label).max()) if len(docs) else 0)
    return out


def _add_links(d, rows: list[dict], topics: list[Topic], topic_of: dict[str, str], units: list, language: str) -> dict:
    """``--links``: each row below target gets ``links`` (its uncovered answers' pairs sharing one and two
    anchor words, :func:`link_counts`); returns the same counts for the whole pool."""
    from condense.emergent import MIN_RARITY

    pool_ids = sorted(set(d.not_grouped) | {uid for g in d.groups for uid in g.unit_ids})
    space = _pool_space(units, set(pool_ids), language)
    anchors = {w for w, j in space["index"].items() if float(space["rarity"][j]) >= MIN_RARITY}
    for row, topic in zip(rows, topics):
        if row["recall"] >= 0.6 and row["purity"] >= 0.7:
            continue
        mine = [uid for uid in pool_ids if topic_of.get(uid) == topic.name]
        if len(mine) < 2:
            continue
        counts = link_counts([space["docs"][uid] for uid in mine], anchors)
        row["links"] = f"{counts[1][0]} of its {len(mine) * (len(mine) - 1) // 2} answer pairs share an anchor word, {counts[2][0]} share two"
    return link_counts([space["docs"][uid] for uid in pool_ids], anchors)


def measure(project_path: Path | None, folder: Path, topics: list[Topic], language: str, seed: int,
            why: bool = False, links: bool = False) -> dict:
    from condense.emergent import discover, emergent_options, is_stop
    from condense.pipeline import coded_units
    from condense.project import folder_project, load_project

    planted = plant(folder, topics, language)
    project = load_project(project_path) if project_path else folder_project(folder)
    started = time.perf_counter()
    codebook, units, codings, _ = coded_units(project)
    options = emergent_options(project.emergent)
    options["random_state"] = seed
    d = discover(units, codings, codebook, **options)
    seconds = time.perf_counter() - started
    keys = {_norm(a)[:60]: name for a, name in planted.items()}
    topic_of = {}
    for u in units:
        norm = _norm(u.text)
        for k, name in keys.items():
            if k in norm:
                topic_of[u.unit_id] = name
    rows = [_topic_row(d, topic, topic_of, {u.unit_id: u for u in units}) for topic in topics]
    if why:
        _add_why(d, rows, topics, topic_of, units, language)
    pool_links = _add_links(d, rows, topics, topic_of, units, language) if links else None
    largest = max((g.size for g in d.groups), default=0)
    from wordfreq import zipf_frequency

    # a stop word: in condense's lists, or among the most frequent words of the language (Zipf ≥ 6, an
    # independent check: "and", "have", "det", "være" …)
    bad_labels = [g.label for g in d.groups
                  if any(is_stop(w, language) or zipf_frequency(w, language) >= 6.0
                         for w in re.findall(r"[\w'-]+", g.label.lower()))]
    return {"rows": rows, "n_pool": d.n_uncovered, "n_groups": len(d.groups), "largest_share": largest / max(d.n_uncovered, 1),
            "shortlist": d.shortlist or len(d.groups),
            "not_grouped": len(d.not_grouped), "bad_labels": bad_labels, "seconds": seconds, "links": pool_links,
            "labels": [f"{g.label} ({g.size} units, {len(g.transcripts)} interviews, coherence {g.coherence:.2f}, "
                       f"distinctiveness {g.distinctiveness:.2f}, stability {g.stability:.2f})" for g in d.groups]}


def _print_causes(results: dict) -> None:
    """One line: how many topics below target each stage loses (:func:`why_lost`), largest first."""
    causes = Counter(row["why"].split(":")[0]
                     for r in results.values() for row in r["rows"] if row.get("why"))
    print("LOST " + "; ".join(f"{n} {cause}" for cause, n in sorted(causes.items(), key=lambda kv: (-kv[1], kv[0]))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="sample,en,ecape")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ecape", type=Path, default=ECAPE,
                        help="the folder of ecape_da's interviews (default: ../shared/data/ecape_da beside the "
                             "checkout; a git worktree elsewhere names it here)")
    parser.add_argument("--show", action="store_true", help="list every candidate's label")
    parser.add_argument("--why", action="store_true",
                        help="for each topic below target, the stage of discovery that loses it, and a count of them")
    parser.add_argument("--links", action="store_true",
                        help="for each topic below target, how many pairs of its answers share one and two words that may "
                             "anchor a group, and for the pool how far such links chain")
    parser.add_argument("--topics", default="main",
                        help="the planted topics: main (default) or dev6 (both to tune on), checks, fresh, fresh2, fresh3, fresh4 or fresh5 "
                             "(never tune on these six) or all; several, comma-separated, are planted and measured "
                             "one set at a time and summed up in a table of the sets and a HELDOUT line (the six sets "
                             "never tuned on)")
    args = parser.parse_args(argv)
    names = args.topics.split(",")
    unknown = [n for n in names if n not in TOPIC_SETS]
    if unknown:
        parser.error(f"--topics: unknown set(s) {', '.join(unknown)}; choose from {', '.join(sorted(TOPIC_SETS))}")
    sums = {}
    for set_name in names:
        if len(names) > 1:
            print(f"== {set_name}")
        sums[set_name] = _measure_set(args, set_name)
    if len(names) > 1:
        _print_sets(sums)
    return 0


HELD_OUT = ("checks", "fresh", "fresh2", "fresh3", "fresh4", "fresh5")  # written to judge changes, never tuned on


def _measure_set(args, set_name: str) -> dict:
    """Plant one set of topics into each corpus, print its table and SUMMARY line; returns the set's figures."""
    da_topics, en_topics = TOPIC_SETS[set_name]
    sources = {"sample": (ROOT / "transcripts_sample", da_topics, "da"),
               "en": (ROOT / "transcripts_sample" / "en", en_topics, "en"),
               "ecape": (args.ecape, da_topics, "da")}
    results = {}
    for name in args.corpus.split(","):
        src, topics, language = sources[name]
        if not src.exists():
            print(f"{name}: {src} not found, skipped")
            continue
        with tempfile.TemporaryDirectory(prefix=f"condense-recall-{name}-") as tmp:
            folder = Path(tmp) / "corpus"
            shutil.copytree(src, folder, ignore=shutil.ignore_patterns("Interviewguide*", "decisions.csv",
                                                                       "condensates.csv", "reference_coding.csv"))
            project = folder / "condense.yaml" if (folder / "condense.yaml").exists() else None
            if project is None and name == "ecape":
                (folder / "condense.yaml").write_text(f"transcripts: .\nlanguage: da\ncodebook: {ROOT / 'codebooks' / 'beboerinddragelse.da.yaml'}\n",
                                                      encoding="utf-8")
                project = folder / "condense.yaml"
            elif project is not None:
                text = project.read_text(encoding="utf-8").replace("../../codebooks/", f"{ROOT / 'codebooks'}/")
                project.write_text(text, encoding="utf-8")
            results[name] = measure(project, folder, topics, language, args.seed, why=args.why, links=args.links)
    return _print_results(results, args)


def _print_results(results: dict, args) -> dict:
    """The table of one set's topics, per corpus its pool line, and the SUMMARY line; returns the set's figures."""
    print(f"{'corpus':7} {'topic':12} {'planted':>7} {'units':>5} {'uncov':>5} {'recall':>6} {'purity':>6} {'strict':>6} "
          f"{'native':>6} {'also':>4} {'rank':>4}  candidate")
    ok = True
    worst_recall, worst_purity, worst_share, worst_strict = 1.0, 1.0, 0.0, 1.0
    n_topics = n_found = n_shown = n_findable = 0
    recalls: list[float] = []
    purities: list[float] = []
    for name, r in results.items():
        shown = 0
        for row in r["rows"]:
            n_topics += 1
            good = row["recall"] >= 0.6 and row["purity"] >= 0.7
            ok &= good
            n_found += good
            n_findable += _findable(row)
            shown += good and 0 < row["rank"] <= r["shortlist"]
            worst_recall = min(worst_recall, row["recall"])
            recalls.append(row["recall"])
            purities.append(row["purity"])
            worst_purity = min(worst_purity, row["purity"])
            worst_strict = min(worst_strict, row["strict"])
            print(f"{name:7} {row['topic']:12} {row['planted']:7d} {row['units']:5d} {row['uncovered']:5d} "
                  f"{row['recall']:6.2f} {row['purity']:6.2f} {row['strict']:6.2f} {row['native']:6d} {row['also']:4d} {row['rank']:4d}  "
                  f"{row['candidate']}{_verdict(row, good)}")
            if row.get("why"):
                print(f"{'':7} {'':12} lost: {row['why']}")
            if row.get("links"):
                print(f"{'':7} {'':12} links: {row['links']}")
        n_shown += shown
        worst_share = max(worst_share, r["largest_share"])
        ok &= r["largest_share"] <= 0.25 and not r["bad_labels"]
        print(f"{name:7} uncovered={r['n_pool']} candidates={r['n_groups']} not_grouped={r['not_grouped']} "
              f"largest_share={r['largest_share']:.3f} stopword_labels={len(r['bad_labels'])} shortlisted={shown} "
              f"discover+code={r['seconds']:.1f}s")
        if r["links"]:
            (one, big_one), (two, big_two) = r["links"][1], r["links"][2]
            print(f"{name:7} links: {one} pairs of uncovered units share an anchor word (largest chain {big_one} units), "
                  f"{two} share two (largest chain {big_two})")
        if args.show:
            for label in r["labels"]:
                print(f"          {label}")
    if args.why:
        _print_causes(results)
    print(f"SUMMARY topics={n_topics} found={n_found} min_recall={worst_recall:.2f} min_purity={worst_purity:.2f} "
          f"min_strict_purity={worst_strict:.2f} "
          f"max_largest_share={worst_share:.3f} shortlisted={n_shown} target_met={'yes' if ok else 'no'} "
          f"findable={n_findable} mean_recall={_mean(recalls):.2f} mean_purity={_mean(purities):.2f}")
    return {"topics": n_topics, "found": n_found, "findable": n_findable, "mean_recall": _mean(recalls),
            "mean_purity": _mean(purities), "largest_share": worst_share}


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _print_sets(sums: dict) -> None:
    """One line a set (found of its topics, of them findable; mean recall and purity over its topics; the largest
    candidate's share of the uncovered units), then the HELDOUT line: the sets never tuned on, summed."""
    print(f"{'set':7} {'found':>5} {'findable':>8} {'topics':>6} {'recall':>6} {'purity':>6} {'largest':>7}")
    for name, f in sums.items():
        print(f"{name:7} {f['found']:5d} {f['findable']:8d} {f['topics']:6d} {f['mean_recall']:6.2f} "
              f"{f['mean_purity']:6.2f} {f['largest_share']:7.3f}")
    held = [f for name, f in sums.items() if name in HELD_OUT]
    if held:
        print(f"HELDOUT sets={len(held)} found={sum(f['found'] for f in held)} "
              f"findable={sum(f['findable'] for f in held)} topics={sum(f['topics'] for f in held)}")


if __name__ == "__main__":
    raise SystemExit(main())
