"""The Navigator: the families' web pages, a process of its own that talks only to the gateway's public API."""
