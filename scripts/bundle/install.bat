@echo off
rem xlgova {version} offline installer for Windows 10/11 (64-bit). No network: every package comes from
rem the wheels folder beside this file. Saved in GBK (code page 936) by scripts/build_bundle.py.
chcp 936 >nul
setlocal EnableExtensions
set "HERE=%~dp0"
set "XLGOVA_HOME=%LOCALAPPDATA%\xlgova"
set "VENV=%XLGOVA_HOME%\venv"
set "LOGDIR=%XLGOVA_HOME%\logs"
set "LOG=%LOGDIR%\install.log"
if not exist "%LOGDIR%" mkdir "%LOGDIR%"
echo [%date% %time%] xlgova {version} 安装开始：%HERE% > "%LOG%"
echo 正在安装 xlgova {version}（不需要联网），请稍候……
echo.

rem 1. A 64-bit Python 3.11 or 3.12: the py launcher first, then python on PATH.
set "PY="
py -3.12-64 -c "import sys" >nul 2>&1 && set "PY=py -3.12-64"
if not defined PY py -3.11-64 -c "import sys" >nul 2>&1 && set "PY=py -3.11-64"
if not defined PY python -c "import sys, struct; sys.exit(not (struct.calcsize('P') == 8 and sys.version_info[:2] in {pythons_tuple}))" >nul 2>&1 && set "PY=python"
if not defined PY goto no_python
echo 使用的 Python：%PY% >> "%LOG%"
%PY% --version >> "%LOG%" 2>&1

rem 2. A fresh environment of its own, so nothing else on the PC changes or gets in the way.
if exist "%VENV%" rmdir /s /q "%VENV%" >> "%LOG%" 2>&1
%PY% -m venv "%VENV%" >> "%LOG%" 2>&1
if errorlevel 1 goto venv_failed

rem 3. xlgova and everything it needs (xlwings and pywin32 for the buttons), from the wheels folder only.
"%VENV%\Scripts\python.exe" -m pip install --no-index --find-links "%HERE%wheels" xlgova=={version} pywin32 >> "%LOG%" 2>&1
if errorlevel 1 goto pip_failed

rem 4. What the buttons start must import: xlgova's button entry, xlwings and Excel's COM bridge.
"%VENV%\Scripts\python.exe" -c "import xlgova.excel.button, xlwings, win32com.client; print('ok', xlwings.__version__)" >> "%LOG%" 2>&1
if errorlevel 1 goto check_failed

rem 5. Templates unpacked from a downloaded zip are marked as coming from the internet, and Excel then
rem blocks their macros; clear the mark (best effort; the manual way is in the instructions).
powershell -NoProfile -ExecutionPolicy Bypass -Command "Get-ChildItem -LiteralPath '%HERE%templates' | Unblock-File" >> "%LOG%" 2>&1

echo [%date% %time%] 安装完成 >> "%LOG%"
echo 安装完成。
echo.
echo 接下来：
echo   1. 打开 %HERE%templates 文件夹中的 xlgova-2021.xlsm（2021 年度及以后的报告）
echo      或 xlgova-2019.xlsm（2019、2020 年度），另存为本单位的文件后填报。
echo   2. 打开时如出现黄色提示条，点“启用内容”。
echo   3. 填好后按表格上方的“校验”按钮；“导出Word”按钮生成 Word 文件。
echo   命令行校验：“%VENV%\Scripts\xlgova.exe” validate 文件名.xlsx
echo   安装日志：%LOG%
echo.
pause
exit /b 0

:no_python
echo 未找到 64 位的 Python 3.11 或 3.12。>> "%LOG%"
echo 未找到 64 位的 Python 3.11 或 3.12，xlgova 需要它。
echo 请安装 Python 3.12（64 位，Windows installer (64-bit)）：单位内网软件库或 https://www.python.org/downloads/windows/
echo 安装时勾选“Add python.exe to PATH”，装好后重新运行本“安装.bat”。
goto failed

:venv_failed
echo 无法在 %VENV% 建立 Python 环境（磁盘空间不足或没有写入权限）。
goto failed

:pip_failed
echo 安装 xlgova 失败：本安装包中缺少某个文件，或它与这台电脑的 Python 版本不符（支持 3.11、3.12，64 位）。
goto failed

:check_failed
echo 安装后自检失败：按钮需要的 xlwings / pywin32 无法载入。
goto failed

:failed
echo 详细信息见安装日志：%LOG%
echo 请把该日志文件发给技术支持人员。
echo [%date% %time%] 安装失败 >> "%LOG%"
pause
exit /b 1
