"""The bench-only Django site of ``bench/public_pages.py``: the product's
settings and URLs, plus a baseline view. Nothing here is part of the product."""
