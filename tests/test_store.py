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


def test_a_transaction_inside_another_joins_it(tmp_path):
    """A file's receipt writes through several parts of the store in one commit: an inner transaction joins the
    outer one; a failure inside it undoes only its own writes if the caller goes on, and everything if not."""
    import pytest

    store = Store(tmp_path / "intake.db")
    with store.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('outer', '1')")
        with store.transaction() as inner:
            inner.execute("INSERT INTO meta (key, value) VALUES ('inner', '1')")
        try:
            with store.transaction() as inner:
                inner.execute("INSERT INTO meta (key, value) VALUES ('undone', '1')")
                raise ValueError("this part fails")
        except ValueError:
            pass
        assert conn.in_transaction
    keys = {k for (k,) in store.db.execute("SELECT key FROM meta WHERE value = '1'")}
    assert keys == {"outer", "inner"}
    with pytest.raises(ValueError), store.transaction() as conn:
        conn.execute("INSERT INTO meta (key, value) VALUES ('lost', '1')")
        with store.transaction() as inner:
            inner.execute("INSERT INTO meta (key, value) VALUES ('lost too', '1')")
        raise ValueError("the whole write fails")
    assert {k for (k,) in store.db.execute("SELECT key FROM meta WHERE value = '1'")} == keys
    with store.transaction() as conn:  # and the connection is usable after both
        conn.execute("INSERT INTO meta (key, value) VALUES ('after', '1')")
    store.close()


def test_pages_keep_what_ocr_was_unsure_of_and_whether_they_were_photographs(tmp_path):
    """A page's doubtful words and its photo mark decide whether a contact read from it is trusted: they survive
    the cache, a stop mid-file (the pages read so far), and a database written before they were stored."""
    from datetime import datetime

    from intake.models import Extraction, Page

    path = tmp_path / "intake.db"
    store = Store(path)
    photo = Page(1, "Email: hoso1@abc.vn", "ocr", 91.0, ("hoso1@abc.vn", "ghi"), photo=True)
    scan = Page(2, "Mã số thuế: 2400123458", "ocr", 95.0)
    store.pages.save_page_progress("f" * 64, 0, 0, photo)
    assert store.pages.page_progress("f" * 64) == {(0, 0): photo}
    store.pages.save_extraction("a" * 64, Extraction("pdf", (photo, scan)), datetime(2020, 6, 1))
    assert store.pages.extraction("a" * 64).pages == (photo, scan)
    # A database of schema 3 (no photo column) gets it on opening; its pages read as not photographed.
    store.db.execute("ALTER TABLE pages DROP COLUMN photo")
    store.db.execute("UPDATE counters SET value = 3 WHERE name = 'schema_version'")
    store.close()
    store = Store(path)
    assert "photo" in store.db["pages"].columns_dict
    assert [p.photo for p in store.pages.extraction("a" * 64).pages] == [False, False]
    store.close()
