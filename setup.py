"""Only for building: put the site's templates, static files and migrations inside the
package of a built wheel, so `pip install .` serves pages from any directory.

Everything else about the package is in pyproject.toml. In a checkout (and an
editable install) the app reads these folders where they are; installed, it reads
``community/bundled/<name>`` (see ``community/config.py``'s ``site_dir``).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = ("templates", "static", "migrations")


class BuildWithSiteFiles(build_py):
    def run(self):
        super().run()
        here = Path(__file__).resolve().parent
        for name in BUNDLED:
            target = Path(self.build_lib) / "community" / "bundled" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(
                here / name, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )


setup(cmdclass={"build_py": BuildWithSiteFiles})
