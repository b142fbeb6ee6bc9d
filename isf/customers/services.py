"""The one writer of accounts, contacts and phone numbers.

Every other app (imports, the API, lead conversion, visit reports, segmentation, inside-sales
capture, owner re-assignment) changes a customer's master data through the functions here, so the
history entry, the normalised phone numbers and the validation happen in one place.
"""
