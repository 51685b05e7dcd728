"""Find the 每周一学 section of a text and read everything a question can ask about in it."""
from __future__ import annotations

import os
import re

from question_bank.studytext.counted import read_aspect_lists, read_counted_lists, read_parallel_runs, read_titles
from question_bank.studytext.events import read_events
from question_bank.studytext.formulations import read_formulations
from question_bank.studytext.model import StudyText
from question_bank.studytext.numbered import numbered_run, read_inline_numbered, read_line_list, read_lines
from question_bank.studytext.numbers import read_number_facts
from question_bank.studytext.paired import read_paired_lists
from question_bank.studytext.pause_lists import read_pause_lists
from question_bank.studytext.posts import read_posts
from question_bank.studytext.statements import read_attributes, read_definitions, read_roles
from question_bank.studytext.words import sentence_spans

SECTION_RE = re.compile(r"^[ \t]*[◎■●◆]?[ \t]*每周一学[ \t]*$", re.M)
# The section ends before the next ◎ column, after its "（来源：…）" line, or before the title
# of the next article (the line above a "□本报记者" byline).
SECTION_END_RES = (re.compile(r"^[ \t]*◎", re.M),
                   re.compile(r"^[^\n]+\n(?=\s*□)", re.M))
SOURCE_NOTE_RE = re.compile(r"[（(]来源[:：][^)）\n]{1,40}[)）]")


def study_section(text: str) -> tuple[int, int]:
    """Offsets of the ◎每周一学 section, or of the whole text when it has no such heading."""
    match = SECTION_RE.search(text)
    if not match:
        return 0, len(text)
    ends = [found.start() for regex in SECTION_END_RES
            if (found := regex.search(text, match.end()))]
    note = SOURCE_NOTE_RE.search(text, match.end())
    if note:
        ends.append(note.end())
    return match.end(), min(ends, default=len(text))


def parse_study_text(text: str) -> StudyText:
    """Everything the question generator can ask about in the study section of ``text``."""
    study = StudyText(text)
    start, end = study_section(text)
    whole = (start, end) == (0, len(text))
    end = complete_end(text, start, end)
    lines = read_lines(text, start, end)
    topic: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.heading:
            topic = line.heading
        run = numbered_run(lines, index)
        if len(run) >= 2:
            read_line_list(study, lines[index - 1] if index > 0 else None, run, topic)
            for item_line in run:
                _read_paragraph(study, item_line.marker[2], item_line.end, topic)
            index += len(run)
            continue
        body_start = line.start + 1 if line.heading else line.start
        _read_paragraph(study, body_start, line.end, topic)
        index += 1
    read_titles(study, [(line.start, line.end) for line in lines])
    read_counted_lists(study, start, end)
    read_aspect_lists(study, start, end)
    read_parallel_runs(study, start, end)
    study.pairs = read_paired_lists(study, start, end, None)
    study.events = read_events(text, start, end)
    study.posts = read_posts(text, start, end)
    study.formulations = read_formulations(text, start, end)
    study.numbers = read_number_facts(text, start, end)
    if whole:
        # Without a 每周一学 section the text may be news: a short list nothing names is
        # likely an everyday enumeration ("好政策、好环境"), not a point of doctrine.
        study.enumerations = [e for e in study.enumerations if e.name or _doctrinal(e)]
    return study


def _doctrinal(enumeration) -> bool:
    """An unnamed list worth asking about: three or more parallel terms of four characters or
    more, sharing their first or last two ("政治建设、思想建设、组织建设"), all complete."""
    items = enumeration.items
    parallel = len(os.path.commonprefix(items)) >= 2 or \
        len(os.path.commonprefix([item[::-1] for item in items])) >= 2
    return enumeration.complete and len(items) >= 3 and min(map(len, items)) >= 4 and parallel


def complete_end(text: str, start: int, end: int) -> int:
    """``end``, or the end of the last complete sentence or line when the text stops mid-way
    (an excerpt cut in the middle of a sentence)."""
    tail = text[start:end].rstrip()
    last_line = tail.rsplit("\n", 1)[-1]
    if not tail or tail[-1] in "。！？!?”」』）)" or len(last_line) <= 30:
        return end
    cut = max(tail.rfind(mark) for mark in "。！？!?\n")
    return start + cut + 1 if cut >= 0 else start


def _read_paragraph(study: StudyText, start: int, end: int, topic: str | None) -> None:
    for s_start, s_end in sentence_spans(study.text, start, end):
        read_pause_lists(study, s_start, s_end, topic)
        read_definitions(study, s_start, s_end, topic)
        read_roles(study, s_start, s_end, topic)
        read_attributes(study, s_start, s_end, topic)
    read_inline_numbered(study, start, end, topic)
