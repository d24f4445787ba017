"""Logins: one throttle for every password form, the device cookie, and the staff second factor.

- `throttle`   failures slow the address and the account they came from, never a known device
- `adapter`    allauth's account adapter (calls the throttle) and MFA adapter
- `mfa`        who must have a second factor: coordinators and facility staff of a municipality that asks
- `middleware` sets the device cookie after a login; sends staff without a second factor to set one up
"""
