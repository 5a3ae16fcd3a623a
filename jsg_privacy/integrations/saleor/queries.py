"""The GraphQL operations the app sends to Saleor, each named (the names show in Saleor's logs).

Field names and shapes follow Saleor 3.22's schema (``saleor/graphql/schema.graphql``).
"""

ADDRESS = (
    "firstName lastName companyName streetAddress1 streetAddress2 city cityArea postalCode "
    "country { code } countryArea phone"
)
METADATA = "metadata { key value } privateMetadata { key value }"
PAGE = "pageInfo { hasNextPage endCursor }"
# ``usedByEmail`` is what 3.22 calls ``assignedToEmail`` (3.23 has both, the former deprecated).
GIFT_CARD = (
    "id displayCode created createdByEmail assignedToEmail: usedByEmail isActive expiryDate lastUsedOn "
    "currentBalance { amount currency }"
)

APP_ID = "query AppId { app { id } }"

CUSTOMER = f"""query SaleorCustomer($email: String!) {{
  user(email: $email) {{
    id email firstName lastName isActive dateJoined lastLogin languageCode note
    addresses {{ id {ADDRESS} }}
    events {{ id date type message count order {{ number }} }}
    {METADATA}
  }}
}}"""

#: What the storefront API asks before a medium is switched on: can the store reach the customer?
CUSTOMER_CONTACT = """query SaleorCustomerContact($email: String!) {
  user(email: $email) { addresses { phone streetAddress1 postalCode } }
}"""

MONEY = "amount currency"
# Payments: ids, amounts and gateway only — never ``creditCard`` (brand, last digits, expiry).
ORDER_FIELDS = f"""id number created status userEmail customerNote
      billingAddress {{ {ADDRESS} }}
      shippingAddress {{ {ADDRESS} }}
      total {{ gross {{ {MONEY} }} }}
      lines {{ productName variantName quantity }}
      events {{ id date type message email }}
      invoices {{ id number createdAt url {METADATA} }}
      payments {{ id gateway pspReference created chargeStatus total {{ {MONEY} }} capturedAmount {{ {MONEY} }} }}
      transactions {{ id name pspReference createdAt authorizedAmount {{ {MONEY} }} chargedAmount {{ {MONEY} }} refundedAmount {{ {MONEY} }} }}
      {METADATA}"""

ORDERS = f"""query SaleorOrders($emails: [String!]!, $after: String) {{
  orders(first: 100, after: $after, where: {{userEmail: {{oneOf: $emails}}}}) {{
    {PAGE}
    edges {{ node {{ {ORDER_FIELDS} }} }}
  }}
}}"""

#: A customer's orders by their Saleor user id (whatever address each was placed under).
USER_ORDERS = f"""query SaleorUserOrders($users: [ID!]!, $after: String) {{
  orders(first: 100, after: $after, where: {{user: {{oneOf: $users}}}}) {{
    {PAGE}
    edges {{ node {{ {ORDER_FIELDS} }} }}
  }}
}}"""

CUSTOMER_ID = """query SaleorCustomerId($email: String!) {
  user(email: $email) { id }
}"""

ORDER = f"""query SaleorOrder($id: ID!) {{
  order(id: $id) {{
    id userEmail
    billingAddress {{ {ADDRESS} }}
    shippingAddress {{ {ADDRESS} }}
    {METADATA}
  }}
}}"""

CHECKOUT_FIELDS = f"""id created updatedAt email user {{ email }}
      billingAddress {{ {ADDRESS} }}
      shippingAddress {{ {ADDRESS} }}
      lines {{ quantity variant {{ name product {{ name }} }} }}
      {METADATA}"""

#: Saleor's checkout search: a guest's checkouts by e-mail, once its scheduled indexing ran.
CHECKOUTS = f"""query SaleorCheckouts($search: String!, $after: String) {{
  checkouts(first: 100, after: $after, filter: {{search: $search}}) {{
    {PAGE}
    edges {{ node {{ {CHECKOUT_FIELDS} }} }}
  }}
}}"""

