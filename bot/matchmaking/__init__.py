"""Creator–seller matchmaking: the explainable score, the ranking either way, the pipeline."""
