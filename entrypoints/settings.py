"""Settings from the environment, validated by msgspec; a bad value stops start-up with a clear message."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import msgspec

ROOT = Path(__file__).resolve().parent.parent


class SettingsError(Exception):
    pass


DEMO_CLIPS = "demo-clips"  # the generated demo library's clips, inside the library folder


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    env: Literal["development", "test", "production"] = "development"
    var_dir: str = str(ROOT / "var")
    database_url: str = ""
    storage: Literal["local", "s3"] = "local"
    storage_dir: str = ""
    s3_bucket: str = "dance-media"
    s3_region: str = "us-east-1"
    s3_endpoint_url: str | None = None
    s3_access_key_id: str | None = None
    s3_secret_access_key: str | None = None
    s3_create_bucket: bool = False
    queue: Literal["memory", "redis"] = "memory"
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_queue_name: str = "dance-jobs"
    jwt_secret: str = ""
    admin_emails: str = ""
    public_base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    auth_cache_seconds: float = 2.0
    feed_cache_seconds: float = 1.0  # feed and challenge-search pages may lag another process's writes by this
    rate_limits: bool = True
    rate_limit_standard: int = 100
    rate_limit_uploads: int = 10
    rate_limit_ai: int = 5
    # Identity hardening (issue 8): who may set X-Forwarded-For, and the login/sign-up throttle.
    trusted_proxies: str = ""  # comma-separated addresses or networks (CIDR) of our own reverse proxies
    login_throttle: bool = True
    login_free_failures: int = 5  # wrong passwords per account before the back-off starts
    login_free_failures_per_address: int = 20  # wrong passwords per client address before the back-off
    register_per_address: int = 20  # sign-ups per client address per hour before the back-off
    pose_backend: Literal["mediapipe", "onnx"] = "mediapipe"
    pose_onnx_model: str = str(ROOT.parent / "shared" / "models" / "pose_landmark_full.onnx")
    onnx_providers: str = "CPUExecutionProvider"
    analysis_fps: float = 15.0
    analysis_max_side: int = 640
    url_download_max_mb: int = 500
    url_download_timeout: float = 60.0
    fetch_allow_private: bool = False  # let video URLs reach loopback/private addresses (a lab, tests); never public
    # Dance breakdowns (spec 001): how long the POST waits before answering 202, and the optional language model.
    breakdown_wait_s: float = 60.0
    llm: Literal["none", "openai"] = "none"
    llm_base_url: str = ""
    llm_api_key: str = ""
    llm_model: str = ""
    oidc_google_client_ids: str = ""
    oidc_google_jwks_url: str = "https://www.googleapis.com/oauth2/v3/certs"
    oidc_microsoft_client_ids: str = ""
    oidc_microsoft_jwks_url: str = "https://login.microsoftonline.com/common/discovery/v2.0/keys"
    oidc_linkedin_client_ids: str = ""
    oidc_linkedin_jwks_url: str = "https://www.linkedin.com/oauth/openid/jwks"
    warm_up: bool = True
    cors_origins: str = ""  # comma-separated origins allowed to call the API from a browser; empty: see below
    # Choreography (spec 003): the move library (records + FAISS index), the clips it was made from, renders.
    move_library_dir: str = ""  # default VAR_DIR/moves
    move_clips_dir: str = str(ROOT.parent / "shared" / "media" / "moves")
    choreography_resolution: Literal["480p", "720p"] = "480p"
    choreography_per_hour: int = 10  # generations per user per sliding hour
    render_retention_days: int = 30  # unsaved rendered videos are deleted after this
    reconcile_seconds: float = 15.0  # how often the job reconciler runs in each worker / in-process app
    job_lease_seconds: float = 60.0  # a worker that reports no progress for this long is taken for dead
    # Swing coach (spec 004, the FutureGolf app).
    swing_playback_speed: float = 0.25  # the composited video's slow motion; the script is timed for it
    swing_tts: Literal["piper", "espeak"] = "piper"
    swing_tts_cache_items: int = 256  # encoded phrases kept in memory (text, voice, speed, format)
    swing_tts_warm_up: bool = True  # load the voice at start-up (the app's first burst must not wait for it)
    swing_max_upload_mb: int = 500
    swing_free_analyses_per_day: int = 5
    swing_pro_analyses_per_day: int = 0  # 0: unlimited
    swing_app_analyses_per_day: int = 200  # the app's shared anonymous account; 0: unlimited
    swing_pro_emails: str = ""  # comma-separated accounts on the pro plan (admins are pro too)
    swing_anonymous_app: bool = True  # serve the FutureGolf app's credential-less calls as one anonymous account
    header_read_timeout_s: float = 10.0  # request headers not complete this long after they began: connection closed
    body_read_timeout_s: float = 15.0  # a request body idle this long, or slower than the rate below, gets 408
    body_min_bytes_per_s: float = 1024.0

    @property
    def trusted_proxy_list(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.trusted_proxies.split(",") if p.strip())

    @property
    def cors_origin_list(self) -> tuple[str, ...]:
        """The origins named in CORS_ORIGINS; when empty, every origin in development (tokens travel in headers,
        never cookies, so a page elsewhere cannot borrow a session) and none in production."""
        named = tuple(o.strip() for o in self.cors_origins.split(",") if o.strip())
        if named:
            return named
        return () if self.env == "production" else ("*",)

    @property
    def move_library_path(self) -> Path:
        return Path(self.move_library_dir) if self.move_library_dir else Path(self.var_dir) / "moves"

    @property
    def move_clip_root(self) -> Path:
        """The clips the library's records point into: the generated demo clips beside the library when the demo
        library is what a fresh install built, else the configured clip folder."""
        demo = self.move_library_path / DEMO_CLIPS
        return demo if demo.is_dir() else Path(self.move_clips_dir)

    @property
    def admin_email_set(self) -> frozenset[str]:
        return frozenset(e.strip().lower() for e in self.admin_emails.split(",") if e.strip())

    @staticmethod
    def from_env(environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        raw: dict[str, object] = {}
        for info in msgspec.structs.fields(Settings):
            value = env.get(info.name.upper())
            if value is not None:
                raw[info.name] = value
        try:
            settings = msgspec.convert(raw, Settings, strict=False)
        except msgspec.ValidationError as exc:
            name = str(exc).rsplit("`$.", 1)[-1].rstrip("`") if "`$." in str(exc) else ""
            raise SettingsError(f"Bad setting {name.upper()}: {exc}") from exc
        return settings.resolved()

    def resolved(self) -> Settings:
        """Fill the defaults that depend on other settings; generate a local JWT secret once."""
        var = Path(self.var_dir)
        changes: dict[str, object] = {}
        if not self.database_url:
            changes["database_url"] = f"sqlite+aiosqlite:///{var / 'dance.db'}"
        if not self.storage_dir:
            changes["storage_dir"] = str(var / "blobs")
        if not self.jwt_secret:
            if self.env == "production":
                raise SettingsError("JWT_SECRET is required when ENV=production.")
            changes["jwt_secret"] = local_secret(var)
        elif len(self.jwt_secret) < 32:
            raise SettingsError("JWT_SECRET must be at least 32 characters.")
        if self.llm == "openai" and not (self.llm_base_url and self.llm_model):
            raise SettingsError("LLM=openai needs LLM_BASE_URL and LLM_MODEL.")
        if self.breakdown_wait_s < 0:
            raise SettingsError("Bad setting BREAKDOWN_WAIT_S: it must be 0 or more seconds.")
        for proxy in self.trusted_proxy_list:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError as exc:
                raise SettingsError(f"Bad setting TRUSTED_PROXIES: {proxy!r} is not an address or network.") from exc
        return msgspec.structs.replace(self, **changes) if changes else self


def local_secret(var: Path) -> str:
    path = var / "jwt_secret"
    if path.is_file():
        return path.read_text().strip()
    var.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(secret)
    return secret
