"""Corpora: sample reports, the narrative corpus, and the synthetic report generator."""
