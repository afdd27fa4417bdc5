"""UI: the Jinja2 environment, base layout, GOV.UK form macros, MoJ macros, error pages and
the service-wide pages (home, account, health check). Holds no business rules."""
