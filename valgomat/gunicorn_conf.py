"""Production gunicorn settings (``make run``). Override any with GUNICORN_CMD_ARGS."""

import multiprocessing
import os
from typing import Any

workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycling guards against slow leaks, but a worker takes about a second of CPU to
# start (imports, app, caches): at election-eve rates 10,000 requests came round
# every few seconds and showed as p99 spikes of 0.7 s, so the bound is high.
max_requests = 100000
max_requests_jitter = 10000
accesslog = "-"
# The path only (%(U)s), never the query string: share links carry a voter's
# answers, and those are political opinions that must not reach a log. The logger
# makes %(U)s the path as sent, escaped, so a %0a in it cannot forge a log line.
logger_class = "valgomat.web.access_log.PathOnlyLogger"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# Whom to believe about the client and the scheme is the app's one setting,
# TRUSTED_PROXIES (Werkzeug's ProxyFix); gunicorn itself believes no forwarded
# header, or with TRUSTED_PROXIES=0 X-Forwarded-Proto would still turn a request
# from a local peer into "https".
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}


def on_starting(server: Any) -> None:
    """In the master, before any worker: the settings are checked once (a wrong one
    stops gunicorn with its one-line message instead of a traceback per worker), the
    development secret key is made once, and per-process rate-limit counters are
    refused when there are several processes to count apart."""
    from valgomat import create_database_app
    from valgomat.web import proxies

    app = create_database_app()
    proxies.init_app(app)  # checks TRUSTED_PROXIES, which only the web app reads
    config = app.config
    workers_count = server.cfg.workers
    if str(config["RATELIMIT_STORAGE_URI"]).startswith("memory://") and workers_count > 1:
        raise RuntimeError(
            f"RATELIMIT_STORAGE_URI=memory:// counts per worker: each of the {workers_count} "
            "workers would allow the whole LOGIN_RATE_LIMIT. Use database:// (the default) "
            "or redis://, or WEB_CONCURRENCY=1.")
