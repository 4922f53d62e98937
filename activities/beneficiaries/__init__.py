"""Beneficiary files, visits, attendance and cases: validation and masking
(idcard), reads (selectors), writes (services), scope lookups (access),
import and export (resources), forms and audit helpers.

Nothing is imported here so that models can use ``idcard`` without a cycle."""
