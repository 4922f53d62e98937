"""gunicorn settings for the portal in production (Debian 12, systemd unit
deploy/systemd/portal-web.service):

    gunicorn -c /srv/portal/deploy/gunicorn.conf.py portal.wsgi

Read by gunicorn as Python; every value can be changed through the environment
file (/etc/portal/portal.env) without editing this file. nginx
(deploy/nginx/portal.conf) sits in front: it receives uploads in full, serves
static files and protected media, and keeps the access log.
"""

import os

# Where nginx sends requests (its `upstream portal_app`). Only the local
# machine: gunicorn is never exposed to the network itself.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")

# Processes × threads. Measured on two cores (docs/scaling.md, "gunicorn workers
# on two cores"): one process per core with 4 threads each served the most
# requests and kept staff pages fast; more processes than cores were slower
# (458 → 379 requests/s going from 2 to 3 processes), because PostgreSQL and
# Redis need the same cores and the GIL runs one thread of a process at a time.
# Hence the default is the number of cores (at least 2, so a restart of one
# process leaves another answering; at most 8), not the usual 2 × cores + 1.
# Keep workers × threads below PostgreSQL's max_connections (100 on Debian)
# minus the Celery workers' connections.
_cpus = os.cpu_count() or 1
workers = int(os.environ.get("GUNICORN_WORKERS", min(max(_cpus, 2), 8)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# Seconds a request may run. The longest work done within a request is an old
# Word (.doc) or WPS issue converted by LibreOffice for its preview: at most 90 s
# (newsletter/legacy/convert.py TIMEOUT_SECONDS) before the portal refuses it
# with its own message, plus reading and parsing. nginx waits as long
# (proxy_read_timeout 150s) and then shows its 504 page. Everything longer
# (scans read by OCR, archives, large sheets and photo batches, Word exports)
# runs as a background job on the Celery worker (portal-worker.service).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 150))
# On restart (systemctl restart/stop, SIGTERM) requests in progress get this
# long to finish before their process is stopped.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
# Seconds an idle connection from nginx is kept open.
keepalive = 5

# Each process is replaced after about this many requests (the jitter spreads
# the replacements so that not all processes restart at once): memory a
# long-running Python process slowly gathers is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 1000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 100))

# preload_app stays off. With it the code is imported once before the
# processes fork (less memory, faster start), but then `systemctl reload
# portal-web` (HUP) would not pick up new code after an upgrade, and anything
# opened during import would be shared by every process. Without it each
# process imports the portal itself; a reload replaces them one by one with the
# new code, without dropping requests.
preload_app = False

# nginx is on the same machine: trust its X-Forwarded-Proto (and
# X-Forwarded-For) from 127.0.0.1 only. Django itself reads the client's address
# with TRUSTED_PROXY_IPS=127.0.0.1 (portal/settings.py).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# No access log here: nginx keeps it (/var/log/nginx/portal.access.log), with
# the request id and without the search words of search addresses. gunicorn's
# own would log every query string.
accesslog = None
# gunicorn's messages (start, stop, a process that died) to stderr, which the
# unit appends to /var/log/portal/web.log; Django's log goes there as well.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "portal-web"

# The processes' heartbeat files: in memory, not on disk.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
