#!/bin/sh
# Dashboard container: write .streamlit/secrets.toml from the environment (OIDC sign-in and the
# role mapping), then become `lgnet2 run` (which execs the server: SIGTERM reaches it).
set -eu
secrets=/app/.streamlit/secrets.toml
: > "$secrets"
chmod 600 "$secrets"
if [ -n "${LGNET2_OIDC_CLIENT_ID:-}" ]; then
  cat >> "$secrets" <<TOML
[auth]
redirect_uri = "${LGNET2_OIDC_REDIRECT_URI:?LGNET2_OIDC_REDIRECT_URI is required with OIDC}"
cookie_secret = "${STREAMLIT_SERVER_COOKIE_SECRET:?}"
client_id = "${LGNET2_OIDC_CLIENT_ID}"
client_secret = "${LGNET2_OIDC_CLIENT_SECRET:?LGNET2_OIDC_CLIENT_SECRET is required with OIDC}"
server_metadata_url = "${LGNET2_OIDC_METADATA_URL:?LGNET2_OIDC_METADATA_URL is required with OIDC}"
TOML
fi
# The claims -> roles mapping ([lgnet2.roles], see dashboard/auth.py), as TOML text.
if [ -n "${LGNET2_ROLES_TOML:-}" ]; then printf '\n%s\n' "$LGNET2_ROLES_TOML" >> "$secrets"; fi
exec lgnet2 run --address 0.0.0.0 --port 8501
