"""SARIF 2.1.0, as GitHub code scanning reads it."""

from __future__ import annotations

from typing import Any

from ..findings import Finding

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rule_descriptors() -> list[dict[str, Any]]:
    from ..detectors import DETECTORS

    return [
        {
            "id": name,
            "name": "".join(part.capitalize() for part in name.split("-")),
            "shortDescription": {"text": cls.summary()},
            "fullDescription": {"text": cls.explain()},
            "defaultConfiguration": {"level": LEVEL[cls.severity]},
            "properties": {"category": cls.category, "tags": [cls.category]},
        }
        for name, cls in DETECTORS.items()
    ]


def sarif_result(f: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    text_lines = f.text.split("\n")
    end_line = f.line + len(text_lines) - 1
    end_column = (f.column + len(f.text)) if len(text_lines) == 1 else len(text_lines[-1]) + 1
    region = {
        "startLine": f.line,
        "startColumn": f.column,
        "endLine": end_line,
        "endColumn": end_column,
        "charOffset": f.start,
        "charLength": f.end - f.start,
        "snippet": {"text": f.text},
    }
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "level": LEVEL[f.severity],
        "message": {"text": f.message + (f" Suggestion: '{f.suggestion}'." if f.suggestion else "")},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": f.doc}, "region": region}}],
        "partialFingerprints": {"auditFingerprint/v1": f.fingerprint or "0"},
        "properties": {"category": f.category, "confidence": f.confidence},
    }
    if f.rule in rule_index:
        result["ruleIndex"] = rule_index[f.rule]
    if f.suggestion is not None:
        result["fixes"] = [{
            "description": {"text": f"Replace with '{f.suggestion}'"},
            "artifactChanges": [{
                "artifactLocation": {"uri": f.doc},
                "replacements": [{"deletedRegion": {"charOffset": f.start, "charLength": f.end - f.start},
                                  "insertedContent": {"text": f.suggestion}}],
            }],
        }]
    return result


def sarif_log(findings: list[Finding], summary=None) -> dict[str, Any]:
    index = rule_index()
    return sarif_document([sarif_result(f, index) for f in findings])


def rule_index() -> dict[str, int]:
    """Rule id -> its position among the log's rule descriptors (a result's ``ruleIndex``)."""
    return {r["id"]: i for i, r in enumerate(_rule_descriptors())}


def sarif_document(results: Any) -> dict[str, Any]:
    """The SARIF log around ``results`` (the list of results, or a stand-in for it)."""
    from .. import __version__

    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "translation-audit", "version": __version__,
                                "informationUri": "https://pypi.org/project/translation-audit/",
                                "rules": _rule_descriptors()}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
