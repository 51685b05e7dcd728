"""Optional drafting by a language model: a local HTTP server speaks the chat-completions
protocol; every draft it returns is checked and the ones that fail are dropped and counted."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from question_bank.draft import SourceRef
from question_bank.llm_drafts import LLMSettings, llm_drafts

TEXT = ("1935年1月15日至17日，中共中央在遵義召開政治局擴大會議。"
        "黨的紀律主要包括政治紀律、組織紀律、廉潔紀律、群眾紀律、工作紀律、生活紀律。")
GOOD = [
    {"type": "single", "stem": "遵义会议在哪里召开？", "options": ["遵义", "瑞金", "延安", "西柏坡"],
     "answer": ["A"], "quote": "中共中央在遵義召開政治局擴大會議", "explanation": "见原文。"},
    {"type": "multiple", "stem": "党的纪律包括哪些？", "options": ["政治纪律", "组织纪律", "经济纪律", "外交纪律"],
     "answer": ["A", "B"], "quote": "黨的紀律主要包括政治紀律、組織紀律、廉潔紀律", "explanation": ""},
    {"type": "judge", "stem": "1935年1月15日至17日，中共中央在遵义召开政治局扩大会议。", "answer": True,
     "quote": "1935年1月15日至17日，中共中央在遵義召開政治局擴大會議", "explanation": ""},
    {"type": "judge", "stem": "1936年1月15日至17日，中共中央在遵义召开政治局扩大会议。", "answer": False,
     "quote": "1935年1月15日至17日，中共中央在遵義召開政治局擴大會議", "explanation": ""},
    {"type": "fill", "stem": "党的纪律包括政治纪律、（ ）纪律等。", "answer": [["组织"]],
     "quote": "黨的紀律主要包括政治紀律、組織紀律", "explanation": ""},
]
BAD = [
    {"type": "single", "stem": "会议在哪里召开？", "options": ["遵义", "瑞金", "遵义", "延安"], "answer": ["A"],
     "quote": "中共中央在遵義召開政治局擴大會議"},
    {"type": "single", "stem": "会议何时召开？", "options": ["1月", "2月", "3月"], "answer": ["A"],
     "quote": "这句话原文里没有"},
    {"type": "single", "stem": "会议由谁主持？", "options": ["张闻天", "博古", "周恩来"], "answer": ["B"],
     "quote": "中共中央在遵義召開政治局擴大會議"},
    {"type": "multiple", "stem": "下列都对吗？", "options": ["政治纪律", "组织纪律"], "answer": ["A", "B"],
     "quote": "黨的紀律主要包括政治紀律、組織紀律"},
    {"type": "essay", "stem": "谈谈体会", "quote": "黨的紀律"},
]


class ChatServer:
    """A chat-completions endpoint answering every request with ``reply`` (a string)."""

    def __init__(self, reply: str, status: int = 200):
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                server.requests.append((self.path, dict(self.headers),
                                        json.loads(self.rfile.read(length))))
                body = json.dumps({"choices": [{"message": {"role": "assistant", "content": reply}}]})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args):
                pass

        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_checked_drafts_are_kept_with_their_quote_as_written_and_bad_ones_counted():
    reply = "```json\n" + json.dumps({"questions": GOOD + BAD}, ensure_ascii=False) + "\n```"
    with ChatServer(reply) as server:
        result = llm_drafts(TEXT, SourceRef(file="t.txt"), LLMSettings(server.url, "qwen", "secret"))
    path, headers, body = server.requests[0]
    assert path == "/v1/chat/completions" and headers["Authorization"] == "Bearer secret"
    assert body["model"] == "qwen" and TEXT in body["messages"][0]["content"]
    assert [d.type for d in result.drafts] == ["single", "multiple", "judge", "judge", "fill"]
    assert all(d.quote in TEXT and d.status == "draft" and d.key.startswith("llm-")
               for d in result.drafts)
    assert result.drafts[4].stem == "党的纪律包括政治纪律、（　）纪律等。"
    assert result.dropped == {"options": 1, "quote": 1, "answer": 2, "invalid": 1}
    assert "丢弃 5 道" in result.summary() and "选项重复 1" in result.summary()


@pytest.mark.parametrize("reply, status, message", [
    ("not json", 200, "不是约定的 JSON"),
    ("{}", 500, "HTTP 500"),
])
def test_a_bad_reply_is_reported_not_raised(reply, status, message):
    with ChatServer(reply, status) as server:
        result = llm_drafts(TEXT, SourceRef(file="t.txt"), LLMSettings(server.url, "m"))
    assert not result.drafts and message in result.summary()


def test_an_unreachable_endpoint_is_reported():
    result = llm_drafts(TEXT, SourceRef(file="t.txt"), LLMSettings("http://127.0.0.1:9/v1", "m"))
    assert "连接不上" in result.summary()
