"""Shared pieces of the scope and role_assign tests."""


def _names(qs):
    return {str(obj) for obj in qs}
