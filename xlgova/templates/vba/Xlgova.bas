Attribute VB_Name = "Xlgova"
' xlgova buttons: the check and the Word export run in Python through xlwings (RunPython).
' The table sheets are protected without a password so that a slip cannot break the layout. Python
' writes colour marks and the results rows, so each macro lifts that protection for the run and puts it
' back afterwards with the template's own options, whatever happens in between.
' Keep this file ASCII: the VBA editor reads module source in the system code page.
Option Explicit

Public Sub ValidateReport()
    Dim locked As Collection
    Set locked = UnprotectSheets()
    On Error GoTo Restore
    RunPython "import xlgova.excel; xlgova.excel.validate_caller()"
Restore:
    ProtectSheets locked
End Sub

Public Sub ExportWord()
    Dim locked As Collection
    Set locked = UnprotectSheets()
    On Error GoTo Restore
    RunPython "import xlgova.excel; xlgova.excel.export_caller()"
Restore:
    ProtectSheets locked
End Sub

Private Function UnprotectSheets() As Collection
    Dim ws As Worksheet
    Dim lifted As New Collection
    For Each ws In ThisWorkbook.Worksheets
        If ws.ProtectContents Then
            ws.Unprotect
            If Not ws.ProtectContents Then lifted.Add ws.Name
        End If
    Next ws
    Set UnprotectSheets = lifted
End Function

Private Sub ProtectSheets(lifted As Collection)
    Dim item As Variant
    For Each item In lifted
        ThisWorkbook.Worksheets(CStr(item)).Protect DrawingObjects:=True, Contents:=True, Scenarios:=True, _
            AllowFormattingColumns:=True, AllowFormattingRows:=True
    Next item
End Sub
