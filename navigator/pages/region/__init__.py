"""The region cabinet's pages (role `regional_operator`), one module per section."""
from navigator.pages.region import home

ROUTERS = [home.router]
