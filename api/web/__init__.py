"""The staff console (工作台): Chinese pages served by the same app at ``/console`` (``/`` redirects there).

Server-rendered Jinja2 templates (``templates/``), one small script and one stylesheet (``static/``), no
build step and no CDN. Log-in turns an access token into a signed session cookie (:mod:`.session`);
pages reuse the services of the composition root and the roles of :mod:`api.services.access`.
"""
from api.web.routes import mount_console

__all__ = ["mount_console"]
