"""RabbitMQ: topology, robust connections, a confirming publisher, a consumer with
retries and dead letters."""
