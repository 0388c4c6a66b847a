"""The Navigator's pages, one module per part of the site."""
from navigator.pages import account, applications, cabinet, catalog, children, contracts, money

ROUTERS = [catalog.router, account.router, children.router, applications.router, contracts.router, money.router,
           cabinet.router]
