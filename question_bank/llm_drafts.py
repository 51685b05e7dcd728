"""Optional drafting by a large language model behind an OpenAI-compatible chat-completions
endpoint (a local Ollama or vLLM, or a hosted service). Off unless an endpoint is configured.

The model is asked for questions as JSON, each with the verbatim passage it rests on. Its drafts
go through the same checks as the rule-based ones, and a draft is dropped (and counted by reason)
when its quote is not in the text word for word, its answer is not supported by the quote, its
options repeat, or it does not pass the bank's validator.
"""
from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

from question_bank.draft import OPTION_LETTERS, QUESTION_TYPES, QuestionDraft, SourceRef
from question_bank.draft_bank import category_root
from question_bank.studytext.convert import simplified
from question_bank.text import canonical_blanks, count_blanks
from question_bank.text import normalise_answer_text as fold
from question_bank.validate import validate

MAX_TEXT = 8000  # characters of the text sent to the model
TIMEOUT_S = 120
DROP_REASONS = {"quote": "摘录在原文中找不到", "answer": "答案没有摘录支持",
                "options": "选项重复", "invalid": "格式不合规", "duplicate": "与已有题目重复"}
PROMPT = """你是党员学习答题的出题人。请只根据下面的学习材料出题，覆盖单选、多选、判断、填空四种题型。
要求：每道题都给出材料中的一段原文摘录（quote，必须与原文逐字相同）；答案必须能由摘录直接得出；
单选题恰有一个正确选项，多选题有两个以上正确选项且不能全选；判断题约一半是错误说法；
填空题题干用（　）表示空格，答案是一个完整的词语。
只输出 JSON：{"questions": [{"type": "single|multiple|judge|fill", "stem": "…",
"options": ["…"], "answer": ["A"] | true | [["答案", "同义答案"]], "quote": "…", "explanation": "…"}]}

学习材料：
"""


@dataclass
class LLMSettings:
    url: str
    model: str
    api_key: str = ""

    def endpoint(self) -> str:
        url = self.url.rstrip("/")
        return url if url.endswith("/chat/completions") else url + "/chat/completions"


@dataclass
class LLMResult:
    drafts: list[QuestionDraft] = field(default_factory=list)
    dropped: Counter = field(default_factory=Counter)
    error: str = ""

    def summary(self) -> str:
        """"大模型草拟 5 道，丢弃 2 道（摘录在原文中找不到 1、选项重复 1）" (Chinese)."""
        if self.error:
            return f"大模型未能出题：{self.error}"
        dropped = sum(self.dropped.values())
        reasons = "、".join(f"{DROP_REASONS[r]} {n}" for r, n in self.dropped.items())
        return f"大模型草拟 {len(self.drafts)} 道" + (f"，丢弃 {dropped} 道（{reasons}）" if dropped else "")


def llm_drafts(text: str, source: SourceRef, settings: LLMSettings,
               opener=urllib.request.urlopen) -> LLMResult:
    """Drafts the model proposes for ``text`` that pass every check."""
    try:
        questions = _ask(text, settings, opener)
    except (OSError, ValueError, KeyError, TypeError, urllib.error.URLError) as error:
        return LLMResult(error=_describe(error))
    result, stems = LLMResult(), set()
    reading = simplified(text)
    for raw in questions:
        draft, reason = _checked(raw, text, reading, source)
        if draft and fold(draft.stem) in stems:
            draft, reason = None, "duplicate"
        if draft is None:
            result.dropped[reason] += 1
            continue
        stems.add(fold(draft.stem))
        result.drafts.append(draft)
    return result


def _ask(text: str, settings: LLMSettings, opener) -> list:
    body = json.dumps({"model": settings.model, "temperature": 0.2,
                       "messages": [{"role": "user", "content": PROMPT + text[:MAX_TEXT]}]}).encode()
    headers = {"Content-Type": "application/json"}
    if settings.api_key:
        headers["Authorization"] = f"Bearer {settings.api_key}"
    request = urllib.request.Request(settings.endpoint(), data=body, headers=headers)
    with opener(request, timeout=TIMEOUT_S) as response:
        reply = json.loads(response.read().decode("utf-8"))
    content = reply["choices"][0]["message"]["content"]
    content = re.sub(r"^```(?:json)?\s*|\s*```$", "", content.strip())
    data = json.loads(content)
    questions = data["questions"] if isinstance(data, dict) else data
    if not isinstance(questions, list):
        raise ValueError("回复里没有题目列表")
    return questions


def _describe(error: Exception) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"服务返回 HTTP {error.code}"
    if isinstance(error, (urllib.error.URLError, OSError)):
        return f"连接不上服务（{getattr(error, 'reason', error)}）"
    return "回复不是约定的 JSON 格式"


def _checked(raw, text: str, reading: str, source: SourceRef
             ) -> tuple[QuestionDraft | None, str]:
    if not isinstance(raw, dict) or raw.get("type") not in QUESTION_TYPES:
        return None, "invalid"
    quote = str(raw.get("quote") or "").strip()
    offset = text.find(quote) if quote else -1
    if offset < 0 and quote:
        offset = reading.find(quote)
    if offset < 0 or len(quote) < 4:
        return None, "quote"
    quote = text[offset:offset + len(quote)]
    options = [str(option).strip() for option in raw.get("options") or []]
    if len({fold(o) for o in options}) != len(options):
        return None, "options"
    draft = QuestionDraft(
        type=raw["type"], stem=canonical_blanks(str(raw.get("stem") or "").strip()), options=options,
        answer=_answer(raw), explanation=str(raw.get("explanation") or "").strip(),
        category=category_root(source), status="draft", source=source, quote=quote,
        key="llm-" + hashlib.sha1("\x1f".join((source.file, str(raw.get("stem")))).encode())
        .hexdigest()[:16], origin_file=source.file)
    if validate([draft]):
        return None, "invalid"
    if not _supported(draft, fold(simplified(quote))):
        return None, "answer"
    return draft, ""


def _answer(raw: dict):
    answer = raw.get("answer")
    if raw["type"] == "judge":
        return answer if isinstance(answer, bool) else str(answer).strip() in ("对", "正确", "true")
    if raw["type"] == "fill" and isinstance(answer, list):
        return [[str(word) for word in blank] if isinstance(blank, list) else [str(blank)]
                for blank in answer]
    if isinstance(answer, str):
        return list(answer.replace(",", "").replace("，", "").strip())
    return answer


def _supported(draft: QuestionDraft, quote: str) -> bool:
    """The answer can be read in the quote: the right options or the fill-in words stand in it;
    a true statement stands in it (nearly word for word), a false one does not."""
    if draft.type in ("single", "multiple"):
        right = [draft.options[OPTION_LETTERS.index(letter)] for letter in draft.answer]
        return all(fold(simplified(option)) in quote for option in right) and \
            len(right) < len(draft.options)
    if draft.type == "fill":
        return all(fold(simplified(blank[0])) in quote for blank in draft.answer) and \
            count_blanks(draft.stem) == len(draft.answer)
    statement = fold(simplified(draft.stem))
    shared = _bigram_share(statement, quote)
    return (shared >= 0.8) if draft.answer else (statement not in quote and shared >= 0.5)


def _bigram_share(statement: str, quote: str) -> float:
    grams = {statement[i:i + 2] for i in range(len(statement) - 1)}
    return sum(gram in quote for gram in grams) / len(grams) if grams else 0.0
