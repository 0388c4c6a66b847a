"""The municipalities every test installation is configured with (the tests' `municipality=` values)."""
import json

from pfdo_kit.municipalities import Municipality

TEST_MUNICIPALITIES = [
    Municipality(code="chegem", name="Чегемский муниципальный район", oktmo="83645000"),
    Municipality(code="baksan", name="Баксанский муниципальный район", oktmo="83605000"),
    Municipality(code="neftekumsk", name="Нефтекумский городской округ", oktmo="07543000"),
]
TEST_MUNICIPALITIES_JSON = json.dumps([m.model_dump() for m in TEST_MUNICIPALITIES], ensure_ascii=False)
