"""gunicorn settings for production: `gunicorn -c portal/gunicorn.conf.py portal.wsgi` (`make serve`);
bench/run.py starts its servers with them too, giving only the address, workers, timeout and log level."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A worker that has served this many requests is replaced, which bounds memory growth. Loading
# the app anew costs a worker about half a second of CPU; a worker's private memory grew by 2 MB
# over 14,000 requests of new searches and pages (bench/worker_memory.py), so replacing it every
# 2,000 requests cost more (~0.25 ms a request at full load) than it saved.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# No access log of gunicorn's own by default: the proxy in front logs every request
# (docs/deploy.md), and gunicorn's line cost its worker 0.3-0.6 ms of CPU per request, a
# sixth of an inquiry page (results-page14.md). GUNICORN_ACCESS_LOG=- logs to stdout.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's own limit of the request line (4 KB) would answer a long query string with a bare
# 414 before the portal sees it; without it, the portal's field limit (portal/request_limits.py)
# answers with the site's 400 page. The proxy in front still caps what reaches gunicorn
# (docs/deploy.md); 0 means no limit of gunicorn's own.
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", "0"))
