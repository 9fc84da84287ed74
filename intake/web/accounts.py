"""Officers' accounts for the web desk: Argon2id password hashes (argon2-cffi), sign-in with throttling; the rows are
the store's (`store.accounts`). Holds no session and renders nothing."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..store import Store, User

log = logging.getLogger(__name__)

ROLES = ("officer", "leader")
"""An officer works the queue and decides; a leader also approves notices before they are e-mailed."""

ROLE_VI = {"officer": "Cán bộ", "leader": "Lãnh đạo"}

NAME = re.compile(r"^[\w.@-]{2,64}$")
"""Account names: letters (Vietnamese included), digits, dot, at, dash, underscore."""

MIN_PASSWORD = 8
MAX_FAILURES = 5
"""Failed sign-ins for one account name within `THROTTLE_WINDOW` before signing in to it is refused."""
MAX_CLIENT_FAILURES = 20
"""Failed sign-ins from one client address (any names) within `THROTTLE_WINDOW` before it is refused: higher, since
an office behind one address (a reverse proxy, NAT) shares it (audit 19: one officer's typos locked everyone out)."""
THROTTLE_WINDOW = timedelta(minutes=15)

_hasher = PasswordHasher()  # Argon2id with argon2-cffi's recommended (memory-hard) parameters


@cache
def _dummy() -> str:
    """A hash no password matches, made on first use (hashing costs ~0.1 s of memory-hard work, which every
    `intake` command would pay at import)."""
    return _hasher.hash("not the password of anyone")


class AccountError(ValueError):
    """A request about accounts that cannot be met (bad name, short password, unknown account); its message is
    shown to whoever asked."""


def add_user(store: Store, name: str, role: str, password: str, *, at: datetime) -> User:
    """Create an account (or renew a disabled one with a new password and role)."""
    if not NAME.match(name):
        raise AccountError("account names are 2-64 letters, digits, '.', '@', '-' or '_'")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if not store.accounts.save_user(name, role, _hasher.hash(password), at):
        raise AccountError(f"account {name!r} exists already (disable it first to replace it)")
    created = store.accounts.user(name)
    assert created is not None
    return created


def disable_user(store: Store, name: str, *, at: datetime) -> None:
    """Disable an account: it can no longer sign in, and its open sessions stop working."""
    if not store.accounts.disable_user(name, at):
        raise AccountError(f"no active account {name!r}")


def throttled(store: Store, name: str, client: str, *, at: datetime) -> bool:
    """Whether sign-in is refused for now: too many recent failures for this name, or from this client."""
    by_name, by_client = store.accounts.failures_since(name, client, at - THROTTLE_WINDOW)
    return by_name >= MAX_FAILURES or by_client >= MAX_CLIENT_FAILURES


def attempt(store: Store, name: str, password: str, *, client: str, at: datetime) -> tuple[User | None, str]:
    """Signing in from the form: the active account, or None and why, in Vietnamese, for the page."""
    if throttled(store, name, client, at=at):
        return None, "Đăng nhập sai quá nhiều lần; hãy thử lại sau 15 phút."
    found = sign_in(store, name, password, client=client, at=at)
    if found is None:
        return None, "Tên đăng nhập hoặc mật khẩu không đúng."
    if not found.active:
        return None, "Tài khoản này đã bị khóa; đề nghị liên hệ người quản trị hệ thống."
    return found, ""


def sign_in(store: Store, name: str, password: str, *, client: str, at: datetime) -> User | None:
    """The account if `password` is right and sign-in not throttled (a disabled one too, for the caller to say it is
    disabled: only to whoever knows its password, audit 19); every attempt is kept, signing in to a disabled account
    as a failure."""
    if throttled(store, name, client, at=at):
        log.warning("sign-in throttled")
        return None
    found = store.accounts.user(name)
    digest = store.accounts.password_hash(name)
    try:
        # An unknown name costs the same time as a wrong password (no telling which names exist).
        ok = _hasher.verify(digest or _dummy(), password) and digest is not None
    except (VerificationError, InvalidHashError):
        ok = False
    right = ok and found is not None
    store.accounts.record_signin(name, client, right and found.active, at)
    return found if right else None
