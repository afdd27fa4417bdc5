"""Insight: the performance dashboard (monthly figures over 24 months beside England's
published figures, each drilling down to the children behind it through the access policy),
the quarterly committee report (a PDF built by a background job) and the job queue's jobs
(ADR 0038). Reads casework, the front door, people and organisations; nothing imports it
but `api` and `demo`."""
