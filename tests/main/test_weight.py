"""Weight of a web worker: serving pages does not import the heavy maths libraries.

scikit-learn and SciPy (about 100 MB resident together) are needed only to recompute
opinion groups (the job worker, the CLI) and to check open-data suppression; openpyxl
only to write a workbook. A fresh process that builds the app and serves the home
page must not import them, or every gunicorn worker would carry them.
"""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json, sys
from community import create_app
from community.extensions import db
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite:///" + sys.argv[1]})
with app.app_context():
    db.create_all()
client = app.test_client()
statuses = [client.get(path).status_code for path in ("/", "/consultations/", "/healthz")]
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"sklearn", "scipy", "openpyxl"})
print(json.dumps({"statuses": statuses, "heavy": heavy}))
"""


def test_serving_pages_imports_no_scikit_learn_scipy_or_openpyxl(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "weight.sqlite")],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["statuses"][0] == 200, found
    assert found["heavy"] == [], found
