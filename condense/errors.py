"""Coded errors and warnings.

Every problem a user can cause has a code, a message that names what failed and where, and a fix.
E1xx ingest, E2xx codebook, E3xx coding, E4xx project/run, E5xx review/agreement, E6xx REFI-QDA,
E7xx reliability (safe writing, input limits, spreadsheet safety, model files).
W-codes are warnings: counted, reported once, never fatal.

The library raises :class:`CondenseError` (or :class:`CondenseErrors` for several at once) and
collects warnings in a :class:`Diagnostics`; only the CLI prints.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "CATALOGUE", "CondenseError", "CondenseErrors", "Warning_", "Diagnostics", "did_you_mean",
    "display_path", "first_few", "file_error", "link_loop", "file_errors_coded",
]

# code -> (template, fix). Templates are filled with keyword arguments.
CATALOGUE: dict[str, tuple[str, str]] = {
    # ingest
    "E101": ("File not found: {path}", "Check the path; a PATH may be a transcript file or a folder of them."),
    "E102": ("Unsupported file type '{ext}' for {path}{hint}",
             "Transcripts must be .txt, .md, .docx, .odt, .rtf, .vtt or .srt; excerpts for `condense code` .csv or .xlsx."),
    "E103": ("The file is empty: {path}", "Remove it from the folder or paste the transcript into it."),
    "E104": ("This looks like a binary file, not a transcript: {path}",
             "Export the transcript as .txt, .docx, .odt, .rtf, .vtt or .srt and try again."),
    "E105": ("Undecodable bytes at byte {offset} (line {line}) of {path}: neither UTF-8 nor Windows-1252",
             "Re-save the file as UTF-8 (in Word: Save As > Plain Text > Unicode (UTF-8))."),
    "E106": ("Transcript id '{id}' is used twice: {first} and {second}",
             "Give each transcript its own `id` in its front matter or in transcripts.csv."),
    "E107": ("Invalid YAML front matter in {path}, line {line}: {detail}",
             "Front matter goes between two lines of `---` at the top and must be valid YAML (key: value)."),
    "E108": ("Unknown front-matter key '{key}' in {path}, line {line}{hint}",
             "Allowed keys: id, cases, language, kind, anonymous, interviewer_labels, interviewer, respondent, place, "
             "title, date, duration, note."),
    "E109": ("{path}, line {line}: column '{column}' is missing",
             "The first line must name the columns; {required}."),
    "E110": ("{path}, line {line}: '{value}' is not a valid value for {field}",
             "{expected}"),
    "E111": ("The {kind} file cannot be opened: {path} ({detail})",
             "Open it in {app} and save it again as {ext}; password-protected files cannot be read."),
    "E112": ("No transcripts found in {path}{sub}",
             "A folder is read for .txt, .md, .docx, .odt, .rtf, .vtt and .srt files (README.md excluded); a table of open "
             "answers (.csv, .tsv, .xlsx) is read when you name it: `condense run answers.csv`."),
    "E113": ("Unclosed [[withdrawn]] marker in {path}, line {line}",
             "Close the withdrawn passage with [[/withdrawn]]; until then everything after the marker is withheld."),
    "E114": ("Unknown language '{language}' in {path}{where}",
             "Use `da` (Danish) or `en` (English)."),
    "E115": ("Line {line} of transcripts.csv names '{name}', but no such transcript file is in {folder}",
             "Fix the file name in the `transcript` column or remove the line."),
    "E116": ("{path}: no open answers to read (line 1 names: {columns})",
             "A table of answers needs a column of answer text (`text`, `answer`, `response`, `svar` …) or one "
             "column per open question whose cells are the answers; a table of 0/1 code columns is coded data "
             "(`condense tables`)."),
    "E117": ("{path} is output of `condense {kind}` (its folder {folder} holds condense's manifest.json), not transcripts",
             "Give the transcripts the run read (the project folder or its transcripts), e.g. `condense run transcripts`; "
             "a results folder is only read by `condense tables PROJECT --codings {folder}/codings.csv` and `condense audit`."),
    # codebook
    "E201": ("Cannot read codebook {path}: {detail}", "Check the path and that the file is valid YAML."),
    "E202": ("Unknown key '{key}' in {where} ({path}, line {line}){hint}", "Allowed keys here: {allowed}."),
    "E203": ("Missing required key '{key}' in {where} ({path}, line {line})", "Add `{key}:` to {where}."),
    "E204": ("{kind} '{id}' in {where} is defined twice ({path}, lines {first} and {second})",
             "Ids must be unique within their {scope}; rename one of them."),
    "E205": ("Wrong type for '{key}' in {where} ({path}, line {line}): expected {expected}, got {got}",
             "Write {key} as {expected}."),
    "E206": ("Unknown language '{language}' in {path}, line {line}", "Use `language: da` or `language: en`."),
    "E207": ("Invalid id '{id}' in {where} ({path}, line {line}): ids must be ASCII letters, digits and _",
             "Write it as '{suggestion}' (æ→ae, ø→oe, å→aa)."),
    "E208": ("Invalid value '{value}' for '{key}' in {where} ({path}, line {line})", "Allowed: {allowed}."),
    "E209": ("Id '{id}' exists in both {a} and {b}", "Rename the candidate's id, or drop one of them, then merge again."),
    "E210": ("Codebook {path} has no dimensions", "Add a `dimensions:` list with at least one dimension."),
    "E211": ("Key '{key}' is given twice in {where} ({path}, lines {first} and {second}); YAML would keep only the "
             "second and drop the first's values", "Keep one `{key}:` and put the values of both under it."),
    "E212": ("Codebook {path} is a REFI-QDA {kind}, not a condense codebook (YAML)",
             "Import it first: `condense codebook import {quoted} --out codebook.yaml`, then give codebook.yaml (its "
             "themes have no words yet: add the terms the rule coder should find)."),
    "E213": ("Codebook {path} is {what} ({ending}), not a condense codebook (YAML)",
             "condense reads a codebook written in YAML (`condense init` writes a blank one). From NVivo, ATLAS.ti, "
             "MAXQDA or QualCoder, export the codebook as REFI-QDA (.qdc) and run `condense codebook import FILE.qdc "
             "--out codebook.yaml`; codes listed in a workbook or document, write into the YAML's themes."),
    "E214": ("Codebook {path} is {what}, not a condense codebook (YAML)", "{fix}"),
    "W201": ("Theme '{id}' in {where} has no terms or phrases ({path}, line {line}); it can only be coded by hand or by review",
             "Add `terms:` if the rule coder should find it."),
    "W203": ("{n} themes in {where} have no terms or phrases ({path}: {first}); they can only be coded by hand or by "
             "review",
             "Add `terms:` to those the rule coder should find (a codebook from another QDA program has none; "
             "`condense codebook show` gives each theme's words)."),
    "W204": ("{n} candidate theme(s) were merged as condense proposed them, their labels still 'Kandidat: …' / "
             "'Candidate: …' ({ids})",
             "A proposal is not a theme yet: in {path}, rename each one you keep, write its description and check its "
             "words, and delete the others; they are coded on the next run like your own themes."),
    "W206": ("Themes '{first}' and '{second}' in {where} have one label, '{label}', capitals and spaces aside ({path}, "
             "lines {line_first} and {line})",
             "Tables, the report and the review sheet name themes by their labels: give each its own."),
    "W202": ("Term '{term}' in {key} of theme '{id}' in {where} ({path}, line {line}): {problem}",
             "List the words themselves (e.g. sundhed, sundhedsfremme, sund for 'sund*'): every inflected form of a "
             "word and compounds ending in it already match."),
    "W205": ("Term '{term}' in {key} of theme '{id}' in {where} ({path}, line {line}) is an everyday word (on the coder's stop list), "
             "so it matches units whatever they are about and the theme can become a catch-all",
             "Give words that carry the theme's meaning, or a phrase (under `phrases:`, matched in its order); review the "
             "theme's units if you keep it."),
    # coding
    "E301": ("{path} has no `text` column (line 1)",
             "Pre-segmented input needs a `text` column; optional: id, case, speaker, question."),
    "E302": ("{path}, line {line}: the id '{id}' is used twice", "Each excerpt needs its own id, or leave the id column empty."),
    "E303": ("Model folder {path} cannot be used: {detail}", "Train one with `condense learn CODINGS --out MODEL`."),
    # project / run
    "E401": ("Project file {path}, line {line}: {detail}", "{fix}"),
    "E402": ("{what} {path} cannot be written: {detail}", "{fix}"),
    "E403": ("{path}, line {line}: {detail}", "{fix}"),
    # project / verbs (issue 9: E404–E419, W401–W419)
    "E404": ("{path}, line {line}: dimension '{dimension}' / theme '{theme}' is not in the codebook",
             "Code with the codebook the codings were made with, or fix the ids in the codings file."),
    "E406": ("Project file {path}, line {line}: `{key}` must be {expected}, not {got}",
             "Write {example} (`condense init` writes a commented project file)."),
    "E407": ("Project file {path}, line {line}: '{value}' is not a valid `{key}`", "Use one of: {allowed}."),
    "E405": ("No saved codings at {path}",
             "Run `condense run` first (it writes codings.csv), or name a codings file with --codings."),
    # issue 9 (j9b): E412–E419, W410–W419
    "E408": ("{command}: {detail}", "See `{command} --help` for the commands, options and values it takes."),
    "E412": ("{path}, line {line}: golden_unit_id names an anonymous respondent's unit by its real transcript id",
             "Write its public id {public} (as the run's outputs show it), so the file does not tie the respondent "
             "to the interview."),
    # review / agreement
    "E501": ("{path}, row {row}: unknown theme '{theme}' in dimension '{dimension}'{hint}",
             "Use a theme id or label from the codebook (the review sheet's drop-down lists show them); a new code goes "
             "into the codebook first (a theme under that dimension, `condense codebook check`), then import the sheet again."),
    "E502": ("{path}, row {row}: unknown dimension '{dimension}'", "Use one of: {allowed}."),
    "E503": ("{path}: cannot read the file ({detail})", "Give a .csv or .xlsx file written by condense or in its format."),
    "E504": ("{path}: no column '{column}' (line 1)", "The file needs the columns {required}."),
    "E505": ("{path}, row {row}{column}: invalid action '{action}'", "{fix}"),
    "E506": ("No common units to compare between {a} and {b}",
             "Both files must name units (unit_id) of the same transcripts."),
    "E507": ("Too few reviewed units to learn from in {path}: {detail}", "Review more units, or use a reference coding."),
    # issue 17: coder, learner, active learning, agreement scope (E304–E329, E510–E529, W304–W329, W510–W529)
    "E508": ("{path}, line 1: the column '{column}' is named twice (columns {first} and {second}); only one of them "
             "would be read",
             "Rename one of them (e.g. '{column} 2') or delete the one you do not need, then run again."),
    "E510": ("Model {path} was trained with codebook '{trained}', not with {codebook}",
             "Train the model again with this codebook (`condense learn ... --project P`), or code with the codebook it was trained with."),
    "E511": ("The learner needs a project for `condense learn`: {detail}",
             "Pass --project PROJECT (the folder or condense.yaml whose units and codebook the codings belong to)."),
    "E512": ("{path}: no dimension of the codings is in the codebook {codebook} (found: {found})",
             "Use the project whose codebook coded these units (--project), or fix the `dimension` column (allowed: {allowed})."),
    "E513": ("Unknown --group-by '{value}'", "Use one of: {allowed}."),
    "E514": ("Unknown --order '{value}'", "Use one of: {allowed}."),
    "E515": ("The order `--order uncertainty` needs a learned model: {detail}",
             "Train one with `condense learn CODINGS --out MODEL --project P` and name it as `model:` in the project file."),
    "E516": ("{path}, line {line}: the fingerprint '{value}' of unit {unit} is not one condense writes (16 hex "
             "digits; a spreadsheet program that saved the file may have turned it into a number)",
             "Copy the unit's fingerprint from units.csv into that cell, or empty the cell to place the decision "
             "by its unit id alone (it then no longer follows its text when the transcript is edited)."),
    "E517": ("{path} is a review sheet, not a table of codings (it has no dimension and theme columns)",
             "Import it first: `condense review import {path} --decisions {decisions}`, then {then}."),
    "E518": ("{a} and {b} name anonymous respondents' units differently: {public} in {public_side}, other transcript "
             "ids in {other_side}{detail}; matched as they stand, κ would compare different units",
             "Name the study the codings belong to: `--project condense.yaml` (its transcripts say who is anonymous, "
             "so real ids are read as the run's public ones), or run `condense agree` in the study's folder."),
    "E519": ("{path}, row {row}: not a decision: it names no unit and no dimension (filled in: {values})",
             "Delete the row (a total or a note typed below the decisions?); a decision names its unit_id, dimension "
             "and theme."),
    "E520": ("{path} is {what}, not a table this command reads (columns {required})", "{fix}"),
    "W304": ("{path}: the text looks {found_name} ({share} of its words are common {found_name} words) but the codebook {codebook} is {expected}",
             "{fix}"),
    "W305": ("{n} excerpt(s) of {total} coded with low confidence (below {threshold}); marked `review` in the codings",
             "Check them first in review; the confidence is the share of such suggestions people confirmed in calibration."),
    "W306": ("{path}, theme '{theme}' (line {line}) of dimension '{dimension}': the term {term} is an everyday word "
             "(Zipf {zipf}); alone it codes any unit that says it",
             "Give it context: a phrase (words in order, e.g. '{word} …') or an all_of entry with a second word that must "
             "share the sentence; or leave it out."),
    "W307": ("{path}: {n} decided excerpt coding(s) are too few to calibrate excerpt mode's confidence on (or all were confirmed, or none); it is left uncalibrated",
             "Decide at least {need} excerpts in review, some suggestions right and some wrong, and pass the decisions with --calibrate."),
    "W308": ("{n} unit(s) matched more themes of '{dimension}' than its top_k ({k}) keeps: {m} theme coding(s) were "
             "left out (first: unit {unit}, {themes}); each unit's evidence names them (\"left out (top_k: {k}): …\")",
             "To code them, raise `top_k:` on the dimension in the codebook (or `coding: {{top_k: N}}` in the project "
             "file, for every multi-label dimension); or add them in review (column {dimension}_add, {dimension}_tilføj in a Danish study's sheet)."),
    "W401": ("The results in {out} were made with {before} {what} from {file}; this run applied none ({why})",
             "If the file was moved or renamed, name it in condense.yaml (`{key}: PATH`) and run again; the file "
             "itself is never changed by a run. If you removed them on purpose, nothing to do."),
    "W402": ("The reference coding {path} named in the project does not exist; no agreement with it was computed",
             "Fix the path after `reference:` in condense.yaml, or remove the line."),
    "W403": ("The project file's `{key}` names {what} '{name}', which {where}: no {table} was made with it",
             "Use one of: {allowed}."),
    "W510": ("{n} row(s) of {path} name dimension(s) not in the codebook ({dimensions}); ignored",
             "Use the dimension ids of the codebook: {allowed}."),
    "W511": ("The learner does not beat the plain baseline in '{dimension}' (κ {kappa} vs TF-IDF + logistic regression {baseline} on the same folds)",
             "Prefer the rule coder and review there; more reviewed units may help."),
    "W512": ("Agreement in '{dimension}': {n} unit(s) that {side} did not code count as \"none\" in scope uncoded_as_none",
             "Read the named_only rows, or {remedy}."),
    "W513": ("Dimension '{dimension}' is coded only in {side} ({path}); its κ compares against nothing",
             "Compare only dimensions both files code (--dimension), or code it on the other side too."),
    "W514": ("{path}, line(s) {lines}: {n} decision(s) whose unit id a spreadsheet program turned into {kinds} "
             "({ids}) match no unit; they stay in the file, not applied",
             "The ids they were cannot be told for certain from these: take them from a copy of the file saved before "
             "a spreadsheet opened it, or from the review sheet they came from. To edit decisions.csv in a "
             "spreadsheet, open it by importing it with the unit_id column's type set to Text (Excel: Data > From "
             "Text/CSV; LibreOffice: the Text Import dialog's column type)."),
    # REFI-QDA
    "E601": ("Cannot read REFI-QDA file {path}: {detail}",
             "Check the path, and give the .qdpx project or .qdc codebook your QDA program exported; a damaged file: export it again."),
    "E602": ("{path} has no codebook (no <CodeBook> or <Codes> element)", "Export a project or codebook that contains codes."),
    # consent and anonymity (issue 11)
    "E801": ("{path}, {line}: '{marker}' is not a withdrawn marker",
             "Write exactly [[withdrawn]] to open a withdrawn passage and [[/withdrawn]] to close it (two square "
             "brackets, no spaces inside); condense never guesses what a broken marker meant."),
    "E802": ("{path}, {line}: [[withdrawn]] opens again inside the withdrawn passage opened at {first}",
             "Withdrawn passages cannot be nested: close the first one with [[/withdrawn]] before opening the next, "
             "or delete the inner opener."),
    "E803": ("{path}, {line}: [[/withdrawn]] closes a passage that was never opened",
             "Add [[withdrawn]] where the passage begins, or delete the stray closer."),
    "E804": ("Unclosed [[withdrawn]] marker in {path}, {line}",
             "Close the withdrawn passage with [[/withdrawn]] in the same place (a table cell must close its own passage)."),
    "E805": ("{path}, row {line}: the review sheet marks a withdrawn passage in unit {unit}",
             "The sheet is a copy, not the source: put [[withdrawn]] … [[/withdrawn]] around the passage in the "
             "transcript itself and re-run; nothing of this sheet was imported."),
    "E810": ("{path}, {line}: '{value}' is not a valid value for `anonymous`",
             "Write `anonymous: true` (or yes, ja, x, 1) or `anonymous: false` (or no, nej, 0), or a list of the "
             "speaker labels who are anonymous (e.g. `anonymous: [R]`; in transcripts.csv `R;` or `R;X`)."),
    "E811": ("{path}: `anonymous` names '{label}', but no speaker in the transcript has that label (speakers: {speakers})",
             "Name speaker labels as they are written in the transcript, or write `anonymous: true` for the whole interview."),
    "E812": ("{path}: the interview has anonymous speakers ({labels}) beside named ones; a REFI-QDA export "
             "carries whole transcripts with their cases, which would place them",
             "Write `anonymous: true` in that transcript's front matter to export the interview as anonymous as a "
             "whole; nothing was written."),
    "E813": ("{path}, line {line}: the front matter says `anonymous: {front}`, but transcripts.csv says `{table}` for "
             "this transcript", "Write `anonymous` in one of the two places, or the same in both: until they agree "
             "nothing is run, as the one read could name a respondent who asked not to be named."),
    "E814": ("{path}, line {line}: the file says `anonymous:` in lines between --- that were not read as front matter "
             "(a {kind} file's own paragraphs, or lines below its first)",
             "Write `anonymous` for this file in transcripts.csv beside it (columns transcript, anonymous) and delete "
             "those lines, or move them to the very top of a .txt or .md file: until then nothing is run, as the "
             "interview would be read as not anonymous."),
    "E820": ("{path}: cannot use the pseudonym list ({detail})",
             "pseudonyms.csv needs the columns real, pseudonym, kind (kind: person, place, organisation or other)."),
    "E821": ("{path}, line {line}: {detail}", "{fix}"),
    "E830": ("Consent audit failed: {file}, {line}: {what}",
             "Nothing was moved into place. What was found is not quoted here, so no console, log or notebook keeps "
             "it: open the file at that place to see it. Mark the passage or add the name to pseudonyms.csv (or take "
             "it out of your condensates.csv or a note in your decisions), then run again; "
             "`condense audit RESULTS` checks a results folder on its own."),
    "E831": ("{path} is not a results folder ({detail})", "Give the folder a `condense run` wrote (with manifest.json)."),
    "E832": ("{path} was not written from {project}: none of its {n} transcripts is one of the project's",
             "Name the project the results come from: `condense audit {path} --project PROJECT` (without "
             "--project the built-in sample is assumed, and its withdrawn passages would be looked for)."),
    "E833": ("{path}, line {line}, column '{column}': {what}; the respondent withdrew the passage it repeats",
             "Take those words out of that cell of your file (or mark them [[withdrawn]] … [[/withdrawn]] inside "
             "it), then run again; nothing was written."),
    "E834": ("{path}, {line}: {n} or more words in a row of a passage withdrawn in {source} are said again there, "
             "outside the passage",
             "Mark the repeat [[withdrawn]] … [[/withdrawn]] too (an interviewer quoting the passage back, the respondent "
             "saying it again), or reword it, then run again; nothing was written."),
    "E835": ("{path} was written from {n} transcript(s) that {project} does not have ({names}); their withdrawn "
             "passages and anonymous respondents cannot be checked",
             "Name the project the results come from: `condense audit {path} --project PROJECT`; if those transcripts "
             "were removed from the project since, run it again and audit the new results."),
    "E840": ("{path} exists; nothing was overwritten", "Use --out for another file, or --force to replace it."),
    "W801": ("{path}: {n} passage(s) of the review sheet's notes marked [[withdrawn]] were left out", ""),
    "W802": ("Consent audit: {detail}", "{fix}"),
    "W803": ("{path}: anonymous speaker(s) {labels} speak beside named respondent(s) ({named}); their units get a "
             "public id, no name, label or case, but they keep the interview's turn order and questions, so a reader "
             "of the outputs can tell which interview they spoke in",
             "If taking part in that interview would identify them, write `anonymous: true` to hide the interview as a "
             "whole."),
    # coded data from elsewhere and REFI-QDA projects (issue 14)
    "E610": ("{path}, line {line}: code '{name}' is not in the codebook {codebook} ({n} application(s)){hint}",
             "Add the code to the codebook, correct its spelling in the file, or leave out --codebook to build one from the codes found."),
    "E611": ("{path}: no text column (line 1); the columns are: {columns}",
             "{own}Name the text column with --columns 'HEADER=text' (fields: unit_id, unit, text, interview, case, dimension, theme, subtheme, code, excerpt, coder)."),
    "E612": ("{path}: no code columns: every column names a field (line 1){ids}",
             "A wide grid needs one column per code beside the text column; a long table needs a `code` or `theme` column (map it with --columns)."),
    "E613": ("Option --columns '{item}': {detail}", "Write --columns 'Header=field,Other header=field' with fields: {fields}."),
    "E614": ("{path}: not an analyst's workbook ({detail})",
             "Give the sheet of codes as a long table or a wide grid (.csv or .xlsx) instead."),
    "E620": ("Cannot read REFI-QDA project {path}: {detail}", "Export the project again from your QDA program as .qdpx."),
    "E621": ("{path}: {detail}", "{fix}"),
    "E622": ("{path} holds no source text to import ({n} source(s), {codes} code(s)): {why}; nothing was written",
             "Take its codebook with `condense codebook import {path} --out codebook.yaml`; for the interviews, export "
             "the project again with its documents (as text) included."),
    "E623": ("{path} holds no coded text to tabulate (0 units; {codes} code(s) in its codebook); nothing was written",
             "A codebook alone is taken with `condense codebook import`; a table needs a text column and a code column "
             "(map them with --columns header=field) and at least one code applied."),
    # reliability (issue 10): files are never destroyed, hostile input gets a coded error
    "E701": ("{path}, row {row}: {detail}",
             "Keep the unit_id column as condense wrote it (do not type into it or sort it apart from the rest); "
             "restore the id or clear the row's decision columns, then import again."),
    "E702": ("Refusing to write into {path}: {detail}",
             "Give --out (or `output:` in condense.yaml) a folder of its own, e.g. `--out results` (condense replaces "
             "only folders it wrote itself)."),
    "E703": ("{path} exists and holds {detail}; condense replaces only folders it wrote itself, so nothing was changed",
             "Choose a new --out folder, or move this folder away yourself if you really mean to replace it."),
    "E704": ("{path} exists already; nothing was overwritten", "Choose another --out file, or add --force to replace it."),
    "E705": ("{path} is also an input of this command; it is never written over", "Write to another file with --out."),
    "E706": ("No transcript was read from {path}: every file was skipped ({skipped}); the previous results were left as they were",
             "Check that the folder holds interview transcripts with speaker labels (e.g. `I:` and `R:`)."),
    "E707": ("Another condense process is writing {path} (lock file {lock})",
             "Wait for it to finish and run again (results: or write to another --out folder)."),
    "E708": ("The output folder {path} is a file, not a folder", "Give --out the name of a folder (it is created if missing)."),
    "E709": ("The folder {folder} for {path} does not exist", "Create the folder first, or choose a file in an existing folder."),
    "E710": ("{path} is a model in the old pickle format, which condense no longer loads (loading a pickle can run code)",
             "Train the model again with `condense learn CODINGS --out {folder}` (it is written as JSON and .npz)."),
    "E711": ("No meaning unit was found in {path}: {n} transcript(s) were read ({names}) and none holds a respondent's "
             "answer{skipped}; the previous results were left as they were",
             "Check the speaker labels (one `Label: text` turn per paragraph) and who asks (`interviewer_labels:` in "
             "the project file or the front matter); a file of notes is marked `kind: notes`."),
    "E712": ("{path}: the part '{member}' inflates to {size} bytes, over the limit of {limit} bytes",
             "If the file is genuine, raise the limit: environment variable {setting} (bytes)."),
    "E713": ("{path}, line {line}: {detail}",
             "Write the YAML without deep nesting or chains of anchors and aliases (& and *); limits: {setting}."),
    "E714": ("{path}, line {line}: a turn of {n:,} characters has no sentence end to split it at (limit {limit:,})",
             "Break the turn into paragraphs or sentences, or raise the limit: environment variable CONDENSE_MAX_TURN_CHARS."),
    "E715": ("{path}, line {line}: a field longer than {limit:,} characters (a missing closing quote?)",
             "Check the quotes around the field on that line; raise the limit with CONDENSE_MAX_CSV_FIELD if it is genuine."),
    "E716": ("{path} is not a regular file ({kind}); it is not read", "Give a transcript or table file saved on disk."),
    "E717": ("{path} looks like UTF-16 text without a byte-order mark",
             "Re-save it as UTF-8 (in Word: Save As > Plain Text > Unicode (UTF-8))."),
    "E718": ("{path} is encrypted (password-protected); condense cannot read it",
             "Open it, remove the password (File > Info > Protect) and save it again."),
    "E719": ("{path}, line {line}: `{key}` must be {expected}, not {got}", "{fix}"),
    "E720": ("{path}, lines {first} and {second}: {detail}",
             "Keep one of the two lines (condense does not silently let the second replace the first)."),
    "E721": ("{path}: {detail}", "{fix}"),
    "E722": ("{path} is a folder, but a file is expected here", "Name a file{example}."),
    "E723": ("{path} is in the transcript folder {folder}, where the next run would read it as {what}; nothing was written",
             "Write it outside the transcript folder, e.g. beside condense.yaml."),
    "E724": ("The working folder {path} no longer exists (it was deleted or moved while the shell was in it)",
             "Change to an existing folder (`cd` to your study folder, or `cd ~`), then run the command again."),
    "E725": ("The output name {path} holds a control character ({char}); a folder or file so named breaks lines in "
             "listings, scripts and spreadsheets, so nothing was written",
             "Give --out (or `output:` in condense.yaml) a name without line breaks, tabs or other control characters "
             "(a name pasted from another program may end in one)."),
    "E726": ("{path} is a link that leads back to itself (links pointing at each other), so the command stopped there",
             "Remove the link, or point it at the file or folder you meant, then run the command again."),
    "E727": ("{path}: {detail} (the operating system's answer), so the command stopped there", "{fix}"),
    "E728": ("{path} was there when its folder was read, but not when condense came to read it (moved, renamed or "
             "deleted meanwhile)",
             "Wait until nothing changes the folder (a sync client such as OneDrive or Dropbox still at work, a "
             "transcript being saved or renamed) and run again."),
    "E729": ("The output name '-' names no file or folder (given as --out -): condense writes its results into files, not to standard output, "
             "and a folder named '-' is awkward to open or remove; nothing was written",
             "Give --out a folder (e.g. `--out results`) or a file name; to read a table in the terminal afterwards, "
             "print it (`cat results/themes.csv`)."),
    "W701": ("{path}, line {line}: {n} control character(s) that spreadsheets and XML cannot hold were replaced by spaces ({chars})",
             "Usually a Word manual line break (U+000B) or a stray NUL; re-save the file without them to silence this."),
    "W702": ("{path}, line {line}: a turn of {n:,} characters was split at sentence ends into {parts} parts (limit {limit:,})",
             "Break very long turns into paragraphs, or raise CONDENSE_MAX_TURN_CHARS."),
    "W703": ("{path} was {what} while the run was going; its results are from the file as the run read it",
             "Run again for results from the transcripts as they are now (a transcript removed because consent was "
             "withdrawn is then in no output)."),
    "W704": ("{path} was written without the .qdpx ending; NVivo, ATLAS.ti, MAXQDA and QualCoder list only .qdpx files "
             "when they import a project",
             "Rename it to {name}.qdpx (or export again with `--out {name}.qdpx`)."),
    "W705": ("{path}: {n} decision(s) in {decisions} were decided otherwise before and are replaced (first: unit "
             "{unit}, {dimension} '{theme}', {before} → {after}); a decision on the same unit, theme and coder is one "
             "decision",
             "Nothing to do if you changed your mind. If this sheet is another researcher's, their decisions took the "
             "place of the first: fill its coder column ({coder}) with their initials and import it again, then "
             "import the first sheet again; each researcher's decisions are then kept apart."),
    # warnings
    "W101": ("{path} was decoded as Windows-1252, not UTF-8", "Re-save it as UTF-8 to be sure æ, ø and å are read right."),
    "W121": ("{path} is UTF-8 with Windows-1252 characters in it, from line {line} (a spreadsheet program saved it?); "
             "each part was read as what it is",
             "Re-save it as UTF-8 (in Excel: Save As > CSV UTF-8) so every æ, ø and å is written one way."),
    "W122": ("{first} and {second} hold the same interview, turn for turn; both are read, so every count of the "
             "study counts its units twice",
             "Remove the copy (or move it out of the folder). If they are two interviews, check that each file "
             "holds the right text."),
    "W123": ("{path}: column(s) {columns} are not read: condense reads {read}",
             "A name in a column of its own is not removed from any output: for an anonymous respondent write "
             "`respondent` (and `place`), which an anonymous interview's words lose; other columns can stay."),
    "W102": ("No speaker turns found in {path}; skipped (an interview guide or a notes file?)",
             "If it is an interview, start each turn with its speaker's label and a colon at the start of a line "
             "(`I: …`, `IP: …`; no list dash before it); if it is an interviewer's notes, mark it `kind: notes` in "
             "front matter or transcripts.csv; otherwise move it out of the folder."),
    "W103": ("{path}: could not tell who the interviewer is; assumed '{label}' (asks most questions)",
             "Set `interviewer_labels` in the front matter, transcripts.csv or the project file."),
    "W104": ("{path}: case '{case}' is not in cases.csv{near}", "Add a line for it to cases.csv or fix the case name."),
    "W105": ("{path}: ignored (not a transcript type)", "Transcripts are .txt, .md, .docx, .odt, .rtf, .vtt, .srt{hint}."),
    "W106": ("{path}: no interviewer turns found; units will have no question", "Set `interviewer_labels` if the interviewer has a label."),
    "W107": ("{path}: {n} decision(s) match no unit any more (listed in orphaned_decisions.csv)",
             "They stay in the decisions file; re-attach or delete them by hand."),
    "W108": ("{path}, line {line}: condensates.csv entry for {what} matches nothing in this run; kept, not applied",
             "Fix the theme/sub-theme or unit id, or delete the line."),
    "W109": ("{path}: {n} passage(s) marked [[withdrawn]] are excluded from every output", ""),
    "W110": ("{detail}", "{fix}"),
    "W111": ("{path}, {where}: {n} invisible formatting character(s) removed (first: {first})",
             "Nothing to do if they were not meant to be there: they can make a text display in another order than "
             "it reads, or split a word unseen. Remove them from the file to silence this warning."),
    "W112": ("{path}, row {line}: a formula cell with no saved value was read as the formula's text",
             "Open the workbook in a spreadsheet and save it (the values are then saved), or type text that "
             "begins with = after an apostrophe."),
    "W114": ("{path}, line {line}: {n} row(s) hold text in columns without a header (the first in column {column}); "
             "that text was not read",
             "Put a name in the first row above each column you want read; a comma inside an answer needs the "
             "answer in quotes (\"…, …\"), as a spreadsheet saves it."),
    "W115": ("{path}: column(s) {columns} say who a respondent is (name, e-mail, phone, address or IP address); "
             "they were not read and are in no output",
             "Nothing to do: the respondents are told apart by their row or their respondent id. If a column is no "
             "personal data, give it another header."),
    "W116": ("{path}, line {line}: a second header row ({cells}) was taken for a header and not read as a respondent",
             "Nothing to do; delete the row to silence this."),
    "W117": ("No crosstab by {attributes}: every case has a value of its own there (a date, a number per "
             "respondent), so its crosstab would have a column per case and compare nothing",
             "Name the attribute under `crosstabs:` in the project file to have its crosstab anyway."),
    "W124": ("No crosstab by '{attribute}': a number with {n} values ({low}-{high}), so its crosstab would have a "
             "column per value and compare little",
             "Add a column of bands to the table (age 20-39, 40-59, 60+) and it is crosstabbed instead; or name "
             "'{attribute}' under `crosstabs:` in the project file to have it anyway."),
    "W125": ("{path}: a Qualtrics export; lines {lines} (the questions' text and the ImportId row) were read as its "
             "header, not as respondents",
             "Nothing to do; the questions are named by their text."),
    "W126": ("{path}, paragraph(s) {paragraphs}: {n} character(s) of hidden text were left out (not read into any "
             "turn, unit, table or quote)",
             "Nothing to do if it was hidden to be left out. If it is part of the interview, unhide it ({how}) "
             "and run again."),
    "W127": ("{path} is no RTF document but a {kind} file with a .rtf name; it was read as {kind}",
             "Rename it to end in {kind}, so that other programs open it too."),
    "W128": ("{path} was decoded as Mac OS Roman (an older Mac's text encoding), not UTF-8",
             "Re-save it as UTF-8 (a text editor's \"Unicode (UTF-8)\", Excel's \"CSV UTF-8\") to be sure æ, ø and å "
             "are read right."),
    "W129": ("{path}, line {line}: the case '{case}' looks like a spreadsheet's total row; it is read as a case like "
             "any other, and its values ({values}) count as a case's attributes in the crosstabs",
             "Delete the line if it is a total (condense counts the cases itself); a case really named so: rename it."),
    "W130": ("{path}: {n} passage(s) a comment calls withdrawn (\"withdrawn\", \"trukket tilbage\") are left out "
             "as if marked [[withdrawn]] … [[/withdrawn]]",
             "Check that each comment covers its whole passage; to make it explicit, type the markers around the "
             "passage in the text."),
    "W131": ("{path}, paragraph {paragraph}: a comment on a passage seems to say it is not withdrawn (\"{said}\"); the "
             "passage is left out all the same, as if marked [[withdrawn]] … [[/withdrawn]]",
             "If the passage may be used, delete the comment or leave the word withdrawn (\"trukket tilbage\") out of "
             "it; if it is withdrawn, write the comment plainly (\"Trukket tilbage\") or type the markers around it."),
    "W132": ("{path}: not read, as it is {what}; the study goes on without it", "{fix}."),
    "W133": ("{path}: Windows takes the name '{name}' for a device, not a file: the folder cannot be copied to Windows "
             "whole, and the transcript cannot be opened there",
             "Rename the file (e.g. '{name}_1'){keep}."),
    "W118": ("{path}: no 'Label:' turns; speakers read from labels written otherwise ({labels})",
             "Check the speakers in units.csv; write 'Label: text' in the transcript to make it explicit."),
    "W120": ("{path}: {words} words with {ends} sentence end(s) and no question mark (speech-to-text without "
             "punctuation?); the interviewer was told by the words of the questions and sentences over twice "
             "max_words were cut by length",
             "Check who asks with `condense ingest` (or set `interviewer_labels`) and read a few units; a transcript "
             "with punctuation gives meaning units that follow the speaker's sentences."),
    "W119": ("{path}: subfolders are not read, and {folders} hold transcript files",
             "Name each folder to read in the project file (`transcripts: [{path}, {first}]`), or move the files up "
             "into {path}."),
    "W113": ("{path}: only the first sheet ('{first}') was read; {others} hold rows that were not read",
             "Put every answer on the first sheet, or save each sheet as a file of its own (File › Save As › CSV) "
             "and give condense the files."),
    # emergent themes and sub-groups (condense/emergent.py, condense/grouping.py)
    "E350": ("Project file {path}: `emergent: {key}` must be {kind}, not {value!r}",
             "Write e.g. `emergent: {{min_size: 3, min_coherence: 0.15, random_state: 0}}`, or leave the key out."),
    "W610": ("{path}: {n} row(s) without text and without codes were skipped (first: line {line})",
             "Nothing was coded there; fill in the text if those rows are answers."),
    "W611": ("{path}, line {line}: unit '{unit}' has different texts in its rows ({n} unit(s)); the first text is kept",
             "Give each unit one text, or give the rows their own unit ids."),
    "W615": ("{path}: {passages} withdrawn passage(s) left out of the coded text; {units} unit(s) wholly withdrawn and "
             "{codings} code application(s) on withdrawn words dropped (first: unit {unit})",
             "Nothing to do: withdrawn words appear in no output (the consent audit checks). Remove the passages from "
             "the file itself if they should not be kept there either."),
    "W612": ("{path}: sheets '{sheet}' and '{other}' disagree on {n} code cell(s) (first: row {row}, code '{column}'); the codes were read from '{sheet}'",
             "Check those cells in the workbook; the text sheet holds what was coded."),
    "W613": ("{path}: column '{column}' of sheet '{sheet}' has no formula; it was given the codes between its neighbours' ranges: {codes}",
             "Write its =SUM(...) formula in the workbook, or give a codebook with --codebook."),
    "W614": ("{path}: {n} code(s) belong to no higher-level group and stand at the top level: {codes}",
             "Add them to a group's =SUM(...) range, or give a codebook with --codebook."),
    "W616": ("{path}, line {line}: {n} code name(s) differ from another only in capitals or spaces and were read as that "
             "code (first: '{name}' as '{label}')",
             "If they are different codes, rename one of them in the coded file (or in your QDA program) and run again."),
    "W617": ("{path}: {n} row(s) with text name no code (the code cell is empty, blank or only a path separator; "
             "first: line {line}, code {cell}); they were read as units no code was applied to",
             "Write the code those rows were given in the code cell (a name, or a path such as `Tema\\Motion`, not a "
             "separator alone); leave it empty only for answers nobody coded."),
    "W618": ("{path}: {n} code path(s) end with a separator and were read as the code before it (first: line {line}, "
             "code '{cell}' read as '{read}')",
             "If the rows were coded with the theme itself, remove the trailing separator; if a sub-code's name is "
             "missing after it, write it there (e.g. `Tema\\Motion`) and run again."),
    "W619": ("{path}: {n} hidden sheet(s) tied to no visible sheet by a =SUM(...) formula were not read: {sheets}",
             "Nothing to do if they are old copies or helper lists; if one holds the coding to read, unhide it in the "
             "workbook (and hide the sheet it replaces) and run again."),
    "W620": ("{path}: {n} selection(s) do not land on their source text and were left out (first: source '{source}', {start}–{end})",
             "Export the project again; if the offsets are in an unusual unit, report the QDA program and version."),
    "W621": ("{path}: {n} coding(s) refer to no code of the codebook and were left out (first: {guid})",
             "Export the project again with its codebook."),
    "W622": ("{path}: source '{source}' has no text in the archive ({detail}); its {n} selection(s) were left out",
             "Export the project with its sources (plain text)."),
    "W624": ("{path}: {n} coded span(s) lie in no meaning unit (interviewer turns, headers; first: {transcript} {start}–{end}); they are kept in selections.csv but have no decision",
             "If the source is not an interview, mark it `kind: notes` in transcripts/transcripts.csv and import again."),
    "W623": ("{path}: {n} selection(s) are not on plain text (pictures, audio, PDF regions) and were left out", ""),
    "W625": ("{path}: the text file '{file}' is listed under two sources, '{first}' and '{second}'; it was read as two "
             "transcripts, so the tables count that text twice, as two interviews, each with its source's codings",
             "If it is one interview, keep one of the sources in your QDA program (move the other's codings to it) and "
             "export again; if they are two interviews, give each its own text."),
    "W626": ("{path}: {n} case name(s) could not stay as they were and were imported under another (first: '{first}' "
             "as '{name}'): the name of another case (also when only the encoding of an accent differs), or a name "
             "holding ';', which separates a transcript's cases in transcripts.csv",
             "Give each case its own name in your QDA program and export again."),
    "W627": ("{path}: the project holds what a condense study has no place for, and it was not imported: {what}",
             "Every coding of text is imported; keep the project in your QDA program for these (a set of documents "
             "can become a case variable, a comment a note)."),
    "W628": ("{path}: {n} variable(s) were given the type Text (first: '{name}', typed {kind}: {value}), as the "
             "REFI-QDA schema allows no other for them; their values are kept as written",
             "Nothing is lost. To keep a number or date type, correct the values (or the type) in your QDA program, "
             "or in cases.csv and variables.csv of an imported folder, and import or export again."),
    "W629": ("{path}: {n} code name(s) look the same as another code's at the same level (the same name, also "
             "when only the encoding of an accent differs) and were given a number (first: '{first}' as '{label}'); "
             "they stay codes of their own",
             "Rename one of them in your QDA program and export again, or change the label in codebook.yaml."),
    "W630": ("{path}: {n} coding(s) repeat a coding of the same code by the same coder on the same passage and were "
             "counted once (first: source '{source}', {start}–{end} in code points of its text)",
             "Nothing is lost: one coder applies a code to a passage once. If the program shows the passage coded "
             "twice, remove one of the two in it and export again."),
    # scale (condense/io.py, condense/parallel.py)
    "W950": ("The table '{sheet}' has {rows} rows, more than one worksheet of results.xlsx holds; it is split over {parts} sheets",
             "Every row is there, over several sheets; the whole table is also in its .csv file."),
}


# Placeholders a code fills itself unless the caller says more
_DEFAULTS = {"E402": {"what": "Output folder", "fix": "Choose another --out folder."}, "W104": {"near": ""},
             "E102": {"hint": ""}, "E112": {"sub": ""},
             "E111": {"kind": ".docx", "app": "Word", "ext": ".docx"}, "W105": {"hint": ""},
             "E505": {"column": "", "fix": "Use accept, reject or add."},
             "E611": {"own": ""}}


_LONGEST = 1000  # characters of one value a message shows


def _clipped(value):
    """A value as a message shows it: a text longer than :data:`_LONGEST` (a project file's 50 MB `language:`
    was printed whole) cut to its start, with its length."""
    if isinstance(value, str) and len(value) > _LONGEST:
        return f"{value[:200]}… ({len(value):,} characters)"
    return value


def _fill(code: str, kwargs: dict) -> tuple[str, str]:
    template, fix = CATALOGUE[code]
    kwargs = {**_DEFAULTS.get(code, {}), **kwargs}

    class _Safe(dict):
        def __missing__(self, key):  # keep unknown placeholders readable
            return "{" + key + "}"

    values = _Safe({k: ("" if v is None else _clipped(v)) for k, v in kwargs.items()})
    if values.get("line", None) == "":  # no line to name (a whole file, the project): no "line :" either
        template = template.replace(", line {line}", "")
    return template.format_map(values), fix.format_map(values)


class CondenseError(Exception):
    """A coded, user-facing error. ``str(err)`` is the full message with the fix."""

    def __init__(self, code: str, **kwargs):
        self.code = code
        self.kwargs = kwargs
        self.message, self.fix = _fill(code, kwargs)
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}." + (f" Fix: {self.fix}" if self.fix else "")

    def __reduce__(self):  # an error raised in a --jobs worker reaches the parent whole (parallel.py)
        return (_coded_error, (type(self), self.code, self.kwargs))


def _coded_error(cls, code: str, kwargs: dict) -> "CondenseError":
    return cls(code, **kwargs)


class CondenseErrors(CondenseError):
    """Several errors found in one pass (e.g. codebook validation)."""

    def __init__(self, errors: list[CondenseError]):
        self.errors = list(errors)
        first = self.errors[0]
        self.code = first.code
        self.kwargs = first.kwargs
        self.message, self.fix = first.message, first.fix
        Exception.__init__(self, str(self))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)

    def __reduce__(self):
        return (type(self), (self.errors,))


@dataclass(frozen=True)
class Warning_:
    code: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}." + (f" {self.fix}" if self.fix else "")


@dataclass
class Diagnostics:
    """Collects warnings without printing them. Identical warnings are kept once and counted."""

    warnings: list[Warning_] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def warn(self, code: str, **kwargs) -> None:
        message, fix = _fill(code, kwargs)
        w = Warning_(code, message, fix)
        if w not in self.counts:
            self.warnings.append(w)
        self.counts[w] += 1

    def extend(self, other: "Diagnostics") -> None:
        for w in other.warnings:
            if w not in self.counts:
                self.warnings.append(w)
            self.counts[w] += other.counts[w]

    def __len__(self) -> int:
        return len(self.warnings)

    def __iter__(self):
        return iter(self.warnings)


def first_few(items, n: int = 5) -> str:
    """The first ``n`` items joined by commas, and how many more there are: "a, b, c and 4 more"."""
    items = list(items)
    return ", ".join(items[:n]) + (f" and {len(items) - n} more" if len(items) > n else "")


def did_you_mean(word: str, options) -> str:
    """Return ' (did you mean 'x'?)' for the closest option, or ''."""
    import difflib

    match = difflib.get_close_matches(str(word), [str(o) for o in options], n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def link_loop(exc: BaseException) -> "CondenseError | None":
    """E726 for the error Python raises on a path that is a loop of links (RuntimeError "Symlink loop from '…'" from
    ``Path.resolve`` before Python 3.13, OSError ELOOP otherwise); None for any other error. A loop given as --out,
    --decisions or --codebook ended the command in a traceback."""
    import errno
    import re

    if isinstance(exc, OSError) and exc.errno == errno.ELOOP:
        path = exc.filename
    elif isinstance(exc, RuntimeError) and (found := re.fullmatch(r"Symlink loop from '(.*)'", str(exc))):
        path = found.group(1)
    else:
        return None
    return CondenseError("E726", path=display_path(path) if path else "(a path given)")


def resolved(path) -> "Path":
    """``Path(path).resolve()``, a loop of links an error on every Python: before 3.13 ``resolve`` raised
    RuntimeError "Symlink loop from …"; from 3.13 it returns the path unresolved, and the loop was then read as
    a missing file (E101), a file where a folder was meant (E708) or no regular file (E716). Where the resolved
    path does not exist, the system is asked why: a loop raises OSError ELOOP, which :func:`link_loop` codes."""
    import errno
    import os

    path = Path(path).resolve()
    if not os.path.exists(path):
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path)) from None
    return path


def _os_fixes() -> dict[int, str]:
    import errno

    return {errno.EACCES: "Check that you may read (or write) it: its permissions, its owner, or a program holding it "
                          "(a sync client, an antivirus, Word with it open); then run the command again.",
            errno.EISDIR: "It is a folder: name the file inside it that you meant.",
            errno.ENOTDIR: "A part of the path is a file, not a folder: check the path.",
            errno.ENAMETOOLONG: "The name is longer than the file system allows (255 bytes a name on most): give the "
                                "file or folder a shorter name.",
            errno.ENOENT: "It was moved or deleted while condense was using it: put it back (or leave it out) and run "
                          "the command again."}


def file_error(exc: BaseException) -> "CondenseError | None":
    """The coded error for an error of the file system met outside condense's own reader and writer: E726 for a loop
    of links (:func:`link_loop`), E727 naming the file for any other OSError that names one (permission denied, a
    folder where a file was expected, a name too long, a file gone while it was read), with a fix fitting its
    errno; None for anything else (a closed pipe names no file, and is not the file system's answer)."""
    import errno

    loop = link_loop(exc)
    if loop is not None or not isinstance(exc, OSError) or exc.filename is None:
        return loop
    code = errno.EACCES if exc.errno == errno.EPERM else exc.errno
    fix = _os_fixes().get(code, "Check the file and the disk or share it is on, then run the command again.")
    return CondenseError("E727", path=display_path(exc.filename), detail=exc.strerror or str(exc), fix=fix)


def file_errors_coded(func):
    """``func`` raising a coded error (:func:`file_error`) where the file system's answer was a Python exception:
    a loop of links given to it (as a project, a transcript, an --out) raised RuntimeError "Symlink loop from …",
    a file it could not read PermissionError, in a script or notebook, while the command line said E726."""
    import functools

    @functools.wraps(func)
    def coded(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except (RuntimeError, OSError) as exc:
            coded_error = file_error(exc)
            if coded_error is None:
                raise
            raise coded_error from exc

    return coded


def display_path(path) -> str:
    try:
        p = Path(path)
        try:
            return str(p.resolve().relative_to(Path.cwd().resolve()))
        except (ValueError, RuntimeError, OSError):  # elsewhere; a link leading back to itself (a traceback was its name)
            return str(p)
    except TypeError:
        return str(path)
