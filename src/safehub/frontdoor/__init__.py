"""The front door: contacts from the public, professionals and partner systems; the MASH
queue, matching, partner information requests, consent, RAG, decision and sign-off."""
