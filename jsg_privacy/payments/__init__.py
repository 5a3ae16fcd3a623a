"""Payments: card data never reaches the shop; the provider receives only declared fields; every
disclosure is logged."""
