#!/usr/bin/env bash
# Installs every Debian 12 package that SLT's build, tests and app need. Idempotent: when everything is
# installed already it only asks dpkg and returns within a second. Runs apt-get through sudo when not root.
#
#   packaging/bootstrap-debian.sh            # everything (build, tests, app, model plugins)
#   packaging/bootstrap-debian.sh --list     # print the package list and exit
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git
  # host: Qt (Core/Gui/Widgets/Concurrent/Test come with qt6-base-dev; Charts needs the OpenGL dev files)
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-qpa-plugins libgl-dev libvulkan-dev libxkbcommon-dev
  # TIFF (and WebP...) readers for QImageReader: training tiles may be TIFF
  qt6-image-formats-plugins
  # libraries
  libboost-dev libtomlplusplus-dev libfmt-dev libhdf5-dev libsqlite3-dev libopenslide-dev libpng-dev catch2
  # model plugins: LibTorch, and OpenBLAS so that LibTorch does not fall back to the reference BLAS;
  # Gloo's headers for data-parallel training (c10d ProcessGroupGloo includes them)
  libtorch-dev libopenblas0-openmp libgloo-dev
  # tests and headless runs: virtual display, fonts for screenshots, readers that prove our file formats
  xvfb xauth fonts-dejavu-core python3-h5py sqlite3
)

if [[ "${1:-}" == "--list" ]]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  [[ "$status" == ii* ]] || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "bootstrap: all ${#packages[@]} packages are installed"
  exit 0
fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "bootstrap: not root and sudo is missing; run as root" >&2; exit 1; }
  as_root=(sudo)
fi

echo "bootstrap: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "bootstrap: done"
