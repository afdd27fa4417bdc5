"""Information sharing, recorded both ways: every disclosure of a person's information to a
partner agency (and every answer a partner gives the council) with its purpose and lawful
basis, and every decision not to share with its reason. Written by the services where
sharing happens (front-door information requests, Operation Encompass notices) and by a
form for a manual disclosure or decision; read on the person's information-sharing page.

Sits above people and organisations; frontdoor and partners call it, nothing below does."""
