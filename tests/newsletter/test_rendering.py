"""The shared body format: body_clean, report_body_to_html, the editor's lines and
article_blocks."""

from types import SimpleNamespace

from newsletter.rendering import (
    article_blocks,
    body_clean,
    body_to_lines,
    renumber_markers,
    report_body_to_html,
)


def test_plain_lines_become_paragraphs_subheadings_and_markers():
    text = (
        "为加强对下一代的关心。\n\n一、广泛宣传强意识\n[照片1]\n【照片２】\n"
        "“义剪”——用剪刀剪去长者们的忧愁\n1.开展法律法规宣传\n"
        "1.活动类：加强活动的开展，按照项目计划，继续与学校和社区进行合作，开展系列活动。"
    )
    assert body_clean(text) == (
        "<p>为加强对下一代的关心。</p>\n"
        "<h3>一、广泛宣传强意识</h3>\n"
        "<p>[照片1]</p>\n<p>[照片2]</p>\n"
        "<h3>“义剪”——用剪刀剪去长者们的忧愁</h3>\n"
        "<h3>1.开展法律法规宣传</h3>\n"
        # Longer than a subheading: a paragraph that starts with a number.
        "<p>1.活动类：加强活动的开展，按照项目计划，继续与学校和社区进行合作，开展系列活动。</p>"
    )


def test_html_is_sanitised_to_the_allowlist():
    dirty = (
        '<p onclick="x()" style="color:red">甲<strong class="a">乙</strong>'
        "<em>丙</em><br>丁<script>alert(1)</script></p>"
        '<h1>标题</h1><div>块</div><img src=x onerror="alert(1)"><a href="javascript:x">链</a>'
    )
    assert body_clean(dirty) == (
        "<p>甲<strong>乙</strong><em>丙</em><br>丁</p>\n<h3>标题</h3>\n<p>块</p>\n<p>链</p>"
    )


def test_a_less_than_sign_in_a_plain_line_is_text():
    assert body_clean("甲<乙 & 丙") == "<p>甲&lt;乙 &amp; 丙</p>"
    assert body_clean("<script>x</script>") == "<p>&lt;script&gt;x&lt;/script&gt;</p>"


def test_editor_lines_round_trip_keeps_emphasis_and_explicit_subheadings():
    body = (
        "<p>第一段<strong>加粗</strong>，<em>斜体</em><br>换行 &lt;原样&gt;</p>\n"
        "<h3>一、小标题</h3>\n<h3>项目成效</h3>\n<p>[照片1]</p>"
    )
    lines = body_to_lines(body)
    assert lines == (
        "第一段<strong>加粗</strong>，<em>斜体</em><br>换行 <原样>\n\n"
        "一、小标题\n\n## 项目成效\n\n[照片1]"
    )
    assert body_clean(lines) == body


def test_report_body_is_text_never_markup():
    assert report_body_to_html("甲<strong>乙</strong>\n【照片2】\n一、标题") == (
        "<p>甲&lt;strong&gt;乙&lt;/strong&gt;</p>\n<p>[照片2]</p>\n<h3>一、标题</h3>"
    )


class _Photos(list):
    def all(self):
        return self


def _photo(pk, position):
    return SimpleNamespace(pk=pk, position=position)


def test_article_blocks_place_photos_and_append_the_rest():
    p1, p2, p3 = _photo(11, 1), _photo(12, 2), _photo(13, 3)
    article = SimpleNamespace(
        body="<p>一</p>\n<p>[照片2]</p>\n<h3>二、小标题</h3>\n<p>[照片9]</p>\n"
        "<p>[照片2]</p>\n<p>三</p>",
        photos=_Photos([p3, p1, p2]),
    )
    blocks = article_blocks(article)
    assert [(b.kind, b.text or b.photo.pk) for b in blocks] == [
        ("paragraph", "一"),
        ("photo", 12),
        ("subheading", "二、小标题"),
        # [照片9] has no photo and the second [照片2] repeats one: both dropped.
        ("paragraph", "三"),
        ("photo", 11),
        ("photo", 13),
    ]


def test_renumber_markers_follows_moved_and_removed_photos():
    body = "<p>a</p>\n<p>[照片1]</p>\n<p>[照片2]</p>\n<p>[照片3]</p>"
    assert renumber_markers(body, {1: 2, 2: None, 3: 1}) == (
        "<p>a</p>\n<p>[照片2]</p>\n<p>[照片1]</p>"
    )
