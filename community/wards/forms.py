"""The ward boundary upload form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length

DEFAULT_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data © Crown copyright and database right."
)


class BoundaryForm(FlaskForm):
    boundaries = FileField(
        _l("Ward boundaries (GeoJSON)"),
        description=_l(
            "A FeatureCollection of the 19 wards, as downloaded from the ONS Open Geography "
            "Portal (Polygon or MultiPolygon features with the ward name, e.g. WD24NM), "
            "smaller than 1,500 KB."
        ),
        validators=[FileRequired(message=_l("Choose a GeoJSON file of the ward boundaries"))],
        widget=GovFileInput(),
    )
    attribution = TextAreaField(
        _l("Attribution"),
        description=_l("The licence statement shown under the map."),
        default=DEFAULT_ATTRIBUTION,
        validators=[Length(max=1000)],
        widget=GovTextArea(),
    )
    submit = SubmitField(_l("Upload and draw the map"), widget=GovSubmitInput())
