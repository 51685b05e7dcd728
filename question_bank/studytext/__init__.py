"""Read the structure of a 每周一学-style study text: topics, enumerations, definitions, 以…为… chains.

Everything found keeps its offsets in the text, so questions can quote the text verbatim and
blank out exactly the words they ask about.

    model        what is found (Enumeration, Definition, RoleChain, StudyText)
    parse        the 每周一学 section, read line by line and sentence by sentence
    numbered     lines, headings and numbered lists ("1.…", "一是…", "①…")
    pause_lists  lists joined by 、 ("坚持A、B和C")
    numbers      number facts ("出席代表共755名", "每五年举行一次")
    statements   definitions "X是Y" and chains "以A为宗旨，以B为根本"
    words        number words, sentences, headings and list names shared by the readers
"""
from question_bank.studytext.model import Definition, Enumeration, RoleChain, Span, StudyText
from question_bank.studytext.parse import SECTION_RE, parse_study_text, study_section
from question_bank.studytext.words import clean_title

__all__ = ["SECTION_RE", "Definition", "Enumeration", "RoleChain", "Span", "StudyText",
           "clean_title", "parse_study_text", "study_section"]
