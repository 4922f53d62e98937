"""The load test of bench/load_test.py: its locustfile, the plan of addresses
and accounts it reads, and its settings. Nothing here is part of the product."""
