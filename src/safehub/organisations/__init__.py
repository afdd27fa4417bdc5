"""Organisations: agencies (council teams, schools, GP practices, health trusts, police and
others), their teams, and the staff who sign in. Imports only core and access.roles."""
