"""The operator cabinet's pages (role `operator`), one module per section."""
from navigator.pages.operator import home

ROUTERS = [home.router]
