"""Dance breakdowns: use cases, ports and views of the breakdown context."""
