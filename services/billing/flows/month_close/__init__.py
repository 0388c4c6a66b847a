"""A month's close, step by step: requested (`requesting`), every billable contract charged in
one statement (`charging`), the charges posted in batches (`posting`), certificates' answers
taken (`confirming`), then finished with the invoices (`invoicing`). The driver that runs the
steps in order is `jobs/month_close.py`."""
