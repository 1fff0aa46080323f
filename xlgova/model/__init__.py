"""The core vocabulary: Value, Report, Finding and the rule catalogue. Imports nothing above ``formats``."""
from .catalog import RULE_INFO, RuleInfo, severity_of, title_of
from .finding import ERROR, INFO, SEVERITIES, SEVERITY_LABELS, WARNING, Finding
from .report import Report, Source, empty_report, report_from_json
from .values import (
    BLANK, BLANK_VALUE, HAN, NUMBER, SYMBOL, SYMBOLS, TEXT, Value, chinese_number, format_number, parse_value,
    signed_word_number,
)

__all__ = [
    "RULE_INFO", "RuleInfo", "severity_of", "title_of",
    "ERROR", "INFO", "SEVERITIES", "SEVERITY_LABELS", "WARNING", "Finding",
    "Report", "Source", "empty_report", "report_from_json",
    "BLANK", "BLANK_VALUE", "HAN", "NUMBER", "SYMBOL", "SYMBOLS", "TEXT", "Value", "format_number", "parse_value",
    "signed_word_number", "chinese_number",
]
