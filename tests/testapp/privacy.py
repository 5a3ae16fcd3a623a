from jsg_privacy import registry as privacy

from .models import Subscriber, Ticket


@privacy.register(Ticket)
class TicketSource(privacy.ModelSource):
    subject = "user"
    subject_email = "email"
    data_subjects = "people asking for support"
    fields = {"correspondence": ["email", "phone", "subject", "body"]}
    retention = privacy.Retention(anchor="closed_at", period=privacy.Period(months=6))


@privacy.register(Subscriber)
class SubscriberSource(privacy.ModelSource):
    subject_email = "email"
    fields = {"marketing": ["email", "subscribed_at"]}
    retention = privacy.Retention(anchor="subscribed_at", period=privacy.Period(years=2))
    erasure = privacy.Anonymise()


privacy.add_consent_mechanism("marketing", "newsletter sign-up form with an unticked box")
privacy.add_consent_mechanism("partner_marketing", "newsletter sign-up form, separate unticked box")
