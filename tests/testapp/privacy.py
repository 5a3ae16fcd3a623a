from jsg_privacy import registry as privacy

from .models import Delivery, Member, Parcel, ParcelAddress, Subscriber, Ticket, Warranty


@privacy.register(Ticket)
class TicketSource(privacy.ModelSource):
    subject = "user"
    subject_email = "email"
    data_subjects = "people asking for support"
    fields = {"correspondence": ["email", "phone", "subject", "body"]}
    not_personal = ["colour", "created_at", "closed_at"]
    retention = privacy.Retention(
        anchor="closed_at", period=privacy.Period(months=6), fallback="created_at"
    )


@privacy.register(Subscriber)
class SubscriberSource(privacy.ModelSource):
    subject_email = "email"
    fields = {"marketing": ["email", "subscribed_at"]}
    retention = privacy.Retention(anchor="subscribed_at", period=privacy.Period(years=2))
    erasure = privacy.Anonymise()


privacy.add_consent_mechanism("marketing", "newsletter sign-up form with an unticked box")
privacy.add_consent_mechanism("partner_marketing", "newsletter sign-up form, separate unticked box")


@privacy.register(Delivery)
class DeliverySource(privacy.ModelSource):
    subject_email = "extra__contact__email"
    fields = {
        "order": ["extra__contact__email", "extra__phone", "extra__gift_message", "placed_at"],
    }
    not_personal = ["reference"]
    retention = privacy.Retention(
        anchor="placed_at", period=privacy.Period(years=1), action=privacy.Action.ANONYMISE
    )
    erasure = privacy.Anonymise({"placed_at": privacy.anonymisers.keep})


@privacy.register(Member)
class MemberSource(privacy.ModelSource):
    subject = "user"
    fields = {"account": ["handle", "signature", "joined_at"]}
    retention = privacy.Retention(anchor="joined_at", period=privacy.Period(years=5))
    erasure = privacy.Anonymise()


@privacy.register(Warranty)
class WarrantySource(privacy.ModelSource):
    subject = "user"
    fields = {"order": ["serial", "registered_at"]}
    retention = privacy.Retention(anchor="registered_at", period=privacy.Period(years=2))


@privacy.register(Parcel)
class ParcelSource(privacy.ModelSource):
    subject = "user"
    fields = {"order": ["address", "sent_at"]}
    retention = privacy.Retention(anchor="sent_at", period=privacy.Period(years=1))
    # The link to the address stays: the address row is erased by its own source.
    erasure = privacy.Anonymise(
        {"sent_at": privacy.anonymisers.keep, "address": privacy.anonymisers.keep}
    )


@privacy.register(ParcelAddress)
class ParcelAddressSource(privacy.ModelSource):
    subject = "parcel__user"
    fields = {"order": ["line1", "postcode"]}
    not_personal = ["created_at"]
    retention = privacy.Retention(
        anchor="parcel__sent_at", period=privacy.Period(years=1), fallback="created_at"
    )
