"""Encryption at rest: Fernet-encrypted model fields, keyed-hash lookup columns and key rotation.

Fields: :mod:`jsg_privacy.crypto.fields`; keys (``JSG_PRIVACY_ENCRYPTION_KEYS``):
:mod:`jsg_privacy.crypto.keys`; encrypting columns that already hold data:
:mod:`jsg_privacy.crypto.operations`; re-encrypting with a new key: ``manage.py privacy_rotate_keys``.
"""
