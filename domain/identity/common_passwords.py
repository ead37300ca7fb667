"""Passwords too common to accept (compared case-insensitively, surrounding spaces ignored).

Only entries of 8 characters or more are listed: shorter ones already fail the length rule. Drawn from the
most frequent passwords in published breach corpora (the UK NCSC's "100,000 most common passwords" list,
which is itself from Have I Been Pwned, and SplashData's yearly top lists), plus this product's own words.
"""

from __future__ import annotations

COMMON_PASSWORDS: frozenset[str] = frozenset({
    "00000000", "000000000", "0000000000", "0123456789", "11111111", "111111111", "1111111111", "11223344",
    "12121212", "12312312", "123123123", "12341234", "12344321", "12345678", "123456789", "1234567890",
    "1234abcd", "1234qwer", "123654789", "123qweasd", "12qwaszx", "13131313", "147258369", "159753456",
    "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r5t6y", "1qaz2wsx", "1qazxsw2", "22222222", "33333333", "44444444",
    "55555555", "66666666", "741852963", "77777777", "87654321", "88888888", "987654321", "9876543210",
    "99999999", "a1b2c3d4", "aaaaaaaa", "abc12345", "abcd1234", "abcdefg1", "abcdefgh", "access14", "admin123",
    "admin1234", "adminadmin", "administrator", "arsenal1", "asdf1234", "asdfasdf", "asdfghjk", "asdfghjkl",
    "autumn2025", "bachata1", "bachata123", "baseball", "basketball", "batman123", "butterfly", "changeme",
    "changeme1", "charlie1", "chelsea1", "chocolate", "computer", "dance123", "dance2024", "dance2025",
    "dancer123", "dancing1", "default1", "dragon123", "football", "football1", "football12", "freedom1",
    "golfswing", "guest123", "hello123", "helloworld", "iloveu123", "iloveyou", "iloveyou1", "iloveyou2",
    "internet", "jennifer", "jordan23", "letmein1", "liverpool", "login123", "lovelove", "manchester",
    "master123", "michael1", "michelle", "monkey12", "monkey123", "mustang1", "mypassword", "newpassword",
    "oldpassword", "p@ssw0rd", "p@ssword", "pa55w0rd", "pa55word", "passpass", "passw0rd", "password",
    "password!", "password01", "password1", "password12", "password123", "password1234", "password2",
    "password3", "princess", "princess1", "q1w2e3r4", "q1w2e3r4t5", "qazwsxedc", "qwer1234", "qwerty12",
    "qwerty123", "qwerty1234", "qwertyqwerty", "qwertyui", "qwertyuiop", "root1234", "salsa123", "samsung1",
    "secret123", "secretpassword", "shadow123", "soccer12", "spring2025", "starwars", "summer2024",
    "summer2025", "sunshine", "sunshine1", "superman", "swing123", "test1234", "testpassword", "testtest",
    "toor1234", "trustno1", "user1234", "welcome!", "welcome1", "welcome123", "whatever", "winter2024",
    "winter2025", "yourpassword", "zaq12wsx", "zxcvbnm1", "zxcvbnm123", "zxcvzxcv",
})
