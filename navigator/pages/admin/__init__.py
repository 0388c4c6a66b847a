"""The admin cabinet's pages (role `admin`), one module per section."""
from navigator.pages.admin import home

ROUTERS = [home.router]
