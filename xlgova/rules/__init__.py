"""The rule engine: rule kinds as code, rule instances generated from the formats.

>>> from xlgova.model import empty_report
>>> r = empty_report("2021", agency="示例县人民政府办公室", year=2021, zeros=True)
>>> validate(r).status_text()
'通过'
"""
from ..model.catalog import RULE_INFO, RuleInfo, severity_of, title_of
from .engine import Numbers, similarity, validate
from .identities import EQ, LE, Identity, Term, defining_identity, identities_for
from ..model.finding import ERROR, INFO, SEVERITIES, SEVERITY_LABELS, WARNING, Finding
from .result import Result

__all__ = [
    "RULE_INFO", "RuleInfo", "severity_of", "title_of", "Numbers", "similarity", "validate",
    "EQ", "LE", "Identity", "Term", "defining_identity", "identities_for",
    "ERROR", "INFO", "WARNING", "SEVERITIES", "SEVERITY_LABELS", "Finding", "Result",
]
