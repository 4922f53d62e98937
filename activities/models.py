# Reports, beneficiaries, cases and statistics arrive with later issues.
