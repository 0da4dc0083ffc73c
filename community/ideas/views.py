"""Idea boards in public: browse, post (seeing similar ideas first), support, comment."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, lazyload

from ..accounts.permissions import can
from ..consultations import permissions as consultation_permissions
from ..contributions.models import ContributionStatus
from ..extensions import db, limiter, per_person_key
from ..failures import attempt
from ..forms import ConfirmForm
from ..framework.models import active_terms_query
from ..pagination import paginate
from . import service
from .forms import PHASE_LABELS, STATUS_LABELS, CommentForm, EditIdeaForm, IdeaForm, RespondForm
from .models import Comment, Idea, IdeaBoard, IdeaStatus
from .phases import board_allows

bp = Blueprint("ideas", __name__, url_prefix="/ideas")


#: A board with its consultation in one query, and an idea without its issues: the
#: terms of either load only where a page shows them (a support read both: issue 15).
#: The board's statement is built once: a ``get`` with a joined-load option worked
#: out the option's cache key on every request.
_BOARD = (
    select(IdeaBoard)
    .options(joinedload(IdeaBoard.consultation))
    .where(IdeaBoard.id == bindparam("id"))
)
_IDEA = select(Idea).options(lazyload(Idea.issues)).where(Idea.id == bindparam("id"))


def load_board(board_id: int) -> IdeaBoard:
    board = db.session.scalar(_BOARD, {"id": board_id})
    if board is None or (
        board.consultation is not None
        and not consultation_permissions.can_view(current_user, board.consultation)
    ):
        abort(404)
    return board


def load_idea(board: IdeaBoard, idea_id: int) -> Idea:
    """Published ideas for everyone; others only for their author and moderators."""
    idea = db.session.scalar(_IDEA, {"id": idea_id})
    if idea is None or idea.board_id != board.id:
        abort(404)
    own = current_user.is_authenticated and idea.author_id == current_user.id
    if not idea.is_public and not own and not can(current_user, "moderate"):
        abort(404)
    return idea


def _require(capability_ok: bool) -> None:
    if not current_user.is_authenticated:
        abort(redirect(url_for("accounts.sign_in", next=request.path)))
    if not capability_ok:
        abort(403)


@bp.route("/")
def index():
    """Every idea board."""
    boards = db.session.scalars(select(IdeaBoard).order_by(IdeaBoard.created_at.desc())).all()
    boards = [
        b
        for b in boards
        if b.consultation is None or consultation_permissions.can_view(current_user, b.consultation)
    ]
    return render_template("ideas/index.html", boards=boards, phase_labels=PHASE_LABELS)


@bp.route("/<int:board_id>")
def board(board_id: int):
    """A board's ideas: sort, filter by issue, ward and status, and search."""
    board = load_board(board_id)
    args = request.args
    stmt = service.board_query(
        board,
        sort=args.get("sort", "newest"),
        issue=args.get("issue", ""),
        ward=args.get("ward", ""),
        status=args.get("status", ""),
        q=args.get("q", ""),
    )
    page = paginate(stmt, per_page=current_app.config["ITEMS_PER_PAGE"])
    return render_template(
        "ideas/board.html",
        board=board,
        page=page,
        args=args,
        supported=service.supported([i.id for i in page.items], current_user),
        issues=db.session.scalars(active_terms_query("issue")).all(),
        wards=db.session.scalars(active_terms_query("area")).all(),
        status_labels=STATUS_LABELS,
        phase_labels=PHASE_LABELS,
        can_post=board_allows(board, "post") and can(current_user, "contribute"),
        can_support=board_allows(board, "support"),
    )


def _idea_form(board: IdeaBoard, form_class=IdeaForm):
    form = form_class()
    if hasattr(form, "issues"):
        form.issues.choices = [
            (t.id, t.name) for t in db.session.scalars(active_terms_query("issue"))
        ]
        form.ward.choices = [("", _("Choose a ward"))] + [
            (str(t.id), t.name) for t in db.session.scalars(active_terms_query("area"))
        ]
    return form


@bp.route("/<int:board_id>/new", methods=["GET", "POST"])
@login_required
def new(board_id: int):
    """Post an idea; similar ideas are shown first, to support instead if one fits."""
    board = load_board(board_id)
    _require(board_allows(board, "post") and can(current_user, "contribute"))
    form = _idea_form(board)
    similar = []
    if form.validate_on_submit():
        if not form.confirmed.data:
            similar = service.similar_ideas(board, form.title.data, form.description.data)
        if not similar:
            posted = attempt(
                partial(
                    service.post_idea,
                    board,
                    current_user,
                    title=form.title.data,
                    description=form.description.data,
                    issue_ids=form.issues.data or [],
                    area_id=int(form.ward.data) if form.ward.data else None,
                ),
                form=form,
            )
            if posted.ok:
                idea = posted.value
                if idea.is_public:
                    flash(_("Your idea is published."), "success")
                else:
                    flash(
                        _("Thank you. Your idea will appear once a moderator has checked it."),
                        "success",
                    )
                return redirect(url_for("ideas.show", board_id=board.id, idea_id=idea.id))
        form.confirmed.data = "yes"
    return render_template("ideas/new.html", board=board, form=form, similar=similar)


