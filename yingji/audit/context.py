"""Who is changing data, from where: the context every change-log entry is stamped with.

The request middleware, the import service, tasks and commands each open a context; writes made
outside any context are recorded with source ``system``.
"""

import contextvars
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class ChangeContext:
    source: str = "system"
    request: object | None = None
    actor: object | None = None
    ip: str | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def get_actor(self):
        """The acting user; for a request it is read late, after DRF token authentication."""
        if self.actor is not None:
            return self.actor
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None


_current: contextvars.ContextVar[ChangeContext | None] = contextvars.ContextVar("yingji_change", default=None)


def current() -> ChangeContext:
    return _current.get() or ChangeContext()


@contextmanager
def change_context(source: str, actor=None, request=None, ip=None):
    """Stamp every write inside the block with this source and actor."""
    token = _current.set(ChangeContext(source=source, actor=actor, request=request, ip=ip))
    try:
        yield _current.get()
    finally:
        _current.reset(token)
