"""The API gateway: accounts and sessions, tokens, routing to the four services, the cabinet."""
