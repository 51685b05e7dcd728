"""Study progress: the summary rows, the points ledger, periods, member and group figures, exports."""
