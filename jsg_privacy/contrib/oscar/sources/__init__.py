"""Declarations of django-oscar's models, one module per part of the shop.

The classes are plain :class:`~jsg_privacy.registry.ModelSource` subclasses: ``privacy.py``
registers them for the installed Oscar apps. To change one (a longer hold, your own wording),
subclass it and register yours in its place (see docs/oscar.md).
"""
