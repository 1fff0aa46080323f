#!/bin/sh
# xlgova {version} offline installer for Linux x86-64: every package comes from the wheels folder beside
# this file, no network. XLGOVA_HOME (default ~/.local/share/xlgova) and PYTHON may be set beforehand.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
XLGOVA_HOME=${XLGOVA_HOME:-$HOME/.local/share/xlgova}
VENV="$XLGOVA_HOME/venv"
LOG="$XLGOVA_HOME/logs/install.log"
mkdir -p "$XLGOVA_HOME/logs" || { echo "无法创建 $XLGOVA_HOME（没有写入权限？）"; exit 1; }
echo "[$(date '+%F %T')] xlgova {version} 安装开始：$HERE" > "$LOG"

fail() {
    echo "$1"
    echo "详细信息见安装日志：$LOG"
    echo "[$(date '+%F %T')] 安装失败" >> "$LOG"
    exit 1
}

# 1. Python 3.11 or 3.12 (the wheels are built for these).
supported() {
    "$1" -c "import sys; sys.exit(not sys.version_info[:2] in {pythons_tuple})" >/dev/null 2>&1
}
PY=${PYTHON:-}
if [ -z "$PY" ]; then
    for cand in python3.12 python3.11 python3; do
        if command -v "$cand" >/dev/null 2>&1 && supported "$cand"; then PY=$cand; break; fi
    done
fi
[ -n "$PY" ] && supported "$PY" || fail "未找到 Python 3.11 或 3.12：请先安装（如 apt-get install python3.11 python3.11-venv），或用 PYTHON=/path/to/python3 指定。"
echo "Python: $PY ($("$PY" --version 2>&1))" >> "$LOG"

# 2. A fresh environment of its own; 3. xlgova from the wheels folder only; 4. a self-check.
rm -rf "$VENV"
"$PY" -m venv "$VENV" >> "$LOG" 2>&1 || fail "无法在 $VENV 建立 Python 环境（缺少 python3-venv，或磁盘空间不足）。"
"$VENV/bin/python" -m pip install --no-index --find-links "$HERE/wheels" "xlgova=={version}" >> "$LOG" 2>&1 \
    || fail "安装 xlgova 失败：安装包中缺少某个文件，或与本机 Python 版本不符（支持 3.11、3.12，x86-64）。"
"$VENV/bin/xlgova" --version >> "$LOG" 2>&1 || fail "安装后自检失败：xlgova 无法运行。"

echo "[$(date '+%F %T')] 安装完成" >> "$LOG"
echo "安装完成。"
echo "接下来："
echo "  试运行：$VENV/bin/xlgova demo -o xlgova-demo"
echo "  校验报表：$VENV/bin/xlgova validate 文件名.xlsx"
echo "  模板：$HERE/templates（.xlsx 模板可用 LibreOffice 或 WPS 填报；按钮需要 Windows 上的 Excel）"
echo "  安装日志：$LOG"
