"""Question quality: members' error reports, regrading past answers, item statistics."""
