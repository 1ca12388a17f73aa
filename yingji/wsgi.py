import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yingji.settings")
application = get_wsgi_application()

from yingji.accounts.services import assert_no_demo_users  # noqa: E402  (needs the app registry)

assert_no_demo_users()
