"""An installed wheel works away from the checkout: pages, static files, migrations,
framework and plan data all come from inside the installed package.

The wheel is built from a copy of the sources, installed with ``--no-deps`` into a
fresh virtual environment that sees this environment's dependencies through a .pth
line (no network), and run from an unrelated working directory.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

#: Builds the wheel and installs it into a fresh virtual environment.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("community", "templates", "static", "migrations", "pyproject.toml", "setup.py")

SCRIPT = """
import community, json
from flask_migrate import upgrade
from community import create_app
import os
database = "sqlite:///" + os.path.abspath("site.sqlite")
app = create_app({"SQLALCHEMY_DATABASE_URI": database, "JOBS_MODE": "off", "MAIL_BACKEND": "file"})
with app.app_context():
    upgrade()
    from community.framework.service import seed
    from community.plan.service import seed_plan
    from community.extensions import db
    report = seed(app.config["FRAMEWORK_FILE"])
    plan = seed_plan(app.config["PLAN_FILE"])
    db.session.commit()
client = app.test_client()
pages = {path: client.get(path).status_code for path in
         ["/", "/accessibility", "/static/css/main.css", "/no-such-page", "/framework/"]}
import re
css = re.search(r'href="(/static/css/[^"]+)"', client.get("/").get_data(as_text=True)).group(1)
hashed = client.get(css, headers={"Accept-Encoding": "br"})
print(json.dumps({"package": community.__file__, "pages": pages,
                  "css": [css, hashed.status_code, hashed.headers.get("Cache-Control"),
                          hashed.headers.get("Content-Encoding")],
                  "terms": report.terms_added, "plan": bool(plan),
                  "static": app.static_folder, "templates": app.template_folder}))
"""


def run(args, **kw) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, **kw)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def test_the_built_wheel_serves_pages_and_static_files_from_anywhere(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, source / name)
    shutil.copy2(ROOT / "README.md", source / "README.md")
    wheels = tmp_path / "wheels"
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(source),
        ]
    )
    (wheel,) = wheels.glob("community_voice-*.whl")

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    site = Path(
        run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
        ).stdout.strip()
    )
    # This environment's dependencies, but not its editable checkout of the app.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(site),
            str(wheel),
        ]
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "PYTHON"))}
    env.update(COMMUNITY_ENV="development", REDIS_URL="", DATABASE_URL="")
    result = run([str(python), "-c", SCRIPT], cwd=elsewhere, env=env)
    report = __import__("json").loads(result.stdout.strip().splitlines()[-1])
    assert report["package"].startswith(str(site))
    assert str(ROOT) not in report["templates"] and str(ROOT) not in report["static"]
    assert report["pages"] == {
        "/": 200,
        "/accessibility": 200,
        "/static/css/main.css": 200,
        "/no-such-page": 404,
        "/framework/": 200,
    }
    assert report["terms"] > 0 and report["plan"] is True
    # The wheel carries the hashed, precompressed static files and their manifest.
    css, status, cache, encoding = report["css"]
    assert re.fullmatch(r"/static/css/main\.[0-9a-f]{12}\.css", css), css
    assert (status, cache, encoding) == (200, "max-age=31536000, public, immutable", "br")
    assert (
        elsewhere / "instance"
    ).is_dir()  # instance data beside the process, not in site-packages