#: The checkouts changed since a date (Saleor filters by day): those its indexing may not have
#: reached yet, read directly.
RECENT_CHECKOUTS = f"""query SaleorRecentCheckouts($since: Date!, $after: String) {{
  checkouts(first: 100, after: $after, filter: {{updatedAt: {{gte: $since}}}}) {{
    {PAGE}
    edges {{ node {{ {CHECKOUT_FIELDS} }} }}
  }}
}}"""

#: A signed-in customer's checkouts, through their account (no indexing involved).
USER_CHECKOUTS = f"""query SaleorUserCheckouts($id: ID!, $after: String) {{
  user(id: $id) {{
    checkouts(first: 100, after: $after) {{
      {PAGE}
      edges {{ node {{ {CHECKOUT_FIELDS} }} }}
    }}
  }}
}}"""

GIFT_CARDS = f"""query SaleorGiftCards($email: String!, $after: String) {{
  giftCards(first: 100, after: $after, filter: {{createdByEmail: $email}}) {{
    {PAGE}
    edges {{ node {{ {GIFT_CARD} }} }}
  }}
}}"""

CUSTOMER_GIFT_CARDS = f"""query SaleorCustomerGiftCards($email: String!, $after: String) {{
  user(email: $email) {{
    giftCards(first: 100, after: $after) {{
      {PAGE}
      edges {{ node {{ {GIFT_CARD} }} }}
    }}
  }}
}}"""

ORDER_UPDATE = """mutation OrderPseudonymise($id: ID!, $input: OrderUpdateInput!) {
  orderUpdate(id: $id, input: $input) { errors { field code } }
}"""

DELETE_PRIVATE_METADATA = """mutation PrivateMetadataDelete($id: ID!, $keys: [String!]!) {
  deletePrivateMetadata(id: $id, keys: $keys) { errors { field code } }
}"""

UPDATE_PRIVATE_METADATA = """mutation PrivateMetadataUpdate($id: ID!, $input: [MetadataInput!]!) {
  updatePrivateMetadata(id: $id, input: $input) { errors { field code } }
}"""

CHECKOUT_DELETE = """mutation CheckoutDelete($id: ID!) {
  checkoutDelete(id: $id) { errors { field code } }
}"""

#: Saleor 3.22 has no ``checkoutDelete``: an erased guest's checkout is pseudonymised instead, as
#: its orders are, until Saleor deletes it when it expires.
CHECKOUT_EMAIL_UPDATE = """mutation CheckoutPseudonymise($id: ID!, $email: String!) {
  checkoutEmailUpdate(id: $id, email: $email) { errors { field code } }
}"""

#: The rules off: the erased address is not one Saleor would format.
UNCHECKED = "validationRules: {checkRequiredFields: false, checkFieldsFormat: false, enableFieldsNormalization: false}"

CHECKOUT_BILLING_ADDRESS_UPDATE = f"""mutation CheckoutBillingAddressErase($id: ID!, $address: AddressInput!) {{
  checkoutBillingAddressUpdate(id: $id, billingAddress: $address, {UNCHECKED}) {{ errors {{ field code }} }}
}}"""

CHECKOUT_SHIPPING_ADDRESS_UPDATE = f"""mutation CheckoutShippingAddressErase($id: ID!, $address: AddressInput!) {{
  checkoutShippingAddressUpdate(id: $id, shippingAddress: $address, {UNCHECKED}) {{ errors {{ field code }} }}
}}"""

ADDRESS_DELETE = """mutation AddressDelete($id: ID!) {
  addressDelete(id: $id) { errors { field code } }
}"""

CUSTOMER_DELETE = """mutation CustomerDelete($id: ID!) {
  customerDelete(id: $id) { errors { field code } }
}"""

CUSTOMER_BY_ID = """query SaleorCustomerById($id: ID!) {
  user(id: $id) { id email }
}"""
