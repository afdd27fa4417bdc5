"""Notifications: the transactional outbox (e-mail and SafeHub inbox messages written in the
same transaction as the change they report) and the relay that delivers them."""
