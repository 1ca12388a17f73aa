import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.settings")
application = get_wsgi_application()

from django.db import connections  # noqa: E402  (needs the app registry)

from yingji.accounts.services import assert_no_demo_users  # noqa: E402

assert_no_demo_users()
# gunicorn --preload forks workers after this: none may inherit the connection the check opened
connections.close_all()
