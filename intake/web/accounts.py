"""Officers' accounts, sign-in throttling and the desk's audit trail (tables `users`, `signins`, `audit`); holds no
session and renders nothing. Passwords are kept only as Argon2id hashes (argon2-cffi)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..store import Store

log = logging.getLogger(__name__)

ROLES = ("officer", "leader")
"""An officer works the queue and decides; a leader also approves notices before they are e-mailed."""

ROLE_VI = {"officer": "Cán bộ", "leader": "Lãnh đạo"}

NAME = re.compile(r"^[\w.@-]{2,64}$")
"""Account names: letters (Vietnamese included), digits, dot, at, dash, underscore."""

MIN_PASSWORD = 8
MAX_FAILURES = 5
"""Failed sign-ins per account name or per client address within `THROTTLE_WINDOW` before sign-in is refused."""
THROTTLE_WINDOW = timedelta(minutes=15)

_hasher = PasswordHasher()  # Argon2id, memory-hard, argon2-cffi's recommended parameters
_DUMMY = _hasher.hash("not a password of anyone")


class AccountError(ValueError):
    """A request about accounts that cannot be met (bad name, short password, unknown account); its message is
    shown to whoever asked."""


@dataclass(frozen=True)
class User:
    """An account of the desk."""

    id: int
    """Row id."""
    name: str
    """Sign-in name."""
    role: str
    """"officer" or "leader"."""
    created_at: datetime
    """When it was created."""
    disabled_at: datetime | None = None
    """When it was disabled (None: active)."""

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    @property
    def is_leader(self) -> bool:
        return self.role == "leader"


def ensure_schema(store: Store) -> None:
    """Create the desk's tables if this data folder has none yet (a read when they exist)."""
    names = set(store.db.table_names())
    if {"users", "signins", "audit"} <= names:
        return
    db = store.db
    db["users"].create({"id": int, "name": str, "role": str, "password_hash": str, "created_at": str,
                        "disabled_at": str}, pk="id", not_null={"name", "role", "password_hash"}, if_not_exists=True)
    db["users"].create_index(["name"], unique=True, if_not_exists=True)
    db["signins"].create({"id": int, "at": str, "name": str, "client": str, "ok": int}, pk="id", if_not_exists=True)
    db["signins"].create_index(["at"], if_not_exists=True)
    # Every action on the desk: who, when, what, on which dossier (kept; never deleted).
    db["audit"].create({"id": int, "at": str, "user": str, "action": str, "dossier_id": int, "detail": str},
                       pk="id", if_not_exists=True)
    db["audit"].create_index(["dossier_id"], if_not_exists=True)


def _user(row: dict) -> User:
    return User(id=row["id"], name=row["name"], role=row["role"], created_at=datetime.fromisoformat(row["created_at"]),
                disabled_at=datetime.fromisoformat(row["disabled_at"]) if row["disabled_at"] else None)


def add_user(store: Store, name: str, role: str, password: str, *, at: datetime) -> User:
    """Create an account (or give a disabled one a new password, role, and enable it)."""
    ensure_schema(store)
    if not NAME.match(name):
        raise AccountError("account names are 2-64 letters, digits, '.', '@', '-' or '_'")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    digest = _hasher.hash(password)
    with store.transaction() as conn:
        row = conn.execute("SELECT disabled_at FROM users WHERE name = ?", [name]).fetchone()
        if row is not None and row[0] is None:
            raise AccountError(f"account {name!r} exists already (disable it first to replace it)")
        if row is None:
            conn.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                         [name, role, digest, at.isoformat()])
        else:
            conn.execute("UPDATE users SET role = ?, password_hash = ?, disabled_at = NULL WHERE name = ?",
                         [role, digest, name])
        conn.execute("INSERT INTO audit (at, user, action, detail) VALUES (?, ?, 'user_added', ?)",
                     [at.isoformat(), name, role])
    found = user(store, name)
    assert found is not None
    return found


def disable_user(store: Store, name: str, *, at: datetime) -> None:
    """Disable an account: it can no longer sign in, and its open sessions stop working."""
    ensure_schema(store)
    with store.transaction() as conn:
        if not conn.execute("UPDATE users SET disabled_at = ? WHERE name = ? AND disabled_at IS NULL",
                            [at.isoformat(), name]).rowcount:
            raise AccountError(f"no active account {name!r}")
        conn.execute("INSERT INTO audit (at, user, action) VALUES (?, ?, 'user_disabled')", [at.isoformat(), name])


def users(store: Store) -> list[User]:
    """Every account, in creation order."""
    ensure_schema(store)
    return [_user(row) for row in store.db["users"].rows_where(order_by="id")]


def user(store: Store, name: str) -> User | None:
    """The account with this name, if any."""
    ensure_schema(store)
    rows = list(store.db["users"].rows_where("name = ?", [name]))
    return _user(rows[0]) if rows else None


def throttled(store: Store, name: str, client: str, *, at: datetime) -> bool:
    """Whether sign-in is refused for now: too many recent failures for this name or from this client."""
    since = (at - THROTTLE_WINDOW).isoformat()
    count = store.db.execute(
        "SELECT count(*) FROM signins WHERE ok = 0 AND at > ? AND (name = ? OR client = ?)", [since, name, client]
    ).fetchone()[0]
    return int(count) >= MAX_FAILURES


def sign_in(store: Store, name: str, password: str, *, client: str, at: datetime) -> User | None:
    """The account if `password` is right and sign-in is not throttled; every attempt is recorded."""
    ensure_schema(store)
    if throttled(store, name, client, at=at):
        log.warning("sign-in throttled")
        return None
    found = user(store, name)
    digest = store.db.execute("SELECT password_hash FROM users WHERE name = ?", [name]).fetchone()
    ok = False
    try:
        # An unknown name costs the same time as a wrong password (no telling which names exist).
        ok = _hasher.verify(digest[0] if digest else _DUMMY, password) and digest is not None
    except (VerificationError, InvalidHashError):
        ok = False
    ok = ok and found is not None and found.active
    with store.transaction() as conn:
        conn.execute("INSERT INTO signins (at, name, client, ok) VALUES (?, ?, ?, ?)",
                     [at.isoformat(), name[:64], client[:64], int(ok)])
        if ok:
            conn.execute("INSERT INTO audit (at, user, action) VALUES (?, ?, 'signed_in')", [at.isoformat(), name])
    return found if ok else None


def record(store: Store, who: str, action: str, *, at: datetime, dossier_id: int | None = None,
           detail: str = "") -> None:
    """Add one line to the desk's audit trail."""
    with store.transaction() as conn:
        conn.execute("INSERT INTO audit (at, user, action, dossier_id, detail) VALUES (?, ?, ?, ?, ?)",
                     [at.isoformat(), who, action, dossier_id, detail])


def audit_trail(store: Store, dossier_id: int) -> list[dict]:
    """What was done on the desk about a dossier, oldest first."""
    ensure_schema(store)
    return list(store.db["audit"].rows_where("dossier_id = ?", [dossier_id], order_by="id"))
