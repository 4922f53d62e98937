"""The note the portal prints where a past issue's picture could not be
imported (〔原文此处有图片，未能导入〕, on its pages and in its Word file) reads
back as that picture, missing, in its place: an issue exported and imported
again keeps its pictures and its sentences whole."""

import pytest

from newsletter.legacy.reader import read_issue
from newsletter.legacy.structure import Block
from tests.newsletter.legacy.helpers import docx_from_text, replace

NOTE = "〔原文此处有图片，未能导入〕"


def _with_note(seed_text: str, note: str) -> str:
    # Where the seed's marker stood, as the Word export writes the note: a
    # paragraph of its own, cutting the sentence it interrupted.
    return replace(seed_text, "[image: image2.png]", f"\n\n{note}\n\n", count=1)


@pytest.mark.parametrize("note", [NOTE, "原文此处有图片，未能导入"])
@pytest.mark.parametrize("as_word", [False, True], ids=["text", "word"])
def test_the_note_reads_as_the_missing_picture_in_its_place(seed_text, note, as_word):
    text = _with_note(seed_text, note)
    data = docx_from_text(text) if as_word else text.encode()
    issue = read_issue(data, "issue.docx" if as_word else "issue.txt")
    original = read_issue(seed_text.encode(), "issue.txt")

    assert [a.full_title for a in issue.articles] == [
        a.full_title for a in original.articles
    ]
    assert [len(a.paragraphs) for a in issue.articles] == [
        len(a.paragraphs) for a in original.articles
    ]
    fulin = issue.articles[5]
    assert [b.kind for b in fulin.blocks][-2:] == [Block.PARAGRAPH, Block.IMAGE]
    assert "一颗颗小树苗，更是希望在他们心中播下爱的种子" in fulin.blocks[-2].text
    assert fulin.blocks[-1].image.is_missing
    assert NOTE.strip("〔〕") not in "".join(a.text for a in issue.articles)
    assert sum(len(a.images) for a in issue.articles) == 1


def test_a_sentence_that_only_mentions_the_note_stays_text(seed_text):
    text = replace(
        seed_text,
        "[image: image2.png]",
        "（编者按：原文此处有图片，未能导入，现已补上。）",
        count=1,
    )
    issue = read_issue(text.encode(), "issue.txt")
    assert sum(len(a.images) for a in issue.articles) == 0
    assert "原文此处有图片，未能导入，现已补上" in issue.articles[5].text
