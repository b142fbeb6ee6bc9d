"""Access to review meetings and announcements: see isf/core/access.py."""

from isf.core.access import LEADS, SALES, VL, rule

PAGES = {
    "reviews:*": rule(LEADS, label="review meetings, review pack"),
    "reviews:announcement-new": rule({VL}, label="announce a decision"),
    "reviews:announcement-ack": rule(SALES, label="announcements: acknowledge"),
}
