#!/usr/bin/env bash
# Copies the pinned front-end libraries (frontend/package-lock.json) into yingji/static/vendor/.
# Run by `make vendor` after changing a version; the copied files are committed so that
# `make run` needs no Node.js and users' networks need no CDN.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
out=../yingji/static/vendor
rm -rf "$out" && mkdir -p "$out"/{bootstrap,bootstrap-icons/fonts,echarts,htmx,leaflet/images}
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js "$out/bootstrap/"
cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css "$out/bootstrap-icons/"
cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2 node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff "$out/bootstrap-icons/fonts/"
cp node_modules/echarts/dist/echarts.min.js "$out/echarts/"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx/"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css "$out/leaflet/"
cp node_modules/leaflet/dist/images/*.png "$out/leaflet/images/"
for lib in bootstrap bootstrap-icons echarts htmx.org leaflet; do
  cp "node_modules/$lib/LICENSE"* "$out/${lib%.org}/" 2>/dev/null || true
done

# Source maps are not shipped: drop their references so static-file hashing finds no dangling link.
find "$out" -name '*.js' -o -name '*.css' | xargs sed -i -E '/^\/[\/*][#@] sourceMappingURL=.*$/d'
echo "vendored into $out"
