"""Puts the module and the shared helpers on the path; the fixtures are in support.py."""

import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parent)]

from support import admin, crm_admin_url, crm_url, signed_secret, signed_url  # noqa: E402,F401 (fixtures)
