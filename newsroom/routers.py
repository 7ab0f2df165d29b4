"""Send public pages' reads to a read replica; writes, the admin and the rest to the primary.

Switched on by DATABASE_REPLICA_URL: settings then add a "replica" database alias, this
router and `ReplicaReadsMiddleware`. A read goes to the replica only while the middleware
allows it — a GET or HEAD outside the admin from a visitor without a session — and only for
the newsroom's content (the `articles` app), never inside a transaction on the primary.
Everything else reads where it writes, so an editor always sees their own changes; a command,
a shell or a background job (no request at all) uses the primary too.

Replication lag: a replica may be a moment behind. A reader may then briefly see the version
before an edit, and, worse, a page rebuilt right after a purge could put that old version
back into the shared page cache for PAGE_CACHE_SECONDS. So for REPLICA_LAG_SECONDS after the
content last changed (the page cache's version is that moment), reads go to the primary.
"""

import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

PRIMARY = "default"
REPLICA = "replica"
REPLICA_APPS = {"articles"}


@dataclass
class _Request:
    just_changed: bool | None = None  # decided on the first read, once per request


_replica_reads: ContextVar[_Request | None] = ContextVar("replica_reads", default=None)


def allow_replica_reads():
    """Let this context's content reads use the replica; return a token for `end_replica_reads`."""
    return _replica_reads.set(_Request())


def end_replica_reads(token) -> None:
    _replica_reads.reset(token)


def content_just_changed() -> bool:
    """Whether the content changed so recently that the replica may not have it yet."""
    from articles.caching import content_version

    lag = getattr(settings, "REPLICA_LAG_SECONDS", 10)
    # The version first: read after it, the clock cannot be behind a version made just now.
    changed_at = content_version() / 1000
    return time.time() - changed_at < lag


def replica_requested() -> bool:
    """Whether this context is a request the middleware let read from the replica."""
    return _replica_reads.get() is not None


def replica_allowed() -> bool:
    request = _replica_reads.get()
    if request is None or connections[PRIMARY].in_atomic_block:
        return False
    if request.just_changed is None:
        request.just_changed = content_just_changed()
    return not request.just_changed


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label in REPLICA_APPS and replica_allowed():
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two ways in

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
