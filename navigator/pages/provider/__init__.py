"""The provider cabinet's pages (role `provider`), one module per section."""
from navigator.pages.provider import applications, attendance, disputes, home, money, programs, reviews

ROUTERS = [home.router, programs.router, applications.router, attendance.router, money.router, disputes.router,
           reviews.router]
