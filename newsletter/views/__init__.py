"""Views of the newsletter: the editor's staff pages (issues, articles, the
privacy gate, publishing) and the public issue, article, print and Word pages.
The staff preview and the public pages render the same templates from the same
selectors, so the preview is what the public will see."""
