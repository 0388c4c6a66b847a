"""The API gateway: accounts and sessions, tokens, routing to the five services, the cabinet."""
