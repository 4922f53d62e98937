"""The product's settings (production mode, from the environment the load test
sets), with static files collected into the load test's own folder, so that a
run never writes into the work tree's ``staticfiles/``."""

import os

from portal.settings import *  # noqa: F403

STATIC_ROOT = os.environ["LOAD_STATIC_ROOT"]
