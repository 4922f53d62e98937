"""Forms of the activities pages, split by concept: reports, trainings and
projects, report photos."""
