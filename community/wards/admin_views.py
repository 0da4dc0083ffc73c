"""Officers upload ward boundaries (drawn instead of the tile map) or go back to tiles."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.permissions import requires
from ..failures import attempt
from ..forms import ConfirmForm
from . import boundaries, service
from .drawing import ward_map
from .figures import follow_map, participation_map
from .forms import BoundaryForm

bp = Blueprint("wards_admin", __name__, url_prefix="/manage/ward-map")
# Maps that public pages draw beside their own tables (the macro is wards/_map.html,
# drawn through wards/drawing.py so each map is drawn once per content and language).
bp.add_app_template_global(participation_map)
bp.add_app_template_global(follow_map)
bp.add_app_template_global(ward_map)


@bp.route("/", methods=["GET", "POST"])
@requires("manage_framework")
def index():
    """The map as it is drawn now, and the upload form."""
    form = BoundaryForm()
    if form.validate_on_submit():
        upload = form.boundaries.data
        saved = attempt(
            lambda: boundaries.save(
                upload.read(boundaries.MAX_BYTES + 1),
                filename=upload.filename or "",
                attribution=form.attribution.data or "",
                officer=current_user,
            ),
            form=form,
        )
        if saved.ok:
            flash(_("Ward boundaries uploaded: maps now draw them."), "success")
            return redirect(url_for("wards_admin.index"))
    preview = service.build(
        "preview", {}, title=_("How ward maps are drawn now"), value_heading=_("Figure")
    )
    return render_template("wards/admin.html", form=form, preview=preview, confirm=ConfirmForm())


@bp.route("/remove", methods=["POST"])
@requires("manage_framework")
def remove():
    """Go back to the tile map (uploads are kept in the audit log, not as rows)."""
    removed = ConfirmForm().validate_on_submit() and attempt(
        lambda: boundaries.remove_all(officer=current_user)
    )
    if removed and removed.value:
        flash(_("Ward boundaries removed: maps draw the tiles again."), "success")
    return redirect(url_for("wards_admin.index"))
