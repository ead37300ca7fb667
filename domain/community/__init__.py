"""Community: dance sessions, challenges, submissions, social reactions, activity and retention rules."""
