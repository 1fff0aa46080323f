"""The demo county (泓川县): plausible sample reports and the end-to-end demo run."""
