"""The month close: charge every billable contract (one SQL statement), post the charges in
batches through the outbox, take certificates' confirmations, then issue the invoices."""
