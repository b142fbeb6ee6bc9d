"""Access to the shell (log-in, home) and the Django admin: see isf/core/access.py."""

from isf.core.access import ADMIN, EVERYONE, PUBLIC, rule

PAGES = {
    "root": rule(PUBLIC, label="start page (redirects to log-in or home)"),
    "login": rule(PUBLIC, label="log-in"),
    "logout": rule(PUBLIC, label="log-out"),
    "set_language": rule(PUBLIC, label="page language"),
    "home": rule(EVERYONE, label="home"),
    # the Django admin: users, teams, master data; read-only where changes have rules (isf/*/admin.py)
    "admin:*": rule({ADMIN}, label="Django admin (staff)"),
}
