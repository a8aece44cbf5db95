"""How gunicorn serves Integritas: read by `make run` (gunicorn finds this file in the folder it
starts in), by `make bench`, and by a production unit that passes ``-c`` with this file.

Two processes of four threads each suit a 2-core machine (docs/performance.md has the
measurements behind the choice); WEB_WORKERS and WEB_THREADS change them. gthread workers keep
a visitor's connection open between requests (keep-alive), which a sync worker does not.
"""

import os

workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = 120
keepalive = 5
# No access log (docs/security.md): gunicorn writes none unless --access-logfile is given.
