"""Where a title breaks (newsletter/typesetting.py): whole words and phrases,
never a line of one or two characters, within the width, balanced, one line
when it fits. The titles are the seed issue's, with their subtitles."""

import subprocess
import sys
from pathlib import Path

import pytest

from newsletter import typesetting
from newsletter.typesetting import PAPER_TITLE_WIDTH, phrases, text_width, title_lines

ROOT = Path(__file__).resolve().parents[2]

SEED_TITLES = [
    "建立健全社会工作常态化培训学习机制",
    "——云浮市民政局顺利举办全市2022年度“双百工程”系列培训",
    "建立健全社会工作常态化培训学习机制——云浮市民政局顺利举办全市2022年度“双百工程”系列培训",
    "云城区民政局组织开展2023年“双百工程”社工站副站长会议",
    "云安民政织牢织密保护网，为未成年人健康成长保驾护航",
    "新兴县民政局启动全县“双百工程”社工站（点）建设督导工作机制",
    "云城区安塘街道社工站：温暖“童”行，“双百工程”社工助力适龄儿童顺利入园",
    "云安区富林镇社工站开展“暖心护苗 呵护成长”关爱农村困境儿童和留守儿童活动",
    "新兴县六祖镇社工站开展2023年“夕阳红，幸福家”义影义剪志愿活动",
    "罗定市泗纶镇社工站开展“珍爱生命，远离毒品”宣传活动",
    "郁南县河口镇社工站开展防止返贫三类和重残对象入户走访工作",
    "郁南县平台镇社工站对“青春同行，向阳而生”关爱重点青年群体服务项目进行中期阶段性总结",
]


def _cuts(pieces):
    """The offsets between pieces."""
    offsets, at = set(), 0
    for piece in pieces[:-1]:
        at += len(piece)
        offsets.add(at)
    return offsets


@pytest.mark.parametrize("title", SEED_TITLES)
def test_phrases_cover_the_title_and_keep_words_whole(title):
    pieces = phrases(title)
    assert "".join(pieces) == title
    cuts = _cuts(pieces)
    for word in (
        "保驾护航",
        "未成年人",
        "双百工程",
        "社工站",
        "系列",
        "培训",
        "民政局",
    ):
        start = title.find(word)
        if start >= 0:
            assert not any(start < cut < start + len(word) for cut in cuts), (
                word,
                pieces,
            )


def test_punctuation_stays_with_its_phrase():
    pieces = phrases("云安民政织牢织密保护网，为未成年人健康成长保驾护航")
    assert "保护网，" in pieces  # the comma ends the phrase before it
    assert "为未成年人" in pieces  # the preposition goes with what it governs
    assert any(p.startswith("“双百工程”") for p in phrases("开展“双百工程”培训"))
    assert not any(p.startswith(("，", "”", "）")) for p in phrases(SEED_TITLES[5]))


@pytest.mark.parametrize("width", [8, 10, 12, 15, 18, 20, 24, 27, 29])
@pytest.mark.parametrize("title", SEED_TITLES)
def test_title_lines_fit_and_never_leave_one_or_two_characters(title, width):
    lines = title_lines(title, width)
    assert "".join(lines) == title
    assert all(text_width(line) <= width for line in lines), lines
    if len(lines) > 1:
        assert all(text_width(line) > 2 for line in lines), lines


@pytest.mark.parametrize("title", SEED_TITLES)
def test_title_lines_break_only_between_phrases(title):
    lines = title_lines(title, PAPER_TITLE_WIDTH)
    assert _cuts(lines) <= _cuts(phrases(title)), lines


def test_the_papers_known_bad_breaks_do_not_happen():
    lines = title_lines(SEED_TITLES[4], PAPER_TITLE_WIDTH)
    assert lines == ["云安民政织牢织密保护网，", "为未成年人健康成长保驾护航"]
    for title in SEED_TITLES:
        for width in (20, 24, 27, 29):
            for line in title_lines(title, width):
                assert not line.endswith(("系列培", "保驾护")), (title, width)
                assert line not in ("训", "航")


def test_lines_are_balanced():
    """Two lines as even as the phrases allow: never a long line over a short
    one that a break one phrase earlier would have evened."""
    for title in SEED_TITLES:
        lines = title_lines(title, PAPER_TITLE_WIDTH)
        if len(lines) != 2:
            continue
        widest = max(text_width(p) for p in phrases(title))
        assert abs(text_width(lines[0]) - text_width(lines[1])) <= widest, lines
    # Uniform two-character words: the halves differ by at most one word.
    title = "社会工作" * 7  # 28 characters, two lines at 24
    first, second = title_lines(title, PAPER_TITLE_WIDTH)
    assert abs(len(first) - len(second)) <= 4


def test_one_line_when_it_fits():
    assert title_lines("社工站开展入户走访", PAPER_TITLE_WIDTH) == [
        "社工站开展入户走访"
    ]
    exact = "建立健全社会工作常态化培训学习机制" + "民政局顺利"  # 22 characters
    assert title_lines(exact, 22) == [exact]
    assert title_lines("", 10) == []


def test_a_phrase_longer_than_a_line_is_cut_between_characters():
    title = "中华人民共和国民政部社会事务司"
    lines = title_lines(title, 6)
    assert "".join(lines) == title
    assert all(2 < text_width(line) <= 6 for line in lines), lines


def test_latin_and_digits_count_half():
    assert text_width("2023年") == 3
    assert text_width("“双百”") == 4


def test_paper_title_width_follows_the_word_files_title_size():
    from newsletter.word_export import TEXT_WIDTH, TITLE_SIZE

    assert int(TEXT_WIDTH.pt // TITLE_SIZE.pt) == PAPER_TITLE_WIDTH == 24


def test_jieba_loads_on_first_use_only_and_keeps_its_cache_out_of_the_code():
    code = (
        "import sys; import newsletter.typesetting as t; "
        "print('jieba' in sys.modules); t.phrases('社工站开展活动'); "
        "print('jieba' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.split() == ["False", "True"]
    # Quiet: jieba's "Building prefix dict…" lines are not printed.
    assert "prefix dict" not in result.stderr
    typesetting.phrases("社工站")
    assert typesetting._pos_tokenizer.tokenizer.tmp_dir is None  # the system's
    assert not list(ROOT.glob("jieba*.cache"))
    assert not list((ROOT / "newsletter").glob("jieba*.cache"))
