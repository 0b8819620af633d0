"""Puts the app, the vendored module and the shared helpers on the path."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve()
# The app imports rlsgen_context/rlsgen_sqlalchemy as an application that
# vendored them would; the tests share the module tests' helpers.
sys.path[:0] = [str(HERE.parent), str(HERE.parents[1]), str(HERE.parents[3] / "recipes" / "python"), str(HERE.parents[3] / "recipes" / "python" / "tests")]

from crm_testing import app, client  # noqa: E402,F401 (fixtures)
from support import admin, crm_admin_url  # noqa: E402,F401 (fixtures)
