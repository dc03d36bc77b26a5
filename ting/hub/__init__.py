"""The hub (``ting serve``): accounts, households, devices and the services satellites talk to.

Modules:

- ``passwords``: scrypt password hashing and the secret tokens handed to people and devices.
- ``accounts``: ``AccountStore``: tenants, households, members, console sessions, devices and
  device pairing (the OAuth 2.0 device authorization grant, RFC 8628).
- ``accounts_records``: its frozen records, settings, ``PairingError`` and input rules.
- ``accounts_pairing``: the pairing state machine on the ``pairings`` table.
- ``accounts_schema``: the migrations of the accounts database (``accounts.db``).
"""
