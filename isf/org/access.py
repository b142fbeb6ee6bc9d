"""Access to the shell (log-in, home) and the Django admin: see isf/core/access.py."""

from isf.core.access import ADMIN, EVERYONE, IDL, LEADS, PUBLIC, rule

PAGES = {
    "root": rule(PUBLIC, label="start page (redirects to log-in or home)"),
    "login": rule(PUBLIC, label="log-in"),
    "logout": rule(PUBLIC, label="log-out"),
    "set_language": rule(PUBLIC, label="page language"),
    "home": rule(EVERYONE, label="home"),
    # the inside agents' skills (routing) and referral requests: the leads and the administrator read, the IDL and
    # the administrator set the skills
    "agent-list": rule(LEADS | {ADMIN}, label="inside agents: skills and referrals"),
    "agent-skills": rule(LEADS | {ADMIN}, POST={IDL, ADMIN}, label="an agent's skills"),
    # the operator page: jobs, workers, the nightly run (/health/ is answered before routing, for anyone)
    "operations": rule({ADMIN}, label="operations (jobs, workers, nightly run)"),
    # the Django admin: users, teams, master data; read-only where changes have rules (isf/*/admin.py)
    "admin:*": rule({ADMIN}, label="Django admin (staff)"),
}
