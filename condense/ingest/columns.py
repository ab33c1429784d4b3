"""The columns of a table brought in from elsewhere: which header names which field, what a cell holds.

Shared by coding done elsewhere (:mod:`condense.coded`: long tables, 0/1 grids) and tables of open answers
(:mod:`condense.ingest.answers`), so a header reads the same in both.
"""
from __future__ import annotations

import re

from .sources import normalise

__all__ = ["FIELDS", "ALIASES", "IDENTIFIER", "MARKS", "NOT_APPLIED", "QUESTION_HEADERS", "TEXT_HEADERS",
           "PERSONAL_HEADERS", "SUBHEADER_CELLS", "SYSTEM_HEADERS",
           "RESPONDENT_HEADERS", "header_key", "clean_cell", "fields_of"]

FIELDS = ("unit_id", "unit", "text", "interview", "case", "dimension", "theme", "subtheme", "code", "excerpt",
          "coder")
#: header (case-folded, spaces/underscores as one space) → field, when ``columns`` does not say
ALIASES = {
    "unit id": "unit_id", "unit": "unit", "text": "text", "full text": "text", "full response text": "text",
    "response": "text", "answer": "text", "segment": "text", "interview": "interview", "transcript": "interview",
    "participant": "interview", "participant id": "interview", "participant number": "interview",
    "respondent": "interview", "informant": "interview", "document": "interview", "source": "interview",
    "case": "case", "cases": "case", "dimension": "dimension", "theme": "theme", "category": "theme",
    "subtheme": "subtheme", "sub theme": "subtheme", "code": "code", "codes": "code", "code path": "code",
    "code level3": "code", "excerpt": "excerpt", "coded text": "excerpt", "coded text excerpt": "excerpt",
    "quote": "excerpt", "coder": "coder", "user": "coder", "annotator": "coder",
    # as QDA programs export coded segments: MAXQDA ("Document name", "Code", "Segment", "Created by"), ATLAS.ti
    # ("Document", "Quotation Content", "Codes"), QualCoder ("File", "Codename", "Coded text")
    "document name": "interview", "document title": "interview", "file": "interview", "file name": "interview",
    "filename": "interview", "code name": "code", "codename": "code", "quotation content": "text",
    "created by": "coder",
}
# a header naming an identifier ("track_id", "Respondent ID", "id") that is no field: its cells are keys, and as a
# code every one of them counted as applied (an uncoded answer sheet read as 784 units all coded "track_id")
IDENTIFIER = re.compile(r"(?:.*[\s_\-])?id", re.I)
MARKS = {"1", "1.0", "x", "true", "yes", "ja"}
NOT_APPLIED = {"", "0", "0.0", "false", "no", "nej", "nan"}
#: headers (folded by header_key) that name a question column
QUESTION_HEADERS = {"question", "questions", "spørgsmål", "item", "prompt", "survey question"}
#: headers of the answer text beyond ALIASES' ``text`` field
TEXT_HEADERS = {"svar", "besvarelse", "tekst", "kommentar", "kommentarer", "comment", "comments", "open answer",
                "free text", "fritekst", "answer text", "response text"}
#: headers of the respondent beyond ALIASES' ``interview`` field
RESPONDENT_HEADERS = {"respondent id", "respondentid", "respondent number", "respondentnummer", "respondent nr",
                      "response id", "responseid", "deltager", "deltager id", "svarperson", "person", "interviewperson",
                      "id"}  # (Qualtrics: ResponseId; SurveyXact and others: RespondentID)

#: headers (folded by header_key) of columns that say who a respondent is, as survey tools export them
#: (SurveyMonkey, Qualtrics, SurveyXact, Google Forms): never an attribute, never in an output
PERSONAL_HEADERS = {
    "ip", "ip address", "ipaddress", "ip-adresse", "ip adresse", "email", "e-mail", "email address", "e-mail address",
    "emailadresse", "e-mailadresse", "e-mail-adresse", "mail", "mailadresse", "recipientemail", "recipient email",
    "name", "full name", "first name", "last name", "surname", "recipientfirstname", "recipientlastname",
    "recipient first name", "recipient last name", "navn", "fulde navn", "fornavn", "efternavn", "phone",
    "phone number", "telephone", "mobile", "mobile number", "telefon", "telefonnummer", "tlf", "tlf.", "mobil",
    "mobilnummer", "address", "street address", "home address", "adresse", "bopæl", "cpr", "cpr-nummer", "cpr nummer",
    "cpr-nr", "cpr-nr.", "cpr nr", "personnummer", "latitude", "longitude", "locationlatitude", "locationlongitude",
    "location latitude", "location longitude",
}
#: headers (folded by header_key) of a survey tool's bookkeeping (Qualtrics, SurveyMonkey): attributes a project may
#: crosstab by name, but never a code column (Qualtrics' Finished is True/False) nor crosstabbed by default
SYSTEM_HEADERS = {
    "startdate", "start date", "enddate", "end date", "status", "response type", "progress", "duration",
    "duration (in seconds)", "finished", "recordeddate", "recorded date", "externalreference", "external reference",
    "external data reference", "distributionchannel", "distribution channel", "userlanguage", "user language",
    "collector id", "collectorid", "q recaptchascore", "q relevantidduplicate", "q relevantidduplicatescore",
    "q relevantidfraudscore", "q relevantidlaststartdate",
}
#: cells of a second header row under a survey export's questions ("Open-Ended Response" in SurveyMonkey)
SUBHEADER_CELLS = {"response", "responses", "open-ended response", "open ended response", "answer", "svar",
                   "åbent svar", "fritekst", "comment", "kommentar"}

def header_key(text: str) -> str:
    """How headers and code names compare: normalised (NFC, odd spaces plain, invisible formatting characters
    gone), case-folded, runs of space/underscore as one space."""
    return re.sub(r"[\s_]+", " ", normalise(str(text))).strip().casefold()


def clean_cell(text) -> str:
    """A cell's text as transcripts are read: normalised (a zero-width space or a right-to-left mark copied in
    from a word processor would split a code name or a word unseen), runs of white space as one space."""
    return " ".join(normalise("" if text is None else str(text)).split())


def fields_of(header: list[str], columns: dict[str, str]) -> dict[str, str]:
    """header → field for the headers that name a field (explicit mapping first, then the aliases)."""
    out = {}
    taken = set()
    for h in header:
        fld = columns.get(header_key(h))
        if fld:
            out[h] = fld
            taken.add(fld)
    for h in header:
        if h in out or header_key(h) in columns:
            continue
        fld = ALIASES.get(header_key(h))
        if fld and fld not in taken:
            out[h] = fld
            taken.add(fld)
    return out
