#!/usr/bin/env bash
set -euo pipefail

# Reconstructed from seeds/000: the parts of the real script the audit quotes.
echo "[desktop-install] Synchronizing package database..."
if ! yay -Syu --noconfirm; then
  echo "[desktop-install] ERROR: Failed to sync package database" >&2
  exit 1
fi
