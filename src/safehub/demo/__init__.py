"""Demo: the deterministic synthetic council "Demoshire" (seed_demo), its printed sign-ins
and TOTP helper. Refuses to run outside demo mode; imports models only to fill them."""
