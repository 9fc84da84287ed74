"""The web desk's accounts, sign-in attempts and audit trail (tables `users`, `signins`, `audit`). Queries only:
never hashes or checks a password (intake/web does), no business rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .base import Part


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
        """Whether it may sign in."""
        return self.disabled_at is None

    @property
    def is_leader(self) -> bool:
        """Whether it may approve notices."""
        return self.role == "leader"


def _user(row: dict[str, Any]) -> User:
    return User(id=row["id"], name=row["name"], role=row["role"], created_at=datetime.fromisoformat(row["created_at"]),
                disabled_at=datetime.fromisoformat(row["disabled_at"]) if row["disabled_at"] else None)


class Accounts(Part):
    """Accounts of the web desk, their sign-in attempts, and what they did."""

    def save_user(self, name: str, role: str, password_hash: str, at: datetime) -> bool:
        """Create an account, or renew a disabled one (new role and password, enabled); False when an active
        account has this name."""
        with self.transaction() as conn:
            row = conn.execute("SELECT disabled_at FROM users WHERE name = ?", [name]).fetchone()
            if row is not None and row[0] is None:
                return False
            if row is None:
                conn.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                             [name, role, password_hash, at.isoformat()])
            else:
                conn.execute("UPDATE users SET role = ?, password_hash = ?, disabled_at = NULL WHERE name = ?",
                             [role, password_hash, name])
            conn.execute("INSERT INTO audit (at, user, action, detail) VALUES (?, ?, 'user_added', ?)",
                         [at.isoformat(), name, role])
        return True

    def disable_user(self, name: str, at: datetime) -> bool:
        """Disable an active account; False when there is none of this name."""
        with self.transaction() as conn:
            if not conn.execute("UPDATE users SET disabled_at = ? WHERE name = ? AND disabled_at IS NULL",
                                [at.isoformat(), name]).rowcount:
                return False
            conn.execute("INSERT INTO audit (at, user, action) VALUES (?, ?, 'user_disabled')", [at.isoformat(), name])
        return True

    def users(self) -> list[User]:
        """Every account, in creation order."""
        return [_user(row) for row in self.db["users"].rows_where(order_by="id")]

    def user(self, name: str) -> User | None:
        """The account with this name, if any."""
        rows = list(self.db["users"].rows_where("name = ?", [name]))
        return _user(rows[0]) if rows else None

    def password_hash(self, name: str) -> str | None:
        """The stored hash of an account's password."""
        row = self.db.execute("SELECT password_hash FROM users WHERE name = ?", [name]).fetchone()
        return str(row[0]) if row else None

    def failures_since(self, name: str, client: str, since: datetime) -> tuple[int, int]:
        """(failed sign-ins since `since` for this account name, from this client address)."""
        by_name, by_client = self.db.execute(
            "SELECT coalesce(sum(name = ?), 0), coalesce(sum(client = ?), 0) FROM signins WHERE ok = 0 AND at > ?",
            [name, client, since.isoformat()],
        ).fetchone()
        return int(by_name), int(by_client)

    def signed_out(self, name: str, session_id: str) -> bool:
        """Whether the session `session_id` of `name` was signed out (its cookie no longer signs anyone in)."""
        return self.db.execute("SELECT 1 FROM audit WHERE user = ? AND action = 'signed_out' AND detail = ? LIMIT 1",
                               [name, session_id]).fetchone() is not None

    def record_signin(self, name: str, client: str, ok: bool, at: datetime) -> None:
        """Keep one sign-in attempt (and, when it succeeded, its line in the audit trail)."""
        with self.transaction() as conn:
            conn.execute("INSERT INTO signins (at, name, client, ok) VALUES (?, ?, ?, ?)",
                         [at.isoformat(), name[:64], client[:64], int(ok)])
            if ok:
                conn.execute("INSERT INTO audit (at, user, action) VALUES (?, ?, 'signed_in')", [at.isoformat(), name])

    def record(self, who: str, action: str, *, at: datetime, dossier_id: int | None = None, detail: str = "") -> None:
        """Add one line to the desk's audit trail."""
        with self.transaction() as conn:
            conn.execute("INSERT INTO audit (at, user, action, dossier_id, detail) VALUES (?, ?, ?, ?, ?)",
                         [at.isoformat(), who, action, dossier_id, detail])

    def audit_trail(self, dossier_id: int) -> list[dict[str, Any]]:
        """What was done on the desk about a dossier, oldest first."""
        return list(self.db["audit"].rows_where("dossier_id = ?", [dossier_id], order_by="id"))
