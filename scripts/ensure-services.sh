#!/usr/bin/env bash
# Starts what the test suites need and this machine may lack: PostgreSQL running, Chromium and a CJK font
# for the browser journeys, poppler's pdftoppm to look at printed PDFs. Everything comes from the machine's own Debian packages.
set -euo pipefail

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if [ -d /etc/postgresql ]; then
    echo "正在启动 PostgreSQL……"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "PostgreSQL 未在 127.0.0.1:5432 运行，且无法启动" >&2; exit 1; }
fi

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# grep -q would stop reading early and, under pipefail, fail the pipeline on fc-list's SIGPIPE.
fc-list 2>/dev/null | grep -i 'Noto Sans CJK' >/dev/null || need+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v scanimage >/dev/null || need+=(sane-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "正在安装 ${need[*]}（Debian 软件包）……"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
