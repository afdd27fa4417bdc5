"""People: the person record (child, unborn child, adult), names and aliases, addresses over
time, households and relationships, and person search. Reads go through access/."""
