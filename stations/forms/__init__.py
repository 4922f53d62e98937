"""Forms of the organisation's staff pages, split by concept: the network
(stations, service points, workers) and quality (standards checks, supervision
visits)."""
