"""Production settings with the demo council, for `make serve-prod` only: the production
stack on one machine (gunicorn, nginx, PostgreSQL, Redis, the relay and the sealer) serving
Demoshire, so that it can be signed in to with the demo accounts. Never point it at real
data: the demo accounts' password is published."""

from safehub.config.settings.production import *  # noqa: F403

DEMO_MODE = True
# A browser told HSTS for localhost would refuse plain http://localhost (`make run`) on
# every port for two years; a real host's address keeps production's setting.
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
