"""The Navigator's pages, one module per part of the site."""
from navigator.pages import account, applications, cabinet, catalog, children, contracts, money, preferences

ROUTERS = [catalog.router, account.router, children.router, applications.router, contracts.router, money.router,
           preferences.router, cabinet.router]
