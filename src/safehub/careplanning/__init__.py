"""Care planning for children in care (ADR 0035): the independent reviewing officer and
their contact with the child, the care, placement and permanence plans as versioned text,
and the decisions delegated to the carers of each placement."""
