"""OOXML package work on .xlsx/.xlsm/.docx files: the zip guard, parts, fast zip writing, compact XML."""
