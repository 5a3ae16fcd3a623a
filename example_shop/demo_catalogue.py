"""What the demo shop sells: categories and products with realistic GBP prices (incl. VAT)."""

from decimal import Decimal

from example_shop.catalogue.models import Product

Kind = Product.Kind

CATALOGUE = [
    {
        "name": "Single-phase meters",
        "slug": "single-phase-meters",
        "description": "DIN-rail kWh meters for flats, garages, EV chargers and sub-let units.",
        "products": [
            {
                "name": "EM110 Single-Phase MID kWh Meter",
                "sku": "JSG-EM110",
                "kind": Kind.SINGLE_PHASE_METER,
                "short_description": "45 A direct connected, 1 module wide, MID class B.",
                "price": Decimal("34.95"),
                "stock": 140,
                "mid_approved": True,
                "is_featured": True,
            },
            {
                "name": "EM111 Single-Phase MID Meter with Pulse Output",
                "sku": "JSG-EM111",
                "kind": Kind.SINGLE_PHASE_METER,
                "short_description": "45 A direct, S0 pulse output for a data logger or BMS.",
                "price": Decimal("42.50"),
                "stock": 85,
                "mid_approved": True,
            },
            {
                "name": "Single-Phase Modbus RTU MID Meter, 100 A",
                "sku": "JSG-SPM100-MB",
                "kind": Kind.SINGLE_PHASE_METER,
                "short_description": "RS-485 Modbus RTU, import/export registers, backlit LCD.",
                "price": Decimal("68.00"),
                "stock": 40,
                "mid_approved": True,
                "is_featured": True,
            },
            {
                "name": "Single-Phase Sub-Meter, 32 A (non-MID)",
                "sku": "JSG-SPM32",
                "kind": Kind.SINGLE_PHASE_METER,
                "short_description": "Economical check meter for monitoring only, not for billing.",
                "price": Decimal("19.95"),
                "stock": 0,
                "mid_approved": False,
            },
        ],
    },
    {
        "name": "Three-phase meters",
        "slug": "three-phase-meters",
        "description": "Direct connected and CT-operated meters for commercial and industrial supplies.",
        "products": [
            {
                "name": "EM340 Three-Phase MID Meter",
                "sku": "JSG-EM340",
                "kind": Kind.THREE_PHASE_METER,
                "short_description": "65 A direct connected, 3 modules wide, Modbus RTU option.",
                "price": Decimal("129.00"),
                "stock": 32,
                "mid_approved": True,
                "is_featured": True,
            },
            {
                "name": "Three-Phase CT-Operated MID Meter, 5 A Input",
                "sku": "JSG-TPM-CT5",
                "kind": Kind.THREE_PHASE_METER,
                "short_description": "For supplies up to 6000 A with /5 A current transformers.",
                "price": Decimal("149.00"),
                "stock": 18,
                "mid_approved": True,
            },
            {
                "name": "Three-Phase Modbus MID Meter, 100 A Direct",
                "sku": "JSG-TPM100-MB",
                "kind": Kind.THREE_PHASE_METER,
                "short_description": "RS-485 Modbus RTU, 4-quadrant energy, multi-tariff.",
                "price": Decimal("164.50"),
                "stock": 12,
                "mid_approved": True,
            },
            {
                "name": "Three-Phase Pulse-Output Meter, 333 mV CT Input",
                "sku": "JSG-TPM-333",
                "kind": Kind.THREE_PHASE_METER,
                "short_description": "Pairs with 333 mV split-core CTs for retrofit monitoring.",
                "price": Decimal("118.00"),
                "stock": 9,
                "mid_approved": False,
            },
        ],
    },
    {
        "name": "Current transformers",
        "slug": "current-transformers",
        "description": "Split-core CTs clip around existing cables; solid-core CTs for new panels.",
        "products": [
            {
                "name": "Split-Core CT 100/5 A",
                "sku": "JSG-SCT-100-5",
                "kind": Kind.CURRENT_TRANSFORMER,
                "short_description": "16 mm aperture, class 1, fits without disconnecting the supply.",
                "price": Decimal("24.95"),
                "stock": 210,
                "is_featured": True,
            },
            {
                "name": "Split-Core CT 100 A/333 mV",
                "sku": "JSG-SCT-100-333",
                "kind": Kind.CURRENT_TRANSFORMER,
                "short_description": "Voltage output: safe to open-circuit, for electronic meters.",
                "price": Decimal("27.50"),
                "stock": 180,
            },
            {
                "name": "Split-Core CT 400 A/333 mV",
                "sku": "JSG-SCT-400-333",
                "kind": Kind.CURRENT_TRANSFORMER,
                "short_description": "36 mm aperture for large tails and busbars.",
                "price": Decimal("39.00"),
                "stock": 64,
            },
            {
                "name": "Solid-Core CT 60/5 A",
                "sku": "JSG-CT-60-5",
                "kind": Kind.CURRENT_TRANSFORMER,
                "short_description": "Class 0.5, 21 mm aperture, for new switchboards.",
                "price": Decimal("14.95"),
                "stock": 300,
            },
            {
                "name": "Solid-Core CT 250/5 A",
                "sku": "JSG-CT-250-5",
                "kind": Kind.CURRENT_TRANSFORMER,
                "short_description": "Class 0.5, busbar or 30 mm cable, tariff-grade.",
                "price": Decimal("18.50"),
                "stock": 150,
            },
        ],
    },
    {
        "name": "Data loggers and displays",
        "slug": "data-loggers-and-displays",
        "description": "Read meters remotely: pulse counters, Modbus gateways and remote displays.",
        "products": [
            {
                "name": "4-Channel Pulse Counter Data Logger",
                "sku": "JSG-PDL4",
                "kind": Kind.ACCESSORY,
                "short_description": "Logs four S0 pulse meters every 30 minutes; USB and Ethernet.",
                "price": Decimal("189.00"),
                "stock": 22,
                "is_featured": True,
            },
            {
                "name": "Modbus Energy Data Logger with Ethernet",
                "sku": "JSG-MDL32",
                "kind": Kind.ACCESSORY,
                "short_description": "Reads up to 32 Modbus meters; CSV export and web interface.",
                "price": Decimal("295.00"),
                "stock": 11,
            },
            {
                "name": "Remote kWh Display Unit",
                "sku": "JSG-RDU",
                "kind": Kind.ACCESSORY,
                "short_description": "Shows a tenant their consumption from a pulse-output meter.",
                "price": Decimal("79.00"),
                "stock": 27,
            },
        ],
    },
    {
        "name": "Enclosures and installation kits",
        "slug": "enclosures-and-installation-kits",
        "description": "Everything to mount and wire a sub-meter neatly and safely.",
        "products": [
            {
                "name": "DIN Rail Enclosure, 4 Module, IP65",
                "sku": "JSG-ENC4",
                "kind": Kind.ACCESSORY,
                "short_description": "Lockable clear door, suits one single-phase meter and breaker.",
                "price": Decimal("22.50"),
                "stock": 95,
            },
            {
                "name": "Sub-Meter Installation Kit",
                "sku": "JSG-KIT1",
                "kind": Kind.ACCESSORY,
                "short_description": "Enclosure, 40 A MCB, tails and labels for one meter.",
                "price": Decimal("49.95"),
                "stock": 48,
            },
            {
                "name": "Pulse Output Cable, 2 m",
                "sku": "JSG-PC2",
                "kind": Kind.ACCESSORY,
                "short_description": "Screened twin cable with ferrules.",
                "price": Decimal("6.50"),
                "stock": 400,
            },
            {
                "name": "Legacy Rotary Meter Adaptor (discontinued)",
                "sku": "JSG-LRA",
                "kind": Kind.ACCESSORY,
                "short_description": "No longer sold; kept for past orders.",
                "price": Decimal("12.00"),
                "stock": 0,
                "is_active": False,
            },
        ],
    },
]

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
