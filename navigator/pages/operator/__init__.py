"""The operator cabinet's pages (role `operator`), one module per section."""
from navigator.pages.operator import certificates, home, months, period, providers, reports

ROUTERS = [home.router, certificates.router, providers.router, period.router, months.router, reports.router]
