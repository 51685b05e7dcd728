"""知识竞赛: settings, the lifecycle from entering to publishing, entries, points awarded, boards, results."""
