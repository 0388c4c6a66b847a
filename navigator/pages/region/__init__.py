"""The region cabinet's pages (role `regional_operator`), one module per section."""
from navigator.pages.region import home, programs, providers, reports, rules

ROUTERS = [home.router, providers.router, programs.router, rules.router, reports.router]
