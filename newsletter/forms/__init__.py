"""Forms of the newsletter's pages, split by concept: issues and their articles,
the import of past issues, the public search."""
