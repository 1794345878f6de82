"""Text helpers for the parser: PDF spacing, heading sentences, run-on headings."""
from __future__ import annotations

import re

_CJK = r"\u3400-\u9fff，。、；：！？“”‘’（）《》〔〕【】—…·"
_SPACE_IN_CJK = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACE_CJK_DIGIT = re.compile(rf"(?<=[{_CJK}])\s+(?=[0-9])|(?<=[0-9%])\s+(?=[{_CJK}])")


def clean_text(text: str) -> str:
    """Drop spaces a PDF extractor put between Chinese characters; keep spaces in Latin text."""
    text = _SPACE_IN_CJK.sub("", text.strip())
    text = _SPACE_CJK_DIGIT.sub("", text)
    text = re.sub(r"\s{2,}", " ", text)
    # Half-width punctuation between Chinese characters reads as its full-width form.
    text = re.sub(r"(?<=[\u4e00-\u9fff”）)]),(?=\S)", "，", text)
    text = re.sub(r"(?<=[\u4e00-\u9fff”）)]);(?=\S)", "；", text)
    text = re.sub(r"(?<=[\u4e00-\u9fff]):(?=\S)", "：", text)
    return text


# Verbs that open the body sentence when a heading runs straight into it because its 。 was lost:
# `打造公共就业服务品牌打响区域劳务品牌…` → heading `打造公共就业服务品牌`.
RUN_ON_STARTERS = (
    "实施", "加快", "推进", "建立", "深化", "落实", "推动", "鼓励", "打响", "巩固", "整合",
    "充分", "全面", "完善", "力争", "做好", "探索", "支持", "加强", "健全", "引导", "坚持",
    "积极", "大力", "依托", "围绕", "聚焦", "开展", "发挥", "加大", "强化", "扩大", "规范",
    "对", "以",
)

HEADING_MAX = 40

_ORDINAL_LIST = re.compile(r"[一二三四五六七八九十]+(?:次|类|是|方面)[、，,]")
"""``一次、二次、三次分配…`` — a body that opens by enumerating, so a heading ended just before."""
_MODAL_NOUNS = ("要素", "要求", "要点", "要件", "要害", "要闻", "要务", "要地", "要塞", "要员")
"""Words starting with 要 that are nouns, not the modal 要 (must) opening a body sentence."""


def split_heading(text: str, run_on: bool = True, has_children: bool = False) -> tuple[str | None, str]:
    """An item's opening heading sentence and the rest: ``完善…机制。引导企业…``.

    A heading is a first sentence of at most 40 characters (at most 24 when it holds a comma,
    since a longer one reads as a statement). A lone sentence is a heading only when sub-items
    follow it. When the 。 was lost, a run-on heading ends where a body sentence visibly starts
    (RUN_ON_STARTERS); callers allow that only in plans whose items do carry headings.
    """
    text = text.strip()
    label = re.match(r"^([^，,。；;：:“”]{2,16})[：:](?=\S)", text)
    if label:
        # `特困群体富民工程：完成…` — a label and its description.
        return label.group(1), text[label.end():].strip()
    m = re.search(r"[。；;]", text)
    if m and 2 <= m.start() <= HEADING_MAX:
        head, rest = text[:m.start()].strip(), text[m.end():].strip()
        found = _run_on(text) if run_on and len(head) > 14 else None
        if found and len(found) < len(head):
            return found, text[len(found):].strip()
        if re.search(r"[，,]", head) and len(head) > 26:
            return None, text
        if not rest and not has_children:
            return None, text
        return head, rest
    if not m and len(text) <= HEADING_MAX and not re.search(r"[，,]", text):
        if has_children:
            return text, ""
        return None, text
    found = _run_on(text) if run_on else None
    if found:
        return found, text[len(found):].strip()
    return None, text


def is_heading_style(texts: list[str]) -> bool:
    """True when most items of a plan open with a short heading sentence, so a lost 。 can be
    repaired: measured on the items that kept their 。."""
    if not texts:
        return False
    with_heading = sum(1 for t in texts if (m := re.search(r"[。；;]", t)) and 2 <= m.start() <= 24)
    return with_heading >= 0.4 * len(texts)


def _run_on(text: str) -> str | None:
    first_clause = re.split(r"[，,。；;：:]", text, 1)[0]
    if len(first_clause) < 12:
        return None
    for p in range(5, min(26, len(first_clause) - 3)):
        if re.search(r"[“”‘’《》（）()]", text[:p]):
            return None
        # After an enumeration comma the heading's second half needs room: `政府引导`, not `政府`.
        since_comma = p - (text.rfind("、", 0, p) + 1) if "、" in text[:p] else p
        # `坚持市场主导、政府引导坚持市场主导，…` — the body opens by repeating the heading's verb;
        # `…大幅增加2025年城乡…` — or with a year.
        if since_comma >= 4 and ((text[p:p + 2] == text[:2] and re.match(r"[\u4e00-\u9fff]{2}", text[:2])) or
                                 (re.match(r"(?:19|20)\d\d年", text[p:]) and re.match(r"[\u4e00-\u9fff]", text[p - 1]))):
            return text[:p]
        # `收入分配格局不断优化一次、二次…` — the body enumerates; `…分类施策要精准识别…` — it opens
        # with the modal 要 (not 要素, 要求 …).
        if since_comma >= 4 and re.match(r"[\u4e00-\u9fff]", text[p - 1]) and (
                _ORDINAL_LIST.match(text, p) or (text.startswith("要", p) and not text.startswith(_MODAL_NOUNS, p)
                                                 and re.match(r"要[\u4e00-\u9fff]{3}", text[p:]))):
            return text[:p]
        if since_comma >= 6 and text.startswith(RUN_ON_STARTERS, p):
            # A one-character starter must begin a longer clause, not a compound word.
            starter = next(s for s in RUN_ON_STARTERS if text.startswith(s, p))
            if len(starter) == 1 and not re.match(r"^[对以][\u4e00-\u9fff]{2,}[的，]|^[对以]", text[p:]):
                continue
            return text[:p]
    return None


def split_title(text: str) -> tuple[str, str]:
    """A section heading and the text that runs on after it.

    ``夯实产业支撑促增收。努力…`` → (夯实产业支撑促增收, 努力…); ``加强公共服务体系建设… 按照…``
    ends at the gap; a run-on heading ends where a body sentence starts.
    """
    text = text.strip()
    gap = re.match(r"^(\S{2,40}?)\s+(?=\S)", text)
    m = re.search(r"[。；;]", text)
    if m and 2 <= m.start() <= HEADING_MAX and not (gap and gap.end() < m.start()):
        return text[:m.start()].strip(), text[m.end():].strip()
    if gap and re.search(r"[\u4e00-\u9fff]$", gap.group(1)):
        return clean_text(gap.group(1)), text[gap.end():].strip()
    if len(text) <= HEADING_MAX and not re.search(r"[。]", text):
        return text, ""
    run_on = _run_on(text)
    if run_on:
        return run_on, text[len(run_on):].strip()
    head = re.split(r"[，,。]", text, 1)[0]
    if len(head) <= HEADING_MAX:
        return head, text[len(head):].lstrip("，,。")
    return text[:HEADING_MAX], text[HEADING_MAX:]
