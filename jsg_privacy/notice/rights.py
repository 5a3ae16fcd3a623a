"""The data subject's rights (UK GDPR Arts. 15-22) and the complaint route, as the notice words them."""

from django.utils.translation import gettext_lazy as _

RIGHTS = (
    (
        "access",
        _("Access"),
        _(
            "Ask for a copy of your personal data and how we use it. We remove information about "
            "other people first."
        ),
    ),
    ("rectification", _("Rectification"), _("Have inaccurate data corrected or completed.")),
    (
        "erasure",
        _("Erasure"),
        _(
            "Have your data erased when we no longer need it, you withdraw consent, or we process it "
            "unlawfully. Records the law makes us keep (such as invoices) are kept until that duty ends."
        ),
    ),
    (
        "restriction",
        _("Restriction"),
        _(
            "Ask us to keep your data but limit what we do with it, for example while a correction is checked."
        ),
    ),
    (
        "objection",
        _("Objection"),
        _(
            "Object to processing based on our legitimate interests, and to direct marketing at any time."
        ),
    ),
    (
        "portability",
        _("Portability"),
        _("Receive the data you gave us in a structured, machine-readable format."),
    ),
    (
        "withdraw_consent",
        _("Withdraw consent"),
        _(
            "Where we rely on your consent, withdraw it at any time; this does not affect what we did before."
        ),
    ),
)

RESPONSE_TIME = _(
    "We answer within one month, free of charge. For complex or numerous requests we may extend "
    "this by up to two further months and will tell you why within the first month. We may ask you "
    "to confirm your identity first: the month then starts once you have. If we need to ask you "
    "what exactly you are asking for, the month is paused until you tell us."
)

#: How to complain to the shop first (DPA 2018 s.164A); the ICO route follows it in the notice.
COMPLAINTS = _(
    "If you are unhappy with how we have used or looked after your personal data, or with how we "
    "answered a request about it, please tell us first: we acknowledge every complaint within 30 "
    "days (our form does it at once), look into it, keep you informed and tell you the outcome "
    "without undue delay, together with your right to complain to the supervisory authority."
)
