"""Moodle GIFT format: multiple choice/response, true/false and short answer (as fill).

Questions are separated by blank lines; "//" lines are comments; "$CATEGORY: a/b" sets the
category of the questions after it. A "::title::" is Moodle's question name, which need not be
unique (many questions are called 判断题), so it is dropped like <name> in Moodle XML: as a key it
would refuse a file with two of a name and match questions of other files.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from question_bank.draft import OPTION_LETTERS, QuestionDraft, RowError
from question_bank.readers.base import FileProblem, Limits, ReadResult, check_row_count, decode
from question_bank.text import CANONICAL_BLANK, count_blanks, html_text

_TITLE_RE = re.compile(r"^::(.*?)(?<!\\)::\s*", re.DOTALL)  # a title may run onto the next line
_FORMAT_RE = re.compile(r"^\[(html|moodle|plain|markdown)\]\s*", re.IGNORECASE)
_CATEGORY_RE = re.compile(r"^\$CATEGORY:\s*(.*)$")
_TOKEN_RE = re.compile(r"(?<!\\)([=~])")
_WEIGHT_RE = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_FEEDBACK_RE = re.compile(r"(?<!\\)#")
_ESCAPE_RE = re.compile(r"\\([~=#{}:\\])")
_EXACT_NUMBER_RE = re.compile(r"^-?\d+(?:\.\d+)?(?::0+(?:\.0+)?)?$")
_JUDGE = {"t": True, "true": True, "f": False, "false": False}


@dataclass
class _Block:
    row: int
    text: str


def unescape(text: str) -> str:
    """GIFT text as plain text: format tags ([html], [plain], …) and HTML tags removed, escapes undone."""
    text = text.strip()
    tag = _FORMAT_RE.match(text)
    if tag:
        text = text[tag.end():]
        if tag.group(1).casefold() in ("html", "moodle"):
            text = html_text(text)
    return _ESCAPE_RE.sub(r"\1", text).replace("\\n", "\n").strip()


def _blocks(text: str) -> list[_Block]:
    """Question texts separated by blank lines, comments removed, with their first line number."""
    blocks: list[_Block] = []
    lines: list[str] = []
    start = 0
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        if line.strip().startswith("//"):
            continue
        if line.strip():
            start = start or number
            lines.append(line)
        elif lines:
            blocks.append(_Block(start, "\n".join(lines).strip()))
            lines, start = [], 0
    return blocks


def moodle_category(path: str) -> str:
    """A Moodle category path without its context prefix: "$course$/top/党史/百年" -> "党史/百年"."""
    parts = [part.strip() for part in path.split("/") if part.strip()]
    while parts and parts[0].casefold() in ("$course$", "$system$", "$module$", "top"):
        parts.pop(0)
    return "/".join(parts)


def _split_block(text: str) -> tuple[str, str, str] | None:
    """(before, answer block, after) around the first unescaped {…}."""
    opening = re.search(r"(?<!\\)\{", text)
    if not opening:
        return None
    closing = re.compile(r"(?<!\\)\}").search(text, opening.end())
    if not closing:
        return None
    return text[: opening.start()], text[opening.end(): closing.start()], text[closing.end():]


def _split_general_feedback(content: str) -> tuple[str, str]:
    parts = re.split(r"(?<!\\)####", content, maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else ""


def _choices(content: str) -> list[tuple[str, float, str]]:
    """(mark, weight, text) per answer; '=' weighs 100, '~' 0 unless a %n% weight is given."""
    pieces = _TOKEN_RE.split(content)
    answers = []
    for mark, body in zip(pieces[1::2], pieces[2::2]):
        weight = _WEIGHT_RE.match(body)
        value = float(weight.group(1)) if weight else (100.0 if mark == "=" else 0.0)
        body = body[weight.end():] if weight else body
        answers.append((mark, value, unescape(_FEEDBACK_RE.split(body, 1)[0])))
    return answers


class _Question:
    def __init__(self, block: _Block, category: str, file: str) -> None:
        self.block, self.file = block, file
        self.draft = QuestionDraft(type=None, stem="", category=category,
                                   origin_file=file, origin_row=block.row)

    def fail(self, message: str) -> RowError:
        return RowError(self.file, self.block.row, "答案", message)

    def parse(self) -> RowError | str | None:
        """None when read; a RowError; or the name of a kind of question we skip (counted in a warning)."""
        text = self.block.text
        title = _TITLE_RE.match(text)
        if title:
            text = text[title.end():]
        parts = _split_block(text)
        if parts is None:
            if re.search(r"(?<!\\)\{", text):
                return self.fail("答案部分的「{」没有对应的「}」（答案部分写在 { } 之间，题与题之间空一行）")
            return "说明文字（没有答案部分 {…}）"
        before, content, after = parts
        content, general = _split_general_feedback(content)
        self.draft.explanation = unescape(general)
        blank = CANONICAL_BLANK if after.strip() else ""
        self.draft.stem = unescape(before) + blank + unescape(after)
        return self._answer(content.strip())

    def _answer(self, content: str) -> RowError | str | None:
        head = _FEEDBACK_RE.split(content, 1)[0].strip().casefold()
        if head in _JUDGE:
            self.draft.type, self.draft.answer = "judge", _JUDGE[head]
            return None
        if not content:
            return "论述题"
        if "->" in content:
            return "匹配题"
        if content.startswith("#"):
            return self._numerical(content[1:])
        choices = _choices(content)
        if not choices:
            return self.fail(f"无法识别答案部分「{content}」")
        if any(mark == "~" for mark, _, _ in choices):
            return self._choice(choices)
        self.draft.type = "fill"
        if not count_blanks(self.draft.stem):
            self.draft.stem += CANONICAL_BLANK
        # As Moodle marks: only full-mark answers are right; '*' is a wildcard, never a literal answer.
        accepted = [text for _, weight, text in choices if weight >= 100 and text and "*" not in text]
        if not accepted:
            return self.fail("简答题没有可作为标准答案的满分答案（通配符 * 和低于 100% 的答案不算）")
        self.draft.answer = [accepted]
        return None

    def _numerical(self, content: str) -> str | None:
        """Exact numbers with full marks become a fill answer; ranges and tolerances cannot be."""
        entries = [(100.0, content)] if not _TOKEN_RE.search(content) else [
            (weight, text) for _, weight, text in _choices(content)]
        exact = [text for weight, text in entries if weight >= 100 and _EXACT_NUMBER_RE.match(text.strip())]
        if not exact:
            return "数值题（有误差范围）"
        self.draft.type = "fill"
        self.draft.answer = [[text.strip().split(":")[0] for text in exact]]
        if not count_blanks(self.draft.stem):
            self.draft.stem += CANONICAL_BLANK
        return None

    def _choice(self, choices: list[tuple[str, float, str]]) -> RowError | None:
        """One '=' answer makes a one-answer question, as in Moodle: its answer is that option only
        (a '~%50%' near-miss earns part marks but is no answer). Otherwise every option with a
        positive weight ('=甲 =乙', or '~%50%' weights) is one of several answers."""
        self.draft.options = [text for _, _, text in choices]
        single = sum(mark == "=" for mark, _, _ in choices) == 1
        best = max(weight for _, weight, _ in choices)
        right = [OPTION_LETTERS[i] for i, (_, weight, _) in enumerate(choices[:8])
                 if weight > 0 and (weight == best or not single)]
        self.draft.type = "single" if single or len(right) == 1 else "multiple"
        self.draft.answer = right
        return None


def read(data: bytes, file: str, mapping: dict[str, str] | None, limits: Limits) -> ReadResult:
    result = ReadResult()
    category = ""
    skipped: dict[str, list[int]] = {}
    for block in _blocks(decode(data)):
        match = _CATEGORY_RE.match(block.text.split("\n", 1)[0])
        if match:
            category = moodle_category(match.group(1))
            rest = block.text.split("\n", 1)[1:]
            if not rest:
                continue
            block = _Block(block.row + 1, rest[0])
        question = _Question(block, category, file)
        outcome = question.parse()
        if isinstance(outcome, RowError):
            result.errors.append(outcome)
        elif outcome:
            skipped.setdefault(outcome, []).append(block.row)
        else:
            result.drafts.append(question.draft)
        check_row_count(len(result.drafts) + len(result.errors), limits)
    result.warnings = [RowError(file, 0, "题型", f"跳过 {len(rows)} 道{kind}（第 {'、'.join(map(str, rows[:10]))}"
                                                  f"{'…' if len(rows) > 10 else ''} 行）")
                       for kind, rows in skipped.items()]
    if not result.drafts and not result.errors:
        skipped_note = f"（{'；'.join(w.message for w in result.warnings)}）" if result.warnings else ""
        raise FileProblem(f"没有找到 GIFT 格式的题目{skipped_note}")
    return result
