"""The production check (scripts/deploy-check): the whole stack on this machine."""
