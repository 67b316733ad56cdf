#!/usr/bin/env bash
set -euo pipefail

# Reconstructed from seeds/000: the parts of the real script the audit quotes.
NOVNC_WEB="${NOVNC_WEB:-/usr/share/novnc}"

echo "[desktop-setup] Saving noVNC path to /etc/default/novnc-path..."
mkdir -p /etc/default
echo "NOVNC_WEB=${NOVNC_WEB}" > /etc/default/novnc-path
chmod 644 /etc/default/novnc-path

echo "[desktop-setup] Setting environment defaults in /etc/profile.d/desktop-env.sh..."
mkdir -p /etc/profile.d
cat > /etc/profile.d/desktop-env.sh <<'EOT'
# Desktop environment defaults
export DISPLAY="${DISPLAY:-:1}"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-xcb}"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/xdg-$(id -un)}"
EOT
chmod 644 /etc/profile.d/desktop-env.sh
