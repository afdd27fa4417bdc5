"""Casework: early-help and child-in-need episodes, assessments, strategy discussions,
section 47 enquiries, conferences, child protection and child-in-need plans, children in
care (periods, episodes, placements, missing episodes, reviews), statutory visits, case
notes, allocation and management oversight, each on its statutory clock."""
