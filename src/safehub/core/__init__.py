"""Core: base model mixins, the application error types, identifier checks (NHS number, UPN,
postcode) and the working-day calendar. Imports no other SafeHub app."""
