"""A JSON API for headless storefronts (any framework; Saleor's Next.js first): read the current
cookie and marketing choices, record cookie choices per group and marketing choices per box.

Cross-origin by design, so never on cookies alone: each call comes from an origin on
``JSG_PRIVACY_STOREFRONT_ORIGINS`` (CORS) and carries a signed visitor token (anonymous) or a
customer token checked by ``JSG_PRIVACY_STOREFRONT_CUSTOMER_AUTH`` (for a Saleor store, the
customer's JWT against the store's JWKS). Every choice goes to the same ledger, channel
``storefront``. See docs/storefront.md.
"""
