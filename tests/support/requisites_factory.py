"""Made-up providers' requisites for tests: the same generator the demo district uses."""
from deploy.demo.requisites import SBERBANK_BIK, account, entrepreneur, inn10, inn12, ogrn, ogrnip, organisation

__all__ = ["SBERBANK_BIK", "account", "entrepreneur", "inn10", "inn12", "ogrn", "ogrnip", "organisation"]
