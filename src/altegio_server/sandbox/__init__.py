"""Sandbox mode (behaviour 19): controls that make the server a test environment.

Off unless asked for. On, the server answers `/_sandbox/...` behind a token of its own,
and its clock can be set, frozen and moved, for every server process over the database.
"""
