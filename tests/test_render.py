"""Rendering helpers: escaping and stable highlighting."""
from site_builder.render import highlight


def test_highlight_escapes_text_and_marks_words():
    assert str(highlight("<b>农民工</b>培训", ["农民工"])) == "&lt;b&gt;<mark>农民工</mark>&lt;/b&gt;培训"


def test_overlapping_words_of_equal_length_are_marked_in_a_fixed_order():
    # Both words are 5 characters and overlap; which one wins must not depend on the hash seed.
    text = "积极引导城乡富余劳动力输转就业"
    expected = "积极引导城乡富余<mark>劳动力输转</mark>就业"
    assert str(highlight(text, ["富余劳动力", "劳动力输转"])) == expected
    assert str(highlight(text, ["劳动力输转", "富余劳动力"])) == expected
