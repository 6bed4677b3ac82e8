#!/bin/sh
# A test exec credential plugin. Counts its runs in ./count; prints the token from ./token.N for
# run N when that file exists, else from ./token; the expiry comes from $TOKEN_EXPIRY (kubeconfig env).
# With ./fail present it fails like a real plugin would.
dir=$(dirname "$0")
n=$(cat "$dir/count" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$dir/count"
if [ -f "$dir/fail" ]; then
    echo "error: no credentials for profile spark" >&2
    exit 3
fi
if [ -f "$dir/token.$n" ]; then token=$(cat "$dir/token.$n"); else token=$(cat "$dir/token"); fi
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\n' "$token" "$TOKEN_EXPIRY"
