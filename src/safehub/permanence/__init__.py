"""Permanence for children in care: care proceedings under the Public Law Outline,
deprivation of liberty orders, adoption (the decision, placement order, match, placement
and order), prospective adopters, and previous permanence (ADR 0036)."""
