"""The admin cabinet's pages (role `admin`), one module per section."""
from navigator.pages.admin import accounts, home

ROUTERS = [home.router, accounts.router]
