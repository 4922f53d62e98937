"""Province-scale synthetic data for benchmarks (``manage.py generate_scale``).

One stage per area, in the order rows depend on each other: the network
(org.py), people (people.py), beneficiaries with their visits
(beneficiaries.py), reports with photos, history and attendance (reports.py),
then the published newsletter (issues.py). Every stage writes through the fast
writer (writer.py) with ids it assigns itself (plan.py); run.py ties them up.

It fills every app's tables, so it lives in the project package (``portal``),
which sits above the apps as DESIGN.md §3's arrows allow; no app imports it.
"""
