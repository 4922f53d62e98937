"""The product's settings (production mode, from the environment the bench
sets), with the bench's URLs and the folders it made."""

import os

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.public_site.urls"
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
TEMPLATES[0]["DIRS"] = [os.environ["BENCH_TEMPLATE_DIR"], *TEMPLATES[0]["DIRS"]]  # noqa: F405
