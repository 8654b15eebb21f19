"""gunicorn settings, read from the working directory (gunicorn's default `./gunicorn.conf.py`):
the Dockerfile, docker-compose.yml and bench/ all start gunicorn from the project root.

Command-line options (bind, workers, timeout) still come from each command.
"""

# Never let a request set the WSGI SCRIPT_NAME or PATH_INFO. gunicorn's default trusts a
# `SCRIPT_NAME:` header from any address in `forwarded_allow_ips` (127.0.0.1 by default), and a
# client-chosen prefix once made /accounts/dashboard/ look exempt from the authenticator rule
# while it routed to /dashboard/. With no forwarder headers, a header name with an underscore is
# dropped (`header_map = "drop"`). Django also ignores the environment's SCRIPT_NAME
# (FORCE_SCRIPT_NAME in scopegrowth/settings.py).
forwarder_headers = ""
header_map = "drop"

import gc  # noqa: E402


def post_worker_init(worker):
    """Move everything the worker loaded (Django, the apps, their modules) out of the garbage
    collector's view. A full collection otherwise walks all of it: measured on the busiest
    dashboard, one pause of about 76 ms every hundred requests or so, in the slowest
    responses. Objects made by requests are still collected as before."""
    gc.freeze()
