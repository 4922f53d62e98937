# Publications, issues and articles arrive with the editorial issue.
