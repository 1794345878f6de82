"""Rendering helpers: escaping, stable highlighting, excerpts, and measure cards rendered once."""
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


def test_a_measures_facts_are_rendered_once_and_read_as_if_rendered_in_each_card(root):
    """Cards renders what a card says of a measure whatever the list (entry_facts) once per
    measure, and each card once per group with marks for its links and heading level; every list
    page must read exactly as when each card is rendered for it alone."""
    from collections import Counter

    from site_builder import render, routes
    from site_builder.build import Paths, load
    from site_builder.diagnostics import Report

    config, lex, lib, _similar, _ = load(Paths(root / "seeds", root / "content", root / "unused", root / "templates"),
                                         Report())
    lists = [p for p in routes.pages(lib, lex, config) if p.template in ("group.html", "department.html")]
    env = render.environment(root / "templates")

    class Inline(render.Cards):
        def for_page(self, path, url):  # every card made for this page, as pages in plans/ make theirs
            return self.direct(url)

    cards, made, shown = render.Cards(env, lib), Counter(), Counter()
    module = cards._macros()
    real_facts, real_card = module.entry_facts, module.entry_card
    module.entry_facts = lambda e, *a: made.update([e.id]) or real_facts(e, *a)
    module.entry_card = lambda e, *a: shown.update([e.id]) or real_card(e, *a)
    cached = [render.render(env, p, lib, config, False, cards) for p in lists]
    module.entry_facts, module.entry_card = real_facts, real_card
    assert max(shown.values()) > 1, "no measure is in two lists: nothing was tested"
    assert set(made) == set(shown) and max(made.values()) == 1
    assert cached == [render.render(env, p, lib, config, False, Inline(env, lib)) for p in lists]
