"""Cumulative-concern rules and their alerts: rules as versioned data, evaluated as each
chronology entry arrives and replayable as of any day; every alert explains itself."""
