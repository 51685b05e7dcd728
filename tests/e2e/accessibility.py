"""Accessibility checks for the browser journeys: axe-core (from the npm registry, installed into
node_modules by `make test`) injected into the page, and a measure of every visible control's box.

- check_axe(page): zero serious or critical axe violations on the page as it stands.
- check_control_edges(page): every visible form field, checkbox and radio stands out from what is behind it
  (its border or its fill at least 3:1, WCAG 1.4.11): axe does not measure this, and a faint box is
  what an older eye misses first.
- check_whole_figures(page): no figure is broken across two lines ("100.0" / "%", "2026-" / "12-07",
  "2" / "分"): a reader takes the first line's part for the whole.
- check_centred_labels(page): a button's words in the middle of its box (a box stretched to the least
  tap size with its words at the top reads as two things).
- check_tap_targets(page, elder): every visible control at least 44×44 px; in 长辈版 the main
  controls (buttons, answer options, list links, form fields) at least 60×60 px. A checkbox or radio
  counts with its label, since a tap on the label ticks it.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
MIN_TAP_PX = 44
MIN_ELDER_MAIN_PX = 60


def require_axe(path: Path = AXE, environ=os.environ) -> None:
    """Skip without axe-core (run `npm ci` or `make test`), but fail under CI=true, where it must run."""
    if path.exists():
        return
    reason = f"{path} 不存在：无障碍检查需要 axe-core（在仓库根目录运行 npm ci --no-audit --no-fund，或 make test）"
    if environ.get("CI") == "true":
        pytest.fail(reason + "；CI 中不允许跳过。", pytrace=False)
    pytest.skip(reason)


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page (WCAG 2.x A and AA rules)."""
    require_axe()
    # Measure the page at rest: a hover transition caught half-way (the pointer left over a button after
    # a click) has colours no user reads. Bootstrap turns its transitions off for reduced motion.
    page.emulate_media(reduced_motion="reduce")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's debugging protocol, as a console would: the site's CSP rightly
        # refuses a <script> element with inline content (add_script_tag), and the check must not weaken it.
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations'],
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n')[1])}));
    }""")
    return [violation for violation in results if violation["impact"] in BLOCKING]


def check_axe(page) -> None:
    found = axe_violations(page)
    assert not found, f"{page.url}: axe 发现严重的无障碍问题：\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in found)


# Every control a finger can tap; the 长辈版 "main" ones must be larger still.
CONTROL_BOXES = """([elder, minTap, minMain]) => {
    const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex="0"]';
    const main = '.btn, .quiz-option, .list-group-item-action, .navbar-toggler, .form-control, .form-select';
    const shown = el => {
        const box = el.getBoundingClientRect(), style = getComputedStyle(el);
        return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && !el.closest('[hidden], .collapse:not(.show)');
    };
    const tapBox = el => {
        let box = el.getBoundingClientRect();
        if (el.type === 'checkbox' || el.type === 'radio') {
            const holder = el.closest('label, .form-check') || (el.id && document.querySelector(`label[for="${el.id}"]`));
            if (holder) { box = holder.getBoundingClientRect(); }
        }
        return box;
    };
    const problems = [];
    for (const el of document.querySelectorAll(controls)) {
        if (!shown(el)) { continue; }
        const box = tapBox(el);
        const least = elder && el.matches(main) ? minMain : minTap;
        if (box.width + 0.5 < least || box.height + 0.5 < least) {
            const name = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || el.tagName).trim().slice(0, 30);
            problems.push(`${el.tagName.toLowerCase()}「${name}」${Math.round(box.width)}×${Math.round(box.height)}（至少 ${least}×${least}）`);
        }
    }
    return problems;
}"""


# WCAG 1.4.11 (non-text contrast): a field's edge (its border, or its own fill) against what lies behind it.
CONTROL_EDGES = """(least) => {
    const rgb = text => { const m = text.match(/[\\d.]+/g).map(Number); return {c: m.slice(0, 3), a: m.length > 3 ? m[3] : 1}; };
    const lum = ({c}) => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                           return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const ratio = (x, y) => { const [a, b] = [lum(x), lum(y)].sort((p, q) => q - p); return (a + 0.05) / (b + 0.05); };
    const behind = el => { for (let node = el.parentElement; node; node = node.parentElement) {
        const colour = rgb(getComputedStyle(node).backgroundColor); if (colour.a > 0) { return colour; } }
        return rgb('rgb(255, 255, 255)'); };
    const problems = [];
    const fields = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not(.btn-check), select, textarea';
    for (const el of document.querySelectorAll(fields)) {
        const box = el.getBoundingClientRect(), style = getComputedStyle(el);
        const native = (el.type === 'checkbox' || el.type === 'radio') && style.appearance !== 'none';  // drawn by the browser
        const shown = box.width > 0 && style.visibility !== 'hidden' && !el.closest('[hidden], .collapse:not(.show)');
        if (native || el.disabled || el.checked || !shown) { continue; }
        const outer = behind(el), fill = rgb(style.backgroundColor);
        const edge = Math.max(parseFloat(style.borderTopWidth) > 0 ? ratio(rgb(style.borderTopColor), outer) : 1,
                              fill.a > 0 ? ratio(fill, outer) : 1);
        if (edge < least) {
            const name = (el.labels && el.labels[0] ? el.labels[0].innerText : el.name || el.type).trim().slice(0, 20);
            problems.push(`${el.tagName.toLowerCase()}「${name}」边框对比度 ${edge.toFixed(2)}:1（至少 ${least}:1）`);
        }
    }
    return problems;
}"""
MIN_EDGE_CONTRAST = 3


def faint_controls(page) -> list[str]:
    return page.evaluate(CONTROL_EDGES, MIN_EDGE_CONTRAST)


def check_control_edges(page) -> None:
    problems = faint_controls(page)
    assert not problems, f"{page.url}: 看不清边框的输入框或选择框：\n- " + "\n- ".join(problems)


# A figure with its unit, as the pages write them: 100.0%, 2026-12-07, 12:30, 11/11 人, 2 分, 12月.
BROKEN_FIGURES = r"""() => {
    const figure = /\d+(?:[.:\/\-]\d+)*%?(?:\s?[天题分次名人秒月日年])?/g;
    const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
    const problems = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.parentElement || !node.parentElement.getClientRects().length) { continue; }
        for (const match of node.data.matchAll(figure)) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom)));
            if (tops.size > 1) { problems.push(`「${match[0]}」（${node.data.trim().slice(0, 30)}）`); }
        }
    }
    return problems;
}"""


def broken_figures(page) -> list[str]:
    return page.evaluate(BROKEN_FIGURES)


def check_whole_figures(page) -> None:
    problems = broken_figures(page)
    assert not problems, f"{page.url}: 被折成两行的数字：\n- " + "\n- ".join(problems)


OFF_CENTRE_LABELS = """(slack) => {
    const problems = [];
    for (const el of document.querySelectorAll('.btn')) {
        const box = el.getBoundingClientRect();
        if (!box.height || getComputedStyle(el).visibility === 'hidden' || el.closest('[hidden], .collapse:not(.show)')) { continue; }
        const range = document.createRange();
        range.selectNodeContents(el);
        const words = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
        if (!words.length) { continue; }
        const above = Math.min(...words.map(r => r.top)) - box.top, below = box.bottom - Math.max(...words.map(r => r.bottom));
        if (Math.abs(above - below) > slack) {
            problems.push(`「${el.innerText.trim().slice(0, 20)}」上方 ${Math.round(above)} px，下方 ${Math.round(below)} px`);
        }
    }
    return problems;
}"""
CENTRE_SLACK_PX = 4


def off_centre_labels(page) -> list[str]:
    return page.evaluate(OFF_CENTRE_LABELS, CENTRE_SLACK_PX)


def check_centred_labels(page) -> None:
    problems = off_centre_labels(page)
    assert not problems, f"{page.url}: 按钮上的字没有居中：\n- " + "\n- ".join(problems)


def small_tap_targets(page, elder: bool) -> list[str]:
    return page.evaluate(CONTROL_BOXES, [elder, MIN_TAP_PX, MIN_ELDER_MAIN_PX])


def check_tap_targets(page, elder: bool) -> None:
    problems = small_tap_targets(page, elder)
    assert not problems, f"{page.url}: 太小、不好点的控件：\n- " + "\n- ".join(problems)


def check_page(page, elder: bool) -> None:
    """All five checks, on the page as it stands."""
    check_axe(page)
    check_control_edges(page)
    check_whole_figures(page)
    check_centred_labels(page)
    check_tap_targets(page, elder)