@bp.route("/<int:board_id>/<int:idea_id>")
def show(board_id: int, idea_id: int):
    """An idea, its official response, supports and comments."""
    board = load_board(board_id)
    idea = load_idea(board, idea_id)
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.idea_id == idea.id, Comment.status == ContributionStatus.PUBLISHED)
        .order_by(Comment.id)
    ).all()
    replies = {}
    for c in comments:
        if c.parent_id:
            replies.setdefault(c.parent_id, []).append(c)
    respond_form = RespondForm(
        data={"status": idea.idea_status.value, "explanation": idea.response}
    )
    return render_template(
        "ideas/show.html",
        board=board,
        idea=idea,
        top_comments=[c for c in comments if not c.parent_id],
        replies=replies,
        supported=idea.id in service.supported([idea.id], current_user),
        can_support=board_allows(board, "support") and idea.is_public,
        can_comment=board_allows(board, "comment")
        and can(current_user, "comment")
        and idea.is_public,
        can_edit=service.can_edit(idea, current_user),
        can_respond=can(current_user, "manage_consultations"),
        comment_form=CommentForm(),
        respond_form=respond_form,
        status_labels=STATUS_LABELS,
    )


def _back(idea):
    return redirect(url_for("ideas.show", board_id=idea.board_id, idea_id=idea.id))


@bp.route("/<int:board_id>/<int:idea_id>/support", methods=["POST"])
@login_required
@limiter.limit(lambda: current_app.config["RATELIMIT_SUPPORT"], key_func=per_person_key)
def support(board_id: int, idea_id: int):
    """Support an idea (once per person)."""
    board = load_board(board_id)
    valid = ConfirmForm().validate_on_submit()
    if valid and can(current_user, "support"):
        quick = partial(service.support_published, board, idea_id, current_user)
        if attempt(quick, retry_conflicts=True, keep_loaded=True).value:
            return redirect(url_for("ideas.show", board_id=board_id, idea_id=idea_id))
    # Nothing added: the long way says why (or there was nothing to add).
    idea = load_idea(board, idea_id)
    _require(can(current_user, "support"))
    if not valid:
        abort(400)
    attempt(partial(service.support, idea, current_user), retry_conflicts=True)
    # From the URL, not the idea: reading it again after the commit cost two queries.
    return redirect(url_for("ideas.show", board_id=board_id, idea_id=idea_id))


@bp.route("/<int:board_id>/<int:idea_id>/unsupport", methods=["POST"])
@login_required
def unsupport(board_id: int, idea_id: int):
    """Withdraw your support."""
    board = load_board(board_id)
    valid = ConfirmForm().validate_on_submit()
    if valid:
        quick = partial(service.withdraw_published, board, idea_id, current_user)
        if attempt(quick, retry_conflicts=True, keep_loaded=True).value:
            return redirect(url_for("ideas.show", board_id=board_id, idea_id=idea_id))
    idea = load_idea(board, idea_id)
    if not valid:
        abort(400)
    attempt(partial(service.withdraw_support, idea, current_user), retry_conflicts=True)
    return redirect(url_for("ideas.show", board_id=board_id, idea_id=idea_id))


@bp.route("/<int:board_id>/<int:idea_id>/comments", methods=["POST"])
@login_required
def add_comment(board_id: int, idea_id: int):
    """Comment on an idea, or reply to a comment."""
    board = load_board(board_id)
    idea = load_idea(board, idea_id)
    _require(can(current_user, "comment"))
    form = CommentForm()
    if not form.validate_on_submit():
        flash(_("Enter a comment of 1000 characters or fewer."), "error")
        return _back(idea)
    parent = (
        db.session.get(Comment, int(form.parent.data))
        if (form.parent.data or "").isdigit()
        else None
    )
    posted = attempt(partial(service.comment, idea, current_user, form.text.data, parent))
    if not posted.ok:
        return _back(idea)
    flash(
        _("Comment posted.")
        if posted.result.is_public
        else _("Thank you. Your comment will appear once it has been checked."),
        "success",
    )
    return _back(idea)


@bp.route("/<int:board_id>/<int:idea_id>/edit", methods=["GET", "POST"])
@login_required
def edit(board_id: int, idea_id: int):
    """Authors change their idea until it is under review."""
    board = load_board(board_id)
    idea = load_idea(board, idea_id)
    _require(service.can_edit(idea, current_user))
    form = EditIdeaForm(
        data={"title": idea.title, "description": idea.body} if request.method == "GET" else None
    )
    if form.validate_on_submit():
        change = partial(
            service.edit,
            idea,
            current_user,
            title=form.title.data,
            description=form.description.data,
        )
        if attempt(change, form=form).ok:
            flash(_("Your idea has been updated."), "success")
            return _back(idea)
    return render_template("ideas/edit.html", board=board, idea=idea, form=form)


@bp.route("/<int:board_id>/<int:idea_id>/withdraw", methods=["POST"])
@login_required
def withdraw(board_id: int, idea_id: int):
    """Authors withdraw their idea (it is kept, not shown)."""
    board = load_board(board_id)
    idea = load_idea(board, idea_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _require(idea.author_id == current_user.id)
    attempt(partial(service.withdraw, idea, current_user))
    flash(_("Your idea has been withdrawn."), "success")
    return redirect(url_for("ideas.board", board_id=board.id))


@bp.route("/<int:board_id>/<int:idea_id>/respond", methods=["POST"])
@login_required
def respond(board_id: int, idea_id: int):
    """Officers give the official status and a public explanation."""
    board = load_board(board_id)
    idea = load_idea(board, idea_id)
    _require(can(current_user, "manage_consultations"))
    form = RespondForm()
    if not form.validate_on_submit():
        flash(_("Choose a status and write an explanation."), "error")
        return _back(idea)
    responded = attempt(
        partial(
            service.respond,
            idea,
            current_user,
            IdeaStatus(form.status.data),
            form.explanation.data,
        )
    )
    if responded.ok:
        flash(
            ngettext(
                "Response published. %(num)d person will be told by email.",
                "Response published. %(num)d people will be told by email.",
                responded.value,
            ),
            "success",
        )
    return _back(idea)
