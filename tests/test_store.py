"""The store: one transaction at a time on the connection the service's threads share."""

from __future__ import annotations

import threading

from intake.store import Store


def test_transactions_from_two_threads_never_collide(tmp_path):
    """File readers keep each OCR'd page while the main thread saves extractions: both write through one
    connection; every write lands, none fails with "cannot start a transaction within a transaction"."""
    store = Store(tmp_path / "intake.db")
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def write(prefix: str) -> None:
        start.wait()
        try:
            for i in range(300):
                with store.transaction() as conn:
                    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [f"{prefix}{i}", "x"])
                    conn.execute("SELECT count(*) FROM meta").fetchone()
        except BaseException as exc:  # noqa: BLE001 - the test reports whatever a thread met
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(p,)) for p in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert store.db.execute("SELECT count(*) FROM meta WHERE value = 'x'").fetchone()[0] == 600
    store.close()
