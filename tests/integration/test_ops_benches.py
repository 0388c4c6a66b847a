"""The in-process ops benches (bench/*_ops.py) run the services' real routes, handlers and jobs with a
runtime of their own: a tiny world through each, so that a change to what a runtime offers (the read
sessions, say) cannot leave them broken until the next measurement. Figures are not checked here."""
from __future__ import annotations

import pytest

from bench import billing_ops, catalog_ops, certificates_ops

TINY = {"children": 40, "groups": 4, "seats": 5, "providers": 2}


@pytest.mark.parametrize(("bench", "run"), [
    ("catalog_ops", lambda: catalog_ops.run(**TINY)),
    ("certificates_ops", lambda: certificates_ops.run(**TINY)),
    ("billing_ops", lambda: billing_ops.run(20)),
])
async def test_each_ops_bench_runs_its_operations_against_the_real_database(bench, run):
    report = await run()
    assert report, f"{bench} measured nothing"
    assert all(figures["count"] > 0 and figures["statements"] > 0 for figures in report.values()), report
