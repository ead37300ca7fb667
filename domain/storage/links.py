"""How long a signed link to a stored file stays valid: one place for every lifetime the contracts name."""

from datetime import timedelta

FILE_UPLOAD_LINK = timedelta(hours=1)  # /api/s3/presigned-url
FILE_DOWNLOAD_LINK = timedelta(hours=1)  # /api/s3/download-url and direct uploads' file_url
CHALLENGE_UPLOAD_LINK = timedelta(hours=2)  # the iDance seed's expires_in: 7200, upload and its download link
MEDIA_LINK = timedelta(hours=24)  # video, thumbnail and pose-data links inside challenge/submission/feed views
POSE_DATA_LINK = timedelta(hours=24)  # pose_data_url of an analysis
