"""The pure text functions of the search: grams, terms, highlighting."""

from newsletter.search.text import (
    excerpt,
    grams_of,
    highlight,
    is_exact,
    query_grams,
    split_terms,
)


def test_grams_are_characters_and_pairs_within_runs():
    assert grams_of("儿童之家") == ["儿", "儿童", "童", "童之", "之", "之家", "家"]
    assert grams_of("儿童，之家") == ["儿", "儿童", "童", "之", "之家", "家"]
    assert grams_of("A_b") == ["a", "b"]


def test_query_grams_and_exactness():
    assert query_grams("童") == ["童"]
    assert query_grams("儿童") == ["儿童"]
    assert query_grams("儿童之家") == ["儿童", "童之", "之家"]
    assert is_exact("童") and is_exact("儿童")
    assert not is_exact("儿童之") and not is_exact("儿，童")


def test_terms_split_on_any_space_and_drop_punctuation():
    assert split_terms(" 儿童　禁毒  ，， 儿童 ") == ["儿童", "禁毒"]
    assert split_terms("a b c d e f g") == ["a", "b", "c", "d", "e"]


def test_highlight_escapes_everything_but_its_marks():
    assert highlight("<b>儿童</b>", ["儿童"]) == "&lt;b&gt;<mark>儿童</mark>&lt;/b&gt;"
    assert highlight("Ab ab", ["AB"]) == "<mark>Ab</mark> <mark>ab</mark>"


def test_excerpt_is_a_window_around_the_first_hit():
    text = "甲" * 200 + "儿童" + "乙" * 200
    piece = excerpt(text, ["儿童"], width=40)
    assert piece.startswith("…") and piece.endswith("…")
    assert "<mark>儿童</mark>" in piece
    assert len(piece.replace("<mark>", "").replace("</mark>", "")) == 42
    assert excerpt("短文", ["无"], width=40) == "短文"
