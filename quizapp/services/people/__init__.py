"""People and their organisation: accounts and passwords, study groups, display preferences, roster import."""
