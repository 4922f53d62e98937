"""The newsletter: publications, their issues, sections and articles, and the
records of the editorial work on them (privacy overrides, corrections)."""

from .articles import Article, ArticlePhoto
from .issues import Issue, Publication, Section
from .records import IssueCorrection, PrivacyOverride

__all__ = [
    "Article",
    "ArticlePhoto",
    "Issue",
    "IssueCorrection",
    "PrivacyOverride",
    "Publication",
    "Section",
]
