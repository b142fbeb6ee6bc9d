"""Access to leads, campaigns, call lists, appointments, complaints and quotes (pages and API)."""

from isf.core.access import (
                             AD,
                             ADMIN,
                             APPOINTMENT,
                             CAMPAIGN,
                             ID,
                             IDL,
                             INSIDE,
                             MKT,
                             OWN,
                             OWN_REGION,
                             PUBLIC,
                             REGION,
                             SALES,
                             TARGETING,
                             TEAM,
                             VL,
                             rule,
)

LEAD_WORKERS = frozenset({MKT, VL, IDL, ID})
CAMPAIGN_BUILDERS = frozenset({MKT, VL, IDL})
PRIVACY = frozenset({VL, IDL, ADMIN})  # GDPR: export, consent/objection, erasure (the admin answers requests)
ACCOUNT_SCOPE = {AD: OWN_REGION, ID: TEAM}
# an appointment is cancelled by the rep it is booked for, the agent who booked it, and the leads of the rep's
# region (VL) or of the booking team (IDL): isf.campaigns.selectors.appointments_cancellable_by
APPOINTMENT_SCOPE = {AD: OWN, ID: OWN, VL: REGION, IDL: TEAM}

PAGES = {
    # the field sees its appointments and its customers' complaints and quotes
    "campaigns:*": rule(SALES, scope=ACCOUNT_SCOPE, label="appointments, complaints, quote follow-ups"),
    "campaigns:public-contact": rule(PUBLIC, label="public contact form"),
    "campaigns:calendar-feed": rule(PUBLIC, label="calendar feed (secret per-rep URL, renewable)"),
    "campaigns:feed-renew": rule({AD}, scope={AD: OWN}, label="calendar feed: renew"),
    "campaigns:appointment-book": rule({VL, IDL, ID}, label="book an appointment for a rep"),
    "campaigns:appointment-cancel": rule(SALES, scope=APPOINTMENT_SCOPE, obj=APPOINTMENT,
                                         label="cancel an appointment"),
    # an inside agent sees the campaign's entries of his visible accounts only (like every list)
    "campaigns:campaign-list": rule(LEAD_WORKERS, scope={ID: TEAM}, label="campaigns"),
    "campaigns:campaign-detail": rule(LEAD_WORKERS, scope={ID: TEAM}, obj=CAMPAIGN, label="campaign"),
    "campaigns:campaign-new": rule(CAMPAIGN_BUILDERS, label="campaign: new"),
    # marketing builds it too, and sees reasons without revenue or potential figures (its account scope)
    "campaigns:telemarketing-new": rule(CAMPAIGN_BUILDERS, scope={MKT: TARGETING},
                                        label="call list from the opportunity list"),
    "campaigns:campaign-assign": rule(CAMPAIGN_BUILDERS, label="campaign: assign agents"),
    "campaigns:call-list": rule(INSIDE, scope={ID: TEAM}, label="call list"),
    "campaigns:call-record": rule(INSIDE, scope={ID: TEAM}, label="call list: record a call"),
    "campaigns:lead-list": rule(LEAD_WORKERS, label="leads"),
    "campaigns:lead-detail": rule(LEAD_WORKERS, label="lead"),
    "campaigns:lead-action": rule(LEAD_WORKERS, label="lead: qualify, convert, ..."),
    "campaigns:lead-new": rule(LEAD_WORKERS, label="lead: new"),
    "campaigns:lead-import": rule(CAMPAIGN_BUILDERS, label="lead import"),
    "campaigns:lead-privacy": rule(PRIVACY, label="lead privacy (GDPR)"),
    "campaigns:lead-privacy-action": rule(PRIVACY, label="lead privacy: export, erase"),
}

API = {
    # leads; the admin also takes leads in through integrations
    ("GET", "/leads"): rule(LEAD_WORKERS | {ADMIN}, methods=("GET",)),
    ("GET", "/leads/{lead_id}"): rule(LEAD_WORKERS | {ADMIN}, methods=("GET",)),
    ("POST", "/leads"): rule(LEAD_WORKERS | {ADMIN}, methods=("POST",)),
}
