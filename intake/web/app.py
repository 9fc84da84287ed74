"""The desk's web application (Flask): sign-in, queue, dossier, page viewer, decisions, approvals, search. Every
page needs a signed-in account; every form carries a CSRF token (Flask-WTF); decisions go through the same recorded
decisions as `intake override`, and the watcher (or this process, when no watcher runs) applies them."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, flash, g, redirect, render_template, request, send_file, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect

from ..desk import (
    LOOSE_FILES_NOTE, REGISTER,
    WORKBOOK,
    close_intake,
    DECISION_VI,
    DEFICIENCY_VI,
    EVIDENCE_VI,
    NOTICE_STATE_VI,
    NOTICE_VI,
    STATE_VI,
    STATUS_VI,
    Desk,
    deficiency_kind,
    dossier_sheet,
    search,
    split_label,
)
from ..judging import Assignment, RuleSet
from ..models import Override
from ..notices import approve_notices, awaiting_approval, short_name
from ..pipeline import apply_decisions_now
from ..receiving import archive_path
from ..store import Store
from . import accounts
from .images import page_png
from .state import DeskCache, secret_key
from .queue import FILTER_VI, FILTERS, SORT_VI, SORTS, queue_rows, select
from .views import ACTION_VI, dossier_context, file_and_pages, duplicate_hints, file_of_dossier, highlights, page_text

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Applier = Callable[[Store], bool]

NOTICE_STATE_LABELS = NOTICE_STATE_VI
SIGN_IN = "sign_in"
COVER_TITLE = "Công văn gửi hồ sơ, danh mục tài liệu"
OPEN_ENDPOINTS = frozenset({SIGN_IN, "static"})


def apply_now(data: Path, rules: RuleSet, clock: Clock) -> Applier:
    """Judge again at once in this process when no watcher holds the data folder (as `intake override` does);
    True when applied, False when the running watcher will at its next pass."""

    def applier(store: Store) -> bool:
        return apply_decisions_now(data, rules, store, clock)

    return applier


def create_app(data: Path, rules: RuleSet, *, clock: Clock, applier: Applier | None = None,
               testing: bool = False) -> Flask:
    """The desk on the data folder `data` (its database must exist)."""
    database = data / "intake.db"
    Store(database).close()  # completes the schema of an older data folder before requests come
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key(data),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="intake_desk",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=10),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        MAX_CONTENT_LENGTH=64 * 1024,  # forms only: nothing is uploaded to the desk
        TESTING=testing,
    )
    app.jinja_env.autoescape = True
    cache = DeskCache(database)
    apply = applier or apply_now(data, rules, clock)
    app.extensions["intake_desk_cache"] = cache

    # ---- every request: a store, the signed-in account, then CSRF -------------------------------------------

    @app.before_request
    def open_store() -> Any:
        g.store = Store(database)
        g.user = None
        name = session.get("user")
        if name:
            found = g.store.accounts.user(name)
            sid = session.get("sid", "")
            if found is not None and found.active and session.get("role") == found.role and sid \
                    and not g.store.accounts.signed_out(name, sid):
                g.user = found
            else:
                session.clear()
                if request.endpoint not in OPEN_ENDPOINTS:
                    # An expired, signed-out or disabled session: say so, not "no right to do this" (audit 19).
                    flash("Phiên đăng nhập đã hết hạn hoặc đã đăng xuất; hãy đăng nhập lại.")
                    return redirect(url_for(SIGN_IN), 303)
        if g.user is None and request.endpoint not in OPEN_ENDPOINTS:
            if request.method == "GET":
                return redirect(url_for(SIGN_IN, next=request.full_path.rstrip("?") if request.endpoint else None), 303)
            abort(403)
        return None

    tz = rules.campaign.deadline.tzinfo
    # Times stored as ISO 8601 shown as officers write them, in the campaign's zone (audit 19: "2026-12-01 07:40").
    app.jinja_env.filters["pages"] = file_and_pages
    app.jinja_env.filters["when"] = lambda value: datetime.fromisoformat(value).astimezone(tz).strftime(
        "%d/%m/%Y %H:%M") if value else ""

    csrf = CSRFProtect()
    csrf.init_app(app)  # registered after open_store: a request not signed in is answered 303/403 first

    @app.teardown_request
    def close_store(_exc: BaseException | None) -> None:
        store = g.pop("store", None)
        if store is not None:
            store.close()

    @app.errorhandler(CSRFError)
    def csrf_refused(error: CSRFError) -> tuple[str, int]:
        return render_template("error.html", message="Biểu mẫu đã hết hạn hoặc không hợp lệ; hãy tải lại trang "
                               "rồi thực hiện lại."), 403

    @app.errorhandler(404)
    def not_found(_error: Any) -> tuple[str, int]:
        return render_template("error.html", message="Không tìm thấy trang hoặc tệp này."), 404

    @app.errorhandler(403)
    def forbidden(_error: Any) -> tuple[str, int]:
        return render_template("error.html", message="Bạn không có quyền thực hiện việc này."), 403

    @app.errorhandler(400)
    @app.errorhandler(405)
    def bad_request(error: Any) -> tuple[str, int]:  # audit 23: Werkzeug's English "Bad Request" page
        return render_template("error.html", message="Yêu cầu không hợp lệ; hãy thử lại."), getattr(error, "code", 400)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'none'")
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.context_processor
    def labels() -> dict[str, Any]:
        return {
            "user": g.get("user"), "campaign": rules.campaign, "agency": rules.agency,
            "STATUS_VI": STATUS_VI, "STATE_VI": STATE_VI, "NOTICE_VI": NOTICE_VI,
            "NOTICE_STATE_VI": NOTICE_STATE_LABELS, "DECISION_VI": DECISION_VI, "EVIDENCE_VI": EVIDENCE_VI,
            "DEFICIENCY_VI": DEFICIENCY_VI, "ROLE_VI": accounts.ROLE_VI, "deficiency_kind": deficiency_kind,
            "title_of": lambda cid: next((c.title for c in rules.components if c.id == cid),
                                         COVER_TITLE if cid == "cover_letter" else cid or ""),
            "components": rules.components, "ACTION_VI": ACTION_VI,
        }

    def who() -> str:
        return g.user.name

    def leader_only(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not g.user.is_leader:
                abort(403)
            return view(*args, **kwargs)
        return wrapper

    def desk() -> Desk:
        return cache.get(g.store, rules, clock())

    def dossier_or_404(dossier_id: int):
        rows = g.store.dossiers.all(where="id = ?", args=[dossier_id])
        if not rows:
            abort(404)
        return rows[0]

    def refresh(what: str) -> bool:
        """What was just recorded (a decision, an approval) judged and the reports written now when no watcher runs;
        False when the running watcher does it at its next pass (or it failed here: logged, recorded all the same)."""
        try:
            applied = apply(g.store)
        except Exception:  # noqa: BLE001 - recorded; the watcher applies it at its next pass
            log.exception("%s could not be applied at once", what)
            applied = False
        cache.invalidate()
        return applied

    def take_effect(dossier_id: int) -> None:
        applied = refresh(f"decision for dossier={dossier_id}")
        flash("Đã áp dụng: hồ sơ đã được đánh giá lại." if applied else
              "Đã ghi nhận; dịch vụ đang chạy sẽ đánh giá lại hồ sơ ở lượt kế tiếp (chờ xử lý).")

    # ---- sign-in ----------------------------------------------------------------------------------------------

    @app.route("/dang-nhap", methods=["GET", "POST"])
    def sign_in() -> Any:
        message = ""
        if request.method == "POST":
            name = request.form.get("name", "").strip()
            password = request.form.get("password", "")
            client = request.remote_addr or "?"
            now = clock()
            found, message = accounts.attempt(g.store, name, password, client=client, at=now)
            if found is not None:
                session.clear()
                session.permanent = True
                session["user"], session["role"] = found.name, found.role
                session["sid"] = secrets.token_urlsafe(16)  # signing out ends it on the server too
                target = request.args.get("next") or ""
                # Only a path of this site (never another host) is followed after signing in.
                if not target.startswith("/") or target.startswith("//") or "\\" in target:
                    target = url_for("queue")
                return redirect(target, 303)
        return render_template("sign_in.html", message=message), (200 if not message else 401)

    @app.post("/dang-xuat")
    def sign_out() -> Any:
        g.store.accounts.record(who(), "signed_out", at=clock(), detail=session.get("sid", ""))
        session.clear()
        return redirect(url_for(SIGN_IN), 303)

    # ---- the queue ----------------------------------------------------------------------------------------------

    @app.get("/")
    def queue() -> str:
        now = clock()
        view = desk()
        rows_by_receipt = {r.receipt_no: r for r in g.store.dossiers.all()}
        notice_states = g.store.outbox.states_by_dossier()
        rows = queue_rows(view, {k: r.id for k, r in rows_by_receipt.items()},
                          {r.id: r.reading or {} for r in rows_by_receipt.values()}, notice_states,
                          set(g.store.verdicts.rejudge_requests()), rules, now.date())
        filters = tuple(f for f in request.args.getlist("loc") if f in FILTERS)
        sort = request.args.get("xep", "receipt")
        sort = sort if sort in SORTS else "receipt"
        descending = request.args.get("giam") == "1"
        query = request.args.get("q", "")[:200]
        chosen = select(rows, filters=filters, query=query, sort=sort, descending=descending)
        return render_template("queue.html", rows=chosen, total=len(rows), status=view.campaign_status,
                               filters=filters, sort=sort, descending=descending, query=query,
                               FILTER_VI=FILTER_VI, SORT_VI=SORT_VI, now=now,
                               awaiting=awaiting_approval(g.store), loose=(LOOSE_FILES_NOTE, view.loose_files))

    # ---- the dossier, its files and pages -------------------------------------------------------------------

    @app.get("/ho-so/<int:dossier_id>")
    def dossier(dossier_id: int) -> str:
        row = dossier_or_404(dossier_id)
        sheet = dossier_sheet(g.store, rules, row, row.id)  # read fresh: the page shows what was just decided
        context = dossier_context(g.store, rules, row, sheet)
        context["hints"] = [*context["hints"], *({"message": m} for m in duplicate_hints(desk(), row.receipt_no))]

        def viewer_link(label: str) -> str | None:
            path, first, _ = split_label(label)
            file_id = context["file_ids"].get(path)
            return url_for("page", dossier_id=row.id, file_id=file_id, number=first or 1) if file_id else None

        return render_template("dossier.html", row=row, sheet=sheet, **context, viewer_link=viewer_link)

    def file_or_404(dossier_id: int, file_id: int) -> dict[str, Any]:
        dossier_or_404(dossier_id)
        found = file_of_dossier(g.store, dossier_id, file_id)
        if found is None:
            abort(404)
        return found

    @app.get("/ho-so/<int:dossier_id>/tep/<int:file_id>")
    def download(dossier_id: int, file_id: int) -> Response:
        found = file_or_404(dossier_id, file_id)
        path = archive_path(data / "archive", found["sha256"])  # the archive copy, named by hash only
        if not path.is_file():
            abort(404)
        g.store.accounts.record(who(), "file_downloaded", at=clock(), dossier_id=dossier_id,
                                detail=f"«{found['path']}»")
        return send_file(path, as_attachment=True, download_name=Path(found["path"]).name,
                         mimetype="application/octet-stream")

    @app.get("/so-theo-doi-ho-so.xlsx")
    def register() -> Any:
        """The tracking register as the service last wrote it (audit 19: officers had to reach the data folder)."""
        return workbook(REGISTER, "register_downloaded", missing=None if (data / "reports" / REGISTER).is_file() else
                        "Sổ theo dõi hồ sơ chưa được lập; dịch vụ lập sổ ở lượt kế tiếp.")

    @app.get("/danh-sach-chuyen-hoi-dong.xlsx")
    def council_list() -> Any:
        """The list of dossiers forwarded to the council, as the last closing wrote it."""
        made = g.store.campaign.closed_at() is not None and (data / "reports" / WORKBOOK).is_file()
        return workbook(WORKBOOK, "council_list_downloaded", missing=None if made else
                        "Chưa kết thúc tiếp nhận hồ sơ: danh sách chuyển Hội đồng được lập khi kết thúc tiếp nhận.")

    def workbook(name: str, action: str, *, missing: str | None) -> Any:
        """A workbook of the reports folder, downloaded (and recorded), or the queue saying why it is not there."""
        if missing is not None:
            flash(missing)
            return redirect(url_for("queue"), 303)
        g.store.accounts.record(who(), action, at=clock())
        return send_file(data / "reports" / name, as_attachment=True, download_name=name, max_age=0,
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    @app.post("/ket-thuc-tiep-nhan")
    @leader_only
    def close() -> Any:
        """A leader closes intake after the deadline, as `intake close` does (audit 19: only the command could)."""
        now, deadline = clock(), rules.campaign.deadline
        if now <= deadline:
            flash(f"Chỉ kết thúc tiếp nhận được sau hạn nhận hồ sơ ({deadline:%H:%M ngày %d/%m/%Y}).")
            return redirect(url_for("queue"), 303)
        late = request.form.get("nop_muon") == "1"
        closed_at, sent, total = close_intake(g.store, rules, data / "reports", now, include_late=late)
        g.store.accounts.record(who(), "intake_closed", at=now,
                                detail=f"{sent}/{total} hồ sơ chuyển Hội đồng" + (", kể cả nộp muộn" if late else ""))
        cache.invalidate()
        flash(f"Đã kết thúc tiếp nhận lúc {closed_at.astimezone(deadline.tzinfo):%H:%M ngày %d/%m/%Y}: "
              f"{sent}/{total} hồ sơ chuyển Hội đồng sơ tuyển.")
        return redirect(url_for("queue"), 303)

    @app.get("/thong-bao/<int:notice_id>/tep")
    def notice_file(notice_id: int) -> Response:
        """A notice's document as written (a leader reads it before approving; audit 19)."""
        notice = notice_or_404(notice_id)
        outbox = (data / "outbox").resolve()
        path = (outbox / str(notice.get("path") or "")).resolve()
        if not path.is_relative_to(outbox) or not path.is_file():
            abort(404)
        return send_file(path, as_attachment=True, download_name=path.name, max_age=0,
                         mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")

    @app.get("/ho-so/<int:dossier_id>/tep/<int:file_id>/trang/<int:number>")
    def page(dossier_id: int, file_id: int, number: int) -> str:
        row = dossier_or_404(dossier_id)
        found = file_or_404(dossier_id, file_id)
        stored = page_text(g.store, found["sha256"], number)
        if stored is None:
            abort(404)
        text, method, confidence = stored
        sheet = dossier_sheet(g.store, rules, row, row.id)
        words = tuple(request.args.get("q", "")[:200].split())
        context = dossier_context(g.store, rules, row, sheet)
        info = next((f for f in context["files"] if f.id == file_id), None)
        page_info = next((p for p in info.pages if p.number == number), None) if info else None
        count = len(g.store.pages.page_list(found["sha256"]))
        return render_template(
            "page.html", row=row, sheet=sheet, file=found, number=number, count=count, method=method,
            confidence=confidence, spans=highlights(rules, sheet, found["path"], number, text, words),
            page_info=page_info, query=" ".join(words), files=context["files"],
            kind=g.store.pages.extraction_summary(found["sha256"])[0],
        )

    @app.get("/ho-so/<int:dossier_id>/tep/<int:file_id>/trang/<int:number>/anh")
    def page_image(dossier_id: int, file_id: int, number: int) -> Response:
        found = file_or_404(dossier_id, file_id)
        if page_text(g.store, found["sha256"], number) is None:
            abort(404)
        content = page_png(data, found["sha256"], number)
        if content is None:
            abort(404)
        response = Response(content, mimetype="image/png")
        response.headers["Cache-Control"] = "private, max-age=86400"
        return response

    # ---- decisions ---------------------------------------------------------------------------------------------

    def note_or_back(dossier_id: int) -> str | None:
        note = request.form.get("note", "").strip()[:1000]
        if not note:
            flash("Cần ghi lý do của quyết định.")
            return None
        return note

    @app.post("/ho-so/<int:dossier_id>/quyet-dinh")
    def decide(dossier_id: int) -> Any:
        row = dossier_or_404(dossier_id)
        component = request.form.get("component", "")
        decision = request.form.get("decision", "")
        if component not in {c.id for c in rules.components}:
            abort(400)
        to_row = url_for("dossier", dossier_id=dossier_id, _anchor=f"component-{component}")  # back where it was
        if decision not in ("accept", "reject", "undo"):
            flash("Cần chọn quyết định: chấp nhận, không chấp nhận hoặc hủy quyết định.")
            return redirect(to_row, 303)
        in_force = next((o for o in g.store.decisions.active_overrides(row.id) if o.component == component), None)
        if "seen" in request.form and request.form["seen"] != str(in_force.id if in_force else 0):
            # The page was opened before someone else decided on this component (audit 19: a colleague's rejection
            # was replaced without a word): show what is in force now, and let the officer decide again.
            flash("Thành phần này vừa có quyết định khác"
                  + (f" của {in_force.officer}: {DECISION_VI[in_force.decision].lower()}" if in_force else "")
                  + "; quyết định của bạn chưa được ghi, hãy xem lại rồi quyết định.")
            return redirect(to_row, 303)
        note = note_or_back(dossier_id)
        if note is None:
            return redirect(to_row, 303)
        if in_force is not None and (in_force.decision, in_force.note) == (decision, note):
            # The same decision sent again (Back, then "Ghi" once more; audit 23): nothing new to record.
            flash("Quyết định này đã được ghi trước đó; không ghi thêm.")
            return redirect(to_row, 303)
        at = clock()
        if decision == "undo":
            undone = g.store.decisions.undo_override(row.id, component, officer=who(), note=note, at=at)
            if undone is None:
                flash("Không có quyết định nào đang có hiệu lực với thành phần này.")
                return redirect(to_row, 303)
            detail = f"hủy quyết định số {undone} về «{short_name(component, rules)}»"
        else:
            decided = Override(component, decision, officer=who(), note=note, at=at)
            number = g.store.decisions.add_override(row.id, decided)
            detail = f"«{short_name(component, rules)}»: {DECISION_VI[decision].lower()} (quyết định số {number})"
        g.store.accounts.record(who(), "override", at=at, dossier_id=row.id, detail=detail)
        take_effect(row.id)
        return redirect(to_row, 303)

    @app.post("/ho-so/<int:dossier_id>/gan-trang")
    def assign(dossier_id: int) -> Any:
        row = dossier_or_404(dossier_id)
        try:
            file_id = int(request.form.get("file", ""))
            first = int(request.form.get("first", ""))
            last = int(request.form.get("last", "") or first)
        except ValueError:
            abort(400)
        component = request.form.get("component", "")
        if component not in {c.id for c in rules.components}:
            abort(400)
        found = file_or_404(dossier_id, file_id)
        count = len(g.store.pages.page_list(found["sha256"]))
        if not (1 <= first <= last <= count):
            flash(f"Khoảng trang không hợp lệ: tệp có {count} trang.")
            return redirect(url_for("dossier", dossier_id=dossier_id, _anchor="unrecognised"), 303)
        note = note_or_back(dossier_id)
        if note is None:
            return redirect(url_for("dossier", dossier_id=dossier_id, _anchor="unrecognised"), 303)
        at = clock()
        assignment = Assignment(found["path"], first, last, component, officer=who(), note=note, at=at)
        number = g.store.decisions.add_assignment(row.id, assignment)
        g.store.accounts.record(who(), "assignment", at=at, dossier_id=row.id,
                        detail=f"trang {first}–{last} của «{found['path']}» tính là «{short_name(component, rules)}» "
                               f"(lần gán số {number})")
        take_effect(row.id)
        return redirect(url_for("dossier", dossier_id=dossier_id, _anchor="unrecognised"), 303)

    @app.post("/ho-so/<int:dossier_id>/gan-trang/<int:assignment_id>/huy")
    def unassign(dossier_id: int, assignment_id: int) -> Any:
        row = dossier_or_404(dossier_id)
        note = request.form.get("note", "").strip()[:1000] or "hủy gán trang"
        at = clock()
        if not g.store.decisions.undo_assignment(row.id, assignment_id, officer=who(), note=note, at=at):
            abort(404)
        g.store.accounts.record(who(), "assignment_undone", at=at, dossier_id=row.id,
                                detail=f"hủy lần gán trang số {assignment_id}")
        take_effect(row.id)
        return redirect(url_for("dossier", dossier_id=dossier_id, _anchor="unrecognised"), 303)

    # ---- notices ---------------------------------------------------------------------------------------------

    def notice_or_404(notice_id: int) -> dict[str, Any]:
        notice = g.store.outbox.get(notice_id)
        if notice is None:
            abort(404)
        return notice

    def back(notice: dict[str, Any]) -> Any:
        target = request.form.get("back", "")
        if target == "queue" or notice.get("dossier_id") is None:
            return redirect(url_for("notices"), 303)
        return redirect(url_for("dossier", dossier_id=notice["dossier_id"], _anchor="notices"), 303)

    @app.post("/thong-bao/<int:notice_id>/gui-lai")
    def resend(notice_id: int) -> Any:
        notice = notice_or_404(notice_id)
        refused = {"awaiting_approval": "Thông báo đang chờ lãnh đạo duyệt, chưa thể gửi.",
                   # audit 23: a request a newer notice replaced was queued again, unapproved and out of date
                   "superseded": "Thông báo này đã được thay thế bằng thông báo mới hơn; không gửi lại.",
                   "expired": "Thông báo này không còn cần gửi (quá hạn hoặc hồ sơ đã thay đổi); không gửi lại."}
        if notice["state"] in refused:
            flash(refused[notice["state"]])
            return back(notice)
        was = g.store.outbox.requeue_notice(notice_id, clock())
        g.store.accounts.record(who(), "notice_resend", at=clock(), dossier_id=notice["dossier_id"],
                        detail=f"{NOTICE_VI.get(notice['kind'], notice['kind'])} {notice.get('number') or ''} "
                               f"({NOTICE_STATE_VI.get(was, was).lower()})")
        flash("Thông báo đang được gửi, hãy xem lại sau." if was == "sending" else
              "Đã xếp thông báo vào hàng gửi thư điện tử; dịch vụ gửi ở lượt kế tiếp.")
        return back(notice)

    @app.post("/thong-bao/<int:notice_id>/duyet")
    @leader_only
    def approve(notice_id: int) -> Any:
        notice = notice_or_404(notice_id)
        at = clock()
        if approve_notices(g.store, [notice_id], by=who(), at=at):
            name = f"{NOTICE_VI.get(notice['kind'], notice['kind'])} {notice.get('number') or ''}"
            g.store.accounts.record(who(), "notice_approved", at=at, dossier_id=notice["dossier_id"], detail=name)
            refresh(f"approval of notice {notice_id}")
            state = (g.store.outbox.get(notice_id) or {}).get("state")
            # Only what will happen (audit 19: "will be e-mailed" with no mail server configured).
            flash({"pending": "Đã duyệt; văn bản được lập lại theo ngày duyệt và sẽ được gửi thư điện tử ở lượt kế "
                              "tiếp của dịch vụ.",
                   "written": "Đã duyệt; văn bản đã được lập lại theo ngày duyệt (dịch vụ không gửi thư điện tử: "
                              "chưa cấu hình máy chủ thư)."}.get(
                state, "Đã duyệt; dịch vụ đang chạy lập lại văn bản theo ngày duyệt rồi gửi ở lượt kế tiếp."))
        else:
            flash("Thông báo này không còn chờ duyệt.")
        return back(notice)

    @app.post("/thong-bao/duyet-tat-ca")
    @leader_only
    def approve_all() -> Any:
        at = clock()
        # Only the notices the leader's page listed (audit 23: one written since was approved unseen).
        shown = {int(i) for i in request.form.getlist("notice") if i.isdigit()}
        waiting = [n["id"] for n in awaiting_approval(g.store) if n["id"] in shown]
        approved = approve_notices(g.store, waiting, by=who(), at=at)
        refresh("approvals")
        g.store.accounts.record(who(), "notices_approved", at=at, detail=f"{approved} thông báo")
        newer = len(awaiting_approval(g.store))
        flash(f"Đã duyệt {approved} thông báo." + (f" Có {newer} thông báo mới lập đang chờ duyệt: hãy xem trước khi "
                                                    "duyệt." if newer else ""))
        return redirect(url_for("notices"), 303)

    @app.get("/thong-bao")
    def notices() -> str:  # each dossier named as the queue names it: its enterprise (audit 23: by folder here)
        names = {d.receipt_no: d.contact.enterprise or d.folder for d in desk().dossiers}
        return render_template("notices.html", waiting=awaiting_approval(g.store),
                               listing=g.store.outbox.notice_listing(), names=names)

    # ---- search ------------------------------------------------------------------------------------------------

    @app.get("/tim-kiem")
    def find() -> str:
        query = request.args.get("q", "")[:200]
        hits = search(g.store, query, limit=100) if query.strip() else []
        links = []
        for hit in hits:
            row = g.store.dossiers.file_for_page(hit.receipt_no, hit.file)
            links.append((hit, row))
        return render_template("search.html", query=query, links=links)

    return app
