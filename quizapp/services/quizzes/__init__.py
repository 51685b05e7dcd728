"""Taking quizzes: drawing papers, attempts and their scoring, the exam lock, the 错题本."""
