"""Community Voice: the app factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from .config import from_environment, instance_dir, site_dir


def create_app(config: dict | None = None) -> Flask:
    """Build the app from the environment, with ``config`` overriding for tests."""
    instance_path = Path((config or {}).get("INSTANCE_PATH") or instance_dir()).resolve()
    app = Flask(
        __name__,
        instance_path=str(instance_path),
        instance_relative_config=True,
        template_folder=str(site_dir("templates")),
        static_folder=str(site_dir("static")),
    )
    from .templating import Environment

    app.jinja_environment = Environment  # before anything creates app.jinja_env
    instance_path.mkdir(parents=True, exist_ok=True)
    app.config.update(from_environment(instance_path))
    if config:
        app.config.update(config)
    from .operations.config_check import enforce

    enforce(app)
    from .operations import error_reports, logs

    logs.init_app(app)
    error_reports.init_app(app)

    _init_extensions(app)
    _register_blueprints(app)

    from . import (
        cli,
        errors,
        inputguard,
        layoutparts,
        pagecache,
        security,
        sessions,
        staticfiles,
        templating,
        uploads,
    )
    from .operations import form_tokens

    uploads.init_app(app)
    security.init_app(app)
    sessions.init_app(app)
    inputguard.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    layoutparts.init_app(app)
    cli.init_app(app)
    form_tokens.init_app(app)
    pagecache.init_app(app)  # after the hooks that must run for every request
    staticfiles.init_app(app)  # last: WhiteNoise wraps the whole WSGI app
    return app


def _init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (every table is known before migrations look)
    from .accounts.service import load_user
    from .extensions import babel, csrf, db, init_migrations, limiter, login_manager
    from .i18n import install_template_gettext, select_locale, select_timezone

    db.init_app(app)
    from .search.index import install as install_search_index

    install_search_index(db.session)
    if app.config.get("MIGRATIONS", True):
        init_migrations(app, str(site_dir("migrations")))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    install_template_gettext(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = None
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _tune_sqlite(app)
    from .operations import connections

    with app.app_context():
        connections.init_app(app, db.engine)


def _tune_sqlite(app: Flask) -> None:
    """WAL and a busy timeout, so concurrent requests wait rather than fail."""
    from sqlalchemy import event

    from .extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def _register_blueprints(app: Flask) -> None:
    from .accounts.admin_views import bp as users_admin_bp
    from .accounts.views import bp as accounts_bp
    from .api.admin_views import bp as api_tokens_bp
    from .api.views import bp as api_bp
    from .audit.admin_views import bp as audit_admin_bp
    from .consultations.admin_views import bp as consultations_admin_bp
    from .consultations.views import bp as consultations_bp
    from .conversations.admin_views import bp as conversations_admin_bp
    from .conversations.views import bp as conversations_bp
    from .framework.admin_views import bp as framework_admin_bp
    from .framework.views import bp as framework_bp
    from .groups.admin_views import bp as groups_admin_bp
    from .groups.views import bp as groups_bp
    from .ideas.admin_views import bp as ideas_admin_bp
    from .ideas.views import bp as ideas_bp
    from .insights.views import bp as insights_bp
    from .main.views import bp as main_bp
    from .moderation.settings_views import bp as moderation_settings_bp
    from .moderation.views import bp as moderation_bp
    from .multilingual.admin_views import bp as translations_admin_bp
    from .notifications.admin_views import bp as outbox_admin_bp
    from .opendata.views import bp as opendata_bp
    from .partners.views import bp as partners_bp
    from .plan.admin_views import bp as plan_admin_bp
    from .plan.editor_views import bp as plan_editor_bp
    from .plan.partnership_views import bp as partnership_bp
    from .plan.views import bp as plan_bp
    from .privacy.admin_views import bp as privacy_admin_bp
    from .privacy.views import bp as privacy_bp
    from .search.views import bp as search_bp
    from .surveys import changes  # noqa: F401 (the results version's flush listener)
    from .surveys.answering.views import bp as surveys_bp
    from .surveys.builder import question_views  # noqa: F401 (its routes, on the builder's blueprint)
    from .surveys.builder.views import bp as survey_builder_bp
    from .surveys.results.views import bp as survey_results_bp
    from .tagging.analysis.views import bp as tagging_analysis_bp
    from .tagging.coding.views import bp as tagging_bp
    from .tagging.rounds.views import bp as tagging_rounds_bp
    from .tagging.themes.views import bp as tagging_themes_bp
    from .wards.admin_views import bp as wards_admin_bp

    for blueprint in (
        main_bp,
        accounts_bp,
        privacy_bp,
        privacy_admin_bp,
        framework_bp,
        consultations_bp,
        consultations_admin_bp,
        surveys_bp,
        conversations_bp,
        conversations_admin_bp,
        insights_bp,
        opendata_bp,
        api_bp,
        partners_bp,
        ideas_bp,
        ideas_admin_bp,
        groups_bp,
        groups_admin_bp,
        plan_bp,
        plan_admin_bp,
        plan_editor_bp,
        partnership_bp,
        survey_builder_bp,
        survey_results_bp,
        moderation_bp,
        translations_admin_bp,
        moderation_settings_bp,
        tagging_bp,
        tagging_themes_bp,
        tagging_rounds_bp,
        tagging_analysis_bp,
        users_admin_bp,
        framework_admin_bp,
        audit_admin_bp,
        outbox_admin_bp,
        api_tokens_bp,
        search_bp,
        wards_admin_bp,
    ):
        app.register_blueprint(blueprint)
