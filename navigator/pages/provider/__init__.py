"""The provider cabinet's pages (role `provider`), one module per section."""
from navigator.pages.provider import home

ROUTERS = [home.router]
