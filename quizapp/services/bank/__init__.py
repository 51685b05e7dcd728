"""The question bank: questions and their versions, source texts, the bundled bank, imports and the generator."""
