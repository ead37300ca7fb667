"""The golf swing coach's use cases: analyse a swing video, speak its script, compose the coached video."""
