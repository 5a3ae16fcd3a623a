"""The privacy notice, cookie table and Art. 30 record, generated from the registry."""
