"""Template globals stay live while Jinja's per-import check stays cheap (issue 15:
the GOV.UK macros import their parts inside every call)."""

from __future__ import annotations


def test_globals_keys_are_a_set_and_stay_live(app):
    env = app.jinja_env
    template = env.from_string("{{ late_global }}")
    assert isinstance(template.globals.keys(), set)  # a C set difference per import
    env.globals["late_global"] = "seen"  # added after the template was loaded
    try:
        assert template.render() == "seen"
    finally:
        del env.globals["late_global"]


def test_a_macro_imported_inside_a_macro_still_renders(app):
    with app.test_request_context():
        html = app.jinja_env.from_string(
            '{% from "govuk_frontend_jinja/components/radios/macro.html" import govukRadios %}'
            "{{ govukRadios({'name': 'q', 'fieldset': {'legend': {'text': 'Safe?'}},"
            " 'items': [{'value': 'y', 'text': 'Yes'}, {'value': 'n', 'text': 'No'}]}) }}"
        ).render()
    assert html.count('type="radio"') == 2 and "Safe?" in html
