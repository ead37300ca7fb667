"""The 100,000-row community data set, in SQL (PostgreSQL's generate_series): shared by the scale tests and the
load benchmark so both measure the same rows."""

from __future__ import annotations

CHALLENGE = "c" * 24  # the challenge every generated submission belongs to


def scale_seed_sql(n: int, *, challenges: int = 1) -> str:
    """``n`` users, each with one submission to CHALLENGE, ``challenges`` challenges in all, ``n // 5`` sessions."""
    return f"""
INSERT INTO users (id, email, username, display_name, role, bio, level, preferences, created_at, updated_at)
SELECT lpad(to_hex(i), 24, '0'), 'load' || i || '@example.com', 'load' || i, 'Dancer ' || i, 'user', '', 1 + i % 9,
       '{{}}', now(), now()
FROM generate_series(1, {n}) AS i;
INSERT INTO challenges (id, title, description, type, difficulty, start_time, end_time, points, categories, tags,
                        scoring_criteria, is_active, created_at, updated_at)
SELECT CASE WHEN j = 0 THEN '{CHALLENGE}' ELSE 'd' || lpad(to_hex(j), 23, '0') END, 'Challenge ' || j,
       'Dance number ' || j,
       CASE WHEN j % 2 = 0 THEN 'freestyle' ELSE 'spin' END, 'beginner',
       now() - interval '1 day' + (j || ' hours')::interval,
       now() + interval '1 day' + (j || ' hours')::interval, 100, '[]', '[]',
       '{{"balance": 25, "rhythm": 30, "smoothness": 25, "creativity": 20}}', true, now(), now()
FROM generate_series(0, {challenges - 1}) AS j;
INSERT INTO challenge_submissions (id, challenge_id, user_id, video_key, caption, tags, is_public, shared_to_feed,
                                   status, total_score, breakdown, submitted_at, updated_at)
SELECT lpad(to_hex(i), 24, '0'), '{CHALLENGE}', lpad(to_hex(i), 24, '0'), 'challenges/x/y/v.mp4', '', '[]',
       i % 10 <> 0, i % 3 <> 0, CASE WHEN i % 20 = 0 THEN 'pending' ELSE 'completed' END,
       CASE WHEN i % 20 = 0 THEN NULL ELSE (i * 7919 % 1000) / 10.0 END,
       '{{"balance": 20, "rhythm": 20, "smoothness": 20, "creativity": 10}}',
       now() - (i || ' seconds')::interval, now()
FROM generate_series(1, {n}) AS i;
INSERT INTO dance_sessions (id, user_id, title, description, duration, tags, status, is_public, started_at,
                            created_at)
SELECT lpad(to_hex(i), 24, '0'), lpad(to_hex(i), 24, '0'), 'Session ' || i, '', 600, '[]',
       CASE WHEN i % 4 = 0 THEN 'active' ELSE 'completed' END, i % 5 <> 0, now(), now() - (i || ' seconds')::interval
FROM generate_series(1, {n // 5}) AS i;
ANALYZE users; ANALYZE challenges; ANALYZE challenge_submissions; ANALYZE dance_sessions;
"""
