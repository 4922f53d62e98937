"""The newsletter: publications, their issues, sections and articles, and the
records of the editorial work on them (privacy overrides and findings,
corrections), and
their public pages as set once published."""

from .articles import Article, ArticlePhoto
from .issues import Issue, Publication, Section
from .pages import ArticlePage, IssuePage
from .records import IssueCorrection, PrivacyFinding, PrivacyOverride

__all__ = [
    "Article",
    "ArticlePage",
    "ArticlePhoto",
    "Issue",
    "IssuePage",
    "IssueCorrection",
    "PrivacyFinding",
    "PrivacyOverride",
    "Publication",
    "Section",
]
