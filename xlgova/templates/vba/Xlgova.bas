Attribute VB_Name = "Xlgova"
' xlgova buttons for Excel on a PC. Each button starts the Python that the offline installer of the
' bundle made in %LOCALAPPDATA%\xlgova\venv, waits for it, and reads its exit code. Python writes the
' colour marks and the results rows itself through xlwings (COM) and shows its own message when it
' is done or has failed; when it cannot reach the workbook, the exit code says why and this module
' shows the matching message.
' The sheets are protected without a password so that a slip cannot break the layout. Their options
' are read before the protection is lifted and set again exactly as they were, whatever happens.
' Keep this file ASCII: the VBA editor reads module source in the code page of the PC. The Chinese
' messages live on the very hidden sheet xlgova.messages (key in column A, text in column B).
Option Explicit

Private Const PYTHONW As String = "%LOCALAPPDATA%\xlgova\venv\Scripts\pythonw.exe"
Private Const LOG_FILE As String = "%LOCALAPPDATA%\xlgova\logs\xlgova-button.log"
Private Const MESSAGES As String = "xlgova.messages"
Private Const TEMPLATE_VERSION As String = "{version}"
Private startError As String

Public Sub ValidateReport()
    RunButton "check"
End Sub

Public Sub ExportWord()
    RunButton "export"
End Sub

Private Sub RunButton(action As String)
    Dim states As New Collection
    Dim code As Long
#If Mac Then
    Tell "mac"
    Exit Sub
#End If
    If IsWps() Then
        Tell "wps"
        Exit Sub
    End If
    On Error GoTo Failed
    If Not LiftProtection(states) Then GoTo Restore
    Application.ScreenUpdating = False
    code = StartPython(action)
    Application.ScreenUpdating = True
    RestoreProtection states
    ExplainExit code
    Exit Sub
Failed:
    Tell "vba", Err.Description
    Resume Restore
Restore:
    On Error Resume Next
    Application.ScreenUpdating = True
    RestoreProtection states
End Sub

Private Function IsWps() As Boolean
    IsWps = InStr(1, Application.Name, "WPS", vbTextCompare) > 0 _
        Or InStr(1, Application.Path, "\Kingsoft\", vbTextCompare) > 0 _
        Or InStr(1, Application.Path, "WPS Office", vbTextCompare) > 0
End Function

Private Function StartPython(action As String) As Long
    ' Returns Python's exit code, or -1 when the interpreter cannot be started at all.
    Dim launcher As Object
    Dim cmd As String
    cmd = """" & PYTHONW & """ -B -m xlgova.excel.button " & action _
        & " ""--wb=" & ThisWorkbook.Name & """ --from_xl=1 --hwnd=" & CStr(Application.Hwnd) _
        & " --template=" & TEMPLATE_VERSION
    Set launcher = CreateObject("WScript.Shell")
    On Error GoTo NotStarted
    StartPython = launcher.Run(cmd, 0, True)
    Exit Function
NotStarted:
    startError = Err.Description
    StartPython = -1
End Function

Private Sub ExplainExit(code As Long)
    Select Case code
        Case 0
            ' Python has shown its own message in Excel.
        Case -1
            Tell "no_python", PYTHONW & " (" & startError & ")"
        Case 1
            Tell "no_xlgova", PYTHONW
        Case 11
            Tell "no_xlwings", LOG_FILE
        Case 12
            Tell "xlwings_version", LOG_FILE
        Case 13
            Tell "no_workbook", LOG_FILE
        Case Else
            Tell "failed", CStr(code) & " / " & LOG_FILE
    End Select
End Sub

Private Function LiftProtection(states As Collection) As Boolean
    ' Every protected sheet: its options (read before lifting), then unprotected. An empty password
    ' lifts the template's protection and fails, without a prompt, on a sheet the clerk gave a password:
    ' the run stops there and says which sheet (a password would not survive the restore).
    Dim ws As Worksheet
    For Each ws In ThisWorkbook.Worksheets
        If ws.ProtectContents Or ws.ProtectDrawingObjects Or ws.ProtectScenarios Then
            states.Add Array(ws.Name, ws.ProtectDrawingObjects, ws.ProtectContents, ws.ProtectScenarios, _
                ws.Protection.AllowFormattingCells, ws.Protection.AllowFormattingColumns, _
                ws.Protection.AllowFormattingRows, ws.Protection.AllowInsertingColumns, _
                ws.Protection.AllowInsertingRows, ws.Protection.AllowInsertingHyperlinks, _
                ws.Protection.AllowDeletingColumns, ws.Protection.AllowDeletingRows, _
                ws.Protection.AllowSorting, ws.Protection.AllowFiltering, ws.Protection.AllowUsingPivotTables)
            On Error Resume Next
            ws.Unprotect Password:=""
            On Error GoTo 0
            If ws.ProtectContents Or ws.ProtectDrawingObjects Or ws.ProtectScenarios Then
                states.Remove states.Count
                Tell "sheet_password", ws.Name
                LiftProtection = False
                Exit Function
            End If
        End If
    Next ws
    LiftProtection = True
End Function

Private Sub RestoreProtection(states As Collection)
    Dim s As Variant
    For Each s In states
        ThisWorkbook.Worksheets(CStr(s(0))).Protect DrawingObjects:=s(1), Contents:=s(2), Scenarios:=s(3), _
            AllowFormattingCells:=s(4), AllowFormattingColumns:=s(5), AllowFormattingRows:=s(6), _
            AllowInsertingColumns:=s(7), AllowInsertingRows:=s(8), AllowInsertingHyperlinks:=s(9), _
            AllowDeletingColumns:=s(10), AllowDeletingRows:=s(11), AllowSorting:=s(12), _
            AllowFiltering:=s(13), AllowUsingPivotTables:=s(14)
    Next s
End Sub

Private Sub Tell(key As String, Optional detail As String = "")
    MsgBox Replace(Message(key), "{0}", detail), vbExclamation, "xlgova"
End Sub

Private Function Message(key As String) As String
    Dim ws As Worksheet
    Dim r As Long
    On Error GoTo Missing
    Set ws = ThisWorkbook.Worksheets(MESSAGES)
    For r = 1 To 50
        If CStr(ws.Cells(r, 1).Value) = key Then
            Message = CStr(ws.Cells(r, 2).Value)
            Exit Function
        End If
    Next r
Missing:
    Message = "xlgova: " & key & " {0}"
End Function
