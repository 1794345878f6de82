"""Rendering helpers: escaping, stable highlighting and excerpts."""
from site_builder.render import excerpt, highlight


def test_highlight_escapes_text_and_marks_words():
    assert str(highlight("<b>农民工</b>培训", ["农民工"])) == "&lt;b&gt;<mark>农民工</mark>&lt;/b&gt;培训"


def test_overlapping_words_are_marked_once_whatever_their_order():
    # Both words are 5 characters and overlap; the result must not depend on the list order
    # (which follows a set, so Python's hash seed), and the marks must not nest or overlap.
    text = "积极引导城乡富余劳动力输转就业"
    one = str(highlight(text, ["富余劳动力", "劳动力输转"]))
    assert one == str(highlight(text, ["劳动力输转", "富余劳动力"]))
    assert one.count("<mark>") == 1 and one.replace("<mark>", "").replace("</mark>", "") == text


def test_a_word_inside_a_longer_one_is_not_marked_twice():
    assert str(highlight("支持农民工和农民", ["农民", "农民工"])) == "支持<mark>农民工</mark>和<mark>农民</mark>"


def test_excerpt_starts_near_the_first_evidence_word_at_a_clause_boundary():
    text = "加强公共服务。" * 30 + "对返乡创业的农民工给予一次性创业补贴，每人5000元。" + "完善制度。" * 20
    cut = excerpt(text, ["农民工"], width=60)
    assert "农民工" in cut
    assert cut.startswith("…") and cut.endswith("…")
    assert cut[1:].startswith("加强公共服务。") or cut[1:].startswith("对返乡")
    assert len(cut) <= 62


def test_short_text_and_no_words_keep_the_opening():
    assert excerpt("短文本。", ["农民工"]) == "短文本。"
    assert excerpt("甲" * 200, [], width=50) == "甲" * 50 + "…"


def test_css_minified_keeps_strings_and_drops_comments():
    from site_builder.render import minify_css
    css = 'a , b > c {\n  font-family: "PingFang SC", sans-serif; /* it\'s a note */\n}\n.q::after { content: "a , b"; }\n'
    assert minify_css(css) == 'a,b>c{font-family: "PingFang SC",sans-serif;}.q::after{content: "a , b";}\n'
