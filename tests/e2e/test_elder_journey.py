"""长辈版 journey on a phone: a new member is offered 长辈版 on first login and turns it on, takes the
daily quiz pressing 朗读 on every question, and reads the result. The browser's speech synthesis is
stubbed in the page (add_init_script) so that what would be spoken can be read back; without a
Chinese voice, or without speech synthesis at all, the 朗读 button is not shown."""
import pytest
from playwright.sync_api import expect

from tests.e2e.accessibility import check_page
from tests.e2e.conftest import PHONE, TIMEOUT_MS, assert_fits_width, log_in
from tests.e2e.test_quiz import PASSWORD, answer_shown_question, new_member, quiz_bank  # noqa: F401 (a fixture)

# A speechSynthesis with the given voices that records what it is asked to say in window.spoken.
SPEECH_STUB = """(voices) => {
  window.spoken = [];
  const synth = {
    getVoices: () => voices.map(lang => ({lang, name: lang + ' 语音', voiceURI: lang, default: true, localService: true})),
    speak: utterance => window.spoken.push({text: utterance.text, lang: utterance.lang,
                                            voice: utterance.voice ? utterance.voice.lang : null}),
    cancel: () => {}, addEventListener: () => {}, speaking: false, pending: false, paused: false,
  };
  Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; this.voice = null; };
}"""
NO_SPEECH = "delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;"


def phone_with_voices(browser, voices: list[str] | None):
    """A phone page whose browser has these voices (None: no speech synthesis at all)."""
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    if voices is None:
        context.add_init_script(NO_SPEECH)
    else:
        context.add_init_script(f"({SPEECH_STUB})({voices!r})")
    return context.new_page()


def test_a_member_turns_elder_mode_on_and_takes_the_daily_quiz_read_aloud(browser, quiz_bank, screenshot):  # noqa: F811
    server = quiz_bank
    page = phone_with_voices(browser, ["en-US", "zh-CN"])
    new_member(server, "elder_j1")
    log_in(page, server, "elder_j1", PASSWORD)
    offer = page.locator("#elder-offer")
    expect(offer).to_contain_text("要不要用长辈版？")
    screenshot(page, "elder-offer")
    offer.get_by_role("button", name="开启长辈版").click()
    expect(page.locator("html")).to_have_class("elder")
    expect(page.locator("#elder-offer")).to_have_count(0)  # offered once
    expect(page.get_by_role("alert")).to_contain_text("已切换到长辈版")
    assert page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") >= 23
    check_page(page, elder=True)

    page.get_by_role("button", name="每日答题").click()
    page.wait_for_url("**/quiz/attempts/**")
    for position in range(1, 11):
        read_aloud = page.get_by_role("button", name="朗读题目和选项")
        expect(read_aloud).to_be_visible()
        if position == 1:
            check_page(page, elder=True)
            screenshot(page, "elder-question")
        read_aloud.click()
        said = page.evaluate("() => window.spoken")  # recorded afresh on each question's page
        assert len(said) == 1
        spoken = said[0]
        stem = page.locator("#stem").inner_text()
        assert spoken["voice"] == "zh-CN" and spoken["lang"] == "zh-CN"  # the Chinese voice, not the first one
        assert spoken["text"].startswith(stem.replace("（ 1 ）", "（空）").split("（")[0].strip())
        if page.locator(".quiz-option input[name=choice]").count():
            assert "选项A，" in spoken["text"] and "选项B，" in spoken["text"]
        elif page.locator("input[name=judge]").count():
            assert spoken["text"].endswith("正确。错误")
        answer_shown_question(page)
        if position < 10:
            page.get_by_role("button", name="下一题").click()
            page.wait_for_url(f"**q={position + 1}")
    page.get_by_role("button", name="交卷").first.click()
    page.wait_for_url("**/result")
    expect(page.locator(".quiz-score")).to_be_visible()
    result = page.locator("main").inner_text()
    assert "答对" in result and ("✓ 回答正确" in result or "✗ 回答错误" in result)  # words and icons, not colour
    expect(page.locator("html")).to_have_class("elder")
    assert_fits_width(page)
    check_page(page, elder=True)
    screenshot(page, "elder-result")
    page.context.close()


@pytest.mark.parametrize("voices", [None, [], ["en-US"]], ids=["no-speech", "no-voice", "no-chinese-voice"])
def test_no_read_aloud_button_where_the_browser_cannot_speak_chinese(browser, quiz_bank, voices):  # noqa: F811
    server = quiz_bank
    page = phone_with_voices(browser, voices)
    username = f"elder_n{len(voices) if voices is not None else 9}"
    new_member(server, username)
    log_in(page, server, username, PASSWORD)
    page.get_by_role("button", name="每日答题").click()
    page.wait_for_url("**/quiz/attempts/**")
    expect(page.locator("#stem")).to_be_visible()
    expect(page.locator("#read-aloud")).to_be_hidden()
    expect(page.get_by_role("button", name="朗读题目和选项")).to_have_count(0)
    page.context.close()


def test_the_menu_works_without_javascript(browser, quiz_bank):  # noqa: F811
    context = browser.new_context(**PHONE, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    new_member(quiz_bank, "elder_nojs")
    log_in(page, quiz_bank, "elder_nojs", PASSWORD)
    page.get_by_role("button", name="打开菜单").click()  # a link to the menu page underneath
    page.wait_for_url("**/menu")
    menu = page.locator("#menu-page")
    for label in ("错题本", "学习园地", "我的学习"):
        expect(menu.get_by_role("link", name=label, exact=True)).to_be_visible()
    menu.get_by_role("link", name="错题本", exact=True).click()
    page.wait_for_url("**/quiz/wrong-book")
    page.go_back()
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_text("您已退出登录。")).to_be_visible()
    context.close()
