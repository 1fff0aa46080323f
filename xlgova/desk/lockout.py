"""Sign-in lockout kept in the workspace's database, so a restart forgets nothing.

Failed sign-ins are counted per client address and, for the supervisor's password, also per target (the one
supervisor account, from every address together): too many failures within a window lock that key out for a
while. Each failure is a row (``signin_failures``) and each lockout a row with its end (``signin_lockouts``);
rows past their window or end are deleted as new failures come in.

Access codes and tokens have no target: a wrong code names no agency (a code is 160 random bits; a prefix that
happens to match one agency's code says nothing, and counting by it would let anyone lock an agency out by
typing a guess of its first characters), so they are counted per address only — to slow noise and keep the
audit log short, not because guessing could succeed.
"""
from __future__ import annotations

from dataclasses import dataclass

from .store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS signin_failures(key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS signin_failures_key ON signin_failures(key, at);
CREATE TABLE IF NOT EXISTS signin_lockouts(key TEXT PRIMARY KEY, until REAL NOT NULL);
"""


@dataclass(frozen=True)
class Rule:
    max_failures: int
    window: float  # seconds the failures are counted over
    lockout: float  # seconds a key stays locked once it reached max_failures


PASSWORD_ADDRESS = Rule(5, 15 * 60, 15 * 60)  # one address: 5 wrong passwords in 15 minutes, 15 minutes out
PASSWORD_TARGET = Rule(30, 15 * 60, 15 * 60)  # the supervisor account from all addresses together
CODE_ADDRESS = Rule(20, 15 * 60, 5 * 60)  # wrong codes or tokens from one address: an office behind one
# address must not be locked out by one clerk's typos, and 160-bit codes need no tight limit
KEEP = 24 * 3600  # failures older than this are deleted whatever their key


def _now() -> float:
    from . import auth

    return auth.clock()  # one clock for sessions and lockouts (tests move it forward)


class Limiter:
    """Failed sign-ins of one ``scope`` ("supervisor", "code", "token") per address, and per target when
    ``per_target`` is given; kept in ``store``."""

    def __init__(self, store: Store, scope: str, per_address: Rule, per_target: Rule | None = None):
        self.store, self.scope, self.per_address, self.per_target = store, scope, per_address, per_target

    def _keys(self, address: str) -> list[tuple[str, Rule]]:
        keys = [(f"{self.scope}@{address}", self.per_address)]
        return keys + [(f"{self.scope}", self.per_target)] if self.per_target else keys

    def locked_for(self, address: str) -> int:
        """Seconds the address (or the target) stays locked out; 0 when it may try."""
        keys, now = [k for k, _ in self._keys(address)], _now()
        row = self.store.db().execute(f"SELECT MAX(until) FROM signin_lockouts WHERE key IN ({','.join('?' * len(keys))})",
                                      keys).fetchone()
        until = row[0] if row and row[0] is not None else 0
        return int(until - now) + 1 if until > now else 0

    def failed(self, address: str) -> None:
        now = _now()
        with self.store.transaction() as db:
            db.execute("DELETE FROM signin_lockouts WHERE until <= ?", (now,))
            db.execute("DELETE FROM signin_failures WHERE at <= ?", (now - KEEP,))
            for key, rule in self._keys(address):
                db.execute("DELETE FROM signin_failures WHERE key = ? AND at <= ?", (key, now - rule.window))
                db.execute("INSERT INTO signin_failures(key, at) VALUES (?, ?)", (key, now))
                count = db.execute("SELECT COUNT(*) FROM signin_failures WHERE key = ?", (key,)).fetchone()[0]
                if count >= rule.max_failures:
                    db.execute("INSERT INTO signin_lockouts(key, until) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                               "SET until = MAX(until, excluded.until)", (key, now + rule.lockout))
                    db.execute("DELETE FROM signin_failures WHERE key = ?", (key,))

    def succeeded(self, address: str) -> None:
        """A good sign-in clears the address's failures (not the target's: others may still be guessing)."""
        with self.store.transaction() as db:
            db.execute("DELETE FROM signin_failures WHERE key = ?", (f"{self.scope}@{address}",))


def clear(db, scope: str) -> None:
    """End every lockout and forget every failure of ``scope`` (a new supervisor password does this)."""
    db.execute("DELETE FROM signin_lockouts WHERE key = ? OR key LIKE ?", (scope, f"{scope}@%"))
    db.execute("DELETE FROM signin_failures WHERE key = ? OR key LIKE ?", (scope, f"{scope}@%"))
