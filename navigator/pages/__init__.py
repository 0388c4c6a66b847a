"""The Navigator's pages, one module per part of the site; each staff cabinet is a package of its own."""
from navigator.pages import (
           account,
           admin,
           applications,
           cabinet,
           catalog,
           children,
           contracts,
           money,
           operator,
           preferences,
           provider,
           region,
)

ROUTERS = [catalog.router, account.router, children.router, applications.router, contracts.router, money.router,
           preferences.router, cabinet.router, *provider.ROUTERS, *operator.ROUTERS, *region.ROUTERS, *admin.ROUTERS]
