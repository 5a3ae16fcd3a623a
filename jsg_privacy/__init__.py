"""jsg_privacy: a privacy layer for Django shops.

What the privacy notice says is what the code stores, shares, exports, erases and deletes on time.
"""

__version__ = "0.1.0.dev0"
