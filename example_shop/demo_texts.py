"""The words of the demo data: product descriptions by kind, enquiries and quote requests."""

from example_shop.catalogue.models import Product

Kind = Product.Kind

DESCRIPTIONS = {
    Kind.SINGLE_PHASE_METER: (
        "A DIN-rail kWh meter for one single-phase circuit: a flat, a garage, an EV charger or a "
        "unit you sub-let. Clear LCD register, sealable terminal covers and a 1 module footprint."
        "\n\nMID-approved models are certified for billing a tenant for the electricity used."
    ),
    Kind.THREE_PHASE_METER: (
        "A three-phase kWh meter for commercial and light industrial supplies, with per-phase "
        "readings of voltage, current and power on the display."
        "\n\nCT-operated versions measure large supplies through current transformers; set the "
        "CT ratio on the meter so that it reads the real consumption."
    ),
    Kind.CURRENT_TRANSFORMER: (
        "Current transformers let a meter measure cables it cannot carry directly. Split-core "
        "CTs open to clip around a live cable without disconnecting the supply; solid-core CTs "
        "suit new switchboards.\n\nMatch the CT's output (5 A or 333 mV) to your meter's input."
    ),
    Kind.ACCESSORY: (
        "Designed to work with the meters we sell. Ask us if you are unsure which one you need: "
        "call 01268 773766 for free technical advice."
    ),
}

ENQUIRIES = [
    (
        "Which CT do I need for a 100 A supply?",
        "We have 25 mm tails into the board. Would the "
        "100/5 A split-core CT fit, and which meter should I pair it with?",
    ),
    (
        "Is the EM110 suitable for billing a tenant?",
        "I let out a garden office and want to "
        "charge the tenant for the electricity. Is the EM110 approved for that?",
    ),
    (
        "Delivery time to Northern Ireland",
        "How long does delivery to Belfast take, and is there an extra charge?",
    ),
    (
        "Modbus register map for the EM340",
        "Could you send the Modbus register map? Our BMS "
        "integrator needs it to read total kWh and per-phase current.",
    ),
    (
        "Pulse output wiring question",
        "Is the S0 output polarity sensitive? My logger counts no "
        "pulses since I connected the meter.",
    ),
    (
        "VAT invoice for a previous order",
        "Our accounts team needs a VAT invoice for an order "
        "placed last month. Could you e-mail one?",
    ),
    (
        "Meter reading looks wrong",
        "The display shows far more kWh than I expected after a week. "
        "Could the CT be the wrong way round?",
    ),
    (
        "Trade account and credit terms",
        "We are an electrical contractor and buy meters every "
        "month. Do you offer a trade account with 30-day terms?",
    ),
]

QUOTE_MESSAGES = [
    "Sub-metering for a block of 12 flats, single-phase supplies, need MID meters for billing.",
    "Warehouse with three distribution boards, 400 A supply. Looking for CT-operated meters.",
    "EV charger installations for a fleet depot, one meter per charger.",
    "Retrofit monitoring on an existing panel, cannot switch off the supply.",
    "Holiday park with 40 lodges, want remote reading of each lodge's meter.",
]
